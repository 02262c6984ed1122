using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Tem.Audit.Anomaly;

namespace Tem.Benchmarks;

/// <summary>
/// Anomaly issue: the series detectors in points/s (goal at least 100 000 points/s on a 2-core machine; ML.NET's IidSpike
/// runs about 93 000 points/s on a server CPU). One operation scores <see cref="Points"/> points held as 2 000 daily series
/// of 500 days each (a service's year and a half), the way the audit calls the detectors: one call per series. The series
/// are seeded: weekdays about 40, weekends about 6, ±15 % noise, a spike every 61 days and a 30 % increase halfway.
/// Each detector runs at the audit's default settings.
/// </summary>
[Config(typeof(AnomalyThroughputConfig))]
public class AnomalySeriesBenchmarks
{
    public const int SeriesLength = 500;

    private double[][] _series = [];
    private PointScore[] _scores = [];

    /// <summary>Points per operation.</summary>
    [Params(1_000_000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        var rng = new Random(20_261_122);
        _series = new double[Points / SeriesLength][];
        for (var s = 0; s < _series.Length; s++)
        {
            var values = new double[SeriesLength];
            for (var i = 0; i < SeriesLength; i++)
            {
                var level = (i % 7 >= 5 ? 6.0 : 40.0) * (i >= SeriesLength / 2 ? 1.3 : 1.0);
                values[i] = level * (0.85 + (0.3 * rng.NextDouble())) * (i % 61 == 60 ? 4 : 1);
            }

            _series[s] = values;
        }

        _scores = new PointScore[SeriesLength];
    }

    [Benchmark]
    public int SeasonalBaseline() => Run(new SeasonalBaselineDetector());

    [Benchmark]
    public int SpectralResidual() => Run(new SpectralResidualDetector());

    [Benchmark]
    public int LevelShift() => Run(new LevelShiftDetector());

    /// <summary>The three daily detectors one after the other, as the audit runs them on a service's daily spend.</summary>
    [Benchmark]
    public int AllThreeDaily() => Run(new SeasonalBaselineDetector()) + Run(new SpectralResidualDetector()) + Run(new LevelShiftDetector());

    private int Run(ISeriesDetector detector)
    {
        var flagged = 0;
        foreach (var series in _series)
        {
            detector.Detect(series, _scores);
            foreach (var s in _scores)
            {
                flagged += s.IsAnomaly ? 1 : 0;
            }
        }

        return flagged;
    }
}

/// <summary>
/// Anomaly issue: the isolation forest over per-call features in records/s. <see cref="Records"/> calls of 7 features
/// shaped like the audit's (price class, local hour, weekday, log duration, log cost, calls within 30 minutes, new
/// destination), about 0.1 % of them a night-time premium burst. <c>Score</c> computes every call's full score with a
/// forest grown once in setup (100 trees of 256, seed 42) on one thread; <c>ScoreAgainstThreshold</c> only decides
/// whether each call reaches the audit's threshold (0.70), stopping a call's walk once it cannot; <c>FitAndScoreParallel</c>
/// is what the audit does: grow the forest, then decide every call on all cores.
/// </summary>
[Config(typeof(AnomalyThroughputConfig))]
public class AnomalyForestBenchmarks
{
    private const int Features = 7;

    private double[] _rows = [];
    private IsolationForest _forest = null!;

    /// <summary>Calls per operation.</summary>
    [Params(1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        var rng = new Random(7);
        _rows = new double[Records * Features];
        for (var i = 0; i < Records; i++)
        {
            var fraud = i % 1000 == 999;
            var row = _rows.AsSpan(i * Features, Features);
            row[0] = fraud ? 1.0 : rng.Next(12) / 11.0;
            row[1] = fraud ? 1 + rng.NextDouble() : 8 + (10 * rng.NextDouble());
            row[2] = fraud ? 5 : rng.Next(7);
            row[3] = Math.Log(1 + (fraud ? 600 + rng.Next(1800) : rng.Next(900)));
            row[4] = Math.Log(1 + (fraud ? 40 + (40 * rng.NextDouble()) : rng.NextDouble()));
            row[5] = fraud ? 30 + rng.Next(10) : 1 + rng.Next(3);
            row[6] = fraud || rng.NextDouble() < 0.01 ? 1 : 0;
        }

        _forest = IsolationForest.Fit(_rows, Features);
    }

    [Benchmark]
    public double Score()
    {
        var total = 0.0;
        for (var i = 0; i < Records; i++)
        {
            total += _forest.Score(_rows.AsSpan(i * Features, Features));
        }

        return total;
    }

    [Benchmark]
    public int ScoreAgainstThreshold()
    {
        var outliers = 0;
        for (var i = 0; i < Records; i++)
        {
            outliers += _forest.TryScoreAtLeast(_rows.AsSpan(i * Features, Features), 0.70, out _) ? 1 : 0;
        }

        return outliers;
    }

    [Benchmark]
    public double FitAndScoreParallel()
    {
        var forest = IsolationForest.Fit(_rows, Features);
        var scores = new double[Records];
        Parallel.For(0, (Records + 4095) / 4096, chunk =>
        {
            var end = Math.Min(Records, (chunk + 1) * 4096);
            for (var i = chunk * 4096; i < end; i++)
            {
                scores[i] = forest.TryScoreAtLeast(_rows.AsSpan(i * Features, Features), 0.70, out var score) ? score : 0;
            }
        });

        return scores.Sum();
    }
}

/// <summary>Adds the points/s and records/s columns (and the goal) to the anomaly benchmarks.</summary>
public sealed class AnomalyThroughputConfig : ManualConfig
{
    public AnomalyThroughputConfig() =>
        AddColumn(new AnomalyThroughputColumn("Points", "points/s", 100_000), new AnomalyThroughputColumn("Records", "records/s", 0));
}

/// <summary>
/// Items per second from the mean time of one operation and the item count of the [Params] property
/// <paramref name="parameter"/>; "-" for benchmarks without that parameter. With a goal, also says whether the mean met it.
/// </summary>
public sealed class AnomalyThroughputColumn(string parameter, string name, double goal) : IColumn
{
    public string Id => "Tem.Anomaly." + parameter;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => goal > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{parameter} per second (M = 10^6) and whether it meets the goal of {goal / 1e3:0} k/s")
        : $"{parameter} per second (M = 10^6)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var count = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == parameter)?.Value;
        if (count is null)
        {
            return "-";
        }

        if (mean is not > 0)
        {
            return "NA";
        }

        var perSecond = Convert.ToDouble(count, CultureInfo.InvariantCulture) / (mean.Value / 1e9);
        var text = (perSecond / 1e6).ToString("N2", CultureInfo.InvariantCulture) + " M";
        return goal > 0 ? text + (perSecond >= goal ? " (goal met)" : " (goal MISSED)") : text;
    }

    public override string ToString() => ColumnName;
}
