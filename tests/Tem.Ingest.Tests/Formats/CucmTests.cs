using Tem.Core;
using Tem.Ingest.Formats;
using Tem.Ingest.Tests.Lake;
using static Tem.Ingest.Tests.Formats.PbxLake;

namespace Tem.Ingest.Tests.Formats;

/// <summary>Cisco CUCM CDR flat files into pbx_calls; CMR files skipped.</summary>
public sealed class CucmTests
{
    private const string FileName = "cdr_StandAloneCluster_01_202606101400_12345";

    /// <summary>
    /// A CUCM file in the full 12.5-15 column order: quoted names, the types line, then one row per leg where every
    /// column not given is CUCM's empty value (0 for INTEGER, "" for text).
    /// </summary>
    internal static string File(IReadOnlyList<(string Name, string Type)> columns, params Dictionary<string, string>[] rows)
    {
        var lines = new List<string>
        {
            string.Join(',', columns.Select(c => $"\"{c.Name}\"")),
            string.Join(',', columns.Select(c => c.Type)),
        };
        foreach (var row in rows)
        {
            lines.Add(string.Join(',', columns.Select(c => row.TryGetValue(c.Name, out var v)
                ? c.Type == "INTEGER" ? v : $"\"{v}\""
                : c.Type == "INTEGER" ? "0" : "\"\"")));
        }

        return string.Join("\r\n", lines) + "\r\n";
    }

    /// <summary>An answered outbound leg: 2026-06-10 13:22:05Z, connected 6 s later, 125 s of talk.</summary>
    internal static Dictionary<string, string> Answered() => new()
    {
        ["cdrRecordType"] = "1", ["globalCallID_callManagerId"] = "1", ["globalCallID_callId"] = "101001",
        ["dateTimeOrigination"] = "1781097725", ["dateTimeConnect"] = "1781097731", ["dateTimeDisconnect"] = "1781097856",
        ["callingPartyNumber"] = "2001", ["originalCalledPartyNumber"] = "902079460000", ["finalCalledPartyNumber"] = "902079460000",
        ["outpulsedCalledPartyNumber"] = "+442079460000", ["duration"] = "125", ["origIpAddr"] = "-1139627840", ["destIpAddr"] = "991078592",
        ["destCause_value"] = "16", ["origDeviceName"] = "SEP001122334455", ["destDeviceName"] = "SIPTrunk-PSTN",
        ["pkid"] = "6a9d2b6e-1c3f-4b7e-9a52-0f4c7d2e8b11", ["globalCallId_ClusterID"] = "StandAloneCluster", ["clientMatterCode"] = "4711",
    };

    [Fact]
    public void CdrColumns_FullReleaseList_Has133UniqueColumns() =>
        Assert.Equal(133, CucmColumns.Cdr.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());

    [Fact]
    public void Ingest_CdrFile_StoresLegsWithUtcTimesDecodedIpsAndDispositions()
    {
        using var lake = new ScratchLake();
        var unanswered = Answered();
        unanswered["globalCallID_callId"] = "101002";
        unanswered["dateTimeConnect"] = "0";
        unanswered["duration"] = "0";
        unanswered["dateTimeDisconnect"] = "1781097745";
        unanswered["destCause_value"] = "0";
        unanswered["origCause_value"] = "16";
        var busy = Answered();
        busy["dateTimeConnect"] = "0";
        busy["duration"] = "0";
        busy["dateTimeDisconnect"] = "1781097727";
        busy["destCause_value"] = "17";
        busy["origIpv4v6Addr"] = "2001:db8::7";

        var report = lake.Ingest(lake.Write(FileName, File(CucmColumns.Cdr, Answered(), unanswered, busy)));

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal("cucm-cdr", report.Kind);
        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 3, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);
        var first = calls[0];
        Assert.Equal(("StandAloneCluster", "cucm-cdr", "1/101001"), (first.Pbx, first.SourceFormat, first.CallId));
        Assert.Equal(Utc("2026-06-10 13:22:05"), first.Start);
        Assert.Equal(Utc("2026-06-10 13:22:11"), first.Answer);
        Assert.Equal(Utc("2026-06-10 13:24:16"), first.End);
        Assert.Equal((131L, 125L, "answered"), (first.Duration, first.Billsec, first.Disposition));
        Assert.Equal(("+442079460000", "902079460000"), (first.Called, first.OriginalCalled));
        Assert.Equal(("192.168.18.188", "192.168.18.59"), (first.OrigIp, first.DestIp));
        Assert.Equal(("SEP001122334455", "SIPTrunk-PSTN", "4711"), (first.Channel, first.DstChannel, first.AccountCode));
        Assert.Equal((0, 3L), (first.OffsetMinutes, first.Line));

