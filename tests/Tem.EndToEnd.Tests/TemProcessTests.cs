namespace Tem.EndToEnd.Tests;

/// <summary>Runs the built <c>tem</c> program as a separate process, as a user or a cron job would.</summary>
public sealed class TemProcessTests
{
    private static (int Code, string Out, string Err) RunTem(params string[] args) => TemProcess.Run(args);

    [Fact]
    public void Tem_Version_LoadsTheNativeEngineInAFreshProcess()
    {
        var (code, output, error) = RunTem("version");
        Assert.True(code == 0, error);
        Assert.Contains("duckdb v1.5.6", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tem_Sql_ComputesInDuckDbButWritesNoFileInAFreshProcess()
    {
        using var temp = new TempFolder("tem-e2e");
        var folder = temp.Path;
        var file = Path.Combine(folder, "calls.parquet");
        var (code, output, error) = RunTem("sql", "--format", "csv",
            "SELECT count(*) AS n, sum((range / 100)::DECIMAL(18,4)) AS total, min('+44' || lpad(range::VARCHAR, 10, '0')) AS first FROM range(1000)");
        Assert.True(code == 0, error);
        Assert.Contains("n,total,first", output, StringComparison.Ordinal);
        Assert.Contains("1000,4995.0000,+440000000000", output, StringComparison.Ordinal);

        var copy = RunTem("sql", $"COPY (SELECT 1 AS a) TO '{file}' (FORMAT parquet)");
        Assert.Equal(1, copy.Code);
        Assert.Matches("read-only|Permission Error", copy.Err);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Tem_UsageError_ExitsTwo()
    {
        var (code, _, error) = RunTem("--no-such-flag");
        Assert.Equal(2, code);
        Assert.Contains("--no-such-flag", error, StringComparison.Ordinal);
    }
}
