using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;
using Tem.Core;
using Tem.Lake;

namespace Tem.Audit.Outcomes;

/// <summary>One finding's chance of being credited, and why.</summary>
/// <param name="FindingId">The finding.</param>
/// <param name="Chance">0..1: the model's calibrated probability, or the rule's prior.</param>
/// <param name="Reasons">The features that moved the chance most (with their sign), or the prior it came from.</param>
public sealed record CreditChance(string FindingId, double Chance, string Reasons);

/// <summary>Open findings ranked by their chance of being credited.</summary>
/// <param name="Chances">Highest chance first (ties by finding id).</param>
/// <param name="Model">The model file used (its name: <c>credit-chance.RUN.zip</c>), or null when ranked by rule priors.</param>
/// <param name="Basis">One line: which model and how many outcomes it learnt from, or why the priors were used.</param>
public sealed record CreditRanking(IReadOnlyList<CreditChance> Chances, string? Model, string Basis);

/// <summary>
/// Learning from outcomes: a FastTree binary classifier (ML.NET) trained on the lake's own findings whose disputes
/// ended credited (credited, partially credited, confirmed) or rejected, ranking open findings by the chance they will be
/// credited. Features: rule, carrier, severity, money kind (one-hot), found money (log of 1 + the amount in its
/// currency) and age (months from the finding's period to the latest period among the findings: from the lake's data,
/// not the clock, so that the same model and findings give the same ranking on any day). Below
/// <see cref="MinimumOutcomes"/> labelled outcomes, or with only one class, there is no model and the ranking is by
/// <see cref="Prior"/>. Models are saved with ML.NET's <c>.zip</c> format under <c>_tem/models/</c>, one per training run.
/// </summary>
public static class CreditChanceModel
{
    /// <summary>Least outcomes (credited plus rejected, each at least <see cref="MinimumPerClass"/>) to train on.</summary>
    public const int MinimumOutcomes = 20;

    /// <summary>Least outcomes of each class.</summary>
    public const int MinimumPerClass = 3;

    /// <summary>Seed of ML.NET's context: the same findings train the same model.</summary>
    public const int Seed = 42;

    private const string FilePrefix = "credit-chance.";

    /// <summary>The lake's models folder (<c>_tem/models</c>).</summary>
    public static string Folder(string lakeRoot) => Path.Combine(lakeRoot, "_tem", "models");

    /// <summary>The model file a run trains: <c>_tem/models/credit-chance.RUN.zip</c>.</summary>
    public static string PathFor(string lakeRoot, string runId) => Path.Combine(Folder(lakeRoot), FilePrefix + runId + ".zip");

    /// <summary>
    /// The rule prior: what a finding is worth before any outcome is known, from its severity (high 0.8, medium 0.6,
    /// low 0.4), halved for findings whose action is <c>investigate</c> (a model's suspicion, not a billing error yet).
    /// </summary>
    public static double Prior(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var bySeverity = finding.Severity switch
        {
            Severity.High => 0.8,
            Severity.Medium => 0.6,
            _ => 0.4,
        };
        return finding.RecommendedAction == RecommendedAction.Investigate ? bySeverity / 2 : bySeverity;
    }

    /// <summary>Credited (true), rejected (false), or no outcome yet (null).</summary>
    public static bool? Outcome(FindingStatus status) => status switch
    {
        FindingStatus.Credited or FindingStatus.PartiallyCredited or FindingStatus.Confirmed => true,
        FindingStatus.Rejected => false,
        _ => null,
    };

    /// <summary>Is there enough to train on? Null when there is; else why not, one line.</summary>
    public static string? NotEnough(IReadOnlyList<StoredFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var credited = findings.Count(f => Outcome(f.Status) == true);
        var rejected = findings.Count(f => Outcome(f.Status) == false);
        return credited + rejected >= MinimumOutcomes && credited >= MinimumPerClass && rejected >= MinimumPerClass
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{credited} credited and {rejected} rejected outcomes: the model needs at least {MinimumOutcomes} with {MinimumPerClass} of each");
    }

    /// <summary>
    /// Trains on the findings with an outcome and saves the model to <paramref name="path"/> (ML.NET <c>.zip</c>);
    /// returns false (and writes nothing) below the minimum. Called by writers only (an audit or pipeline run).
    /// </summary>
    public static bool Train(IReadOnlyList<StoredFinding> findings, string path)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (NotEnough(findings) is not null)
        {
            return false;
        }