        Assert.Null(calls[1].Answer);
        Assert.Equal((20L, 0L, "no_answer", 16L), (calls[1].Duration, calls[1].Billsec, calls[1].Disposition, calls[1].Cause));
        Assert.Equal(("busy", "2001:db8::7"), (calls[2].Disposition, calls[2].OrigIp));
    }

    [Fact]
    public void Ingest_ColumnsInAnotherOrder_HeaderNamesDecideTheMapping()
    {
        using var inOrder = new ScratchLake();
        inOrder.Ingest(inOrder.Write(FileName, File(CucmColumns.Cdr, Answered())));
        using var reversed = new ScratchLake();
        var report = reversed.Ingest(reversed.Write(FileName, File([.. CucmColumns.Cdr.Reverse()], Answered())));

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal(Calls(inOrder).Single(), Calls(reversed).Single());
    }

    [Fact]
    public void Ingest_OlderReleaseWithFewerColumns_IsReadByName()
    {
        using var lake = new ScratchLake();
        var release10 = CucmColumns.Cdr.Take(CucmColumns.Cdr.ToList().FindIndex(c => c.Name == "mobileCallType") + 1).ToList();
        var report = lake.Ingest(lake.Write(FileName, File(release10, Answered())));
        Assert.Equal((1L, 0L), (report.RowsStored, report.RowsRejected));
    }

    /// <summary>
    /// A file as a collector or a spreadsheet leaves it: the names line only, the types line stripped. The column sets
    /// are those of CucmColumns.Releases (Cisco's Call Detail Records Administration Guide, CDR field descriptions,
    /// fields added per release).
    /// </summary>
    internal static string NamesOnly(IReadOnlyList<(string Name, string Type)> columns, params Dictionary<string, string>[] rows)
    {
        var lines = File(columns, rows).Split("\r\n").ToList();
        lines.RemoveAt(1);
        return string.Join("\r\n", lines);
    }

    [Theory]
    [InlineData("8.0", 103)]
    [InlineData("8.5/8.6", 104)]
    [InlineData("10.x", 125)]
    [InlineData("11.x", 129)]
    [InlineData("12.5-15", 133)]
    public void Ingest_NamesOnlyHeaderOfARelease_StoresEveryLegWithTheFirstDataLineIncluded(string release, int columns)
    {
        using var lake = new ScratchLake();
        var set = CucmColumns.OfRelease(release);
        Assert.Equal(columns, set.Count);
        Assert.Equal(release, CucmColumns.Release(set.Select(c => c.Name)));
        var second = Answered();
        second["globalCallID_callId"] = "101002";
        var report = lake.Ingest(lake.Write(FileName, NamesOnly(set, Answered(), second)));

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 2, rejected: 0, table: "pbx_calls");
        var calls = Calls(lake);
        Assert.Equal([2L, 3L], calls.Select(c => c.Line));
        Assert.Equal(["1/101001", "1/101002"], calls.Select(c => c.CallId));
        Assert.Equal((Utc("2026-06-10 13:22:05"), 125L, "answered"), (calls[0].Start, calls[0].Billsec, calls[0].Disposition));
    }

    [Fact]
    public void Ingest_NamesOnlyTenWithTwoColumnsFewer_IsReadByName()
    {
        // The CUCM 10.5 file had 123 columns, two fewer than the 10.x set; columns Tem does not need may be absent.
        using var lake = new ScratchLake();
        var columns = CucmColumns.OfRelease("10.x").Where(c => c.Name is not ("IncomingICID" or "OutgoingICID")).ToList();
        Assert.Equal(123, columns.Count);
        var report = lake.Ingest(lake.Write(FileName, NamesOnly(columns, Answered(), Answered())));

        Assert.Equal((2L, 0L), (report.RowsStored, report.RowsRejected));
    }

    [Fact]
    public void Ingest_NamesOnlyAndBothHeaderLines_StoreTheSameCalls()
    {
        using var both = new ScratchLake();
        both.Ingest(both.Write(FileName, File(CucmColumns.OfRelease("10.x"), Answered())));
        using var namesOnly = new ScratchLake();
        namesOnly.Ingest(namesOnly.Write(FileName, NamesOnly(CucmColumns.OfRelease("10.x"), Answered())));

        var (a, b) = (Calls(both).Single(), Calls(namesOnly).Single());
        Assert.Equal(a with { Line = 0 }, b with { Line = 0 });
        Assert.Equal((3L, 2L), (a.Line, b.Line));
    }

    [Fact]
    public void Ingest_NamesOnlyWithUnknownExtraColumns_IgnoresThem()
    {
        using var lake = new ScratchLake();
        List<(string Name, string Type)> columns = [.. CucmColumns.OfRelease("12.5-15"), ("someFutureColumn", "VARCHAR(50)"), ("anotherOne", "INTEGER")];
        var row = Answered();
        row["someFutureColumn"] = "x";
        var report = lake.Ingest(lake.Write(FileName, NamesOnly(columns, row)));

        Assert.Equal((1L, 0L), (report.RowsStored, report.RowsRejected));
    }

    [Fact]
    public void Ingest_NamesOnlyWithoutAColumnTemNeeds_FailsNamingItAndTheRelease()
    {
        using var lake = new ScratchLake();
        var columns = CucmColumns.OfRelease("11.x").Where(c => c.Name != "dateTimeDisconnect").ToList();
        var report = lake.Ingest(lake.Write(FileName, NamesOnly(columns, Answered(), Answered())));

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("no 'dateTimeDisconnect' column (its other columns are those of CUCM 11.x)", report.Message, StringComparison.Ordinal);
        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 0, rejected: 2, table: "pbx_calls");
        Assert.All(lake.Rejects(), r => Assert.Equal("missing_column", r.Reason));
    }

    [Fact]
    public void Ingest_DamagedTypesLine_FailsTheFileAndRejectsEveryLineAfterTheNames()
    {
        using var lake = new ScratchLake();
        var lines = File(CucmColumns.Cdr, Answered(), Answered()).Split("\r\n").ToList();
        lines[1] = string.Join(',', lines[1].Split(',').Take(100));
        var report = lake.Ingest(lake.Write(FileName, string.Join("\r\n", lines)));

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains($"{FileName}:2: line 2 is a damaged line of column types", report.Message, StringComparison.Ordinal);
        Assert.Contains("100 of its 100 fields are type names, for 133 names", report.Message, StringComparison.Ordinal);
        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 0, rejected: 3, table: "pbx_calls");
        Assert.Equal([2L, 3L, 4L], lake.Rejects().Select(r => r.Line));
    }

    [Fact]
    public void Ingest_NamesOnlyBadLeg_IsRejectedAtItsLineAndColumn()
    {
        using var lake = new ScratchLake();
        var bad = Answered();
        bad["dateTimeOrigination"] = "yesterday";
        var columns = CucmColumns.OfRelease("10.x");
        var report = lake.Ingest(lake.Write(FileName, NamesOnly(columns, Answered(), bad)));

        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 1, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((3L, 5, "bad_timestamp"), (reject.Line, reject.Column, reject.Reason));
        Assert.StartsWith($"{FileName}:3:5: dateTimeOrigination ", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Releases_AddUpToTheFullColumnList()
    {
        Assert.Equal([78, 16, 9, 1, 6, 15, 4, 4], CucmColumns.Releases.Select(r => r.Added.Count));
        Assert.Equal(
            CucmColumns.Cdr.Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase),
            CucmColumns.Releases.SelectMany(r => r.Added).Order(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        Assert.Null(CucmColumns.Release(["cdrRecordType", "globalCallID_callId"]));
        Assert.Equal("INTEGER", CucmColumns.TypeOf("duration"));
        Assert.Null(CucmColumns.TypeOf("someFutureColumn"));
    }

    [Fact]
    public void Ingest_RequiredColumnMissing_FailsAsMissingColumn()
    {
        using var lake = new ScratchLake();
        var columns = CucmColumns.Cdr.Where(c => c.Name != "dateTimeConnect").ToList();
        var report = lake.Ingest(lake.Write(FileName, File(columns, Answered())));

        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("no 'dateTimeConnect' column", report.Message, StringComparison.Ordinal);
        Assert.Equal("missing_column", Assert.Single(lake.Rejects()).Reason);
    }

    [Fact]
    public void Ingest_CmrFile_IsSkippedNotStored()
    {
        using var lake = new ScratchLake();
        var cmr = File(CucmColumns.CmrStart, new Dictionary<string, string>
        {
            ["cdrRecordType"] = "2", ["globalCallID_callManagerId"] = "1", ["globalCallID_callId"] = "101001", ["dateTimeStamp"] = "1781097856",
            ["varVQMetrics"] = "MLQK=4.5000;MLQKav=4.5000;CCR=0.0000",
        });
        var path = lake.Write("cmr_StandAloneCluster_01_202606101400_12346", cmr);

        var report = lake.Ingest(path);
        Assert.Equal(FileOutcome.Skipped, report.Outcome);
        Assert.Contains("CMR file", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, lake.Count("pbx_calls") + lake.Count("rejects"));

        // Forcing the CDR reader does not store CMRs either.
        Assert.Equal(FileOutcome.Skipped, lake.Ingest(path, new IngestOptions { Kind = "cucm-cdr" }).Outcome);
    }

    public static TheoryData<string, string, string, string, string> BadRows => new()
    {
        // name, column, value, reason, message fragment
        { "start record", "cdrRecordType", "0", "bad_enum", "a start record" },
        { "CMR row in a CDR file", "cdrRecordType", "2", "bad_enum", "a CMR (call quality) row" },
        { "ISO time instead of epoch", "dateTimeOrigination", "2026-06-10T13:22:05Z", "bad_timestamp", "expected UTC seconds since 1970" },
        { "no origination", "dateTimeOrigination", "0", "required", "every CUCM call leg has an origination time" },
        { "disconnect before origination", "dateTimeDisconnect", "1781097000", "bad_timestamp", "cannot end before it starts" },
        { "IP not a number", "destIpAddr", "10.0.0.1", "bad_number", "expected a signed 32-bit integer" },
        { "IP beyond 32 bits", "origIpAddr", "99999999999", "bad_number", "not a CUCM IPv4 field" },
        { "negative talk time", "duration", "-5", "negative_value", "expected a whole number of 0 or more" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Ingest_BadLeg_IsRejectedAtTheColumnOfItsName(string name, string column, string value, string reason, string fragment)
    {
        using var lake = new ScratchLake();
        var bad = Answered();
        bad[column] = value;
        var report = lake.Ingest(lake.Write(FileName, File(CucmColumns.Cdr, Answered(), bad, Answered())));

        BadInputCorpusTests.AssertCounts(lake, report, read: 3, stored: 2, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        var position = CucmColumns.Cdr.ToList().FindIndex(c => c.Name == column) + 1;
        Assert.Equal((4L, position, column, reason), (reject.Line, reject.Column, reject.ColumnName, reject.Reason));
        Assert.StartsWith($"{FileName}:4:{position}: {column} ", reject.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, reject.Message, StringComparison.Ordinal);
        _ = name;
    }

    [Fact]
    public void Ingest_ShortLeg_IsRejectedAsShortRow()
    {
        using var lake = new ScratchLake();
        var text = File(CucmColumns.Cdr, Answered()) + "1,1,101003,0\r\n";
        var report = lake.Ingest(lake.Write(FileName, text));

        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 1, rejected: 1, table: "pbx_calls");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("short_row", 4L), (reject.Reason, reject.Line));
        Assert.Contains("4 columns, expected 133", reject.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1139627840", "192.168.18.188")]
    [InlineData("991078592", "192.168.18.59")]
    [InlineData("-2126438902", "10.30.65.129")]
    [InlineData("3155339456", "192.168.18.188")]
    [InlineData("16777343", "127.0.0.1")]
    public void TryDecodeIp_CiscoSignedInteger_GivesTheLittleEndianDottedQuad(string value, string expected)
    {
        Assert.True(CucmReader.TryDecodeIp(value, out var address));
        Assert.Equal(expected, address);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("abc", false)]
    [InlineData("4294967296", false)]
    [InlineData("-2147483649", false)]
    public void TryDecodeIp_ZeroOrOutOfRange_IsNoneOrRefused(string value, bool ok)
    {
        Assert.Equal(ok, CucmReader.TryDecodeIp(value, out var address));
        Assert.Null(address);
    }

    [Theory]
    [InlineData(true, 16, CallDisposition.Answered)]
    [InlineData(false, 17, CallDisposition.Busy)]
    [InlineData(false, 19, CallDisposition.NoAnswer)]
    [InlineData(false, 16, CallDisposition.NoAnswer)]
    [InlineData(false, 34, CallDisposition.Congestion)]
    [InlineData(false, 1, CallDisposition.Failed)]
    public void Disposition_ConnectAndCause_Normalised(bool connected, long cause, CallDisposition expected) =>
        Assert.Equal(expected, CucmReader.Disposition(connected, cause));
}
