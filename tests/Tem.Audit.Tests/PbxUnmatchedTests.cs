using System.Globalization;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Audit.Tests;

/// <summary>
/// <c>pbx_unmatched</c> on a hand-written world: carrier voice records on one day against an Asterisk Master.csv of the
/// same day (London, BST), one service per case so that each finding names its case.
/// </summary>
public sealed class PbxUnmatchedTests : IDisposable
{
    private const string UsageHeader = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id";

    private readonly TestLake _world = new("tem-audit-pbx", AuditScratch.Clock);
    private readonly TemLake _lake;

    public PbxUnmatchedTests()
    {
        _lake = _world.Lake;
        Ingest("parties.csv", "party_id,name,kind,parent_id\nCUS1,Acme,customer,\n");
        Ingest("accounts.csv", """
            account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id
            A,Telco,CUS1,CUS1,,GBP,Europe/London,false,
            B,Telco,CUS1,CUS1,,GBP,Europe/London,false,
            """);
    }

    public void Dispose() => _world.Dispose();

    /// <summary>An answered cdr_csv record; times are London local times.</summary>
    private static string Master(string dst, string start, string answer, string end, long duration, long billsec) =>
        $"\"\",\"2001\",\"{dst}\",\"from-internal\",\"\"\"Desk\"\" <2001>\",\"SIP/2001-01\",\"SIP/trunk-02\",\"Dial\",\"SIP/trunk/{dst}\"," +
        $"\"{start}\",\"{answer}\",\"{end}\",{duration},{billsec},\"ANSWERED\",\"DOCUMENTATION\",\"1.{start.Replace(" ", string.Empty, StringComparison.Ordinal).Replace(":", string.Empty, StringComparison.Ordinal)}\",\"\"";

    private static string Usage(string service, string start, long seconds, string number, string billed, string account = "A") =>
        $"R-{service},Telco,{account},{service},voice,{start},{seconds},{number},,{billed},INV1";

    private void Ingest(string name, string text, IngestOptions? options = null) => _world.IngestText(name, text, "pbx", options);

    private Dictionary<string, decimal> Findings(Dictionary<string, string>? settings = null) =>
        new AuditEngine(_lake, AuditScratch.Clock).Run(new AuditOptions { Settings = settings ?? [] }, "pbx").Findings
            .Where(f => f.Status != FindingStatus.Resolved && f.Finding.Rule == "pbx_unmatched")
            .ToDictionary(f => f.Finding.ServiceId!, f => f.Finding.OneTimeAmount);

    private void World()
    {
        Ingest("usage.csv", string.Join('\n',
            UsageHeader,
            Usage("S-MATCH", "2026-06-10T08:00:00Z", 125, "+442079460001", "0.50"),
            Usage("S-UNMATCHED", "2026-06-10T11:30:00Z", 60, "+442079460002", "0.30"),
            Usage("S-OUTSIDE", "2026-06-12T10:00:00Z", 60, "+442079460003", "0.40"),
            Usage("S-DUR-OK", "2026-06-10T12:00:00Z", 300, "+442079460004", "1.00"),
            Usage("S-DUR-OFF", "2026-06-10T12:10:00Z", 300, "+442079460005", "1.10"),
            Usage("S-WIN-OK", "2026-06-10T13:00:00Z", 60, "+442079460006", "0.20"),
            Usage("S-WIN-OFF", "2026-06-10T13:10:00Z", 60, "+442079460007", "0.25"),
            Usage("S-ANSWER", "2026-06-10T14:00:00Z", 90, "+442079460008", "0.35"),
            Usage("S-ZERO", "2026-06-10T15:00:00Z", 60, "+442079460009", "0.00"),
            Usage("S-B", "2026-06-10T11:00:00Z", 60, "+442079460010", "0.45", account: "B")));

        Ingest("Master.csv", string.Join('\n',
            // Dialled with the outside-line 9 and in national form; starts 20 s after the carrier's start, rings 10 s.
            Master("902079460001", "2026-06-10 09:00:20", "2026-06-10 09:00:30", "2026-06-10 09:02:35", 135, 125),
            Master("02079460004", "2026-06-10 13:00:00", "2026-06-10 13:00:05", "2026-06-10 13:05:35", 335, 330),
            Master("02079460005", "2026-06-10 13:10:00", "2026-06-10 13:10:05", "2026-06-10 13:15:36", 336, 331),
            Master("02079460006", "2026-06-10 14:02:00", "2026-06-10 14:02:00", "2026-06-10 14:03:00", 60, 60),
            Master("02079460007", "2026-06-10 14:12:01", "2026-06-10 14:12:01", "2026-06-10 14:13:01", 60, 60),
            // Starts 200 s before the carrier's start but is answered 100 s before it.
            Master("02079460008", "2026-06-10 14:56:40", "2026-06-10 14:58:20", "2026-06-10 14:59:50", 190, 90),
            Master("2002", "2026-06-10 17:00:00", "2026-06-10 17:00:01", "2026-06-10 17:01:00", 60, 59)),
            new IngestOptions { PbxTimeZone = "Europe/London", PbxName = "hq" });
    }

