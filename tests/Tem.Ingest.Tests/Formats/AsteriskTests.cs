using Tem.Ingest.Tests.Lake;
using static Tem.Ingest.Tests.Formats.PbxLake;

namespace Tem.Ingest.Tests.Formats;

/// <summary>Asterisk cdr_csv Master.csv into pbx_calls: shape, local times in the PBX's zone, DST, dispositions, rejects.</summary>
public sealed class AsteriskTests
{
    private static readonly IngestOptions London = new() { PbxTimeZone = "Europe/London", PbxName = "hq" };

    /// <summary>A cdr_csv line with 18 fields; the times are London local times.</summary>
    internal static string Line(string start, string answer, string end, long duration, long billsec, string disposition = "ANSWERED",
        string dst = "02079460000", string uniqueId = "1781097725.1") =>
        $"\"\",\"2001\",\"{dst}\",\"from-internal\",\"\"\"Smith, John\"\" <2001>\",\"SIP/2001-00000001\",\"SIP/trunk-00000002\",\"Dial\"," +
        $"\"SIP/trunk/{dst},60\",\"{start}\",\"{answer}\",\"{end}\",{duration},{billsec},\"{disposition}\",\"DOCUMENTATION\",\"{uniqueId}\",\"\"";

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", name));

    [Fact]
    public void Ingest_MasterCsvFixture_StoresEveryCallWithInstantsInTheGivenZone()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("Master.csv")), London);

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal("asterisk", report.Kind);
        BadInputCorpusTests.AssertCounts(lake, report, read: 6, stored: 6, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);

        // 14:22:05 in London in June is BST (+01:00).
        var first = calls[0];
        Assert.Equal(("hq", "asterisk", "1781097725.1"), (first.Pbx, first.SourceFormat, first.RecordId));
        Assert.Equal(Utc("2026-06-10 13:22:05"), first.Start);
        Assert.Equal(Utc("2026-06-10 13:22:11"), first.Answer);
        Assert.Equal(Utc("2026-06-10 13:24:16"), first.End);
        Assert.Equal((131L, 125L, "answered"), (first.Duration, first.Billsec, first.Disposition));
        Assert.Equal(("2001", "02079460000", "SIP/2001-00000001", "SIP/trunk-00000002"), (first.Calling, first.Called, first.Channel, first.DstChannel));
        Assert.Equal((60, "2026-06"), (first.OffsetMinutes, first.Month));

        Assert.Equal(["answered", "no_answer", "busy", "answered", "congestion", "failed"], calls.Select(c => c.Disposition));
        Assert.Null(calls[1].Answer);
        Assert.Equal("sales", calls[2].AccountCode);
        Assert.Null(calls[3].RecordId);
        Assert.Equal("s", calls[3].Called);
        Assert.Equal([1L, 2, 3, 4, 5, 6], calls.Select(c => c.Line));
    }

    [Fact]
    public void Ingest_WithoutTimeZone_FailsTheFileRejectingEveryRowWithAHint()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("Master.csv")));

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("--pbx-time-zone", report.Message, StringComparison.Ordinal);
        BadInputCorpusTests.AssertCounts(lake, report, read: 6, stored: 0, rejected: 6, table: "pbx_calls");
        Assert.All(lake.Rejects(), r =>
        {
            Assert.Equal("bad_file", r.Reason);
            Assert.StartsWith($"Master.csv:{r.Line}: file rejected: Master.csv: an Asterisk Master.csv holds local times", r.Message, StringComparison.Ordinal);
        });
        Assert.Equal(Fixture("Master.csv").Split('\n')[2], lake.Rejects()[2].Raw);
    }

    [Fact]
    public void Ingest_SettingsFileNextToTheFile_GivesZoneAndName_OptionsWin()
    {
        using var lake = new ScratchLake();
        lake.Write("tem-pbx.json", """{"pbx": "branch-asterisk", "time_zone": "America/New_York"}""");
        var path = lake.Write("Master.csv", Line("2026-06-10 14:22:05", "2026-06-10 14:22:11", "2026-06-10 14:24:16", 131, 125) + "\n");

        var report = lake.Ingest(path);
        Assert.Equal(FileOutcome.Stored, report.Outcome);
        var call = Assert.Single(Calls(lake));
        Assert.Equal(("branch-asterisk", Utc("2026-06-10 18:22:05")), (call.Pbx, call.Start));

        using var other = new ScratchLake();
        other.Write("tem-pbx.json", """{"pbx": "branch-asterisk", "time_zone": "America/New_York"}""");
        other.Ingest(other.Write("Master.csv", File.ReadAllText(path)), London);
        var overridden = Assert.Single(Calls(other));
        Assert.Equal(("hq", Utc("2026-06-10 13:22:05")), (overridden.Pbx, overridden.Start));
    }

    [Fact]
    public void ExpandPaths_Folder_LeavesOutThePbxSettingsFile()
    {
        using var lake = new ScratchLake();
        lake.Write("tem-pbx.json", "{}");
        var master = lake.Write("Master.csv", Fixture("Master.csv"));
        Assert.Equal([master], Ingestor.ExpandPaths([lake.Inbox]).Select(f => f.Path));
    }

    [Fact]
    public void Ingest_SettingsFileNotJson_FailsNamingIt()
    {
        using var lake = new ScratchLake();
        lake.Write("tem-pbx.json", "time_zone=Europe/London");
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("Master.csv")));
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("tem-pbx.json is not valid JSON", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_UnknownZone_FailsTheFile()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("Master.csv")), new IngestOptions { PbxTimeZone = "GMT+1" });
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("'GMT+1' is not an IANA zone", report.Message, StringComparison.Ordinal);
        Assert.Equal(6, report.RowsRejected);
    }

    [Fact]
    public void Ingest_SemicolonSeparatedFile_IsRecognisedAndFailsWithTheSeparatorHint()
    {
        using var lake = new ScratchLake();
        // As a spreadsheet in a decimal-comma locale saves it: ';' between fields, commas inside quotes kept.
        var inQuotes = false;
        var text = new string([.. Fixture("Master.csv").Select(c =>
        {
            inQuotes ^= c == '"';
            return c == ',' && !inQuotes ? ';' : c;
        })]);
        var report = lake.Ingest(lake.Write("Master.csv", text), London);

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Equal("asterisk", report.Kind);
        Assert.Contains("separated by ';'", report.Message, StringComparison.Ordinal);
        BadInputCorpusTests.AssertCounts(lake, report, read: 6, stored: 0, rejected: 6, table: "pbx_calls");
    }

    public static TheoryData<string, string, int, string, string> BadRows => new()
    {
        // name, line, column, reason, message fragment
        { "15 fields", string.Join(',', Enumerable.Repeat("\"x\"", 15)), 0, "short_row", "15 fields, expected 16 to 21" },
        { "22 fields", Line("2026-06-10 14:22:05", "", "2026-06-10 14:22:35", 30, 0, "NO ANSWER") + ",\"\",\"1781097725.1\",1,\"extra\"", 0, "long_row", "22 fields" },
        { "19 fields, no sequence number last", Line("2026-06-10 14:22:05", "", "2026-06-10 14:22:35", 30, 0, "NO ANSWER") + ",\"extra\"", 19, "bad_number", "sequence 'extra' is not a CDR sequence number" },
        { "bad date", Line("2026-06-31 14:22:05", "", "2026-06-31 14:22:35", 30, 0, "NO ANSWER"), 10, "bad_timestamp", "is not a local time" },
        { "day first", Line("10/06/2026 14:22", "", "2026-06-10 14:22:35", 30, 0, "NO ANSWER"), 10, "bad_timestamp", "expected YYYY-MM-DD HH:MM:SS" },
        { "empty end", Line("2026-06-10 14:22:05", "", "", 30, 0, "NO ANSWER"), 12, "required", "end is empty" },
        { "negative duration", Line("2026-06-10 14:22:05", "", "2026-06-10 14:22:35", -30, 0, "NO ANSWER"), 13, "negative_value", "'-30' is negative" },
        { "unknown disposition", Line("2026-06-10 14:22:05", "", "2026-06-10 14:22:35", 30, 0, "HUNG UP"), 15, "bad_enum", "'HUNG UP' is not an Asterisk disposition" },
        { "spring-forward gap", Line("2026-03-29 01:30:00", "", "2026-03-29 02:31:00", 60, 0, "NO ANSWER"), 10, "nonexistent_time", "never happened in Europe/London" },
        { "overlap, both ambiguous", Line("2026-10-25 01:10:00", "2026-10-25 01:10:05", "2026-10-25 01:20:00", 600, 595), 10, "ambiguous_time", "happened twice in Europe/London" },
        { "unterminated quote", "\"\",\"2001\",\"0207", 3, "unterminated_quote", "never closed" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Ingest_BadRecordBetweenGoodOnes_IsRejectedAtItsSourceLineAndColumn(string name, string bad, int column, string reason, string fragment)
    {
        using var lake = new ScratchLake();
        var good = Line("2026-06-10 14:22:05", "2026-06-10 14:22:11", "2026-06-10 14:24:16", 131, 125);
        var path = lake.Write("Master.csv", $"{good}\n{bad}\n" + (reason == "unterminated_quote" ? string.Empty : $"{good}\n"));
        var report = lake.Ingest(path, London);

        var goodRows = reason == "unterminated_quote" ? 1 : 2;
        BadInputCorpusTests.AssertCounts(lake, report, read: goodRows + 1, stored: goodRows, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((2L, column, reason), (reject.Line, reject.Column, reject.Reason));
        Assert.StartsWith(column > 0 ? $"Master.csv:2:{column}: " : "Master.csv:2: ", reject.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, reject.Message, StringComparison.Ordinal);

        // An open quote swallows the rest of the file, line break included.
        Assert.Equal(reason == "unterminated_quote" ? bad + "\n" : bad, reject.Raw);
        _ = name;
    }

    public static TheoryData<string, string, string, string, long, long, string, string?, string> OverlapResolved => new()
    {
        // name, start, answer, end, duration, billsec -> expected UTC start, answer, end
        { "start before the change, end in the repeated hour (first pass)", "2026-10-25 00:55:00", "", "2026-10-25 01:05:00", 600, 0,
            "2026-10-24 23:55:00", null, "2026-10-25 00:05:00" },
        { "start in the repeated hour (second pass), end after it", "2026-10-25 01:30:00", "", "2026-10-25 02:10:00", 2400, 0,
            "2026-10-25 01:30:00", null, "2026-10-25 02:10:00" },
        { "start in the first pass, end in the second (end reads earlier)", "2026-10-25 01:50:00", "2026-10-25 01:50:10", "2026-10-25 01:10:00", 1200, 1190,
            "2026-10-25 00:50:00", "2026-10-25 00:50:10", "2026-10-25 01:10:00" },
        { "a long call across the change: end - start = duration only one way", "2026-10-25 01:20:00", "", "2026-10-25 01:40:00", 4800, 0,
            "2026-10-25 00:20:00", null, "2026-10-25 01:40:00" },
    };

    [Theory]
    [MemberData(nameof(OverlapResolved))]
    public void Ingest_AutumnOverlapTime_IsResolvedFromTheRecordsOwnArithmetic(
        string name, string start, string answer, string end, long duration, long billsec, string utcStart, string? utcAnswer, string utcEnd)
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("Master.csv", Line(start, answer, end, duration, billsec, answer.Length == 0 ? "NO ANSWER" : "ANSWERED") + "\n"), London);

        Assert.Equal((1L, 0L), (report.RowsStored, report.RowsRejected));
        var call = Assert.Single(Calls(lake));
        Assert.Equal(Utc(utcStart), call.Start);
        Assert.Equal(utcAnswer is null ? null : Utc(utcAnswer), call.Answer);
        Assert.Equal(Utc(utcEnd), call.End);
        _ = name;
    }

    [Fact]
    public void Ingest_FieldTooLongForTheLayout_RejectNamesTheSourceColumnNotTheLayouts()
    {
        using var lake = new ScratchLake();
        var huge = new string('9', 5000);
        var report = lake.Ingest(lake.Write("Master.csv", Line("2026-06-10 14:22:05", "", "2026-06-10 14:22:35", 30, 0, "NO ANSWER", dst: huge) + "\n"), London);

        Assert.Equal(1, report.RowsRejected);
        var reject = Assert.Single(lake.Rejects());

        // dst is the 3rd field of Master.csv (called_number is the layout's 11th).
        Assert.Equal((3, "called_number", "too_long"), (reject.Column, reject.ColumnName, reject.Reason));
        Assert.StartsWith("Master.csv:1:3: called_number is 5000 bytes long", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_SameFileTwice_SecondIsANoOp()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("Master.csv", Fixture("Master.csv"));
        lake.Ingest(path, London);
        var again = lake.Ingest(path, London);
        Assert.Equal(FileOutcome.AlreadyIngested, again.Outcome);
        Assert.Equal(6, lake.Count("pbx_calls"));
    }
}
