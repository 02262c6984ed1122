using System.Globalization;
using Tem.Core;

namespace Tem.Audit.Anomaly;

/// <summary>
/// Every threshold of the anomaly models, each a named setting with a documented default (see <see cref="Rules"/>),
/// resolved from <c>--set</c> overrides. Money thresholds are decimal in the account's currency; the rest are
/// statistics.
/// </summary>
public sealed record AnomalySettings
{
    /// <summary>The <c>spend_anomaly</c> rule id.</summary>
    public const string SpendRule = "spend_anomaly";

    /// <summary>The <c>usage_anomaly</c> rule id.</summary>
    public const string UsageRule = "usage_anomaly";

    private static readonly Definition[] Definitions =
    [
        new(SpendRule, "min_amount", "50", 0, 1e9, false,
            "Smallest spend above the expected baseline that fires, per service and billing month (for an account: beyond what its services' findings explain), in the account's currency."),
        new(SpendRule, "min_increase", "0.2", 0, 1e6, false,
            "A service's spend above the baseline must also be at least this fraction of its expected month (0.2 = 20 %), so that noise on a large bill is no finding."),
        new(SpendRule, "account_min_increase", "0.5", 0, 1e6, false,
            "The same for an account's spend beyond its services' findings (an account sums many lines, so its noise adds up to more money)."),
        new(SpendRule, "usage_min_increase", "2.0", 0, 1e6, false,
            "A month whose voice minutes or data MB the monthly detectors flag fires even without spend when it exceeds the expected month by this fraction (2.0 = tripled: minutes and data are heavy-tailed, a few long calls or downloads double a small line now and then)."),
        new(SpendRule, "peer_threshold", "5", 0.1, 1e6, false,
            "A month's usage fires without spend only if both its volume and its growth over its past months lie this many robust standard deviations above its peers' (services of the same type, or accounts) that month."),
        new(SpendRule, "min_peers", "5", 1, 1e6, true, "Peers needed for that comparison; with fewer, usage alone never fires."),
        new(SpendRule, "daily_threshold", "5", 0.1, 1e6, false,
            "Seasonal baseline over daily spend: a day is anomalous beyond this many robust standard deviations from the median of the same weekday in past weeks."),
        new(SpendRule, "daily_weeks", "8", 1, 520, true, "Weeks of history the daily seasonal baseline looks at."),
        new(SpendRule, "daily_min_weeks", "4", 1, 520, true, "Weeks of history needed before a day is judged; with fewer there is no verdict (and no finding)."),
        new(SpendRule, "relative_floor", "0.1", 0, 100, false,
            "The robust standard deviation of the seasonal baselines (daily and monthly) is at least this fraction of the expected value."),
        new(SpendRule, "sr_window", "32", 4, 4096, true, "Spectral residual: days in the window ending at the judged day (also the history it needs)."),
        new(SpendRule, "sr_extend", "0", 0, 4096, true, "Spectral residual: extrapolated points appended to the window (ML.NET appends 5; window + extend = FFT length, a power of two is fastest)."),
        new(SpendRule, "sr_lookahead", "5", 1, 4096, true, "Spectral residual: points whose slopes estimate the extrapolated value (when sr_extend > 0)."),
        new(SpendRule, "sr_averaging", "3", 1, 4095, true, "Spectral residual: width (odd) of the moving average over the log amplitude spectrum."),
        new(SpendRule, "sr_judgement", "21", 1, 4096, true, "Spectral residual: saliency values averaged to judge the last day."),
        new(SpendRule, "sr_threshold", "3", 0.01, 1e6, false, "Spectral residual: a day is anomalous when its saliency exceeds the average by this factor of it."),
        new(SpendRule, "shift_window", "7", 2, 4096, true, "Level shift over daily spend: days on each side of a candidate change, a whole number of weeks (a change is confirmed this many days minus one late)."),
        new(SpendRule, "shift_relative_floor", "0.1", 0.001, 100, false,
            "Level shift: one day's (or month's) noise is taken as at least this fraction of its level."),
        new(SpendRule, "shift_threshold", "4", 0.1, 1e6, false, "Level shift: a change moves the median same-weekday difference by more than this many standard errors."),
        new(SpendRule, "monthly_months", "6", 1, 600, true, "Monthly baseline: past months it looks at (seasonal by calendar month once 24 months of history exist)."),
        new(SpendRule, "monthly_min_months", "3", 1, 600, true, "Monthly baseline: complete months of history needed before a month is judged."),
        new(SpendRule, "monthly_threshold", "5", 0.1, 1e6, false, "Monthly baseline: a month is anomalous beyond this many robust standard deviations from the median of past months."),
        new(SpendRule, "monthly_shift_window", "3", 2, 600, true, "Level shift over months: months on each side of a candidate change."),
        new(UsageRule, "min_score", "0.70", 0.5, 1, false,
            "Isolation forest score (2^(-mean path / c(sample size))) above which a call is an outlier; ordinary calls score about 0.5 or less."),
        new(UsageRule, "min_billed", "25", 0, 1e9, false,
            "Smallest total billed for the outlying calls of one service and month that fires, in the account's currency (one odd but cheap call is not worth a person's time)."),
        new(UsageRule, "trees", "100", 1, 10000, true, "Isolation forest: trees."),
        new(UsageRule, "sample_size", "256", 2, 1_000_000, true, "Isolation forest: calls drawn (without replacement) to grow each tree."),
        new(UsageRule, "seed", "42", 0, 1e15, true, "Isolation forest: seed of its random draws (same seed and data, same result)."),
        new(UsageRule, "training_calls", "262144", 2, 100_000_000, true,
            "Isolation forest: calls it is grown on at most; with more calls in the lake, a fixed stride sample of this many (every call is still scored). Bounds the model's memory."),
        new(UsageRule, "warmup_days", "28", 0, 3650, true,
            "Days of a service's own history before a destination it has never called counts as new (before that every destination would be new)."),
    ];

