using Tem.Core;
using static Tem.Audit.Tests.Rating.HandCaseDeck;

namespace Tem.Audit.Tests.Rating;

// Decks and accounts the shared hand-case deck does not have: malformed decks (ties), very long prefixes, extreme
// durations, and accounts the rating cannot price.
public sealed class RatedUsageDeckEdgeTests
{
    private const string London = "Europe/London";
    private const string Monday = "2026-05-04T10:00:00+01:00";

    [Theory]
    [InlineData("2026-02-02T10:00:00Z", "0.0500")]
    [InlineData("2026-05-04T10:00:00Z", "0.0300")]
    public void RatedUsage_SameSpecificityDifferentEffectiveFrom_LatestEffectiveFromWins(string start, string expected)
    {
        var row = RateOne(
            [Entry("44", TimeBand.Any, "0.0500", "0", 60, 60, from: "2026-01-01"), Entry("44", TimeBand.Any, "0.0300", "0", 60, 60, from: "2026-03-01")],
            "+442079460123", start, 60);

        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData("0.0500", "0.0700", "first")]
    [InlineData("0.0700", "0.0500", "first")]
    public void RatedUsage_FullTieInMalformedDeck_FirstInDeckWins(string firstRate, string secondRate, string winner)
    {
        RateEntry[] entries =
        [
            Entry("44", TimeBand.Any, firstRate, "0", 60, 60, destination: "first"),
            Entry("44", TimeBand.Any, secondRate, "0", 60, 60, destination: "second"),
        ];

        var row = RateOne(entries, "+442079460123", Monday, 60);

        Assert.Equal(winner, row.RateDestination);
        Assert.Equal(Money(firstRate), row.ContractCost);
    }

    [Theory]
    [InlineData("4412345678901234599", "44123456789012345", "0.0300")] // 17 digits
    [InlineData("441234567890123499", "4412345678901234", "0.0200")] // 16 digits
    [InlineData("4412345678901239", "441234567890123", "0.0400")] // 15 digits: the 16-digit prefix differs in its last digit
    [InlineData("441234567890123456789000", "441234567890123456789", "0.0500")] // 21 digits
    [InlineData("44123456789012", "44", "0.0100")]
    public void RatedUsage_PrefixesOfFifteenDigitsAndMore_LongestWins(string called, string prefix, string expected)
    {
        RateEntry[] entries =
        [
            Entry("44", TimeBand.Any, "0.0100", "0", 60, 60),
            Entry("4412345678901234", TimeBand.Any, "0.0200", "0", 60, 60),
            Entry("44123456789012345", TimeBand.Any, "0.0300", "0", 60, 60),
            Entry("441234567890123", TimeBand.Any, "0.0400", "0", 60, 60),
            Entry("441234567890123456789", TimeBand.Any, "0.0500", "0", 60, 60),
        ];

        var row = RateOne(entries, called, Monday, 60);

        Assert.Equal(prefix, row.RatePrefix);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData(2_147_483_647L, "0.0500", "0.0100", 60, 60)]
    [InlineData(1_000_000_000_000L, "999.9999", "12.3456", 30, 6)]
    [InlineData(3_000_000_000L, "0.0007", "0", 1, 1)]
    public void RatedUsage_HugeDuration_PricedExactlyBeyondTheBigintFastPath(long duration, string rate, string connect, int initial, int subsequent)
    {
        var entry = Entry("44", TimeBand.Any, rate, connect, initial, subsequent);
        var steps = (duration - initial + subsequent - 1) / subsequent;
        var billable = initial + (steps * subsequent);

        var row = RateOne([entry], "+442079460123", Monday, duration);

        Assert.Equal(billable, row.BillableS);
        Assert.Equal(Rounding.HalfAwayFromZero(entry.ConnectFee + (entry.RatePerMinute * billable / 60m), 4), row.ContractCost);
    }

    [Fact]
    public void RatedUsage_CostBeyondDecimal18_4_HasNullPrice()
    {
        var row = RateOne([Entry("44", TimeBand.Any, "99999999.9999", "0", 1, 1)], "+442079460123", Monday, 1_000_000_000_000L);

        Assert.Equal(1_000_000_000_000L, row.BillableS);
        Assert.Null(row.ContractCost);
    }

    // ReferenceRater refuses such a deck; the lake accepts subsequent_increment_s = 0, and rating prices what it can.
    [Theory]
    [InlineData(30, 60L, "0.0600")]
    [InlineData(60, 60L, "0.0600")]
    [InlineData(61, null, null)]
    public void RatedUsage_ZeroSubsequentIncrement_PricesOnlyWithinTheInitialIncrement(long duration, long? billable, string? expected)
    {
        var row = RateOne([Entry("44", TimeBand.Any, "0.0600", "0", 60, 0)], "+442079460123", Monday, duration);

        Assert.Equal(billable, row.BillableS);
        Assert.Equal(expected is null ? null : Money(expected), row.ContractCost);
    }

