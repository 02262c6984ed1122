using Tem.Ingest.Formats;
using Tem.Ingest.Tests.Lake;
using static Tem.Ingest.Tests.Formats.PbxLake;

namespace Tem.Ingest.Tests.Formats;

/// <summary>
/// FreeSWITCH mod_cdr_csv (default, example, re-saved, declared templates) and mod_json_cdr (per call, NDJSON, array)
/// into pbx_calls. The fixtures are in Formats/Fixtures/FreeSwitch; SOURCES.md there says which document each follows.
/// </summary>
public sealed class FreeSwitchTests
{
    private const string ALeg = "5f1c7a52-4c1e-4c8a-9d0e-0a1b2c3d4e01";
    private const string BLeg = "5f1c7a52-4c1e-4c8a-9d0e-0a1b2c3d4e02";

    private static readonly IngestOptions Berlin = new() { PbxTimeZone = "Europe/Berlin" };

    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "FreeSwitch", name));

    /// <summary>billed_ms of every stored leg, by record_id.</summary>
    private static Dictionary<string, long?> BilledMs(ScratchLake lake)
    {
        using var c = lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT record_id, billed_ms FROM pbx_calls";
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, long?>();
        while (r.Read())
        {
            map[r.GetString(0)] = r.IsDBNull(1) ? null : r.GetInt64(1);
        }

        return map;
    }

    [Fact]
    public void Ingest_DefaultTemplate_StoresEveryLegWithBerlinInstantsDispositionsAndOneCallIdPerCall()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("default-template.csv")), Berlin);

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal("freeswitch-csv", report.Kind);
        BadInputCorpusTests.AssertCounts(lake, report, read: 7, stored: 7, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);

        // The b-leg (line 1) and its a-leg (line 2, which names it in bleg_uuid) share the a-leg's uuid as call_id.
        Assert.Equal((BLeg, ALeg), (calls[0].RecordId, calls[0].CallId));
        Assert.Equal((ALeg, ALeg), (calls[1].RecordId, calls[1].CallId));
        var a = calls[1];
        Assert.Equal(("freeswitch", "freeswitch-csv"), (a.Pbx, a.SourceFormat));
        Assert.Equal(Utc("2020-02-10 21:41:03"), a.Start);
        Assert.Equal(Utc("2020-02-10 21:41:09"), a.Answer);
        Assert.Equal(Utc("2020-02-10 21:43:15"), a.End);
        Assert.Equal((132L, 126L, 60), (a.Duration, a.Billsec, a.OffsetMinutes));
        Assert.Equal(("1001", "+4930901820", "4711", 16L), (a.Calling, a.Called, a.AccountCode, a.Cause));

        Assert.Equal(["answered", "answered", "no_answer", "busy", "no_answer", "congestion", "failed"], calls.Select(c => c.Disposition));
        Assert.Equal([16L, 16L, 19L, 17L, null, 41L, 1L], calls.Select(c => c.Cause));
        Assert.Null(calls[2].Answer);
        Assert.All(calls.Skip(2), c => Assert.Equal(c.RecordId, c.CallId));
        Assert.All(BilledMs(lake).Values, Assert.Null);
    }

    [Fact]
    public void Ingest_ExampleTemplateAndItsSpreadsheetResave_StoreTheSameCallsToTheMinute()
    {
        using var original = new ScratchLake();
        var report = original.Ingest(original.Write("Master.csv", Fixture("example-template.csv")), Berlin);
        using var resaved = new ScratchLake();
        var again = resaved.Ingest(resaved.Write("Master.csv", Fixture("example-template-resaved.csv")), Berlin);

        Assert.Equal(("freeswitch-csv", "freeswitch-csv"), (report.Kind, again.Kind));
        BadInputCorpusTests.AssertCounts(original, report, read: 2, stored: 2, rejected: 0, table: "pbx_calls");
        BadInputCorpusTests.AssertCounts(resaved, again, read: 2, stored: 2, rejected: 0, table: "pbx_calls");
        var (a, b) = (Calls(original), Calls(resaved));
        Assert.Equal(Utc("2020-02-10 21:41:03"), a[0].Start);
        Assert.Equal(Utc("2020-02-10 21:41:00"), b[0].Start);
        Assert.Equal(Utc("2020-02-10 21:43:00"), b[0].End);
        Assert.Equal(
            a.Select(c => (c.RecordId, c.CallId, c.Duration, c.Billsec, c.Disposition, c.Called, c.AccountCode)),
            b.Select(c => (c.RecordId, c.CallId, c.Duration, c.Billsec, c.Disposition, c.Called, c.AccountCode)));
    }

    [Fact]
    public void Ingest_DeclaredTemplate_ReadsItsColumnsAndKeepsBillmsec()
    {
        using var lake = new ScratchLake();
        lake.Write(PbxSettings.FileName, """
            {"pbx": "fs-lab", "freeswitch_template": "\"${uuid}\",\"${bleg_uuid}\",\"${caller_id_number}\",\"${destination_number}\",\"${start_epoch}\",\"${answer_epoch}\",\"${end_epoch}\",\"${duration}\",\"${billsec}\",\"${billmsec}\",\"${hangup_cause}\",\"${hangup_cause_q850}\",\"${regex(${sip_user_agent}|^(\\w+))}\""}
            """);
        var text = $"\"{ALeg}\",\"{BLeg}\",\"1001\",\"+4930901820\",\"1581370863\",\"1581370869\",\"1581370995\",\"132\",\"126\",\"126126\",\"NORMAL_CLEARING\",\"16\",\"Yealink\"\n" +
                   $"\"{BLeg}\",\"\",\"1001\",\"+4930901820\",\"1581370863\",\"1581370869\",\"1581370995\",\"132\",\"126\",\"125877\",\"NORMAL_CLEARING\",\"16\",\"\"\n";
        var report = lake.Ingest(lake.Write("Master.csv", text));

        Assert.Equal("freeswitch-csv", report.Kind);
        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 2, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);
        Assert.All(calls, c => Assert.Equal(("fs-lab", ALeg), (c.Pbx, c.CallId)));
        Assert.Equal((Utc("2020-02-10 21:41:03"), 0), (calls[0].Start, calls[0].OffsetMinutes));
        Assert.Equal(126126L, BilledMs(lake)[ALeg]);
        Assert.Equal(125877L, BilledMs(lake)[BLeg]);
    }

    [Theory]
    [InlineData("example", 2)]
    [InlineData("sql", 0)]
    public void Ingest_DeclaredTemplateByName_IsFreeSwitchsOwnOrAClearFileError(string name, int stored)
    {
        using var lake = new ScratchLake();
        lake.Write(PbxSettings.FileName, $$"""{"time_zone": "Europe/Berlin", "freeswitch_template": "{{name}}"}""");
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("example-template.csv")), new IngestOptions { Kind = "freeswitch-csv" });

        Assert.Equal(stored, report.RowsStored);
        if (stored == 0)
        {
            Assert.Equal(FileOutcome.Failed, report.Outcome);
            Assert.Contains("'sql' is neither a template", report.Message, StringComparison.Ordinal);
            Assert.Equal(2, report.RowsRejected);
        }
    }

    [Fact]
    public void Ingest_CsvWithoutTimeZone_FailsSayingHowToGiveIt()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("example-template.csv")));

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("no time zone is set for this PBX", report.Message, StringComparison.Ordinal);
        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 0, rejected: 2, table: "pbx_calls");
    }

    public static TheoryData<string, int, string, string, string> BadCsvRows => new()
    {
        // name, column (1-based), new value, reason, message fragment
        { "unknown hangup cause", 10, "HUNG_UP", "bad_enum", "'HUNG_UP' is not a FreeSWITCH hangup cause" },
        { "start not a time", 5, "10/02/2020 22:41", "bad_timestamp", "is not a local time" },
        { "duration not a number", 8, "2m12s", "bad_number", "is not a whole number of seconds" },
        { "negative billsec", 9, "-4", "negative_value", "is not a whole number of seconds" },
        { "end before start", 7, "2020-02-10 22:40:00", "bad_timestamp", "a leg cannot end before it starts" },
        { "spring-forward gap", 5, "2020-03-29 02:30:00", "nonexistent_time", "never happened in Europe/Berlin" },
    };

    [Theory]
    [MemberData(nameof(BadCsvRows))]
    public void Ingest_BadCsvLeg_IsRejectedAtItsLineAndColumn(string name, int column, string value, string reason, string fragment)
    {
        using var lake = new ScratchLake();
        var lines = Fixture("example-template.csv").TrimEnd('\n').Split('\n').ToList();
        var fields = lines[0].Split("\",\"");
        fields[column - 1] = value;
        var bad = string.Join("\",\"", fields);
        var report = lake.Ingest(lake.Write("Master.csv", $"{lines[0]}\n{bad}\n{lines[1]}\n"), Berlin);

        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 2, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((2L, column, reason), (reject.Line, reject.Column, reject.Reason));
        Assert.StartsWith($"Master.csv:2:{column}: ", reject.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, reject.Message, StringComparison.Ordinal);
        _ = name;
    }

    [Fact]
    public void Ingest_CsvLineWithAFieldTooFew_IsAShortRow()
    {
        using var lake = new ScratchLake();
        var lines = Fixture("example-template.csv").TrimEnd('\n').Split('\n');
        var report = lake.Ingest(lake.Write("Master.csv", $"{lines[0]}\n{lines[1][..lines[1].LastIndexOf(',')]}\n"), Berlin);

        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 1, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("short_row", 2L), (reject.Reason, reject.Line));
        Assert.Contains("14 fields, expected 15", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_JsonPerCallFiles_BothLegsStoredUnderTheALegsUuidWithBillmsec()
    {
        using var lake = new ScratchLake();
        var aReport = lake.Ingest(lake.Write($"a_{ALeg}.cdr.json", Fixture($"a_{ALeg}.cdr.json")));
        var bReport = lake.Ingest(lake.Write($"{BLeg}.cdr.json", Fixture($"{BLeg}.cdr.json")));

        Assert.Equal(("freeswitch-json", "freeswitch-json"), (aReport.Kind, bReport.Kind));
        Assert.Equal((1L, 1L, 0L, 0L), (aReport.RowsStored, bReport.RowsStored, aReport.RowsRejected, bReport.RowsRejected));
        var calls = Calls(lake).OrderBy(c => c.RecordId).ToList();
        Assert.Equal([ALeg, BLeg], calls.Select(c => c.RecordId));
        Assert.All(calls, c => Assert.Equal(ALeg, c.CallId));
        var a = calls[0];
        Assert.Equal(("fs1", "+4930901820", "1001", "4711", "192.0.2.10"), (a.Pbx, a.Called, a.Calling, a.AccountCode, a.OrigIp));
        Assert.Equal((Utc("2020-02-10 21:41:03"), Utc("2020-02-10 21:41:09"), Utc("2020-02-10 21:43:15")), (a.Start, a.Answer!.Value, a.End!.Value));
        Assert.Equal((132L, 126L, "answered", 16L, 0), (a.Duration, a.Billsec, a.Disposition, a.Cause, a.OffsetMinutes));
        Assert.Equal((126126L, 125877L), (BilledMs(lake)[ALeg], BilledMs(lake)[BLeg]));
    }

    [Fact]
    public void Ingest_JsonWithTimeZone_StoresLocalOffsets()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write($"a_{ALeg}.cdr.json", Fixture($"a_{ALeg}.cdr.json")), Berlin);

        var call = Assert.Single(Calls(lake));
        Assert.Equal((Utc("2020-02-10 21:41:03"), 60), (call.Start, call.OffsetMinutes));
    }

    [Theory]
    [InlineData("cdr.ndjson", new long[] { 1, 2, 3 })]
    [InlineData("cdr-array.json", new long[] { 2, 64, 98 })]
    public void Ingest_JsonManyDocumentsPerFile_StoresEachLegAtItsDocumentsLine(string fixture, long[] lines)
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write(fixture, Fixture(fixture)));

        Assert.Equal("freeswitch-json", report.Kind);
        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 3, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);
        Assert.Equal(lines, calls.Select(c => c.Line));
        Assert.Equal([ALeg, ALeg, "5f1c7a52-4c1e-4c8a-9d0e-0a1b2c3d4e03"], calls.OrderBy(c => c.RecordId).Select(c => c.CallId));
        var unanswered = calls.Single(c => c.RecordId!.EndsWith("e03", StringComparison.Ordinal));
        Assert.Equal(("no_answer", 19L, 0L, "+4989123456"), (unanswered.Disposition, unanswered.Cause, unanswered.Billsec, unanswered.Called));
        Assert.Null(unanswered.Answer);
    }

    [Theory]
    [InlineData("\"start_epoch\":\"1581372000\"", "\"start_epoch\":\"yesterday\"", "variables.start_epoch", "bad_timestamp", "is not a FreeSWITCH epoch time")]
    [InlineData("\"hangup_cause\":\"NO_ANSWER\"", "\"hangup_cause\":\"GONE\"", "variables.hangup_cause", "bad_enum", "'GONE' is not a FreeSWITCH hangup cause")]
    [InlineData("\"billmsec\":\"0\"", "\"billmsec\":\"-1\"", "variables.billmsec", "negative_value", "milliseconds")]
    [InlineData("\"variables\":{", "\"vars\":{", "variables", "required", "is missing or not an object")]
    public void Ingest_BadJsonDocument_IsRejectedAtItsLineNamingTheField(string from, string to, string field, string reason, string fragment)
    {
        using var lake = new ScratchLake();
        var lines = Fixture("cdr.ndjson").TrimEnd('\n').Split('\n');
        Assert.Contains(from, lines[2], StringComparison.Ordinal);
        lines[2] = lines[2].Replace(from, to, StringComparison.Ordinal);
        var report = lake.Ingest(lake.Write("cdr.ndjson", string.Join('\n', lines) + "\n"));

        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 2, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((3L, field, reason), (reject.Line, reject.ColumnName, reject.Reason));
        Assert.StartsWith($"cdr.ndjson:3: {field} ", reject.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, reject.Message, StringComparison.Ordinal);
        Assert.Equal(lines[2], reject.Raw);
    }

    [Fact]
    public void Ingest_JsonCutOffMidDocument_FailsTheFileAtTheLineWhereItBreaks()
    {
        using var lake = new ScratchLake();
        var text = Fixture("cdr.ndjson");
        var report = lake.Ingest(lake.Write("cdr.ndjson", text[..(text.LastIndexOf("\"duration\"", StringComparison.Ordinal))]));

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("is not valid JSON at line 3", report.Message, StringComparison.Ordinal);
        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 0, rejected: 2, table: "pbx_calls");
    }

    [Theory]
    [InlineData("default-template.csv", "freeswitch-csv")]
    [InlineData("example-template.csv", "freeswitch-csv")]
    [InlineData("example-template-resaved.csv", "freeswitch-csv")]
    [InlineData("cdr.ndjson", "freeswitch-json")]
    [InlineData("cdr-array.json", "freeswitch-json")]
    public void Detect_FreeSwitchFixture_IsClaimedByItsFormat(string fixture, string format)
    {
        var head = FileHead.FromBytes(fixture, System.Text.Encoding.UTF8.GetBytes(Fixture(fixture)));
        Assert.Equal(format, FormatRegistry.Detect(head, new IngestOptions())?.Format.Name);
    }

    [Fact]
    public void Detect_AsteriskMasterCsvAndFreeSwitchsAsteriskTemplate_EachGoToItsOwnReader()
    {
        var asterisk = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "Master.csv"));
        Assert.Equal("asterisk", FormatRegistry.Detect(FileHead.FromBytes("Master.csv", System.Text.Encoding.UTF8.GetBytes(asterisk)), new IngestOptions())?.Format.Name);

        // FreeSWITCH's own "asterisk" template: Asterisk's 18-column shape with a hangup cause and a uuid.
        var line = $"\"4711\",\"1001\",\"+4930901820\",\"default\",\"Alice <1001>\",\"sofia/internal/1001@pbx\",\"sofia/gateway/pstn\",\"bridge\"," +
                   $"\"sofia/gateway/pstn/+4930901820\",\"2020-02-10 22:41:03\",\"2020-02-10 22:41:09\",\"2020-02-10 22:43:15\",\"132\",\"126\"," +
                   $"\"NORMAL_CLEARING\",\"DOCUMENTATION\",\"{ALeg}\",\"\"\n";
        Assert.Equal("freeswitch-csv", FormatRegistry.Detect(FileHead.FromBytes("Master.csv", System.Text.Encoding.UTF8.GetBytes(line)), new IngestOptions())?.Format.Name);
    }

    [Fact]
    public void Ingest_ForcedKindOnAnotherPbxsFile_FailsSayingItIsNotAFreeSwitchLine()
    {
        using var lake = new ScratchLake();
        var asterisk = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "Master.csv"));
        var report = lake.Ingest(lake.Write("Master.csv", asterisk), Berlin with { Kind = "freeswitch-csv" });

        Assert.Equal((FileOutcome.Failed, "freeswitch-csv"), (report.Outcome, report.Kind));
        Assert.Contains("the first line is not a FreeSWITCH cdr_csv line", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, lake.Count("pbx_calls"));
    }

    [Fact]
    public void Templates_BuiltIns_HaveFreeSwitchsColumnCounts()
    {
        Assert.Equal(13, FreeSwitchTemplates.Variables(FreeSwitchTemplates.Default).Count);
        Assert.Equal(15, FreeSwitchTemplates.Variables(FreeSwitchTemplates.Example).Count);
        Assert.Equal("accountcode", FreeSwitchTemplates.Variables(FreeSwitchTemplates.Default)[12]);
        Assert.Equal([null, "uuid"], FreeSwitchTemplates.Variables("\"${regex(${a}|^(\\d+),x)}\",\"${uuid}\""));
    }
}