    /// <summary>The two model rules (<see cref="RuleCatalog.Models"/>) with their settings and defaults.</summary>
    public static IReadOnlyList<IAuditRule> Rules => RuleCatalog.Models;

    /// <summary>Smallest spend above baseline that fires, account currency.</summary>
    public decimal MinAmount { get; init; }

    /// <summary>Fraction of its expected month a service's spend above baseline must also reach.</summary>
    public decimal MinIncrease { get; init; }

    /// <summary>Fraction of its expected month an account's unexplained spend above baseline must also reach.</summary>
    public decimal AccountMinIncrease { get; init; }

    /// <summary>Fraction by which a flagged month's usage must exceed its expected value to fire without spend.</summary>
    public double UsageMinIncrease { get; init; }

    /// <summary>Robust standard deviations above the peers' median that a month's usage must exceed to fire without spend.</summary>
    public double PeerThreshold { get; init; }

    /// <summary>Peers needed for the peer comparison.</summary>
    public int MinPeers { get; init; }

    /// <summary>Seasonal baseline over daily series.</summary>
    public required SeasonalBaselineOptions Daily { get; init; }

    /// <summary>Spectral residual over daily series.</summary>
    public required SpectralResidualOptions SpectralResidual { get; init; }

    /// <summary>Level shift over daily series.</summary>
    public required LevelShiftOptions DailyShift { get; init; }

    /// <summary>Baseline over monthly series (period 1; <see cref="MonthlySeasonal"/> from 24 months of history).</summary>
    public required SeasonalBaselineOptions Monthly { get; init; }

    /// <summary>Baseline over monthly series with a yearly season (used when a series has 24 or more complete months).</summary>
    public required SeasonalBaselineOptions MonthlySeasonal { get; init; }

    /// <summary>Level shift over monthly series.</summary>
    public required LevelShiftOptions MonthlyShift { get; init; }

    /// <summary>Isolation forest over calls.</summary>
    public required IsolationForestOptions Forest { get; init; }

    /// <summary>Score above which a call is an outlier.</summary>
    public double MinScore { get; init; }

    /// <summary>Smallest billed total of a service-month's outlying calls that fires, account currency.</summary>
    public decimal MinBilled { get; init; }

    /// <summary>Days of history before a destination can be new.</summary>
    public int WarmupDays { get; init; }

    /// <summary>Calls the forest is grown on at most (a fixed stride sample beyond).</summary>
    public int TrainingCalls { get; init; } = 262_144;

    /// <summary>The settings at their defaults.</summary>
    public static AnomalySettings Default { get; } = Resolve(null);

    /// <summary>The settings of the model rule <paramref name="rule"/> with their defaults and descriptions, in their documented order.</summary>
    public static IReadOnlyList<RuleSetting> SettingsOf(string rule) =>
        [.. Definitions.Where(d => d.Rule == rule).Select(d => new RuleSetting(d.Name, d.Default, d.Description))];

    /// <summary>Is <paramref name="key"/> (<c>rule.setting</c>) one of the model rules' settings?</summary>
    public static bool IsModelSetting(string key) =>
        key.StartsWith(SpendRule + ".", StringComparison.Ordinal) || key.StartsWith(UsageRule + ".", StringComparison.Ordinal);

