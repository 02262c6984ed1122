using Tem.Core;

namespace Tem.Audit;

/// <summary>
/// One audit rule, whatever implements it: a SQL file (<see cref="RuleDefinition"/>) or a model in code
/// (<see cref="Anomaly.SpendAnomalyRule"/>, <see cref="Anomaly.UsageAnomalyRule"/>). The audit engine runs every rule
/// through this interface, <c>tem audit --list-rules</c> lists their metadata, <c>--set rule.setting=value</c>
/// overrides their settings and the report names where each is defined.
/// </summary>
public interface IAuditRule
{
    /// <summary>Rule id, e.g. <c>rate_overcharge</c> (lower case, digits and underscores); a finding's <c>rule</c>.</summary>
    string Id { get; }

    /// <summary>One line for a person.</summary>
    string Title { get; }

    /// <summary>How much a finding matters.</summary>
    Severity Severity { get; }

    /// <summary>What to do about a finding.</summary>
    RecommendedAction Action { get; }

    /// <summary>Which kind of money its findings are.</summary>
    MoneyKind Money { get; }

    /// <summary>
    /// Whether a finding is one per service whatever the month: its id leaves the period out
    /// (<see cref="FindingId.CreateForService"/>). False: one finding per period.
    /// </summary>
    bool IdentityByService { get; }

    /// <summary>Longer explanation (audit.md's "fires when").</summary>
    string Description { get; }

    /// <summary>Named thresholds with their defaults and descriptions, overridden as <c>rule.setting</c>.</summary>
    IReadOnlyList<RuleSetting> Settings { get; }

    /// <summary>
    /// What the rule leaves unjudged, as the start of a sentence with <c>{subject}</c> in it; null when it judges
    /// everything it sees.
    /// </summary>
    string? NotJudged { get; }

    /// <summary>Where the rule came from, as a run reports it: <c>built-in NAME.sql</c>, a file's path, <c>built-in model</c>.</summary>
    string Source { get; }

    /// <summary>Where a reader finds its definition (the report's appendix), e.g. <c>src/Tem.Audit/Rules/NAME.sql</c>.</summary>
    string DefinedIn { get; }

    /// <summary>True for a rule implemented by a model in code, false for a SQL rule (<c>--list-rules</c> marks it "(model)").</summary>
    bool IsModel { get; }

    /// <summary>
    /// Whether two rows of one run with the same finding id merge (amounts summed, detail and evidence joined), as the
    /// SQL rules' do, or the later replaces the earlier, as the model rules' do (their rows are one per series and month).
    /// </summary>
    bool MergesSameId { get; }

    /// <summary>Work this rule shares with other rules, done once per run before the first rule that needs it; null for none.</summary>
    SharedSetup? Setup { get; }

    /// <summary>
    /// Checks the overrides of this rule's settings before anything runs.
    /// </summary>
    /// <exception cref="ArgumentException">An override (<c>rule.setting</c> = value) of this rule names an unknown setting, or its value is out of range.</exception>
    void CheckSettings(IReadOnlyDictionary<string, string> settings);

    /// <summary>The rule's rows: one per finding, before the engine adds parties, currency and the finding id.</summary>
    /// <exception cref="InvalidOperationException">The rule cannot run (e.g. a query lacks a column); the other rules still run.</exception>
    IReadOnlyList<RuleRow> Find(AuditContext context);

    /// <summary>What the rule did not judge in this run, one sentence per subject (see <see cref="RuleRun.NotJudged"/>); empty when it judged everything.</summary>
    IReadOnlyList<string> NotJudgedIn(AuditContext context);
}

/// <summary>
/// A rule's row before it becomes a finding: the engine adds the rule's id, severity, action and kind of money, the
/// account's parties and currency (unless the row names one) and the finding id. Amounts are in the account's currency;
/// texts may carry amounts marked with <see cref="MoneyText"/>.
/// </summary>
/// <param name="Carrier">Carrier; null when the rule does not know it (the account number alone is matched).</param>
/// <param name="Account">Account id.</param>
/// <param name="Service">Service id; null for an account-level finding.</param>
/// <param name="Period">Billing month.</param>
/// <param name="Title">One line for a person (a SQL rule's title, a model's line per finding).</param>
public sealed record RuleRow(string? Carrier, string Account, string? Service, BillingMonth Period, string Title)
{
    /// <summary>One-time amount (recoverable or at stake), 4 decimals.</summary>
    public decimal OneTime { get; init; }

    /// <summary>Monthly savings, 4 decimals.</summary>
    public decimal Monthly { get; init; }

    /// <summary>Currency code the row states; null takes the account's.</summary>
    public string? Currency { get; init; }

    /// <summary>Confidence, 0..1.</summary>
    public decimal Confidence { get; init; }

    /// <summary>The numbers behind the finding.</summary>
    public string Detail { get; init; } = string.Empty;

    /// <summary>The records behind the finding.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>Tells apart two findings of one rule, account, service and period; null for none.</summary>
    public string? Discriminator { get; init; }

    /// <summary>The plan recommended instead; null for none.</summary>
    public string? PlanId { get; init; }
}
