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
/// <para>
/// Refinements, each opt-in by the deck (a deck without them prices as above). Only rows with <c>from_second = 0</c>
/// take part in matching; the winner's <em>group</em> is its rows with the same prefix, band, <c>effective_from</c>
/// and <c>effective_to</c>, each applying from its <c>from_second</c>. With <c>band_split</c> the call is cut at each
/// instant within it where its band changes (local 08:00 and 18:00 on a weekday, DST followed); each band part is
/// priced by the entry that wins for that band (the call's start date still selects the validity; a band no entry
/// covers keeps the start's entry). Parts are cut further at the group starts. Increments run along the whole call,
/// as CGRateS rounds a time span up to its increment and the next span starts where it ended: from elapsed second
/// <c>p = 0</c>, each part <c>[a, b)</c> with <c>p &lt; b</c> bills <c>n = b - p</c> seconds rounded up with its row's
/// increments (the initial one only for the call's first part) at its row's rate, and <c>p</c> moves to the end of
/// what it billed; a part that <c>p</c> has already passed bills nothing. The connect fee is the start entry's.
/// <c>cost = round(connect_fee + sum(rate_per_minute * billed / 60), decimals, rounding)</c>: rounded once, on the whole
/// call, as CGRateS rounds the call's cost with the rate's <c>RoundingMethod</c> and <c>RoundingDecimals</c>.
/// </para>
/// </remarks>
public sealed class ReferenceRater
{
    private static readonly TimeSpan PeakStart = TimeSpan.FromHours(8);
    private static readonly TimeSpan PeakEnd = TimeSpan.FromHours(18);
    private static readonly (TimeSpan Time, TimeBand Band)[] Changes = [(PeakStart, TimeBand.Peak), (PeakEnd, TimeBand.Offpeak)];

    private readonly FrozenDictionary<string, RateEntry[]> _decks;