    /// <summary>
    /// The settings with <paramref name="overrides"/> (keys <c>rule.setting</c>; keys of other rules are ignored)
    /// applied over the defaults.
    /// </summary>
    /// <exception cref="ArgumentException">An override names an unknown setting of a model rule, or its value is not a number in range.</exception>
    public static AnomalySettings Resolve(IReadOnlyDictionary<string, string>? overrides)
    {
        if (overrides is not null)
        {
            foreach (var key in overrides.Keys.Where(IsModelSetting))
            {
                if (!Definitions.Any(d => d.Key == key))
                {
                    var rule = key[..key.IndexOf('.', StringComparison.Ordinal)];
                    throw new ArgumentException(
                        $"{key} is not a setting of {rule}; its settings are {string.Join(", ", Definitions.Where(d => d.Rule == rule).Select(d => d.Name))}.");
                }
            }
        }

        var values = Definitions.ToDictionary(d => d.Key, d => d.Read(overrides), StringComparer.Ordinal);
        double D(string name) => (double)values[name];
        int I(string name) => (int)values[name];

        var floor = D("spend_anomaly.relative_floor");
        var settings = new AnomalySettings
        {
            MinAmount = values["spend_anomaly.min_amount"],
            MinIncrease = values["spend_anomaly.min_increase"],
            AccountMinIncrease = values["spend_anomaly.account_min_increase"],
            UsageMinIncrease = D("spend_anomaly.usage_min_increase"),
            PeerThreshold = D("spend_anomaly.peer_threshold"),
            MinPeers = I("spend_anomaly.min_peers"),
            Daily = new SeasonalBaselineOptions
            {
                Period = 7, Cycles = I("spend_anomaly.daily_weeks"), MinCycles = I("spend_anomaly.daily_min_weeks"),
                Threshold = D("spend_anomaly.daily_threshold"), RelativeFloor = floor,
            },
            SpectralResidual = new SpectralResidualOptions
            {
                Window = I("spend_anomaly.sr_window"), ExtendBy = I("spend_anomaly.sr_extend"), Lookahead = I("spend_anomaly.sr_lookahead"),
                Averaging = I("spend_anomaly.sr_averaging"), Judgement = I("spend_anomaly.sr_judgement"), Threshold = D("spend_anomaly.sr_threshold"),
            },
            DailyShift = new LevelShiftOptions
            {
                Period = 7, Window = I("spend_anomaly.shift_window"), Threshold = D("spend_anomaly.shift_threshold"),
                RelativeFloor = D("spend_anomaly.shift_relative_floor"),
            },
            Monthly = new SeasonalBaselineOptions
            {
                Period = 1, Cycles = I("spend_anomaly.monthly_months"), MinCycles = I("spend_anomaly.monthly_min_months"),
                Threshold = D("spend_anomaly.monthly_threshold"), RelativeFloor = floor,
            },
            MonthlySeasonal = new SeasonalBaselineOptions
            {
                Period = 12, Cycles = 2, MinCycles = 2, Threshold = D("spend_anomaly.monthly_threshold"), RelativeFloor = floor,
            },
            MonthlyShift = new LevelShiftOptions
            {
                Period = 1, Window = I("spend_anomaly.monthly_shift_window"), Threshold = D("spend_anomaly.shift_threshold"),
                RelativeFloor = D("spend_anomaly.shift_relative_floor"),
            },
            Forest = new IsolationForestOptions
            {
                Trees = I("usage_anomaly.trees"), SampleSize = I("usage_anomaly.sample_size"), Seed = (ulong)values["usage_anomaly.seed"],
            },
            MinScore = D("usage_anomaly.min_score"),
            MinBilled = values["usage_anomaly.min_billed"],
            WarmupDays = I("usage_anomaly.warmup_days"),
            TrainingCalls = I("usage_anomaly.training_calls"),
        };

        try
        {
            settings.Daily.Validate();
            settings.SpectralResidual.Validate();
            settings.DailyShift.Validate();
            settings.Monthly.Validate();
            settings.MonthlyShift.Validate();
            settings.Forest.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException($"The anomaly settings do not fit together: {e.ParamName} = {e.ActualValue} is out of range.", e);
        }

        return settings;
    }

    private sealed record Definition(string Rule, string Name, string Default, double Min, double Max, bool Whole, string Description)
    {
        public string Key => Rule + "." + Name;

        public decimal Read(IReadOnlyDictionary<string, string>? overrides)
        {
            var text = overrides is not null && overrides.TryGetValue(Key, out var v) ? v : Default;
            if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                throw new ArgumentException($"Setting {Key} = '{text}' is not a number.");
            }

            if ((double)value < Min || (double)value > Max || (Whole && value != decimal.Truncate(value)))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Setting {Key} = {text} is out of range: expected {(Whole ? "a whole number" : "a number")} from {Min} to {Max}."));
            }

            return value;
        }
    }
}
