using System.Globalization;
using System.Text;
using global::CsvHelper;
using Tem.Core;
using Tem.Reports.Html;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>
/// The dispute packs: <c>disputes/&lt;carrier&gt;.csv</c> with every item claimed from that carrier, and one letter per
/// financial counterparty, <c>disputes/&lt;carrier&gt;-&lt;bill_to_id&gt;.html</c>, addressed from the party the carrier
/// invoices to the carrier. An item is a finding with action <c>dispute</c>, a one-time amount, and status open or
/// disputed (recovered, rejected, closed and resolved findings are not claimed again).
/// </summary>
internal static class Disputes
{
    /// <summary>The CSV columns, in order.</summary>
    public static readonly string[] Header =
    [
        "finding_id", "carrier", "account_id", "bill_to_id", "bill_to", "customer_id", "customer", "service_id", "period", "rule", "title",
        "invoice_id", "invoice_lines", "amount_claimed", "currency", "status", "detail", "evidence", "submitted_on", "reference", "amount_credited",
        "outstanding",
    ];

    /// <summary>Bill-to id used in a letter's file name when the account is not in accounts.csv.</summary>
    public const string UnknownBillTo = "unassigned";

    public static IReadOnlyList<string> Write(string dir, ReportData data, DateTimeOffset generated)
    {
        var written = new List<string>();
        if (data.Disputes.Count == 0)
        {
            return written;
        }

        Directory.CreateDirectory(dir);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var carrier in data.Disputes.GroupBy(i => i.Item.Finding.Carrier).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var stem = Unique(FileNames.Safe(carrier.Key), used);
            var items = carrier.OrderBy(i => i.Item.Finding.AccountId, StringComparer.Ordinal).ThenBy(i => i.Item.Finding.Period)
                .ThenBy(i => i.Item.Finding.ServiceId, StringComparer.Ordinal).ThenBy(i => i.Item.Finding.FindingId, StringComparer.Ordinal).ToList();
            var csv = Path.Combine(dir, stem + ".csv");
            FileNames.WriteAtomically(csv, s => WriteCsv(s, items, data));
            written.Add(csv);
            foreach (var billTo in items.GroupBy(i => i.Item.Finding.BillToId ?? UnknownBillTo).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var letter = Path.Combine(dir, Unique(stem + "-" + FileNames.Safe(billTo.Key), used) + ".html");
                var html = Pages.DisputeLetter(data, carrier.Key, billTo.Key == UnknownBillTo ? null : billTo.Key, [.. billTo], generated);
                FileNames.WriteAtomically(letter, s =>
                {
                    using var w = new StreamWriter(s, new UTF8Encoding(false));
                    w.Write(html);
                });
                written.Add(letter);
            }
        }

        return written;
    }

    /// <summary>Distinct invoice ids of an item's <c>invoice#line</c> references.</summary>
    public static string Invoices(DisputeItem item) =>
        string.Join("; ", item.InvoiceLines.Select(l => l[..l.LastIndexOf('#')]).Distinct(StringComparer.Ordinal));

    private static void WriteCsv(Stream stream, IReadOnlyList<DisputeItem> items, ReportData data)
    {
        using var csv = TemCsv.Create(stream);
        TemCsv.WriteHeader(csv, Header);
        foreach (var item in items)
        {
            var f = item.Item.Finding;
            foreach (var field in new[]
                     {
                         f.FindingId, f.Carrier, f.AccountId, f.BillToId ?? string.Empty, f.BillToId is null ? string.Empty : data.PartyName(f.BillToId),
                         f.CustomerId ?? string.Empty, f.CustomerId is null ? string.Empty : data.PartyName(f.CustomerId), f.ServiceId ?? string.Empty,
                         f.Period.ToString(), f.Rule, f.Title, Invoices(item), string.Join("; ", item.InvoiceLines),
                         (item.Item.Dispute.AmountClaimed ?? f.OneTimeAmount).ToString("0.0000", CultureInfo.InvariantCulture), f.Currency.Code,
                         WireNames.ToWire(item.Item.Status), f.Detail, f.Evidence,
                         item.Item.Dispute.SubmittedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty, item.Item.Dispute.Reference ?? string.Empty,
                         item.Item.Dispute.AmountCredited.ToString("0.0000", CultureInfo.InvariantCulture),
                         item.Claimed.ToString("0.0000", CultureInfo.InvariantCulture),
                     })
            {
                csv.WriteField(field);
            }

            csv.EndRecord();
        }
    }

    private static string Unique(string stem, HashSet<string> used)
    {
        var name = stem;
        for (var i = 2; !used.Add(name); i++)
        {
            name = stem + "-" + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }
}
