using System.Globalization;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Audit.Tests;

/// <summary>
/// <c>unbilled_resale</c> judges a (reseller, month) only where that reseller's resale data exists for the month; a
/// month without any is reported once per reseller, not as a finding per service.
/// </summary>
public sealed class UnbilledResaleCoverageTests : IDisposable
{
    private readonly TestLake _world = new("tem-unbilled", AuditScratch.Clock);
    private readonly TemLake _lake;

    public UnbilledResaleCoverageTests()
    {
        _lake = _world.Lake;
        Ingest("parties.csv", """
            party_id,name,kind,parent_id
            R1,Reseller One,dealer,
            R2,Reseller Two,dealer,
            C1,Client One,customer,R1
            C2,Client Two,customer,R2
            """);
        Ingest("accounts.csv", """
            account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id
            A1,Telco,C1,R1,R1,USD,America/New_York,false,
            A2,Telco,C2,R2,R2,USD,America/New_York,false,
            """);
        Ingest("plans.csv", """
            plan_id,carrier,service_type,name,monthly_fee,included_minutes,included_sms,included_data_mb,overage_per_minute,overage_per_sms,overage_per_mb,effective_from,effective_to
            LINE,Telco,voice_line,Line,30.00,,,,,,,2025-01-01,
            """);
        Ingest("services.csv", """
            service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center
            S1,A1,voice_line,LINE,active,2025-01-01,,CC
            S2,A1,voice_line,LINE,active,2025-01-01,,CC
            T1,A2,voice_line,LINE,active,2025-01-01,,CC
            """);
        var lines = new List<string> { "invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency" };
        foreach (var (month, last) in new[] { ("2026-06", "30"), ("2026-07", "31"), ("2026-08", "31") })
        {
            var n = 0;
            foreach (var (account, service) in new[] { ("A1", "S1"), ("A1", "S2"), ("A2", "T1") })
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"INV-{account}-{month},Telco,{account},{month}-{last},{month}-01,{month}-{last},{++n},{service},recurring,Line,1,30.00,30.00,USD"));
            }
        }

        Ingest("invoices.csv", string.Join('\n', lines) + "\n");
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Audit_ResellerWithResaleDataForTheMonth_UnbilledServiceIsAFinding()
    {
        // R1 bills S1 in June and July but not S2: S2 is unbilled in both; R1 sent nothing for August.
        Ingest("resale.csv", """
            reseller_id,customer_id,service_id,period,amount,currency
            R1,C1,S1,2026-06,45.00,USD
            R1,C1,S1,2026-07,45.00,USD
            """);

        var (findings, run) = Audit();

        Assert.Equal(["S2 2026-06", "S2 2026-07"], findings.Select(f => $"{f.ServiceId} {f.Period}").Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal(30.00m, f.OneTimeAmount));
        Assert.Equal(
            ["no resale data for R1 in 2026-08: 2 services not judged", "no resale data for R2 in 2026-06..08: 1 service not judged"],
            run.NotJudged);
    }

    [Fact]
    public void Audit_NoResaleDataAtAll_NoFindingsAndOneSentencePerReseller()
    {
        var (findings, run) = Audit();

        Assert.Empty(findings);
        Assert.Equal(0, run.Findings);
        Assert.Equal(
            ["no resale data for R1 in 2026-06..08: 2 services not judged", "no resale data for R2 in 2026-06..08: 1 service not judged"],
            run.NotJudged);
    }

    [Fact]
    public void Audit_EveryServiceResold_NoFindingsNothingUnjudged()
    {
        var rows = new List<string> { "reseller_id,customer_id,service_id,period,amount,currency" };
        foreach (var month in new[] { "2026-06", "2026-07", "2026-08" })
        {
            rows.Add($"R1,C1,S1,{month},45.00,USD");
            rows.Add($"R1,C1,S2,{month},45.00,USD");
            rows.Add($"R2,C2,T1,{month},45.00,USD");
        }

        Ingest("resale.csv", string.Join('\n', rows) + "\n");
        var (findings, run) = Audit();

        Assert.Empty(findings);
        Assert.Empty(run.NotJudged);
    }

    private (List<Finding> Findings, RuleRun Run) Audit()
    {
        var result = new AuditEngine(_lake, AuditScratch.Clock).Run(new AuditOptions(), "unbilled");
        var findings = result.Findings.Where(f => f.Status != FindingStatus.Resolved && f.Finding.Rule == "unbilled_resale").Select(f => f.Finding).ToList();
        return (findings, Assert.Single(result.Rules, r => r.RuleId == "unbilled_resale"));
    }

    private void Ingest(string name, string text) => _world.IngestText(name, text, "unbilled");
}
