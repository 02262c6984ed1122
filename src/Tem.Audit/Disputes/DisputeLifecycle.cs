using System.Globalization;
using Tem.Core;
using Tem.Lake;

namespace Tem.Audit.Disputes;

/// <summary>What a step of the lifecycle turns a finding's dispute into, or why the step is not allowed.</summary>
/// <param name="Status">The new status.</param>
/// <param name="Details">The new details.</param>
/// <param name="Note">The note kept with the status (the step's note, or the earlier one when the step gave none).</param>
/// <param name="Event">The event recorded (submitted, credit, rejected, closed, reopened, confirmed); null for a step that is not allowed.</param>
/// <param name="Error">Why the step is not allowed (nothing changes); null when it is.</param>
/// <param name="Amount">The money the step moves: the amount claimed (submitted) or the credit (credit); null for the others.</param>
/// <param name="On">The date of a credit step's own credit (the details keep the latest credit's date).</param>
public sealed record DisputeChange(FindingStatus Status, DisputeDetails Details, string? Note, DisputeEventKind? Event, string? Error, decimal? Amount = null, DateOnly? On = null)
{
    /// <summary>The note given with this step only (its event's note); <see cref="Note"/> keeps an earlier one when none was given.</summary>
    public string? StepNote { get; init; }

    /// <summary>A step that is not allowed: nothing changes, <paramref name="error"/> says why.</summary>
    public static DisputeChange Refused(StoredFinding f, string error) => new(f.Status, f.Dispute, f.StatusNote, null, error);
}

