using System.Globalization;
using Tem.Core;
using Tem.Core.Rating;

namespace Tem.SampleData;

/// <summary>One generated usage record.</summary>
/// <param name="Start">Start instant, with the account zone's offset.</param>
/// <param name="Type">voice, sms or data.</param>
/// <param name="DurationS">Voice: seconds (0 = unanswered); 0 for SMS and data.</param>
/// <param name="CalledNumber">Voice/SMS destination as written; empty for data.</param>
/// <param name="DataMb">Data volume in MB; 0 for voice and SMS.</param>
/// <param name="Billed">What the carrier charged, 4 decimals.</param>
/// <param name="Cost">Contract price by the reference rater for rated services; 0 otherwise.</param>
/// <param name="UtcText">Write the start in UTC with <c>Z</c> (a re-emitted copy), instead of the local offset.</param>
/// <param name="Planted">Part of a planted anomaly (toll-fraud burst, spend spike).</param>
/// <param name="Copy">A planted re-emitted copy of an earlier record (duplicate_usage).</param>
internal readonly record struct UsageRow(
    DateTimeOffset Start, UsageType Type, int DurationS, string CalledNumber, decimal DataMb, decimal Billed, decimal Cost, bool UtcText, bool Planted,
    bool Copy = false);

/// <summary>
/// Draws the usage of one service in one month. Every stream is seeded from (seed, service, month), so a month's
/// records do not depend on how many other services or months are generated.
/// </summary>
internal sealed class UsageSynth
{
    private static readonly (double Weight, int Min, int Max)[] FixedDurations =
        [(0.10, 2, 15), (0.22, 16, 60), (0.30, 61, 180), (0.24, 181, 600), (0.11, 601, 1800), (0.03, 1801, 5400)];

    private static readonly (double Weight, int Min, int Max)[] MobileDurations =
        [(0.12, 5, 20), (0.28, 21, 60), (0.32, 61, 180), (0.20, 181, 480), (0.08, 481, 1800)];

    private readonly World _world;
    private readonly RateEntry _oldUkRate;

    public UsageSynth(World world)
    {
        _world = world;
        _oldUkRate = world.Rates.Single(r => r.RatePlanId == "NW-STD" && r.Prefix == "44" && r.EffectiveTo is not null);
    }

    /// <summary>Fills <paramref name="rows"/> with the month's records sorted by start, re-emitted copies last.</summary>
    public void Generate(ServiceDef s, int m, List<UsageRow> rows)
    {
        rows.Clear();
        var month = _world.Months[m];
        var from = s.ActivatedOn > month.First ? s.ActivatedOn : month.First;
        var to = s.DisconnectedOn is { } d && d < month.Last ? d : month.Last;
        if (from > to || (s.SilentFromMonth is { } silent && m >= silent))
        {
            return;
        }

        var ctx = new Context(this, s, m, from, to, rows, new Random(Seeds.Derive(_world.Options.Seed, 3, s.Index, m)));
        switch (s.Type)
        {
            case ServiceType.Mobile:
                ctx.Mobile();
                break;
            case ServiceType.VoiceLine or ServiceType.SipTrunk:
                ctx.Injections();
                ctx.Rated();
                break;
            default:
                ctx.Traffic();
                break;
        }

        rows.Sort((x, y) => x.Start.UtcTicks.CompareTo(y.Start.UtcTicks));
        ctx.AppendCopies();
    }

    private sealed class Context(UsageSynth owner, ServiceDef s, int m, DateOnly from, DateOnly to, List<UsageRow> rows, Random rng)
    {
        private readonly HashSet<long> _taken = [];
        private readonly List<UsageRow> _toCopy = [];
        private readonly World _world = owner._world;
        private readonly TimeZoneInfo _zone = s.Account.Zone;

        private int Last => _world.Last;

        private int Days => to.DayNumber - from.DayNumber + 1;

        private double Fraction => Days / (double)DateTime.DaysInMonth(from.Year, from.Month);

        private BillingMonth Month => _world.Months[m];

        public void Rated()
        {
            var mix = Catalog.CallMix(s.Account.DeckId!);
            var baseCalls = s.Type == ServiceType.VoiceLine ? 26 : 95;
            var n = Math.Max(1, (int)Math.Round(baseCalls * s.Intensity * Fraction * (0.85 + (rng.NextDouble() * 0.3))));
            for (var i = 0; i < n; i++)
            {
                var start = Unique(BusinessTime);
                var duration = rng.NextDouble() < 0.06 ? 0 : Duration(FixedDurations);
                AddCall(start, duration, Number(Pick(mix)), planted: false);
            }
        }

