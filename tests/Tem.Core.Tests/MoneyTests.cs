using FsCheck.Fluent;

namespace Tem.Core.Tests;

public class MoneyTests
{
    private static readonly CurrencyCode Usd = CurrencyCode.Parse("USD");
    private static readonly CurrencyCode Eur = CurrencyCode.Parse("EUR");

    [Fact]
    public void Add_SameCurrency_SumsAmounts()
    {
        Assert.Equal(new Money(12.35m, Usd), new Money(10.10m, Usd) + new Money(2.25m, Usd));
        Assert.Equal(new Money(12.35m, Usd), Money.Add(new Money(10.10m, Usd), new Money(2.25m, Usd)));
    }

    [Fact]
    public void Subtract_SameCurrency_SubtractsAmounts()
    {
        Assert.Equal(new Money(-1.5m, Usd), new Money(1m, Usd) - new Money(2.5m, Usd));
        Assert.Equal(new Money(-1.5m, Usd), Money.Subtract(new Money(1m, Usd), new Money(2.5m, Usd)));
    }

    [Fact]
    public void Add_DifferentCurrencies_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new Money(1m, Usd) + new Money(1m, Eur));
        Assert.Contains("USD", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EUR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Operators_AnyTwoDifferentCurrencies_Throw()
    {
        var letters = Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray());
        var codes = Gen.ArrayOf(letters, 3).Select(c => CurrencyCode.Parse(new string(c)));
        var pairs = codes.Two().Where(p => p.Item1 != p.Item2).ToArbitrary();

        Properties.Check(Prop.ForAll(pairs, p =>
        {
            var a = new Money(1m, p.Item1);
            var b = new Money(1m, p.Item2);
            var add = Record.Exception(() => a + b);
            var subtract = Record.Exception(() => b - a);
            return add is InvalidOperationException && subtract is InvalidOperationException
                && add.Message.Contains(p.Item1.Code, StringComparison.Ordinal)
                && add.Message.Contains(p.Item2.Code, StringComparison.Ordinal);
        }));
    }

    [Theory]
    [InlineData("1.23455", "1.2346")]
    [InlineData("-1.23455", "-1.2346")]
    [InlineData("1.23454", "1.2345")]
    public void Round_DefaultFourPlaces_HalfAwayFromZero(string amount, string expected)
    {
        var rounded = new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), Eur).Round();

        Assert.Equal(new Money(decimal.Parse(expected, CultureInfo.InvariantCulture), Eur), rounded);
    }

    [Fact]
    public void Round_TwoPlaces_KeepsCurrency() =>
        Assert.Equal(new Money(0.13m, Eur), new Money(0.125m, Eur).Round(2));

    [Theory]
    [InlineData("12.34", "12.3400 USD")]
    [InlineData("-0.5", "-0.5000 USD")]
    [InlineData("0", "0.0000 USD")]
    [InlineData("1234567.891234", "1234567.891234 USD")]
    public void ToString_Amount_InvariantWithAtLeastFourDecimals(string amount, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(expected, new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), Usd).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
