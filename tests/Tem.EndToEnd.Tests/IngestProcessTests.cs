namespace Tem.EndToEnd.Tests;

/// <summary>sample-data, ingest and sql as separate processes, as a nightly script would run them.</summary>
public sealed class IngestProcessTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-e2e-ingest");

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Out, string Err) Tem(params string[] args) => TemProcess.Run(args);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ingest_UnreadableSubfolder_IsReportedAndSkipped_TheRestIsIngested_Exit1()
    {
        // Everyone may enter the scratch folder: tem may run as another user below (see RunUnprivileged).
        var scratch = _temp.Sub("scratch");
        var inbox = Path.Combine(scratch, "inbox");
        Directory.CreateDirectory(Path.Combine(inbox, "good"));
        Directory.CreateDirectory(Path.Combine(inbox, "locked"));
        const string Usage = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id\n" +
                             "R1,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+442079460000,,0.10,INV1\n";
        File.WriteAllText(Path.Combine(inbox, "good", "usage.csv"), Usage);
        File.WriteAllText(Path.Combine(inbox, "locked", "usage.csv"), Usage.Replace("R1,", "R2,", StringComparison.Ordinal));
        foreach (var dir in (string[])[_temp.Path, scratch, inbox, Path.Combine(inbox, "good")])
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
        var data = _temp.Sub("data");
        var lake = _temp.Sub("lake");
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
        var inbox = _temp.Sub("inbox");
        Directory.CreateDirectory(inbox);
        File.WriteAllText(Path.Combine(inbox, "a-empty.csv"), string.Empty);
        File.WriteAllText(Path.Combine(inbox, "b-usage.csv"),
            "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id\n" +
            "R1,C,A,S,sms,2026-10-01T10:00:00Z,,+4420,,0.05,I\nR2,C,A,S,sms,2026-10-01T10:00:00,,+4420,,0.05,I\n");
        var result = Tem("ingest", inbox, "--lake", _temp.Sub("lake"));
        Assert.Equal(1, result.Code);
        Assert.Contains("a-empty.csv: empty file; expected a header row", result.Err, StringComparison.Ordinal);
        Assert.Contains("b-usage.csv: usage: read 2 / stored 1 / rejected 1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_MissingPath_ExitsOne_UnknownKind_ExitsTwo()
    {
        Assert.Equal(1, Tem("ingest", _temp.Sub("nope.csv"), "--lake", _temp.Sub("lake")).Code);
        Assert.Equal(2, Tem("ingest", _temp.Path, "--kind", "bogus").Code);
    }
}
