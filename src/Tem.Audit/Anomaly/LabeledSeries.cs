using System.Globalization;
using Tem.Core;
using CsvHelper;

namespace Tem.Audit.Anomaly;

/// <summary>How the points of one repeated timestamp are combined into one point.</summary>
public enum DuplicateAggregation
{
    /// <summary>Their mean (the default: right for a gauge such as CPU %, a rate, a level).</summary>
    Mean,

    /// <summary>Their sum (right for counts or spend per interval split over two rows).</summary>
    Sum,

    /// <summary>The largest.</summary>
    Max,

    /// <summary>The smallest.</summary>
    Min,

    /// <summary>The first in file order.</summary>
    First,

    /// <summary>The last in file order.</summary>
    Last,
}

/// <summary>A labelled window of time: every point from <see cref="Start"/> to <see cref="End"/> (both included) is anomalous.</summary>
/// <param name="Start">First instant of the window.</param>
/// <param name="End">Last instant of the window.</param>
public readonly record struct LabelWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>How a series file is turned into equally spaced points.</summary>
public sealed record SeriesReadOptions
{
    /// <summary>How the values of a repeated timestamp are combined (mean by default).</summary>
    public DuplicateAggregation Duplicates { get; init; } = DuplicateAggregation.Mean;

    /// <summary>
    /// Labels as windows of time (the Numenta Anomaly Benchmark's layout) instead of a <c>label</c> column; when given,
    /// a <c>label</c> column is not needed (and ignored if present).
    /// </summary>
    public IReadOnlyList<LabelWindow>? Windows { get; init; }

    /// <summary>
    /// Missing points in a gap of at most this share of the series' points are filled by linear interpolation
    /// (label 0 unless a window covers them); longer gaps are left as they are. 0 fills nothing.
    /// </summary>
    public double MaxFillShare { get; init; } = 0.1;
}

/// <summary>
/// What reading a series did to the file's rows: repeated timestamps aggregated, rows sorted, gaps filled. The counts
/// add up: <c>Rows − MergedRows + FilledPoints = points</c>.
/// </summary>
/// <param name="Rows">Data rows read.</param>
/// <param name="RepeatedTimestamps">Timestamps that occurred on more than one row.</param>
/// <param name="MergedRows">Rows folded into another row's point (rows of repeated timestamps beyond the first).</param>
/// <param name="Aggregation">How repeated timestamps were combined.</param>
/// <param name="OutOfOrderRows">Rows whose timestamp was before the previous row's (the file was sorted).</param>
/// <param name="Spacing">The median gap between consecutive timestamps (null with one point).</param>
/// <param name="Gaps">Gaps longer than 1.5 spacings.</param>
/// <param name="FilledPoints">Points added by interpolation in the gaps that were filled.</param>
/// <param name="UnfilledGaps">Gaps too long to fill (the detectors see their two sides as neighbours).</param>
public sealed record SeriesPreparation(
    int Rows, int RepeatedTimestamps, int MergedRows, DuplicateAggregation Aggregation, int OutOfOrderRows, TimeSpan? Spacing, int Gaps, int FilledPoints, int UnfilledGaps)
{
    /// <summary>One sentence for a person, e.g. "12 repeated timestamps aggregated by mean (13 rows merged)"; empty when nothing was done.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (OutOfOrderRows > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Count(OutOfOrderRows, "row")} out of order: sorted by timestamp"));
        }

        if (RepeatedTimestamps > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Count(RepeatedTimestamps, "repeated timestamp")} aggregated by {Aggregation.ToString().ToLowerInvariant()} ({Count(MergedRows, "row")} merged)"));
        }

        if (Gaps > 0)
        {
            var filled = Gaps - UnfilledGaps;
            var unfilled = UnfilledGaps > 0
                ? string.Create(CultureInfo.InvariantCulture, $", {UnfilledGaps} too long to fill (their sides are neighbours to the detectors)")
                : string.Empty;
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Count(Gaps, "gap")}: {filled} filled by linear interpolation ({Count(FilledPoints, "point")}, labelled 0 unless a window covers them){unfilled}"));
        }

        return string.Join("; ", parts);
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");
}

