using System.Globalization;

namespace Tem.Audit.Anomaly;

/// <summary>One cycle the spacing makes possible and how strongly the data repeats over it.</summary>
/// <param name="Name">daily, weekly or yearly.</param>
/// <param name="Period">Points per cycle.</param>
/// <param name="Autocorrelation">Autocorrelation at that lag after removing a moving average of one cycle (NaN when the series is shorter than two cycles).</param>
public sealed record CycleCandidate(string Name, int Period, double Autocorrelation);

/// <summary>The seasonal period chosen for a series and why.</summary>
/// <param name="Period">Points per season; 1 for no cycle.</param>
/// <param name="Cycle">daily, weekly or yearly; null for none.</param>
/// <param name="Spacing">The spacing of the points (null when unknown).</param>
/// <param name="Candidates">Every cycle the spacing allowed, with its autocorrelation.</param>
/// <param name="MinAutocorrelation">The autocorrelation a cycle needed.</param>
public sealed record Seasonality(int Period, string? Cycle, TimeSpan? Spacing, IReadOnlyList<CycleCandidate> Candidates, double MinAutocorrelation)
{
    /// <summary>
    /// For a person: "period 48 (daily, from 30-minute spacing; autocorrelation 0.71)" or "period 1 (no cycle: ...)".
    /// </summary>
    public string Describe()
    {
        var spacing = Spacing is { } s ? SeasonalityInference.DescribeSpacing(s) + " spacing" : "unknown spacing";
        if (Cycle is not null)
        {
            var chosen = Candidates.First(c => c.Period == Period);
            return string.Create(CultureInfo.InvariantCulture, $"period {Period} ({Cycle}, from {spacing}; autocorrelation {chosen.Autocorrelation:0.00})");
        }

        var tested = Candidates.Where(c => !double.IsNaN(c.Autocorrelation)).ToList();
        if (tested.Count == 0)
        {
            return Candidates.Count == 0
                ? $"period 1 (no cycle: none fits {spacing})"
                : string.Create(CultureInfo.InvariantCulture,
                    $"period 1 (no cycle: too short to test {string.Join(" or ", Candidates.Select(c => $"{c.Name} ({c.Period} points)"))} from {spacing})");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"period 1 (no cycle: autocorrelation {string.Join(", ", tested.Select(c => $"{c.Autocorrelation:0.00} at {c.Period} points ({c.Name})"))} below {MinAutocorrelation:0.00}, from {spacing})");
    }
}

/// <summary>
/// Infers a series' seasonal cycle from the spacing of its points and from its values. The spacing gives the
/// candidates: for spacings that divide a day (5, 15, 30, 60 minutes, ...) a daily cycle (288, 96, 48, 24 points) and a
/// weekly one (7 times that); for days a weekly (7) and a yearly (365) cycle; for weeks a yearly one (52); for months a
/// yearly one (12). The data decides: for each candidate with at least two cycles of points, the series is
/// winsorised at its median ± 4 robust standard deviations (so a few spikes do not drown the pattern), a centred
/// moving average of one cycle is subtracted (so a trend does not look like a cycle: it correlates at every lag) and the
/// autocorrelation at the candidate's lag is taken. A candidate counts when that autocorrelation reaches
/// <see cref="DefaultMinAutocorrelation"/>; among those, the longer cycle wins only if it correlates at least
/// <see cref="LongerCycleMargin"/> better (a weekly cycle repeats a daily one too: a series with weekday and weekend
/// days correlates better over a week than over a day). None counts: period 1, no cycle.
/// </summary>
public static class SeasonalityInference
{
    /// <summary>Autocorrelation a cycle needs (0.3).</summary>
    public const double DefaultMinAutocorrelation = 0.3;

    /// <summary>How much better a longer cycle must correlate to be preferred over a shorter one (0.1).</summary>
    public const double LongerCycleMargin = 0.1;

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The cycles a spacing allows, shortest first, as (name, points per cycle).</summary>
    public static IReadOnlyList<(string Name, int Period)> CandidatesFor(TimeSpan spacing)
    {
        var seconds = spacing.TotalSeconds;
        if (seconds <= 0)
        {
            return [];
        }

        var perDay = Day.TotalSeconds / seconds;
        if (perDay >= 2 && Math.Abs(perDay - Math.Round(perDay)) < 1e-6)
        {
            var daily = (int)Math.Round(perDay);
            return [("daily", daily), ("weekly", daily * 7)];
        }

        var days = seconds / Day.TotalSeconds;
        return days switch
        {
            >= 0.99 and <= 1.01 => [("weekly", 7), ("yearly", 365)],
            >= 6.9 and <= 7.1 => [("yearly", 52)],
            >= 27 and <= 32 => [("yearly", 12)],
            _ => [],
        };
    }

