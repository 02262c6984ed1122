namespace Tem.Core;

/// <summary>
/// One rate of a contracted usage rate deck: one row of rates.csv. Prices are in the currency of the accounts
/// using the deck. Rating (formats.md): <c>billable = initial</c> if <c>d &lt;= initial</c>, else
/// <c>initial + ceil((d - initial) / subsequent) * subsequent</c>; <c>cost = round_half_away_from_zero(connect_fee +
/// rate_per_minute * billable / 60, 4)</c> (see <see cref="Rounding.HalfAwayFromZero"/>); a call of 0 s costs 0.
/// The optional columns (<c>from_second</c>, <c>band_split</c>, <c>rounding</c>, <c>rounding_decimals</c>) refine that:
/// rate groups by elapsed seconds, a split at band boundaries and the deck's rounding (formats.md, "Rating"); a deck
/// without them rates exactly as above.
/// </summary>
public sealed record RateEntry
{
    /// <summary>Deck id, as in accounts.csv <c>rate_plan_id</c> (<c>rate_plan_id</c>).</summary>
    public required string RatePlanId { get; init; }

    /// <summary>Destination prefix, digits only (E.164 without <c>+</c>); the longest matching prefix wins (<c>prefix</c>).</summary>
    public required string Prefix { get; init; }

    /// <summary>Destination name, e.g. <c>United Kingdom Mobile</c> (<c>destination</c>).</summary>
    public required string Destination { get; init; }

    /// <summary>Time band; a specific band beats <see cref="TimeBand.Any"/> for the same prefix (<c>time_band</c>).</summary>
    public required TimeBand TimeBand { get; init; }

    /// <summary>Price per 60 billable seconds (<c>rate_per_minute</c>).</summary>
    public required decimal RatePerMinute { get; init; }

    /// <summary>Price charged once per answered call (<c>connect_fee</c>).</summary>
    public required decimal ConnectFee { get; init; }

    /// <summary>First billing increment in seconds, e.g. 60, 30 or 1 (<c>initial_increment_s</c>).</summary>
    public required int InitialIncrementS { get; init; }

    /// <summary>Later billing increments in seconds, e.g. 60, 6 or 1 (<c>subsequent_increment_s</c>).</summary>
    public required int SubsequentIncrementS { get; init; }

    /// <summary>First date of validity, compared with the call's local start date (<c>effective_from</c>).</summary>
    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>End of validity by the call's local start date, as given in rates.csv; null = open-ended (<c>effective_to</c>).</summary>
    public DateOnly? EffectiveTo { get; init; }

    /// <summary>
    /// Elapsed second of the call from which this row applies (<c>from_second</c>, empty = 0): rows of one prefix, band
    /// and validity (same <c>effective_from</c> and <c>effective_to</c>) with several values are rate groups, like
    /// CGRateS's <c>GroupIntervalStart</c>. A group needs its row at 0, which alone takes part in matching.
    /// </summary>
    public int FromSecond { get; init; }

    /// <summary>
    /// Deck setting (<c>band_split</c>, empty = unset): true splits a call at each peak/offpeak boundary it crosses and
    /// prices each part at its band. Every row of a deck that sets it must give the same value; unset means false.
    /// </summary>
    public bool? BandSplit { get; init; }

    /// <summary>Deck setting (<c>rounding</c>, empty = unset): how the call's cost is rounded; unset means <see cref="CostRounding.Middle"/>. Rows that set it must agree.</summary>
    public CostRounding? Rounding { get; init; }

    /// <summary>Deck setting (<c>rounding_decimals</c>, 0 to 4, empty = unset): the places the cost is rounded to; unset means 4. Rows that set it must agree.</summary>
    public int? RoundingDecimals { get; init; }
}
