using System.Globalization;
using Tem.Core;

namespace Tem.Audit.Tests.Rating;

/// <summary>
/// The deck of Tem.Core's ReferenceRaterTests (deck T1, plus 998 for more rounding midpoints), loaded once, with one
/// account per zone; each hand case adds its call and reads its row of <c>rated_usage</c>. The tests of a class run one
/// at a time, so they share it.
/// </summary>
public sealed class HandCaseDeck : IDisposable
{
    public const string Deck = "T1";
    public const string Carrier = "CARRIER";

    public static readonly RateEntry[] Entries =
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
        Entry("998", TimeBand.Any, "0.0015", "0", 1, 1),
    ];

    private static readonly string[] Zones = ["Europe/London", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"];

    private int _next;

    public HandCaseDeck()
    {
        Db = new RatingDatabase();
        Db.AddRates(Entries);
        Db.AddAccounts(Zones.Select(z => new RatingAccount(Carrier, AccountOf(z), z, Deck)));
    }

    public RatingDatabase Db { get; }

    public static string AccountOf(string zone) => "ACC-" + zone;

    /// <summary>Adds one voice call of an account in <paramref name="zone"/> and returns its row.</summary>
    public RatedRow Rate(string called, string start, long duration, string zone = "Europe/London")
    {
        var id = "H" + (++_next).ToString("D5", CultureInfo.InvariantCulture);
        Db.AddCalls([new RatingCall(id, Carrier, AccountOf(zone), At(start), duration, called)]);
        return Db.Rated($"record_id = '{id}'")[id];
    }

    public static DateTimeOffset At(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static decimal Money(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

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

    public void Dispose() => Db.Dispose();
}
