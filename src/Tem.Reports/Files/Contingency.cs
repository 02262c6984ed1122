using System.Globalization;
using System.Text;
using global::CsvHelper;
using Tem.Core;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>Realised savings of one client in one month and currency, and the consultant's fee on them.</summary>
/// <param name="CustomerId">The client (the findings' customer; empty for accounts outside the inventory).</param>
/// <param name="Month">The month the money was realised in.</param>
/// <param name="Currency">Currency of every amount.</param>
/// <param name="Credits">Credits received that month (by the credit's date).</param>
/// <param name="Savings">Monthly savings the bills confirm, for that month (one month of each confirmed saving, from its first month on).</param>
/// <param name="Fee">The fee share of <see cref="Realised"/>.</param>
internal sealed record ContingencyRow(string CustomerId, BillingMonth Month, CurrencyCode Currency, decimal Credits, decimal Savings, decimal Fee)
{
    /// <summary>Credits + savings.</summary>
    public decimal Realised => Credits + Savings;
}

/// <summary>
/// <c>contingency.csv</c>: what a TEM consultancy bills on. Realised savings per client, month and currency: the credits
/// received in the month (the dispute history's credit events, matched from the bills or recorded by hand), plus each
/// confirmed saving once for every month from its first confirmed month to the latest billing month in the lake; and the
/// fee share of them (<see cref="ReportOptions.ContingencyFeePct"/>), unrounded.
/// </summary>
internal static class Contingency
{
    public static readonly string[] Header = ["customer_id", "customer", "month", "currency", "credits_received", "savings_confirmed", "realised", "fee_pct", "fee"];

    public static IReadOnlyList<ContingencyRow> Build(ReportData d, decimal feePct)
    {
        var rows = new Dictionary<(string, BillingMonth, CurrencyCode), (decimal Credits, decimal Savings)>();
        void Add(string? customer, BillingMonth month, CurrencyCode currency, decimal credits, decimal savings)
        {
            var key = (customer ?? string.Empty, month, currency);
            var r = rows.GetValueOrDefault(key);
            rows[key] = (r.Credits + credits, r.Savings + savings);
        }

        var reseller = d.Findings.Where(f => f.Finding.MoneyKind == MoneyKind.Reseller).Select(f => f.Finding.FindingId).ToHashSet(StringComparer.Ordinal);
        foreach (var c in d.Credits.Where(c => !reseller.Contains(c.FindingId)))
        {
            Add(c.CustomerId, c.Month, c.Currency, c.Amount, 0m);
        }

        var latest = d.Window?.Latest;
        foreach (var f in d.Findings.Where(f => f.Dispute.ConfirmedFrom is not null && f.RealisedMonthly > 0 && f.Finding.MoneyKind != MoneyKind.Reseller))
        {
            for (var m = f.Dispute.ConfirmedFrom!.Value; latest is { } last && m <= last; m = m.Next())
            {
                Add(f.Finding.CustomerId, m, f.Finding.Currency, 0m, f.RealisedMonthly);
            }
        }

        return [.. rows.Select(r => new ContingencyRow(r.Key.Item1, r.Key.Item2, r.Key.Item3, r.Value.Credits, r.Value.Savings,
                (r.Value.Credits + r.Value.Savings) * feePct / 100m))
            .OrderBy(r => r.CustomerId, StringComparer.Ordinal).ThenBy(r => r.Month).ThenBy(r => r.Currency)];
    }

    public static void WriteCsv(Stream stream, IReadOnlyList<ContingencyRow> rows, ReportData d, decimal feePct)
    {
        using var csv = TemCsv.Create(stream);
        TemCsv.WriteHeader(csv, Header);
        static string M(decimal v) => v.ToString("0.0000##", CultureInfo.InvariantCulture);
        foreach (var r in rows)
        {
            foreach (var field in new[]
                     {
                         r.CustomerId, r.CustomerId.Length == 0 ? string.Empty : d.PartyName(r.CustomerId), r.Month.ToString(), r.Currency.Code, M(r.Credits),
                         M(r.Savings), M(r.Realised), feePct.ToString("0.##", CultureInfo.InvariantCulture), M(r.Fee),
                     })
            {
                csv.WriteField(field);
            }

            csv.EndRecord();
        }
    }
}
