namespace Tem.Audit.Anomaly;

/// <summary>How a detector judged one point of a series.</summary>
public enum PointVerdict : byte
{
    /// <summary>Not enough history before (or, for a change point, after) the point: no judgement rather than a wild one.</summary>
    NotScored = 0,

    /// <summary>Within what the detector expects.</summary>
    Normal = 1,

    /// <summary>Anomalous, above what the detector expects (a spike, a shift up).</summary>
    High = 2,

    /// <summary>Anomalous, below what the detector expects (a dip, a shift down).</summary>
    Low = 3,
}

/// <summary>Which side of the expectation counts as an anomaly.</summary>
public enum AnomalyDirection
{
    /// <summary>Only points above the expectation (spend and usage audits: money is lost upwards).</summary>
    Up,

    /// <summary>Only points below it.</summary>
    Down,

    /// <summary>Both sides.</summary>
    Both,
}

/// <summary>
/// A detector's judgement of one point. <see cref="Expected"/>, <see cref="Lower"/> and <see cref="Upper"/> are in
/// the series' own unit (NaN when the detector has no such notion or did not score the point); <see cref="Score"/> is
/// the detector's statistic (robust z for the seasonal baseline, saliency ratio for the spectral residual, shift in
/// robust standard deviations for the level shift).
/// </summary>
/// <param name="Verdict">The judgement.</param>
/// <param name="Expected">What the detector expected at this point.</param>
/// <param name="Lower">Lowest value it would have called normal.</param>
/// <param name="Upper">Highest value it would have called normal.</param>
/// <param name="Score">The detector's statistic.</param>
public readonly record struct PointScore(PointVerdict Verdict, double Expected, double Lower, double Upper, double Score)
{
    /// <summary>A point the detector could not judge.</summary>
    public static PointScore NotScored { get; } = new(PointVerdict.NotScored, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>True for <see cref="PointVerdict.High"/> and <see cref="PointVerdict.Low"/>.</summary>
    public bool IsAnomaly => Verdict is PointVerdict.High or PointVerdict.Low;

    /// <summary>True when the point is an anomaly on a side <paramref name="direction"/> accepts.</summary>
    public bool IsAnomalyTowards(AnomalyDirection direction) => direction switch
    {
        AnomalyDirection.Up => Verdict == PointVerdict.High,
        AnomalyDirection.Down => Verdict == PointVerdict.Low,
        _ => IsAnomaly,
    };
}

/// <summary>
/// A detector over one series of equally spaced values (a day or a month per point). Detectors are pure: the same
/// values and settings give the same scores, and they keep no state between calls (safe to share across threads).
/// </summary>
public interface ISeriesDetector
{
    /// <summary>Short name used in findings and in <c>tem eval-anomaly</c>, e.g. <c>seasonal_baseline</c>.</summary>
    string Name { get; }

    /// <summary>Scores every point of <paramref name="values"/> into <paramref name="scores"/> (same length).</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a value is NaN or infinite.</exception>
    void Detect(ReadOnlySpan<double> values, Span<PointScore> scores);
}
