using Tem.Audit.Disputes;
using Tem.Core;
using Tem.Lake;

namespace Tem.Audit.Tests.Disputes;

/// <summary>The dispute lifecycle's steps on one finding: what each allows, the amounts it keeps, and aging.</summary>
public sealed class DisputeLifecycleTests
{
    private static readonly DateOnly Aug10 = new(2026, 8, 10);

    internal static StoredFinding Claim(decimal oneTime = 100m, decimal monthly = 0m, RecommendedAction action = RecommendedAction.Dispute, string? service = "S1") =>
        new(new Finding
        {
            FindingId = FindingId.Create("duplicate_recurring", "A1", service, new BillingMonth(2026, 7)),
            Rule = "duplicate_recurring",
            Severity = Severity.High,
            Carrier = "Telco",
            AccountId = "A1",
            ServiceId = service,
            Period = new BillingMonth(2026, 7),
            OneTimeAmount = oneTime,
            MonthlySavings = monthly,
            Currency = CurrencyCode.Parse("USD"),
            Confidence = 1m,
            Title = "t",
            Detail = "d",
            Evidence = "e",
            RecommendedAction = action,
        }, FindingStatus.Open, null, "run-1", "run-1");

    private static StoredFinding After(StoredFinding f, DisputeChange c)
    {
        Assert.Null(c.Error);
        return f with { Status = c.Status, StatusNote = c.Note, Dispute = c.Details };
    }

    [Fact]
    public void Submit_Open_ClaimsTheOneTimeAmountWithDateAndReference()
    {
        var c = DisputeLifecycle.Submit(Claim(), Aug10, " NW-77 ", null, "sent by portal");
        Assert.Equal((FindingStatus.Submitted, DisputeEventKind.Submitted, 100m, "NW-77", Aug10), (c.Status, c.Event, c.Details.AmountClaimed!.Value, c.Details.Reference!, c.Details.SubmittedOn!.Value));
        Assert.Equal(100m, c.Details.Outstanding);
        Assert.Equal("sent by portal", c.Note);

        // A later step without a note keeps the status note, but its own event has none.
        var credit = DisputeLifecycle.Credit(After(Claim(), c), 10m, new DateOnly(2026, 9, 1), null, 0.01m);
        Assert.Equal(("sent by portal", (string?)null, "sent by portal"), (credit.Note, credit.StepNote, c.StepNote));
    }

    [Fact]
    public void Submit_AlreadySubmittedOrNegative_IsRefusedAndChangesNothing()
    {
        var submitted = After(Claim(), DisputeLifecycle.Submit(Claim(), Aug10, "R", null, null));
        var again = DisputeLifecycle.Submit(submitted, Aug10, "R2", null, null);
        Assert.Contains("submitted", again.Error, StringComparison.Ordinal);
        Assert.Equal(submitted.Dispute, again.Details);
        Assert.NotNull(DisputeLifecycle.Submit(Claim(), Aug10, null, -1m, null).Error);
    }

    [Theory]
    [InlineData(100.01)]
    [InlineData(0)]
    public void Submit_ClaimAboveTheFindingOrOfNothing_IsRefused(double amount) =>
        Assert.Contains("at most the finding's one-time amount 100.00", DisputeLifecycle.Submit(Claim(), Aug10, "R", (decimal)amount, null).Error, StringComparison.Ordinal);

