using System.Globalization;
using System.Text;
using Tem.Core;
using CsvHelper;

namespace Tem.Audit.Anomaly;

/// <summary>
/// A labeled series for evaluating detectors: a CSV with a header naming <c>timestamp</c>, <c>value</c> and
/// <c>label</c> (any order, case-insensitive, other columns ignored), one row per point, timestamps strictly increasing.
/// Timestamps are <c>YYYY-MM-DD</c> or ISO 8601 date-times (<c>2026-07-11T01:00:00Z</c>, with or without an offset);
/// values are numbers with <c>.</c> as the decimal point; labels are <c>0</c> (normal) or <c>1</c> (anomalous).
/// The detectors work on positions, so points should be equally spaced (a missing day is a gap they do not see).
/// </summary>
public sealed class LabeledSeries
{
    private static readonly string[] Columns = ["timestamp", "value", "label"];

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd",
    ];

    private LabeledSeries(string source, DateTimeOffset[] timestamps, double[] values, bool[] labels)
    {
        Source = source;
        Timestamps = timestamps;
        Values = values;
        Labels = labels;
    }

    /// <summary>Where the series came from (the file as the user named it).</summary>
    public string Source { get; }

    /// <summary>The points' timestamps (a date-time without offset is read as UTC).</summary>
    public IReadOnlyList<DateTimeOffset> Timestamps { get; }

    /// <summary>The values.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>The labels: true for anomalous points.</summary>
    public IReadOnlyList<bool> Labels { get; }

    /// <summary>Reads a labeled series file.</summary>
    /// <exception cref="InputDataException">A row or the header is bad: the message names file, line and column.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static LabeledSeries Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.OpenRead(path), path);
    }

    /// <summary>Reads a labeled series from a stream (which is disposed); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InputDataException">A row or the header is bad.</exception>
    public static LabeledSeries Parse(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
        };
        using var csv = CsvReader.Create(stream, options, false);
        try
        {
            return Parse(csv, source);
        }
        catch (CsvFormatException e)
        {
            var column = e.FieldIndex is int field and >= 0 ? field + 1 : 0;
            throw new InputDataException(new SourceLocation(source, Math.Max(0L, (long)e.LineNumber), column),
                "the row is not well-formed CSV (a quoted field is not closed, or text follows a closing quote)", "an RFC 4180 CSV row in UTF-8");
        }
    }

    private static LabeledSeries Parse(CsvReader csv, string source)
    {
        if (!csv.Read())
        {
            throw new InputDataException(new SourceLocation(source, 1), "the file is empty", "a header timestamp,value,label");
        }

        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i).Trim()).ToList();
        var ordinals = new int[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            ordinals[c] = header.FindIndex(h => h.Equals(Columns[c], StringComparison.OrdinalIgnoreCase));
            if (ordinals[c] < 0)
            {
                throw new InputDataException(new SourceLocation(source, csv.LineNumber), $"the header has no '{Columns[c]}' column ({string.Join(',', header)})",
                    "a header naming timestamp, value and label", "write the header line timestamp,value,label");
            }
        }

        var timestamps = new List<DateTimeOffset>();
        var values = new List<double>();
        var labels = new List<bool>();
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
            if (timestamps.Count > 0 && stamp <= timestamps[^1])
            {
                throw new InputDataException(At(0), $"'{Text(0)}' is not after the previous row's timestamp",
                    "timestamps in strictly increasing order", "sort the file by timestamp and remove duplicated points");
            }

            if (!double.TryParse(Text(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new InputDataException(At(1), $"'{Text(1)}' is not a number", "a finite number with '.' as the decimal point, e.g. 12.5",
                    Text(1).Contains(',', StringComparison.Ordinal) ? "',' is not a decimal point here" : null);
            }

            var label = Text(2) switch
            {
                "0" => false,
                "1" => true,
                _ => throw new InputDataException(At(2), $"'{Text(2)}' is not a label", "0 (normal) or 1 (anomalous)"),
            };
            timestamps.Add(stamp);
            values.Add(value);
            labels.Add(label);
        }

        if (values.Count == 0)
        {
            throw new InputDataException(new SourceLocation(source, 2), "no data rows after the header", "one row per point: timestamp,value,label");
        }

        return new LabeledSeries(source, [.. timestamps], [.. values], [.. labels]);
    }

    /// <summary>
    /// The seasonal period implied by the spacing of the points (median gap): 7 for days (a weekly pattern), 24 for
    /// hours (a daily pattern), 12 for months; 1 (no seasonality) otherwise or with fewer than 2 points.
    /// </summary>
    public int InferPeriod()
    {
        if (Timestamps.Count < 2)
        {
            return 1;
        }

        var gaps = new double[Timestamps.Count - 1];
        for (var i = 1; i < Timestamps.Count; i++)
        {
            gaps[i - 1] = (Timestamps[i] - Timestamps[i - 1]).TotalHours;
        }

        var hours = RobustStats.Median(gaps);
        return hours switch
        {
            >= 0.99 and <= 1.01 => 24,
            >= 23 and <= 25 => 7,
            >= 27 * 24 and <= 32 * 24 => 12,
            _ => 1,
        };
    }

    private static DateTimeOffset? ParseTimestamp(string text) =>
        DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp) ? stamp : null;
}
