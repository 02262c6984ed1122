using System.Globalization;
using System.Text;
using Tem.Audit;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Reports.Tests;

/// <summary>
/// A relationship changes on the committed sample (a transfer, an exit, a lessor switch, a back-dated correction)
/// and the audit, the margins and each party's scope follow the relationship in force in each billing month. The
/// expected figures are read off sample-data/invoices.csv and resale.csv by hand (quoted in each test).
/// </summary>
public sealed class RelationshipScenarioTests : IDisposable
{
    private const string Moved = "0552207781";
    private readonly TestLake _world = TestLake.OfCommittedSample("tem-relationship", SampleReportFixture.Clock);
    private readonly TemLake _lake;
    private readonly string[] _accounts;

    public RelationshipScenarioTests()
    {
        _lake = _world.Lake;
        _accounts = File.ReadAllLines(RepoPaths.Combine("sample-data", "accounts.csv"));
    }

    public void Dispose() => _world.Dispose();

    private AuditResult Audit(string run) => new AuditEngine(_lake, SampleReportFixture.Clock).Run(new AuditOptions(), run);

    private static HashSet<string> Keys(AuditResult result, Func<Finding, bool>? where = null) =>
        [.. result.Findings.Select(f => f.Finding).Where(where ?? (_ => true))
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Rule} {f.AccountId} {f.ServiceId} {f.Period} {f.OneTimeAmount:0.0000} {f.MonthlySavings:0.0000} {f.BillToId} {f.ResellerId}"))];

    /// <summary>Ingests a newer accounts.csv: the sample's rows with <paramref name="edit"/> applied, with date columns.</summary>
    private FileReport NewerAccounts(string name, Func<string, IEnumerable<string>> edit)
    {
        var b = new StringBuilder(_accounts[0]).Append(",valid_from,valid_to\n");
        foreach (var row in _accounts.Skip(1))
        {
            foreach (var line in edit(row))
            {
                b.Append(line).Append('\n');
            }
        }

        var path = Path.Combine(_world.Folder, name);
        File.WriteAllText(path, b.ToString());
        return new Ingestor(_lake, SampleReportFixture.Clock, new IngestOptions()).IngestFile(path, "run-" + name);
    }

    private static string Reseller(string row, string dealer) =>
        string.Join(',', row.Split(',').Select((v, i) => i is 3 or 4 ? dealer : v));

    [Fact]
    public void Transfer_DatedFromAugust_OnlyAugustAndSeptemberChange()
    {
        var before = Audit("run-1");
        Assert.DoesNotContain(before.Findings, f => f.Finding.AccountId == Moved && f.Finding.Rule == "unbilled_resale");

        // 0552207781 (CUS-01) moves from DLR-01 to DLR-02 on 2026-08-01; resale.csv still has DLR-01's lines.
        var report = NewerAccounts("accounts-transfer.csv", row => row.StartsWith(Moved, StringComparison.Ordinal)
            ? [row + ",,2026-08-01", Reseller(row, "DLR-02") + ",2026-08-01,"]
            : [row + ",,"]);
        Assert.Equal(0, report.RowsRejected);
        var after = Audit("run-2");

        // invoices.csv, NW-0552207781-202608 and -202609: +16462000005 35.00, -06 20.00, -07 20.00, -09 80.00 recurring;
        // DLR-02, now invoiced, has no resale line for any of them: 8 unbilled_resale findings, 310.00 in all.
        var unbilled = after.Findings.Select(f => f.Finding).Where(f => f.AccountId == Moved && f.Rule == "unbilled_resale").ToList();
        Assert.Equal(
            ["+16462000005 2026-08 35.0000", "+16462000005 2026-09 35.0000", "+16462000006 2026-08 20.0000", "+16462000006 2026-09 20.0000",
             "+16462000007 2026-08 20.0000", "+16462000007 2026-09 20.0000", "+16462000009 2026-08 80.0000", "+16462000009 2026-09 80.0000"],
            unbilled.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.ServiceId} {f.Period} {f.OneTimeAmount:0.0000}")).Order(StringComparer.Ordinal).ToList());
        Assert.All(unbilled, f => Assert.Equal(("DLR-02", "DLR-02"), (f.BillToId, f.ResellerId)));
        Assert.Equal(310.00m, unbilled.Sum(f => f.OneTimeAmount));

        // DLR-01 no longer sells the account in the latest month: its below-cost saving on +16462000005 is gone.
        Assert.Contains(before.Findings, f => f.Finding.Rule == "resold_below_cost" && f.Finding.AccountId == Moved);
        Assert.Equal(FindingStatus.Resolved, Assert.Single(after.Findings, f => f.Finding.Rule == "resold_below_cost" && f.Finding.AccountId == Moved).Status);

        // Nothing of the months before the transfer changes, for any account.
        bool Early(Finding f) => string.CompareOrdinal(f.Period.ToString(), "2026-08") < 0;
        Assert.Equal(Keys(before, Early), Keys(after, Early));
    }

    [Fact]
    public void Transfer_Undated_ChangesTheFutureOnly_NoSpuriousFindings()
    {
        var before = Keys(Audit("run-1"));

        // The same move given without a date: in force from the ingest day (2026-10-15), after every billed month.
        var report = NewerAccounts("accounts-moved.csv", row => [(row.StartsWith(Moved, StringComparison.Ordinal) ? Reseller(row, "DLR-02") : row) + ",,"]);
        Assert.Contains("1 undated change in force from 2026-10-15", report.Message, StringComparison.Ordinal);

        Assert.Equal(before, Keys(Audit("run-2")));
    }