    [Fact]
    public void Credit_DatedBeforeTheSubmission_AndResubmittingWhatCameBack_AreRefused()
    {
        var f = After(Claim(), DisputeLifecycle.Submit(Claim(), Aug10, "R", 100m, null));
        Assert.Contains("before the claim was submitted (2026-08-10)", DisputeLifecycle.Credit(f, 10m, new DateOnly(2026, 8, 9), null, 0.01m).Error, StringComparison.Ordinal);
        f = After(f, DisputeLifecycle.Credit(f, 100m, new DateOnly(2026, 9, 1), null, 0.01m));
        var reopened = After(f, DisputeLifecycle.Reopen(f, null));
        Assert.Contains("credited already", DisputeLifecycle.Submit(reopened, new DateOnly(2026, 9, 5), "R2", null, null).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Credit_PartThenRest_PartiallyCreditedThenCredited_ToTheCent()
    {
        var f = After(Claim(), DisputeLifecycle.Submit(Claim(), Aug10, "R", 100m, null));
        var part = DisputeLifecycle.Credit(f, 60m, new DateOnly(2026, 9, 30), null, 0.01m);
        Assert.Equal((FindingStatus.PartiallyCredited, 60m, 40m), (part.Status, part.Details.AmountCredited, part.Details.Outstanding));
        f = After(f, part);

        // 39.99 leaves one cent: within the tolerance, the claim is settled.
        var rest = DisputeLifecycle.Credit(f, 39.99m, new DateOnly(2026, 10, 31), "CN-1", 0.01m);
        Assert.Equal((FindingStatus.Credited, 99.99m, new DateOnly(2026, 10, 31)), (rest.Status, rest.Details.AmountCredited, rest.Details.CreditedOn!.Value));

        // Without a tolerance the same cent keeps it partially credited.
        Assert.Equal(FindingStatus.PartiallyCredited, DisputeLifecycle.Credit(f, 39.99m, new DateOnly(2026, 10, 31), null, 0m).Status);
    }

    [Fact]
    public void Credit_MoreThanClaimed_OrOnAnOpenFinding_IsRefused()
    {
        var f = After(Claim(), DisputeLifecycle.Submit(Claim(), Aug10, "R", 100m, null));
        Assert.Contains("more than the 100.00 claimed", DisputeLifecycle.Credit(f, 100.02m, Aug10, null, 0.01m).Error, StringComparison.Ordinal);
        Assert.NotNull(DisputeLifecycle.Credit(Claim(), 10m, Aug10, null, 0.01m).Error);
        Assert.NotNull(DisputeLifecycle.Credit(f, 0m, Aug10, null, 0.01m).Error);
    }

    [Fact]
    public void Reject_AfterAPartialCredit_KeepsWhatWasCreditedAsRealised()
    {
        var f = After(Claim(), DisputeLifecycle.Submit(Claim(), Aug10, "R", 100m, null));
        f = After(f, DisputeLifecycle.Credit(f, 25m, new DateOnly(2026, 9, 1), null, 0.01m));
        f = After(f, DisputeLifecycle.Reject(f, new DateOnly(2026, 9, 20), "no more"));
        Assert.Equal((FindingStatus.Rejected, 25m, new DateOnly(2026, 9, 20)), (f.Status, f.RealisedOneTime, f.Dispute.ResolvedOn!.Value));
        Assert.False(f.Counts);
        Assert.NotNull(DisputeLifecycle.Reject(Claim(), Aug10, null).Error);
    }

    [Fact]
    public void CloseAndReopen_ReopenForgetsTheSubmissionButNotTheCredits()
    {
        var f = After(Claim(), DisputeLifecycle.Submit(Claim(), Aug10, "R", 100m, null));
        f = After(f, DisputeLifecycle.Credit(f, 30m, new DateOnly(2026, 9, 1), null, 0.01m));
        f = After(f, DisputeLifecycle.Close(f, new DateOnly(2026, 9, 5), "done"));
        Assert.Equal(30m, f.RealisedOneTime);
        Assert.NotNull(DisputeLifecycle.Close(f, Aug10, null).Error);
        var open = After(f, DisputeLifecycle.Reopen(f, null));
        Assert.Equal((FindingStatus.Open, (DateOnly?)null, (decimal?)null, 30m), (open.Status, open.Dispute.SubmittedOn, open.Dispute.AmountClaimed, open.Dispute.AmountCredited));
    }

    [Fact]
    public void Confirm_OnlyASubmittedSaving_RealisesTheMonthlySaving()
    {
        var cancel = Claim(0m, 45m, RecommendedAction.Cancel);
        Assert.NotNull(DisputeLifecycle.Confirm(cancel, new BillingMonth(2026, 9)).Error);
        var submitted = After(cancel, DisputeLifecycle.Submit(cancel, Aug10, "ORDER-9", null, null));
        Assert.Equal(0m, submitted.RealisedMonthly);
        var confirmed = After(submitted, DisputeLifecycle.Confirm(submitted, new BillingMonth(2026, 9)));
        Assert.Equal((FindingStatus.Confirmed, 45m, 0m), (confirmed.Status, confirmed.RealisedMonthly, confirmed.RealisedOneTime));
        Assert.True(confirmed.Counts);
    }

    [Fact]
    public void Reopen_KeepsWhatTheBillsConfirmed_AndNeitherReopenNorSubmitTakeAResolvedFinding()
    {
        var cancel = Claim(0m, 45m, RecommendedAction.Cancel);
        var f = After(cancel, DisputeLifecycle.Submit(cancel, Aug10, "ORDER-9", null, null));
        f = After(f, DisputeLifecycle.Confirm(f, new BillingMonth(2026, 9)));
        var reopened = After(f, DisputeLifecycle.Reopen(f, null));
        Assert.Equal((FindingStatus.Open, 45m), (reopened.Status, reopened.RealisedMonthly));

        var resolved = Claim() with { Status = FindingStatus.Resolved };
        Assert.Contains("resolved", DisputeLifecycle.Submit(resolved, Aug10, null, null, null).Error, StringComparison.Ordinal);
        Assert.Contains("resolved", DisputeLifecycle.Reopen(resolved, null).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Aging_AcrossMonths_CountsCalendarDaysSinceSubmissionAndSinceTheLatestNews()
    {
        var d = new DisputeDetails { SubmittedOn = new DateOnly(2026, 7, 31), AmountClaimed = 10m };
        Assert.Equal(32, d.Age(new DateOnly(2026, 9, 1)));
        Assert.Equal(32, d.DaysWaiting(new DateOnly(2026, 9, 1)));
        var credited = d with { AmountCredited = 4m, CreditedOn = new DateOnly(2026, 8, 31) };
        Assert.Equal(1, credited.DaysWaiting(new DateOnly(2026, 9, 1)));
        Assert.Equal(32, credited.Age(new DateOnly(2026, 9, 1)));
        Assert.Null(DisputeDetails.None.Age(new DateOnly(2026, 9, 1)));

        // Across a leap day and a year end.
        Assert.Equal(366, (d with { SubmittedOn = new DateOnly(2027, 12, 31) }).Age(new DateOnly(2028, 12, 31)));
    }
}
