using System.Globalization;
using Tem.Audit.Disputes;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Audit.Tests.Disputes;

/// <summary>
/// Credits on later bills matched to submitted claims, and cancellations confirmed by the bills: hand cases on a tiny
/// lake (a duplicate monthly fee on V1 and on V2, an unused line U1), and the pure decision over candidates.
/// </summary>
public sealed class CreditMatchTests : IDisposable
{
    private const string InvoiceHeader = "invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency";
    private static readonly string[] Months = ["2026-06", "2026-07", "2026-08", "2026-09"];

    private readonly TestLake _world = new("tem-credit-match", AuditScratch.Clock);
    private readonly TemLake _lake;

    public CreditMatchTests()
    {
        _lake = _world.Lake;
        Ingest("parties.csv", "party_id,name,kind,parent_id\nCUS1,Acme,customer,\n");
        Ingest("accounts.csv", "account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id\nA1,Telco,CUS1,CUS1,,USD,America/New_York,false,\n");
        Ingest("plans.csv", """
            plan_id,carrier,service_type,name,monthly_fee,included_minutes,included_sms,included_data_mb,overage_per_minute,overage_per_sms,overage_per_mb,effective_from,effective_to
            LINE,Telco,voice_line,Line,30.00,,,,,,,2025-01-01,
            """);
        Ingest("services.csv", """
            service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center
            V1,A1,voice_line,LINE,active,2025-01-01,,CC
            V2,A1,voice_line,LINE,active,2025-01-01,,CC
            V3,A1,voice_line,LINE,active,2025-01-01,,CC
            U1,A1,voice_line,LINE,active,2025-01-01,,CC
            """);
        var lines = new List<string> { InvoiceHeader };
        var usage = new List<string> { "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id" };
        var n = 0;
        foreach (var month in Months)
        {
            var (first, last) = Bounds(month);
            foreach (var service in new[] { "V1", "V2", "V3", "U1" })
            {
                lines.Add($"INV-{month},Telco,A1,{last},{first},{last},{++n},{service},recurring,Line,1,30.00,30.00,USD");
                if (service != "U1")
                {
                    usage.Add($"R-{month}-{service},Telco,A1,{service},voice,{month}-15T10:00:00-04:00,60,+15551234567,0,0,INV-{month}");
                }
            }

            if (month == "2026-07")
            {
                // The monthly fee of V1 and V2 billed twice in July: two claims of 30.00 each.
                lines.Add($"INV-{month},Telco,A1,{last},{first},{last},{++n},V1,recurring,Line,1,30.00,30.00,USD");
                lines.Add($"INV-{month},Telco,A1,{last},{first},{last},{++n},V2,recurring,Line,1,30.00,30.00,USD");
            }
        }

        Ingest("invoices.csv", string.Join('\n', lines) + "\n");
        Ingest("usage.csv", string.Join('\n', usage) + "\n");
    }

    public void Dispose() => _world.Dispose();

