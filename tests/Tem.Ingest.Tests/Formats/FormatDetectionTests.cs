using System.Text;
using Tem.Ingest.Formats;

namespace Tem.Ingest.Tests.Formats;

/// <summary>Which reader a file gets: format sniffing, --kind, and canonical CSV left as it was.</summary>
public sealed class FormatDetectionTests
{
    private const string UsageCsv =
        "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id\n" +
        "R1,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05+01:00,125,+442079460000,,0.1234,INV1\n";

    private static (string? Format, SniffVerdict Verdict) Detect(string text)
    {
        var found = FormatRegistry.Detect(FileHead.FromBytes("x", Encoding.UTF8.GetBytes(text)), new IngestOptions());
        return found is { } f ? (f.Format.Name, f.Match.Verdict) : (null, SniffVerdict.No);
    }

    [Fact]
    public void Detect_EachFormat_PicksItsReader()
    {
        var master = AsteriskTests.Line("2026-06-10 14:22:05", "", "2026-06-10 14:22:35", 30, 0, "NO ANSWER") + "\n";
        Assert.Equal(("asterisk", SniffVerdict.Yes), Detect(master));
        Assert.Equal(("asterisk", SniffVerdict.Yes), Detect("\uFEFF" + master));
        Assert.Equal(("cucm-cdr", SniffVerdict.Yes), Detect(CucmTests.File(CucmColumns.Cdr, CucmTests.Answered())));
        Assert.Equal(("cucm-cdr", SniffVerdict.Skip), Detect(CucmTests.File(CucmColumns.CmrStart)));
    }

    [Theory]
    [InlineData(UsageCsv)]
    [InlineData("service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center\n")]
    [InlineData("a,b,c\n1,2,3\n")]
    [InlineData("")]
    public void Detect_CanonicalOrUnknownCsv_IsClaimedByNoFormat(string text) =>
        Assert.Equal((null, SniffVerdict.No), Detect(text));

    [Fact]
    public void Ingest_CanonicalUsage_IsStillReadAsUsage()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("usage.csv", UsageCsv));
        Assert.Equal(("usage", FileOutcome.Stored, 1L), (report.Kind, report.Outcome, report.RowsStored));
        Assert.Equal(0, lake.Count("pbx_calls"));
    }

    [Fact]
    public void Ingest_CanonicalPbxCallsCsv_LandsInPbxCallsWithItsMonth()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("pbx.csv",
            "pbx,source_format,record_id,call_id,start_time,duration_s,billsec_s,calling_number,called_number,disposition\n" +
            "branch,3cx,r1,c1,2026-06-30T23:30:00-04:00,70,61,201,+12125550100,ANSWERED\n"));

        Assert.Equal(("pbx_calls", 1L, 0L), (report.Kind, report.RowsStored, report.RowsRejected));
        var call = Assert.Single(PbxLake.Calls(lake));
        Assert.Equal(("answered", "2026-06", -240), (call.Disposition, call.Month, call.OffsetMinutes));
    }

    [Fact]
    public void Ingest_KindNamesAFormat_ReadsWithItEvenWhenTheFirstRecordIsNotRecognisable()
    {
        using var lake = new ScratchLake();
        var good = AsteriskTests.Line("2026-06-10 14:22:05", "", "2026-06-10 14:22:35", 30, 0, "NO ANSWER");
        var path = lake.Write("cdr.txt", "garbage\n" + good + "\n");

        Assert.Equal(FileOutcome.Unrecognised, lake.Ingest(path).Outcome);
        var report = lake.Ingest(path, new IngestOptions { Kind = "asterisk", PbxTimeZone = "Europe/London" });
        Assert.Equal(("asterisk", 2L, 1L, 1L), (report.Kind, report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Equal("short_row", Assert.Single(lake.Rejects()).Reason);
    }

    [Fact]
    public void Ingest_UnknownKind_ListsCanonicalKindsAndFormats()
    {
        using var lake = new ScratchLake();
        var e = Assert.Throws<ArgumentException>(() => lake.Ingest(lake.Write("x.csv", UsageCsv), new IngestOptions { Kind = "edifact" }));
        Assert.Contains("usage", e.Message, StringComparison.Ordinal);
        Assert.Contains("asterisk", e.Message, StringComparison.Ordinal);
        Assert.Contains("cucm-cdr", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PbxRecordsField_FollowsThePbxCallsLayoutOrder()
    {
        static string Snake(string pascal) => string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        Assert.Equal(
            Tem.Lake.Layouts.CanonicalLayouts.PbxCalls.Fields.Select(f => f.Name),
            Enum.GetNames<PbxRecords.Field>().Select(Snake));
    }

    [Fact]
    public void FileHead_Lines_SplitsOnAnyLineEndAndDropsACutLastLine()
    {
        var head = FileHead.FromBytes("x", Encoding.UTF8.GetBytes("a,b\r\nc\rd\ne"));
        Assert.Equal(["a,b", "c", "d", "e"], head.Lines(10));

        var big = FileHead.FromBytes("x", Encoding.UTF8.GetBytes("first\n" + new string('x', FileHead.Size)));
        Assert.False(big.IsComplete);
        Assert.Equal(["first"], big.Lines(10));
    }
}
