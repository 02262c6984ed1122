using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tem.Core;

/// <summary>
/// A calendar month, <c>YYYY-MM</c>, years 0001 to 9999. It has no time zone of its own: it is the month of a
/// local date, e.g. the <c>period_start</c> of an invoice line (see <see cref="FromDate"/>).
/// </summary>
/// <remarks><c>default(BillingMonth)</c> is 0001-01.</remarks>
public readonly record struct BillingMonth : IComparable<BillingMonth>
{
    private const int MaxIndex = (9999 * 12) - 1;

    // Months since 0001-01, so that default(BillingMonth) is a valid month and comparison is one integer compare.
    private readonly int _index;

    private BillingMonth(int index) => _index = index;

    /// <summary>Creates a month.</summary>
    /// <param name="year">The year, 1 to 9999.</param>
    /// <param name="month">The month, 1 to 12.</param>
    /// <exception cref="ArgumentOutOfRangeException">The year or month is out of range.</exception>
    public BillingMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        _index = ((year - 1) * 12) + (month - 1);
    }

    /// <summary>The year, 1 to 9999.</summary>
    public int Year => (_index / 12) + 1;

    /// <summary>The month, 1 (January) to 12 (December).</summary>
    public int Month => (_index % 12) + 1;

    /// <summary>
    /// Months as consecutive runs, for a person: <c>2026-05..10, 2026-12</c>; a run across a year end is written in full
    /// (<c>2025-11..2026-02</c>). Duplicates are ignored; the order of the input does not matter.
    /// </summary>
    /// <param name="months">The months; may be empty (gives an empty string).</param>
    /// <returns>The runs, in time order, separated by <c>", "</c>.</returns>
    public static string Ranges(IEnumerable<BillingMonth> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        var runs = new List<string>();
        var sorted = months.Distinct().Order().ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1]._index == sorted[j]._index + 1)
            {
                j++;
            }

            var (first, last) = (sorted[i], sorted[j]);
            runs.Add(i == j ? first.ToString()
                : first.Year == last.Year ? string.Create(CultureInfo.InvariantCulture, $"{first}..{last.Month:00}")
                : $"{first}..{last}");
            i = j + 1;
        }

        return string.Join(", ", runs);
    }

    /// <summary>The first day of the month.</summary>
    public DateOnly First => new(Year, Month, 1);

    /// <summary>The last day of the month (28 to 31 days after <see cref="First"/>, minus one).</summary>
    public DateOnly Last => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    /// <summary>
    /// The month containing a date. The billing month of an invoice line is <c>FromDate(period_start)</c>;
    /// for an instant, convert it to the account's time zone first.
    /// </summary>
    /// <param name="date">A local calendar date.</param>
    /// <returns>The month of <paramref name="date"/>.</returns>
    public static BillingMonth FromDate(DateOnly date) => new(date.Year, date.Month);

    /// <summary>Parses exactly <c>YYYY-MM</c> (four digits, <c>-</c>, two digits; no white space, no other form).</summary>
    /// <param name="text">The month, e.g. <c>2026-10</c>.</param>
    /// <returns>The month.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a month in that form.</exception>
    public static BillingMonth Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var month)
            ? month
            : throw new FormatException($"'{text}' is not a month, expected YYYY-MM such as 2026-10.");
    }

    /// <summary>Parses exactly <c>YYYY-MM</c> with a year 0001 to 9999 and a month 01 to 12.</summary>
    /// <param name="text">The month; may be null.</param>
    /// <param name="month">The parsed month, or <c>default</c> when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> was a month in that form.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out BillingMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-')
        {
            return false;
        }

        for (var i = 0; i < 7; i++)
        {
            if (i != 4 && !char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        var year = int.Parse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
        var m = int.Parse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (year < 1 || m is < 1 or > 12)
        {
            return false;
        }

        month = new BillingMonth(year, m);
        return true;
    }

    /// <summary>The number of months from <paramref name="start"/> to <paramref name="end"/>: 2026-01 to 2026-04 is 3.</summary>
    /// <param name="start">The earlier month.</param>
    /// <param name="end">The later month.</param>
    /// <returns>The signed difference in months; negative when <paramref name="end"/> is before <paramref name="start"/>.</returns>
    public static int MonthsBetween(BillingMonth start, BillingMonth end) => end._index - start._index;

    /// <summary>Moves by a number of months.</summary>
    /// <param name="months">Months to add; negative to go back.</param>
    /// <returns>The month <paramref name="months"/> later.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The result is outside 0001-01 to 9999-12.</exception>
    public BillingMonth AddMonths(int months)
    {
        var index = (long)_index + months;
        return index is >= 0 and <= MaxIndex
            ? new BillingMonth((int)index)
            : throw new ArgumentOutOfRangeException(nameof(months), months, $"{this} plus {months} months is outside 0001-01 to 9999-12.");
    }

    /// <summary>The following month.</summary>
    /// <returns>The next month.</returns>
    /// <exception cref="ArgumentOutOfRangeException">This is 9999-12.</exception>
    public BillingMonth Next() => AddMonths(1);

    /// <summary>The preceding month.</summary>
    /// <returns>The previous month.</returns>
    /// <exception cref="ArgumentOutOfRangeException">This is 0001-01.</exception>
    public BillingMonth Previous() => AddMonths(-1);

    /// <summary>Orders months chronologically.</summary>
    /// <param name="other">The month to compare with.</param>
    /// <returns>Negative, zero or positive as this month is before, equal to or after <paramref name="other"/>.</returns>
    public int CompareTo(BillingMonth other) => _index.CompareTo(other._index);

    /// <summary>Formats as <c>YYYY-MM</c>, e.g. <c>2026-10</c> (invariant culture).</summary>
    /// <returns>The month.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <summary>Whether <paramref name="left"/> is before <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(BillingMonth left, BillingMonth right) => left._index < right._index;

    /// <summary>Whether <paramref name="left"/> is after <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(BillingMonth left, BillingMonth right) => left._index > right._index;

    /// <summary>Whether <paramref name="left"/> is before or equal to <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(BillingMonth left, BillingMonth right) => left._index <= right._index;

    /// <summary>Whether <paramref name="left"/> is after or equal to <paramref name="right"/>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(BillingMonth left, BillingMonth right) => left._index >= right._index;
}