        public void Injections()
        {
            var month = Month;
            switch (s.Plant)
            {
                case Plant.EdgeCalls:
                    if (m == 0)
                    {
                        var monday = Nth(month, DayOfWeek.Monday, 1);
                        AddCall(At(monday, 7, 59, 59), 60, "+12125550101", false);
                        AddCall(At(monday, 8, 0, 0), 60, "+12125550102", false);
                        AddCall(At(monday, 17, 59, 59), 60, "0013125550103", false);
                        AddCall(At(monday, 18, 0, 0), 60, "13125550104", false);
                        AddCall(At(Nth(month, DayOfWeek.Friday, 1), 17, 59, 30), 45, "+14155550105", false);
                        AddCall(At(Nth(month, DayOfWeek.Saturday, 1), 10, 0, 0), 45, "+14155550106", false);
                    }

                    // The NW-STD 44 price changes on the first day of ChangeMonth, by the account's local date:
                    // 23:30 in New York on the last day before is already the next day in UTC.
                    if (m == _world.ChangeMonth - 1)
                    {
                        AddCall(At(month.Last, 23, 30, 0), 95, "+442079460111", false);
                    }

                    if (m == _world.ChangeMonth)
                    {
                        AddCall(At(month.First, 0, 30, 0), 95, "00442079460112", false);
                    }

                    break;

                case Plant.RateOverchargeOldRate when m == _world.ChangeMonth:
                {
                    int[] durations = [95, 240, 31, 600, 75, 180];
                    for (var i = 0; i < durations.Length; i++)
                    {
                        var day = Nth(month, (DayOfWeek)(2 + (i % 3)), 2 + (i / 3));
                        AddCall(At(day, 10 + i, 5 + (7 * i), 0), durations[i], (i % 2 == 0 ? "+" : "00") + "4420794603" + (20 + i).ToString("D2", CultureInfo.InvariantCulture), false);
                    }

                    break;
                }

                case Plant.RateOverchargePeakForOffpeak when m == Last - 2:
                {
                    (int Hour, int Minute, int Duration, string Number)[] calls =
                    [
                        (19, 15, 300, "+442079460131"), (20, 40, 125, "+447700900132"), (21, 5, 61, "00442079460133"),
                        (18, 30, 900, "+447700900134"), (7, 20, 47, "+441614960135"),
                    ];
                    for (var i = 0; i < calls.Length; i++)
                    {
                        var c = calls[i];
                        AddCall(At(Nth(month, (DayOfWeek)(1 + (i % 5)), 2), c.Hour, c.Minute, 0), c.Duration, c.Number, false);
                    }

                    break;
                }

                case Plant.DuplicateUsageTwoCalls when m == Last - 1:
                    _toCopy.Add(AddCall(At(Nth(month, DayOfWeek.Wednesday, 2), 10, 15, 0), 412, "+13125550141", false));
                    _toCopy.Add(AddCall(At(Nth(month, DayOfWeek.Thursday, 2), 14, 5, 0), 95, "+447700900142", false));
                    break;

                case Plant.DuplicateUsageThreeCopies when m == Last:
                {
                    var call = AddCall(At(Nth(month, DayOfWeek.Tuesday, 2), 11, 0, 0), 1800, "+442079460151", false);
                    _toCopy.Add(call);
                    _toCopy.Add(call with { UtcText = true });
                    break;
                }

                case Plant.TollFraud when m == Last - 2:
                {
                    // A hacked PBX: 42 calls to premium and Cuban numbers, all started within an hour on a Saturday night.
                    var t = At(Nth(month, DayOfWeek.Saturday, 2), 1, 12, 0);
                    for (var i = 0; i < 42; i++)
                    {
                        var number = rng.NextDouble() < 0.7 ? Number(new Destination("premium", 1, Catalog.Premium882, 12)) : Number(new Destination("Cuba", 1, Catalog.Cuba, 10));
                        AddCall(t, 600 + rng.Next(1800), number, planted: true);
                        t = t.AddSeconds(20 + rng.Next(61));
                    }

                    break;
                }

                case Plant.SpendSpike when m == Last - 1:
                {
                    // A one-month outbound campaign: long international calls in office hours, correctly rated.
                    var mix = new[]
                    {
                        new Destination("US", 0.4, Catalog.UsLand, 11), new Destination("UK", 0.3, Catalog.UkLand, 12),
                        new Destination("Switzerland", 0.2, ["4144", "4122"], 11), new Destination("Austria", 0.1, ["431"], 12),
                    };
                    var first = Nth(month, DayOfWeek.Monday, 2);
                    for (var i = 0; i < 140; i++)
                    {
                        var start = Unique(() => first.AddDays(rng.Next(12)).ToDateTime(TimeOnly.MinValue).AddSeconds(rng.Next(9 * 3600, 17 * 3600)), weekdaysOnly: true);
                        AddCall(start, 900 + rng.Next(1800), Number(Pick(mix)), planted: true);
                    }

                    break;
                }
            }
        }