    [Fact]
    public void RatedUsage_EffectiveToBeforeEffectiveFrom_NeverApplies()
    {
        RateEntry malformed = Entry("447", TimeBand.Any, "0.9000", "0", 60, 60) with
        {
            EffectiveFrom = new DateOnly(2026, 5, 10),
            EffectiveTo = new DateOnly(2026, 5, 1),
        };

        var row = RateOne([Entry("44", TimeBand.Any, "0.0500", "0", 60, 60), malformed], "+447700900123", Monday, 60);

        Assert.Equal("44", row.RatePrefix);
    }

    [Fact]
    public void RatedUsage_AccountsThatCannotBePriced_AreKeptWithNullPrice()
    {
        using var db = new RatingDatabase();
        db.AddRates([Entry("44", TimeBand.Any, "0.0500", "0", 60, 60)]);
        db.AddAccounts(
        [
            new RatingAccount(Carrier, "NO-PLAN", London, null),
            new RatingAccount(Carrier, "OTHER-DECK", London, "T9"),
            new RatingAccount(Carrier, "MARS", "Mars/Olympus_Mons", Deck),
            new RatingAccount(Carrier, "OK", London, Deck),
        ]);
        var start = At(Monday);
        db.AddCalls(
        [
            new RatingCall("no-plan", Carrier, "NO-PLAN", start, 60, "+442079460123"),
            new RatingCall("other-deck", Carrier, "OTHER-DECK", start, 60, "+442079460123"),
            new RatingCall("mars", Carrier, "MARS", start, 60, "+442079460123"),
            new RatingCall("ghost", Carrier, "GHOST", start, 60, "+442079460123"),
            new RatingCall("ok", Carrier, "OK", start, 60, "+442079460123"),
        ]);

        var rows = db.Rated();

        Assert.Equal(5, rows.Count);
        Assert.Equal(new DateTime(2026, 5, 4, 10, 0, 0), rows["no-plan"].LocalStart);
        Assert.Null(rows["no-plan"].ContractCost);
        Assert.Equal(new DateTime(2026, 5, 4, 10, 0, 0), rows["other-deck"].LocalStart);
        Assert.Null(rows["other-deck"].ContractCost);
        Assert.Equal("Mars/Olympus_Mons", rows["mars"].TimeZone);
        Assert.Null(rows["mars"].LocalStart);
        Assert.Null(rows["mars"].CallBand);
        Assert.Null(rows["mars"].UsageMonth);
        Assert.Null(rows["mars"].ContractCost);
        Assert.Null(rows["ghost"].TimeZone);
        Assert.Null(rows["ghost"].ContractCost);
        Assert.Equal(0.05m, rows["ok"].ContractCost);
    }

    [Fact]
    public void RatedUsage_SameAccountIdAtTwoCarriers_UsesTheCallsCarrier()
    {
        using var db = new RatingDatabase();
        db.AddRates([Entry("44", TimeBand.Any, "0.0500", "0", 60, 60), Entry("44", TimeBand.Any, "0.0700", "0", 60, 60, deck: "T2")]);
        db.AddAccounts([new RatingAccount("X", "A1", London, Deck), new RatingAccount("Y", "A1", "America/New_York", "T2")]);
        db.AddCalls(
        [
            new RatingCall("x", "X", "A1", At("2026-05-04T03:30:00Z"), 60, "+442079460123"),
            new RatingCall("y", "Y", "A1", At("2026-05-04T03:30:00Z"), 60, "+442079460123"),
        ]);

        var rows = db.Rated();

        Assert.Equal(new DateTime(2026, 5, 4, 4, 30, 0), rows["x"].LocalStart);
        Assert.Equal(0.05m, rows["x"].ContractCost);
        Assert.Equal(new DateTime(2026, 5, 3, 23, 30, 0), rows["y"].LocalStart);
        Assert.Equal(0.07m, rows["y"].ContractCost);
    }

    private static RatedRow RateOne(IEnumerable<RateEntry> entries, string called, string start, long duration)
    {
        using var db = new RatingDatabase();
        db.AddRates(entries);
        db.AddAccounts([new RatingAccount(Carrier, "A1", London, Deck)]);
        db.AddCalls([new RatingCall("c1", Carrier, "A1", At(start), duration, called)]);
        return Assert.Single(db.Rated().Values);
    }
}
