using System.Globalization;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Audit.Tests;

/// <summary>
/// Each rule's edges on a tiny hand-written world: thresholds just above and below, partial months,
/// two currencies, and services that belong to one rule and must not appear in another.
/// </summary>
public sealed class RuleEdgeTests : IDisposable
{
    private const string InvoiceHeader = "invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency";
    private const string UsageHeader = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id";

    private readonly TestLake _world = new("tem-audit-edges", AuditScratch.Clock);
    private readonly TemLake _lake;

    public RuleEdgeTests()
    {
        _lake = _world.Lake;
        Ingest("parties.csv", "party_id,name,kind,parent_id\nCUS1,Acme,customer,\nCUS2,Beta,customer,\n");
        Ingest("accounts.csv", """
            account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id
            A-USD,Telco,CUS1,CUS1,,USD,America/New_York,false,DECK1
            A-EUR,Telco,CUS2,CUS2,,EUR,Europe/Berlin,true,DECK1
            """);
        Ingest("plans.csv", """
            plan_id,carrier,service_type,name,monthly_fee,included_minutes,included_sms,included_data_mb,overage_per_minute,overage_per_sms,overage_per_mb,effective_from,effective_to
            BIG,Telco,mobile,Big,50.00,,,,,,,2025-01-01,
            SMALL,Telco,mobile,Small,20.00,100,100,1000,,,,2025-01-01,
            LINE,Telco,voice_line,Line,30.00,,,,,,,2025-01-01,
            """);
        Ingest("rates.csv", """
            rate_plan_id,prefix,destination,time_band,rate_per_minute,connect_fee,initial_increment_s,subsequent_increment_s,effective_from,effective_to
            DECK1,44,UK,any,0.1000,0,60,60,2025-01-01,
            """);
        Ingest("services.csv", """
            service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center
            V1,A-USD,voice_line,LINE,active,2025-01-01,,CC
            V2,A-USD,voice_line,LINE,active,2025-01-01,,CC
            M-UNUSED-BIG,A-USD,mobile,BIG,active,2025-01-01,,CC
            M-SMALL-USE,A-USD,mobile,BIG,active,2025-01-01,,CC
            D1,A-USD,voice_line,LINE,disconnected,2025-01-01,2026-07-10,CC
            E1,A-EUR,mobile,SMALL,active,2025-01-01,,CC
            """);
    }

    public void Dispose() => _world.Dispose();

    private void Ingest(string name, string text) => _world.IngestText(name, text, "edges");

    private List<Finding> Audit() =>
        [.. new AuditEngine(_lake, AuditScratch.Clock).Run(new AuditOptions(), "edges").Findings.Where(f => f.Status != FindingStatus.Resolved).Select(f => f.Finding)];

    /// <summary>Recurring lines for every service for four months (2026-06..09) at the plan fee; usage on the used lines.</summary>
    private void BaseMonths(Func<string, string, string?>? overrideLine = null)
    {
        var lines = new List<string> { InvoiceHeader };
        var usage = new List<string> { UsageHeader };
        var n = 0;
        foreach (var month in new[] { "2026-06", "2026-07", "2026-08", "2026-09" })
        {
            var first = month + "-01";
            var last = DateOnly.ParseExact(first, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var (service, fee) in new[] { ("V1", "30.00"), ("V2", "30.00"), ("M-UNUSED-BIG", "50.00"), ("M-SMALL-USE", "50.00") })
            {
                var line = $"INV-{month},Telco,A-USD,{last},{first},{last},{++n},{service},recurring,fee,1,{fee},{fee},USD";
                var replaced = overrideLine?.Invoke(service, month);
                if (replaced != "skip")
                {
                    lines.Add(replaced ?? line);
                }
            }

            lines.Add($"INVE-{month},Telco,A-EUR,{last},{first},{last},{++n},E1,recurring,fee,1,20.00,20.00,EUR");
            usage.Add($"U-{month}-1,Telco,A-USD,V1,voice,{month}-15T10:00:00-04:00,60,+442071234567,0,0.1000,INV-{month}");
            usage.Add($"U-{month}-2,Telco,A-USD,V2,voice,{month}-15T10:00:00-04:00,60,+442071234567,0,0.1000,INV-{month}");
            usage.Add($"U-{month}-3,Telco,A-USD,M-SMALL-USE,sms,{month}-15T10:00:00-04:00,0,+15551234567,0,0,INV-{month}");
            usage.Add($"U-{month}-4,Telco,A-EUR,E1,sms,{month}-15T10:00:00+02:00,0,+4915123456,0,0,INVE-{month}");
        }

        Ingest("invoices.csv", string.Join('\n', lines) + "\n");
        Ingest("usage.csv", string.Join('\n', usage) + "\n");
    }