/// <summary>pbx_calls.billed_ms was added in issue 18: a lake written before it still reads, with NULL there.</summary>
public sealed class PbxBilledMsTests
{
    [Fact]
    public void Query_LakeWhoseFilesPredateBilledMs_ReadsTheColumnAsNull()
    {
        using var lake = new ScratchLake();
        var asterisk = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "Master.csv"));
        lake.Ingest(lake.Write("Master.csv", asterisk), new IngestOptions { PbxTimeZone = "Europe/London" });

        // Rewrite every pbx_calls file as an older Tem wrote it: the same rows without billed_ms.
        var files = Directory.GetFiles(Path.Combine(lake.Lake.Root, "pbx_calls"), "*.parquet", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        using (var db = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            foreach (var file in files)
            {
                using var cmd = db.CreateCommand();
                var older = file + ".older";
                cmd.CommandText = $"COPY (SELECT * EXCLUDE (billed_ms) FROM read_parquet('{file}')) TO '{older}' (FORMAT parquet)";
                cmd.ExecuteNonQuery();
                cmd.CommandText = $"SELECT count(*) FROM parquet_schema('{older}') WHERE name = 'billed_ms'";
                Assert.Equal(0L, Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
                File.Move(older, file, overwrite: true);
            }
        }

        lake.Reopen();
        Assert.Equal(6, lake.Count("pbx_calls"));
        Assert.Equal(6, lake.Count("pbx_calls", "billed_ms IS NULL"));
    }
}

