namespace Tem.Core.Tests;

public class FindingTests
{
    internal static Finding Sample(decimal oneTime = 10m, decimal monthly = 2.5m, string currency = "USD") => new()
    {
        FindingId = FindingId.Create("recurring_above_contract", "ACC-1", "+15551230000", new BillingMonth(2026, 10)),
        Rule = "recurring_above_contract",
        Severity = Severity.Medium,
        Carrier = "Acme Telecom",
        AccountId = "ACC-1",
        ServiceId = "+15551230000",
        CustomerId = "C1",
        BillToId = "C1",
        Period = new BillingMonth(2026, 10),
        OneTimeAmount = oneTime,
        MonthlySavings = monthly,
        Currency = CurrencyCode.Parse(currency),
        Confidence = 0.9m,
        Title = "Monthly fee above contract",
        Detail = "billed 42.50, contract 40.00",
        Evidence = "invoices.csv:17",
        RecommendedAction = RecommendedAction.Dispute,
    };

    [Theory]
    [InlineData("10", "2.5", "40")]
    [InlineData("0", "0", "0")]
    [InlineData("12.3456", "0", "12.3456")]
    [InlineData("0", "0.0001", "0.0012")]
    public void FoundMoney_Amounts_IsOneTimePlusTwelveMonths(string oneTime, string monthly, string expected) =>
        Assert.Equal(
            decimal.Parse(expected, CultureInfo.InvariantCulture),
            Sample(decimal.Parse(oneTime, CultureInfo.InvariantCulture), decimal.Parse(monthly, CultureInfo.InvariantCulture)).FoundMoney);

    [Fact]
    public void Init_NegativeOneTimeAmount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample() with { OneTimeAmount = -0.01m });

    [Fact]
    public void Init_NegativeMonthlySavings_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample() with { MonthlySavings = -1m });

    [Theory]
    [InlineData("-0.0001")]
    [InlineData("1.0001")]
    public void Init_ConfidenceOutsideZeroToOne_Throws(string confidence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample() with { Confidence = decimal.Parse(confidence, CultureInfo.InvariantCulture) });

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void Init_ConfidenceAtBounds_IsKept(string confidence)
    {
        var value = decimal.Parse(confidence, CultureInfo.InvariantCulture);

        Assert.Equal(value, (Sample() with { Confidence = value }).Confidence);
    }

    [Fact]
    public void Equality_SameValues_AreEqual()
    {
        Assert.Equal(Sample(), Sample());
        Assert.NotEqual(Sample(), Sample() with { RecommendedPlanId = "P-small" });
    }
}
