namespace Tem.Core;

/// <summary>The rounding used for money throughout Tem.</summary>
public static class Rounding
{
    /// <summary>
    /// Rounds to <paramref name="decimals"/> places, with a midpoint rounded away from zero
    /// (<see cref="MidpointRounding.AwayFromZero"/>): <c>0.00005</c> gives <c>0.0001</c> and <c>-0.00005</c>
    /// gives <c>-0.0001</c> at four places. This is the <c>round_half_away_from_zero(x, 4)</c> of the
    /// rating formula in formats.md, and matches DuckDB's <c>round</c> on <c>DECIMAL</c>.
    /// </summary>
    /// <remarks>Not banker's rounding (the .NET default), which would give <c>2.3456</c> for <c>2.34565</c>.</remarks>
    /// <param name="value">The amount, in any currency (the currency is unchanged by rounding).</param>
    /// <param name="decimals">Places to keep, 0 to 28.</param>
    /// <returns>The rounded value; its scale is at most <paramref name="decimals"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0..28.</exception>
    public static decimal HalfAwayFromZero(decimal value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 28);
        return decimal.Round(value, decimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Rounds to <paramref name="decimals"/> places the way a rate deck says (rates.csv <c>rounding</c>):
    /// <see cref="CostRounding.Middle"/> is <see cref="HalfAwayFromZero"/>, <see cref="CostRounding.Up"/> the ceiling
    /// and <see cref="CostRounding.Down"/> the floor at that many places (<c>0.01231</c> gives <c>0.0124</c> up and
    /// <c>0.0123</c> down at four places).
    /// </summary>
    /// <param name="value">The amount, in any currency.</param>
    /// <param name="decimals">Places to keep, 0 to 28.</param>
    /// <param name="mode">The rounding mode.</param>
    /// <returns>The rounded value; its scale is at most <paramref name="decimals"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0..28, or <paramref name="mode"/> is not a member.</exception>
    public static decimal Round(decimal value, int decimals, CostRounding mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 28);

        // .NET's directed modes (ToPositiveInfinity / ToNegativeInfinity) are ceiling and floor, not midpoint rules.
        return mode switch
        {
            CostRounding.Middle => decimal.Round(value, decimals, MidpointRounding.AwayFromZero),
            CostRounding.Up => decimal.Round(value, decimals, MidpointRounding.ToPositiveInfinity),
            CostRounding.Down => decimal.Round(value, decimals, MidpointRounding.ToNegativeInfinity),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a CostRounding member"),
        };
    }
}