    [Fact]
    public void CleanWorld_OnlyTheExpectedSavingsFire_UnusedIsNotAlsoOversized()
    {
        BaseMonths();
        var findings = Audit();
        var unused = Assert.Single(findings, f => f.Rule == "unused_service");
        Assert.Equal(("M-UNUSED-BIG", 50.00m), (unused.ServiceId, unused.MonthlySavings));
        var oversized = Assert.Single(findings, f => f.Rule == "oversized_plan");
        Assert.Equal(("M-SMALL-USE", 30.00m, "SMALL"), (oversized.ServiceId, oversized.MonthlySavings, oversized.RecommendedPlanId));
        Assert.Equal(2, findings.Count);
    }

    [Theory]
    [InlineData("30.02", true)]
    [InlineData("30.01", false)]
    public void RecurringAboveContract_FiresOnlyAboveTheTolerance(string amount, bool fires)
    {
        BaseMonths((service, month) => service == "V1" && month == "2026-09"
            ? $"INV-{month},Telco,A-USD,2026-09-30,2026-09-01,2026-09-30,900,V1,recurring,fee,1,{amount},{amount},USD"
            : null);
        var finding = Audit().SingleOrDefault(f => f.Rule == "recurring_above_contract");
        Assert.Equal(fires, finding is not null);
        if (finding is not null)
        {
            Assert.Equal((0.02m, 0.02m, "2026-09"), (finding.OneTimeAmount, finding.MonthlySavings, finding.Period.ToString()));
        }
    }

    [Fact]
    public void RecurringAboveContract_PartialMonthLine_IsNotCompared()
    {
        // A line for 15-30 September at the full fee is prorating trouble perhaps, but not "above contract" for a full month.
        BaseMonths((service, month) => service == "V1" && month == "2026-09"
            ? "INV-2026-09,Telco,A-USD,2026-09-30,2026-09-15,2026-09-30,900,V1,recurring,fee,1,45.00,45.00,USD"
            : null);
        Assert.DoesNotContain(Audit(), f => f.Rule == "recurring_above_contract");
    }

