using System.CommandLine;
using System.Globalization;
using Tem.Audit.Anomaly;
using Tem.Core;

namespace Tem.Cli;

/// <summary>
/// <c>tem eval-anomaly --series FILE.csv [--windows FILE.json] [--duplicates mean|sum|max|min|first|last] [--calibrate K]
/// [--tolerance N] [--direction both|up|down] [--period N] [--set rule.setting=value]...</c>: runs the series
/// detectors at their settings (the audit's defaults unless overridden) over a labelled series and prints precision,
/// recall and F1 per detector, scored by events (see <see cref="EventWindowScoring"/>).
/// <c>tem eval-anomaly --nab FOLDER [--group NAME]...</c> does it for every series of the Numenta Anomaly Benchmark's
/// groups, with a grid of thresholds (see <see cref="NabBenchmark"/>).
/// </summary>
internal static class EvalAnomalyCommand
{
    private static readonly string[] DefaultGroups = ["realAWSCloudwatch", "artificialWithAnomaly"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var series = new Option<string>("--series") { Description = "A labelled series: CSV with timestamp,value,label (label 0 or 1), or timestamp,value with --windows." };
        var windows = new Option<string>("--windows")
        {
            Description = "Labels as windows of time, NAB's layout (labels/combined_windows.json); the entry whose name ends the --series path is used.",
        };
        var nab = new Option<string>("--nab") { Description = "A Numenta Anomaly Benchmark checkout (data/ and labels/combined_windows.json): evaluate every series of --group." };
        var group = new Option<string[]>("--group")
        {
            Description = "With --nab: a folder under data/ (repeatable; default realAWSCloudwatch and artificialWithAnomaly).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var duplicates = new Option<string>("--duplicates")
        {
            Description = "How the values of a repeated timestamp are combined into one point: mean (default, for a gauge), sum (counts, spend), max, min, first, last.",
            DefaultValueFactory = _ => "mean",
        };
        duplicates.AcceptOnlyFromAmong("mean", "sum", "max", "min", "first", "last");
        var calibrate = new Option<double>("--calibrate")
        {
            Description = "A flag must also exceed median + K robust standard deviations of the detector's earlier scores on the series (0: off).",
            DefaultValueFactory = _ => ScoreCalibration.DefaultK,
        };
        var capShare = new Option<double>("--top-share")
        {
            Description = "A flag must also be in this top share of the detector's earlier scores on the series (default 0.02 = 2 %; 0: off).",
            DefaultValueFactory = _ => ScoreCalibration.DefaultShare,
        };
        var tolerance = new Option<int?>("--tolerance")
        {
            Description = "Points before an event's first and after its last point within which a flag still detects it (default 3; 0 with --windows and --nab).",
        };
        var direction = new Option<string>("--direction") { Description = "Which flags count: up (above the expectation), down, or both.", DefaultValueFactory = _ => "both" };
        direction.AcceptOnlyFromAmong("both", "up", "down");
        var period = new Option<int?>("--period")
        {
            Description = "Points per season for the seasonal detectors (default: inferred from the spacing and the data's autocorrelation; 1 for none).",
        };
        var set = new Option<string[]>("--set") { Description = "Override a detector setting as in tem audit, e.g. spend_anomaly.daily_threshold=4 (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("eval-anomaly", "Evaluate the anomaly detectors on a labelled series (or NAB's): precision, recall and F1 per detector, scored by events.")
        {
            series, windows, nab, group, duplicates, calibrate, capShare, tolerance, direction, period, set,
        };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (parse.GetValue(tolerance) < 0 || parse.GetValue(period) is < 1 || parse.GetValue(calibrate) is < 0 or double.NaN
                || parse.GetValue(capShare) is < 0 or >= 1 or double.NaN)
            {
                cli.Problem("tem eval-anomaly: --tolerance and --calibrate must be 0 or more, --top-share from 0 to below 1 and --period 1 or more.");
                return TemApp.UsageError;
            }

            var seriesPath = parse.GetValue(series);
            var nabPath = parse.GetValue(nab);
            if ((seriesPath is null) == (nabPath is null))
            {
                cli.Problem("tem eval-anomaly: give either --series FILE or --nab FOLDER.");
                return TemApp.UsageError;
            }

            AnomalySettings settings;
            try
            {
                settings = AnomalySettings.Resolve(ParseSettings(parse.GetValue(set) ?? []));
            }
            catch (ArgumentException e)
            {
                cli.Problem($"tem eval-anomaly: {e.Message}");
                return TemApp.UsageError;
            }

            var read = new SeriesReadOptions { Duplicates = Enum.Parse<DuplicateAggregation>(parse.GetValue(duplicates)!, ignoreCase: true) };
            var windowsPath = parse.GetValue(windows);
            try
            {
                if (nabPath is not null)
                {
                    var groups = parse.GetValue(group) is { Length: > 0 } g ? g : DefaultGroups;
                    PrintBenchmark(cli, NabBenchmark.Evaluate(nabPath, groups, settings, read), groups);
                    return TemApp.Ok;
                }

                if (windowsPath is not null)
                {
                    read = read with { Windows = NabBenchmark.WindowsFor(NabBenchmark.ReadWindows(windowsPath), seriesPath!, windowsPath) };
                }

                var data = LabeledSeries.Read(seriesPath!, read);
                var seasonality = data.InferSeasonality();
                var given = parse.GetValue(period);
                var seasonPoints = given ?? seasonality.Period;
                var periodText = given is { } p ? string.Create(CultureInfo.InvariantCulture, $"period {p} (given)") : seasonality.Describe();
                var detectors = SeriesEvaluation.Detectors(settings, seasonPoints, data.Values.Count, parse.GetValue(calibrate), parse.GetValue(capShare));
                var tol = parse.GetValue(tolerance) ?? (windowsPath is null ? 3 : 0);
                Print(cli, data, detectors, tol, WireDirection(parse.GetValue(direction)!), seasonPoints, periodText, given is null, parse.GetValue(calibrate), parse.GetValue(capShare));
                return TemApp.Ok;
            }
            catch (InputDataException e)
            {
                cli.Problem($"tem eval-anomaly: {e.Message}");
                return TemApp.Failure;
            }
            catch (IOException e)
            {
                cli.Problem($"tem eval-anomaly: {e.Message}");
                return TemApp.Failure;
            }
            catch (UnauthorizedAccessException e)
            {
                cli.Problem($"tem eval-anomaly: {e.Message}");
                return TemApp.Failure;
            }
        });
        return command;
    }

    private static void Print(CliOutput cli, LabeledSeries data, IReadOnlyList<ISeriesDetector> detectors, int tolerance, AnomalyDirection direction, int period,
        string periodText, bool inferred, double calibration, double share)
    {
        var values = data.Values.ToArray();
        var labels = data.Labels.ToArray();
        var results = EventWindowScoring.EvaluateWithUnion(detectors, values, labels, tolerance, direction);
        var first = results[0];
        var preparation = data.Preparation.Describe();
        cli.Result(string.Create(CultureInfo.InvariantCulture,
            $"{data.Source}: {values.Length} points, {first.Events} labeled events ({labels.Count(l => l)} anomalous points); {periodText}, tolerance {tolerance} points, direction {direction.ToString().ToLowerInvariant()}"));
        if (preparation.Length > 0)
        {
            cli.Result($"read: {preparation}");
        }

        var caps = new List<string>();
        if (calibration > 0)
        {
            caps.Add(string.Create(CultureInfo.InvariantCulture, $"exceed median + {calibration:0.##} robust standard deviations of the detector's earlier scores"));
        }

        if (share > 0)
        {
            caps.Add(string.Create(CultureInfo.InvariantCulture, $"be in their top {share * 100:0.##} %"));
        }

        cli.Result(caps.Count > 0 ? $"thresholds: the detectors' own, and a flag must {string.Join(" and ", caps)}" : "thresholds: the detectors' own (no calibration)");
        cli.Result("detector              scored  flagged  alarms  true  false  found/events  precision  recall     F1");
        foreach (var r in results)
        {
            cli.Result(string.Create(CultureInfo.InvariantCulture,
                $"{r.Detector,-20} {r.Scored,8} {r.FlaggedPoints,8} {r.Alarms,7} {r.TrueAlarms,5} {r.FalseAlarms,6} {r.Detected,7}/{r.Events,-6} {Ratio(r.Precision),9} {Ratio(r.Recall),7} {r.F1,6:0.000}"));
        }

        cli.Line("Scoring: an event is a run of points labeled 1; a flag within the tolerance of it detects it; an alarm (a run of flagged points) touching no event is false.");
        cli.Summary(new
        {
            Series = data.Source,
            Points = values.Length,
            first.Events,
            AnomalousPoints = labels.Count(l => l),
            Period = period,
            PeriodInferred = inferred,
            PeriodReason = periodText,
            Read = new
            {
                data.Preparation.Rows,
                data.Preparation.RepeatedTimestamps,
                data.Preparation.MergedRows,
                Aggregation = data.Preparation.Aggregation.ToString().ToLowerInvariant(),
                data.Preparation.OutOfOrderRows,
                data.Preparation.Gaps,
                data.Preparation.FilledPoints,
                data.Preparation.UnfilledGaps,
            },
            Calibration = calibration,
            TopShare = share,
            Tolerance = tolerance,
            Direction = direction.ToString().ToLowerInvariant(),
            Detectors = results.Select(Json),
        });
    }

    private static void PrintBenchmark(CliOutput cli, IReadOnlyList<BenchmarkSeriesResult> results, string[] groups)
    {
        if (results.Count == 0)
        {
            cli.Result($"no labelled series under data/{string.Join(", data/", groups)}");
            return;
        }

        cli.Result(string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} series of {string.Join(", ", groups)}; windows are the events (tolerance 0), direction both; defaults: seasonal_baseline 5, spectral_residual 3, level_shift 4, calibration k {ScoreCalibration.DefaultK:0} and top {ScoreCalibration.DefaultShare * 100:0} %; series without a window are listed but left out of the means"));
        cli.Result("series                                                   points  period  cycle   acf    seasonal P/R/F1      spectral P/R/F1      shift P/R/F1         union F1  best (tuned per series): detector threshold k share  P/R/F1");
        foreach (var r in results)
        {
            var acf = r.Seasonality.Candidates.FirstOrDefault(c => c.Period == r.Seasonality.Period)?.Autocorrelation
                      ?? r.Seasonality.Candidates.Where(c => !double.IsNaN(c.Autocorrelation)).Select(c => c.Autocorrelation).DefaultIfEmpty(double.NaN).Max();
            cli.Result(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-56} {r.Points,6} {r.Seasonality.Period,7}  {r.Seasonality.Cycle ?? "none",-6} {Ratio(acf),5}  {Prf(r.AtDefaults[0])}  {Prf(r.AtDefaults[1])}  {Prf(r.AtDefaults[2])}  {r.AtDefaults[3].F1,8:0.000}  {r.Best.Setting,-36} {Prf(r.Best.Result)}"));
            var preparation = r.Preparation.Describe();
            if (preparation.Length > 0)
            {
                cli.Line($"  {r.Name}: {preparation}");
            }
        }

        var all = results;
        results = [.. results.Where(r => r.AtDefaults[0].Events > 0)];
        if (results.Count == 0)
        {
            cli.Result("no series has a labelled window: nothing to average");
            return;
        }

        var names = results[0].AtDefaults.Select(d => d.Detector).ToList();
 cli.Result(string.Create(CultureInfo.InvariantCulture,
            $"means over the {results.Count} series with windows; F1 at the defaults: {string.Join(", ", names.Select((name, i) => $"{name} {results.Average(r => r.AtDefaults[i].F1):0.000}"))}"));
        var meanBest = results.Average(r => r.Best.Result.F1);
        cli.Result(string.Create(CultureInfo.InvariantCulture, $"mean best F1 (detector, threshold, k and share chosen per series, on the labels: an upper bound): {meanBest:0.000}"));
        var settingsCount = results[0].Grid.Count;
        var fixedBest = Enumerable.Range(0, settingsCount)
            .Select(i => (Setting: results[0].Grid[i].Setting, F1: results.Average(r => r.Grid[i].Result.F1)))
            .MaxBy(s => s.F1);
        cli.Result(string.Create(CultureInfo.InvariantCulture,
            $"best single setting for every series (chosen on these series): {fixedBest.Setting}, mean F1 {fixedBest.F1:0.000}"));
        cli.Summary(new
        {
            Series = all.Select(r => new
            {
                r.Name,
                r.Points,
                r.Seasonality.Period,
                r.Seasonality.Cycle,
                PeriodReason = r.Seasonality.Describe(),
                Read = r.Preparation.Describe(),
                Defaults = r.AtDefaults.Select(Json),
                Best = new { r.Best.Detector, r.Best.Threshold, r.Best.K, r.Best.Share, Result = Json(r.Best.Result) },
            }),
            MeanF1AtDefaults = names.Select((name, i) => new { Detector = name, F1 = results.Average(r => r.AtDefaults[i].F1) }),
            MeanBestF1PerSeries = meanBest,
            BestSingleSetting = new { fixedBest.Setting, MeanF1 = fixedBest.F1 },
        });
    }

    private static object Json(EventWindowResult r) => new
    {
        r.Detector,
        r.Scored,
        Flagged = r.FlaggedPoints,
        r.Alarms,
        r.TrueAlarms,
        r.FalseAlarms,
        r.Detected,
        r.Events,
        Precision = Finite(r.Precision),
        Recall = Finite(r.Recall),
        F1 = Finite(r.F1),
    };

    private static string Prf(EventWindowResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{Ratio(r.Precision),5}/{Ratio(r.Recall),5}/{r.F1,5:0.000}");

    // JSON has no NaN: a ratio with nothing to divide by is null there and '-' in the table.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Ratio(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static AnomalyDirection WireDirection(string text) => text switch
    {
        "up" => AnomalyDirection.Up,
        "down" => AnomalyDirection.Down,
        _ => AnomalyDirection.Both,
    };

    private static Dictionary<string, string> ParseSettings(string[] values)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"--set '{v}' is not rule.setting=number.");
            }

            settings[v[..eq].Trim()] = v[(eq + 1)..].Trim();
        }

        return settings;
    }
}
