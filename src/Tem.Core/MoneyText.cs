using System.Globalization;
using System.Text;

namespace Tem.Core;

/// <summary>
/// Amounts as a person reads them: in the currency's ISO 4217 minor units (2 decimals for EUR, USD and GBP, 0 for
/// JPY, 3 for KWD and BHD...), rounded half away from zero, with a comma between thousands (invariant culture). Only
/// the display is rounded: the lake, findings.csv, the workbook's cells and <c>--json</c> keep the exact amounts.
/// </summary>
public static class MoneyText
{
    /// <summary>
    /// Opens an amount a rule's text (a finding's detail or evidence) carries before its currency is known: the audit's
    /// <c>tem_money(x)</c> writes <c>⟦x⟧</c> with the exact amount, and <see cref="Resolve"/> formats it once the
    /// finding's currency is known.
    /// </summary>
    public const char Open = '⟦';

    /// <summary>Closes an amount opened by <see cref="Open"/>.</summary>
    public const char Close = '⟧';

    /// <summary>The amount in the currency's minor units: <c>1,234.57</c> (USD), <c>1,235</c> (JPY), <c>1,234.568</c> (KWD).</summary>
    /// <param name="amount">The exact amount, in <paramref name="currency"/>.</param>
    /// <param name="currency">Its currency, whose <see cref="CurrencyCode.MinorDigits"/> decide the decimals.</param>
    /// <returns>The rounded amount with thousands separators, without the currency code.</returns>
    public static string Format(decimal amount, CurrencyCode currency)
    {
        var digits = currency.MinorDigits;
        return Rounding.HalfAwayFromZero(amount, digits).ToString(Pattern(digits), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A price that may be finer than the currency's minor unit (a call rated at 0.0093 USD): in minor units when that
    /// loses nothing (<c>0.2000</c> reads <c>0.20</c>), else with the digits it carries and no trailing zeros
    /// (<c>0.0093</c>), so that evidence never shows a price it does not hold.
    /// </summary>
    /// <param name="amount">The exact amount, in <paramref name="currency"/>.</param>
    /// <param name="currency">Its currency.</param>
    /// <returns>The amount with thousands separators, without the currency code.</returns>
    public static string FormatPrice(decimal amount, CurrencyCode currency)
    {
        var digits = currency.MinorDigits;
        if (Rounding.HalfAwayFromZero(amount, digits) == amount)
        {
            return Format(amount, currency);
        }

        return amount.ToString("#,##0." + new string('0', digits) + new string('#', 28 - digits), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Replaces every amount a rule marked with <c>⟦x⟧</c> (SQL macro <c>tem_money</c>) by its display text in
    /// <paramref name="currency"/>; text without marks is returned as it is.
    /// </summary>
    /// <param name="text">A finding's detail or evidence as the rule wrote it.</param>
    /// <param name="currency">The finding's currency.</param>
    /// <param name="prices">
    /// True for evidence, whose amounts may be single call prices finer than a minor unit (<see cref="FormatPrice"/>);
    /// false for a detail, whose amounts are rounded to the minor unit (<see cref="Format"/>).
    /// </param>
    /// <returns>The text with every marked amount formatted; a mark around anything but a number is left without its brackets.</returns>
    public static string Resolve(string text, CurrencyCode currency, bool prices)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.IndexOf(Open, StringComparison.Ordinal) < 0)
        {
            return text;
        }

        var b = new StringBuilder(text.Length);
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf(Open, at);
            var close = open < 0 ? -1 : text.IndexOf(Close, open + 1);
            if (close < 0)
            {
                b.Append(text, at, text.Length - at);
                break;
            }

            b.Append(text, at, open - at);
            var inner = text.AsSpan(open + 1, close - open - 1);
            if (decimal.TryParse(inner, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                b.Append(prices ? FormatPrice(amount, currency) : Format(amount, currency));
            }
            else
            {
                b.Append(inner);
            }

            at = close + 1;
        }

        return b.ToString();
    }

    private static string Pattern(int digits) => digits == 0 ? "#,##0" : "#,##0." + new string('0', digits);
}