    /// <summary>Creates a rater over the rate entries of one or more decks (rates.csv rows).</summary>
    /// <param name="deck">The entries, of any number of <c>rate_plan_id</c>s. Their order only breaks ties in malformed decks.</param>
    /// <exception cref="ArgumentNullException"><paramref name="deck"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentException">
    /// An entry has an empty or non-digit prefix, a negative rate, connect fee or initial increment, a subsequent
    /// increment below 1 s, a negative <c>from_second</c>, <c>rounding_decimals</c> outside 0 to 4, or an
    /// <c>effective_to</c> before its <c>effective_from</c>; a deck's rows give different values of a deck setting; or
    /// a rate group has no row at <c>from_second</c> 0.
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
        _settings = byPlan.ToFrozenDictionary(p => p.Key, p => DeckSettings.Of(p.Key, p.Value), StringComparer.Ordinal);
        _groups = byPlan.Values.SelectMany(Groups).ToFrozenDictionary(g => g.Key, g => g.Value, ReferenceEqualityComparer.Instance);
    }

    private readonly FrozenDictionary<string, DeckSettings> _settings;

    // Each head (from_second = 0 row) to its group's rows, by from_second, the first in the deck for a repeated one.
    private readonly FrozenDictionary<object, RateEntry[]> _groups;

    /// <summary>Prices one call against the account's deck.</summary>
    /// <param name="ratePlanId">The account's deck (accounts.csv <c>rate_plan_id</c>); compared exactly (ordinal).</param>
    /// <param name="calledNumber">The called number as billed, e.g. <c>+442079460123</c>, <c>00442079460123</c> or <c>442079460123</c>.</param>
    /// <param name="start">The call's start instant (any offset; only the instant matters).</param>
    /// <param name="durationS">Duration in seconds, 0 when unanswered.</param>
    /// <param name="accountZone">The account's time zone (accounts.csv <c>time_zone</c>), for the band and the local date.</param>
    /// <returns>
    /// The entry used (the start's) and the cost, in the deck's currency rounded as the deck says (half away from zero
    /// to 4 places by default); null when the deck is unknown, the called number is not a phone number, or no entry applies.
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

        var best = Winner(entries, digits, date, band);
        if (best is null)
        {
            return null;
        }

        var settings = _settings[ratePlanId];
        if (durationS == 0)
        {
            return new RatedCall(best, band, local, digits, 0, 0m) { Parts = [] };
        }

        // Band parts [from, to) in elapsed seconds, each with the head that prices it.
        var bandParts = new List<(long From, long To, RateEntry Head, TimeBand Band)>();
        long from = 0;
        var partBand = band;
        var head = best;
        if (settings.BandSplit)
        {
            foreach (var (at, next) in BandChanges(start, durationS, accountZone))
            {
                bandParts.Add((from, at, head, partBand));
                from = at;
                partBand = next;
                head = Winner(entries, digits, date, next) ?? best;
            }
        }

        bandParts.Add((from, durationS, head, partBand));

        var parts = new List<RatedPart>();
        long position = 0;
        var exact = best.ConnectFee;
        foreach (var (partFrom, partTo, partHead, partBandValue) in bandParts)
        {
            var group = _groups[partHead];
            for (var i = 0; i < group.Length; i++)
            {
                var row = group[i];
                var a = Math.Max(partFrom, row.FromSecond);
                var b = i + 1 < group.Length ? Math.Min(partTo, group[i + 1].FromSecond) : partTo;
                if (a >= b || position >= b)
                {
                    continue;
                }

                var seconds = b - position;
                var billed = position == 0
                    ? BillableSeconds(checked((int)seconds), row.InitialIncrementS, row.SubsequentIncrementS)
                    : CeilingToIncrement(seconds, row.SubsequentIncrementS);
                parts.Add(new RatedPart(row, partBandValue, position, billed));
                exact += row.RatePerMinute * billed / 60m;
                position += billed;
            }
        }

        var cost = Rounding.Round(exact, settings.Decimals, settings.Mode);
        return new RatedCall(best, band, local, digits, position, cost) { Parts = parts };
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

    private static RateEntry? Winner(RateEntry[] entries, string digits, DateOnly date, TimeBand band)
    {
        RateEntry? best = null;
        foreach (var entry in entries)
        {
            if (entry.FromSecond == 0 && Applies(entry, digits, date, band) && (best is null || Beats(entry, best)))
            {
                best = entry;
            }
        }

        return best;
    }

    private static long CeilingToIncrement(long seconds, int increment) => (seconds + increment - 1) / increment * increment;

    /// <summary>
    /// The elapsed seconds (rounded up to whole seconds) within <c>(0, duration)</c> at which the band changes: local
    /// 08:00 (to peak) and 18:00 (to offpeak) on Monday to Friday, each converted to an instant in the zone.
    /// </summary>
    private static IEnumerable<(long At, TimeBand Band)> BandChanges(DateTimeOffset start, int durationS, TimeZoneInfo zone)
    {
        var end = start.AddSeconds(durationS);
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(end, zone).DateTime);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            foreach (var (time, band) in Changes)
            {
                var wall = day.ToDateTime(TimeOnly.FromTimeSpan(time), DateTimeKind.Unspecified);
                if (zone.IsInvalidTime(wall))
                {
                    // No tz zone skips 08:00 or 18:00 today; a historical one would move the change to the gap's end.
                    continue;
                }

                var instant = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
                var ticks = (instant - start).Ticks;
                var at = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
                if (ticks > 0 && at < durationS)
                {
                    yield return (at, band);
                }
            }
        }
    }

    private static IEnumerable<KeyValuePair<object, RateEntry[]>> Groups(List<RateEntry> deck)
    {
        var byKey = deck.GroupBy(e => (e.Prefix, e.TimeBand, e.EffectiveFrom, e.EffectiveTo));
        foreach (var group in byKey)
        {
            var rows = group.OrderBy(e => e.FromSecond).DistinctBy(e => e.FromSecond).ToArray();
            if (rows[0].FromSecond != 0)
            {
                var e = rows[0];
                throw new ArgumentException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Rate entry {e.RatePlanId}/{e.Prefix} ({WireNames.ToWire(e.TimeBand)}, from {e.EffectiveFrom:yyyy-MM-dd}): from_second {e.FromSecond} but no row of its group starts at 0."),
                    nameof(deck));
            }

            foreach (var head in group.Where(e => e.FromSecond == 0))
            {
                yield return new(head, rows);
            }
        }
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

        if (entry.FromSecond < 0 || entry.RoundingDecimals is < 0 or > 4)
        {
            throw new ArgumentException(
                $"Rate entry {entry.RatePlanId}/{entry.Prefix}: from_second must be >= 0 and rounding_decimals 0 to 4.", nameof(entry));
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

/// <summary>A deck's settings: the values its rows give (rows that leave one empty take the deck's).</summary>
internal sealed record DeckSettings(bool BandSplit, CostRounding Mode, int Decimals)
{
    public static DeckSettings Of(string ratePlanId, List<RateEntry> deck) => new(
        One(ratePlanId, "band_split", deck.Select(e => e.BandSplit)) ?? false,
        One(ratePlanId, "rounding", deck.Select(e => e.Rounding)) ?? CostRounding.Middle,
        One(ratePlanId, "rounding_decimals", deck.Select(e => e.RoundingDecimals)) ?? 4);

    private static T? One<T>(string ratePlanId, string column, IEnumerable<T?> values)
        where T : struct
    {
        var given = values.Where(v => v.HasValue).Select(v => v!.Value).Distinct().ToList();
        return given.Count switch
        {
            0 => null,
            1 => given[0],
            _ => throw new ArgumentException(
                $"Rate deck {ratePlanId}: its rows give different {column} values ({string.Join(", ", given.Select(Wire))}); a deck has one.",
                nameof(ratePlanId)),
        };
    }

    private static string Wire<T>(T value) => value switch
    {
        CostRounding mode => WireNames.ToWire(mode),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? string.Empty,
    };
}

/// <summary>One part of a rated call: the row that priced it, its band, where its billing started and how many seconds it billed.</summary>
/// <param name="Entry">The row (of the group of the entry that won the part's band).</param>
/// <param name="Band">The band of the part.</param>
/// <param name="FromSecond">The elapsed second at which the part's billing started.</param>
/// <param name="BillableSeconds">The seconds it billed, after its row's increments.</param>
public sealed record RatedPart(RateEntry Entry, TimeBand Band, long FromSecond, long BillableSeconds);

/// <summary>The result of rating one call with <see cref="ReferenceRater"/>.</summary>
/// <param name="Entry">The rate entry that priced the call (its prefix, band and dates).</param>
/// <param name="Band">The call's own band in the account's time zone, <see cref="TimeBand.Peak"/> or <see cref="TimeBand.Offpeak"/> (the entry's band may be <see cref="TimeBand.Any"/>).</param>
/// <param name="LocalStart">The start instant in the account's time zone (its offset is that zone's offset at the instant).</param>
/// <param name="NormalizedNumber">The called number as matched: digits only, <c>+</c> or international <c>00</c> stripped.</param>
/// <param name="BillableSeconds">Billable seconds after the entry's increments; 0 for an unanswered call.</param>
/// <param name="Cost">The contract price in the deck's currency, rounded as the deck says (half away from zero to 4 decimal places unless it says otherwise); 0 for an unanswered call.</param>
public sealed record RatedCall(RateEntry Entry, TimeBand Band, DateTimeOffset LocalStart, string NormalizedNumber, long BillableSeconds, decimal Cost)
{
    /// <summary>The parts the call was billed in, in order (one for a deck without groups or band split); empty for an unanswered call.</summary>
    public IReadOnlyList<RatedPart> Parts { get; init; } = [];

    /// <summary>Value equality, <see cref="Parts"/> compared element by element.</summary>
    /// <param name="other">The other result.</param>
    /// <returns>Whether both rate the call the same way.</returns>
    public bool Equals(RatedCall? other) =>
        other is not null
        && Entry == other.Entry && Band == other.Band && LocalStart.Equals(other.LocalStart)
        && NormalizedNumber == other.NormalizedNumber && BillableSeconds == other.BillableSeconds && Cost == other.Cost
        && Parts.SequenceEqual(other.Parts);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Entry, Band, LocalStart, NormalizedNumber, BillableSeconds, Cost, Parts.Count);
}
