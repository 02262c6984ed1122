using System.Collections.Frozen;
using System.Globalization;

namespace Tem.Core.Rating;

/// <summary>
/// The contract price of one call, computed the plain way: the reference that the sample-data generator bills with
/// and that the SQL rerating engine is checked against (formats.md, "Rating").
/// </summary>
/// <remarks>
/// <para>
/// Matching. The called number is normalized with <see cref="PhoneNumber"/>: separators dropped, a leading <c>+</c>
/// or international <c>00</c> stripped (<c>+44…</c>, <c>0044…</c> and <c>44…</c> are the same number). An entry
/// <em>applies</em> to a call when all of these hold:
/// it belongs to the account's deck (<c>rate_plan_id</c>);
/// the normalized number starts with its prefix;
/// it is effective on the call's <em>local</em> start date in the account's time zone,
/// <c>effective_from &lt;= date</c> and (<c>effective_to</c> empty or <c>date &lt;= effective_to</c>): both ends are
/// <strong>inclusive</strong>, so an entry with <c>effective_to = 2026-06-30</c> still rates a call at 23:59 local
/// on 30 June;
/// and its band is <c>any</c> or the call's band.
/// Among the entries that apply, the longest prefix wins; for the same prefix a specific band (<c>peak</c> or
/// <c>offpeak</c>) beats <c>any</c>. Should a malformed deck still leave a tie, the entry with the latest
/// <c>effective_from</c> wins, then the one that comes first in the deck.
/// A prefix whose entries cover only the other band does not block a shorter prefix that does cover the call.
/// </para>
/// <para>
/// Band. Peak is Monday to Friday, 08:00:00 &lt;= local time &lt; 18:00:00 in the account's IANA time zone;
/// everything else (evenings, nights, Saturday and Sunday) is offpeak. Local time is the call's instant converted
/// to that zone, so daylight saving time is followed.
/// </para>
/// <para>
/// Price. <c>d</c> = duration in seconds. <c>d = 0</c> (unanswered) costs 0, connect fee included. Otherwise
/// <c>billable = initial</c> when <c>d &lt;= initial</c>, else <c>initial + ceil((d - initial) / subsequent) * subsequent</c>,
/// and <c>cost = round_half_away_from_zero(connect_fee + rate_per_minute * billable / 60, 4)</c>, in the currency of
/// the account using the deck (see <see cref="Rounding.HalfAwayFromZero"/>).
/// </para>
/// </remarks>
public sealed class ReferenceRater
{
    private static readonly TimeSpan PeakStart = TimeSpan.FromHours(8);
    private static readonly TimeSpan PeakEnd = TimeSpan.FromHours(18);

    private readonly FrozenDictionary<string, RateEntry[]> _decks;

    /// <summary>Creates a rater over the rate entries of one or more decks (rates.csv rows).</summary>
    /// <param name="deck">The entries, of any number of <c>rate_plan_id</c>s. Their order only breaks ties in malformed decks.</param>
    /// <exception cref="ArgumentNullException"><paramref name="deck"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentException">
    /// An entry has an empty or non-digit prefix, a negative rate, connect fee or initial increment, a subsequent
    /// increment below 1 s, or an <c>effective_to</c> before its <c>effective_from</c>.
    /// </exception>
    public ReferenceRater(IEnumerable<RateEntry> deck)
    {
        ArgumentNullException.ThrowIfNull(deck);
        var byPlan = new Dictionary<string, List<RateEntry>>(StringComparer.Ordinal);
        foreach (var entry in deck)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(deck));
            Validate(entry);
            if (!byPlan.TryGetValue(entry.RatePlanId, out var list))
            {
                list = [];
                byPlan.Add(entry.RatePlanId, list);
            }

