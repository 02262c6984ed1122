using System.Globalization;
using Tem.Core;

namespace Tem.Testing;

/// <summary>
/// Deck <c>T1</c>, whose every cost the rating hand cases compute by hand from formats.md (Tem.Core's
/// ReferenceRaterTests and Tem.Audit's rated_usage hand cases run the same calls on it), and the helpers that write a
/// deck row, a money amount and an instant in the tests' own text.
/// </summary>
public static class HandRates
{
    /// <summary>The hand cases' rate plan id.</summary>
    public const string Deck = "T1";

    /// <summary>The rows of deck <see cref="Deck"/>: peak/off-peak bands, a dated prefix change, 60/60, 30/6 and 1/1 increments.</summary>
    public static IReadOnlyList<RateEntry> T1 { get; } =
    [
        Entry("1", TimeBand.Peak, "0.0250", "0.0100", 1, 1),
        Entry("1", TimeBand.Offpeak, "0.0150", "0.0100", 1, 1),
        Entry("1800", TimeBand.Any, "0", "0", 60, 60),
        Entry("44", TimeBand.Any, "0.0500", "0", 30, 6, from: "2026-01-01", to: "2026-06-30"),
        Entry("44", TimeBand.Any, "0.0400", "0", 30, 6, from: "2026-07-01"),
        Entry("447", TimeBand.Peak, "0.1200", "0", 60, 60),
        Entry("447", TimeBand.Offpeak, "0.0600", "0", 60, 60),
        Entry("33", TimeBand.Any, "0.0600", "0", 60, 60),
        Entry("33", TimeBand.Offpeak, "0.0200", "0", 60, 60),
        Entry("49", TimeBand.Any, "0.0190", "0", 60, 60),
        Entry("4930", TimeBand.Peak, "0.5000", "0", 60, 60),
        Entry("4915", TimeBand.Any, "0.0790", "0", 1, 1),
        Entry("999", TimeBand.Any, "0.0006", "0", 1, 1),
    ];

    /// <summary>An instant written as ISO 8601 with its offset, e.g. <c>2026-05-04T10:00:00+01:00</c>.</summary>
    public static DateTimeOffset At(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>An amount written with a dot, e.g. <c>0.0250</c>.</summary>
    public static decimal Money(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>
    /// One deck row: rates in the deck's currency per minute, increments in seconds, dates as <c>yyyy-MM-dd</c>
    /// (<paramref name="to"/> null: open-ended); the destination is <c>D</c> and the prefix unless named.
    /// </summary>
    public static RateEntry Entry(
        string prefix, TimeBand band, string rate, string connect, int initial, int subsequent, string from = "2026-01-01", string? to = null,
        string deck = Deck, string? destination = null) =>
        new()
        {
            RatePlanId = deck,
            Prefix = prefix,
            Destination = destination ?? "D" + prefix,
            TimeBand = band,
            RatePerMinute = Money(rate),
            ConnectFee = Money(connect),
            InitialIncrementS = initial,
            SubsequentIncrementS = subsequent,
            EffectiveFrom = DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            EffectiveTo = to is null ? null : DateOnly.ParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
}
