using System.Globalization;
using Tem.Core;
using static Tem.Audit.Tests.Rating.HandCaseDeck;

namespace Tem.Audit.Tests.Rating;

// The cases of Tem.Core's ReferenceRaterTests, run through rating.sql on the same deck. Every expected cost is
// computed by hand from formats.md: billable = initial if d <= initial else initial + ceil((d - initial) / subsequent)
// * subsequent, cost = round_half_away_from_zero(connect_fee + rate_per_minute * billable / 60, 4).
public sealed class RatedUsageHandCaseTests(HandCaseDeck deck) : IClassFixture<HandCaseDeck>
{
    private const string London = "Europe/London";
    private const string NewYork = "America/New_York";
    private const string Berlin = "Europe/Berlin";
    private const string LordHowe = "Australia/Lord_Howe";

    // 2026-05-04 is a Monday; London is on BST (+01:00), New York on EDT (-04:00).
    [Theory]
    [InlineData(1, 60, "0.1200")]
    [InlineData(59, 60, "0.1200")]
    [InlineData(60, 60, "0.1200")]
    [InlineData(61, 120, "0.2400")]
    [InlineData(120, 120, "0.2400")]
    [InlineData(121, 180, "0.3600")]
    public void RatedUsage_SixtySixtyIncrements_BillsWholeMinutes(long duration, long billable, string expected)
    {
        var row = deck.Rate("+447700900123", "2026-05-04T10:00:00+01:00", duration);

        Assert.Equal("447", row.RatePrefix);
        Assert.Equal("peak", row.RateBand);
        Assert.Equal(billable, row.BillableS);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData(1, 30, "0.0250")]
    [InlineData(30, 30, "0.0250")]
    [InlineData(31, 36, "0.0300")]
    [InlineData(36, 36, "0.0300")]
    [InlineData(37, 42, "0.0350")]
    [InlineData(125, 126, "0.1050")]
    public void RatedUsage_ThirtySixIncrements_BillsInitialThenSixSecondSteps(long duration, long billable, string expected)
    {
        var row = deck.Rate("+442079460123", "2026-05-04T10:00:00+01:00", duration);

        Assert.Equal("44", row.RatePrefix);
        Assert.Equal(billable, row.BillableS);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData(1, "0.0104")] // 0.01 + 0.025 / 60 = 0.0104166...
    [InlineData(60, "0.0350")]
    [InlineData(125, "0.0621")] // 0.01 + 0.025 * 125 / 60 = 0.0620833...
    public void RatedUsage_OneOneIncrementsWithConnectFee_AddsConnectFeeOnce(long duration, string expected)
    {
        var row = deck.Rate("+12125550123", "2026-05-04T10:00:00-04:00", duration, NewYork);

        Assert.Equal("peak", row.RateBand);
        Assert.Equal(0.01m, row.ConnectFee);
        Assert.Equal(duration, row.BillableS);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData("+9991234", 5, "0.0001")] // 0.0006 * 5 / 60 = 0.00005: away from zero 0.0001, banker's 0.0000
    [InlineData("+9981234", 10, "0.0003")] // 0.0015 * 10 / 60 = 0.00025: away from zero 0.0003, banker's 0.0002
    [InlineData("+9981234", 2, "0.0001")] // 0.0015 * 2 / 60 = 0.00005
    [InlineData("+9981234", 3, "0.0001")] // 0.0015 * 3 / 60 = 0.000075
    [InlineData("+9981234", 1, "0.0000")] // 0.0015 / 60 = 0.000025
    public void RatedUsage_MidpointCost_RoundsHalfAwayFromZero(string called, long duration, string expected)
    {
        var row = deck.Rate(called, "2026-05-04T10:00:00+01:00", duration);

        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Fact]
    public void RatedUsage_ZeroDuration_CostsZeroWithoutConnectFee()
    {
        var row = deck.Rate("+12125550123", "2026-05-04T10:00:00-04:00", 0, NewYork);

        Assert.Equal("1", row.RatePrefix);
        Assert.Equal(0.01m, row.ConnectFee);
        Assert.Equal(0, row.BillableS);
        Assert.Equal(0m, row.ContractCost);
    }

    [Theory]
    [InlineData("+442079460123")]
    [InlineData("00442079460123")]
    [InlineData("442079460123")]
    [InlineData("+44 20 7946 0123")]
    [InlineData("0044 (20) 7946-0123")]
    public void RatedUsage_InternationalForms_NormalizeToSameNumberAndCost(string called)
    {
        var row = deck.Rate(called, "2026-05-04T10:00:00+01:00", 95);

        Assert.Equal("44", row.RatePrefix);
        Assert.Equal(96, row.BillableS); // 30 + ceil(65 / 6) * 6
        Assert.Equal(0.0800m, row.ContractCost); // 0.05 * 96 / 60 before 1 July
    }

