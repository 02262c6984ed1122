namespace Tem.Audit.Anomaly;

/// <summary>
/// How one detector did on a labeled series, scored by events rather than points.
/// </summary>
/// <param name="Detector">Detector name.</param>
/// <param name="Events">Labeled events: maximal runs of consecutive points labeled 1.</param>
/// <param name="Detected">Events with at least one flagged point inside their window.</param>
/// <param name="Alarms">Maximal runs of consecutive flagged points.</param>
/// <param name="TrueAlarms">Alarms with at least one point inside some event's window.</param>
/// <param name="FlaggedPoints">Points the detector flagged.</param>
/// <param name="Scored">Points the detector could judge (the rest lacked history).</param>
public sealed record EventWindowResult(string Detector, int Events, int Detected, int Alarms, int TrueAlarms, int FlaggedPoints, int Scored)
{
    /// <summary>Alarms outside every event window.</summary>
    public int FalseAlarms => Alarms - TrueAlarms;

    /// <summary>True alarms / alarms; NaN when there was no alarm.</summary>
    public double Precision => Alarms == 0 ? double.NaN : (double)TrueAlarms / Alarms;

    /// <summary>Detected events / events; NaN when the series has no event.</summary>
    public double Recall => Events == 0 ? double.NaN : (double)Detected / Events;

    /// <summary>Harmonic mean of precision and recall; 0 when either is 0 or undefined.</summary>
    public double F1 => Precision is > 0 && Recall is > 0 ? 2 * Precision * Recall / (Precision + Recall) : 0;
}

/// <summary>
/// Event-window scoring. An <em>event</em> is a maximal run of points labeled 1; its window reaches
/// <c>tolerance</c> points before its first and after its last point (a change-point detector may date a shift a point
/// early, a spike detector may confirm it a point late). An event counts as detected when any flagged point lies in its
/// window, however many do. Flagged points form <em>alarms</em> (maximal runs of consecutive flagged points); an alarm
/// is true when any of its points lies in some event window and false otherwise. Precision = true alarms / alarms,
/// recall = detected events / events, F1 their harmonic mean. Scoring alarms and events rather than points keeps a
/// detector that flags every point of a long event from looking better than one that flags its start, and a burst
/// of flags on one spurious bump counts as one false alarm.
/// </summary>
public static class EventWindowScoring
{
    /// <summary>Scores <paramref name="flags"/> against <paramref name="labels"/> (same length).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static EventWindowResult Score(string detector, ReadOnlySpan<bool> labels, ReadOnlySpan<bool> flags, int tolerance, int scored)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (labels.Length != flags.Length)
        {
            throw new ArgumentException($"{flags.Length} flags for {labels.Length} labels; they must match.", nameof(flags));
        }

        var n = labels.Length;
        var inWindow = new bool[n];
        int events = 0, detected = 0;
        for (var i = 0; i < n;)
        {
            if (!labels[i])
            {
                i++;
                continue;
            }

            var end = i;
            while (end + 1 < n && labels[end + 1])
            {
                end++;
            }

            events++;
            var found = false;
            for (var k = Math.Max(0, i - tolerance); k <= Math.Min(n - 1, end + tolerance); k++)
            {
                inWindow[k] = true;
                found |= flags[k];
            }

            if (found)
            {
                detected++;
            }

            i = end + 1;
        }

        int alarms = 0, trueAlarms = 0, flagged = 0;
        for (var i = 0; i < n;)
        {
            if (!flags[i])
            {
                i++;
                continue;
            }

            alarms++;
            var hit = false;
            for (; i < n && flags[i]; i++)
            {
                flagged++;
                hit |= inWindow[i];
            }

            if (hit)
            {
                trueAlarms++;
            }
        }

        return new EventWindowResult(detector, events, detected, alarms, trueAlarms, flagged, scored);
    }

    /// <summary>The name of the union's result in <see cref="EvaluateWithUnion"/>.</summary>
    public const string UnionName = "any (union)";

    /// <summary>Runs <paramref name="detector"/> on <paramref name="values"/> and scores its flags towards <paramref name="direction"/>.</summary>
    public static EventWindowResult Evaluate(ISeriesDetector detector, ReadOnlySpan<double> values, ReadOnlySpan<bool> labels, int tolerance, AnomalyDirection direction)
    {
        ArgumentNullException.ThrowIfNull(detector);
        return Evaluate(detector, values, labels, tolerance, direction, [], []);
    }

    /// <summary>
    /// Each of <paramref name="detectors"/> as <see cref="Evaluate(ISeriesDetector, ReadOnlySpan{double}, ReadOnlySpan{bool}, int, AnomalyDirection)"/>,
    /// then their union (<see cref="UnionName"/>): a point any of them flagged, scored where any of them could judge it.
    /// </summary>
    public static IReadOnlyList<EventWindowResult> EvaluateWithUnion(
        IEnumerable<ISeriesDetector> detectors, ReadOnlySpan<double> values, ReadOnlySpan<bool> labels, int tolerance, AnomalyDirection direction)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        var union = new bool[values.Length];
        var unionScored = new bool[values.Length];
        var results = new List<EventWindowResult>();
        foreach (var detector in detectors)
        {
            results.Add(Evaluate(detector, values, labels, tolerance, direction, union, unionScored));
        }

        results.Add(Score(UnionName, labels, union, tolerance, unionScored.Count(s => s)));
        return results;
    }

    /// <summary>Scores one detector; its flagged and scored points are also or-ed into the union's (when given).</summary>
    private static EventWindowResult Evaluate(
        ISeriesDetector detector, ReadOnlySpan<double> values, ReadOnlySpan<bool> labels, int tolerance, AnomalyDirection direction, Span<bool> union, Span<bool> unionScored)
    {
        var scores = new PointScore[values.Length];
        detector.Detect(values, scores);
        var flags = new bool[values.Length];
        var scored = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            flags[i] = scores[i].IsAnomalyTowards(direction);
            scored += scores[i].Verdict == PointVerdict.NotScored ? 0 : 1;
            if (!union.IsEmpty)
            {
                union[i] |= flags[i];
                unionScored[i] |= scores[i].Verdict != PointVerdict.NotScored;
            }
        }

        return Score(detector.Name, labels, flags, tolerance, scored);
    }
}
