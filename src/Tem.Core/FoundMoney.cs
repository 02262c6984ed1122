namespace Tem.Core;

/// <summary>Totals of found money, always per currency: amounts in different currencies are never added together.</summary>
public static class FoundMoney
{
    /// <summary>Sums findings per currency.</summary>
    /// <param name="findings">The findings to total; all of them count, whatever their rule.</param>
    /// <returns>One total per currency present, ordered by currency code (ordinal); empty for no findings.</returns>
    /// <exception cref="OverflowException">A total is outside the range of <see cref="decimal"/>.</exception>
    public static IReadOnlyList<FoundMoneyTotal> Totals(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var totals = new Dictionary<CurrencyCode, FoundMoneyTotal>();
        foreach (var finding in findings)
        {
            totals.TryGetValue(finding.Currency, out var total);
            totals[finding.Currency] = new FoundMoneyTotal(
                finding.Currency,
                total.Findings + 1,
                total.OneTime + finding.OneTimeAmount,
                total.MonthlySavings + finding.MonthlySavings);
        }

        return [.. totals.Values.OrderBy(t => t.Currency)];
    }
}

/// <summary>Found money of a set of findings in one currency. Amounts are unrounded sums in <paramref name="Currency"/>.</summary>
/// <param name="Currency">The ISO 4217 currency of every amount.</param>
/// <param name="Findings">How many findings were summed.</param>
/// <param name="OneTime">Sum of <see cref="Finding.OneTimeAmount"/>.</param>
/// <param name="MonthlySavings">Sum of <see cref="Finding.MonthlySavings"/>, per calendar month.</param>
public readonly record struct FoundMoneyTotal(CurrencyCode Currency, int Findings, decimal OneTime, decimal MonthlySavings)
{
    /// <summary><see cref="OneTime"/> + 12 x <see cref="MonthlySavings"/>.</summary>
    public decimal FoundMoney => OneTime + (12 * MonthlySavings);
}
