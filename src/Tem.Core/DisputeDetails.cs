namespace Tem.Core;

/// <summary>
/// What has been done about a finding: when and how it was submitted to the carrier, what came back, and whether the
/// bills confirm a saving. Amounts are in the finding's currency, unrounded; dates are calendar dates as the person or
/// the invoice gave them (no time zone).
/// </summary>
public sealed record DisputeDetails
{
    /// <summary>Nothing done yet.</summary>
    public static DisputeDetails None { get; } = new();

    /// <summary>When the claim (or the change order) was sent to the carrier.</summary>
    public DateOnly? SubmittedOn { get; init; }

    /// <summary>The carrier's ticket or case reference.</summary>
    public string? Reference { get; init; }

    /// <summary>The amount claimed; null before submission.</summary>
    public decimal? AmountClaimed { get; init; }

    /// <summary>Credits received so far (every credit recorded or matched), &gt;= 0.</summary>
    public decimal AmountCredited { get; init; }

    /// <summary>The date of the latest credit (its invoice's date when matched from a bill).</summary>
    public DateOnly? CreditedOn { get; init; }

    /// <summary>The first billing month whose bill shows the saving (no recurring charge after a cancellation, the lower fee after a downgrade).</summary>
    public BillingMonth? ConfirmedFrom { get; init; }

    /// <summary>When the carrier rejected the claim or a person closed it.</summary>
    public DateOnly? ResolvedOn { get; init; }

    /// <summary>Claimed minus credited (never below 0); 0 before submission.</summary>
    public decimal Outstanding => AmountClaimed is { } claimed ? Math.Max(0m, claimed - AmountCredited) : 0m;

    /// <summary>
    /// Days since the carrier was last heard from or written to (the later of submission and the latest credit) on
    /// <paramref name="today"/>; null before submission.
    /// </summary>
    public int? DaysWaiting(DateOnly today)
    {
        if (SubmittedOn is not { } submitted)
        {
            return null;
        }

        var last = CreditedOn is { } credited && credited > submitted ? credited : submitted;
        return today.DayNumber - last.DayNumber;
    }

    /// <summary>Days since submission on <paramref name="today"/> (the dispute's age); null before submission.</summary>
    public int? Age(DateOnly today) => SubmittedOn is { } submitted ? today.DayNumber - submitted.DayNumber : null;
}