        public void Mobile()
        {
            var plan = s.Plan;
            var sizes = _world.Plans
                .Where(p => p.Carrier == plan.Carrier && p.ServiceType == ServiceType.Mobile && p.EffectiveTo is null)
                .OrderBy(p => p.MonthlyFee)
                .ToList();
            var size = sizes.IndexOf(plan);
            double minutes, sms, mb;
            switch (s.Fit)
            {
                case MobileFit.FitsSmall:
                    minutes = Between(30, 100);
                    sms = Between(10, 80);
                    mb = Between(300, 900);
                    break;
                case MobileFit.FitsMedium:
                    minutes = Between(100, 400);
                    sms = Between(30, 200);
                    mb = Between((double)sizes[0].IncludedDataMb!.Value * 1.3, (double)sizes[1].IncludedDataMb!.Value * 0.7);
                    break;
                default:
                {
                    // Sized to its own plan: within every allowance, and above the next cheaper plan's data allowance,
                    // so no cheaper plan fits (no oversized_plan in the background).
                    var minuteCap = plan.IncludedMinutes is { } im ? Math.Min(300, (double)im * 0.4) : 300;
                    minutes = Math.Min(minuteCap, minuteCap * Between(0.25, 0.7) * s.Intensity);
                    sms = plan.IncludedSms is { } allowance ? allowance * Between(0.02, 0.15) : Between(10, 50);
                    var ownData = plan.IncludedDataMb is { } dm ? (double)dm : (double)sizes[size - 1].IncludedDataMb!.Value * 3;
                    var below = size > 0 ? (double)sizes[size - 1].IncludedDataMb!.Value * 1.3 : ownData * 0.15;
                    var above = plan.IncludedDataMb is { } cap ? (double)cap * 0.8 : ownData;
                    mb = Between(below, above);
                    break;
                }
            }

            var fraction = Fraction;
            var calls = Catalog.MobileMix(s.Account.Carrier);
            var used = 0;
            var minuteTarget = minutes * fraction;
            while (true)
            {
                var duration = rng.NextDouble() < 0.04 ? 0 : Duration(MobileDurations);
                var billable = (duration + 59) / 60;
                if (used + billable > minuteTarget)
                {
                    break;
                }

                used += billable;
                Add(new UsageRow(Unique(DayTime), UsageType.Voice, duration, Number(Pick(calls)), 0m, 0m, 0m, false, false));
            }

            var texts = Catalog.SmsTargets(s.Account.Carrier);
            var smsCount = (int)Math.Round(sms * fraction);
            for (var i = 0; i < smsCount; i++)
            {
                Add(new UsageRow(Unique(DayTime), UsageType.Sms, 0, Number(texts), 0m, 0m, 0m, false, false));
            }

            var sessions = Math.Max(1, (int)Math.Round((4 + rng.Next(8)) * fraction));
            var weights = Enumerable.Range(0, sessions).Select(_ => 0.5 + rng.NextDouble()).ToArray();
            var total = weights.Sum();
            foreach (var weight in weights)
            {
                var volume = Math.Round((decimal)(mb * fraction * weight / total), 2, MidpointRounding.AwayFromZero);
                Add(new UsageRow(Unique(AnyTime), UsageType.Data, 0, string.Empty, Math.Max(0.01m, volume), 0m, 0m, false, false));
            }
        }

        public void Traffic()
        {
            // A weekly traffic summary per circuit (Monday 00:00 local), and one on the first day when no Monday falls in range.
            var bandwidth = (double)(s.Plan.BandwidthMbps ?? 100m);
            var days = new List<DateOnly>();
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                if (day.DayOfWeek == DayOfWeek.Monday)
                {
                    days.Add(day);
                }
            }

            if (days.Count == 0)
            {
                days.Add(from);
            }

            foreach (var day in days)
            {
                var megabytes = bandwidth * Between(0.02, 0.15) * 7 * 86400 / 8;
                var start = Local(day.ToDateTime(TimeOnly.MinValue));
                _taken.Add(start.UtcTicks);
                Add(new UsageRow(start, UsageType.Data, 0, string.Empty, Math.Round((decimal)megabytes, 2, MidpointRounding.AwayFromZero), 0m, 0m, false, false));
            }
        }

        public void AppendCopies()
        {
            // A carrier re-emitting records: same call, new record id, billed again.
            foreach (var copy in _toCopy)
            {
                rows.Add(copy with { Copy = true });
            }
        }

