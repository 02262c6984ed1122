using System.Diagnostics.CodeAnalysis;

namespace Tem.Core;

/// <summary>
/// A telephone number as a string, never an integer: the text as given is kept in <see cref="Original"/>
/// (with its <c>+</c>, leading zeros and length), and <see cref="Digits"/> is the form used for rating.
/// </summary>
/// <remarks>
/// Accepted text: ASCII digits, at most one <c>+</c> before the first digit, and the separators space, tab,
/// <c>-</c>, <c>.</c>, <c>(</c>, <c>)</c>, which are dropped. Letters and any other character are rejected,
/// as is a <c>+</c> followed by <c>0</c> (no E.164 country code starts with 0).
/// <para>
/// Normalization (formats.md, rating): a leading <c>+</c> or international <c>00</c> prefix is stripped, giving
/// the E.164 digits without <c>+</c>; <c>+44 20 7946 0000</c> and <c>0044 20 7946 0000</c> both give
/// <c>442079460000</c>. <c>00</c> counts as the international prefix only when a country code (1-9) follows,
/// so <c>000</c> (an emergency number) stays <c>000</c>. No other zero is ever removed, so national numbers
/// such as <c>020 7946 0000</c> keep their trunk <c>0</c>; normalization is idempotent.
/// </para>
/// </remarks>
public readonly record struct PhoneNumber
{
    private readonly string? _original;
    private readonly string? _digits;

    private PhoneNumber(string original, string digits)
    {
        _original = original;
        _digits = digits;
    }

    /// <summary>The text exactly as given, including separators; empty only for <c>default(PhoneNumber)</c>.</summary>
    public string Original => _original ?? string.Empty;

    /// <summary>The normalized digits (E.164 without <c>+</c> when the number was international); see the type remarks.</summary>
    public string Digits => _digits ?? string.Empty;

    /// <summary>Parses a phone number.</summary>
    /// <param name="text">The number, e.g. <c>+1 (212) 555-0100</c>.</param>
    /// <returns>The parsed number.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a phone number.</exception>
    public static PhoneNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var number)
            ? number
            : throw new FormatException(
                $"'{text}' is not a phone number, expected digits with an optional leading '+' (separators ' ', '-', '.', '(', ')' allowed).");
    }

    /// <summary>Parses a phone number; see the type remarks for what is accepted.</summary>
    /// <param name="text">The number; may be null.</param>
    /// <param name="number">The parsed number, or <c>default</c> when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> was a phone number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out PhoneNumber number)
    {
        number = default;
        if (text is null)
        {
            return false;
        }

        var plus = false;
        var digitCount = 0;
        Span<char> digits = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[digitCount++] = c;
            }
            else if (c == '+' && !plus && digitCount == 0)
            {
                plus = true;
            }
            else if (c is not (' ' or '\t' or '-' or '.' or '(' or ')'))
            {
                return false;
            }
        }

        if (digitCount == 0 || (plus && digits[0] == '0'))
        {
            return false;
        }

        ReadOnlySpan<char> normalized = digits[..digitCount];
        if (!plus && normalized.Length > 2 && normalized[0] == '0' && normalized[1] == '0' && normalized[2] != '0')
        {
            normalized = normalized[2..];
        }

        number = new PhoneNumber(text, new string(normalized));
        return true;
    }

    /// <summary>
    /// Normalizes a number for rating: separators dropped, a leading <c>+</c> or international <c>00</c> stripped,
    /// digits only (see the type remarks).
    /// </summary>
    /// <param name="text">The number as given.</param>
    /// <returns>The normalized digits, e.g. <c>442079460000</c> for <c>+44 20 7946 0000</c>.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a phone number.</exception>
    public static string Normalize(string text) => Parse(text).Digits;

    /// <summary>Returns <see cref="Original"/>, the text as given.</summary>
    /// <returns>The original text.</returns>
    public override string ToString() => Original;
}
