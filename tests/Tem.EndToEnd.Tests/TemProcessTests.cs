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
    public void Tem_Sql_WritesAndReadsParquetThroughDuckDb()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tem-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "calls.parquet");
            var sql = $"""
                COPY (SELECT '+44' || lpad(range::VARCHAR, 10, '0') AS called, (range / 100)::DECIMAL(18,4) AS amount FROM range(1000))
                  TO '{file}' (FORMAT parquet);
                SELECT count(*) AS n, sum(amount) AS total, min(called) AS first FROM read_parquet('{file}');
                """;
            var (code, output, error) = RunTem("sql", "--format", "csv", sql);
            Assert.True(code == 0, error);
            Assert.Contains("n,total,first", output, StringComparison.Ordinal);
            Assert.Contains("1000,4995.0000,+440000000000", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Tem_UsageError_ExitsTwo()
    {
        var (code, _, error) = RunTem("--no-such-flag");
        Assert.Equal(2, code);
        Assert.Contains("--no-such-flag", error, StringComparison.Ordinal);
    }
}
