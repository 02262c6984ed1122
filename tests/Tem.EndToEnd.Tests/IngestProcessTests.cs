namespace Tem.EndToEnd.Tests;

/// <summary>sample-data, ingest and sql as separate processes, as a nightly script would run them.</summary>
public sealed class IngestProcessTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tem-e2e-ingest-" + Guid.NewGuid().ToString("N"));

    public IngestProcessTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Code, string Out, string Err) Tem(params string[] args) => TemProcess.Run(args);

    [Fact]
    public void SampleDataThenIngest_StoresEveryRow_ReingestChangesNothing()
    {
        var data = Path.Combine(_folder, "data");
        var lake = Path.Combine(_folder, "lake");
        var generated = Tem("sample-data", "--out", data, "--services", "40", "--months", "5", "--seed", "3");
        Assert.True(generated.Code == 0, generated.Err);

        var ingest = Tem("ingest", data, "--lake", lake);
        Assert.True(ingest.Code == 0, ingest.Err);
        Assert.Matches(@"usage\.csv: usage: read (\d+) / stored \1 / rejected 0", ingest.Out);
        Assert.Contains("answer_key.csv: skipped", ingest.Out, StringComparison.Ordinal);

        var usageRows = File.ReadLines(Path.Combine(data, "usage.csv")).Count() - 1;
        var count = Tem("sql", "--lake", lake, "--format", "csv", "SELECT count(*) AS n FROM usage");
        Assert.Equal($"n\n{usageRows}\n", count.Out.Replace("\r\n", "\n", StringComparison.Ordinal));

        var again = Tem("ingest", data, "--lake", lake);
        Assert.Equal(0, again.Code);
        Assert.Contains("usage.csv: already ingested", again.Out, StringComparison.Ordinal);
        Assert.Equal(count.Out, Tem("sql", "--lake", lake, "--format", "csv", "SELECT count(*) AS n FROM usage").Out);
    }

    [Fact]
    public void Ingest_FileThatCannotBeRead_ExitsOneNamingIt_OtherFilesStillStored()
    {
        var inbox = Path.Combine(_folder, "inbox");
        Directory.CreateDirectory(inbox);
        File.WriteAllText(Path.Combine(inbox, "a-empty.csv"), string.Empty);
        File.WriteAllText(Path.Combine(inbox, "b-usage.csv"),
            "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id\n" +
            "R1,C,A,S,sms,2026-10-01T10:00:00Z,,+4420,,0.05,I\nR2,C,A,S,sms,2026-10-01T10:00:00,,+4420,,0.05,I\n");
        var result = Tem("ingest", inbox, "--lake", Path.Combine(_folder, "lake"));
        Assert.Equal(1, result.Code);
        Assert.Contains("a-empty.csv: empty file; expected a header row", result.Err, StringComparison.Ordinal);
        Assert.Contains("b-usage.csv: usage: read 2 / stored 1 / rejected 1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_MissingPath_ExitsOne_UnknownKind_ExitsTwo()
    {
        Assert.Equal(1, Tem("ingest", Path.Combine(_folder, "nope.csv"), "--lake", Path.Combine(_folder, "lake")).Code);
        Assert.Equal(2, Tem("ingest", _folder, "--kind", "bogus").Code);
    }
}