    /// <summary>Chooses the period of <paramref name="values"/>, equally spaced at <paramref name="spacing"/>.</summary>
    public static Seasonality Infer(TimeSpan? spacing, ReadOnlySpan<double> values, double minAutocorrelation = DefaultMinAutocorrelation)
    {
        if (spacing is not { } step)
        {
            return new Seasonality(1, null, null, [], minAutocorrelation);
        }

        var winsorised = Winsorise(values);
        var length = values.Length;
        var candidates = CandidatesFor(step)
            .Select(c => new CycleCandidate(c.Name, c.Period, length >= 2 * c.Period ? Autocorrelation(winsorised, c.Period) : double.NaN))
            .ToList();
        CycleCandidate? chosen = null;
        foreach (var c in candidates.Where(c => c.Autocorrelation >= minAutocorrelation))
        {
            if (chosen is null || c.Autocorrelation >= chosen.Autocorrelation + LongerCycleMargin)
            {
                chosen = c;
            }
        }

        return new Seasonality(chosen?.Period ?? 1, chosen?.Name, step, candidates, minAutocorrelation);
    }

    /// <summary>
    /// Autocorrelation at <paramref name="lag"/> of <paramref name="values"/> minus their centred moving average over
    /// <paramref name="lag"/> points (shorter at the ends): a cycle of that length survives, a trend does not.
    /// </summary>
    public static double Autocorrelation(ReadOnlySpan<double> values, int lag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, 1);
        var n = values.Length;
        if (n < 2 * lag)
        {
            return double.NaN;
        }

        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + values[i];
        }

        var residual = new double[n];
        var before = lag / 2;
        var after = lag - 1 - before;
        for (var i = 0; i < n; i++)
        {
            var from = Math.Max(0, i - before);
            var to = Math.Min(n - 1, i + after);
            residual[i] = values[i] - ((prefix[to + 1] - prefix[from]) / (to - from + 1));
        }

        var mean = residual.Average();
        double numerator = 0, denominator = 0;
        for (var i = 0; i < n; i++)
        {
            var d = residual[i] - mean;
            denominator += d * d;
            if (i + lag < n)
            {
                numerator += d * (residual[i + lag] - mean);
            }
        }

        return denominator < RobustStats.Epsilon ? 0 : numerator / denominator;
    }

    /// <summary>"5-minute", "30-minute", "1-hour", "1-day", ... for a spacing.</summary>
    public static string DescribeSpacing(TimeSpan spacing) => spacing switch
    {
        { TotalDays: >= 27 and <= 32 } => "1-month",
        { TotalDays: >= 1 } when spacing.TotalDays % 1 == 0 => string.Create(CultureInfo.InvariantCulture, $"{spacing.TotalDays:0}-day"),
        { TotalHours: >= 1 } when spacing.TotalHours % 1 == 0 => string.Create(CultureInfo.InvariantCulture, $"{spacing.TotalHours:0}-hour"),
        { TotalMinutes: >= 1 } when spacing.TotalMinutes % 1 == 0 => string.Create(CultureInfo.InvariantCulture, $"{spacing.TotalMinutes:0}-minute"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{spacing.TotalSeconds:0.###}-second"),
    };

    private static double[] Winsorise(ReadOnlySpan<double> values)
    {
        var copy = values.ToArray();
        if (copy.Length == 0)
        {
            return copy;
        }

        var scratch = values.ToArray();
        var median = RobustStats.Median(scratch);
        for (var i = 0; i < scratch.Length; i++)
        {
            scratch[i] = values[i] - median;
        }

        var sigma = RobustStats.Sigma(scratch);
        if (sigma < RobustStats.Epsilon)
        {
            return copy;
        }

        var (low, high) = (median - (4 * sigma), median + (4 * sigma));
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Math.Clamp(copy[i], low, high);
        }

        return copy;
    }
}