    private static (string First, string Last) Bounds(string month)
    {
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private void Ingest(string name, string text) => _world.IngestText(name, text, "match");

    /// <summary>A later invoice (October, dated 2026-10-31) with the given lines after the four recurring fees.</summary>
    private void October(params string[] credits)
    {
        var lines = new List<string> { InvoiceHeader };
        var n = 0;
        foreach (var service in new[] { "V1", "V2", "V3", "U1" })
        {
            lines.Add($"INV-2026-10,Telco,A1,2026-10-31,2026-10-01,2026-10-31,{++n},{service},recurring,Line,1,30.00,30.00,USD");
        }

        lines.AddRange(credits.Select(c => $"INV-2026-10,Telco,A1,2026-10-31,2026-10-01,2026-10-31,{++n},{c},USD"));
        Ingest("invoices-october.csv", string.Join('\n', lines) + "\n");
    }

    private AuditResult Audit(string run) => new AuditEngine(_lake, AuditScratch.Clock).Run(new AuditOptions(), run);

    private static StoredFinding Duplicate(AuditResult audit, string service) =>
        audit.Findings.Single(f => f.Finding.Rule == "duplicate_recurring" && f.Finding.ServiceId == service);

    private void Submit(StoredFinding f, string reference, DateOnly on)
    {
        var store = new FindingStore(_lake, AuditScratch.Clock);
        store.Record(f, [DisputeLifecycle.Submit(f, on, reference, null, null)], DisputeSource.User, null);
    }

    [Fact]
    public void ExactCredit_OnALaterBill_CreditsTheClaim_OnceAcrossReRuns()
    {
        var first = Audit("run-1");
        Submit(Duplicate(first, "V1"), "CASE-1", new DateOnly(2026, 8, 5));
        October("V1,credit,Billing adjustment,1,,-30.00");

        var audit = Audit("run-2");
        var v1 = Duplicate(audit, "V1");
        Assert.Equal((FindingStatus.Credited, 30.00m, new DateOnly(2026, 10, 31)), (v1.Status, v1.RealisedOneTime, v1.Dispute.CreditedOn!.Value));
        var applied = Assert.Single(audit.Reconciled.Applied);
        Assert.Equal("Telco|INV-2026-10#5", applied.CreditLine);
        Assert.Equal(30.00m, audit.Totals.Single().Realised.Credited);

        // The next run neither applies the line again nor loses the state.
        var again = Audit("run-3");
        Assert.Empty(again.Reconciled.Applied);
        Assert.Equal((FindingStatus.Credited, 30.00m), (Duplicate(again, "V1").Status, Duplicate(again, "V1").RealisedOneTime));
    }

    [Fact]
    public void PartialCredit_QuotingTheReference_IsApplied_WithoutIt_IsOnlyProposed()
    {
        var first = Audit("run-1");
        Submit(Duplicate(first, "V1"), "CASE-7", new DateOnly(2026, 8, 5));
        Submit(Duplicate(first, "V2"), "CASE-8", new DateOnly(2026, 8, 5));
        October("V1,credit,Partial credit re case-7,1,,-12.50", "V2,credit,Goodwill,1,,-12.50");

        var audit = Audit("run-2");
        var v1 = Duplicate(audit, "V1");
        Assert.Equal((FindingStatus.PartiallyCredited, 12.50m, 17.50m), (v1.Status, v1.Dispute.AmountCredited, v1.Dispute.Outstanding));
        var v2 = Duplicate(audit, "V2");
        Assert.Equal((FindingStatus.Submitted, 0m), (v2.Status, v2.Dispute.AmountCredited));
        var proposed = Assert.Single(audit.Reconciled.Proposed);
        Assert.Equal(v2.Finding.FindingId, proposed.FindingId);
        Assert.Contains("does not quote the reference", proposed.Reason, StringComparison.Ordinal);

        // Readers see the proposal without the catalog.
        var listed = Assert.Single(ReadMatches());
        Assert.Equal((v2.Finding.FindingId, "INV-2026-10", 6L), (listed.FindingId, listed.InvoiceId, listed.LineNo));
    }

    [Theory]
    [InlineData("V3,credit,Billing adjustment,1,,-30.00", "a credit for another service")]
    [InlineData("V1,credit,Billing adjustment,1,,-45.00", "a credit larger than the claim")]
    [InlineData(",credit,Account credit,1,,-12.00", "an account-level credit of another amount that does not quote the case")]
    public void Credit_WrongServiceOrAmountOff_IsNotMatched(string line, string why)
    {
        var first = Audit("run-1");
        Submit(Duplicate(first, "V1"), "CASE-1", new DateOnly(2026, 8, 5));
        October(line);
        var audit = Audit("run-2");
        Assert.True(Duplicate(audit, "V1").Status == FindingStatus.Submitted, why);
        Assert.Empty(audit.Reconciled.Applied);
        Assert.Empty(audit.Reconciled.Proposed);
    }

    [Fact]
    public void AccountLevelCredit_OfTheExactAmount_WithoutTheReference_IsOnlyProposed()
    {
        var first = Audit("run-1");
        Submit(Duplicate(first, "V1"), "CASE-1", new DateOnly(2026, 8, 5));
        October(",credit,Account credit,1,,-30.00");
        var audit = Audit("run-2");
        Assert.Equal(FindingStatus.Submitted, Duplicate(audit, "V1").Status);
        Assert.Contains("account-level", Assert.Single(audit.Reconciled.Proposed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CreditRecordedByHand_ThenTheBillsLineQuotingTheCase_IsNotCountedTwice()
    {
        var first = Audit("run-1");
        var v1 = Duplicate(first, "V1");
        Submit(v1, "CASE-1", new DateOnly(2026, 8, 5));

        // The consultant records the credit note from an e-mail, without its invoice line.
        var store = new FindingStore(_lake, AuditScratch.Clock);
        var submitted = store.Load().Single(f => f.Finding.FindingId == v1.Finding.FindingId);
        store.Record(submitted, [DisputeLifecycle.Credit(submitted, 10m, new DateOnly(2026, 10, 20), "credit note", 0.01m)], DisputeSource.User, null);

        // The same credit then shows on the bill, quoting the case: it may be the one recorded, so it is only proposed.
        October("V1,credit,Credit re CASE-1,1,,-10.00");
        var audit = Audit("run-2");
        var after = Duplicate(audit, "V1");
        Assert.Equal((FindingStatus.PartiallyCredited, 10m), (after.Status, after.Dispute.AmountCredited));
        Assert.Empty(audit.Reconciled.Applied);
        Assert.Contains("without their invoice line", Assert.Single(audit.Reconciled.Proposed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DisputeLog_ClosedAfterACredit_KeepsTheCredit_OpenRowsRecordNothing_BadRowsNamed()
    {
        Audit("run-1");
        var log = Path.Combine(_world.Folder, "disputes.csv");
        File.WriteAllText(log, string.Join('\n',
            "rule,carrier,account_id,service_id,period,status,submitted_on,reference,amount_claimed,amount_credited,credited_on,resolved_on,note",
            "duplicate_recurring,Telco,A1,V1,2026-07,closed,2026-08-05,CASE-1,,10.00,2026-09-10,2026-09-30,settled for 10",
            "duplicate_recurring,Telco,A1,V2,2026-07,open,,,,,,,",
            "duplicate_recurring,Telco,A1,V9,2026-07,submitted,2026-08-05,,,,,,",
            "duplicate_recurring,Telco,A1,V2,2026-07,credited,2026-08-05,,,5.00,,,") + "\n");
        var store = new FindingStore(_lake, AuditScratch.Clock);
        var result = DisputeLog.Apply(_lake, store, log, "disputes.csv", 0.01m, "log-run", AuditScratch.Clock);
        Assert.Equal((4, 1, 1, 2), (result.Rows, result.Applied, result.Unchanged, result.Rejected.Count));
        Assert.Equal(result.Rows, result.Applied + result.Unchanged + result.Rejected.Count);
        Assert.Contains(result.Rejected, e => e.Location.Line == 4 && e.Message.Contains("no finding", StringComparison.Ordinal));
        Assert.Contains(result.Rejected, e => e.Location.Line == 5 && e.Message.Contains("again (line 3)", StringComparison.Ordinal));
        var v1 = store.Load().Single(f => f.Finding.Rule == "duplicate_recurring" && f.Finding.ServiceId == "V1");
        Assert.Equal((FindingStatus.Closed, 10m, "CASE-1"), (v1.Status, v1.RealisedOneTime, v1.Dispute.Reference!));
    }

    [Fact]
    public void Credit_DatedBeforeTheSubmission_IsNotMatched()
    {
        var first = Audit("run-1");
        Submit(Duplicate(first, "V1"), "CASE-1", new DateOnly(2026, 11, 2));
        October("V1,credit,Billing adjustment,1,,-30.00");
        Assert.Equal(FindingStatus.Submitted, Duplicate(Audit("run-2"), "V1").Status);
    }

    [Fact]
    public void OneCredit_TwoEqualClaims_IsProposedForBoth_AndAppliedToNeither()
    {
        var first = Audit("run-1");
        Submit(Duplicate(first, "V1"), "CASE-1", new DateOnly(2026, 8, 5));
        Submit(Duplicate(first, "V2"), "CASE-2", new DateOnly(2026, 8, 5));

        // An account-level credit quoting both cases could settle either.
        October(",credit,Credit for CASE-1 and CASE-2,1,,-30.00");
        var audit = Audit("run-2");
        Assert.Empty(audit.Reconciled.Applied);
        Assert.Equal(2, audit.Reconciled.Proposed.Count);
        Assert.All(audit.Reconciled.Proposed, p => Assert.Equal("the credit could settle 2 claims", p.Reason));
    }

    [Fact]
    public void Cancellation_Submitted_IsConfirmedByTheFirstBillWithoutTheFee_AndNotResolved()
    {
        var first = Audit("run-1");
        var unused = first.Findings.Single(f => f.Finding.Rule == "unused_service" && f.Finding.ServiceId == "U1");
        Assert.Equal(30.00m, unused.Finding.MonthlySavings);
        Submit(unused, "ORDER-5", new DateOnly(2026, 10, 3));

        // October's bill no longer carries U1: the cancellation took effect.
        var lines = new List<string> { InvoiceHeader };
        var n = 0;
        foreach (var service in new[] { "V1", "V2", "V3" })
        {
            lines.Add($"INV-2026-10,Telco,A1,2026-10-31,2026-10-01,2026-10-31,{++n},{service},recurring,Line,1,30.00,30.00,USD");
        }

        Ingest("invoices-october.csv", string.Join('\n', lines) + "\n");
        var audit = Audit("run-2");
        var after = audit.Findings.Single(f => f.Finding.FindingId == unused.Finding.FindingId);
        Assert.Equal((FindingStatus.Confirmed, new BillingMonth(2026, 10), 30.00m), (after.Status, after.Dispute.ConfirmedFrom!.Value, after.RealisedMonthly));
        Assert.Equal(12 * 30.00m, audit.Totals.Single().Realised.Total);
    }

    [Fact]
    public void Saving_SubmittedThenANewMonthStillBillsIt_KeepsItsIdAndItsStatus_NotCountedTwice()
    {
        var first = Audit("run-1");
        var unused = first.Findings.Single(f => f.Finding.Rule == "unused_service" && f.Finding.ServiceId == "U1");
        Assert.Equal(new BillingMonth(2026, 9), unused.Finding.Period);
        Submit(unused, "ORDER-5", new DateOnly(2026, 10, 3));

        // October still bills U1 (the cancellation has not taken effect): the saving is stated in the new latest month,
        // under the same id, and stays submitted.
        October();
        var audit = Audit("run-2");
        var again = Assert.Single(audit.Findings, f => f.Finding.Rule == "unused_service" && f.Finding.ServiceId == "U1");
        Assert.Equal((unused.Finding.FindingId, new BillingMonth(2026, 10), FindingStatus.Submitted), (again.Finding.FindingId, again.Finding.Period, again.Status));
    }

    [Fact]
    public void Saving_StoredByAnOlderTemUnderItsMonthlyId_KeepsItsStatusUnderTheServiceId_Once()
    {
        var first = Audit("run-1");
        var unused = first.Findings.Single(f => f.Finding.Rule == "unused_service" && f.Finding.ServiceId == "U1");

        // As an older Tem stored it: the id with the month, and a status recorded against that id.
        var oldId = FindingId.Create("unused_service", "A1", "U1", unused.Finding.Period);
        var old = unused with { Finding = unused.Finding with { FindingId = oldId } };
        FindingsFile.Write(FindingsFile.PathIn(_lake.Root), [.. first.Findings.Where(f => f != unused), old]);
        var store = new FindingStore(_lake, AuditScratch.Clock);
        store.Record(old, [DisputeLifecycle.Submit(old, new DateOnly(2026, 10, 3), "ORDER-5", null, "cancel it")], DisputeSource.User, null);

        var audit = Audit("run-2");
        var now = Assert.Single(audit.Findings, f => f.Finding.Rule == "unused_service" && f.Finding.ServiceId == "U1");
        Assert.Equal((unused.Finding.FindingId, FindingStatus.Submitted, "ORDER-5"), (now.Finding.FindingId, now.Status, now.Dispute.Reference!));
        Assert.DoesNotContain(audit.Findings, f => f.Finding.FindingId == oldId);
    }

    [Fact]
    public void Statuses_SurviveReIngestAndReRuns()
    {
        var first = Audit("run-1");
        Submit(Duplicate(first, "V1"), "CASE-1", new DateOnly(2026, 8, 5));
        var invoices = Directory.GetFiles(_world.Folder, "*-invoices.csv").Single();
        Assert.Equal(FileOutcome.AlreadyIngested, new Ingestor(_lake, AuditScratch.Clock, new IngestOptions()).IngestFile(invoices, "again").Outcome);
        Audit("run-2");
        var v1 = Duplicate(Audit("run-3"), "V1");
        Assert.Equal((FindingStatus.Submitted, "CASE-1", new DateOnly(2026, 8, 5)), (v1.Status, v1.Dispute.Reference!, v1.Dispute.SubmittedOn!.Value));
    }

    private IReadOnlyList<CreditMatch> ReadMatches()
    {
        using var db = LakeSession.InMemory();
        TemLake.OpenExisting(_lake.Root).CreateViews(db);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT finding_id, invoice_id, line_no FROM credit_matches";
        using var r = cmd.ExecuteReader();
        var list = new List<CreditMatch>();
        while (r.Read())
        {
            list.Add(new CreditMatch(r.GetString(0), string.Empty, string.Empty, string.Empty, null, r.GetString(1), r.GetInt64(2), default, null, 0, 0, "USD", false, null));
        }

        return list;
    }
}

/// <summary>The decision over candidate credits, without a lake.</summary>
public sealed class CreditDecisionTests
{
    private static CreditMatch C(string claim, string line, decimal credit, bool quoted = false) =>
        new(claim, line, "Telco", "A1", "S1", "INV", 1, new DateOnly(2026, 10, 31), null, credit, 0m, "USD", quoted, null);

    [Fact]
    public void Decide_OneExactCandidate_IsApplied()
    {
        var (applied, proposed) = BillReconciler.Decide([C("a", "L1", 100m)], new Dictionary<string, decimal> { ["a"] = 100m }, 0.01m);
        Assert.Equal("L1", Assert.Single(applied).CreditLine);
        Assert.Empty(proposed);
    }

    [Fact]
    public void Decide_TwoExactCandidatesForOneClaim_ProposesBoth()
    {
        var (applied, proposed) = BillReconciler.Decide([C("a", "L1", 100m), C("a", "L2", 100m)], new Dictionary<string, decimal> { ["a"] = 100m }, 0.01m);
        Assert.Empty(applied);
        Assert.All(proposed, p => Assert.Equal("2 credits could settle this claim", p.Reason));
    }

    [Fact]
    public void Decide_QuotedPartials_AddingUpToTheClaim_AreAllApplied_InOrder()
    {
        var (applied, proposed) = BillReconciler.Decide([C("a", "L1", 40m, true), C("a", "L2", 60m, true)], new Dictionary<string, decimal> { ["a"] = 100m }, 0.01m);
        Assert.Equal([100m, 60m], applied.Select(a => a.Outstanding));
        Assert.Empty(proposed);
    }

    [Fact]
    public void Decide_ExactAndSmallerCandidate_AppliesTheExactOne_TheOtherNoLongerFits()
    {
        var (applied, proposed) = BillReconciler.Decide([C("a", "L1", 100m), C("a", "L2", 20m)], new Dictionary<string, decimal> { ["a"] = 100m }, 0.01m);
        Assert.Equal("L1", Assert.Single(applied).CreditLine);
        Assert.Empty(proposed);
    }

    [Fact]
    public void Decide_ClaimWithACreditRecordedWithoutItsLine_OnlyProposals()
    {
        var (applied, proposed) = BillReconciler.Decide([C("a", "L1", 100m)], new Dictionary<string, decimal> { ["a"] = 100m }, 0.01m, new HashSet<string> { "a" });
        Assert.Empty(applied);
        Assert.Single(proposed);
    }

    [Theory]
    [InlineData("Partial credit re NW-1", "NW-1", true)]
    [InlineData("Partial credit re NW-12", "NW-1", false)]
    [InlineData("credit for case nw-case-77.", "NW-CASE-77", true)]
    [InlineData("credit 1 of 2", "1", false)]
    [InlineData(null, "NW-1", false)]
    public void Quotes_TheReferenceAsAWord_AtLeastFourCharacters(string? description, string reference, bool quoted) =>
        Assert.Equal(quoted, BillReconciler.Quotes(description, reference));

    [Fact]
    public void Decide_WithinTheTolerance_SettlesTheClaim()
    {
        var (applied, _) = BillReconciler.Decide([C("a", "L1", 99.95m)], new Dictionary<string, decimal> { ["a"] = 100m }, 0.05m);
        Assert.Single(applied);
        var (none, proposed) = BillReconciler.Decide([C("a", "L1", 99.95m)], new Dictionary<string, decimal> { ["a"] = 100m }, 0.01m);
        Assert.Empty(none);
        Assert.Contains("does not quote the reference", Assert.Single(proposed).Reason, StringComparison.Ordinal);
    }
}
