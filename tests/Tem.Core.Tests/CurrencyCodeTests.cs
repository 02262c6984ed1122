namespace Tem.Core.Tests;

public class CurrencyCodeTests
{
    [Theory]
    [InlineData("USD", "USD")]
    [InlineData("usd", "USD")]
    [InlineData(" eUr\t", "EUR")]
    public void TryParse_ThreeLetters_TrimsAndUpperCases(string text, string expected)
    {
        Assert.True(CurrencyCode.TryParse(text, out var code));
        Assert.Equal(expected, code.Code);
        Assert.Equal(expected, code.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("US")]
    [InlineData("USDX")]
    [InlineData("U5D")]
    [InlineData("US D")]
    [InlineData("ÉUR")]
    [InlineData("$$$")]
    public void TryParse_NotThreeAsciiLetters_ReturnsFalse(string? text)
    {
        Assert.False(CurrencyCode.TryParse(text, out var code));
        Assert.Equal(default, code);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheText()
    {
        var ex = Assert.Throws<FormatException>(() => CurrencyCode.Parse("dollars"));
        Assert.Contains("'dollars'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_DifferentSpellings_AreEqual()
    {
        Assert.Equal(CurrencyCode.Parse("gbp"), CurrencyCode.Parse("GBP"));
        Assert.NotEqual(CurrencyCode.Parse("GBP"), CurrencyCode.Parse("EUR"));
    }

    [Fact]
    public void CompareTo_Codes_OrderAlphabetically()
    {
        var eur = CurrencyCode.Parse("EUR");
        var usd = CurrencyCode.Parse("USD");

        Assert.True(eur < usd);
        Assert.True(usd >= eur);
        Assert.Equal(0, eur.CompareTo(CurrencyCode.Parse("eur")));
    }

    [Fact]
    public void Default_Code_IsEmpty() => Assert.Equal(string.Empty, default(CurrencyCode).Code);

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("CLF", 4)]
    public void MinorUnits_IsoCurrency_IsItsMinorUnitDigits(string code, int digits) =>
        Assert.Equal(digits, CurrencyCode.Parse(code).MinorUnits);

    [Theory]
    [InlineData("USD", "39.9900", "39.99")]
    [InlineData("USD", "0.005", "0.01")]
    [InlineData("EUR", "-2.345", "-2.35")]
    [InlineData("JPY", "1250.5", "1251")]
    [InlineData("KWD", "12.3456", "12.346")]
    public void Format_Amount_RoundsHalfAwayFromZeroToTheMinorUnit(string code, string amount, string shown) =>
        Assert.Equal(shown, CurrencyCode.Parse(code).Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
}