        var latest = Latest(findings);
        var rows = findings.Where(f => Outcome(f.Status) is not null)
            .OrderBy(f => f.Finding.FindingId, StringComparer.Ordinal)
            .Select(f => Row(f.Finding, latest, Outcome(f.Status)!.Value))
            .ToList();
        var ml = new MLContext(seed: Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = Featurize(ml).Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            // Small histories: shallow trees with small leaves; one thread so that the same findings give the same trees.
            NumberOfTrees = 50, NumberOfLeaves = 4, MinimumExampleCountPerLeaf = 2, NumberOfThreads = 1,
            FeatureColumnName = "Features", LabelColumnName = nameof(OutcomeRow.Label),
        }));
        var model = pipeline.Fit(data);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        ml.Model.Save(model, data.Schema, temp);
        File.Move(temp, path, overwrite: true);
        return true;
    }

    /// <summary>The newest model file of a lake (by the time in its run id), or null. Reads only.</summary>
    public static string? Latest(string lakeRoot)
    {
        var folder = Folder(lakeRoot);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        return Directory.EnumerateFiles(folder, FilePrefix + "*.zip")
            .OrderBy(p => RunTime(Path.GetFileName(p)), StringComparer.Ordinal)
            .ThenBy(p => p, StringComparer.Ordinal)
            .LastOrDefault();
    }

    /// <summary>
    /// Ranks the open findings (status open) by their chance of being credited with the model at
    /// <paramref name="modelPath"/>, or by <see cref="Prior"/> when it is null (saying why in the basis). Reads only.
    /// </summary>
    public static CreditRanking Rank(IReadOnlyList<StoredFinding> findings, string? modelPath)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var open = findings.Where(f => f.Status == FindingStatus.Open).ToList();
        if (modelPath is null)
        {
            var why = NotEnough(findings) ?? "no model has been trained yet (the next audit or pipeline run trains one)";
            var priors = open.Select(f => new CreditChance(f.Finding.FindingId, Prior(f.Finding),
                string.Create(CultureInfo.InvariantCulture, $"rule prior: severity {WireNames.ToWire(f.Finding.Severity)}{(f.Finding.RecommendedAction == RecommendedAction.Investigate ? ", action investigate (halved)" : string.Empty)}")));
            return new CreditRanking(Order(priors), null, $"ranked by rule priors: {why}");
        }

        var ml = new MLContext(seed: Seed);
        var model = ml.Model.Load(modelPath, out _);
        var latest = Latest(findings);
        var input = ml.Data.LoadFromEnumerable(open.Select(f => Row(f.Finding, latest, false)).ToList());
        var scored = model.Transform(input);
        var last = ((TransformerChain<ITransformer>)model).LastTransformer;
        var names = SlotNames(scored.Schema["Features"]);
        var contributions = ml.Transforms.CalculateFeatureContribution(
                (BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>)last,
                numberOfPositiveContributions: 3, numberOfNegativeContributions: 3)
            .Fit(scored).Transform(scored);
        var probabilities = contributions.GetColumn<float>("Probability").ToList();
        var explained = contributions.GetColumn<float[]>("FeatureContributions").ToList();
        var chances = open.Select((f, k) => new CreditChance(f.Finding.FindingId, probabilities[k], Reasons(explained[k], names)));
        return new CreditRanking(Order(chances), Path.GetFileName(modelPath), $"ranked by {Path.GetFileName(modelPath)} (FastTree on the lake's credited and rejected findings)");
    }

    private static List<CreditChance> Order(IEnumerable<CreditChance> chances) =>
        [.. chances.OrderByDescending(c => c.Chance).ThenBy(c => c.FindingId, StringComparer.Ordinal)];

    private static string Reasons(float[] contributions, string[] names)
    {
        var top = contributions.Select((v, i) => (Value: v, Name: i < names.Length ? names[i] : i.ToString(CultureInfo.InvariantCulture)))
            .Where(c => c.Value != 0)
            .OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3);
        var text = string.Join(", ", top.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {(c.Value > 0 ? "+" : "-")}{Math.Abs(c.Value):0.00}")));
        return text.Length == 0 ? "no feature moved the chance" : text;
    }

    private static string[] SlotNames(DataViewSchema.Column column)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static EstimatorChain<ColumnConcatenatingTransformer> Featurize(MLContext ml) =>
        ml.Transforms.Categorical.OneHotEncoding([
                new InputOutputColumnPair("rule", nameof(OutcomeRow.Rule)), new InputOutputColumnPair("carrier", nameof(OutcomeRow.Carrier)),
                new InputOutputColumnPair("severity", nameof(OutcomeRow.Severity)), new InputOutputColumnPair("money", nameof(OutcomeRow.Money)),
            ])
            .Append(ml.Transforms.Concatenate("Features", "rule", "carrier", "severity", "money", "amount", "age_months"));

    private static BillingMonth Latest(IReadOnlyList<StoredFinding> findings) =>
        findings.Count == 0 ? default : findings.Max(f => f.Finding.Period);

    private static OutcomeRow Row(Finding f, BillingMonth latest, bool credited) => new()
    {
        Rule = f.Rule,
        Carrier = f.Carrier,
        Severity = WireNames.ToWire(f.Severity),
        Money = WireNames.ToWire(f.MoneyKind),
        Amount = (float)Math.Log(1 + (double)Math.Max(f.FoundMoney, 0m)),
        Age = (float)Math.Max(0, ((latest.Year - f.Period.Year) * 12) + latest.Month - f.Period.Month),
        Label = credited,
    };

    private static string RunTime(string fileName)
    {
        // credit-chance.<command>-<yyyyMMddTHHmmssfffZ>.zip: the time after the last '-'.
        var stem = fileName[FilePrefix.Length..^".zip".Length];
        var dash = stem.LastIndexOf('-');
        return dash < 0 ? stem : stem[(dash + 1)..];
    }

    /// <summary>One finding as the model reads it.</summary>
    private sealed class OutcomeRow
    {
        public string Rule { get; set; } = string.Empty;

        public string Carrier { get; set; } = string.Empty;

        public string Severity { get; set; } = string.Empty;

        public string Money { get; set; } = string.Empty;

        [ColumnName("amount")]
        public float Amount { get; set; }

        [ColumnName("age_months")]
        public float Age { get; set; }

        public bool Label { get; set; }
    }
}