        private UsageRow AddCall(DateTimeOffset start, int duration, string called, bool planted)
        {
            _taken.Add(start.UtcTicks);
            var deck = s.Account.DeckId!;
            var rated = _world.Rater.Rate(deck, called, start, duration, _zone)
                ?? throw new InvalidOperationException($"Generator bug: {called} has no rate in {deck}.");
            var billed = rated.Cost;
            if (s.Plant == Plant.RateOverchargeOldRate && m == _world.ChangeMonth && rated.Entry.Prefix == "44")
            {
                // Carrier kept billing the pre-change price after the effective date.
                billed = ReferenceRater.Price(owner._oldUkRate, duration);
            }
            else if (s.Plant == Plant.RateOverchargePeakForOffpeak && m == Last - 2 && rated.Entry.TimeBand == TimeBand.Offpeak)
            {
                // Carrier billed offpeak calls at the peak price.
                var peak = _world.Rates.Single(r =>
                    r.RatePlanId == deck && r.Prefix == rated.Entry.Prefix && r.TimeBand == TimeBand.Peak && ReferenceRater.IsEffective(r, DateOnly.FromDateTime(rated.LocalStart.DateTime)));
                billed = ReferenceRater.Price(peak, duration);
            }

            var row = new UsageRow(start, UsageType.Voice, duration, called, 0m, billed, rated.Cost, false, planted);
            rows.Add(row);
            return row;
        }

        private void Add(UsageRow row) => rows.Add(row);

        // Draws start instants until one is free, so no two records of a service share an instant by accident.
        private DateTimeOffset Unique(Func<DateTime> draw, bool weekdaysOnly = false)
        {
            for (var attempt = 0; ; attempt++)
            {
                var local = draw();
                if (weekdaysOnly && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }

                var start = Local(local);
                if (_taken.Add(start.UtcTicks))
                {
                    return start;
                }

                if (attempt > 10_000)
                {
                    throw new InvalidOperationException("Generator bug: no free instant left.");
                }
            }
        }

        private DateTime BusinessTime()
        {
            var day = RandomDay();
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (weekend && rng.NextDouble() < 0.75 && Days > 2)
            {
                day = RandomDay();
                weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            }

            var r = rng.NextDouble();
            var seconds = !weekend && r < 0.86 ? rng.Next(8 * 3600, 18 * 3600)
                : r < 0.96 ? rng.Next(18 * 3600, (22 * 3600) + 1800)
                : rng.Next((6 * 3600) + 1800, 8 * 3600);
            return day.ToDateTime(TimeOnly.MinValue).AddSeconds(seconds);
        }

        private DateTime DayTime() => RandomDay().ToDateTime(TimeOnly.MinValue).AddSeconds(rng.Next(7 * 3600, (23 * 3600) + 1800));

        private DateTime AnyTime() => RandomDay().ToDateTime(TimeOnly.MinValue).AddSeconds(rng.Next(86400));

        private DateOnly RandomDay() => from.AddDays(rng.Next(Days));

        private DateTimeOffset At(DateOnly day, int hour, int minute, int second) =>
            Local(day.ToDateTime(new TimeOnly(hour, minute, second)));

        // Local wall time in the account's zone; a time skipped by a DST jump moves an hour later.
        private DateTimeOffset Local(DateTime local)
        {
            if (_zone.IsInvalidTime(local))
            {
                local = local.AddHours(1);
            }

            return new DateTimeOffset(local, _zone.GetUtcOffset(local));
        }

        private string Number(Destination destination)
        {
            var stem = destination.Stems[rng.Next(destination.Stems.Length)];
            var digits = new char[destination.Length];
            stem.CopyTo(0, digits, 0, stem.Length);
            for (var i = stem.Length; i < digits.Length; i++)
            {
                digits[i] = (char)('0' + rng.Next(10));
            }

            var r = rng.NextDouble();
            var prefix = r < 0.6 ? "+" : r < 0.9 ? "00" : string.Empty;
            return prefix + new string(digits);
        }

        private Destination Pick(IReadOnlyList<Destination> mix)
        {
            var r = rng.NextDouble() * mix.Sum(d => d.Weight);
            foreach (var d in mix)
            {
                if (r < d.Weight)
                {
                    return d;
                }

                r -= d.Weight;
            }

            return mix[^1];
        }

        // Piecewise-uniform durations: only integer draws and IEEE-exact arithmetic, so the output is the same on every
        // platform (Math.Exp and friends may differ in the last bit between CPUs).
        private int Duration((double Weight, int Min, int Max)[] buckets)
        {
            var r = rng.NextDouble();
            foreach (var (weight, min, max) in buckets)
            {
                if (r < weight)
                {
                    return rng.Next(min, max + 1);
                }

                r -= weight;
            }

            var lastBucket = buckets[^1];
            return rng.Next(lastBucket.Min, lastBucket.Max + 1);
        }

        private double Between(double low, double high) => low + (rng.NextDouble() * (high - low));

        private static DateOnly Nth(BillingMonth month, DayOfWeek weekday, int n)
        {
            var day = month.First;
            while (day.DayOfWeek != weekday)
            {
                day = day.AddDays(1);
            }

            return day.AddDays(7 * (n - 1));
        }
    }
}