/// <summary>
/// The dispute lifecycle as pure steps over a stored finding: open -&gt; submitted (date, reference, amount claimed)
/// -&gt; partially_credited / credited / rejected -&gt; closed, and for savings open -&gt; submitted -&gt; confirmed (by the
/// bills). Each step either gives the new state or says why it is not allowed; nothing here touches the lake.
/// </summary>
public static class DisputeLifecycle
{
    /// <summary>
    /// Submits the claim (or the change order for a saving) to the carrier. From open, or again after a rejection. The
    /// amount claimed defaults to the finding's one-time amount; it must be &gt;= 0.
    /// </summary>
    public static DisputeChange Submit(StoredFinding f, DateOnly on, string? reference, decimal? amount, string? note)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.Status is not (FindingStatus.Open or FindingStatus.Rejected))
        {
            return DisputeChange.Refused(f, f.Status == FindingStatus.Resolved
                ? "it is resolved: the latest audit no longer finds it"
                : $"it is {WireNames.ToWire(f.Status)}; only an open (or rejected) finding is submitted");
        }

        var claimed = amount ?? f.Finding.OneTimeAmount;
        if (claimed < 0 || claimed > f.Finding.OneTimeAmount || (claimed == 0 && f.Finding.OneTimeAmount > 0))
        {
            return DisputeChange.Refused(f, f.Finding.OneTimeAmount == 0
                ? $"the finding has no one-time amount to claim (a saving: submit it without --amount)"
                : $"the amount claimed {Money(claimed)} must be more than 0 and at most the finding's one-time amount {Money(f.Finding.OneTimeAmount)}");
        }

        if (claimed > 0 && f.Dispute.AmountCredited >= claimed)
        {
            return DisputeChange.Refused(f, $"{Money(f.Dispute.AmountCredited)} of it was credited already");
        }

        return new DisputeChange(FindingStatus.Submitted, f.Dispute with
        {
            SubmittedOn = on,
            Reference = string.IsNullOrWhiteSpace(reference) ? f.Dispute.Reference : reference.Trim(),
            AmountClaimed = claimed,
            ResolvedOn = null,
        }, note ?? f.StatusNote, DisputeEventKind.Submitted, null, claimed) { StepNote = note };
    }

    /// <summary>
    /// Records a credit received against a submitted claim: partially_credited while credits stay more than
    /// <paramref name="tolerance"/> below the amount claimed, credited once they reach it. A credit that would take the
    /// total above the claim by more than the tolerance is refused (submit the larger amount first).
    /// </summary>
    public static DisputeChange Credit(StoredFinding f, decimal amount, DateOnly on, string? note, decimal tolerance)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (!FindingStatuses.IsPending(f.Status))
        {
            return DisputeChange.Refused(f, $"it is {WireNames.ToWire(f.Status)}; a credit is recorded against a submitted (or partially credited) claim");
        }

        if (amount <= 0)
        {
            return DisputeChange.Refused(f, $"the credit {Money(amount)} is not positive");
        }

        if (f.Dispute.SubmittedOn is { } submitted && on < submitted)
        {
            return DisputeChange.Refused(f, $"the credit is dated {on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, before the claim was submitted ({submitted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        }

        var claimed = f.Dispute.AmountClaimed ?? f.Finding.OneTimeAmount;
        var credited = f.Dispute.AmountCredited + amount;
        if (credited > claimed + tolerance)
        {
            return DisputeChange.Refused(f, $"credits would total {Money(credited)}, more than the {Money(claimed)} claimed");
        }

        var status = credited >= claimed - tolerance ? FindingStatus.Credited : FindingStatus.PartiallyCredited;
        var last = f.Dispute.CreditedOn is { } earlier && earlier > on ? earlier : on;
        return new DisputeChange(status, f.Dispute with { AmountCredited = credited, CreditedOn = last }, note ?? f.StatusNote, DisputeEventKind.Credit, null, amount, on) { StepNote = note };
    }

    /// <summary>The carrier refused the claim: from submitted or partially credited (credits received stay realised).</summary>
    public static DisputeChange Reject(StoredFinding f, DateOnly on, string? note)
    {
        ArgumentNullException.ThrowIfNull(f);
        return FindingStatuses.IsPending(f.Status)
            ? new DisputeChange(FindingStatus.Rejected, f.Dispute with { ResolvedOn = on }, note ?? f.StatusNote, DisputeEventKind.Rejected, null) { StepNote = note }
            : DisputeChange.Refused(f, $"it is {WireNames.ToWire(f.Status)}; only a submitted (or partially credited) claim is rejected");
    }

    /// <summary>Closes the finding (from any status but closed): what was credited or confirmed stays realised.</summary>
    public static DisputeChange Close(StoredFinding f, DateOnly on, string? note)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f.Status == FindingStatus.Closed
            ? DisputeChange.Refused(f, "it is already closed")
            : new DisputeChange(FindingStatus.Closed, f.Dispute with { ResolvedOn = on }, note ?? f.StatusNote, DisputeEventKind.Closed, null) { StepNote = note };
    }

    /// <summary>
    /// Opens the finding again, forgetting its submission (the event history keeps it); what it realised stays (credits
    /// received, a saving the bills confirmed). A resolved finding is not reopened: no audit produces it any more.
    /// </summary>
    public static DisputeChange Reopen(StoredFinding f, string? note)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f.Status switch
        {
            FindingStatus.Open => DisputeChange.Refused(f, "it is already open"),
            FindingStatus.Resolved => DisputeChange.Refused(f, "it is resolved: the latest audit no longer finds it"),
            _ => new DisputeChange(FindingStatus.Open,
                DisputeDetails.None with { AmountCredited = f.Dispute.AmountCredited, CreditedOn = f.Dispute.CreditedOn, ConfirmedFrom = f.Dispute.ConfirmedFrom },
                note ?? f.StatusNote, DisputeEventKind.Reopened, null) { StepNote = note },
        };
    }

    /// <summary>The bills show the saving from <paramref name="from"/> on: a submitted saving becomes confirmed.</summary>
    public static DisputeChange Confirm(StoredFinding f, BillingMonth from)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f.Status == FindingStatus.Submitted
            ? new DisputeChange(FindingStatus.Confirmed, f.Dispute with { ConfirmedFrom = from }, f.StatusNote, DisputeEventKind.Confirmed, null)
            : DisputeChange.Refused(f, $"it is {WireNames.ToWire(f.Status)}; only a submitted saving is confirmed by the bills");
    }

    private static string Money(decimal amount) => amount.ToString("0.00##", CultureInfo.InvariantCulture);
}
