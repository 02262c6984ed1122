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
    public const string Deck = HandRates.Deck;
    public const string Carrier = "CARRIER";

    /// <summary>Deck T1 of the kit, plus 998 for more rounding midpoints.</summary>
    public static readonly RateEntry[] Entries = [.. HandRates.T1, Entry("998", TimeBand.Any, "0.0015", "0", 1, 1)];

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

    public static DateTimeOffset At(string text) => HandRates.At(text);

    public static decimal Money(string text) => HandRates.Money(text);

    public static RateEntry Entry(
        string prefix, TimeBand band, string rate, string connect, int initial, int subsequent, string from = "2026-01-01", string? to = null,
        string deck = Deck, string? destination = null) =>
        HandRates.Entry(prefix, band, rate, connect, initial, subsequent, from, to, deck, destination);

    public void Dispose() => Db.Dispose();
}
