using System.Globalization;

namespace Tem.Core;

/// <summary>An amount of money in one currency. Amounts of different currencies are never combined.</summary>
/// <param name="Amount">The amount in <paramref name="Currency"/>; negative for credits. Exact decimal, never binary floating point.</param>
/// <param name="Currency">The ISO 4217 currency of <paramref name="Amount"/>.</param>
public readonly record struct Money(decimal Amount, CurrencyCode Currency)
{
    /// <summary>Adds two amounts of the same currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount, in the same currency.</param>
    /// <returns>The sum, unrounded.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    /// <exception cref="OverflowException">The sum is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator +(Money left, Money right)
    {
        RequireSameCurrency(left, right, "add");
        return new Money(left.Amount + right.Amount, left.Currency);
    }

    /// <summary>Subtracts an amount of the same currency.</summary>
    /// <param name="left">The amount to subtract from.</param>
    /// <param name="right">The amount to subtract, in the same currency.</param>
    /// <returns>The difference, unrounded.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    /// <exception cref="OverflowException">The difference is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator -(Money left, Money right)
    {
        RequireSameCurrency(left, right, "subtract");
        return new Money(left.Amount - right.Amount, left.Currency);
    }

    /// <summary>Named alternative to the <c>+</c> operator.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount, in the same currency.</param>
    /// <returns>The sum, unrounded.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static Money Add(Money left, Money right) => left + right;

    /// <summary>Named alternative to the <c>-</c> operator.</summary>
    /// <param name="left">The amount to subtract from.</param>
    /// <param name="right">The amount to subtract, in the same currency.</param>
    /// <returns>The difference, unrounded.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static Money Subtract(Money left, Money right) => left - right;

    /// <summary>Rounds the amount half away from zero (see <see cref="Rounding.HalfAwayFromZero"/>).</summary>
    /// <param name="decimals">Places to keep, 0 to 28; 4 by default, the scale of <c>DECIMAL(18,4)</c> in the lake.</param>
    /// <returns>The rounded amount in the same currency.</returns>
    public Money Round(int decimals = 4) => new(Rounding.HalfAwayFromZero(Amount, decimals), Currency);

    /// <summary>
    /// Formats as the invariant-culture amount with at least four decimals (more if the amount has them,
    /// never rounded), a space and the currency: <c>12.3400 USD</c>, <c>-0.5000 EUR</c>.
    /// </summary>
    /// <returns>The formatted amount.</returns>
    public override string ToString() =>
        Amount.ToString("0.0000########################", CultureInfo.InvariantCulture) + " " + Currency.Code;

    private static void RequireSameCurrency(Money left, Money right, string operation)
    {
        if (left.Currency != right.Currency)
        {
            throw new InvalidOperationException(
                $"Cannot {operation} {left.Currency.Code} and {right.Currency.Code}: amounts in different currencies are never combined.");
        }
    }
}
