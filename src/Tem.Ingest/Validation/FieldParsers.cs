using System.Globalization;
using System.Text;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Validation;

/// <summary>
/// Strict parsers over a field's UTF-8 bytes. Each returns false with a short reason for a person
/// (what was wrong and what was expected). No culture is involved: the formats are fixed by formats.md.
/// </summary>
public static class FieldParsers
{
    /// <summary>Trims ASCII spaces and tabs.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && value[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return value[start..end];
    }

    /// <summary>Decimals the lake keeps of a field: 4 for money (DECIMAL(18,4)), 6 for quantities, 0 for whole numbers.</summary>
    public static int DecimalsKept(FieldType type) => type switch
    {
        FieldType.Money => 4,
        FieldType.Quantity => 6,
        _ => 0,
    };

    /// <summary>
    /// A decimal with <c>.</c>: optional sign, digits, optional fraction of at most <paramref name="maxDecimals"/>
    /// digits, at most 18 digits in all. The value is exact (never through binary floating point).
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> s, int maxDecimals, out decimal value, out string? error)
    {
        value = 0;
        error = null;
        var i = Sign(s, out var negative);
        ulong mantissa = 0;
        var digits = 0;
        var decimals = 0;
        var seenPoint = false;
        var any = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                any = true;
                if (mantissa == 0 && c == (byte)'0' && !seenPoint)
                {
                    continue;
                }

                if (++digits > 18)
                {
                    error = "has more than 18 digits";
                    return false;
                }

                mantissa = (mantissa * 10) + (ulong)(c - '0');
                if (seenPoint)
                {
                    decimals++;
                }

                continue;
            }

            if (c == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }

            error = c == (byte)','
                ? "uses ',' (a decimal comma or thousands separator); expected a number with '.' as the decimal point, e.g. 1.20"
                : "is not a number; expected digits with '.' as the decimal point, e.g. 12.3400";
            return false;
        }

        if (!any)
        {
            error = "is not a number; expected digits with '.' as the decimal point, e.g. 12.3400";
            return false;
        }

        // Trailing zeros beyond the allowed decimals are harmless (1.500000 is 1.5).
        while (decimals > maxDecimals && mantissa % 10 == 0)
        {
            mantissa /= 10;
            decimals--;
        }

        if (decimals > maxDecimals)
        {
            error = $"has {decimals} decimals; at most {maxDecimals} are kept and Tem does not round input";
            return false;
        }

        value = unchecked(new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative && mantissa != 0, (byte)decimals));
        return true;
    }

    /// <summary>A whole number: optional sign and at most 18 digits.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> s, out long value, out string? error)
    {
        value = 0;
        error = null;
        var i = Sign(s, out var negative);
        if (i == s.Length)
        {
            error = "is not a whole number; expected digits, e.g. 125";
            return false;
        }

        if (s.Length - i > 18)
        {
            // All digits and too many of them is an overflow, not a typo: say which.
            error = s[i..].ContainsAnyExceptInRange((byte)'0', (byte)'9')
                ? "is not a whole number; expected digits, e.g. 125"
                : string.Create(CultureInfo.InvariantCulture, $"is out of range: {s.Length - i} digits, and a whole number here has at most 18");
            return false;
        }

        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is < (byte)'0' or > (byte)'9')
            {
                error = c == (byte)'.' ? "has a fraction; expected a whole number, e.g. 125" : "is not a whole number; expected digits, e.g. 125";
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }

    /// <summary><c>YYYY-MM-DD</c>, a real calendar date.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> s, out DateOnly value, out string? error)
    {
        value = default;
        error = null;
        if (s.Length != 10 || s[4] != (byte)'-' || s[7] != (byte)'-' ||
            !Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day))
        {
            error = "is not a date; expected YYYY-MM-DD, e.g. 2026-10-03";
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            error = "is not a real calendar date; expected YYYY-MM-DD, e.g. 2026-10-03";
            return false;
        }

        value = new DateOnly(year, month, day);
        return true;
    }

    /// <summary><c>YYYY-MM</c>.</summary>
    public static bool TryParseMonth(ReadOnlySpan<byte> s, out string? error)
    {
        error = null;
        if (s.Length != 7 || s[4] != (byte)'-' || !Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) ||
            year < 1 || month is < 1 or > 12)
        {
            error = "is not a month; expected YYYY-MM, e.g. 2026-10";
            return false;
        }

        return true;
    }

    /// <summary>
    /// ISO 8601 local date and time with an offset: <c>YYYY-MM-DDTHH:MM:SS[.fffffff](Z|±HH:MM|±HHMM|±HH)</c>
    /// (a space may stand for <c>T</c>). The result keeps the instant and the offset as written.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, out DateTimeOffset value, out string? error)
    {
        value = default;
        error = null;
        if (s.Length < 19)
        {
            error = "is not an ISO 8601 timestamp; expected e.g. 2026-10-03T14:22:05-05:00";
            return false;
        }

        if (!TryParseDate(s[..10], out var date, out var dateError))
        {
            error = s[4] == (byte)'-' && s[7] == (byte)'-'
                ? "has a date part that " + dateError
                : "is not an ISO 8601 timestamp; expected e.g. 2026-10-03T14:22:05-05:00";
            return false;
        }

        if (s[10] is not ((byte)'T' or (byte)'t' or (byte)' ') ||
            s[13] != (byte)':' || s[16] != (byte)':' ||
            !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second) ||
            hour > 23 || minute > 59 || second > 59)
        {
            error = "is not an ISO 8601 timestamp; expected e.g. 2026-10-03T14:22:05-05:00";
            return false;
        }

        var i = 19;
        long ticks = 0;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            var scale = TimeSpan.TicksPerSecond;
            var start = i;
            while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9')
            {
                scale /= 10;
                if (scale == 0)
                {
                    error = "has more than 7 fractional second digits";
                    return false;
                }

                ticks += (s[i] - '0') * scale;
                i++;
            }

            if (i == start)
            {
                error = "is not an ISO 8601 timestamp; expected e.g. 2026-10-03T14:22:05.250-05:00";
                return false;
            }
        }

        TimeSpan offset;
        var rest = s[i..];
        if (rest.Length == 1 && rest[0] is (byte)'Z' or (byte)'z')
        {
            offset = TimeSpan.Zero;
        }
        else if (TryParseOffset(rest, out offset))
        {
            if (offset.Duration() > TimeSpan.FromHours(14))
            {
                error = "has an offset outside -14:00..+14:00";
                return false;
            }
        }
        else
        {
            error = rest.Length == 0
                ? "has no UTC offset, so the instant is unknown; expected an offset or Z, e.g. 2026-10-03T14:22:05-05:00"
                : "has a malformed UTC offset; expected Z or ±HH:MM, e.g. 2026-10-03T14:22:05-05:00";
            return false;
        }

        var local = date.ToDateTime(new TimeOnly(hour, minute, second)).AddTicks(ticks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            error = "is outside the supported range of instants";
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    /// <summary><c>±HH</c>, <c>±HHMM</c> or <c>±HH:MM</c>.</summary>
    private static bool TryParseOffset(ReadOnlySpan<byte> s, out TimeSpan offset)
    {
        offset = default;
        if (s.Length < 3 || s[0] is not ((byte)'+' or (byte)'-') || !Digits(s.Slice(1, 2), out var hours))
        {
            return false;
        }

        var minutes = 0;
        var ok = s.Length switch
        {
            3 => true,
            5 => Digits(s.Slice(3, 2), out minutes),
            6 => s[3] == (byte)':' && Digits(s.Slice(4, 2), out minutes),
            _ => false,
        };
        if (!ok || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (s[0] == (byte)'-')
        {
            offset = -offset;
        }

        return true;
    }

    /// <summary>
    /// A phone number or prefix as a string: an optional leading <c>+</c>, digits, and the separators
    /// space, <c>-</c>, <c>.</c>, <c>(</c>, <c>)</c>. Writes the digits used for rating into
    /// <paramref name="digits"/>: separators removed, a leading <c>+</c> or international <c>00</c> stripped
    /// (as <see cref="Tem.Core.PhoneNumber.Normalize"/> does); leading zeros are otherwise kept.
    /// </summary>
    public static bool TryParsePhone(ReadOnlySpan<byte> s, Span<byte> digits, out int digitCount, out string? error)
    {
        digitCount = 0;
        error = null;
        var plus = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                if (digitCount == digits.Length)
                {
                    error = $"has more than {digits.Length} digits";
                    return false;
                }

                digits[digitCount++] = c;
            }
            else if (c == (byte)'+' && i == 0)
            {
                plus = true;
            }
            else if (c is not ((byte)' ' or (byte)'-' or (byte)'.' or (byte)'(' or (byte)')'))
            {
                error = "is not a phone number; expected digits with an optional leading +, e.g. +442079460000";
                return false;
            }
        }

        if (digitCount == 0)
        {
            error = "has no digits; expected e.g. +442079460000";
            return false;
        }

        if (plus && digits[0] == (byte)'0')
        {
            error = "has a + followed by 0; no country code starts with 0";
            return false;
        }

        // '00' is the international prefix only when a country code (1-9) follows; 000 stays 000.
        if (!plus && digitCount > 2 && digits[0] == (byte)'0' && digits[1] == (byte)'0' && digits[2] != (byte)'0')
        {
            digits[2..digitCount].CopyTo(digits);
            digitCount -= 2;
        }

        return true;
    }

    /// <summary>Three ASCII letters, returned upper case.</summary>
    public static bool TryParseCurrency(ReadOnlySpan<byte> s, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (s.Length != 3 || !IsLetter(s[0]) || !IsLetter(s[1]) || !IsLetter(s[2]))
        {
            error = "is not an ISO 4217 currency code; expected three letters, e.g. USD";
            return false;
        }

        value = Encoding.ASCII.GetString(s).ToUpperInvariant();
        return true;
    }

    /// <summary><c>true</c> or <c>false</c>, any case.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<byte> s, out bool value, out string? error)
    {
        error = null;
        value = false;
        if (Ascii.EqualsIgnoreCase(s, "true"u8))
        {
            value = true;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(s, "false"u8))
        {
            return true;
        }

        error = "is not a boolean; expected true or false";
        return false;
    }

    /// <summary><c>#RRGGBB</c>.</summary>
    public static bool IsColor(ReadOnlySpan<byte> s) => s.Length == 7 && s[0] == (byte)'#' && AllHex(s[1..]);

    private static bool AllHex(ReadOnlySpan<byte> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit((char)c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads an optional leading sign; returns where the digits start.</summary>
    private static int Sign(ReadOnlySpan<byte> s, out bool negative)
    {
        negative = s.Length > 0 && s[0] == (byte)'-';
        return s.Length > 0 && s[0] is (byte)'-' or (byte)'+' ? 1 : 0;
    }

    private static bool IsLetter(byte c) => c is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z');

    private static bool Digits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