    [Theory]
    [InlineData("+61291234567")] // no Australian prefix in the deck
    [InlineData("02079460123")] // national form: the trunk 0 is kept, so it matches no E.164 prefix
    [InlineData("4")] // shorter than every prefix it begins
    public void RatedUsage_NoMatchingPrefix_KeepsTheCallWithNullPrice(string called)
    {
        var row = deck.Rate(called, "2026-05-04T10:00:00+01:00", 60);

        Assert.Equal(new DateTime(2026, 5, 4, 10, 0, 0), row.LocalStart);
        Assert.Equal("peak", row.CallBand);
        Assert.Null(row.RatePrefix);
        Assert.Null(row.RateBand);
        Assert.Null(row.RatePerMinute);
        Assert.Null(row.BillableS);
        Assert.Null(row.ContractCost);
    }

    [Theory]
    [InlineData("+4915112345678", "4915", "0.0790")] // 60 s at 1/1: 0.079
    [InlineData("+4940123456", "49", "0.0190")]
    [InlineData("+44", "44", "0.0500")] // the number is the prefix itself
    public void RatedUsage_SeveralPrefixesMatch_LongestWins(string called, string prefix, string expected)
    {
        var row = deck.Rate(called, "2026-05-04T10:00:00+02:00", 60, Berlin);

        Assert.Equal(prefix, row.RatePrefix);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData("2026-05-04T10:00:00+01:00", "any", "0.0600")] // peak: no peak entry for 33, so any
    [InlineData("2026-05-04T20:00:00+01:00", "offpeak", "0.0200")] // offpeak entry beats any
    public void RatedUsage_SpecificBandForSamePrefix_BeatsAny(string start, string entryBand, string expected)
    {
        var row = deck.Rate("+33123456789", start, 60);

        Assert.Equal("33", row.RatePrefix);
        Assert.Equal(entryBand, row.RateBand);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData("2026-05-04T10:00:00+02:00", "4930", "peak", "0.5000")]
    [InlineData("2026-05-04T20:00:00+02:00", "49", "any", "0.0190")]
    public void RatedUsage_LongerPrefixOnlyForOtherBand_FallsBackToShorterPrefix(string start, string prefix, string band, string expected)
    {
        var row = deck.Rate("+493012345678", start, 60, Berlin);

        Assert.Equal(prefix, row.RatePrefix);
        Assert.Equal(band, row.RateBand);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    [Theory]
    [InlineData("2026-05-04T07:59:59+01:00", TimeBand.Offpeak, "0.0600")]
    [InlineData("2026-05-04T08:00:00+01:00", TimeBand.Peak, "0.1200")]
    [InlineData("2026-05-04T17:59:59+01:00", TimeBand.Peak, "0.1200")]
    [InlineData("2026-05-04T18:00:00+01:00", TimeBand.Offpeak, "0.0600")]
    public void RatedUsage_PeakEdges_EightInclusiveEighteenExclusive(string start, TimeBand band, string expected)
    {
        var row = deck.Rate("+447700900123", start, 60);

        Assert.Equal(WireNames.ToWire(band), row.CallBand);
        Assert.Equal(WireNames.ToWire(band), row.RateBand);
        Assert.Equal(Money(expected), row.ContractCost);
    }

    // 2026-05-08 is a Friday, 2026-05-09 a Saturday, 2026-05-10 a Sunday.
    [Theory]
    [InlineData("2026-05-08T17:59:00+01:00", TimeBand.Peak)]
    [InlineData("2026-05-08T18:00:00+01:00", TimeBand.Offpeak)]
    [InlineData("2026-05-09T10:00:00+01:00", TimeBand.Offpeak)]
    [InlineData("2026-05-10T12:00:00+01:00", TimeBand.Offpeak)]
    [InlineData("2026-05-11T08:00:00+01:00", TimeBand.Peak)]
    public void RatedUsage_FridayEveningAndWeekend_AreOffpeak(string start, TimeBand band)
    {
        var row = deck.Rate("+447700900123", start, 60);

        Assert.Equal(WireNames.ToWire(band), row.CallBand);
    }

    // London moves to BST at 01:00 UTC on Sunday 2026-03-29 and back at 01:00 UTC on Sunday 2026-10-25.
    [Theory]
    [InlineData("2026-03-27T07:30:00Z", "2026-03-27T07:30:00", TimeBand.Offpeak)] // Friday 07:30 GMT
    [InlineData("2026-03-27T17:30:00Z", "2026-03-27T17:30:00", TimeBand.Peak)] // Friday 17:30 GMT
    [InlineData("2026-03-29T00:59:59Z", "2026-03-29T00:59:59", TimeBand.Offpeak)] // the last second of GMT
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29T02:00:00", TimeBand.Offpeak)] // the first second of BST
    [InlineData("2026-03-30T07:30:00Z", "2026-03-30T08:30:00", TimeBand.Peak)] // Monday 08:30 BST
    [InlineData("2026-03-30T17:30:00Z", "2026-03-30T18:30:00", TimeBand.Offpeak)] // Monday 18:30 BST
    [InlineData("2026-10-23T17:30:00Z", "2026-10-23T18:30:00", TimeBand.Offpeak)] // Friday 18:30 BST
    [InlineData("2026-10-25T00:59:59Z", "2026-10-25T01:59:59", TimeBand.Offpeak)] // the last second of BST
    [InlineData("2026-10-25T01:00:00Z", "2026-10-25T01:00:00", TimeBand.Offpeak)] // 01:00 GMT, the hour again
    [InlineData("2026-10-26T17:30:00Z", "2026-10-26T17:30:00", TimeBand.Peak)] // Monday 17:30 GMT
    public void RatedUsage_LondonAroundDaylightSavingWeekend_UsesLocalTime(string start, string local, TimeBand band)
    {
        var row = deck.Rate("+447700900123", start, 60);

        Assert.Equal(DateTime.Parse(local, CultureInfo.InvariantCulture), row.LocalStart);
        Assert.Equal(WireNames.ToWire(band), row.CallBand);
        Assert.Equal(band == TimeBand.Peak ? 0.12m : 0.06m, row.ContractCost);
    }

    // New York moves to EDT on Sunday 2026-03-08 (07:00 UTC) and back to EST on Sunday 2026-11-01 (06:00 UTC).
    [Theory]
    [InlineData("2026-03-06T12:30:00Z", "2026-03-06T07:30:00", TimeBand.Offpeak)] // Friday 07:30 EST
    [InlineData("2026-03-08T06:59:59Z", "2026-03-08T01:59:59", TimeBand.Offpeak)]
    [InlineData("2026-03-08T07:00:00Z", "2026-03-08T03:00:00", TimeBand.Offpeak)]
    [InlineData("2026-03-09T12:30:00Z", "2026-03-09T08:30:00", TimeBand.Peak)] // Monday 08:30 EDT
    [InlineData("2026-03-09T22:30:00Z", "2026-03-09T18:30:00", TimeBand.Offpeak)] // Monday 18:30 EDT
    [InlineData("2026-10-30T21:30:00Z", "2026-10-30T17:30:00", TimeBand.Peak)] // Friday 17:30 EDT
    [InlineData("2026-11-01T05:59:59Z", "2026-11-01T01:59:59", TimeBand.Offpeak)]
    [InlineData("2026-11-01T06:00:00Z", "2026-11-01T01:00:00", TimeBand.Offpeak)]
    [InlineData("2026-11-02T12:30:00Z", "2026-11-02T07:30:00", TimeBand.Offpeak)] // Monday 07:30 EST
    [InlineData("2026-11-02T13:00:00Z", "2026-11-02T08:00:00", TimeBand.Peak)] // Monday 08:00 EST
    public void RatedUsage_NewYorkAroundDaylightSavingWeekend_UsesLocalTime(string start, string local, TimeBand band)
    {
        var row = deck.Rate("+12125550123", start, 60, NewYork);

        Assert.Equal(DateTime.Parse(local, CultureInfo.InvariantCulture), row.LocalStart);
        Assert.Equal(WireNames.ToWire(band), row.CallBand);
        Assert.Equal(band == TimeBand.Peak ? 0.0350m : 0.0250m, row.ContractCost); // 0.01 + rate * 60 / 60
    }

    // Lord Howe Island shifts by 30 minutes: LHDT (+11:00) ends at 02:00 on Sunday 2026-04-05, LHST (+10:30) ends
    // at 02:00 on Sunday 2026-10-04.
    [Theory]
    [InlineData("2026-04-04T14:59:59Z", "2026-04-05T01:59:59", TimeBand.Offpeak)]
    [InlineData("2026-04-04T15:00:00Z", "2026-04-05T01:30:00", TimeBand.Offpeak)]
    [InlineData("2026-04-05T21:29:59Z", "2026-04-06T07:59:59", TimeBand.Offpeak)] // Monday, 30 minutes later than a week before
    [InlineData("2026-04-05T21:30:00Z", "2026-04-06T08:00:00", TimeBand.Peak)]
    [InlineData("2026-10-03T15:29:59Z", "2026-10-04T01:59:59", TimeBand.Offpeak)]
    [InlineData("2026-10-03T15:30:00Z", "2026-10-04T02:30:00", TimeBand.Offpeak)]
    [InlineData("2026-10-04T21:00:00Z", "2026-10-05T08:00:00", TimeBand.Peak)]
    public void RatedUsage_LordHoweHalfHourDaylightSaving_UsesLocalTime(string start, string local, TimeBand band)
    {
        var row = deck.Rate("+447700900123", start, 60, LordHowe);

        Assert.Equal(DateTime.Parse(local, CultureInfo.InvariantCulture), row.LocalStart);
        Assert.Equal(WireNames.ToWire(band), row.CallBand);
    }

    [Fact]
    public void RatedUsage_SameInstantWithDifferentOffsets_GivesSameRow()
    {
        var local = deck.Rate("+447700900123", "2026-05-04T17:59:59+01:00", 61);
        var utc = deck.Rate("+447700900123", "2026-05-04T16:59:59Z", 61);
        var other = deck.Rate("+447700900123", "2026-05-04T11:59:59-05:00", 61);

        Assert.Equal(local with { RecordId = "x" }, utc with { RecordId = "x" });
        Assert.Equal(local with { RecordId = "x" }, other with { RecordId = "x" });
        Assert.Equal(0.24m, local.ContractCost);
    }

    // The 44 entry changes on 2026-07-01: 0.05 up to and including 30 June, 0.04 from 1 July, by the LOCAL date.
    [Theory]
    [InlineData("2026-06-30T23:59:59+01:00", London, "0.0500")] // last second of the old rate (effective_to is inclusive)
    [InlineData("2026-07-01T00:00:00+01:00", London, "0.0400")] // 30 June 23:00 UTC but 1 July locally
    [InlineData("2026-07-01T02:00:00Z", NewYork, "0.0500")] // 30 June 22:00 EDT
    [InlineData("2026-07-01T03:59:59Z", NewYork, "0.0500")] // 30 June 23:59:59 EDT
    [InlineData("2026-07-01T04:00:00Z", NewYork, "0.0400")] // 1 July 00:00 EDT
    [InlineData("2026-06-30T13:29:59Z", LordHowe, "0.0500")] // 30 June 23:59:59 LHST
    [InlineData("2026-06-30T13:30:00Z", LordHowe, "0.0400")] // 1 July 00:00 LHST
    public void RatedUsage_EffectiveDateChange_UsesLocalStartDateWithInclusiveEnd(string start, string zone, string expected)
    {
        var row = deck.Rate("+442079460123", start, 60, zone);

        Assert.Equal(Money(expected), row.RatePerMinute);
        Assert.Equal(Money(expected), row.ContractCost); // 60 s at 30/6 is 60 billable seconds
    }

    [Theory]
    [InlineData("2025-12-31T23:59:59Z", false)]
    [InlineData("2026-01-01T00:00:00Z", true)]
    public void RatedUsage_BeforeFirstEffectiveDate_HasNullPrice(string start, bool rated)
    {
        var row = deck.Rate("+442079460123", start, 60);

        Assert.Equal(rated, row.ContractCost is not null);
    }

    [Fact]
    public void RatedUsage_FreeDestination_CostsZero()
    {
        var row = deck.Rate("+18005550100", "2026-05-04T10:00:00-04:00", 600, NewYork);

        Assert.Equal("1800", row.RatePrefix);
        Assert.Equal(0m, row.ContractCost);
    }

    // The billing month of a usage record is the month of its start in the account's zone.
    [Theory]
    [InlineData("2026-05-31T23:30:00Z", London, "2026-06")]
    [InlineData("2026-05-31T23:30:00Z", NewYork, "2026-05")]
    [InlineData("2026-06-01T03:59:59Z", NewYork, "2026-05")]
    [InlineData("2026-06-01T04:00:00Z", NewYork, "2026-06")]
    [InlineData("2026-12-31T13:00:00Z", LordHowe, "2027-01")]
    public void RatedUsage_UsageMonth_IsLocalMonth(string start, string zone, string month)
    {
        var row = deck.Rate("+442079460123", start, 60, zone);

        Assert.Equal(month, row.UsageMonth);
        Assert.Equal(zone, row.TimeZone);
        Assert.Equal("USD", row.Currency);
    }
}
