namespace Tem.Core.Tests;

public class SourceLocationTests
{
    [Theory]
    [InlineData("usage.csv", 4812L, 3, "usage.csv:4812:3")]
    [InlineData("usage.csv", 4812L, 0, "usage.csv:4812")]
    [InlineData("usage.csv", 0L, 0, "usage.csv")]
    [InlineData("usage.csv", 0L, 3, "usage.csv")]
    [InlineData("", 7L, 1, "<unknown file>:7:1")]
    [InlineData("data/2026 10/Master.csv", 12345678901L, 18, "data/2026 10/Master.csv:12345678901:18")]
    public void ToString_KnownParts_FileLineColumn(string file, long line, int column, string expected) =>
        Assert.Equal(expected, new SourceLocation(file, line, column).ToString());

    [Fact]
    public void ToString_GermanCulture_StaysInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("usage.csv:1234567:3", new SourceLocation("usage.csv", 1234567, 3).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Constructor_NegativeLineOrColumn_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceLocation("a.csv", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceLocation("a.csv", 1, -1));
    }

    [Fact]
    public void Default_File_IsEmpty() => Assert.Equal(string.Empty, default(SourceLocation).File);
}
