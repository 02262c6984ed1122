using Tem.Core;
using Tem.Core.Rating;
using static Tem.Audit.Tests.Rating.HandCaseDeck;

namespace Tem.Audit.Tests.Rating;

// The cases a reference rater (CGRateS) documents for its rating intervals, rate groups (GroupIntervalStart) and
// rounding (RoundingMethod, RoundingDecimals), written as Tem decks. Each expected value is computed by hand in the
// comment above it, and both engines must give it: rating.sql (rated_usage) and ReferenceRater.
public sealed class RatedUsageReferenceCaseTests
{
    private const string London = "Europe/London";

    // Peak 0.10 / min, offpeak 0.05 / min, both billed per whole minute; the deck splits at band changes or not.
    private static RateEntry[] BandDeck(bool? split) =>
    [
        Entry("44", TimeBand.Peak, "0.1000", "0", 60, 60) with { BandSplit = split },
        Entry("44", TimeBand.Offpeak, "0.0500", "0", 60, 60),
    ];

    // 2026-05-04 is a Monday, London on BST (+01:00): 17:58-18:03 local is 300 s, 120 s peak then 180 s offpeak.
    // Split: 2 min * 0.10 + 3 min * 0.05 = 0.35. Not split: 5 min * 0.10 = 0.50 (priced entirely at its start band).
    [Theory]
    [InlineData(true, "0.3500")]
    [InlineData(null, "0.5000")]
    [InlineData(false, "0.5000")]
    public void Rate_CallFrom1758To1803_SplitAtSixPmOnlyWhenTheDeckSaysSo(bool? split, string expected)
    {
        var (sql, reference) = Both(BandDeck(split), "+442079460123", "2026-05-04T17:58:00+01:00", 300);

        Assert.Equal(Money(expected), sql.ContractCost);
        Assert.Equal(300, sql.BillableS);
        Assert.Equal("peak", sql.CallBand);
        Assert.Equal(Money(expected), reference.Cost);
        TimeBand[] bands = split == true ? [TimeBand.Peak, TimeBand.Offpeak] : [TimeBand.Peak];
        Assert.Equal(bands, reference.Parts.Select(p => p.Band));
    }

    // The other way round: 07:58-08:03 on a Monday is 120 s offpeak then 180 s peak: 2 * 0.05 + 3 * 0.10 = 0.40.
    [Fact]
    public void Rate_CallFrom0758To0803WithSplit_BillsTwoOffpeakAndThreePeakMinutes()
    {
        var (sql, reference) = Both(BandDeck(true), "+442079460123", "2026-05-04T07:58:00+01:00", 300);

        Assert.Equal(0.40m, sql.ContractCost);
        Assert.Equal(0.40m, reference.Cost);
    }

    // DST followed: 2026-03-30 is the Monday after the clocks went forward; 16:58 UTC is 17:58 BST, so the band changes
    // 120 s in (at 17:00 UTC), not at 18:00 UTC: 0.35 as above. Counting in UTC would bill 5 peak minutes (0.50).
    [Fact]
    public void Rate_SplitCallOnTheFirstDayOfSummerTime_ChangesBandAtLocalSixPm()
    {
        var (sql, reference) = Both(BandDeck(true), "+442079460123", "2026-03-30T16:58:00Z", 300);

        Assert.Equal(0.35m, sql.ContractCost);
        Assert.Equal(0.35m, reference.Cost);
    }

    // An increment that straddles the band change is billed at the band it starts in, and the next part starts where it
    // ended: 17:59:30 + 60 s bills one peak minute [0, 60) = 0.10; the offpeak part [30, 60) is already covered.
    [Fact]
    public void Rate_IncrementStraddlingSixPm_IsBilledAtItsStartBandOnce()
    {
        var (sql, reference) = Both(BandDeck(true), "+442079460123", "2026-05-04T17:59:30+01:00", 60);

        Assert.Equal(0.10m, sql.ContractCost);
        Assert.Equal(60, sql.BillableS);
        Assert.Equal(0.10m, reference.Cost);
        Assert.Equal(60, reference.BillableSeconds);
        Assert.Single(reference.Parts);
    }

    // Two rate groups: the first 60 s at 0.60 / min in one 60 s increment, then 0.30 / min per second, connect 0.05.
    //  30 s: 0.05 + 0.60                    = 0.65 (billable 60)
    //  61 s: 0.05 + 0.60 + 0.30 * 1 / 60    = 0.655 (billable 61)
    // 150 s: 0.05 + 0.60 + 0.30 * 90 / 60   = 1.10 (billable 150)
    [Theory]
    [InlineData(30, 60, "0.6500")]
    [InlineData(60, 60, "0.6500")]
    [InlineData(61, 61, "0.6550")]
    [InlineData(150, 150, "1.1000")]
    public void Rate_TwoGroupDeck_BillsTheFirstMinuteAtOneRateAndTheRestAtAnother(long duration, long billable, string expected)
    {
        RateEntry[] deck =
        [
            Entry("33", TimeBand.Any, "0.6000", "0.0500", 60, 60),
            Entry("33", TimeBand.Any, "0.3000", "0.0000", 1, 1) with { FromSecond = 60 },
        ];

        var (sql, reference) = Both(deck, "+33142685300", "2026-05-04T10:00:00+01:00", duration);

        Assert.Equal(Money(expected), sql.ContractCost);
        Assert.Equal(billable, sql.BillableS);
        Assert.Equal(0.60m, sql.RatePerMinute);
        Assert.Equal(Money(expected), reference.Cost);
        Assert.Equal(billable, reference.BillableSeconds);
    }

