using FsCheck.Fluent;

namespace Tem.Core.Tests;

public class FoundMoneyTests
{
    [Fact]
    public void Totals_NoFindings_IsEmpty() => Assert.Empty(FoundMoney.Totals([]));

    [Fact]
    public void Totals_TwoCurrencies_TotalsEachSeparatelyInCodeOrder()
    {
        var totals = FoundMoney.Totals(
        [
            FindingTests.Sample(10m, 1m, "USD"),
            FindingTests.Sample(5m, 0m, "EUR"),
            FindingTests.Sample(2.5m, 0.5m, "USD"),
        ]);

        Assert.Equal(
            [
                new FoundMoneyTotal(CurrencyCode.Parse("EUR"), 1, 5m, 0m),
                new FoundMoneyTotal(CurrencyCode.Parse("USD"), 2, 12.5m, 1.5m),
            ],
            totals);
        Assert.Equal(30.5m, totals[1].FoundMoney);
        Assert.Equal(5m, totals[0].FoundMoney);
    }

    [Fact]
    public void Totals_AnyFindings_NeverMixCurrencies()
    {
        var amount = Gen.Choose(0, 1_000_000).Select(n => n / 100m);
        var finding =
            from currency in Gen.Elements("USD", "EUR", "GBP", "JPY")
            from oneTime in amount
            from monthly in amount
            select FindingTests.Sample(oneTime, monthly, currency);

        Properties.Check(Prop.ForAll(Gen.ListOf(finding).ToArbitrary(), findings =>
        {
            var totals = FoundMoney.Totals(findings);
            var expected = findings.GroupBy(f => f.Currency).ToDictionary(g => g.Key);
            return totals.Count == expected.Count
                && totals.Select(t => t.Currency.Code).SequenceEqual(totals.Select(t => t.Currency.Code).Order(StringComparer.Ordinal))
                && totals.All(t =>
                    expected.TryGetValue(t.Currency, out var group)
                    && t.Findings == group.Count()
                    && t.OneTime == group.Sum(f => f.OneTimeAmount)
                    && t.MonthlySavings == group.Sum(f => f.MonthlySavings)
                    && t.FoundMoney == group.Sum(f => f.FoundMoney));
        }));
    }
}
