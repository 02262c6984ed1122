using System.Buffers;

namespace Tem.Audit.Anomaly;

/// <summary>Settings of <see cref="LevelShiftDetector"/>.</summary>
public sealed record LevelShiftOptions
{
    /// <summary>Points on each side of a candidate change: the level before is the median of this many points, and so is the level after.</summary>
    public int Window { get; init; } = 7;

    /// <summary>A change is a shift of the median by more than this many robust standard deviations.</summary>
    public double Threshold { get; init; } = 4.0;

    /// <summary>The robust standard deviation is at least this fraction of the larger of the two levels.</summary>
    public double RelativeFloor { get; init; } = 0.1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values the detector cannot use.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 2, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threshold, nameof(Threshold));
        ArgumentOutOfRangeException.ThrowIfNegative(RelativeFloor, nameof(RelativeFloor));
    }
}

/// <summary>
/// Level shift (change point). For each point t with w = <see cref="LevelShiftOptions.Window"/> points on both
/// sides, the level before is the median of t−w..t−1 and the level after the median of t..t+w−1; the spread is the
/// robust standard deviation of the 2w points around their own side's median (floored at
/// <see cref="LevelShiftOptions.RelativeFloor"/> × the larger level). The statistic is (after − before) / spread; t is a
/// change point when it exceeds <see cref="LevelShiftOptions.Threshold"/> and is the largest within w−1 points either
/// way (the earliest wins a tie), so one shift gives one point. Medians ignore a lone spike on either side. The verdict
/// for t needs the w−1 points after it: a change is confirmed w−1 points late, and the last w−1 points of a series are
/// not scored. Expected is the level before, the band the level before ± threshold × spread.
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
        var side = pool.Rent(w);
        var deviations = pool.Rent(2 * w);
        var statistic = pool.Rent(Math.Max(n, 1));
        try
        {
            for (var t = 0; t < n; t++)
            {
                if (t < w || t + w > n)
                {
                    scores[t] = PointScore.NotScored;
                    statistic[t] = 0;
                    continue;
                }

                values.Slice(t - w, w).CopyTo(side);
                var before = RobustStats.Median(side.AsSpan(0, w));
                values.Slice(t, w).CopyTo(side);
                var after = RobustStats.Median(side.AsSpan(0, w));
                for (var k = 0; k < w; k++)
                {
                    deviations[k] = values[t - w + k] - before;
                    deviations[w + k] = values[t + k] - after;
                }

                var sigma = Math.Max(RobustStats.Sigma(deviations.AsSpan(0, 2 * w)), Options.RelativeFloor * Math.Max(Math.Abs(before), Math.Abs(after)));
                sigma = Math.Max(sigma, RobustStats.Epsilon);
                var z = (after - before) / sigma;
                statistic[t] = Math.Abs(z) > Options.Threshold ? z : 0;
                var half = Options.Threshold * sigma;
                scores[t] = new PointScore(PointVerdict.Normal, before, before - half, before + half, z);
            }

            // One shift, one point: keep a candidate only if no stronger candidate lies within w-1 points.
            for (var t = w; t + w <= n; t++)
            {
                var s = Math.Abs(statistic[t]);
                if (s == 0)
                {
                    continue;
                }

                var strongest = true;
                for (var u = Math.Max(w, t - w + 1); u < Math.Min(n - w + 1, t + w) && strongest; u++)
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
            pool.Return(side);
            pool.Return(deviations);
            pool.Return(statistic);
        }
    }
}
