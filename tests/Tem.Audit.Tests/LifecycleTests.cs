using Tem.Core;
using Tem.SampleData;
using Tem.Ingest;

namespace Tem.Audit.Tests;

/// <summary>Finding ids, statuses that survive re-runs, and findings whose cause disappears.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public void Audit_TwiceOnTheSameLake_GivesTheSameIds()
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var first = scratch.Audit(runId: "run-1").Findings.Select(f => f.Finding.FindingId).Order().ToList();
        var second = scratch.Audit(runId: "run-2").Findings.Select(f => f.Finding.FindingId).Order().ToList();
        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());
    }

    [Fact]
    public void SetStatus_SurvivesTheNextAudit_AndCountsAsRealised()
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var target = scratch.Audit().Findings.First(f => f.Finding.Rule == "tax_on_exempt").Finding;
        var store = new FindingStore(scratch.Lake, AuditScratch.Clock);
        Assert.Null(store.SetStatus(target.FindingId, FindingStatus.Credited, "credit note CN-77"));
        var audit = scratch.Audit(runId: "run-2");
        var again = audit.Findings.Single(f => f.Finding.FindingId == target.FindingId);
        Assert.Equal(FindingStatus.Credited, again.Status);
        Assert.Equal("credit note CN-77", again.StatusNote);
        Assert.Equal(target.OneTimeAmount, again.Dispute.AmountClaimed);
        Assert.Equal(target.OneTimeAmount, again.RealisedOneTime);
        Assert.Equal(target.OneTimeAmount, audit.Totals.Single(t => t.Currency == target.Currency).Realised.Credited);
        Assert.Equal("run-1", again.FirstSeenRun);
        Assert.Equal("run-2", again.LastSeenRun);
        Assert.Throws<ArgumentException>(() => store.SetStatus("no-such-finding", FindingStatus.Closed, null));
        Assert.Throws<ArgumentException>(() => store.SetStatus(target.FindingId, FindingStatus.Resolved, null));
        Assert.NotNull(store.SetStatus(target.FindingId, FindingStatus.Rejected, null));
    }

    [Fact]
    public void Audit_CauseDisappears_FindingBecomesResolvedNotDeleted()
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var missing = scratch.Audit().Findings.First(f => f.Finding.Rule == "missing_credit" && f.Finding.ServiceId is null).Finding;

        // The carrier issues the credit after all: a later invoice file carries it.
        var credit = Path.Combine(scratch.Folder, "late-credit.csv");
        File.WriteAllText(credit,
            "invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency\n" +
            $"LATE-1,{missing.Carrier},{missing.AccountId},{missing.Period.Last:yyyy-MM-dd},{missing.Period.First:yyyy-MM-dd},{missing.Period.Last:yyyy-MM-dd},1,,credit,Late SLA credit,1,,-{missing.OneTimeAmount:0.00},{missing.Currency.Code}\n");
        Assert.Equal(FileOutcome.Stored, new Ingestor(scratch.Lake, AuditScratch.Clock, new IngestOptions()).IngestFile(credit, "run-2").Outcome);

        var after = scratch.Audit(runId: "run-2").Findings.Single(f => f.Finding.FindingId == missing.FindingId);
        Assert.Equal(FindingStatus.Resolved, after.Status);
        Assert.Equal("run-1", after.LastSeenRun);
        var totals = scratch.Audit(runId: "run-3");
        var currency = totals.Totals.Single(t => t.Currency == missing.Currency).Validated;
        Assert.Equal(totals.Findings.Where(f => f.Counts && f.Finding.Currency == missing.Currency && f.Finding.MoneyKind == MoneyKind.Validated).Sum(f => f.Finding.OneTimeAmount), currency.OneTime);
        Assert.DoesNotContain(totals.Findings, f => f.Finding.FindingId == missing.FindingId && f.Counts);
    }
}
