using Tem.Lake;
using Tem.Audit;
using Tem.Core;

namespace Tem.Reports.Query;

/// <summary>
/// A row of a breakdown (by carrier, account, cost centre or rule) in one currency: spend, validated found money
/// (<see cref="Findings"/>, <see cref="OneTime"/>, <see cref="Monthly"/>), potential money (to investigate) and what was realised.
/// </summary>
internal sealed record Breakdown(
    IReadOnlyList<string> Keys, CurrencyCode Currency, decimal Spend, int Findings, decimal OneTime, decimal Monthly, decimal Potential, decimal Realised)
{
    /// <summary>One-time + 12 x monthly.</summary>
    public decimal FoundMoney => OneTime + (12 * Monthly);
}

/// <summary>
/// The aggregates every output shows, computed once from a <see cref="ReportData"/> so that the HTML, the workbook
/// and the CSV files print the same numbers. Found money is validated money of live findings (<see cref="MoneyTotals"/>);
/// potential money is shown beside it and reseller revenue on its own line, never added to it.
/// </summary>
internal sealed class ReportFigures
{
    private readonly Dictionary<(string Service, string Account), ServiceInfo> _services;

    public ReportFigures(ReportData data)
    {
        Data = data;
        _services = data.Services.DistinctBy(s => (s.ServiceId, s.AccountId)).ToDictionary(s => (s.ServiceId, s.AccountId));
        Totals = data.Totals();
        Currencies = [.. Totals.Select(t => t.Currency).Concat(data.Spend.Select(s => s.Currency)).Distinct().Order()];
        // Every finding that counts or realised something: a resolved or closed finding's credits are still realised.
        var current = data.Findings.Where(f => f.Finding.MoneyKind != MoneyKind.Reseller && (f.Counts || f.RealisedOneTime != 0 || f.RealisedMonthly != 0)).ToList();
        ByRule = Group(current, f => [f.Finding.Rule], []);
        ByCarrier = Group(current, f => [f.Finding.Carrier],
            data.Spend.GroupBy(s => (s.Carrier, s.Currency)).Select(g => (Key: (IReadOnlyList<string>)[g.Key.Carrier], g.Key.Currency, Amount: g.Sum(s => s.Amount))));
        ByAccount = Group(current, f => [f.Finding.Carrier, f.Finding.AccountId],
            data.AccountSpend.Select(s => (Key: (IReadOnlyList<string>)[s.Carrier, s.AccountId], s.Currency, s.Amount)));
        ByCostCentre = Group(current, f => [CostCentreOf(f.Finding)],
            data.CostCentreSpend.Select(s => (Key: (IReadOnlyList<string>)[s.CostCentre], s.Currency, s.Amount)));
        Latest = data.Window?.Latest;
    }

    public ReportData Data { get; }

    public IReadOnlyList<CurrencyMoney> Totals { get; }

    /// <summary>Every currency with findings or spend, ordered by code.</summary>
    public IReadOnlyList<CurrencyCode> Currencies { get; }

    public IReadOnlyList<Breakdown> ByRule { get; }

    public IReadOnlyList<Breakdown> ByCarrier { get; }

    public IReadOnlyList<Breakdown> ByAccount { get; }

    public IReadOnlyList<Breakdown> ByCostCentre { get; }

    /// <summary>The latest billing month with charges in scope.</summary>
    public BillingMonth? Latest { get; }

    public CurrencyMoney TotalOf(CurrencyCode c) =>
        Totals.FirstOrDefault(t => t.Currency == c)
        ?? new CurrencyMoney(c, new FoundMoneyTotal(c, 0, 0, 0), new FoundMoneyTotal(c, 0, 0, 0), new FoundMoneyTotal(c, 0, 0, 0), default);