/// <summary>Mutated FreeSWITCH files: the readers never throw, and every record is either translated or rejected.</summary>
public sealed class FreeSwitchFuzzTests
{
    private static readonly byte[] Interesting = "{}[]\":,%\n\r0123456789-/ _ANORMAL"u8.ToArray();

    [Theory]
    [InlineData("cdr.ndjson", "freeswitch-json")]
    [InlineData("cdr-array.json", "freeswitch-json")]
    [InlineData("default-template.csv", "freeswitch-csv")]
    [InlineData("example-template-resaved.csv", "freeswitch-csv")]
    public void Reader_MutatedFile_NeverThrowsAndEveryRecordIsReadOrRejected(string fixture, string format)
    {
        var original = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "FreeSwitch", fixture));
        using var temp = new TempFolder("tem-fs-fuzz");
        var folder = temp.Path;
        var random = new Random(2_020);
        var (translated, rejected) = (0, 0);
        for (var i = 0; i < 300; i++)
        {
            var bytes = original.ToList();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                ByteMutation.MutateOnce(bytes, random, Interesting);
            }

            var path = Path.Combine(folder, fixture);
            File.WriteAllBytes(path, [.. bytes]);
            using var reader = FormatRegistry.ByName(format)!.Open(path, new IngestOptions { PbxTimeZone = "Europe/Berlin" });
            while (reader.Read(out var reject))
            {
                if (reject is null && reader.Problem is null)
                {
                    Assert.Equal(reader.Layout.Fields.Count, reader.Record.FieldCount);
                    translated++;
                }
                else
                {
                    rejected++;
                }
            }
        }

        // Most mutations land in text the readers do not compute on; some break times, numbers or the JSON.
        Assert.True(translated > 0 && rejected > 0, $"translated {translated}, rejected {rejected}");
    }
}
