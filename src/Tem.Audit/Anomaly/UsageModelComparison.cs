using DuckDB.NET.Data;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Audit.Anomaly;

/// <summary>How one per-call model did against labelled calls: counts and precision, recall, F1 at its threshold.</summary>
/// <param name="Model">The model and its settings, one line.</param>
/// <param name="Calls">Calls scored.</param>
/// <param name="Labelled">Calls labelled anomalous (the planted fraud).</param>
/// <param name="Flagged">Calls at or above the threshold.</param>
/// <param name="TruePositives">Flagged calls that are labelled.</param>
/// <param name="TopRecall">Labelled calls among the <see cref="Labelled"/> highest-scored calls, over <see cref="Labelled"/> (threshold-free).</param>
public sealed record CallModelScore(string Model, long Calls, long Labelled, long Flagged, long TruePositives, double TopRecall)
{
    /// <summary>True positives over flagged; NaN when nothing was flagged.</summary>
    public double Precision => Flagged == 0 ? double.NaN : (double)TruePositives / Flagged;

    /// <summary>True positives over labelled; NaN when nothing is labelled.</summary>
    public double Recall => Labelled == 0 ? double.NaN : (double)TruePositives / Labelled;

    /// <summary>Harmonic mean of precision and recall; 0 when there is no true positive.</summary>
    public double F1 => TruePositives == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>
/// Scores every call of a lake with the per-call models of <c>usage_anomaly</c> (the isolation forest, ML.NET's
/// RandomizedPca as tuned, RandomizedPca with ML.NET's defaults, and the two ensembles) on the audit's own features,
/// trained exactly as the rule trains them, and compares each model's flags with labelled calls. Used by
/// <c>tem eval-anomaly --calls</c> on generated sample sets, where the planted toll fraud is the label.
/// </summary>
public static class UsageModelComparison
{
    /// <summary>The PCA's threshold unless another is given: a call half of whose (scaled) norm the typical directions do not explain.</summary>
    public const double DefaultPcaMinScore = 0.5;

    /// <summary>Compares the models over the calls of <paramref name="lake"/>.</summary>
    /// <param name="lake">The lake (read only).</param>
    /// <param name="settings">usage_anomaly's settings (thresholds, seeds, PCA settings).</param>
    /// <param name="labelCondition">A DuckDB condition over <c>audit_call_details</c> (alias <c>c</c>) true for the labelled calls.</param>
    /// <param name="pcaOptions">The PCA's settings (the tuned <see cref="PcaCallOptions"/> defaults unless given).</param>
    /// <param name="pcaMinScore">PCA score at or above which a call is flagged.</param>
    public static IReadOnlyList<CallModelScore> Compare(TemLake lake, AnomalySettings settings, string labelCondition, PcaCallOptions? pcaOptions = null, double pcaMinScore = DefaultPcaMinScore)
    {
        pcaOptions ??= new PcaCallOptions();
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(labelCondition);
        Directory.CreateDirectory(lake.TempDirectory);
        using var db = LakeSession.InMemory(new SessionOptions { TempDirectory = lake.TempDirectory });
        lake.CreateViews(db);
        db.Execute(RuleCatalog.Script("base.sql"));
        db.Execute(RuleCatalog.Script("rating.sql"));
        db.Execute(RuleCatalog.Script("calls.sql"));
        AnomalyFeatures.Define(db);
        var count = AnomalyFeatures.DefineCalls(db, settings.WarmupDays);
        var width = CallFeatures.Names.Length;
        var labelled = Labelled(db, labelCondition);
        var rows = new List<double>();
        AnomalyFeatures.ReadCalls(db, [], 65_536, batch => rows.AddRange(batch.Rows.AsSpan(0, batch.Count * width)));
        var all = rows.ToArray();
        var trainStride = (count + settings.TrainingCalls - 1) / settings.TrainingCalls;
        var training = new List<double>();
        for (var k = 0L; k < count; k += trainStride)
        {
            training.AddRange(all.AsSpan((int)k * width, width));
        }

        var train = training.ToArray();
        var forest = IsolationForest.Fit(train, width, settings.Forest);
        var pca = PcaCallModel.Fit(train, width, pcaOptions);
        var defaults = PcaCallModel.Fit(train, width, PcaCallOptions.MlNetDefaults with { Seed = pcaOptions.Seed });
        var n = (int)count;
        var forestScores = new double[n];
        var pcaScores = new double[n];
        var defaultScores = new double[n];
        Parallel.For(0, n, k => forestScores[k] = forest.Score(all.AsSpan(k * width, width)));
        var tuned = pca.Score(all);
        var untuned = defaults.Score(all);
        for (var k = 0; k < n; k++)
        {
            pcaScores[k] = tuned[k];
            defaultScores[k] = untuned[k];
        }

        var forestFlags = forestScores.Select(s => s >= settings.MinScore).ToArray();
        var pcaFlags = pcaScores.Select(s => s >= pcaMinScore).ToArray();
        var defaultFlags = defaultScores.Select(s => s >= pcaMinScore).ToArray();
        var forestName = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"isolation forest ({settings.Forest.Trees} trees of {forest.SampleSize}, seed {settings.Forest.Seed}; min_score {settings.MinScore:0.00})");
        var pcaName = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{pcaOptions.Describe(width)}; threshold {pcaMinScore:0.00}");
        var defaultName = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{PcaCallOptions.MlNetDefaults.Describe(width)}; threshold {pcaMinScore:0.00}");
        var both = forestFlags.Zip(pcaFlags, (a, b) => a && b).ToArray();
        var either = forestFlags.Zip(pcaFlags, (a, b) => a || b).ToArray();
        return
        [
            Score(forestName, forestScores, forestFlags, labelled),
            Score(pcaName, pcaScores, pcaFlags, labelled),
            Score(defaultName, defaultScores, defaultFlags, labelled),
            Score("ensemble: flagged by both", forestScores.Zip(pcaScores, Math.Min).ToArray(), both, labelled),
            Score("ensemble: flagged by either", forestScores.Zip(pcaScores, Math.Max).ToArray(), either, labelled),
        ];
    }

