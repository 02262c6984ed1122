using System.Globalization;
using System.Text;
using Tem.Lake;

namespace Tem.Ingest.Tests.Lake;

/// <summary>
/// Files that grow in place (Asterisk's Master.csv, a carrier re-sending a month with late records), records that come
/// again in another file, files that changed, and a commit a crash interrupted: each row is stored once, repeats are
/// counted, changes are conflicts.
/// </summary>
public sealed class GrowingFileTests
{
    private const string UsageHeader = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id";

    private static string Row(int id, string amount = "0.1000") =>
        string.Create(CultureInfo.InvariantCulture, $"R{id},Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+442079460000,,{amount},INV1\n");

    private static string Rows(int from, int to) => string.Concat(Enumerable.Range(from, to - from + 1).Select(i => Row(i)));

    private static long DistinctIds(ScratchLake lake)
    {
        using var c = lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(DISTINCT record_id) FROM usage";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Ingest_UsageFileGrownInPlace_StoresOnlyTheNewRows_WithTheirOwnLineNumbers()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\n" + Rows(1, 3));
        var first = lake.Ingest(path);
        File.AppendAllText(path, Rows(4, 5) + "R6,Carrier A,ACC1,+447700900001,voice,not a time,60,+44207,,0.1,INV1\n");

        var grown = lake.Ingest(path);

