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
}
