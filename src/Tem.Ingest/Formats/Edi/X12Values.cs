using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats.Edi;

/// <summary>
/// Reads the X12 data element types Tem translates: R (decimal with an explicit point), N2 (2 implied decimals),
/// DT (CCYYMMDD), and the row reject of an element that is not a number.
/// </summary>
internal static class X12Values
{
    /// <summary>The reject of an element that should hold an X12 decimal (quantity: bad_number; otherwise bad_money).</summary>
    public static RowReject NotNumber(int column, string element, string field, string text) =>
        new(column, element, field == "quantity" ? RejectReason.BadNumber : RejectReason.BadMoney,
            $"({field}) '{text}' is not a number; expected an X12 decimal such as 12.5 or -3 (digits, an optional '-' and '.')");

    /// <summary>An optional X12 R element: empty is null.</summary>
    public static bool TryOptionalNumber(ReadOnlySpan<byte> value, out decimal? number)
    {
        number = null;
        if (FieldParsers.Trim(value).IsEmpty)
        {
            return true;
        }

        if (!TryNumber(value, out var parsed))
        {
            return false;
        }

        number = parsed;
        return true;
    }

    /// <summary>An X12 R (decimal) element: optional '-', digits, optional '.'; the point is explicit.</summary>
    public static bool TryNumber(ReadOnlySpan<byte> value, out decimal number)
    {
        value = FieldParsers.Trim(value);
        number = 0;
        if (value.IsEmpty || value[0] == (byte)'+' || value.IndexOf((byte)',') >= 0)
        {
            return false;
        }

        return FieldParsers.TryParseDecimal(value, 10, out number, out _);
    }

    /// <summary>An X12 N2 element: optional '-' and digits with 2 implied decimals (1250 is 12.50).</summary>
    public static bool TryImplied2(ReadOnlySpan<byte> value, out decimal amount, out string? error)
    {
        value = FieldParsers.Trim(value);
        amount = 0;
        error = null;
        var digits = value.Length > 0 && value[0] == (byte)'-' ? value[1..] : value;
        if (digits.IsEmpty || digits.Length > 16 || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            error = digits.IndexOf((byte)'.') >= 0
                ? "has a decimal point, but this element carries 2 implied decimals (X12 N2); expected whole cents, e.g. 1250 for 12.50"
                : "is not an amount in cents; expected digits with 2 implied decimals (X12 N2), e.g. 1250 for 12.50";
            return false;
        }

        var cents = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        amount = new decimal(cents) / 100m;
        if (value[0] == (byte)'-')
        {
            amount = -amount;
        }

        return true;
    }

    /// <summary>An X12 DT element, CCYYMMDD.</summary>
    public static bool TryDate(string text, out DateOnly? date)
    {
        date = null;
        if (DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            date = value;
            return true;
        }

        return false;
    }

    /// <summary>The date as ISO 8601 (<c>2026-10-01</c>), or null.</summary>
    public static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="list"/> holds <paramref name="value"/>, ignoring case (qualifier and level options).</summary>
    public static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (var item in list)
        {
            if (string.Equals(item, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
