using System.Text;
using Tem.Ingest.Formats;
using Tem.Ingest.Tests.Lake;
using static Tem.Ingest.Tests.Formats.PbxLake;

namespace Tem.Ingest.Tests.Formats;

/// <summary>
/// Every Asterisk CDR layout in use (cdr_csv with 16, 17, 18, 21 fields, with or without a header line; cdr_custom's default
/// and a declared mapping), legs of one linkedid, and text that is not UTF-8. Fixtures: Formats/Fixtures/asterisk (SOURCES.md).
/// </summary>
public sealed class AsteriskLayoutTests
{
    private static readonly IngestOptions London = new() { PbxTimeZone = "Europe/London", PbxName = "hq" };

    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "asterisk", name));

    public static TheoryData<string, string, int, string?[]> Layouts => new()
    {
        // fixture, format, first data line, record ids
        { "master-16.csv", "asterisk", 1, [null, null] },
        { "master-17.csv", "asterisk", 1, ["1781097725.1", "1781100000.3"] },
        { "master-21.csv", "asterisk", 1, ["1781082000.10#40", "1781082000.10#41", "1781082120.13#42", "1781085600.14#43"] },
        { "master-21-header.csv", "asterisk", 2, ["1781097725.1#7", "1781100000.3#8"] },
        { "cdr-custom-default.csv", "asterisk-custom", 1, ["1781097725.1#7", "1781100000.3#8", "1781104200.5#9"] },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Ingest_EachLayout_StoresEveryCallReadAtItsLine(string fixture, string format, int firstLine, string?[] recordIds)
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("Master.csv", Fixture(fixture)), London);

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal(format, report.Kind);
        BadInputCorpusTests.AssertCounts(lake, report, read: recordIds.Length, stored: recordIds.Length, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);
        Assert.Equal(recordIds, calls.Select(c => c.RecordId));
        Assert.Equal(Enumerable.Range(firstLine, recordIds.Length).Select(l => (long)l), calls.Select(c => c.Line));
        Assert.All(calls, c => Assert.Equal(format, c.SourceFormat));
    }

    [Theory]
    [InlineData("master-16.csv")]
    [InlineData("master-17.csv")]
    [InlineData("master-21-header.csv")]
    [InlineData("cdr-custom-default.csv")]
    public void Ingest_EachLayout_MapsTheSameCallToTheSameValues(string fixture)
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("Master.csv", Fixture(fixture)), London);
        var first = Calls(lake)[0];

        // The same call in every layout: 14:22:05 BST, answered 6 s later, 131 s in all, 125 s of talk.
        Assert.Equal((Utc("2026-06-10 13:22:05"), Utc("2026-06-10 13:22:11"), Utc("2026-06-10 13:24:16")), (first.Start, first.Answer, first.End));
        Assert.Equal((131L, 125L, "answered"), (first.Duration, first.Billsec, first.Disposition));
        Assert.Equal(("2001", "02079460000", "from-internal"), (first.Calling, first.Called, Context(lake)));
        Assert.Equal("sales", Calls(lake)[1].AccountCode);
    }

    [Fact]
    public void Ingest_ModernLegsOfOneLinkedId_AreKeptAsLegsSharingTheirCallId()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("Master.csv", Fixture("master-21.csv")), London);
        var calls = Calls(lake);

        Assert.Equal(["1781082000.10", "1781082000.10", "1781082000.10", "1781085600.14"], calls.Select(c => c.CallId));
        Assert.Equal(["no_answer", "answered", "answered", "busy"], calls.Select(c => c.Disposition));

        using var c = lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT call_id, legs, billsec_s, disposition, start_time FROM pbx_call_groups ORDER BY start_time";
        using var r = cmd.ExecuteReader();
        var groups = new List<(string, long, long, string, DateTimeOffset)>();
        while (r.Read())
        {
            groups.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        }

        // The queue call: rang 2001 (no answer), answered by 2002 at 10:00:12 who talked until 10:03:12 (180 s), and dialled out
        // meanwhile (10:02:04 to 10:03:04): one call of 3 legs, talk from its first answer to its last answered end.
        Assert.Equal(
            [("1781082000.10", 3L, 180L, "answered", Utc("2026-06-10 09:00:00")), ("1781085600.14", 1L, 0L, "busy", Utc("2026-06-10 10:00:00"))],
            groups);
    }

    [Fact]
    public void Ingest_CdrCustomWithDeclaredMapping_ReadsEpochTimesAndFractionsWithoutAZone()
    {
        using var lake = new ScratchLake();
        lake.Write("tem-pbx.json", $$"""{"pbx": "edge", "cdr_custom": {{System.Text.Json.JsonSerializer.Serialize(Fixture("cdr-custom-declared.mapping").Trim())}}}""");
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("cdr-custom-declared.csv")));

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal("asterisk-custom", report.Kind);
        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 2, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);
        Assert.Equal(("edge", "1781097725.1", "1781097725.1"), (calls[0].Pbx, calls[0].RecordId, calls[0].CallId));
        Assert.Equal((Utc("2026-06-10 13:22:05"), Utc("2026-06-10 13:22:11"), Utc("2026-06-10 13:24:16")), (calls[0].Start, calls[0].Answer, calls[0].End));

        // 125.4 s of talk rounds to 125; an answer of epoch 0 is no answer; epoch times carry no zone, so they stay UTC.
        Assert.Equal((131L, 125L, 0), (calls[0].Duration, calls[0].Billsec, calls[0].OffsetMinutes));
        Assert.Null(calls[1].Answer);
        Assert.Equal(("2002", "07700900123", "no_answer"), (calls[1].Calling, calls[1].Called, calls[1].Disposition));
    }

    [Fact]
    public void Ingest_CdrCustomDeclaredMappingWithZone_StoresInstantsInThePbxOffset()
    {
        using var lake = new ScratchLake();
        lake.Write("tem-pbx.json", $$"""{"cdr_custom": {{System.Text.Json.JsonSerializer.Serialize(Fixture("cdr-custom-declared.mapping").Trim())}}}""");
        lake.Ingest(lake.Write("Master.csv", Fixture("cdr-custom-declared.csv")), London);
        var first = Calls(lake)[0];
        Assert.Equal((Utc("2026-06-10 13:22:05"), 60), (first.Start, first.OffsetMinutes));
    }

    [Fact]
    public void Ingest_LatinOneDisplayNameAndAccountCode_AreStoredDecodedAndSaidOncePerFile()
    {
        using var lake = new ScratchLake();
        var latin1 = Encoding.Latin1;
        var bytes = latin1.GetBytes(string.Join('\n',
            "\"Müller\",\"2001\",\"02079460000\",\"from-internal\",\"\"\"Jürgen Groß\"\" <2001>\",\"SIP/2001-01\",\"SIP/trunk-02\",\"Dial\",\"SIP/trunk/02079460000\",\"2026-06-10 14:22:05\",\"2026-06-10 14:22:11\",\"2026-06-10 14:24:16\",131,125,\"ANSWERED\",\"DOCUMENTATION\",\"1781097725.1\",\"\"",
            "\"\",\"2002\",\"02079460001\",\"from-internal\",\"\"\"Reception\"\" <2002>\",\"SIP/2002-03\",\"SIP/trunk-04\",\"Dial\",\"SIP/trunk/02079460001\",\"2026-06-10 15:00:00\",\"\",\"2026-06-10 15:00:30\",30,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1781100000.3\",\"\"",
            "\"\",\"2003\",\"02079460002\",\"from-internal\",\"\"\"François\"\" <2003>\",\"SIP/2003-05\",\"SIP/trunk-06\",\"Dial\",\"SIP/trunk/02079460002\",\"2026-06-10 16:00:00\",\"\",\"2026-06-10 16:00:30\",30,0,\"BUSY\",\"DOCUMENTATION\",\"1781103600.5\",\"\"",
            ""));
        var report = lake.Ingest(lake.Write("Master.csv", bytes), London);

        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 3, rejected: 0, table: "pbx_calls");
        Assert.Equal("Müller", Calls(lake)[0].AccountCode);
        Assert.EndsWith("; 3 text fields were not UTF-8; read as windows-1252", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_DeclaredTextEncoding_DecodesWithIt()
    {
        using var lake = new ScratchLake();
        lake.Write("tem-pbx.json", """{"time_zone": "Europe/London", "text_encoding": "iso-8859-15"}""");

        // 0xA4 is the euro sign in ISO-8859-15 (a currency sign in windows-1252).
        var line = "\"Budget \u20ac\",\"2001\",\"02079460000\",\"from-internal\",\"\",\"SIP/2001-01\",\"SIP/trunk-02\",\"Dial\",\"\",\"2026-06-10 14:22:05\",\"2026-06-10 14:22:11\",\"2026-06-10 14:24:16\",131,125,\"ANSWERED\",\"DOCUMENTATION\",\"1781097725.1\",\"\"\n";
        var report = lake.Ingest(lake.Write("Master.csv", Encoding.Latin1.GetBytes(line.Replace('\u20ac', '\u00a4'))));

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal("Budget \u20ac", Calls(lake)[0].AccountCode);
        Assert.EndsWith("; 1 text field was not UTF-8; read as iso-8859-15", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_BadByteInANumberField_IsRejectedAsBadEncodingNamingTheColumn()
    {
        using var lake = new ScratchLake();
        var good = "\"\",\"2001\",\"02079460000\",\"from-internal\",\"\",\"SIP/2001-01\",\"SIP/trunk-02\",\"Dial\",\"\",\"2026-06-10 14:22:05\",\"2026-06-10 14:22:11\",\"2026-06-10 14:24:16\",131,125,\"ANSWERED\",\"DOCUMENTATION\",\"1781097725.1\",\"\"\n";
        var bad = Encoding.UTF8.GetBytes(good.Replace(",131,", ",13\u0001,", StringComparison.Ordinal).Replace("1781097725.1", "1781097725.2", StringComparison.Ordinal));
        bad[Array.IndexOf(bad, (byte)1)] = 0xB9;
        var bytes = Encoding.UTF8.GetBytes(good).Concat(bad).ToArray();
        var report = lake.Ingest(lake.Write("Master.csv", bytes), London);

        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 1, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((2L, 13, "duration", "bad_encoding"), (reject.Line, reject.Column, reject.ColumnName, reject.Reason));
        Assert.StartsWith("Master.csv:2:13: duration is not valid UTF-8", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sniff_ModernAndCustomShapes_AreClaimedByTheirFormat_ACanonicalPbxCsvIsNot()
    {
        var options = new IngestOptions();
        foreach (var (fixture, format) in new[]
                 {
                     ("master-16.csv", "asterisk"), ("master-21.csv", "asterisk"), ("master-21-header.csv", "asterisk"),
                     ("cdr-custom-default.csv", "asterisk-custom"),
                 })
        {
            var head = FileHead.FromBytes(fixture, Encoding.UTF8.GetBytes(Fixture(fixture)));
            Assert.Equal((fixture, format), (fixture, FormatRegistry.Detect(head, options)?.Format.Name));
        }

        var canonical = FileHead.FromBytes("pbx.csv", "pbx,source_format,record_id,call_id,start_time,duration_s,billsec_s,calling_number,called_number,disposition\n"u8);
        Assert.Null(FormatRegistry.Detect(canonical, options));
    }

    [Fact]
    public void ParseMapping_SampleDefaultLine_IsTheDefaultColumns()
    {
        const string sample = "Master.csv => ${CSV_QUOTE(${CDR(clid)})},${CSV_QUOTE(${CDR(src)})},${CSV_QUOTE(${CDR(dst)})},${CSV_QUOTE(${CDR(dcontext)})}," +
            "${CSV_QUOTE(${CDR(channel)})},${CSV_QUOTE(${CDR(dstchannel)})},${CSV_QUOTE(${CDR(lastapp)})},${CSV_QUOTE(${CDR(lastdata)})}," +
            "${CSV_QUOTE(${CDR(start)})},${CSV_QUOTE(${CDR(answer)})},${CSV_QUOTE(${CDR(end)})},${CSV_QUOTE(${CDR(duration)})}," +
            "${CSV_QUOTE(${CDR(billsec)})},${CSV_QUOTE(${CDR(disposition)})},${CSV_QUOTE(${CDR(amaflags)})},${CSV_QUOTE(${CDR(accountcode)})}," +
            "${CSV_QUOTE(${CDR(uniqueid)})},${CSV_QUOTE(${CDR(userfield)})},${CDR(sequence)}";
        var columns = AsteriskColumns.ParseMapping(sample);
        Assert.Equal(AsteriskColumns.CustomDefault, columns.Select(c => c.Name));
        Assert.All(columns, c => Assert.False(c.Epoch));
    }

    [Fact]
    public void ParseMapping_AdvancedFieldsAndLiterals_KeepPositionsAndEpochQualifiers()
    {
        var columns = AsteriskColumns.ParseMapping("fields = clid,\"Some Literal\",src, start(int64^noquote), uniqueid(noquote), ds_type(uservar), ${EPOCH}");
        Assert.Equal(["clid", null, "src", "start", "uniqueid", null, null], columns.Select(c => c.Name));
        Assert.Equal([false, false, false, true, false, false, false], columns.Select(c => c.Epoch));
        Assert.Throws<FormatException>(() => AsteriskColumns.ParseMapping("clid, src(%FT%T)"));
        Assert.Throws<FormatException>(() => AsteriskColumns.ParseMapping("clid, 12 34"));
    }

    [Fact]
    public void Ingest_MalformedDeclaredMapping_FailsTheFileSayingWhich()
    {
        using var lake = new ScratchLake();
        lake.Write("tem-pbx.json", """{"time_zone": "Europe/London", "cdr_custom": "clid, start(%FT%T)"}""");
        var report = lake.Ingest(lake.Write("Master.csv", Fixture("cdr-custom-default.csv")));

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("\"cdr_custom\": field 2 of the cdr_custom mapping ('start(%FT%T)')", report.Message, StringComparison.Ordinal);
        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 0, rejected: 3, table: "pbx_calls");
    }

    private static string Context(ScratchLake lake)
    {
        using var c = lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT context FROM pbx_calls ORDER BY source_line LIMIT 1";
        return (string)cmd.ExecuteScalar()!;
    }
}
