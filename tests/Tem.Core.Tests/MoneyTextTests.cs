namespace Tem.Core.Tests;

/// <summary>Amounts for a person: ISO 4217 minor units, rounding half away from zero, the marks a rule's text carries.</summary>
public class MoneyTextTests
{
    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("GBP", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("TND", 3)]
    [InlineData("CLF", 4)]
    [InlineData("XAU", 2)]
    public void MinorDigits_IsoCurrency_IsItsMinorUnit(string code, int digits) =>
        Assert.Equal(digits, CurrencyCode.Parse(code).MinorDigits);

    [Theory]
    [InlineData("39.9900", "USD", "39.99")]
    [InlineData("1177.4600", "USD", "1,177.46")]
    [InlineData("0.125", "EUR", "0.13")]
    [InlineData("-0.125", "EUR", "-0.13")]
    [InlineData("1234.5", "JPY", "1,235")]
    [InlineData("1234.5675", "KWD", "1,234.568")]
    [InlineData("0", "GBP", "0.00")]
    public void Format_Amount_MinorUnitsHalfAwayFromZeroWithThousands(string amount, string code, string expected) =>
        Assert.Equal(expected, MoneyText.Format(decimal.Parse(amount, CultureInfo.InvariantCulture), CurrencyCode.Parse(code)));

    [Theory]
    [InlineData("0.2000", "USD", "0.20")]
    [InlineData("0.0093", "USD", "0.0093")]
    [InlineData("0.0340", "USD", "0.034")]
    [InlineData("12.5000", "JPY", "12.5")]
    [InlineData("1500.0000", "JPY", "1,500")]
    public void FormatPrice_FinerThanMinorUnit_KeepsItsDigitsOnly(string amount, string code, string expected) =>
        Assert.Equal(expected, MoneyText.FormatPrice(decimal.Parse(amount, CultureInfo.InvariantCulture), CurrencyCode.Parse(code)));

    [Fact]
    public void Resolve_MarkedAmounts_FormattedInTheCurrencyOthersUntouched()
    {
        var usd = CurrencyCode.Parse("USD");
        Assert.Equal("billed 39.99 a month; tax 8.875% of 1,000.00", MoneyText.Resolve("billed ⟦39.9900⟧ a month; tax 8.875% of ⟦1000.0000⟧", usd, prices: false));
        Assert.Equal("INV-1#2 (invoices.csv:3) recurring 1,000", MoneyText.Resolve("INV-1#2 (invoices.csv:3) recurring ⟦1000.0000⟧", CurrencyCode.Parse("JPY"), prices: false));
    }

    [Fact]
    public void Resolve_PricesInEvidence_KeepSubCentDigitsButNotTrailingZeros() =>
        Assert.Equal("record R1 billed 0.0093 contract 0.0075, record R2 billed 0.20 contract 0.16",
            MoneyText.Resolve("record R1 billed ⟦0.0093⟧ contract ⟦0.0075⟧, record R2 billed ⟦0.2000⟧ contract ⟦0.1600⟧", CurrencyCode.Parse("USD"), prices: true));

    [Fact]
    public void Resolve_UnclosedOrNonNumericMark_LeavesTheTextReadable()
    {
        var usd = CurrencyCode.Parse("USD");
        Assert.Equal("a ⟦1.5", MoneyText.Resolve("a ⟦1.5", usd, prices: false));
        Assert.Equal("plan abc costs 2.00", MoneyText.Resolve("plan ⟦abc⟧ costs ⟦2⟧", usd, prices: false));
        Assert.Equal("no marks 29.9500", MoneyText.Resolve("no marks 29.9500", usd, prices: false));
    }
}
