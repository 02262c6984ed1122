using static Tem.Cli.Tests.Cli;
namespace Tem.Cli.Tests;

public sealed class TemAppTests
{
    [Fact]
    public void Run_Help_ListsCommandsAndExitsZero()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(TemApp.Ok, code);
        Assert.Contains("version", output, StringComparison.Ordinal);
        Assert.Contains("sql", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownCommand_IsUsageErrorTwo()
    {
        var (code, _, error) = Run("frobnicate");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadFormatOption_IsUsageErrorTwo()
    {
        var (code, _, error) = Run("sql", "--format", "xml", "SELECT 1");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("xml", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTemAndDuckDbVersions()
    {
        var (code, output, _) = Run("version");
        Assert.Equal(TemApp.Ok, code);
        Assert.Matches(@"(?m)^tem \S+", output);
        Assert.Matches(@"(?m)^duckdb v1\.5\.6", output);
    }

    [Fact]
    public void Sql_Csv_QuotesAndKeepsExactDecimalsAndLeadingZeros()
    {
        var (code, output, _) = Run("sql", "--format", "csv", "SELECT '0044 20, x' AS called, 12.3400::DECIMAL(18,4) AS amount, NULL AS n");
        Assert.Equal(TemApp.Ok, code);
        Assert.Equal("called,amount,n\n\"0044 20, x\",12.3400,NULL\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Sql_Table_AlignsColumnsAndCountsRows()
    {
        var (code, output, _) = Run("sql", "SELECT range AS n FROM range(3)");
        Assert.Equal(TemApp.Ok, code);
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split('\n');
        Assert.Equal(["n", "-", "0", "1", "2", "(3 rows)"], lines);
    }

    [Fact]
    public void Sql_EngineError_ExitsOneWithDuckDbMessage()
    {
        var (code, _, error) = Run("sql", "SELECT * FROM no_such_table");
        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("no_such_table", error, StringComparison.Ordinal);
        Assert.Contains("Catalog Error", error, StringComparison.Ordinal);
    }
}
