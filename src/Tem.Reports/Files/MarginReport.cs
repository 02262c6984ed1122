using Tem.Lake;
using System.Globalization;
using System.Text;
using global::CsvHelper;
using Tem.Audit;
using Tem.Core;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>A reseller's carrier cost and resale billing for one service (or its account's account-level lines) over the lake's months.</summary>
internal sealed record MarginLine(
    string ResellerId, string CustomerId, string? Carrier, string? AccountId, string? ServiceId, CurrencyCode Currency, int Months, decimal CarrierCost,
    decimal Resale, int UnbilledMonths, int BelowCostMonths)
{
    /// <summary>Resale - carrier cost.</summary>
    public decimal Margin => Resale - CarrierCost;

    /// <summary>Margin / resale; null without resale billing.</summary>
    public decimal? MarginPct => Resale == 0 ? null : Margin / Resale;
}

/// <summary>
/// The margin report per reseller: carrier cost against resale billing per customer and service, margin %, the
/// <c>unbilled_resale</c> leakage and the <c>resold_below_cost</c> lines. A reseller's carrier cost is what the carrier
/// invoices it (accounts whose bill-to is their reseller), taxes excluded; accounts sold as agent (invoiced to the
/// customer) carry no cost for the reseller and appear only through resale lines, if any.
/// </summary>
internal sealed record MarginReport(IReadOnlyList<MarginLine> Lines, IReadOnlyList<StoredFinding> Unbilled, IReadOnlyList<StoredFinding> BelowCost)
{
    /// <summary>Label of a reseller's account-level carrier lines (surcharges).</summary>
    public const string AccountLevelLabel = "(account level)";

    public static readonly string[] CsvHeader =
    [
        "reseller_id", "reseller", "customer_id", "customer", "carrier", "account_id", "service_id", "currency", "months", "carrier_cost", "resale",
        "margin", "margin_pct", "unbilled_months", "below_cost_months",
    ];

    public static MarginReport Build(ReportData data)
    {
        var lines = data.Margin
            .GroupBy(m => (m.ResellerId, m.CustomerId, m.Carrier, m.AccountId, m.ServiceId, m.Currency))
            .Select(g => new MarginLine(g.Key.ResellerId, g.Key.CustomerId, g.Key.Carrier, g.Key.AccountId, g.Key.ServiceId, g.Key.Currency,
                g.Select(m => m.Month).Distinct().Count(), g.Sum(m => m.CarrierCost), g.Sum(m => m.Resale),
                g.Count(m => g.Key.ServiceId is not null && m.CarrierCost > 0 && !m.HasResaleLine),
                g.Count(m => m.HasResaleLine && m.Resale < m.CarrierCost)))
            .OrderBy(l => l.ResellerId, StringComparer.Ordinal).ThenBy(l => l.Currency).ThenBy(l => l.CustomerId, StringComparer.Ordinal)
            .ThenBy(l => l.Carrier, StringComparer.Ordinal).ThenBy(l => l.AccountId, StringComparer.Ordinal).ThenBy(l => l.ServiceId ?? string.Empty, StringComparer.Ordinal)
            .ToList();
        var current = data.Current.ToList();
        return new MarginReport(lines,
            [.. current.Where(f => f.Finding.Rule == "unbilled_resale").OrderBy(f => f.Finding.ResellerId, StringComparer.Ordinal).ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal)],
            [.. current.Where(f => f.Finding.Rule == "resold_below_cost").OrderBy(f => f.Finding.ResellerId, StringComparer.Ordinal).ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal)]);
    }

    public static void WriteCsv(Stream stream, MarginReport report, ReportData data)
    {
        using var csv = TemCsv.Create(stream);
        TemCsv.WriteHeader(csv, CsvHeader);
        foreach (var l in report.Lines)
        {
            foreach (var field in new[]
                     {
                         l.ResellerId, data.PartyName(l.ResellerId), l.CustomerId, data.PartyName(l.CustomerId), l.Carrier ?? string.Empty, l.AccountId ?? string.Empty,
                         l.ServiceId ?? AccountLevelLabel, l.Currency.Code, l.Months.ToString(CultureInfo.InvariantCulture), M(l.CarrierCost), M(l.Resale), M(l.Margin),
                         l.MarginPct is { } p ? Rounding.HalfAwayFromZero(p * 100, 2).ToString("0.00", CultureInfo.InvariantCulture) : string.Empty,
                         l.UnbilledMonths.ToString(CultureInfo.InvariantCulture), l.BelowCostMonths.ToString(CultureInfo.InvariantCulture),
                     })
            {
                csv.WriteField(field);
            }

            csv.EndRecord();
        }
    }

    private static string M(decimal v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