    // The first group bills in 45 s steps with no initial increment: 61 s bills [0, 90) at 0.60 (two steps), which
    // covers the second group's [60, 61): 0.05 + 0.60 * 90 / 60 = 0.95.
    [Fact]
    public void Rate_FirstGroupIncrementPastTheSecondGroupStart_CoversIt()
    {
        RateEntry[] deck =
        [
            Entry("33", TimeBand.Any, "0.6000", "0.0500", 0, 45),
            Entry("33", TimeBand.Any, "0.3000", "0.0000", 1, 1) with { FromSecond = 60 },
        ];

        var (sql, reference) = Both(deck, "+33142685300", "2026-05-04T10:00:00+01:00", 61);

        Assert.Equal(0.95m, sql.ContractCost);
        Assert.Equal(90, sql.BillableS);
        Assert.Equal(0.95m, reference.Cost);
    }

    // 0.0174 / min for 5 s (1/1 increments) is exactly 0.00145; 0.0300 / min for 3 s is exactly 0.0015.
    [Theory]
    [InlineData("0.0174", 5, CostRounding.Up, 4, "0.0015")]
    [InlineData("0.0174", 5, CostRounding.Middle, 4, "0.0015")]
    [InlineData("0.0174", 5, CostRounding.Down, 4, "0.0014")]
    [InlineData("0.0174", 5, CostRounding.Up, 3, "0.0020")]
    [InlineData("0.0174", 5, CostRounding.Middle, 3, "0.0010")]
    [InlineData("0.0174", 5, CostRounding.Down, 3, "0.0010")]
    [InlineData("0.0174", 5, CostRounding.Up, 2, "0.0100")]
    [InlineData("0.0174", 5, CostRounding.Down, 2, "0.0000")]
    [InlineData("0.0300", 3, CostRounding.Up, 3, "0.0020")]
    [InlineData("0.0300", 3, CostRounding.Middle, 3, "0.0020")]
    [InlineData("0.0300", 3, CostRounding.Down, 3, "0.0010")]
    [InlineData("0.0300", 3, CostRounding.Middle, 0, "0.0000")]
    [InlineData("0.0300", 3, CostRounding.Up, 0, "1.0000")]
    public void Rate_DeckRounding_RoundsTheCallCostAsTheDeckSays(string rate, long duration, CostRounding mode, int decimals, string expected)
    {
        RateEntry[] deck = [Entry("49", TimeBand.Any, rate, "0", 1, 1) with { Rounding = mode, RoundingDecimals = decimals }];

        var (sql, reference) = Both(deck, "+4930901820", "2026-05-04T10:00:00+01:00", duration);

        Assert.Equal(Money(expected), sql.ContractCost);
        Assert.Equal(Money(expected), reference.Cost);
    }

    // Rows that disagree on a deck setting: the reference refuses the deck; rating.sql leaves its calls unpriced, as for an unknown deck.
    [Fact]
    public void Rate_DeckWhoseRowsDisagreeOnRounding_IsNotUsed()
    {
        RateEntry[] deck =
        [
            Entry("49", TimeBand.Any, "0.0300", "0", 1, 1) with { Rounding = CostRounding.Up },
            Entry("44", TimeBand.Any, "0.0300", "0", 1, 1) with { Rounding = CostRounding.Down },
        ];

        var row = Sql(deck, "+4930901820", "2026-05-04T10:00:00+01:00", 3);

        Assert.Null(row.ContractCost);
        Assert.Null(row.RatePrefix);
        var error = Assert.Throws<ArgumentException>(() => new ReferenceRater(deck));
        Assert.Contains("rounding", error.Message, StringComparison.Ordinal);
        Assert.Contains("up, down", error.Message, StringComparison.Ordinal);
    }

    // A rate-group row without its group's row at second 0 cannot be placed.
    [Fact]
    public void Rate_GroupRowWithoutARowAtSecondZero_IsNotUsed()
    {
        RateEntry[] deck =
        [
            Entry("49", TimeBand.Any, "0.0300", "0", 1, 1),
            Entry("33", TimeBand.Any, "0.3000", "0", 1, 1) with { FromSecond = 60 },
        ];

        var row = Sql(deck, "+4930901820", "2026-05-04T10:00:00+01:00", 3);

        Assert.Null(row.ContractCost);
        var error = Assert.Throws<ArgumentException>(() => new ReferenceRater(deck));
        Assert.Contains("from_second 60", error.Message, StringComparison.Ordinal);
    }

    private static (RatedRow Sql, RatedCall Reference) Both(RateEntry[] deck, string called, string start, long duration)
    {
        var reference = new ReferenceRater(deck).Rate(Deck, called, At(start), checked((int)duration), TimeZoneInfo.FindSystemTimeZoneById(London));
        Assert.NotNull(reference);
        return (Sql(deck, called, start, duration), reference);
    }

    private static RatedRow Sql(RateEntry[] deck, string called, string start, long duration)
    {
        using var db = new RatingDatabase();
        db.AddRates(deck);
        db.AddAccounts([new RatingAccount(Carrier, "A1", London, Deck)]);
        db.AddCalls([new RatingCall("c1", Carrier, "A1", At(start), duration, called)]);
        return Assert.Single(db.Rated().Values);
    }
}
