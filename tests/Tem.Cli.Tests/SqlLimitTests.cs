using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>tem sql bounds every statement's memory and time, and streams results instead of holding them.</summary>
public sealed class SqlLimitTests
{
    [Fact]
    public void Sql_StatementOverTheMemoryLimit_FailsClearly_AndTheNextStatementRuns()
    {
        var (code, output, error) = Run("sql", "--memory-limit", "64MB", "--format", "csv",
            "SELECT count(DISTINCT range::VARCHAR || 'abcdefghijklmnop') AS n FROM range(20000000); SELECT 42 AS answer");

        Assert.Equal(1, code);
        Assert.Contains("tem sql: the statement needs more memory than --memory-limit 64MB allows", error, StringComparison.Ordinal);
        Assert.Equal("answer\n42\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Sql_StatementPastTheTimeout_IsStopped_AndTheNextStatementRuns()
    {
        var (code, output, error) = Run("sql", "--timeout", "1", "--format", "csv",
            "SELECT sum(a.range * b.range) AS s FROM range(1000000) a, range(1000000) b; SELECT 7 AS after");

        Assert.Equal(1, code);
        Assert.Contains("tem sql: the statement was stopped after 1 s (--timeout; 0 = no limit)", error, StringComparison.Ordinal);
        Assert.Equal("after\n7\n", output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    public void Sql_NegativeTimeout_IsAUsageError(string timeout)
    {
        var (code, _, error) = Run("sql", "--timeout", timeout, "SELECT 1");
        Assert.Equal(2, code);
        Assert.Contains("--timeout must be 0 (no limit) or a number of seconds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_TableLongerThanTheWidthRows_PrintsEveryRowInTheFirstRowsLayout()
    {
        var (code, output, error) = Run("sql", "SELECT range AS n, CASE WHEN range = 1500 THEN 'a much longer value' ELSE 'x' END AS t FROM range(2500)");

        Assert.True(code == 0, error);
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        // n is a number, so right-aligned in the width of the first 1000 rows (0..999); later, longer numbers overflow it.
        Assert.Equal(["  n  t", "---  -"], lines[..2]);
        Assert.Equal("1500  a much longer value", lines[2 + 1500]);
        Assert.Equal("2499  x", lines[^2]);
        Assert.Equal("(2500 rows)", lines[^1]);
    }

    [Theory]
    [InlineData("sql", "lots")]
    [InlineData("ingest", "1 gigabyte")]
    [InlineData("run", "-1GB")]
    [InlineData("audit", "GB")]
    public void MemoryLimitThatIsNoSize_IsAUsageErrorBeforeAnythingRuns(string command, string limit)
    {
        string[] args = command switch
        {
            "sql" => ["sql", "--memory-limit", limit, "SELECT 1"],
            "ingest" => ["ingest", "missing.csv", "--lake", "no-lake-here", "--memory-limit", limit],
            "run" => ["run", "--inbox", "no-inbox-here", "--lake", "no-lake-here", "--memory-limit", limit],
            _ => ["audit", "--lake", "no-lake-here", "--memory-limit", limit],
        };

        var (code, _, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains($"--memory-limit '{limit}' is not a size such as 1GB or 500MB", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists("no-lake-here"));
    }
}