    [Theory]
    [InlineData("0.1100", true)]
    [InlineData("0.1099", false)]
    public void RateOvercharge_FiresAtOneCentAndNotBelow(string billed, bool fires)
    {
        BaseMonths();
        Ingest("usage-extra.csv", $"{UsageHeader}\nX1,Telco,A-USD,V1,voice,2026-09-20T10:00:00-04:00,60,+442079999999,0,{billed},INV-2026-09\n");
        var finding = Audit().SingleOrDefault(f => f.Rule == "rate_overcharge");
        Assert.Equal(fires, finding is not null);
        if (finding is not null)
        {
            Assert.Equal(0.01m, finding.OneTimeAmount);
            Assert.Contains("X1", finding.Evidence, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("middle,4", "up,4", "its rows disagree on rounding: middle vs up")]
    [InlineData("middle,4", "middle,2", "its rows disagree on rounding_decimals: 2 vs 4")]
    [InlineData("middle,6", "middle,6", "rounding_decimals 6 above 4")]
    public void RateOvercharge_UnusableDeck_NoFindingAndOneNotJudgedLine(string first, string second, string problem)
    {
        BaseMonths();
        Ingest("usage-extra.csv", $"{UsageHeader}\nX1,Telco,A-USD,V1,voice,2026-09-20T10:00:00-04:00,60,+442079999999,0,0.5000,INV-2026-09\n");
        Ingest("rates.csv", $"""
            rate_plan_id,prefix,destination,time_band,rate_per_minute,connect_fee,initial_increment_s,subsequent_increment_s,effective_from,effective_to,from_second,band_split,rounding,rounding_decimals
            DECK1,44,UK,peak,0.1000,0,60,60,2025-01-01,,,,{first}
            DECK1,44,UK,offpeak,0.0500,0,60,60,2025-01-01,,,,{second}
            """);

        var result = new AuditEngine(_lake, AuditScratch.Clock).Run(new AuditOptions(), "edges");

        Assert.DoesNotContain(result.Findings, f => f.Finding.Rule == "rate_overcharge" && f.Status != FindingStatus.Resolved);
        Assert.Equal(
            [$"rate deck DECK1 ({problem}) cannot be used in 2026-06..09: 2 services not judged"],
            Assert.Single(result.Rules, r => r.RuleId == "rate_overcharge").NotJudged);
    }

    [Fact]
    public void DuplicateUsage_SeveralCopiedCalls_EvidenceInTimeOrderWhateverTheFileOrder()
    {
        // Three calls each billed twice, written latest first and spread over two files: the evidence lists the copies by
        // call time, then file and line, so the same lake gives the same finding however DuckDB grouped the rows.
        BaseMonths();
        string Call(string id, string day) => $"{id},Telco,A-USD,V2,voice,2026-09-{day}T09:00:00-04:00,120,+442071111111,0,0.2000,INV-2026-09";
        Ingest("usage-dup-a.csv", string.Join('\n', UsageHeader, Call("D3", "25"), Call("D2", "20"), Call("D1", "05")) + "\n");
        Ingest("usage-dup-b.csv", string.Join('\n', UsageHeader, Call("D1b", "05"), Call("D3b", "25"), Call("D2b", "20")) + "\n");
        var finding = Assert.Single(Audit(), f => f.Rule == "duplicate_usage");
        var records = System.Text.RegularExpressions.Regex.Matches(finding.Evidence, "record ([A-Z0-9b]+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["D1", "D1b", "D2", "D2b", "D3", "D3b"], records);
        Assert.Equal(0.60m, finding.OneTimeAmount);
    }

    [Fact]
    public void Disconnected_BilledAfterwards_IsBilledAfterDisconnect_NeverUnused()
    {
        BaseMonths();
        Ingest("invoices-d.csv", $"""
            {InvoiceHeader}
            INV-D8,Telco,A-USD,2026-08-31,2026-08-01,2026-08-31,1,D1,recurring,fee,1,30.00,30.00,USD
            INV-D9,Telco,A-USD,2026-09-30,2026-09-01,2026-09-30,1,D1,recurring,fee,1,30.00,30.00,USD
            INV-D7,Telco,A-USD,2026-07-31,2026-07-01,2026-07-31,1,D1,recurring,fee,1,30.00,30.00,USD
            """);
        var findings = Audit();
        var after = findings.Where(f => f.Rule == "billed_after_disconnect").OrderBy(f => f.Period).ToList();
        Assert.Equal(["2026-08", "2026-09"], after.Select(f => f.Period.ToString()));
        Assert.Equal([0m, 30.00m], after.Select(f => f.MonthlySavings));
        Assert.DoesNotContain(findings, f => f.ServiceId == "D1" && f.Rule == "unused_service");
    }

    [Fact]
    public void TaxOnExempt_OnlyOnTheExemptAccount_AndTotalsKeepCurrenciesApart()
    {
        BaseMonths();
        Ingest("invoices-tax.csv", $"""
            {InvoiceHeader}
            INVE-T,Telco,A-EUR,2026-09-30,2026-09-01,2026-09-30,1,,tax,VAT,,,3.80,EUR
            INV-T,Telco,A-USD,2026-09-30,2026-09-01,2026-09-30,1,,tax,Sales tax,,,2.10,USD
            """);
        var result = new AuditEngine(_lake, AuditScratch.Clock).Run(new AuditOptions(), "edges");
        var tax = Assert.Single(result.Findings, f => f.Finding.Rule == "tax_on_exempt").Finding;
        Assert.Equal(("A-EUR", 3.80m, "EUR"), (tax.AccountId, tax.OneTimeAmount, tax.Currency.Code));
        var eur = Assert.Single(result.Totals, t => t.Currency.Code == "EUR");
        var usd = Assert.Single(result.Totals, t => t.Currency.Code == "USD");
        Assert.Equal(3.80m, eur.Validated.OneTime);
        Assert.Equal(12 * 80.00m, usd.Validated.FoundMoney);
    }
}

public sealed class AuditRobustnessTests
{
    [Fact]
    public void Audit_UnknownTimeZoneAndDuplicatedAccount_StillRunsEveryRuleWithoutDoubleCounting()
    {
        using var scratch = new AuditScratch(new Tem.SampleData.SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var before = scratch.Audit().Findings.Select(f => AuditScratch.Key(f.Finding)).Order(StringComparer.Ordinal).ToList();

        // A newer accounts file lists one account twice and gives another a zone nobody knows.
        var accounts = File.ReadAllLines(Path.Combine(scratch.Data, "accounts.csv")).ToList();
        accounts.Add(accounts[1]);
        accounts[2] = string.Join(',', accounts[2].Split(',').Select((v, i) => i == 6 ? "Mars/Olympus_Mons" : v));
        var path = Path.Combine(scratch.Folder, "accounts-v2.csv");
        File.WriteAllLines(path, accounts);
        var report = new Tem.Ingest.Ingestor(scratch.Lake, AuditScratch.Clock, new Tem.Ingest.IngestOptions()).IngestFile(path, "run-2");
        // The bad zone, and the repeated account as a duplicate version (the first line is kept).
        Assert.Equal(2, report.RowsRejected);

        var result = scratch.Audit(runId: "run-2");
        Assert.All(result.Rules, r => Assert.Null(r.Error));
        Assert.All(result.Rules, r => Assert.Equal(0, r.Skipped));

        // The account whose newer row was rejected keeps the version the lake had: its findings still name its customer.
        var rejectedAccount = accounts[2].Split(',')[0];
        var customer = accounts[2].Split(',')[2];
        Assert.Contains(result.Findings, f => f.Finding.AccountId == rejectedAccount);
        Assert.All(result.Findings.Where(f => f.Finding.AccountId == rejectedAccount), f => Assert.Equal(customer, f.Finding.CustomerId));
        Assert.Equal(result.Findings.Count, result.Findings.Select(f => f.Finding.FindingId).Distinct().Count());
        Assert.NotEmpty(before);
    }
}
