using DuckDB.NET.Data;
using Tem.Core;

namespace Tem.Audit.Anomaly;

/// <summary>
/// A rule implemented by a model in code rather than by a SQL file (<see cref="SpendAnomalyRule"/>,
/// <see cref="UsageAnomalyRule"/>); it has the same metadata as a rule file so that <c>tem audit --list-rules</c> lists
/// it with its settings, and <c>--set rule.setting=value</c> overrides them (<see cref="AnomalySettings"/> holds their
/// definitions and ranges). The models share one setup per run (<see cref="FeatureSetup"/>).
/// </summary>
public abstract class AnomalyModelRule : IAuditRule
{
    /// <summary>A model rule with its metadata; its settings are <see cref="AnomalySettings"/>' of <paramref name="id"/>.</summary>
    private protected AnomalyModelRule(string id, string title, Severity severity, RecommendedAction action, string description)
    {
        Id = id;
        Title = title;
        Severity = severity;
        Action = action;
        Description = description;
        Settings = AnomalySettings.SettingsOf(id);
    }

    /// <summary>
    /// The models' setup, once per run: their settings resolved from the overrides (a bad one fails both models) and the
    /// feature views of <c>Sql/anomaly.sql</c> defined.
    /// </summary>
    public static SharedSetup<AnomalySettings> FeatureSetup { get; } = new AnomalyFeatureSetup();

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public string Title { get; }

    /// <inheritdoc/>
    public Severity Severity { get; }

    /// <inheritdoc/>
    public RecommendedAction Action { get; }

    /// <summary>The default of the action (<see cref="RuleDefinition.DefaultMoney"/>): potential, as a person must investigate.</summary>
    public MoneyKind Money => RuleDefinition.DefaultMoney(Action);

    /// <summary>False: one finding per period.</summary>
    public bool IdentityByService => false;

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public IReadOnlyList<RuleSetting> Settings { get; }

    /// <summary>Null: a model judges every series and call it sees.</summary>
    public string? NotJudged => null;

    /// <summary><c>built-in model</c>.</summary>
    public string Source => "built-in model";

    /// <inheritdoc/>
    public string DefinedIn => "model in src/Tem.Audit/Anomaly/ (settings: tem audit --list-rules)";

    /// <summary>True.</summary>
    public bool IsModel => true;

    /// <summary>False: a later row with the same finding id replaces the earlier.</summary>
    public bool MergesSameId => false;

    /// <summary><see cref="FeatureSetup"/>.</summary>
    public SharedSetup? Setup => FeatureSetup;

    /// <summary>Resolves every model setting (<see cref="AnomalySettings.Resolve"/>).</summary>
    public void CheckSettings(IReadOnlyDictionary<string, string> settings) => AnomalySettings.Resolve(settings);

    /// <summary>The model's rows over the run's connection with the settings <see cref="FeatureSetup"/> resolved.</summary>
    public IReadOnlyList<RuleRow> Find(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Find(context.Db, context.Get(FeatureSetup));
    }

    /// <summary>The model's rows (after <see cref="FeatureSetup"/>: the feature views exist on <paramref name="db"/>).</summary>
    public abstract IReadOnlyList<RuleRow> Find(DuckDBConnection db, AnomalySettings settings);

    /// <summary>None.</summary>
    public IReadOnlyList<string> NotJudgedIn(AuditContext context) => [];

    private sealed class AnomalyFeatureSetup : SharedSetup<AnomalySettings>
    {
        public override string Name => "anomaly features";

        protected override AnomalySettings Prepare(AuditContext context)
        {
            var settings = AnomalySettings.Resolve(context.Settings);
            AnomalyFeatures.Define(context.Db);
            return settings;
        }
    }
}
