using System.Diagnostics.CodeAnalysis;

namespace Tem.Core;

/// <summary>
/// An ISO 4217 alphabetic currency code: exactly three upper-case ASCII letters, e.g. <c>USD</c>.
/// </summary>
/// <remarks>
/// Only the shape is checked, not membership of the ISO list, so a code the list adds later is accepted.
/// <c>default(CurrencyCode)</c> is not a currency: its <see cref="Code"/> is empty.
/// </remarks>
public readonly record struct CurrencyCode : IComparable<CurrencyCode>
{
    private readonly string? _code;

    private CurrencyCode(string code) => _code = code;

    /// <summary>The three upper-case letters; empty only for <c>default(CurrencyCode)</c>.</summary>
    public string Code => _code ?? string.Empty;

    /// <summary>
    /// The decimals of the currency's minor unit in ISO 4217 (list one, amendment of 2024): 2 for most currencies
    /// (EUR, USD, GBP...), 0 for JPY, KRW, CLP and the others without a minor unit in use, 3 for BHD, IQD, JOD, KWD,
    /// LYD, OMR and TND, 4 for the units of account CLF and UYW. A code the table does not list (a newer currency, or a
    /// code ISO gives no minor unit, such as XAU) reads 2.
    /// </summary>
    /// <remarks>
    /// .NET has no ISO 4217 table (<c>NumberFormatInfo.CurrencyDecimalDigits</c> belongs to a culture, not to a
    /// currency, and is empty under invariant globalization), and no served package has one; the list of exceptions
    /// to 2 is short and changes rarely.
    /// </remarks>
    public int MinorDigits => Code switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "ISK" or "JPY" or "KMF" or "KRW" or "PYG" or "RWF" or "UGX" or "UYI" or "VND" or "VUV"
            or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "IQD" or "JOD" or "KWD" or "LYD" or "OMR" or "TND" => 3,
        "CLF" or "UYW" => 4,
        _ => 2,
    };

    /// <summary>Parses a currency code, trimming surrounding white space and upper-casing it.</summary>
    /// <param name="text">The code, e.g. <c>usd</c> or <c> EUR </c>.</param>
    /// <returns>The code in upper case.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not three ASCII letters.</exception>
    public static CurrencyCode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var code)
            ? code
            : throw new FormatException($"'{text}' is not a currency code, expected three letters of ISO 4217 such as USD.");
    }

    /// <summary>
    /// Parses a currency code, trimming surrounding white space and upper-casing it; anything that is not
    /// then exactly three ASCII letters is rejected.
    /// </summary>
    /// <param name="text">The code, e.g. <c>usd</c> or <c> EUR </c>; may be null.</param>
    /// <param name="code">The parsed code, or <c>default</c> when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> was a currency code.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out CurrencyCode code)
    {
        code = default;
        var span = text.AsSpan().Trim();
        if (span.Length != 3)
        {
            return false;
        }

        Span<char> upper = stackalloc char[3];
        for (var i = 0; i < 3; i++)
        {
            var c = span[i];
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }

            upper[i] = char.ToUpperInvariant(c);
        }

        code = new CurrencyCode(new string(upper));
        return true;
    }

    /// <summary>Orders codes alphabetically (ordinal), so per-currency output has a stable order.</summary>
    /// <param name="other">The code to compare with.</param>
    /// <returns>Negative, zero or positive as this code sorts before, with or after <paramref name="other"/>.</returns>
    public int CompareTo(CurrencyCode other) => string.CompareOrdinal(Code, other.Code);

    /// <summary>Returns the three letters, e.g. <c>USD</c>.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => Code;

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(CurrencyCode left, CurrencyCode right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(CurrencyCode left, CurrencyCode right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts before or with <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(CurrencyCode left, CurrencyCode right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after or with <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(CurrencyCode left, CurrencyCode right) => left.CompareTo(right) >= 0;
}