    [Fact]
    public void Audit_HandCases_FlagOnlyUnmatchedBilledCallsInCoveredHoursOfServedAccounts()
    {
        World();
        var findings = Findings();

        // Matched: number in another form, +-120 s, duration within 10 %, through the answer time. Not flagged: outside
        // the PBX file's hours (S-OUTSIDE), billed nothing (S-ZERO), an account no PBX call ever matches (S-B).
        Assert.Equal(
            new Dictionary<string, decimal> { ["S-UNMATCHED"] = 0.30m, ["S-DUR-OFF"] = 1.10m, ["S-WIN-OFF"] = 0.25m },
            findings);
    }

    [Fact]
    public void Audit_Finding_IsADisputeWithTheCarrierRecordAsEvidence()
    {
        World();
        var finding = new AuditEngine(_lake, AuditScratch.Clock).Run(new AuditOptions(), "pbx").Findings
            .Select(f => f.Finding).Single(f => f.Rule == "pbx_unmatched" && f.ServiceId == "S-UNMATCHED");

        Assert.Equal((RecommendedAction.Dispute, "2026-06", 0m, "GBP"), (finding.RecommendedAction, finding.Period.ToString(), finding.MonthlySavings, finding.Currency.ToString()));
        Assert.Contains("usage.csv:3 record R-S-UNMATCHED to +442079460002 at 2026-06-10T11:30:00Z for 60 s billed 0.30", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_Settings_MoveTheBoundaries()
    {
        World();
        var wider = Findings(new Dictionary<string, string> { ["pbx_unmatched.window_s"] = "121", ["pbx_unmatched.duration_pct"] = "11" });
        Assert.Equal(new Dictionary<string, decimal> { ["S-UNMATCHED"] = 0.30m }, wider);

        var exactNumbers = Findings(new Dictionary<string, string> { ["pbx_unmatched.match_digits"] = "0" });

        // Without trailing-digit matching no PBX call matches (the PBX dials national numbers): no account is served.
        Assert.Empty(exactNumbers);
    }

    [Fact]
    public void Audit_NoPbxData_FindsNothing()
    {
        Ingest("usage.csv", UsageHeader + "\n" + Usage("S-UNMATCHED", "2026-06-10T11:30:00Z", 60, "+442079460002", "0.30"));
        Assert.Empty(Findings());
    }

    /// <summary>
    /// A modern (Asterisk 13+, 21-field cdr_csv with peeraccount, linkedid, sequence) leg; legs of one call share
    /// <paramref name="linkedId"/>. Layout from Asterisk's cdr/cdr_csv.c build_csv_record.
    /// </summary>
    private static string Leg(string uniqueId, string linkedId, int sequence, string src, string dst, string start, string answer, string end,
        long duration, long billsec) =>
        $"\"\",\"{src}\",\"{dst}\",\"from-internal\",\"\"\"Desk\"\" <{src}>\",\"PJSIP/{src}-01\",\"PJSIP/trunk-02\",\"Dial\",\"PJSIP/{dst}@trunk\"," +
        $"\"{start}\",\"{answer}\",\"{end}\",{duration},{billsec},\"ANSWERED\",\"DOCUMENTATION\",\"{uniqueId}\",\"\",\"\",\"{linkedId}\",{sequence}";

    [Fact]
    public void Audit_LegsOfOneLinkedCall_AreReconciledAsOneCall()
    {
        Ingest("usage.csv", string.Join('\n',
            UsageHeader,
            // Billed for the whole conversation: 60 s before the transfer and 120 s after it.
            Usage("S-TRANSFER", "2026-06-10T09:00:05Z", 180, "+442079460011", "0.90"),
            // Billed 180 s, but the PBX's only call to that number lasted 60 s and has no other leg.
            Usage("S-SHORT", "2026-06-10T09:30:05Z", 180, "+442079460012", "0.95")));
        Ingest("Master.csv", string.Join('\n',
            // 2001 calls out (answered 10:00:05 BST), talks 60 s, then transfers the outside party to 2002 for 120 s.
            Leg("1781200000.10", "1781200000.10", 20, "2001", "02079460011", "2026-06-10 10:00:00", "2026-06-10 10:00:05", "2026-06-10 10:01:05", 65, 60),
            Leg("1781200000.11", "1781200000.10", 21, "02079460011", "2002", "2026-06-10 10:01:05", "2026-06-10 10:01:05", "2026-06-10 10:03:05", 120, 120),
            Leg("1781201800.20", "1781201800.20", 30, "2001", "02079460012", "2026-06-10 10:30:00", "2026-06-10 10:30:05", "2026-06-10 10:31:05", 65, 60)),
            new IngestOptions { PbxTimeZone = "Europe/London", PbxName = "hq" });

        Assert.Equal(new Dictionary<string, decimal> { ["S-SHORT"] = 0.95m }, Findings());

        using var db = Tem.Lake.LakeSession.InMemory();
        _lake.CreateViews(db);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT call_id, legs, billsec_s, called_number FROM pbx_call_groups ORDER BY start_time";
        using var r = cmd.ExecuteReader();
        var groups = new List<(string, long, long, string)>();
        while (r.Read())
        {
            groups.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3)));
        }

        Assert.Equal([("1781200000.10", 2L, 180L, "02079460011"), ("1781201800.20", 1L, 60L, "02079460012")], groups);
    }
}
