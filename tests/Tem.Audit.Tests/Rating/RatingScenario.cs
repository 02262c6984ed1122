using System.Globalization;
using System.Text;
using Tem.Core;

namespace Tem.Audit.Tests.Rating;

/// <summary>
/// A seeded random rating world for the differential test: several decks with nested prefixes of 1 to 18 digits,
/// all band combinations, effective-date changes, gaps, open ends and malformed ties; accounts in zones with 60- and
/// 30-minute daylight saving and none; and calls concentrated where rating goes wrong: around daylight-saving
/// transitions, local midnights of effective-date changes and the 08:00 / 18:00 band edges, with 0-second and
/// increment-edge durations and numbers in <c>+</c>, <c>00</c> and bare forms.
/// </summary>
public sealed class RatingScenario
{
    public static readonly string[] Zones = ["America/New_York", "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"];

    private static readonly string[] Decks = ["D1", "D2", "D3", "D4"];
    private static readonly string[] Carriers = ["CA", "CB"];
    private static readonly string[] Roots = ["1", "44", "49", "33", "91", "61", "353", "86", "7", "0"];
    private static readonly (int Initial, int Subsequent)[] Increments = [(60, 60), (30, 6), (1, 1), (6, 6)];
    private static readonly int[] EdgeDurations = [1, 5, 6, 7, 29, 30, 31, 35, 36, 37, 59, 60, 61, 66, 119, 120, 121];
    private static readonly TimeSpan[] BandEdges = [TimeSpan.FromHours(8), TimeSpan.FromHours(18)];
    private static readonly DateOnly DeckStart = new(2025, 1, 1);
    private static readonly DateTimeOffset SpanStart = new(2024, 12, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SpanEnd = new(2027, 1, 10, 0, 0, 0, TimeSpan.Zero);

    private readonly Random _random;
    private readonly Dictionary<string, List<string>> _prefixes = new(StringComparer.Ordinal);
    private readonly List<DateOnly> _boundaries = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _transitions = new(StringComparer.Ordinal);
    private int _destinations;

    private RatingScenario(int seed)
    {
        _random = new Random(seed);
    }

    public List<RateEntry> Entries { get; } = [];

    public List<RatingAccount> Accounts { get; } = [];

    public List<RatingCall> Calls { get; } = [];

    /// <summary>Every distinct prefix of each deck.</summary>
    public IReadOnlyDictionary<string, List<string>> Prefixes => _prefixes;

    /// <summary>Daylight-saving transitions (instants) of each zone within the calls' span.</summary>
    public IReadOnlyDictionary<string, List<DateTimeOffset>> Transitions => _transitions;

    public static RatingScenario Generate(int seed, int calls)
    {
        var scenario = new RatingScenario(seed);
        scenario.FindTransitions();
        scenario.GenerateDecks();
        scenario.GenerateAccounts();
        scenario.GenerateCalls(calls);
        return scenario;
    }

    /// <summary>
    /// The same world with every deck using the optional columns: D1 splits at band changes (rounding left unset), D2 has
    /// rate groups and rounds up to 2 places, D3 splits, has groups and rounds down to 3, D4 splits, has groups and
    /// rounds half away from zero to 1 (said explicitly). Groups: about half the entries get one or two more rows
    /// from an elapsed second that increments like the scenario's durations reach (30, 60, 61, 90, 120 or 300).
    /// Settings are given on some rows only (a deck's other rows leave them empty). Deck order is shuffled again.
    /// </summary>
    public static RatingScenario GenerateExtended(int seed, int calls)
    {
        var scenario = Generate(seed, calls);
        var random = new Random(seed + 1);
        int[] starts = [30, 60, 61, 90, 120, 300];
        var settings = new Dictionary<string, (bool Split, bool Groups, CostRounding? Mode, int? Decimals)>(StringComparer.Ordinal)
        {
            ["D1"] = (true, false, null, null),
            ["D2"] = (false, true, CostRounding.Up, 2),
            ["D3"] = (true, true, CostRounding.Down, 3),
            ["D4"] = (true, true, CostRounding.Middle, 1),
        };
        var extended = new List<RateEntry>();
        foreach (var entry in scenario.Entries)
        {
            var (split, groups, mode, decimals) = settings[entry.RatePlanId];
            var given = random.Next(3) == 0;
            extended.Add(entry with
            {
                BandSplit = given && split ? true : null,
                Rounding = given ? mode : null,
                RoundingDecimals = given ? decimals : null,
            });
            if (groups && random.Next(2) == 0)
            {
                foreach (var from in starts.OrderBy(_ => random.Next()).Take(random.Next(1, 3)))
                {
                    var (initial, subsequent) = Increments[random.Next(Increments.Length)];
                    extended.Add(entry with
                    {
                        FromSecond = from,
                        RatePerMinute = new decimal(random.Next(0, 20_001), 0, 0, false, 4),
                        ConnectFee = new decimal(random.Next(0, 1_001), 0, 0, false, 4), // ignored: the group's row at 0 gives the fee
                        InitialIncrementS = initial,
                        SubsequentIncrementS = subsequent,
                        Destination = entry.Destination + " from " + from.ToString(CultureInfo.InvariantCulture),
                    });
                }
            }
        }

        // Each deck sets its settings on at least one row.
        foreach (var (deck, (split, _, mode, decimals)) in settings)
        {
            var i = extended.FindIndex(e => e.RatePlanId == deck);
            extended[i] = extended[i] with { BandSplit = split ? true : null, Rounding = mode, RoundingDecimals = decimals };
        }

        scenario.Entries.Clear();
        scenario.Entries.AddRange(extended.OrderBy(_ => random.Next()));
        return scenario;
    }

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private void FindTransitions()
    {
        foreach (var id in Zones)
        {
            var zone = Zone(id);
            var list = new List<DateTimeOffset>();
            var step = TimeSpan.FromMinutes(15);
            for (var t = SpanStart; t < SpanEnd; t += step)
            {
                if (zone.GetUtcOffset(t) == zone.GetUtcOffset(t + step))
                {
                    continue;
                }

                // The first second with the new offset.
                var (low, high) = (t, t + step);
                while (high - low > TimeSpan.FromSeconds(1))
                {
                    var mid = low + TimeSpan.FromSeconds(Math.Floor((high - low).TotalSeconds / 2));
                    (low, high) = zone.GetUtcOffset(mid) == zone.GetUtcOffset(t) ? (mid, high) : (low, mid);
                }

                list.Add(high);
            }

            _transitions.Add(id, list);
        }
    }

    private void GenerateDecks()
    {
        var entries = new List<RateEntry>();
        foreach (var deck in Decks)
        {
            var prefixes = new SortedSet<string>(StringComparer.Ordinal) { "44", "447", "4477", "44770", "49", "4915", "1", "1212", "1800" };
            foreach (var root in Roots.Where(_ => _random.NextDouble() < 0.75))
            {
                prefixes.Add(root);
                for (var i = _random.Next(0, 10); i > 0; i--)
                {
                    var parents = prefixes.Where(p => p.StartsWith(root, StringComparison.Ordinal) && p.Length <= 9).ToList();
                    prefixes.Add(parents[_random.Next(parents.Count)] + Digits(_random.Next(1, 4)));
                }
            }

            if (_random.NextDouble() < 0.75)
            {
                var under = prefixes.ElementAt(_random.Next(prefixes.Count));
                prefixes.Add(under + Digits(_random.Next(16, 19) - under.Length));
            }

            _prefixes.Add(deck, [.. prefixes]);
            foreach (var prefix in prefixes)
            {
                foreach (var band in BandPattern())
                {
                    entries.AddRange(EntriesOf(deck, prefix, band));
                }
            }
        }

        // Deck order (source_line) is random, so "first in the deck" is not the order the entries were made in.
        Entries.AddRange(entries.OrderBy(_ => _random.Next()));
    }

    private TimeBand[] BandPattern() => _random.Next(7) switch
    {
        0 => [TimeBand.Any],
        1 => [TimeBand.Peak, TimeBand.Offpeak],
        2 => [TimeBand.Peak],
        3 => [TimeBand.Offpeak],
        4 => [TimeBand.Any, TimeBand.Peak],
        5 => [TimeBand.Any, TimeBand.Offpeak],
        _ => [TimeBand.Any, TimeBand.Peak, TimeBand.Offpeak],
    };

    private IEnumerable<RateEntry> EntriesOf(string deck, string prefix, TimeBand band)
    {
        var x = Boundary();
        var y = x.AddDays(_random.Next(1, 120));
        return _random.Next(10) switch
        {
            0 or 1 or 2 or 3 => [Entry(deck, prefix, band, DeckStart, null)],
            4 or 5 => [Entry(deck, prefix, band, DeckStart, x), Entry(deck, prefix, band, x.AddDays(1), null)], // a price change
            6 => [Entry(deck, prefix, band, DeckStart, x)], // withdrawn
            7 => [Entry(deck, prefix, band, x, y)], // a window
            8 => [Entry(deck, prefix, band, DeckStart, null), Entry(deck, prefix, band, x, null)], // overlap: latest effective_from wins
            _ => [Entry(deck, prefix, band, x, null), Entry(deck, prefix, band, x, null)], // full tie: first in the deck wins
        };
    }

    /// <summary>A date where an entry starts or ends: a daylight-saving Sunday, a month's first day, or any day.</summary>
    private DateOnly Boundary()
    {
        DateOnly date;
        var pick = _random.Next(3);
        if (pick == 0)
        {
            var zone = Zones[_random.Next(Zones.Length)];
            var transitions = _transitions[zone];
            date = transitions.Count == 0
                ? new DateOnly(2025, 3, 30)
                : DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(transitions[_random.Next(transitions.Count)], Zone(zone)).DateTime);
        }
        else if (pick == 1)
        {
            date = new DateOnly(_random.Next(2025, 2027), _random.Next(1, 13), 1).AddDays(-_random.Next(2));
        }
        else
        {
            date = DeckStart.AddDays(_random.Next(700));
        }

        // An entry that ends on its deck's first day or before would be malformed (effective_to before effective_from).
        date = date > DeckStart ? date : DeckStart.AddDays(1);
        _boundaries.Add(date);
        return date;
    }

