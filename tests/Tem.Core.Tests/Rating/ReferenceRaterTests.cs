using FsCheck;
using FsCheck.Fluent;
using Tem.Core.Rating;
using static Tem.Testing.HandRates;

namespace Tem.Core.Tests.Rating;

// Every expected cost below is computed by hand from formats.md:
// billable = initial if d <= initial else initial + ceil((d - initial) / subsequent) * subsequent,
// cost = round_half_away_from_zero(connect_fee + rate_per_minute * billable / 60, 4).
public class ReferenceRaterTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static readonly ReferenceRater Rater = new(T1);

    // 2026-05-04 is a Monday; London is on BST (+01:00), New York on EDT (-04:00).
    [Theory]
    [InlineData(1, "0.1200")]
    [InlineData(59, "0.1200")]
    [InlineData(60, "0.1200")]
    [InlineData(61, "0.2400")]
    [InlineData(120, "0.2400")]
    [InlineData(121, "0.3600")]
    public void Rate_SixtySixtyIncrements_BillsWholeMinutes(int duration, string expected)
    {
        var call = Rate("+447700900123", "2026-05-04T10:00:00+01:00", duration, London);

        Assert.NotNull(call);
        Assert.Equal("447", call.Entry.Prefix);
        Assert.Equal(Money(expected), call.Cost);
    }

    [Theory]
    [InlineData(1, 30, "0.0250")]
    [InlineData(30, 30, "0.0250")]
    [InlineData(31, 36, "0.0300")]
    [InlineData(36, 36, "0.0300")]
    [InlineData(37, 42, "0.0350")]
    [InlineData(125, 126, "0.1050")]
    public void Rate_ThirtySixIncrements_BillsInitialThenSixSecondSteps(int duration, long billable, string expected)
    {
        var call = Rate("+442079460123", "2026-05-04T10:00:00+01:00", duration, London);

        Assert.NotNull(call);
        Assert.Equal("44", call.Entry.Prefix);
        Assert.Equal(billable, call.BillableSeconds);
        Assert.Equal(Money(expected), call.Cost);
    }

    [Theory]
    [InlineData(1, "0.0104")] // 0.01 + 0.025 / 60 = 0.0104166...
    [InlineData(60, "0.0350")]
    [InlineData(125, "0.0621")] // 0.01 + 0.025 * 125 / 60 = 0.0620833...
    public void Rate_OneOneIncrementsWithConnectFee_AddsConnectFeeOnce(int duration, string expected)
    {
        var call = Rate("+12125550123", "2026-05-04T10:00:00-04:00", duration, NewYork);

        Assert.NotNull(call);
        Assert.Equal(TimeBand.Peak, call.Entry.TimeBand);
        Assert.Equal(duration, call.BillableSeconds);
        Assert.Equal(Money(expected), call.Cost);
    }

    [Fact]
    public void Rate_MidpointCost_RoundsHalfAwayFromZero()
    {
        // 0.0006 * 5 / 60 = 0.00005 exactly: away from zero gives 0.0001, banker's rounding would give 0.0000.
        var call = Rate("+9991234", "2026-05-04T10:00:00+01:00", 5, London);

        Assert.NotNull(call);
        Assert.Equal(0.0001m, call.Cost);
    }

    [Fact]
    public void Rate_ZeroDuration_CostsZeroWithoutConnectFee()
    {
        var call = Rate("+12125550123", "2026-05-04T10:00:00-04:00", 0, NewYork);

        Assert.NotNull(call);
        Assert.Equal("1", call.Entry.Prefix);
        Assert.Equal(0, call.BillableSeconds);
        Assert.Equal(0m, call.Cost);
    }

    [Theory]
    [InlineData("+442079460123")]
    [InlineData("00442079460123")]
    [InlineData("442079460123")]
    [InlineData("+44 20 7946 0123")]
    [InlineData("0044 (20) 7946-0123")]
    public void Rate_InternationalForms_NormalizeToSameNumberAndCost(string called)
    {
        var call = Rate(called, "2026-05-04T10:00:00+01:00", 95, London);

        Assert.NotNull(call);
        Assert.Equal("442079460123", call.NormalizedNumber);
        Assert.Equal("44", call.Entry.Prefix);
        Assert.Equal(0.0800m, call.Cost); // 30 + ceil(65 / 6) * 6 = 96 s; 0.04 * 96 / 60 is 0.064 after 1 July, 0.08 before
    }

    [Theory]
    [InlineData("+33123456789X")]
    [InlineData("+61291234567")] // no Australian prefix in the deck
    [InlineData("02079460123")] // national form: the trunk 0 is kept, so it matches no E.164 prefix
    [InlineData("")]
    public void Rate_NoMatchingPrefix_ReturnsNull(string called) =>
        Assert.Null(Rate(called, "2026-05-04T10:00:00+01:00", 60, London));

    [Fact]
    public void Rate_UnknownDeck_ReturnsNull() =>
        Assert.Null(Rater.Rate("NOPE", "+442079460123", At("2026-05-04T10:00:00+01:00"), 60, London));

    [Theory]
    [InlineData("+4915112345678", "4915", "0.0790")] // 60 s at 1/1: 0.079
    [InlineData("+4940123456", "49", "0.0190")]
    public void Rate_SeveralPrefixesMatch_LongestWins(string called, string prefix, string expected)
    {
        var call = Rate(called, "2026-05-04T10:00:00+02:00", 60, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.NotNull(call);
        Assert.Equal(prefix, call.Entry.Prefix);
        Assert.Equal(Money(expected), call.Cost);
    }

    [Theory]
    [InlineData("2026-05-04T10:00:00+01:00", TimeBand.Any, "0.0600")] // peak: no peak entry for 33, so any
    [InlineData("2026-05-04T20:00:00+01:00", TimeBand.Offpeak, "0.0200")] // offpeak entry beats any
    public void Rate_SpecificBandForSamePrefix_BeatsAny(string start, TimeBand entryBand, string expected)
    {
        var call = Rate("+33123456789", start, 60, London);

        Assert.NotNull(call);
        Assert.Equal(entryBand, call.Entry.TimeBand);
        Assert.Equal(Money(expected), call.Cost);
    }

    [Theory]
    [InlineData("2026-05-04T10:00:00+02:00", "4930", "0.5000")]
    [InlineData("2026-05-04T20:00:00+02:00", "49", "0.0190")]
    public void Rate_LongerPrefixOnlyForOtherBand_FallsBackToShorterPrefix(string start, string prefix, string expected)
    {
        var call = Rate("+493012345678", start, 60, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.NotNull(call);
        Assert.Equal(prefix, call.Entry.Prefix);
        Assert.Equal(Money(expected), call.Cost);
    }

    // 2026-05-04 is a Monday.
    [Theory]
    [InlineData("2026-05-04T07:59:59+01:00", TimeBand.Offpeak, "0.0600")]
    [InlineData("2026-05-04T08:00:00+01:00", TimeBand.Peak, "0.1200")]
    [InlineData("2026-05-04T17:59:59+01:00", TimeBand.Peak, "0.1200")]
    [InlineData("2026-05-04T18:00:00+01:00", TimeBand.Offpeak, "0.0600")]
    public void Rate_PeakEdges_EightInclusiveEighteenExclusive(string start, TimeBand band, string expected)
    {
        var call = Rate("+447700900123", start, 60, London);

        Assert.NotNull(call);
        Assert.Equal(band, call.Band);
        Assert.Equal(band, call.Entry.TimeBand);
        Assert.Equal(Money(expected), call.Cost);
    }

    // 2026-05-08 is a Friday, 2026-05-09 a Saturday, 2026-05-10 a Sunday.
    [Theory]
    [InlineData("2026-05-08T17:59:00+01:00", TimeBand.Peak)]
    [InlineData("2026-05-08T18:00:00+01:00", TimeBand.Offpeak)]
    [InlineData("2026-05-09T10:00:00+01:00", TimeBand.Offpeak)]
    [InlineData("2026-05-10T12:00:00+01:00", TimeBand.Offpeak)]
    [InlineData("2026-05-11T08:00:00+01:00", TimeBand.Peak)]
    public void Rate_FridayEveningAndWeekend_AreOffpeak(string start, TimeBand band)
    {
        var call = Rate("+447700900123", start, 60, London);

        Assert.NotNull(call);
        Assert.Equal(band, call.Band);
    }

    // London moves to BST at 01:00 UTC on Sunday 2026-03-29: 07:30Z on Monday 30 March is 08:30 local.
    [Theory]
    [InlineData("2026-03-27T07:30:00Z", TimeBand.Offpeak)] // Friday 07:30 GMT
    [InlineData("2026-03-27T17:30:00Z", TimeBand.Peak)] // Friday 17:30 GMT
    [InlineData("2026-03-29T10:00:00Z", TimeBand.Offpeak)] // the DST Sunday itself
    [InlineData("2026-03-30T07:30:00Z", TimeBand.Peak)] // Monday 08:30 BST
    [InlineData("2026-03-30T17:30:00Z", TimeBand.Offpeak)] // Monday 18:30 BST
    [InlineData("2026-10-23T17:30:00Z", TimeBand.Offpeak)] // Friday 18:30 BST, before the switch back on 25 October
    [InlineData("2026-10-26T17:30:00Z", TimeBand.Peak)] // Monday 17:30 GMT, after it
    public void Rate_LondonAroundDaylightSavingWeekend_UsesLocalTime(string start, TimeBand band)
    {
        var call = Rate("+447700900123", start, 60, London);

        Assert.NotNull(call);
        Assert.Equal(band, call.Band);
        Assert.Equal(band == TimeBand.Peak ? 0.12m : 0.06m, call.Cost);
    }

    // New York moves to EDT on Sunday 2026-03-08 and back to EST on Sunday 2026-11-01.
    [Theory]
    [InlineData("2026-03-06T12:30:00Z", TimeBand.Offpeak)] // Friday 07:30 EST
    [InlineData("2026-03-08T15:00:00Z", TimeBand.Offpeak)] // the DST Sunday itself
    [InlineData("2026-03-09T12:30:00Z", TimeBand.Peak)] // Monday 08:30 EDT
    [InlineData("2026-03-09T22:30:00Z", TimeBand.Offpeak)] // Monday 18:30 EDT
    [InlineData("2026-10-30T21:30:00Z", TimeBand.Peak)] // Friday 17:30 EDT
    [InlineData("2026-11-02T12:30:00Z", TimeBand.Offpeak)] // Monday 07:30 EST
    [InlineData("2026-11-02T13:00:00Z", TimeBand.Peak)] // Monday 08:00 EST
    public void Rate_NewYorkAroundDaylightSavingWeekend_UsesLocalTime(string start, TimeBand band)
    {
        var call = Rate("+12125550123", start, 60, NewYork);

        Assert.NotNull(call);
        Assert.Equal(band, call.Band);
        Assert.Equal(band == TimeBand.Peak ? 0.0350m : 0.0250m, call.Cost); // 0.01 + rate * 60 / 60
    }

    [Fact]
    public void Rate_SameInstantWithDifferentOffsets_GivesSameResult()
    {
        var local = Rate("+447700900123", "2026-05-04T17:59:59+01:00", 61, London);
        var utc = Rate("+447700900123", "2026-05-04T16:59:59Z", 61, London);
        var other = Rate("+447700900123", "2026-05-04T11:59:59-05:00", 61, London);

        Assert.NotNull(local);
        Assert.Equal(local, utc);
        Assert.Equal(local, other);
    }

    // The 44 entry changes on 2026-07-01: 0.05 up to and including 30 June, 0.04 from 1 July, by the LOCAL date.
    [Theory]
    [InlineData("2026-06-30T23:59:59+01:00", "0.0500")] // London, last second of the old rate (effective_to is inclusive)
    [InlineData("2026-07-01T00:00:00+01:00", "0.0400")] // London, 30 June 23:00 UTC but 1 July locally
    [InlineData("2026-07-01T02:00:00Z", "0.0500")] // for a New York account this is 30 June 22:00 EDT
    public void Rate_EffectiveDateChange_UsesLocalStartDateWithInclusiveEnd(string start, string expectedRate)
    {
        var zone = start.EndsWith('Z') ? NewYork : London;
        var call = Rate("+442079460123", start, 60, zone);

        Assert.NotNull(call);
        Assert.Equal(Money(expectedRate), call.Entry.RatePerMinute);
        Assert.Equal(Money(expectedRate), call.Cost); // 60 s at 30/6 is 60 billable seconds
    }

    [Theory]
    [InlineData("2025-12-31T23:59:59Z", false)]
    [InlineData("2026-01-01T00:00:00Z", true)]
    public void Rate_BeforeFirstEffectiveDate_ReturnsNull(string start, bool rated)
    {
        var call = Rate("+442079460123", start, 60, London);

        Assert.Equal(rated, call is not null);
    }

    [Fact]
    public void Rate_FreeDestination_CostsZero()
    {
        var call = Rate("+18005550100", "2026-05-04T10:00:00-04:00", 600, NewYork);

        Assert.NotNull(call);
        Assert.Equal("1800", call.Entry.Prefix);
        Assert.Equal(0m, call.Cost);
    }

    [Fact]
    public void Rate_NegativeDuration_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rate("+442079460123", "2026-05-04T10:00:00+01:00", -1, London));

    [Theory]
    [InlineData("")]
    [InlineData("+44")]
    [InlineData("44a")]
    public void Constructor_BadPrefix_Throws(string prefix) =>
        Assert.Throws<ArgumentException>(() => new ReferenceRater([Entry(prefix, TimeBand.Any, "0.01", "0", 60, 60)]));

    [Fact]
    public void Constructor_ZeroSubsequentIncrement_Throws() =>
        Assert.Throws<ArgumentException>(() => new ReferenceRater([Entry("44", TimeBand.Any, "0.01", "0", 60, 0)]));

    [Fact]
    public void Constructor_EffectiveToBeforeFrom_Throws() =>
        Assert.Throws<ArgumentException>(() => new ReferenceRater([Entry("44", TimeBand.Any, "0.01", "0", 60, 60, "2026-02-01", "2026-01-31")]));

    [Fact]
    public void Rate_DuplicateEntriesForSamePrefixAndBand_LatestEffectiveFromWins()
    {
        var rater = new ReferenceRater(
        [
            Entry("44", TimeBand.Any, "0.0500", "0", 60, 60, from: "2026-01-01"),
            Entry("44", TimeBand.Any, "0.0300", "0", 60, 60, from: "2026-03-01"),
        ]);

        var call = rater.Rate(Deck, "+442079460123", At("2026-05-04T10:00:00+01:00"), 60, London);

        Assert.NotNull(call);
        Assert.Equal(0.03m, call.Cost);
    }

    [Theory]
    [InlineData(1, 60, 60, 60)]
    [InlineData(60, 60, 60, 60)]
    [InlineData(61, 60, 60, 120)]
    [InlineData(31, 30, 6, 36)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(7, 0, 60, 60)]
    [InlineData(61, 60, 1, 61)]
    [InlineData(int.MaxValue, 60, 60, 2147483700)]
    public void BillableSeconds_Examples_MatchFormula(int duration, int initial, int subsequent, long expected) =>
        Assert.Equal(expected, ReferenceRater.BillableSeconds(duration, initial, subsequent));

    [Fact]
    public void BillableSeconds_AnyCall_CoversDurationWithLessThanOneIncrementToSpare()
    {
        var gen =
            from d in Gen.Choose(1, 100_000)
            from initial in Gen.Elements(0, 1, 6, 30, 60)
            from subsequent in Gen.Elements(1, 6, 30, 60)
            select (d, initial, subsequent);

        Properties.Check(Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var billable = ReferenceRater.BillableSeconds(t.d, t.initial, t.subsequent);
            return t.d <= t.initial
                ? billable == t.initial
                : billable >= t.d && billable - t.d < t.subsequent && (billable - t.initial) % t.subsequent == 0;
        }));
    }

    [Fact]
    public void Rate_AnyNumberInThreeForms_GivesSameCost()
    {
        var gen =
            from rest in Properties.Digits(6, 10)
            from prefix in Gen.Elements("1", "44", "447", "33", "49", "4915", "4930")
            from duration in Gen.Choose(0, 4000)
            from minute in Gen.Choose(0, 7 * 24 * 60)
            select (number: prefix + rest, duration, start: At("2026-05-04T00:00:00Z").AddMinutes(minute));

        Properties.Check(Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var plus = Rater.Rate(Deck, "+" + t.number, t.start, t.duration, London);
            var zeros = Rater.Rate(Deck, "00" + t.number, t.start, t.duration, London);
            var bare = Rater.Rate(Deck, t.number, t.start, t.duration, London);
            return plus is not null && plus == zeros && plus == bare && (t.duration > 0 || plus.Cost == 0m);
        }));
    }

    private static RatedCall? Rate(string called, string start, int duration, TimeZoneInfo zone) =>
        Rater.Rate(Deck, called, At(start), duration, zone);
}
