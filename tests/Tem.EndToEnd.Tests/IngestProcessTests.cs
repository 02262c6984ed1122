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
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ingest_UnreadableSubfolder_IsReportedAndSkipped_TheRestIsIngested_Exit1()
    {
        // Everyone may enter the scratch folder: tem may run as another user below (see RunUnprivileged).
        var scratch = Path.Combine(_folder, "scratch");
        var inbox = Path.Combine(scratch, "inbox");
        Directory.CreateDirectory(Path.Combine(inbox, "good"));
        Directory.CreateDirectory(Path.Combine(inbox, "locked"));
        const string Usage = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id\n" +
                             "R1,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+442079460000,,0.10,INV1\n";
        File.WriteAllText(Path.Combine(inbox, "good", "usage.csv"), Usage);
        File.WriteAllText(Path.Combine(inbox, "locked", "usage.csv"), Usage.Replace("R1,", "R2,", StringComparison.Ordinal));
        foreach (var dir in (string[])[_folder, scratch, inbox, Path.Combine(inbox, "good")])
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }

        File.SetUnixFileMode(Path.Combine(inbox, "locked"), UnixFileMode.None);
        try
        {
            var (code, output, error) = TemProcess.RunUnprivileged(scratch, "ingest", inbox, "--lake", Path.Combine(scratch, "lake"));

            Assert.True(code == 1, $"exit {code}\n{output}\n{error}");
            Assert.Contains("locked/: the folder cannot be read", error, StringComparison.Ordinal);
            Assert.Contains("its files were not ingested", error, StringComparison.Ordinal);
            Assert.DoesNotContain("UnauthorizedAccessException", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            Assert.Contains("good/usage.csv: usage: read 1 / stored 1 / rejected 0", output, StringComparison.Ordinal);
            Assert.Contains("2 files: read 1 / stored 1 / rejected 0 rows; 1 file failed", output, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(Path.Combine(inbox, "locked"), (UnixFileMode)0b111_000_000);
        }
    }

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
