using Tem.Audit;
using Tem.Core;

namespace Tem.App;

/// <summary>One rule as <c>tem audit --list-rules</c> shows it: a SQL rule or an anomaly model.</summary>
/// <param name="Id">The rule's id.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="Action">Its recommended action.</param>
/// <param name="Title">One line.</param>
/// <param name="IsModel">True for an anomaly model, false for a SQL rule.</param>
/// <param name="Settings">Its settings with their defaults.</param>
public sealed record RuleInfo(string Id, Severity Severity, RecommendedAction Action, string Title, bool IsModel, IReadOnlyList<RuleSetting> Settings);

/// <summary>The rules an audit would run, and the rule files that could not be read.</summary>
/// <param name="Rules">SQL rules (built-in and the folder's), then the anomaly models, then rules added in code.</param>
/// <param name="BrokenRuleFiles">Rule files skipped, with why.</param>
public sealed record RuleList(IReadOnlyList<RuleInfo> Rules, IReadOnlyList<(string File, string Error)> BrokenRuleFiles);

/// <summary>How <c>tem audit</c> went.</summary>
/// <param name="Run">The recorded run (outcome, id, times); its value is the audit's result, null when it did not run.</param>
public sealed record AuditRunResult(LakeOperationResult<AuditResult> Run)
{
    /// <summary>Rules that failed plus rule files that could not be read.</summary>
    public int FailedRules => Run.Value is { } a ? a.Rules.Count(r => r.Error is not null) + a.BrokenRuleFiles.Count : 0;
}

/// <summary>Runs every rule over a lake as one recorded run (see <see cref="LakeOperation"/>).</summary>
public sealed class AuditOperation(TimeProvider time)
{
    /// <summary>The name audit runs are recorded under.</summary>
    public const string Command = "audit";

    /// <summary>The rules an audit with <paramref name="rulesFolder"/> (and the rules in code <paramref name="added"/>) would run, with their settings.</summary>
    public static RuleList ListRules(string? rulesFolder, IEnumerable<IAuditRule>? added = null)
    {
        var rules = RuleCatalog.LoadAll(rulesFolder, out var broken, added);
        return new RuleList([.. rules.Select(r => new RuleInfo(r.Id, r.Severity, r.Action, r.Title, r.IsModel, r.Settings))], broken);
    }

    /// <summary>
    /// Checks setting overrides before anything runs; throws <see cref="ArgumentException"/> naming the bad one.
    /// </summary>
    /// <param name="settings">Overrides as <c>rule.setting</c> = value.</param>
    /// <param name="added">Rules in code besides the built-in ones (see <see cref="AuditOptions.AddedRules"/>).</param>
    public static void ValidateSettings(IReadOnlyDictionary<string, string> settings, IEnumerable<IAuditRule>? added = null)
    {
        foreach (var rule in RuleCatalog.Models.Concat(added ?? []))
        {
            rule.CheckSettings(settings);
        }

        Tem.Audit.Disputes.BillReconciler.Tolerance(settings);
    }

    /// <summary>Audits the lake; outcome <c>failed</c> when a rule or a rule file failed (the other rules still run).</summary>
    /// <param name="lake">The lake folder.</param>
    /// <param name="options">Rules, settings, memory limit.</param>
    /// <param name="settings">The settings recorded with the run (<see cref="EffectiveSettings.ToJson"/>); null records none.</param>
    /// <param name="progress">Receives rule i of n with the rule's id as each rule starts (see <see cref="AuditEngine.Run"/>).</param>
    /// <param name="cancellationToken">Stops the wait for the lake's lock; honoured before the audit starts.</param>
    public AuditRunResult Run(string lake, AuditOptions options, string? settings = null, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var run = LakeOperation.Run(new LakeOperationOptions { Lake = lake, Command = Command, Settings = settings }, time, scope =>
        {
            var audit = Audit(scope, options, progress);
            if (audit.Rules.Any(r => r.Error is not null) || audit.BrokenRuleFiles.Count > 0)
            {
                scope.Outcome = RunOutcome.Failed;
            }

            return audit;
        }, cancellationToken);
        return new AuditRunResult(run);
    }

    /// <summary>The audit step of a run: the rules over the run's lake, open findings kept on the scope.</summary>
    internal AuditResult Audit(RunScope scope, AuditOptions options, IProgress<WorkProgress>? progress)
    {
        var audit = new AuditEngine(scope.Lake, time).Run(options, scope.RunId, progress);
        scope.Totals = scope.Totals with { Findings = OpenFindings(audit) };

        // Learning from outcomes: after the dispute logs and the bills have set this run's statuses, a run with enough
        // credited and rejected findings trains the outcome model and keeps it under its own id. Checked first, so that
        // a lake without enough outcomes never loads ML.NET.
        if (Tem.Audit.Outcomes.CreditChanceModel.NotEnough(audit.Findings) is null)
        {
            TrainOutcomeModel(scope, audit);
        }

        return audit;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void TrainOutcomeModel(RunScope scope, AuditResult audit) =>
        Tem.Audit.Outcomes.CreditChanceModel.Train(audit.Findings, Tem.Audit.Outcomes.CreditChanceModel.PathFor(scope.Lake.Root, scope.RunId));

    /// <summary>Findings not resolved after an audit.</summary>
    public static int OpenFindings(AuditResult audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.Findings.Count(f => f.Status != FindingStatus.Resolved);
    }
}
