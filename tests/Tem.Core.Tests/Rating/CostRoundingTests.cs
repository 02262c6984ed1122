namespace Tem.Core.Tests.Rating;

// Rounding.Round, by hand: 0.00145 and 0.00144 at 4, 3 and 0 places in each mode.
public class CostRoundingTests
{
    [Theory]
    [InlineData("0.00145", 4, CostRounding.Middle, "0.0015")]
    [InlineData("0.00145", 4, CostRounding.Up, "0.0015")]
    [InlineData("0.00145", 4, CostRounding.Down, "0.0014")]
    [InlineData("0.00144", 4, CostRounding.Middle, "0.0014")]
    [InlineData("0.00144", 4, CostRounding.Up, "0.0015")]
    [InlineData("0.00144", 4, CostRounding.Down, "0.0014")]
    [InlineData("0.00145", 3, CostRounding.Middle, "0.001")]
    [InlineData("0.00145", 3, CostRounding.Up, "0.002")]
    [InlineData("0.00145", 3, CostRounding.Down, "0.001")]
    [InlineData("0.0015", 3, CostRounding.Middle, "0.002")]
    [InlineData("2.5", 0, CostRounding.Middle, "3")]
    [InlineData("2.0001", 0, CostRounding.Up, "3")]
    [InlineData("2.9999", 0, CostRounding.Down, "2")]
    [InlineData("0.0120", 2, CostRounding.Up, "0.02")]
    [InlineData("0.0100", 2, CostRounding.Up, "0.01")]
    public void Round_EachMode_RoundsAsNamed(string value, int decimals, CostRounding mode, string expected)
    {
        var result = Rounding.Round(Parse(value), decimals, mode);

        Assert.Equal(Parse(expected), result);
    }

    [Fact]
    public void Round_MiddleAtFourPlaces_IsHalfAwayFromZero()
    {
        foreach (var value in new[] { 0.00005m, 1.23455m, 7.77775m, 0.12344m })
        {
            Assert.Equal(Rounding.HalfAwayFromZero(value, 4), Rounding.Round(value, 4, CostRounding.Middle));
        }
    }

    [Fact]
    public void Round_NegativeDecimals_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rounding.Round(1m, -1, CostRounding.Up));

    private static decimal Parse(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