            list.Add(entry);
        }

        _decks = byPlan.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Prices one call against the account's deck.</summary>
    /// <param name="ratePlanId">The account's deck (accounts.csv <c>rate_plan_id</c>); compared exactly (ordinal).</param>
    /// <param name="calledNumber">The called number as billed, e.g. <c>+442079460123</c>, <c>00442079460123</c> or <c>442079460123</c>.</param>
    /// <param name="start">The call's start instant (any offset; only the instant matters).</param>
    /// <param name="durationS">Duration in seconds, 0 when unanswered.</param>
    /// <param name="accountZone">The account's time zone (accounts.csv <c>time_zone</c>), for the band and the local date.</param>
    /// <returns>
    /// The entry used and the cost, in the deck's currency rounded half away from zero to 4 places; null when the deck
    /// is unknown, the called number is not a phone number, or no entry applies.
    /// </returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="durationS"/> is negative.</exception>
    public RatedCall? Rate(string ratePlanId, string calledNumber, DateTimeOffset start, int durationS, TimeZoneInfo accountZone)
    {
        ArgumentNullException.ThrowIfNull(ratePlanId);
        ArgumentNullException.ThrowIfNull(calledNumber);
        ArgumentNullException.ThrowIfNull(accountZone);
        ArgumentOutOfRangeException.ThrowIfNegative(durationS);

        if (!_decks.TryGetValue(ratePlanId, out var entries) || !PhoneNumber.TryParse(calledNumber, out var number))
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(start, accountZone);
        var date = DateOnly.FromDateTime(local.DateTime);
        var band = BandOfLocal(local.DateTime);
        var digits = number.Digits;

        RateEntry? best = null;
        foreach (var entry in entries)
        {
            if (Applies(entry, digits, date, band) && (best is null || Beats(entry, best)))
            {
                best = entry;
            }
        }

        if (best is null)
        {
            return null;
        }

        var billable = durationS == 0 ? 0 : BillableSeconds(durationS, best.InitialIncrementS, best.SubsequentIncrementS);
        return new RatedCall(best, band, local, digits, billable, Price(best, durationS));
    }

    /// <summary>The time band of an instant for an account: peak Monday to Friday 08:00 &lt;= local time &lt; 18:00, else offpeak.</summary>
    /// <param name="start">The call's start instant.</param>
    /// <param name="accountZone">The account's IANA time zone.</param>
    /// <returns><see cref="TimeBand.Peak"/> or <see cref="TimeBand.Offpeak"/>, never <see cref="TimeBand.Any"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accountZone"/> is null.</exception>
    public static TimeBand BandOf(DateTimeOffset start, TimeZoneInfo accountZone)
    {
        ArgumentNullException.ThrowIfNull(accountZone);
        return BandOfLocal(TimeZoneInfo.ConvertTime(start, accountZone).DateTime);
    }

    /// <summary>
    /// Billable seconds of an answered call: <paramref name="initialIncrementS"/> when the duration fits in it, else the
    /// initial increment plus the rest rounded up to whole subsequent increments.
    /// </summary>
    /// <param name="durationS">Duration in seconds, at least 1.</param>
    /// <param name="initialIncrementS">First increment in seconds, 0 or more.</param>
    /// <param name="subsequentIncrementS">Later increments in seconds, at least 1.</param>
    /// <returns>The billable seconds, never less than <paramref name="durationS"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the stated range.</exception>
    public static long BillableSeconds(int durationS, int initialIncrementS, int subsequentIncrementS)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(durationS, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(initialIncrementS);
        ArgumentOutOfRangeException.ThrowIfLessThan(subsequentIncrementS, 1);
        if (durationS <= initialIncrementS)
        {
            return initialIncrementS;
        }

        long rest = durationS - initialIncrementS;
        var steps = (rest + subsequentIncrementS - 1) / subsequentIncrementS;
        return initialIncrementS + (steps * subsequentIncrementS);
    }

    /// <summary>
    /// The contract price of a call of <paramref name="durationS"/> seconds under one entry, whatever its prefix, band or
    /// dates: 0 for an unanswered call, else <c>round_half_away_from_zero(connect_fee + rate_per_minute * billable / 60, 4)</c>.
    /// </summary>
    /// <param name="entry">The rate entry.</param>
    /// <param name="durationS">Duration in seconds, 0 when unanswered.</param>
    /// <returns>The cost in the deck's currency, rounded half away from zero to 4 decimal places.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="durationS"/> is negative, or the entry's increments are out of range.</exception>
    public static decimal Price(RateEntry entry, int durationS)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentOutOfRangeException.ThrowIfNegative(durationS);
        if (durationS == 0)
        {
            return 0m;
        }

        var billable = BillableSeconds(durationS, entry.InitialIncrementS, entry.SubsequentIncrementS);
        return Rounding.HalfAwayFromZero(entry.ConnectFee + (entry.RatePerMinute * billable / 60m), 4);
    }

    /// <summary>Whether an entry is in force on a local date: <c>effective_from &lt;= date</c> and <c>effective_to</c> open or <c>date &lt;= effective_to</c> (inclusive).</summary>
    /// <param name="entry">The rate entry.</param>
    /// <param name="localDate">The call's start date in the account's time zone.</param>
    /// <returns>Whether the entry is effective on that date.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    public static bool IsEffective(RateEntry entry, DateOnly localDate)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.EffectiveFrom <= localDate && (entry.EffectiveTo is not { } to || localDate <= to);
    }

    private static bool Applies(RateEntry entry, string digits, DateOnly date, TimeBand band) =>
        IsEffective(entry, date)
        && (entry.TimeBand == TimeBand.Any || entry.TimeBand == band)
        && digits.StartsWith(entry.Prefix, StringComparison.Ordinal);

    // Called in deck order, so on a full tie the earlier entry stays.
    private static bool Beats(RateEntry candidate, RateEntry best)
    {
        if (candidate.Prefix.Length != best.Prefix.Length)
        {
            return candidate.Prefix.Length > best.Prefix.Length;
        }

        var candidateSpecific = candidate.TimeBand != TimeBand.Any;
        var bestSpecific = best.TimeBand != TimeBand.Any;
        if (candidateSpecific != bestSpecific)
        {
            return candidateSpecific;
        }

        return candidate.EffectiveFrom > best.EffectiveFrom;
    }

    private static TimeBand BandOfLocal(DateTime local)
    {
        var weekday = local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        var time = local.TimeOfDay;
        return weekday && time >= PeakStart && time < PeakEnd ? TimeBand.Peak : TimeBand.Offpeak;
    }

    private static void Validate(RateEntry entry)
    {
        if (entry.Prefix.Length == 0 || !entry.Prefix.All(char.IsAsciiDigit))
        {
            throw new ArgumentException(
                $"Rate entry {entry.RatePlanId}/{entry.Prefix}: the prefix must be digits only (E.164 without '+'), e.g. 4420.", nameof(entry));
        }

        if (entry.RatePerMinute < 0 || entry.ConnectFee < 0 || entry.InitialIncrementS < 0 || entry.SubsequentIncrementS < 1)
        {
            throw new ArgumentException(
                $"Rate entry {entry.RatePlanId}/{entry.Prefix}: rate and connect fee must be >= 0, the initial increment >= 0 s and the subsequent increment >= 1 s.",
                nameof(entry));
        }

        if (entry.EffectiveTo is { } to && to < entry.EffectiveFrom)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Rate entry {entry.RatePlanId}/{entry.Prefix}: effective_to {to:yyyy-MM-dd} is before effective_from {entry.EffectiveFrom:yyyy-MM-dd}."),
                nameof(entry));
        }
    }
}

/// <summary>The result of rating one call with <see cref="ReferenceRater"/>.</summary>
/// <param name="Entry">The rate entry that priced the call (its prefix, band and dates).</param>
/// <param name="Band">The call's own band in the account's time zone, <see cref="TimeBand.Peak"/> or <see cref="TimeBand.Offpeak"/> (the entry's band may be <see cref="TimeBand.Any"/>).</param>
/// <param name="LocalStart">The start instant in the account's time zone (its offset is that zone's offset at the instant).</param>
/// <param name="NormalizedNumber">The called number as matched: digits only, <c>+</c> or international <c>00</c> stripped.</param>
/// <param name="BillableSeconds">Billable seconds after the entry's increments; 0 for an unanswered call.</param>
/// <param name="Cost">The contract price in the deck's currency, rounded half away from zero to 4 decimal places; 0 for an unanswered call.</param>
public sealed record RatedCall(RateEntry Entry, TimeBand Band, DateTimeOffset LocalStart, string NormalizedNumber, long BillableSeconds, decimal Cost);
