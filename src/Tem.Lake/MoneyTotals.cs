using Tem.Core;

namespace Tem.Lake;

/// <summary>Money that came back or shows in the bills, in one currency.</summary>
/// <param name="Findings">Findings with any realised money.</param>
/// <param name="Credited">Credits received (one-time).</param>
/// <param name="MonthlySavings">Monthly savings the bills confirm.</param>
public readonly record struct RealisedMoney(int Findings, decimal Credited, decimal MonthlySavings)
{
    /// <summary><see cref="Credited"/> + 12 x <see cref="MonthlySavings"/>, on the same footing as found money.</summary>
    public decimal Total => Credited + (12 * MonthlySavings);
}

/// <summary>The three kinds of money in one currency, and the reseller's own line.</summary>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="Validated">Found money: validated findings still live (open, submitted, partially credited, credited, confirmed).</param>
/// <param name="Potential">Findings to investigate (models, unknown services), live; never counted as found.</param>
/// <param name="Reseller">A reseller's revenue leakage (unbilled resale, resale below cost), live; the reseller's money, never the client's saving.</param>
/// <param name="Realised">What came back or shows in the bills, whatever the status now (validated and potential findings; a reseller's revenue is not the client's).</param>
public sealed record CurrencyMoney(CurrencyCode Currency, FoundMoneyTotal Validated, FoundMoneyTotal Potential, FoundMoneyTotal Reseller, RealisedMoney Realised);

/// <summary>
/// The money of a set of stored findings per currency, by kind. Only <see cref="CurrencyMoney.Validated"/> is "found
/// money": it is what a report's headline shows and what may fund a proposal.
/// </summary>
public static class MoneyTotals
{
    /// <summary>One entry per currency with any finding that counts or realised anything, ordered by code.</summary>
    public static IReadOnlyList<CurrencyMoney> Of(IEnumerable<StoredFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var list = findings.ToList();
        FoundMoneyTotal Sum(CurrencyCode c, MoneyKind kind)
        {
            var totals = FoundMoney.Totals(list.Where(f => f.Counts && f.Finding.MoneyKind == kind && f.Finding.Currency == c).Select(f => f.Finding));
            return totals.Count == 0 ? new FoundMoneyTotal(c, 0, 0m, 0m) : totals[0];
        }

        return [.. list.Where(f => f.Counts || f.RealisedOneTime != 0 || f.RealisedMonthly != 0).Select(f => f.Finding.Currency).Distinct().Order()
            .Select(c =>
            {
                // A reseller's recovered revenue is the reseller's, not the client's realised saving.
                var realised = list.Where(f => f.Finding.Currency == c && f.Finding.MoneyKind != MoneyKind.Reseller
                    && (f.RealisedOneTime != 0 || f.RealisedMonthly != 0)).ToList();
                return new CurrencyMoney(c, Sum(c, MoneyKind.Validated), Sum(c, MoneyKind.Potential), Sum(c, MoneyKind.Reseller),
                    new RealisedMoney(realised.Count, realised.Sum(f => f.RealisedOneTime), realised.Sum(f => f.RealisedMonthly)));
            })];
    }
}