    /// <summary>Validated found money per status (open, submitted, partially credited, credited, confirmed, rejected, closed) in one currency.</summary>
    public IReadOnlyList<(FindingStatus Status, int Count, decimal FoundMoney)> ByStatus(CurrencyCode c) =>
        [.. Data.Current.Where(f => f.Finding.Currency == c && f.Finding.MoneyKind == MoneyKind.Validated).GroupBy(f => f.Status).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Count(), g.Sum(f => f.Finding.FoundMoney)))];

    /// <summary>Charges of the latest billing month in one currency (every carrier of that currency).</summary>
    public decimal LatestSpend(CurrencyCode c) =>
        Latest is { } m ? Data.Spend.Where(s => s.Currency == c && s.Month == m).Sum(s => s.Amount) : 0m;

    /// <summary>The cost centre a finding belongs to: its service's, or a bracketed label for account-level or unknown services.</summary>
    public string CostCentreOf(Finding f)
    {
        if (f.ServiceId is null)
        {
            return ReportDataLoader.AccountLevel;
        }

        var s = _services.GetValueOrDefault((f.ServiceId, f.AccountId));
        return s is null ? ReportDataLoader.NotInInventory : string.IsNullOrWhiteSpace(s.CostCentre) ? ReportDataLoader.NoCostCentre : s.CostCentre.Trim();
    }

    /// <summary>Top live findings of one currency and kind by found money (ties: finding id).</summary>
    public IReadOnlyList<StoredFinding> Top(CurrencyCode c, int count, MoneyKind kind = MoneyKind.Validated) =>
        [.. Data.Current.Where(f => f.Finding.Currency == c && f.Counts && f.Finding.MoneyKind == kind).OrderByDescending(f => f.Finding.FoundMoney)
            .ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal).Take(count)];

    private static List<Breakdown> Group(
        List<StoredFinding> findings, Func<StoredFinding, IReadOnlyList<string>> key,
        IEnumerable<(IReadOnlyList<string> Key, CurrencyCode Currency, decimal Amount)> spend)
    {
        var rows = new Dictionary<(string, CurrencyCode), (IReadOnlyList<string> Keys, decimal Spend, int N, decimal O, decimal M, decimal P, decimal R)>();
        static string K(IReadOnlyList<string> k) => string.Join('\u001f', k);
        foreach (var (k, c, amount) in spend)
        {
            var id = (K(k), c);
            rows[id] = rows.TryGetValue(id, out var r) ? r with { Spend = r.Spend + amount } : (k, amount, 0, 0m, 0m, 0m, 0m);
        }

        // Reseller revenue is the reseller's money: it has its own line in the headline, not a place in the client's breakdowns.
        foreach (var f in findings.Where(f => f.Finding.MoneyKind != MoneyKind.Reseller))
        {
            var validated = f.Counts && f.Finding.MoneyKind == MoneyKind.Validated;
            var k = key(f);
            var id = (K(k), f.Finding.Currency);
            var r = rows.TryGetValue(id, out var x) ? x : (Keys: k, Spend: 0m, N: 0, O: 0m, M: 0m, P: 0m, R: 0m);
            rows[id] = (r.Keys, r.Spend, r.N + (validated ? 1 : 0), r.O + (validated ? f.Finding.OneTimeAmount : 0m), r.M + (validated ? f.Finding.MonthlySavings : 0m),
                r.P + (f.Counts && f.Finding.MoneyKind == MoneyKind.Potential ? f.Finding.FoundMoney : 0m),
                r.R + f.RealisedOneTime + (12 * f.RealisedMonthly));
        }

        return [.. rows.Select(p => new Breakdown(p.Value.Keys, p.Key.Item2, p.Value.Spend, p.Value.N, p.Value.O, p.Value.M, p.Value.P, p.Value.R))
            .OrderBy(b => b.Currency).ThenByDescending(b => b.FoundMoney).ThenByDescending(b => b.Spend).ThenBy(b => K(b.Keys), StringComparer.Ordinal)];
    }
}
