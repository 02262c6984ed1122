using System.Globalization;
using System.Text.Json;
using Tem.Core;

namespace Tem.Audit.Anomaly;

/// <summary>The series detectors as <c>tem eval-anomaly</c> runs them on a labelled series of any spacing.</summary>
public static class SeriesEvaluation
{
    /// <summary>
    /// The three detectors at <paramref name="settings"/> for a series of <paramref name="points"/> points with
    /// <paramref name="period"/> points per season: the seasonal baseline over that period (the history it needs capped
    /// at half the series, so a two-week series with a weekly cycle is still judged in its second week), the spectral
    /// residual (no period), and the level shift over a whole number of seasons (over 7 points without a season when
    /// three such windows do not fit in the series). With <paramref name="calibrationK"/> or <paramref name="calibrationShare"/> &gt; 0 each is wrapped in
    /// <see cref="CalibratedDetector"/>.
    /// </summary>
    public static IReadOnlyList<ISeriesDetector> Detectors(AnomalySettings settings, int period, int points, double calibrationK, double calibrationShare)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        var minCycles = Math.Clamp(points / (2 * period), 1, settings.Daily.MinCycles);
        var seasonal = settings.Daily with { Period = period, MinCycles = minCycles, Cycles = Math.Max(minCycles, settings.Daily.Cycles) };
        var window = period * (int)Math.Ceiling((double)settings.DailyShift.Window / period);
        var shift = 3 * window <= points
            ? settings.DailyShift with { Period = period, Window = window }
            : settings.DailyShift with { Period = 1 };
        ISeriesDetector[] detectors =
        [
            new SeasonalBaselineDetector(seasonal),
            new SpectralResidualDetector(settings.SpectralResidual),
            new LevelShiftDetector(shift),
        ];
        return calibrationK > 0 || calibrationShare > 0 ? [.. detectors.Select(d => new CalibratedDetector(d, calibrationK, calibrationShare))] : detectors;
    }
}

/// <summary>One series of a benchmark run: what was read, the period found, and the detectors' results.</summary>
/// <param name="Name">group/file.csv as the labels name it.</param>
/// <param name="Points">Points after preparation.</param>
/// <param name="Preparation">What reading did to the rows.</param>
/// <param name="Seasonality">The period found.</param>
/// <param name="AtDefaults">Each detector (and their union) at the default thresholds with the default calibration.</param>
/// <param name="Best">The best F1 on this series over every detector and grid setting (tuned per series).</param>
/// <param name="Grid">Every (detector, threshold, k) result on this series.</param>
public sealed record BenchmarkSeriesResult(
    string Name, int Points, SeriesPreparation Preparation, Seasonality Seasonality, IReadOnlyList<EventWindowResult> AtDefaults,
    GridResult Best, IReadOnlyList<GridResult> Grid);