    private RateEntry Entry(string deck, string prefix, TimeBand band, DateOnly from, DateOnly? to)
    {
        var (initial, subsequent) = _random.Next(20) switch
        {
            0 => (0, 60),
            1 => (0, 1),
            _ => Increments[_random.Next(Increments.Length)],
        };

        // Tiny rates at 1/1 make costs such as 0.00005 exactly: midpoints for the rounding.
        var rateUnits = _random.Next(4) == 0 ? _random.Next(0, 31) : _random.Next(0, 20_001);
        var connectUnits = _random.Next(2) == 0 ? 0 : _random.Next(1, 1_001);
        return new RateEntry
        {
            RatePlanId = deck,
            Prefix = prefix,
            Destination = string.Create(CultureInfo.InvariantCulture, $"{deck} {prefix} {WireNames.ToWire(band)} #{++_destinations}"),
            TimeBand = band,
            RatePerMinute = new decimal(rateUnits, 0, 0, false, 4),
            ConnectFee = new decimal(connectUnits, 0, 0, false, 4),
            InitialIncrementS = initial,
            SubsequentIncrementS = subsequent,
            EffectiveFrom = from,
            EffectiveTo = to,
        };
    }

    private void GenerateAccounts()
    {
        for (var c = 0; c < Carriers.Length; c++)
        {
            for (var i = 0; i < 30; i++)
            {
                // The first 24 of each carrier cover every zone with every deck; the same ids at the other carrier differ.
                var zone = i < 24 ? Zones[i % Zones.Length] : Zones[_random.Next(Zones.Length)];
                var deck = i < 24 ? Decks[((i / Zones.Length) + c) % Decks.Length]
                    : _random.Next(3) switch { 0 => null, 1 => "NODECK", _ => Decks[_random.Next(Decks.Length)] };
                Accounts.Add(new RatingAccount(Carriers[c], "ACC" + i.ToString("D2", CultureInfo.InvariantCulture), zone, deck));
            }
        }
    }