    [Fact]
    public void BackDatedCorrection_AfterAnUndatedMove_GivesTheDatedHistory()
    {
        NewerAccounts("accounts-moved.csv", row => [(row.StartsWith(Moved, StringComparison.Ordinal) ? Reseller(row, "DLR-02") : row) + ",,"]);
        NewerAccounts("accounts-corrected.csv", row => row.StartsWith(Moved, StringComparison.Ordinal)
            ? [Reseller(row, "DLR-02") + ",2026-08-01,"]
            : [row + ",,"]);

        var versions = SampleReportFixture.Query(_lake, $"SELECT bill_to_id, valid_from, valid_to FROM account_versions WHERE account_id = '{Moved}' ORDER BY valid_from NULLS FIRST");
        Assert.Equal(2, versions.Count);
        Assert.Equal(("DLR-01", null, new DateOnly(2026, 8, 1)), ((string)versions[0][0]!, (DateOnly?)versions[0][1], (DateOnly?)versions[0][2]));
        Assert.Equal(("DLR-02", new DateOnly(2026, 8, 1), null), ((string)versions[1][0]!, (DateOnly?)versions[1][1], (DateOnly?)versions[1][2]));
        Assert.Equal(8, Audit("run-3").Findings.Count(f => f.Finding.AccountId == Moved && f.Finding.Rule == "unbilled_resale"));
    }

    [Fact]
    public void Exit_AccountNoLongerListed_PastFindingsKeepTheirParties()
    {
        var before = Keys(Audit("run-1"));
        var report = NewerAccounts("accounts-exit.csv", row => row.StartsWith(Moved, StringComparison.Ordinal) ? [] : [row + ",,"]);
        Assert.Contains("1 accounts no longer listed ends on 2026-10-15", report.Message, StringComparison.Ordinal);
        Assert.Equal(before, Keys(Audit("run-2")));
    }

    [Fact]
    public void LessorSwitch_FromJuly_EachBillToSeesItsOwnMonths()
    {
        // ALB-300133 (CUS-06) is invoiced to the lessor LES-01 until June, to CUS-06 itself from 2026-07-01.
        NewerAccounts("accounts-lessor.csv", row => row.StartsWith("ALB-300133", StringComparison.Ordinal)
            ? [row + ",,2026-07-01", string.Join(',', row.Split(',').Select((v, i) => i == 3 ? "CUS-06" : v)) + ",2026-07-01,"]
            : [row + ",,"]);
        Audit("run-2");

        List<string> Months(string tenant)
        {
            using var db = TenantScope.Open(_lake, tenant);
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT DISTINCT month FROM charges WHERE account_id = 'ALB-300133' ORDER BY 1";
            using var r = cmd.ExecuteReader();
            var list = new List<string>();
            while (r.Read())
            {
                list.Add(r.GetString(0));
            }

            return list;
        }

        Assert.Equal(["2026-04", "2026-05", "2026-06"], Months("LES-01"));
        Assert.Equal(["2026-07", "2026-08", "2026-09"], Months("CUS-06"));

        // The lessor's own report is no longer empty: it is the account's bill-to for three months.
        var outDir = Path.Combine(_world.Folder, "out-les");
        var result = ReportWriter.Write(_lake, outDir, new ReportOptions { Tenant = "LES-01" }, SampleReportFixture.Clock);
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")), string.Join("; ", result.Warnings));
        Assert.Contains("ALB-300133", File.ReadAllText(Path.Combine(outDir, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Transfer_MarginOfEachDealer_CostsOnlyTheMonthsItWasInvoiced()
    {
        NewerAccounts("accounts-transfer.csv", row => row.StartsWith(Moved, StringComparison.Ordinal)
            ? [row + ",,2026-08-01", Reseller(row, "DLR-02") + ",2026-08-01,"]
            : [row + ",,"]);
        Audit("run-2");

        // DLR-01 was invoiced for the account from 2026-04 to 2026-07: four months of carrier cost on +16462000005
        // (35.00 a month = 140.00) against its six months of resale at 29.00 (174.00).
        var dlr1 = MarginRow("DLR-01", "+16462000005");
        Assert.Equal(("140.0000", "174.0000"), (dlr1["carrier_cost"], dlr1["resale"]));

        // DLR-02's set has the account's August and September cost (70.00) and no resale of it.
        var dlr2 = MarginRow("DLR-02", "+16462000005");
        Assert.Equal(("70.0000", "0.0000"), (dlr2["carrier_cost"], dlr2["resale"]));
    }

    private Dictionary<string, string> MarginRow(string tenant, string service)
    {
        var outDir = Path.Combine(_world.Folder, "out-" + tenant);
        ReportWriter.Write(_lake, outDir, new ReportOptions { Tenant = tenant }, SampleReportFixture.Clock);
        var lines = File.ReadAllLines(Path.Combine(outDir, "margin.csv"));
        var header = lines[0].Split(',');
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(f => f[Array.IndexOf(header, "service_id")] == service);
        return header.Select((h, i) => (h, row[i])).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal);
    }
}