/// <summary>A detector at one threshold and one calibration k on one series.</summary>
/// <param name="Detector">Detector name.</param>
/// <param name="Threshold">The detector's own threshold.</param>
/// <param name="K">The calibration k (0: none).</param>
/// <param name="Share">The calibration share (0: none).</param>
/// <param name="Result">Its event-window score.</param>
public sealed record GridResult(string Detector, double Threshold, double K, double Share, EventWindowResult Result)
{
    /// <summary>"spectral_residual 3 k5 top1%" for a person ("-" for a part switched off).</summary>
    public string Setting => string.Create(CultureInfo.InvariantCulture,
        $"{Detector} {Threshold:0.##} {(K > 0 ? $"k{K:0.##}" : "k-")} {(Share > 0 ? $"top{Share * 100:0.#}%" : "top-")}");
}

/// <summary>
/// Evaluates the series detectors on the Numenta Anomaly Benchmark's layout (<c>data/GROUP/*.csv</c> with
/// <c>timestamp,value</c>, labels as windows of time in <c>labels/combined_windows.json</c>, keyed
/// <c>GROUP/file.csv</c>). Scoring is <see cref="EventWindowScoring"/> with tolerance 0, the windows being the events:
/// a window with at least one flag inside is one true positive however many flags it holds, a run of flags outside
/// every window is one false positive (NAB's own scorer counts each flag and weighs them by position; this is the
/// plain precision/recall/F1 reading of its windows). NAB's probationary period (the first 15 % of a file) is not
/// exempted: the detectors do not judge points without history anyway.
/// </summary>
public static class NabBenchmark
{
    /// <summary>The seasonal baseline's thresholds tried (robust z).</summary>
    public static IReadOnlyList<double> SeasonalThresholds { get; } = [3, 4, 5, 7, 10, 15];

    /// <summary>The spectral residual's thresholds tried (saliency ratio).</summary>
    public static IReadOnlyList<double> SpectralThresholds { get; } = [2, 3, 5, 8, 12];

    /// <summary>The level shift's thresholds tried (standard errors).</summary>
    public static IReadOnlyList<double> ShiftThresholds { get; } = [3, 4, 6, 8, 12];

    /// <summary>Calibration k tried (0: none).</summary>
    public static IReadOnlyList<double> CalibrationKs { get; } = [0, 3, 5, 8, 12];

    /// <summary>Calibration shares tried (0: none).</summary>
    public static IReadOnlyList<double> CalibrationShares { get; } = [0, 0.005, 0.01, 0.02, 0.05];

    /// <summary>Reads NAB's windows file: for each <c>group/file.csv</c>, its windows.</summary>
    /// <exception cref="InputDataException">The file is not NAB's windows JSON.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<LabelWindow>> ReadWindows(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return ParseWindows(stream, path);
    }

    /// <summary>
    /// The windows of one series from NAB's windows file: NAB names a series group/file.csv, so the entry whose name ends
    /// <paramref name="seriesPath"/> (with / or \ as the separator), else the one with its file name.
    /// </summary>
    /// <exception cref="InputDataException">No entry, or more than one, matches.</exception>
    public static IReadOnlyList<LabelWindow> WindowsFor(IReadOnlyDictionary<string, IReadOnlyList<LabelWindow>> all, string seriesPath, string windowsPath)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(seriesPath);
        var normalised = seriesPath.Replace('\\', '/');
        var matches = all.Where(e => normalised.EndsWith("/" + e.Key, StringComparison.Ordinal) || normalised == e.Key
                                     || Path.GetFileName(e.Key) == Path.GetFileName(normalised)).ToList();
        var exact = matches.Where(e => normalised.EndsWith("/" + e.Key, StringComparison.Ordinal) || normalised == e.Key).ToList();
        var chosen = exact.Count == 1 ? exact : matches;
        return chosen.Count == 1
            ? chosen[0].Value
            : throw new InputDataException(new SourceLocation(windowsPath),
                chosen.Count == 0 ? $"no entry for {Path.GetFileName(seriesPath)}" : $"{chosen.Count} entries match {Path.GetFileName(seriesPath)}",
                "one entry named group/file.csv ending the --series path");
    }

