using FsCheck;
using FsCheck.Fluent;

namespace Tem.Core.Tests;

public class BillingMonthTests
{
    private static readonly Arbitrary<BillingMonth> Months =
        Gen.Choose(1, 9999).SelectMany(_ => Gen.Choose(1, 12), (y, m) => new BillingMonth(y, m)).ToArbitrary();

    [Theory]
    [InlineData("2026-10", 2026, 10)]
    [InlineData("0001-01", 1, 1)]
    [InlineData("9999-12", 9999, 12)]
    public void Parse_YearDashMonth_ReadsYearAndMonth(string text, int year, int month)
    {
        var parsed = BillingMonth.Parse(text);

        Assert.Equal(year, parsed.Year);
        Assert.Equal(month, parsed.Month);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-1")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("0000-05")]
    [InlineData("26-10")]
    [InlineData("2026/10")]
    [InlineData("202610")]
    [InlineData(" 2026-10")]
    [InlineData("2026-10 ")]
    [InlineData("2026-10-01")]
    [InlineData("+026-10")]
    [InlineData("2026-1a")]
    [InlineData("２０２６-10")]
    public void TryParse_NotStrictYearDashMonth_ReturnsFalse(string? text) =>
        Assert.False(BillingMonth.TryParse(text, out _));

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheText()
    {
        var ex = Assert.Throws<FormatException>(() => BillingMonth.Parse("Oct 2026"));
        Assert.Contains("'Oct 2026'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10000, 1)]
    [InlineData(2026, 0)]
    [InlineData(2026, 13)]
    public void Constructor_OutOfRange_Throws(int year, int month) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BillingMonth(year, month));

    [Fact]
    public void ToStringAndParse_AnyMonth_RoundTrip() =>
        Properties.Check(Prop.ForAll(Months, m => BillingMonth.Parse(m.ToString()) == m && m.ToString().Length == 7));

    [Fact]
    public void NextAndPrevious_AnyInnerMonth_AreInverses()
    {
        var inner = Months.Filter(m => m != new BillingMonth(1, 1) && m != new BillingMonth(9999, 12));

        Properties.Check(Prop.ForAll(inner, m =>
            m.Next().Previous() == m && m.Previous().Next() == m && m.Next() > m && m.Previous() < m
            && BillingMonth.MonthsBetween(m, m.Next()) == 1));
    }

    [Fact]
    public void AddMonths_AnyMonths_MatchesDateOnlyArithmetic()
    {
        var offsets = Gen.Choose(-1200, 1200).ToArbitrary();
        var months = Gen.Choose(200, 9800).SelectMany(_ => Gen.Choose(1, 12), (y, m) => new BillingMonth(y, m)).ToArbitrary();

        Properties.Check(Prop.ForAll(months, offsets, (m, n) =>
            m.AddMonths(n) == BillingMonth.FromDate(m.First.AddMonths(n))
            && BillingMonth.MonthsBetween(m, m.AddMonths(n)) == n));
    }

    [Fact]
    public void Next_December_RollsOverTheYear() =>
        Assert.Equal(new BillingMonth(2027, 1), new BillingMonth(2026, 12).Next());

    [Fact]
    public void Previous_January_RollsBackTheYear() =>
        Assert.Equal(new BillingMonth(2025, 12), new BillingMonth(2026, 1).Previous());

    [Fact]
    public void NextAndPrevious_AtTheEnds_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BillingMonth(9999, 12).Next());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BillingMonth(1, 1).Previous());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BillingMonth(2026, 1).AddMonths(int.MinValue));
    }

    [Theory]
    [InlineData(2026, 2, "2026-02-01", "2026-02-28")]
    [InlineData(2028, 2, "2028-02-01", "2028-02-29")]
    [InlineData(2026, 12, "2026-12-01", "2026-12-31")]
    [InlineData(2026, 4, "2026-04-01", "2026-04-30")]
    public void FirstAndLast_Month_AreItsFirstAndLastDays(int year, int month, string first, string last)
    {
        var m = new BillingMonth(year, month);

        Assert.Equal(DateOnly.ParseExact(first, "yyyy-MM-dd", CultureInfo.InvariantCulture), m.First);
        Assert.Equal(DateOnly.ParseExact(last, "yyyy-MM-dd", CultureInfo.InvariantCulture), m.Last);
    }

    [Fact]
    public void FromDate_PeriodStart_IsItsMonth()
    {
        Assert.Equal(new BillingMonth(2026, 10), BillingMonth.FromDate(new DateOnly(2026, 10, 31)));
        Assert.Equal(new BillingMonth(2026, 11), BillingMonth.FromDate(new DateOnly(2026, 11, 1)));
    }

    [Fact]
    public void MonthsBetween_AcrossYears_CountsMonths()
    {
        Assert.Equal(3, BillingMonth.MonthsBetween(new BillingMonth(2026, 1), new BillingMonth(2026, 4)));
        Assert.Equal(14, BillingMonth.MonthsBetween(new BillingMonth(2025, 11), new BillingMonth(2027, 1)));
        Assert.Equal(-14, BillingMonth.MonthsBetween(new BillingMonth(2027, 1), new BillingMonth(2025, 11)));
    }

    [Fact]
    public void CompareTo_Months_OrderChronologically()
    {
        var sorted = new[] { new BillingMonth(2026, 1), new BillingMonth(2025, 12), new BillingMonth(2026, 10) }.Order().ToArray();

        Assert.Equal(["2025-12", "2026-01", "2026-10"], sorted.Select(m => m.ToString()));
        Assert.True(new BillingMonth(2025, 12) < new BillingMonth(2026, 1));
        Assert.True(new BillingMonth(2026, 1) <= new BillingMonth(2026, 1));
    }

    [Fact]
    public void Default_Value_IsFirstMonthOfYearOne() => Assert.Equal("0001-01", default(BillingMonth).ToString());
}

public class BillingMonthRangesTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("2026-05", "2026-05")]
    [InlineData("2026-05 2026-06 2026-07 2026-08 2026-09 2026-10", "2026-05..10")]
    [InlineData("2026-10 2026-05 2026-06 2026-06", "2026-05..06, 2026-10")]
    [InlineData("2025-11 2025-12 2026-01 2026-02", "2025-11..2026-02")]
    [InlineData("2026-01 2026-03 2026-05", "2026-01, 2026-03, 2026-05")]
    public void Ranges_Months_ConsecutiveRunsInTimeOrder(string months, string expected)
    {
        var list = months.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(BillingMonth.Parse);

        Assert.Equal(expected, BillingMonth.Ranges(list));
    }
}