    /// <summary>
    /// The two per-call models on a univariate labelled series, where a point alone is one number and neither model
    /// applies: each point becomes a row of itself and the <paramref name="window"/> - 1 values before it (a lag window;
    /// the first points, without a full window, are not scored), both models are trained on every window of the series
    /// and a point is flagged when its window scores at or above the model's threshold; scored by events as
    /// <c>tem eval-anomaly</c> scores the series detectors.
    /// </summary>
    /// <param name="series">The labelled series.</param>
    /// <param name="window">Values per row (the point and its lags), at least 2.</param>
    /// <param name="tolerance">Points around an event within which a flag still detects it.</param>
    /// <param name="settings">usage_anomaly's settings (the forest's and its threshold).</param>
    /// <param name="pcaOptions">The PCA's settings (the tuned defaults unless given).</param>
    /// <param name="pcaMinScore">PCA score at or above which a window is flagged.</param>
    public static IReadOnlyList<EventWindowResult> CompareOnSeries(
        LabeledSeries series, int window, int tolerance, AnomalySettings settings, PcaCallOptions? pcaOptions = null, double pcaMinScore = DefaultPcaMinScore)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        pcaOptions ??= new PcaCallOptions();
        var values = series.Values.ToArray();
        var labels = series.Labels.ToArray();
        var rows = values.Length - window + 1;
        if (rows < 2)
        {
            throw new ArgumentException($"{series.Source} has {values.Length} points: fewer than two windows of {window}.", nameof(series));
        }

        var data = new double[rows * window];
        for (var k = 0; k < rows; k++)
        {
            for (var j = 0; j < window; j++)
            {
                data[(k * window) + j] = values[k + window - 1 - j];
            }
        }

        var forest = IsolationForest.Fit(data, window, settings.Forest);
        var pca = PcaCallModel.Fit(data, window, pcaOptions).Score(data);
        var forestFlags = new bool[values.Length];
        var pcaFlags = new bool[values.Length];
        for (var k = 0; k < rows; k++)
        {
            forestFlags[k + window - 1] = forest.Score(data.AsSpan(k * window, window)) >= settings.MinScore;
            pcaFlags[k + window - 1] = pca[k] >= pcaMinScore;
        }

        return
        [
            EventWindowScoring.Score("isolation forest", labels, forestFlags, tolerance, rows),
            EventWindowScoring.Score("RandomizedPca", labels, pcaFlags, tolerance, rows),
        ];
    }

    private static CallModelScore Score(string model, double[] scores, bool[] flags, bool[] labelled)
    {
        var positives = labelled.Count(l => l);
        var flagged = flags.Count(f => f);
        var truePositives = flags.Where((f, k) => f && labelled[k]).Count();
        var top = Enumerable.Range(0, scores.Length).OrderByDescending(k => scores[k]).ThenBy(k => k).Take(positives).Count(k => labelled[k]);
        return new CallModelScore(model, scores.Length, positives, flagged, truePositives, positives == 0 ? double.NaN : (double)top / positives);
    }

    private static bool[] Labelled(DuckDBConnection db, string condition)
    {
        var n = Convert.ToInt64(Scalar(db, $"SELECT count(*) FROM {CallFeatures.Table}"), System.Globalization.CultureInfo.InvariantCulture);
        var labels = new bool[n];
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT f.rowid FROM {CallFeatures.Table} f JOIN audit_call_details c ON c.call_id = f.id WHERE {condition}";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            labels[r.GetInt64(0)] = true;
        }

        return labels;
    }

    private static object? Scalar(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