/// <summary>
/// A labelled series for evaluating detectors: a CSV with a header naming <c>timestamp</c>, <c>value</c> and
/// <c>label</c> (any order, case-insensitive, other columns ignored), one row per point; or, with label windows
/// (<see cref="SeriesReadOptions.Windows"/>), the Numenta Anomaly Benchmark's <c>timestamp,value</c>.
/// Timestamps are <c>YYYY-MM-DD</c> or ISO 8601 date-times (<c>2026-07-11T01:00:00Z</c> or <c>2026-07-11 01:00:00</c>,
/// with or without an offset); values are numbers with <c>.</c> as the decimal point; labels are <c>0</c> (normal) or
/// <c>1</c> (anomalous). Real exports are not tidy, so rows are sorted by timestamp, the rows of a repeated timestamp
/// (a clock change, a re-sent sample) are aggregated into one point by a declared function (a point is anomalous when
/// any of its rows is labelled 1), and short gaps are filled by linear interpolation, all reported in
/// <see cref="Preparation"/>: the detectors work on positions and need equally spaced points.
/// </summary>
public sealed class LabeledSeries
{
    private static readonly string[] Columns = ["timestamp", "value", "label"];

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd",
    ];

    private LabeledSeries(string source, DateTimeOffset[] timestamps, double[] values, bool[] labels, SeriesPreparation preparation)
    {
        Source = source;
        Timestamps = timestamps;
        Values = values;
        Labels = labels;
        Preparation = preparation;
    }

    /// <summary>Where the series came from (the file as the user named it).</summary>
    public string Source { get; }

    /// <summary>The points' timestamps, increasing (a date-time without offset is read as UTC).</summary>
    public IReadOnlyList<DateTimeOffset> Timestamps { get; }

    /// <summary>The values.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>The labels: true for anomalous points.</summary>
    public IReadOnlyList<bool> Labels { get; }

    /// <summary>What was done to the rows to make equally spaced points.</summary>
    public SeriesPreparation Preparation { get; }

    /// <summary>Reads a labelled series file.</summary>
    /// <exception cref="InputDataException">A row or the header is bad: the message names file, line and column.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static LabeledSeries Read(string path, SeriesReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.OpenRead(path), path, options);
    }

    /// <summary>Reads a labelled series from a stream (which is disposed); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InputDataException">A row or the header is bad.</exception>
    public static LabeledSeries Parse(Stream stream, string source, SeriesReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        options ??= new SeriesReadOptions();
        var csvOptions = new CsvReaderOptions
        {
            HasHeader = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
        };
        using var csv = CsvReader.Create(stream, csvOptions, false);
        try
        {
            return Parse(csv, source, options);
        }
        catch (CsvFormatException e)
        {
            var column = e.FieldIndex is int field and >= 0 ? field + 1 : 0;
            throw new InputDataException(new SourceLocation(source, Math.Max(0L, (long)e.LineNumber), column),
                "the row is not well-formed CSV (a quoted field is not closed, or text follows a closing quote)", "an RFC 4180 CSV row in UTF-8");
        }
    }

    /// <summary>Parses a timestamp in one of the accepted layouts (no offset = UTC); null when it is none of them.</summary>
    public static DateTimeOffset? ParseTimestamp(string text) =>
        DateTimeOffset.TryParseExact(text.Trim(), DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp) ? stamp : null;

    private static LabeledSeries Parse(CsvReader csv, string source, SeriesReadOptions options)
    {
        if (!csv.Read())
        {
            throw new InputDataException(new SourceLocation(source, 1), "the file is empty", "a header timestamp,value,label");
        }

        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i).Trim()).ToList();
        var useWindows = options.Windows is not null;
        var needed = useWindows ? 2 : Columns.Length;
        var ordinals = new int[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            ordinals[c] = header.FindIndex(h => h.Equals(Columns[c], StringComparison.OrdinalIgnoreCase));
            if (ordinals[c] < 0 && c < needed)
            {
                throw new InputDataException(new SourceLocation(source, csv.LineNumber), $"the header has no '{Columns[c]}' column ({string.Join(',', header)})",
                    "a header naming timestamp, value and label", "write the header line timestamp,value,label, or give the labels as windows (--windows, the NAB layout)");
            }
        }

        var rows = new List<Row>();
        var outOfOrder = 0;
        while (csv.Read())
        {
            var line = csv.LineNumber;
            if (csv.FieldCount != header.Count)
            {
                throw new InputDataException(new SourceLocation(source, line), string.Create(CultureInfo.InvariantCulture, $"{csv.FieldCount} fields"),
                    string.Create(CultureInfo.InvariantCulture, $"{header.Count} as in the header"));
            }

            string Text(int c) => csv.GetString(ordinals[c]).Trim();
            SourceLocation At(int c) => new(source, line, ordinals[c] + 1, Columns[c]);

            var stamp = ParseTimestamp(Text(0))
                ?? throw new InputDataException(At(0), $"'{Text(0)}' is not a timestamp", "YYYY-MM-DD or an ISO 8601 date-time such as 2026-07-11T01:00:00Z");
            if (!double.TryParse(Text(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new InputDataException(At(1), $"'{Text(1)}' is not a number", "a finite number with '.' as the decimal point, e.g. 12.5",
                    Text(1).Contains(',', StringComparison.Ordinal) ? "',' is not a decimal point here" : null);
            }

            var label = useWindows
                ? false
                : Text(2) switch
                {
                    "0" => false,
                    "1" => true,
                    _ => throw new InputDataException(At(2), $"'{Text(2)}' is not a label", "0 (normal) or 1 (anomalous)"),
                };
            if (rows.Count > 0 && stamp < rows[^1].Stamp)
            {
                outOfOrder++;
            }

            rows.Add(new Row(stamp, value, label, rows.Count));
        }

        if (rows.Count == 0)
        {
            throw new InputDataException(new SourceLocation(source, 2), "no data rows after the header", "one row per point: timestamp,value,label");
        }

        return Prepare(source, rows, outOfOrder, options);
    }

    private static LabeledSeries Prepare(string source, List<Row> rows, int outOfOrder, SeriesReadOptions options)
    {
        // A stable sort (by timestamp, then file order) keeps "first" and "last" meaning file order within a timestamp.
        var sorted = rows.OrderBy(r => r.Stamp).ThenBy(r => r.Order).ToList();
        var stamps = new List<DateTimeOffset>();
        var values = new List<double>();
        var labels = new List<bool>();
        int repeated = 0, merged = 0;
        for (var i = 0; i < sorted.Count;)
        {
            var end = i;
            while (end + 1 < sorted.Count && sorted[end + 1].Stamp == sorted[i].Stamp)
            {
                end++;
            }

            var group = sorted.GetRange(i, end - i + 1);
            if (group.Count > 1)
            {
                repeated++;
                merged += group.Count - 1;
            }

            stamps.Add(sorted[i].Stamp);
            values.Add(Aggregate(group, options.Duplicates));
            labels.Add(group.Any(r => r.Label));
            i = end + 1;
        }

        TimeSpan? spacing = null;
        int gaps = 0, filled = 0, unfilled = 0;
        if (stamps.Count > 1)
        {
            var differences = new double[stamps.Count - 1];
            for (var i = 1; i < stamps.Count; i++)
            {
                differences[i - 1] = (stamps[i] - stamps[i - 1]).TotalSeconds;
            }

            var step = RobustStats.Median(differences);
            spacing = TimeSpan.FromSeconds(step);
            var maxFill = (int)Math.Floor(options.MaxFillShare * stamps.Count);
            var filledStamps = new List<DateTimeOffset>(stamps.Count);
            var filledValues = new List<double>(stamps.Count);
            var filledLabels = new List<bool>(stamps.Count);
            for (var i = 0; i < stamps.Count; i++)
            {
                if (i > 0)
                {
                    var ratio = (stamps[i] - stamps[i - 1]).TotalSeconds / step;
                    if (ratio > 1.5)
                    {
                        gaps++;
                        var missing = (int)Math.Round(ratio) - 1;
                        if (missing <= maxFill)
                        {
                            for (var k = 1; k <= missing; k++)
                            {
                                var f = (double)k / (missing + 1);
                                filledStamps.Add(stamps[i - 1] + TimeSpan.FromSeconds(step * k));
                                filledValues.Add(values[i - 1] + (f * (values[i] - values[i - 1])));
                                filledLabels.Add(labels[i - 1] && labels[i]);
                            }

                            filled += missing;
                        }
                        else
                        {
                            unfilled++;
                        }
                    }
                }

                filledStamps.Add(stamps[i]);
                filledValues.Add(values[i]);
                filledLabels.Add(labels[i]);
            }

            (stamps, values, labels) = (filledStamps, filledValues, filledLabels);
        }

        if (options.Windows is { } windows)
        {
            for (var i = 0; i < stamps.Count; i++)
            {
                var t = stamps[i];
                labels[i] = windows.Any(w => t >= w.Start && t <= w.End);
            }
        }

        var preparation = new SeriesPreparation(rows.Count, repeated, merged, options.Duplicates, outOfOrder, spacing, gaps, filled, unfilled);
        return new LabeledSeries(source, [.. stamps], [.. values], [.. labels], preparation);
    }

    private static double Aggregate(List<Row> group, DuplicateAggregation how) => how switch
    {
        DuplicateAggregation.Sum => group.Sum(r => r.Value),
        DuplicateAggregation.Max => group.Max(r => r.Value),
        DuplicateAggregation.Min => group.Min(r => r.Value),
        DuplicateAggregation.First => group[0].Value,
        DuplicateAggregation.Last => group[^1].Value,
        _ => group.Average(r => r.Value),
    };

    /// <summary>
    /// The seasonal cycle of this series, from the spacing of its points (the candidate cycles) and its values (the
    /// autocorrelation at each candidate): see <see cref="SeasonalityInference"/>.
    /// </summary>
    public Seasonality InferSeasonality(double minAutocorrelation = SeasonalityInference.DefaultMinAutocorrelation) =>
        SeasonalityInference.Infer(Preparation.Spacing, Values.ToArray(), minAutocorrelation);

    private sealed record Row(DateTimeOffset Stamp, double Value, bool Label, int Order);
}