    private void GenerateCalls(int count)
    {
        for (var n = 0; n < count; n++)
        {
            var ghost = _random.Next(50) == 0;
            var account = ghost ? new RatingAccount("CA", "GHOST", "UTC", null) : Accounts[_random.Next(Accounts.Count)];
            var usageType = _random.Next(50) switch { 0 => "sms", 1 => "data", _ => "voice" };
            var start = Start(Zone(account.TimeZone), account.TimeZone);
            var offset = _random.Next(2) == 0 ? TimeSpan.Zero : Zone(account.TimeZone).GetUtcOffset(start);
            Calls.Add(new RatingCall(
                "R" + n.ToString("D6", CultureInfo.InvariantCulture), account.Carrier, account.AccountId, start.ToOffset(offset),
                usageType == "voice" ? Duration() : null, usageType == "data" ? null : Number(account.RatePlanId), usageType));
        }
    }

    private DateTimeOffset Start(TimeZoneInfo zone, string zoneId)
    {
        var strategy = _random.Next(100);
        var transitions = _transitions[zoneId];
        if (strategy < 35 && transitions.Count > 0)
        {
            var at = transitions[_random.Next(transitions.Count)];
            var seconds = _random.Next(10) switch
            {
                < 5 => _random.Next(-120, 121),
                < 8 => _random.Next(-3 * 3600, 3 * 3600 + 1),
                _ => _random.Next(-3 * 86_400, 3 * 86_400 + 1),
            };
            return at.AddSeconds(seconds);
        }

        if (strategy < 60 && _boundaries.Count > 0)
        {
            var midnight = _boundaries[_random.Next(_boundaries.Count)].AddDays(_random.Next(2)).ToDateTime(TimeOnly.MinValue);
            var seconds = _random.Next(10) < 6 ? _random.Next(-5, 6) : _random.Next(-7200, 7201);
            return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).AddSeconds(seconds);
        }

