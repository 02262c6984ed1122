using System.Buffers;

namespace Tem.Audit.Anomaly;

/// <summary>Settings of <see cref="LevelShiftDetector"/>.</summary>
public sealed record LevelShiftOptions
{
    /// <summary>Points per season (7 for days with a weekly pattern, 1 for none); the window is a whole number of seasons.</summary>
    public int Period { get; init; } = 7;

    /// <summary>Points on each side of a candidate change (a multiple of <see cref="Period"/>).</summary>
    public int Window { get; init; } = 7;

    /// <summary>A change is a shift of more than this many standard errors (of the median same-phase difference).</summary>
    public double Threshold { get; init; } = 4.0;

    /// <summary>One point's noise is taken as at least this fraction of its level (so a steady fee's small change is no shift).</summary>
    public double RelativeFloor { get; init; } = 0.1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values the detector cannot use.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Period, 1, nameof(Period));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 2, nameof(Window));
        if (Window % Period != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"The window must be a whole number of seasons of {Period} points.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threshold, nameof(Threshold));
        ArgumentOutOfRangeException.ThrowIfNegative(RelativeFloor, nameof(RelativeFloor));
    }
}

/// <summary>
/// Level shift (change point). For each point t with w = <see cref="LevelShiftOptions.Window"/> points after it, the w
/// differences d_j = y[t+j] − y[t+j−w] (j = 0..w−1) pair every point from t on with the point of the same phase (weekday)
/// one window earlier, so a weekly pattern cancels out; the shift is their median. Windows without negative values are
/// compared on a log scale, y = ln(x + c) with c = 1 % of the larger of the medians of the windows before and after t, because spend changes in proportion (a campaign that adds 50 % adds it on weekdays and weekends, which on a
/// linear scale would be two different shifts); other windows use y = x. The noise of one point is the robust standard
/// deviation of the same differences one window earlier (y[t−w+j] − y[t−2w+j], where no shift is being tested) divided
/// by √2, floored at <see cref="LevelShiftOptions.RelativeFloor"/> (on the log scale: a 10 % noise; on the linear
/// scale: that fraction of the level). The statistic is the shift over the standard error of a median of w such
/// differences, 1.2533 × √(2/w) × noise; t is a change point when it exceeds <see cref="LevelShiftOptions.Threshold"/>
/// and is the largest within w−1 points either way (the earliest wins a tie), so one shift gives one point. A lone
/// spike or holiday moves one difference and not their median. The candidates next to a real change test almost the
/// same differences, so the change is dated within about half a window. Points before 2w are not scored, and the
/// verdict for t needs the w−1 points after it: a change is confirmed w−1 points late and the last w−1 points of a
/// series are not scored. Expected is the median of the w points before t (the level before); the band is where that
/// level would have to move to for the statistic to reach the threshold.
/// </summary>
public sealed class LevelShiftDetector : ISeriesDetector
{
    /// <summary>Creates the detector.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public LevelShiftDetector(LevelShiftOptions? options = null)
    {
        Options = options ?? new LevelShiftOptions();
        Options.Validate();
    }

    /// <summary>The detector's name in findings and evaluations.</summary>
    public const string DetectorName = "level_shift";

    /// <summary>Its settings.</summary>
    public LevelShiftOptions Options { get; }

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public void Detect(ReadOnlySpan<double> values, Span<PointScore> scores)
    {
        RobustStats.CheckInput(values, scores.Length);
        var w = Options.Window;
        var n = values.Length;
        var pool = ArrayPool<double>.Shared;
        var differences = pool.Rent(w);
        var scratch = pool.Rent(w);
        var statistic = pool.Rent(Math.Max(n, 1));
        try
        {
            for (var t = 0; t < n; t++)
            {
                statistic[t] = 0;
                if (t < 2 * w || t + w > n)
                {
                    scores[t] = PointScore.NotScored;
                    continue;
                }

                values.Slice(t - w, w).CopyTo(scratch);
                var before = RobustStats.Median(scratch.AsSpan(0, w));
                values.Slice(t, w).CopyTo(scratch);
                var after = RobustStats.Median(scratch.AsSpan(0, w));

                // Spend and usage change in proportion (a busier month is busier on weekdays and weekends alike), so
                // non-negative windows are compared as ln(x + c): a proportional change then has one size on every
                // weekday. c keeps days without usage finite. A window with negative values is compared as it is.
                var window = values.Slice(t - (2 * w), 3 * w);
                var logarithmic = window.IndexOfAnyInRange(double.NegativeInfinity, -double.Epsilon) < 0;
                var offset = Math.Max(0.01 * Math.Max(Math.Abs(before), Math.Abs(after)), RobustStats.Epsilon);

                for (var j = 0; j < w; j++)
                {
                    differences[j] = Level(values, t + j, logarithmic, offset) - Level(values, t + j - w, logarithmic, offset);
                }

                var shift = RobustStats.Median(differences.AsSpan(0, w));

                // The noise of one point, from the same differences one window earlier (where no shift is being tested).
                for (var j = 0; j < w; j++)
                {
                    differences[j] = Level(values, t - w + j, logarithmic, offset) - Level(values, t - (2 * w) + j, logarithmic, offset);
                }

                var centre = RobustStats.Median(differences.AsSpan(0, w));
                for (var j = 0; j < w; j++)
                {
                    differences[j] -= centre;
                }

                var noise = RobustStats.Sigma(differences.AsSpan(0, w)) / Math.Sqrt(2);
                var floor = logarithmic ? Options.RelativeFloor : Options.RelativeFloor * Math.Max(Math.Abs(before), Math.Abs(after));
                var sigma = Math.Max(Math.Max(noise, floor), RobustStats.Epsilon);

                // Standard error of the median of w differences of two points: 1.2533 × √2 σ / √w.
                var standardError = RobustStats.MeanAbsToSigma * Math.Sqrt(2.0 / w) * sigma;
                var z = shift / standardError;
                statistic[t] = Math.Abs(z) > Options.Threshold ? z : 0;
                var margin = Options.Threshold * standardError;
                var (lower, upper) = logarithmic
                    ? (((before + offset) * Math.Exp(-margin)) - offset, ((before + offset) * Math.Exp(margin)) - offset)
                    : (before - margin, before + margin);
                scores[t] = new PointScore(PointVerdict.Normal, before, lower, upper, z);
            }

            // One shift, one point: keep a candidate only if no stronger candidate lies within w-1 points.
            for (var t = 2 * w; t + w <= n; t++)
            {
                var s = Math.Abs(statistic[t]);
                if (s == 0)
                {
                    continue;
                }

                var strongest = true;
                for (var u = Math.Max(2 * w, t - w + 1); u < Math.Min(n - w + 1, t + w) && strongest; u++)
                {
                    var other = Math.Abs(statistic[u]);
                    strongest = u < t ? other < s : u == t || other <= s;
                }

                if (strongest)
                {
                    scores[t] = scores[t] with { Verdict = statistic[t] > 0 ? PointVerdict.High : PointVerdict.Low };
                }
            }
        }
        finally
        {
            pool.Return(differences);
            pool.Return(scratch);
            pool.Return(statistic);
        }
    }

    private static double Level(ReadOnlySpan<double> values, int i, bool logarithmic, double offset) =>
        logarithmic ? Math.Log(values[i] + offset) : values[i];
}
