using FsCheck.Fluent;

namespace Tem.Core.Tests;

public class RoundingTests
{
    [Theory]
    [InlineData("0.00005", 4, "0.0001")]
    [InlineData("-0.00005", 4, "-0.0001")]
    [InlineData("2.34565", 4, "2.3457")]
    [InlineData("-2.34565", 4, "-2.3457")]
    [InlineData("2.34564999", 4, "2.3456")]
    [InlineData("0.00004999", 4, "0.0000")]
    [InlineData("2.5", 0, "3")]
    [InlineData("-2.5", 0, "-3")]
    [InlineData("1.005", 2, "1.01")]
    [InlineData("12.34", 4, "12.34")]
    public void HalfAwayFromZero_ExplicitCases_MatchSpec(string value, int decimals, string expected)
    {
        var actual = Rounding.HalfAwayFromZero(decimal.Parse(value, CultureInfo.InvariantCulture), decimals);

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), actual);
    }

    [Fact]
    public void HalfAwayFromZero_Midpoint_DiffersFromBankersRounding()
    {
        Assert.Equal(2.3456m, decimal.Round(2.34565m, 4));
        Assert.Equal(2.3457m, Rounding.HalfAwayFromZero(2.34565m, 4));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(29)]
    public void HalfAwayFromZero_DecimalsOutOfRange_Throws(int decimals) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rounding.HalfAwayFromZero(1m, decimals));

    [Fact]
    public void HalfAwayFromZero_AnyValue_IsSymmetric()
    {
        var values = FsCheck.Fluent.ArbMap.Default.ArbFor<decimal>();
        var decimals = Gen.Choose(0, 8).ToArbitrary();

        Properties.Check(Prop.ForAll(values, decimals, (x, d) =>
            Rounding.HalfAwayFromZero(-x, d) == -Rounding.HalfAwayFromZero(x, d)));
    }

    [Fact]
    public void HalfAwayFromZero_FourPlacesMidpoints_RoundAwayFromZero()
    {
        // Every n * 0.00005 with odd n is a midpoint at four places; its magnitude must round up.
        var midpoints = Gen.Choose(-2_000_000, 2_000_000).Select(n => (2 * n) + 1).ToArbitrary();

        Properties.Check(Prop.ForAll(midpoints, n =>
        {
            var x = n * 0.00005m;
            var rounded = Rounding.HalfAwayFromZero(x, 4);
            return rounded == x + (Math.Sign(n) * 0.00005m) && decimal.Abs(rounded) > decimal.Abs(x);
        }));
    }

    [Fact]
    public void HalfAwayFromZero_AnyValue_IsWithinHalfAUnitAndIdempotent()
    {
        var values = FsCheck.Fluent.ArbMap.Default.ArbFor<decimal>();

        Properties.Check(Prop.ForAll(values, x =>
        {
            var rounded = Rounding.HalfAwayFromZero(x, 4);
            return decimal.Abs(rounded - x) <= 0.00005m && Rounding.HalfAwayFromZero(rounded, 4) == rounded;
        }));
    }
}
