using System.Globalization;
using Tem.Core;
using Tem.Core.Rating;

namespace Tem.Audit.Tests.Rating;

// rating.sql against Tem.Core's ReferenceRater, call by call, over a seeded random world (see RatingScenario).
public sealed class RatedUsageDifferentialTests
{
    private const int Seed = 20_260_329;
    private const int CallCount = 60_000;

    private const int ExtendedSeed = 20_261_207;
    private const int ExtendedCallCount = 40_000;

    [Fact]
    public void RatedUsage_SeededRandomCallsAroundEveryEdge_MatchReferenceRaterExactly() =>
        AssertSameAsReference(RatingScenario.Generate(Seed, CallCount), Seed, extended: false);

    // Every deck uses band split, rate groups or a rounding mode other than half away from zero to 4 places.
    [Fact]
    public void RatedUsage_SeededRandomCallsOnDecksWithGroupsBandSplitAndRoundingModes_MatchReferenceRaterExactly() =>
        AssertSameAsReference(RatingScenario.GenerateExtended(ExtendedSeed, ExtendedCallCount), ExtendedSeed, extended: true);

    private static void AssertSameAsReference(RatingScenario scenario, int seed, bool extended)
    {
        using var db = new RatingDatabase();
        db.AddRates(scenario.Entries);
        db.AddAccounts(scenario.Accounts);
        db.AddCalls(scenario.Calls);

        var rows = db.Rated();

        var voice = scenario.Calls.Where(c => c.UsageType == "voice").ToList();
        Assert.Equal(voice.Count, db.Scalar<long>("SELECT count(*) FROM rated_usage"));
        Assert.Equal(voice.Select(c => c.RecordId).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));

        var rater = new ReferenceRater(scenario.Entries);
        var accounts = scenario.Accounts.ToDictionary(a => (a.Carrier, a.AccountId));
        var zones = RatingScenario.Zones.ToDictionary(z => z, RatingScenario.Zone, StringComparer.Ordinal);
        var coverage = new Coverage(extended);
        var mismatches = new List<string>();
        foreach (var call in voice)
        {
            var account = accounts.GetValueOrDefault((call.Carrier, call.AccountId));
            var zone = account is null ? null : zones[account.TimeZone];
            var rated = account?.RatePlanId is { } deck && zone is not null
                ? rater.Rate(deck, call.CalledNumber!, call.Start, checked((int)call.DurationS!.Value), zone)
                : null;
            var expected = Expected(call, account, zone, rated);
            var actual = rows[call.RecordId];
            if (expected != actual && mismatches.Count < 20)
            {
                mismatches.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{call.RecordId} {call.CalledNumber} {call.Start:O} {call.DurationS}s {account?.TimeZone} deck {account?.RatePlanId}:\n  expected {expected}\n  actual   {actual}"));
            }

            coverage.Add(call, rated, zone, scenario);
        }

        Assert.True(
            mismatches.Count == 0,
            $"rated_usage differs from ReferenceRater (seed {seed}, {voice.Count} voice calls); first differences:\n{string.Join('\n', mismatches)}");
        coverage.AssertMeaningful();
    }

    private static RatedRow Expected(RatingCall call, RatingAccount? account, TimeZoneInfo? zone, RatedCall? rated)
    {
        var local = zone is null ? (DateTime?)null : TimeZoneInfo.ConvertTime(call.Start, zone).DateTime;
        return new RatedRow(
            call.RecordId,
            "voice",
            account?.TimeZone,
            account?.Currency,
            local,
            local?.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            zone is null ? null : WireNames.ToWire(ReferenceRater.BandOf(call.Start, zone)),
            rated?.Entry.Prefix,
            rated is null ? null : WireNames.ToWire(rated.Entry.TimeBand),
            rated?.Entry.Destination,
            rated?.Entry.RatePerMinute,
            rated?.Entry.ConnectFee,
            rated?.BillableSeconds,
            rated?.Cost);
    }

    /// <summary>Guards the test itself: the random world must reach the edges it is meant to reach.</summary>
    private sealed class Coverage(bool extended)
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public void Add(RatingCall call, RatedCall? rated, TimeZoneInfo? zone, RatingScenario scenario)
        {
            if (rated is null)
            {
                Count("unrated");
                return;
            }

            Count("rated");
            Count("entry band " + WireNames.ToWire(rated.Entry.TimeBand));
            Count("call band " + WireNames.ToWire(rated.Band));
            if (call.DurationS == 0)
            {
                Count("0 s");
            }

            if (rated.Entry.Prefix.Length >= 16)
            {
                Count("prefix of 16+ digits");
            }

            if (rated.Entry.EffectiveTo is { } to && DateOnly.FromDateTime(rated.LocalStart.DateTime) == to)
            {
                Count("on the last day of an entry");
            }

            var exact = rated.Entry.ConnectFee + rated.Parts.Sum(p => p.Entry.RatePerMinute * p.BillableSeconds / 60m);
            if (call.DurationS > 0 && exact * 10_000m % 1m == 0.5m)
            {
                Count("midpoint cost");
            }

            if (rated.Parts.Select(p => p.Band).Distinct().Count() > 1)
            {
                Count("split at a band change");
            }

            if (rated.Parts.Any(p => p.Entry.FromSecond > 0))
            {
                Count("billed in a later rate group");
            }

            if (rated.Parts.Count > 1 && rated.Parts[^1].FromSecond + rated.Parts[^1].BillableSeconds > call.DurationS!.Value)
            {
                Count("last part rounded past the end");
            }

            if (call.DurationS > 0 && rated.Cost != Rounding.HalfAwayFromZero(exact, 4))
            {
                Count("rounded otherwise than half away to 4 places in " + rated.Entry.RatePlanId);
            }

            // A longer prefix of the deck starts the number, but none of its entries applies: the shorter one priced it.
            var deckPrefixes = scenario.Prefixes[rated.Entry.RatePlanId];
            if (deckPrefixes.Any(p => p.Length > rated.Entry.Prefix.Length && rated.NormalizedNumber.StartsWith(p, StringComparison.Ordinal)))
            {
                Count("fell back to a shorter prefix");
            }

            var transitions = scenario.Transitions[zone!.Id];
            if (transitions.Any(t => (call.Start - t).Duration() <= TimeSpan.FromHours(3)))
            {
                Count("within 3 h of a transition in " + zone.Id);
            }
        }

        public void AssertMeaningful()
        {
            string[] required =
            [
                "rated", "unrated", "entry band any", "entry band peak", "entry band offpeak", "call band peak", "call band offpeak", "0 s",
                "prefix of 16+ digits", "on the last day of an entry", "midpoint cost", "fell back to a shorter prefix",
                "within 3 h of a transition in America/New_York", "within 3 h of a transition in Europe/London",
                "within 3 h of a transition in Europe/Berlin", "within 3 h of a transition in Australia/Lord_Howe",
            ];
            if (extended)
            {
                required =
                [
                    .. required, "split at a band change", "billed in a later rate group",
                    "last part rounded past the end", "rounded otherwise than half away to 4 places in D2",
                    "rounded otherwise than half away to 4 places in D3", "rounded otherwise than half away to 4 places in D4",
                ];
            }

            var summary = string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"));
            Assert.All(required, r => Assert.True(_counts.GetValueOrDefault(r) >= 20, $"too few '{r}' calls in the scenario ({summary})"));
        }

        private void Count(string what) => _counts[what] = _counts.GetValueOrDefault(what) + 1;
    }
}
