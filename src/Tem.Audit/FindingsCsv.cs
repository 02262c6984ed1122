using Tem.Lake;
using System.Globalization;
using global::CsvHelper;
using Tem.Core;

namespace Tem.Audit;

/// <summary>
/// Writes <c>findings.csv</c>: the columns of audit.md's finding record, then its status and note, its kind of money,
/// and its dispute (submission, amounts, confirmation, what it realised; see docs/money.md).
/// </summary>
public static class FindingsCsv
{
    /// <summary>The header, in order.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "finding_id", "rule", "severity", "carrier", "account_id", "service_id", "customer_id", "bill_to_id", "reseller_id", "period",
        "one_time_amount", "monthly_savings", "currency", "confidence", "title", "detail", "evidence", "recommended_action",
        "recommended_plan_id", "status", "status_note", "money_kind", "submitted_on", "reference", "amount_claimed", "amount_credited", "credited_on",
        "confirmed_from", "realised_one_time", "realised_monthly",
    ];

    /// <summary>Writes the findings in Tem's CSV dialect (<see cref="TemCsv"/>), money with 4 decimals.</summary>
    public static void Write(string path, IEnumerable<StoredFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var csv = CsvWriter.ToFile(path, TemCsv.WriterOptions());
        TemCsv.WriteHeader(csv, Header);
        foreach (var s in findings.OrderBy(f => f.Finding.Rule, StringComparer.Ordinal).ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal))
        {
            var f = s.Finding;
            foreach (var field in new[]
                     {
                         f.FindingId, f.Rule, WireNames.ToWire(f.Severity), f.Carrier, f.AccountId, f.ServiceId ?? string.Empty,
                         f.CustomerId ?? string.Empty, f.BillToId ?? string.Empty, f.ResellerId ?? string.Empty, f.Period.ToString(),
                         Money(f.OneTimeAmount), Money(f.MonthlySavings), f.Currency.Code, f.Confidence.ToString("0.00##", CultureInfo.InvariantCulture),
                         f.Title, f.Detail, f.Evidence, WireNames.ToWire(f.RecommendedAction), f.RecommendedPlanId ?? string.Empty,
                         WireNames.ToWire(s.Status), s.StatusNote ?? string.Empty, WireNames.ToWire(f.MoneyKind), Date(s.Dispute.SubmittedOn),
                         s.Dispute.Reference ?? string.Empty, s.Dispute.AmountClaimed is { } claimed ? Money(claimed) : string.Empty, Money(s.Dispute.AmountCredited),
                         Date(s.Dispute.CreditedOn), s.Dispute.ConfirmedFrom?.ToString() ?? string.Empty, Money(s.RealisedOneTime), Money(s.RealisedMonthly),
                     })
            {
                csv.WriteField(field);
            }

            csv.EndRecord();
        }
    }

    private static string Money(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
}