    /// <summary>Parses NAB's windows JSON (an object of file name to a list of [start, end] timestamp pairs).</summary>
    /// <exception cref="InputDataException">It is not.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<LabelWindow>> ParseWindows(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var expected = "an object of \"group/file.csv\": [[\"start\", \"end\"], ...] as NAB's labels/combined_windows.json";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InputDataException(new SourceLocation(source, (e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), "not JSON", expected);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputDataException(new SourceLocation(source, 1), "the document is not an object", expected);
            }

            var windows = new Dictionary<string, IReadOnlyList<LabelWindow>>(StringComparer.Ordinal);
            foreach (var file in document.RootElement.EnumerateObject())
            {
                var list = new List<LabelWindow>();
                if (file.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new InputDataException(new SourceLocation(source, 0, 0, file.Name), "the entry is not a list of windows", expected);
                }

                foreach (var pair in file.Value.EnumerateArray())
                {
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                        || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String
                        || LabeledSeries.ParseTimestamp(pair[0].GetString()!) is not { } start
                        || LabeledSeries.ParseTimestamp(pair[1].GetString()!) is not { } end)
                    {
                        throw new InputDataException(new SourceLocation(source, 0, 0, file.Name), $"'{pair.GetRawText()}' is not a window", "[\"2014-04-10 07:15:00.000000\", \"2014-04-11 16:45:00.000000\"]");
                    }

                    list.Add(new LabelWindow(start, end));
                }

                windows[file.Name] = list;
            }

            return windows;
        }
    }

    /// <summary>
    /// Runs every series of <paramref name="groups"/> under <paramref name="root"/> (a NAB checkout, or any folder with
    /// <c>data/</c> and <c>labels/combined_windows.json</c>); files without an entry in the labels are skipped.
    /// </summary>
    /// <exception cref="InputDataException">A file or the labels are bad.</exception>
    /// <exception cref="DirectoryNotFoundException">A group's folder is missing.</exception>
    public static IReadOnlyList<BenchmarkSeriesResult> Evaluate(string root, IEnumerable<string> groups, AnomalySettings settings, SeriesReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(settings);
        var windows = ReadWindows(Path.Combine(root, "labels", "combined_windows.json"));
        var results = new List<BenchmarkSeriesResult>();
        foreach (var group in groups)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, "data", group), "*.csv").Order(StringComparer.Ordinal))
            {
                var key = group + "/" + Path.GetFileName(file);
                if (!windows.TryGetValue(key, out var list))
                {
                    continue;
                }

                var series = LabeledSeries.Read(file, (options ?? new SeriesReadOptions()) with { Windows = list });
                results.Add(EvaluateSeries(key, series, settings));
            }
        }

        return results;
    }

    /// <summary>One series: the defaults, and every grid setting (each detector is run once; thresholds and k only filter its flags).</summary>
    public static BenchmarkSeriesResult EvaluateSeries(string name, LabeledSeries series, AnomalySettings settings)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(settings);
        var values = series.Values.ToArray();
        var labels = series.Labels.ToArray();
        var seasonality = series.InferSeasonality();
        var n = values.Length;

        var atDefaults = EventWindowScoring.EvaluateWithUnion(
            SeriesEvaluation.Detectors(settings, seasonality.Period, n, ScoreCalibration.DefaultK, ScoreCalibration.DefaultShare), values, labels, 0, AnomalyDirection.Both);

        // Each detector once at its lowest threshold: a flag at a higher threshold is a flag at the lowest whose |score|
        // exceeds it (the level shift's one-point-per-shift rule only compares candidates by |score|, so it holds there too).
        var low = settings with
        {
            Daily = settings.Daily with { Threshold = SeasonalThresholds.Min() },
            SpectralResidual = settings.SpectralResidual with { Threshold = SpectralThresholds.Min() },
            DailyShift = settings.DailyShift with { Threshold = ShiftThresholds.Min() },
        };
        var grid = new List<GridResult>();
        var thresholds = new[] { SeasonalThresholds, SpectralThresholds, ShiftThresholds };
        var detectors = SeriesEvaluation.Detectors(low, seasonality.Period, n, 0, 0);
        for (var d = 0; d < detectors.Count; d++)
        {
            var scores = new PointScore[n];
            detectors[d].Detect(values, scores);
            var scored = scores.Count(s => s.Verdict != PointVerdict.NotScored);
            var history = ScoreCalibration.PastDistribution(scores, [.. CalibrationShares.Where(s => s > 0)]);
            foreach (var threshold in thresholds[d])
            {
                foreach (var k in CalibrationKs)
                {
                    foreach (var share in CalibrationShares)
                    {
                        var flags = new bool[n];
                        for (var i = 0; i < n; i++)
                        {
                            flags[i] = scores[i].IsAnomaly && Math.Abs(scores[i].Score) > threshold && history.Passes(i, scores[i].Score, k, share);
                        }

                        grid.Add(new GridResult(detectors[d].Name, threshold, k, share, EventWindowScoring.Score(detectors[d].Name, labels, flags, 0, scored)));
                    }
                }
            }
        }

        var best = grid.MaxBy(g => g.Result.F1)!;
        return new BenchmarkSeriesResult(name, n, series.Preparation, seasonality, atDefaults, best, grid);
    }
}