        if (strategy < 80)
        {
            var day = DeckStart.AddDays(_random.Next(-5, 735)).ToDateTime(TimeOnly.MinValue);
            var local = day + BandEdges[_random.Next(BandEdges.Length)];
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).AddSeconds(_random.Next(-2, 3));
        }

        return SpanStart.AddSeconds(_random.NextInt64((long)(SpanEnd - SpanStart).TotalSeconds));
    }

    private long Duration() => _random.Next(100) switch
    {
        < 8 => 0,
        < 33 => EdgeDurations[_random.Next(EdgeDurations.Length)],
        _ => _random.Next(1, 7201),
    };

    private string Number(string? deck)
    {
        var prefixes = deck is not null && _prefixes.TryGetValue(deck, out var own) ? own : _prefixes[Decks[_random.Next(Decks.Length)]];
        var prefix = prefixes[_random.Next(prefixes.Count)];
        var digits = _random.Next(100) switch
        {
            < 75 => prefix + Digits(Math.Max(prefix.Length >= 15 ? _random.Next(0, 4) : 1, _random.Next(8, 16) - prefix.Length)),
            < 85 => prefix[.._random.Next(1, prefix.Length + 1)],
            < 90 => prefix,
            _ => Digits(_random.Next(6, 15)),
        };

        if (digits[0] == '0')
        {
            // "+0..." is not a phone number; "00" + "0..." is not international and stays as it is.
            return _random.Next(10) < 7 ? digits : "00" + digits;
        }

        return _random.Next(100) switch
        {
            < 35 => "+" + digits,
            < 65 => "00" + digits,
            < 90 => digits,
            _ => "+" + Separated(digits),
        };
    }

    private string Separated(string digits)
    {
        var text = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0 && _random.Next(4) == 0)
            {
                text.Append(" -.()"[_random.Next(5)]);
            }

            text.Append(digits[i]);
        }

        return text.ToString();
    }

    private string Digits(int length)
    {
        var chars = new char[Math.Max(length, 0)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('0' + _random.Next(10));
        }

        return new string(chars);
    }
}
