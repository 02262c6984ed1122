namespace Tem.Core.Tests;

/// <summary>How progress and log times read for people.</summary>
public class WorkProgressTests
{
    [Fact]
    public void LogTimeFormat_OffsetAndFraction_IsUtcToTheSecondWithASpace() =>
        Assert.Equal("2026-12-07 11:34:56Z", LogTime.Format(new DateTimeOffset(2026, 12, 7, 12, 34, 56, 789, TimeSpan.FromHours(1))));

    [Fact]
    public void LogTimeFormat_None_IsADash() => Assert.Equal("-", LogTime.Format((DateTimeOffset?)null));

    [Fact]
    public void ConsoleTimestampFormat_FormatsLikeLogTime()
    {
        var t = new DateTimeOffset(2026, 12, 7, 2, 0, 5, TimeSpan.Zero);
        Assert.Equal(LogTime.Format(t) + " ", t.UtcDateTime.ToString(LogTime.ConsoleTimestampFormat, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(999, "999 B")]
    [InlineData(48_000, "48.0 KB")]
    [InlineData(192_345_678, "192.3 MB")]
    [InlineData(1_200_000_000, "1.2 GB")]
    public void Bytes_ForPeople_PowersOfAThousand(long bytes, string expected) => Assert.Equal(expected, WorkProgress.Bytes(bytes));

    [Fact]
    public void Fraction_UnknownTotal_IsTheShare()
    {
        Assert.Equal(0.25, new WorkProgress(WorkUnit.Bytes, 25, 100, "a").Fraction);
        Assert.Equal(0.5, new WorkProgress(WorkUnit.Files, 7, 0, "a") { Share = 0.5 }.Fraction);
        Assert.Equal(0, new WorkProgress(WorkUnit.Files, 7, 0, "a").Fraction);
    }
}
