using System.CommandLine;
using System.Globalization;
using Tem.Audit.Anomaly;
using Tem.Core;

namespace Tem.Cli;

/// <summary>
/// <c>tem eval-anomaly --series FILE.csv [--tolerance N] [--direction both|up|down] [--period N] [--set rule.setting=value]...</c>:
/// runs the series detectors at their settings (the audit's defaults unless overridden) over a labeled series and
/// prints precision, recall and F1 per detector, scored by events (see <see cref="EventWindowScoring"/>).
/// </summary>
internal static class EvalAnomalyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var series = new Option<string>("--series") { Description = "A labeled series: CSV with timestamp,value,label (label 0 or 1).", Required = true };
        var tolerance = new Option<int>("--tolerance")
        {
            Description = "Points before an event's first and after its last point within which a flag still detects it.",
            DefaultValueFactory = _ => 3,
        };
        var direction = new Option<string>("--direction") { Description = "Which flags count: up (above the expectation), down, or both.", DefaultValueFactory = _ => "both" };
        direction.AcceptOnlyFromAmong("both", "up", "down");
        var period = new Option<int?>("--period") { Description = "Points per season for the seasonal baseline (default: 7 for days, 24 for hours, 12 for months, else 1)." };
        var set = new Option<string[]>("--set") { Description = "Override a detector setting as in tem audit, e.g. spend_anomaly.daily_threshold=4 (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("eval-anomaly", "Evaluate the anomaly detectors on a labeled series: precision, recall and F1 per detector, scored by events.")
        {
            series, tolerance, direction, period, set,
        };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (parse.GetValue(tolerance) < 0 || parse.GetValue(period) is < 1)
            {
                cli.Problem("tem eval-anomaly: --tolerance must be 0 or more and --period 1 or more.");
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

            LabeledSeries data;
            try
            {
                data = LabeledSeries.Read(parse.GetValue(series)!);
            }
            catch (InputDataException e)
            {
                cli.Problem($"tem eval-anomaly: {e.Message}");
                return TemApp.Failure;
            }
            catch (IOException e)
            {
                cli.Problem($"tem eval-anomaly: {parse.GetValue(series)}: {e.Message}");
                return TemApp.Failure;
            }

            var inferred = data.InferPeriod();
            var seasonPoints = parse.GetValue(period) ?? inferred;
            var side = WireDirection(parse.GetValue(direction)!);
            var detectors = new ISeriesDetector[]
            {
                new SeasonalBaselineDetector(settings.Daily with { Period = seasonPoints }),
                new SpectralResidualDetector(settings.SpectralResidual),
                new LevelShiftDetector(settings.DailyShift with { Period = seasonPoints, Window = seasonPoints * (int)Math.Ceiling((double)settings.DailyShift.Window / seasonPoints) }),
            };
            Print(cli, data, detectors, parse.GetValue(tolerance), side, seasonPoints, parse.GetValue(period) is null);
            return TemApp.Ok;
        });
        return command;
    }

    private static void Print(CliOutput cli, LabeledSeries data, ISeriesDetector[] detectors, int tolerance, AnomalyDirection direction, int period, bool inferred)
    {
        var values = data.Values.ToArray();
        var labels = data.Labels.ToArray();
        var union = new bool[values.Length];
        var unionScored = new bool[values.Length];
        var results = new List<EventWindowResult>();
        foreach (var detector in detectors)
        {
            var scores = new PointScore[values.Length];
            detector.Detect(values, scores);
            var flags = new bool[values.Length];
            var scored = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                flags[i] = scores[i].IsAnomalyTowards(direction);
                union[i] |= flags[i];
                unionScored[i] |= scores[i].Verdict != PointVerdict.NotScored;
                scored += scores[i].Verdict == PointVerdict.NotScored ? 0 : 1;
            }

            results.Add(EventWindowScoring.Score(detector.Name, labels, flags, tolerance, scored));
        }

        results.Add(EventWindowScoring.Score("any (union)", labels, union, tolerance, unionScored.Count(s => s)));
        var first = results[0];
        cli.Result(string.Create(CultureInfo.InvariantCulture,
            $"{data.Source}: {values.Length} points, {first.Events} labeled events ({labels.Count(l => l)} anomalous points); period {period}{(inferred ? " (from the spacing)" : string.Empty)}, tolerance {tolerance} points, direction {direction.ToString().ToLowerInvariant()}"));
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
            Tolerance = tolerance,
            Direction = direction.ToString().ToLowerInvariant(),
            Detectors = results.Select(r => new
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
            }),
        });
    }

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
