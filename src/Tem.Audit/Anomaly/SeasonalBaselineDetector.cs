using System.Buffers;

namespace Tem.Audit.Anomaly;

/// <summary>Settings of <see cref="SeasonalBaselineDetector"/>.</summary>
public sealed record SeasonalBaselineOptions
{
    /// <summary>Points per season: 7 for days with a weekly pattern, 12 for months over years, 1 for none.</summary>
    public int Period { get; init; } = 7;

    /// <summary>Past seasons the baseline looks at (8 weeks of days by default).</summary>
    public int Cycles { get; init; } = 8;

    /// <summary>Seasons of history needed before a point is scored; fewer gives no verdict.</summary>
    public int MinCycles { get; init; } = 4;

    /// <summary>A point is anomalous beyond this many robust standard deviations from the expected value.</summary>
    public double Threshold { get; init; } = 5.0;

    /// <summary>
    /// The robust standard deviation is at least this fraction of the expected value, so that an almost constant
    /// series (a flat fee, a steady line) does not call a small wobble an anomaly.
    /// </summary>
    public double RelativeFloor { get; init; } = 0.1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values the detector cannot use.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Period, 1, nameof(Period));
        ArgumentOutOfRangeException.ThrowIfLessThan(Cycles, 1, nameof(Cycles));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCycles, 1, nameof(MinCycles));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinCycles, Cycles, nameof(MinCycles));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threshold, nameof(Threshold));
        ArgumentOutOfRangeException.ThrowIfNegative(RelativeFloor, nameof(RelativeFloor));
    }
}

/// <summary>
/// Robust seasonal baseline. The value expected at point t is the median of the same phase in the past
/// <see cref="SeasonalBaselineOptions.Cycles"/> seasons (t − p, t − 2p, ...: the same weekday of the previous weeks);
/// the spread is the robust standard deviation (1.4826 × MAD, or 1.2533 × mean absolute deviation when more than
/// half the deviations are zero) of every point of those seasons around its own phase's median, floored at
/// <see cref="SeasonalBaselineOptions.RelativeFloor"/> × |expected|. Only points before t are used: no leakage from
/// the future. The band is expected ± threshold × spread; a point outside it is anomalous. Medians make one past
/// holiday or spike move neither the expectation nor the spread much.
/// </summary>
public sealed class SeasonalBaselineDetector : ISeriesDetector
{
    /// <summary>Creates the detector.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SeasonalBaselineDetector(SeasonalBaselineOptions? options = null)
    {
        Options = options ?? new SeasonalBaselineOptions();
        Options.Validate();
    }

    /// <summary>The detector's name in findings and evaluations.</summary>
    public const string DetectorName = "seasonal_baseline";

    /// <summary>Its settings.</summary>
    public SeasonalBaselineOptions Options { get; }

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public void Detect(ReadOnlySpan<double> values, Span<PointScore> scores)
    {
        RobustStats.CheckInput(values, scores.Length);
        var p = Options.Period;
        var window = checked(p * Options.Cycles);
        var pool = ArrayPool<double>.Shared;
        var phase = pool.Rent(Options.Cycles);
        var medians = pool.Rent(p);
        var deviations = pool.Rent(window);
        try
        {
            var known = -1;
            for (var t = 0; t < values.Length; t++)
            {
                var cycles = Math.Min(Options.Cycles, t / p);
                if (cycles < Options.MinCycles)
                {
                    scores[t] = PointScore.NotScored;
                    continue;
                }

                // The past `cycles` seasons: start..t-1; medians[a] is the median of the points of phase a (k mod p = a).
                // Moving on by one point with as many seasons drops t-1-cycles·p and adds t-1, both of phase (t-1) mod p,
                // so only that phase's median changes.
                var start = t - (cycles * p);
                var n = cycles * p;
                unchecked
                {
                    for (var a = 0; a < p; a++)
                    {
                        if (cycles == known && a != (t - 1) % p)
                        {
                            continue;
                        }

                        var first = start + (((a - start) % p) + p) % p;
                        for (var c = 0; c < cycles; c++)
                        {
                            phase[c] = values[first + (c * p)];
                        }

                        medians[a] = RobustStats.Median(phase.AsSpan(0, cycles));
                    }

                    known = cycles;
                    for (var k = 0; k < n; k++)
                    {
                        deviations[k] = values[start + k] - medians[(start + k) % p];
                    }
                }

                var expected = medians[t % p];
                var sigma = Math.Max(RobustStats.Sigma(deviations.AsSpan(0, n)), Options.RelativeFloor * Math.Abs(expected));
                sigma = Math.Max(sigma, RobustStats.Epsilon);
                var z = (values[t] - expected) / sigma;
                var half = Options.Threshold * sigma;
                scores[t] = new PointScore(RobustStats.Judge(z, Options.Threshold), expected, expected - half, expected + half, z);
            }
        }
        finally
        {
            pool.Return(phase);
            pool.Return(medians);
            pool.Return(deviations);
        }
    }
}