        Assert.Equal(FileOutcome.Stored, grown.Outcome);
        Assert.Equal((3L, 2L, 1L), (grown.RowsRead, grown.RowsStored, grown.RowsRejected));
        Assert.Contains("grown since it was ingested on 2026-11-02 03:00 UTC: read from line 5 on", grown.Message, StringComparison.Ordinal);
        Assert.Equal((5L, 5L), (lake.Count("usage"), DistinctIds(lake)));
        Assert.Equal(2, lake.Count("usage", "(record_id = 'R4' AND source_line = 5) OR (record_id = 'R5' AND source_line = 6)"));
        Assert.Equal(7L, Assert.Single(lake.Rejects()).Line);
        var files = lake.Lake.Catalog.Files();
        Assert.Equal(2, files.Count);
        Assert.Equal((files[0].FileId, 5L), (files[1].AppendedTo, files[1].FromLine));
        Assert.Equal(first.RowsRead + grown.RowsRead, files.Sum(f => f.RowsRead));
    }

    [Fact]
    public void Ingest_GrownTwice_ReadsEachPartOnce()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\n" + Rows(1, 2));
        lake.Ingest(path);
        File.AppendAllText(path, Rows(3, 4));
        Assert.Equal(2, lake.Ingest(path).RowsStored);
        File.AppendAllText(path, Rows(5, 9));
        var third = lake.Ingest(path);
        Assert.Equal((5L, 5L), (third.RowsRead, third.RowsStored));
        Assert.Equal((9L, 9L), (lake.Count("usage"), DistinctIds(lake)));
    }

    [Fact]
    public void Ingest_BigGrownFile_ParallelSlicesStartWhereTheEarlierVersionEnded()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\n" + Rows(1, 1000));
        lake.Ingest(path);
        const int Added = 400_000;

        // Over 32 MiB after the earlier content, so that the new part is split into slices read in parallel.
        using (var w = new StreamWriter(path, append: true, new UTF8Encoding(false)))
        {
            for (var i = 1001; i <= 1000 + Added; i++)
            {
                w.Write(Row(i));
            }
        }

        Assert.True(new FileInfo(path).Length > 34L << 20);
        var grown = lake.Ingest(path, new IngestOptions { Threads = 2 });
        Assert.Equal((Added, (long)Added, 0L), (grown.RowsRead, grown.RowsStored, grown.RowsRejected));
        Assert.Equal((1000L + Added, 1000L + Added), (lake.Count("usage"), DistinctIds(lake)));
        Assert.Equal(1, lake.Count("usage", "record_id = 'R1001' AND source_line = 1002"));
    }

    [Fact]
    public void Ingest_EarlierCopyCutMidLine_ReadsThatLineAgainWhole()
    {
        using var lake = new ScratchLake();
        var whole = UsageHeader + "\n" + Rows(1, 3);
        var cut = whole[..^30];
        var path = lake.Write("usage.csv", cut);
        var first = lake.Ingest(path);
        Assert.Equal((3L, 2L, 1L), (first.RowsRead, first.RowsStored, first.RowsRejected));

        File.WriteAllText(path, whole + Row(4));
        var grown = lake.Ingest(path);

        Assert.Equal((2L, 2L, 0L), (grown.RowsRead, grown.RowsStored, grown.RowsRejected));
        Assert.Contains("read from line 4 on", grown.Message, StringComparison.Ordinal);
        Assert.Equal((4L, 4L), (lake.Count("usage"), DistinctIds(lake)));
    }

    [Fact]
    public void Ingest_EarlierFileWithoutFinalLineBreak_DoesNotStoreItsLastRowTwice()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\n" + Rows(1, 2).TrimEnd('\n'));
        Assert.Equal(2, lake.Ingest(path).RowsStored);

        File.AppendAllText(path, "\n" + Row(3));
        var grown = lake.Ingest(path);

        Assert.Equal((1L, 1L), (grown.RowsRead, grown.RowsStored));
        Assert.Equal((3L, 3L), (lake.Count("usage"), DistinctIds(lake)));
        Assert.Equal(0, grown.Repeats);
    }

    [Fact]
    public void Ingest_AsteriskMasterCsvGrown_StoresOnlyTheNewCalls()
    {
        using var lake = new ScratchLake();
        var options = new IngestOptions { PbxTimeZone = "Europe/London", PbxName = "hq" };
        var fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "Master.csv"));
        var path = lake.Write("Master.csv", fixture);
        Assert.Equal(6, lake.Ingest(path, options).RowsStored);

        File.AppendAllText(path,
            "\"\",\"2001\",\"02079460001\",\"from-internal\",\"\"\"Smith, John\"\" <2001>\",\"SIP/2001-0000000b\",\"SIP/trunk-0000000c\",\"Dial\",\"SIP/trunk/02079460001,60\",\"2026-06-11 09:00:00\",\"2026-06-11 09:00:04\",\"2026-06-11 09:01:04\",64,60,\"ANSWERED\",\"DOCUMENTATION\",\"1781168400.11\",\"\"\n");
        var grown = lake.Ingest(path, options);

        Assert.Equal((1L, 1L, 0L), (grown.RowsRead, grown.RowsStored, grown.RowsRejected));
        Assert.Equal(7, lake.Count("pbx_calls"));
        Assert.Equal(1, lake.Count("pbx_calls", "record_id = '1781168400.11' AND source_line = 7"));
    }

    [Fact]
    public void Ingest_SameRecordInAnotherFile_IsStoredAndCountedAsARepeat()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("october.csv", UsageHeader + "\n" + Rows(1, 3)));

        var resent = lake.Ingest(lake.Write("october-late.csv", UsageHeader + "\n" + Rows(3, 4)));

        Assert.Equal((2L, 1L), (resent.RowsStored, resent.Repeats));
        Assert.Contains("1 record repeats one already in the lake (same carrier and record_id)", resent.Message, StringComparison.Ordinal);
        Assert.Equal(2, lake.Count("usage", "record_id = 'R3'"));
    }

    [Fact]
    public void Ingest_FileChangedInPlace_IsAConflict_AndReplaceSwapsIt()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\n" + Rows(1, 2));
        lake.Ingest(path);
        File.WriteAllText(path, UsageHeader + "\n" + Row(1, "9.9900") + Row(2));

        var conflict = lake.Ingest(path);

        Assert.Equal(FileOutcome.Failed, conflict.Outcome);
        Assert.Equal((0L, 0L), (conflict.RowsRead, conflict.RowsStored));
        Assert.Contains("usage.csv: changed since it was ingested on 2026-11-02 03:00 UTC", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("2 of its 2 records repeat that version's, so nothing was stored", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("--replace", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(0, lake.Count("usage", "billed_amount = 9.99"));

        var replaced = lake.Ingest(path, new IngestOptions { ReplaceChanged = true });

        Assert.Equal((FileOutcome.Stored, 2L, 0L), (replaced.Outcome, replaced.RowsStored, replaced.Repeats));
        Assert.Contains("replaces the version ingested on", replaced.Message, StringComparison.Ordinal);
        Assert.Equal((2L, 1L), (lake.Count("usage"), lake.Count("usage", "billed_amount = 9.99")));
        Assert.Equal([FileState.Superseded, FileState.Active], lake.Lake.Catalog.Files().Select(f => f.State));
    }

    [Fact]
    public void Ingest_CorrectedResaleFile_IsAConflict_AndReplaceSwapsIt()
    {
        using var lake = new ScratchLake();
        const string Header = "reseller_id,customer_id,service_id,period,amount,currency\n";
        var path = lake.Write("resale.csv", Header + "R1,C1,S1,2026-06,45.00,USD\nR1,C1,S2,2026-06,45.00,USD\nR1,C1,S3,2026-06,45.00,USD\n");
        lake.Ingest(path);

        // The reseller's corrected export for the same month: S3 was not billed after all.
        File.WriteAllText(path, Header + "R1,C1,S1,2026-06,45.00,USD\nR1,C1,S2,2026-06,40.00,USD\n");
        var conflict = lake.Ingest(path);

        Assert.Equal(FileOutcome.Failed, conflict.Outcome);
        Assert.Contains("2 of its 2 records repeat that version's, so nothing was stored", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(3L, lake.Count("resale"));

        var replaced = lake.Ingest(path, new IngestOptions { ReplaceChanged = true });

        Assert.Equal(FileOutcome.Stored, replaced.Outcome);
        Assert.Contains("replaces the version ingested on", replaced.Message, StringComparison.Ordinal);
        Assert.Equal((2L, 0L, 1L), (lake.Count("resale"), lake.Count("resale", "service_id = 'S3'"), lake.Count("resale", "amount = 40")));
    }

    [Fact]
    public void Ingest_ResaleLineInAnotherFile_IsStoredAndCountedAsARepeat()
    {
        using var lake = new ScratchLake();
        const string Header = "reseller_id,customer_id,service_id,period,amount,currency\n";
        lake.Ingest(lake.Write("resale-june.csv", Header + "R1,C1,S1,2026-06,45.00,USD\n"));

        var again = lake.Ingest(lake.Write("resale-july-and-june.csv", Header + "R1,C1,S1,2026-07,45.00,USD\nR1,C1,S1,2026-06,45.00,USD\n"));

        Assert.Equal((2L, 1L), (again.RowsStored, again.Repeats));
        Assert.Contains("1 record repeats one already in the lake (same reseller_id and service_id and period)", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_NewContentAtAnEarlierPath_WithNoRecordInCommon_IsIngested()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\n" + Rows(1, 2));
        lake.Ingest(path);

        // A rotated log: the same name now holds new records only.
        File.WriteAllText(path, UsageHeader + "\n" + Rows(3, 4));
        var rotated = lake.Ingest(path);

        Assert.Equal((FileOutcome.Stored, 2L, 0L), (rotated.Outcome, rotated.RowsStored, rotated.Repeats));
        Assert.Equal((4L, 4L), (lake.Count("usage"), DistinctIds(lake)));
    }

    [Fact]
    public void Ingest_AfterACrashMidCommit_TheCompletingRunSaysItCompletedTheFile()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\n" + Rows(1, 3));
        TemLake.AfterCommitRecorded[lake.Lake.Root] = _ => throw new IOException("simulated crash");
        try
        {
            Assert.Throws<IOException>(() => lake.Ingest(path));
        }
        finally
        {
            TemLake.AfterCommitRecorded.TryRemove(lake.Lake.Root, out _);
        }

        lake.Reopen();
        var completed = lake.Ingest(path);
        var again = lake.Ingest(path);

        Assert.Equal((FileOutcome.Stored, 3L, 3L), (completed.Outcome, completed.RowsRead, completed.RowsStored));
        Assert.Contains("usage.csv: usage: read 3 / stored 3 / rejected 0: run run-test read it and died while committing it; this run completed the commit",
            completed.Message, StringComparison.Ordinal);
        Assert.Equal(FileOutcome.AlreadyIngested, again.Outcome);
        Assert.Equal(3, lake.Count("usage"));
    }

    [Fact]
    public void FormatInput_WithTheHashedLength_ReadsNoByteAWriterAddedSince()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("Master.csv", "first line\nsecond line\n");
        var hashed = new FileInfo(path).Length;
        File.AppendAllText(path, "appended while the ingest ran\n");

        using var stream = Tem.Ingest.Formats.FormatInput.Open(path, new IngestOptions { ReadLimit = hashed });
        using var reader = new StreamReader(stream);

        Assert.Equal("first line\nsecond line\n", reader.ReadToEnd());
    }
}
