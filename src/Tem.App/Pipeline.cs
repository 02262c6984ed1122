using System.Globalization;
using Tem.Audit;
using Tem.Audit.Disputes;
using Tem.Core;
using Tem.Lake;
using Tem.Ingest;
using Tem.Reports;

namespace Tem.App;

/// <summary>Where one pipeline run reads, writes and how it audits.</summary>
public sealed record PipelineOptions
{
    /// <summary>Folder of new input files; files already ingested (same SHA-256) are skipped.</summary>
    public required string Inbox { get; init; }

    /// <summary>The lake folder.</summary>
    public required string Lake { get; init; }

    /// <summary>The report folder.</summary>
    public required string Out { get; init; }

    /// <summary>The name the run is recorded under in the catalog's run history (<c>run</c>, <c>demo</c>, a scheduled pipeline's name).</summary>
    public string Name { get; init; } = "run";

    /// <summary>How long to wait for another writer of the same lake to finish before giving up (outcome <see cref="RunOutcome.Locked"/>).</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.Zero;

    /// <summary>Ingest settings.</summary>
    public IngestOptions Ingest { get; init; } = new();

    /// <summary>Audit settings.</summary>
    public AuditOptions Audit { get; init; } = new();

    /// <summary>Who runs it, written beside the lake's write lock for people (host and process by default).</summary>
    public string? Holder { get; init; }

    /// <summary>
    /// Audit and report even when a file of this run failed to ingest. Off by default: the findings then stay those of
    /// the last complete state instead of being computed over a lake that is missing part of tonight's data.
    /// </summary>
    public bool AuditAfterFailedIngest { get; init; }

    /// <summary>The report step's settings (proposal currency, exchange rates, tenant sets, contingency fee, follow-up days); always the full set, never one tenant's.</summary>
    public ReportOptions Report { get; init; } = new();

    /// <summary>The settings the run uses as recorded in the run history (<see cref="EffectiveSettings.ToJson"/>); null records none.</summary>
    public string? Settings { get; init; }
}

/// <summary>The stage a <see cref="PipelineProgress"/> report belongs to.</summary>
public enum PipelineStage
{
    /// <summary>Reading the inbox into the lake, file by file.</summary>
    Ingest,

    /// <summary>Running the rules.</summary>
    Audit,

    /// <summary>Writing the report folder.</summary>
    Report,
}

/// <summary>One step of a run, for progress bars and log lines.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Done">Steps of the stage done (files ingested, for example).</param>
/// <param name="Total">Steps of the stage in all; 0 when unknown.</param>
/// <param name="Message">What happened, one line (a file's counts, a rule's findings).</param>
/// <param name="IsProblem">True for a failure or a warning (a file that could not be read, a rule that failed).</param>
public sealed record PipelineProgress(PipelineStage Stage, int Done, int Total, string Message, bool IsProblem);

/// <summary>How far a stage of a run is, for a progress bar: bytes read (ingest), rules run (audit), files written (report).</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Work">How far it is.</param>
public sealed record StageProgress(PipelineStage Stage, WorkProgress Work);

/// <summary>How a pipeline run went; recorded in the lake catalog's run history too.</summary>
/// <param name="RunId">The run's id in the catalog.</param>
/// <param name="Outcome"><see cref="RunOutcome.Ok"/>; <see cref="RunOutcome.Failed"/> (a file or rule failed: see the progress reports); <see cref="RunOutcome.Locked"/> (another writer held the lake, nothing ran).</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC).</param>
/// <param name="Ingest">Ingest totals.</param>
/// <param name="Audit">The audit's result; null when the run stopped before it.</param>
/// <param name="ReportPath">The report's main file; null when the run stopped before it.</param>
/// <param name="InterruptedRuns">Earlier runs whose process died, closed by this one (it completed what they left).</param>
/// <param name="Message">Why it failed or was locked.</param>
public sealed record PipelineResult(
    string RunId, RunOutcome Outcome, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, IngestTotals Ingest, AuditResult? Audit,
    string? ReportPath, IReadOnlyList<string> InterruptedRuns, string? Message)
{
    /// <summary>Files of the inbox passed over because they are not data (notes, images), by name.</summary>
    public IReadOnlyList<string> NotData { get; init; } = [];

    /// <summary>Validated, potential, reseller and realised money per currency (empty when the run did not audit).</summary>
    public IReadOnlyList<CurrencyMoney> Totals => Audit?.Totals ?? [];

    /// <summary>Open (not resolved) findings after the audit.</summary>
    public int OpenFindings => Audit is null ? 0 : AuditOperation.OpenFindings(Audit);

    /// <summary>True when everything ran and nothing failed.</summary>
    public bool Succeeded => Outcome == RunOutcome.Ok;

    /// <summary>The report's warnings tonight, all of them (those repeated from the previous run too).</summary>
    public IReadOnlyList<string> ReportWarnings { get; init; } = [];

    /// <summary>
    /// How many of <see cref="ReportWarnings"/> the previous run of the same name gave word for word, and that run's
    /// id: they were not reported again as problems.
    /// </summary>
    public (int Count, string RunId)? RepeatedWarnings { get; init; }
}

/// <summary>
/// One nightly run, the same for <c>tem run</c>, <c>tem demo</c> and the scheduler's job, as one
/// <see cref="LakeOperation"/>: under the lake's write lock (completing whatever a crashed run left), ingest everything
/// new in the inbox, audit, write the report folder, and record the run (start, end, files, rows, findings, outcome) in
/// the catalog. A crash at any point leaves the lake consistent: each file is committed whole or not at all, findings
/// are replaced atomically, and the next run ingests what is left (files already ingested are recognised by their
/// SHA-256 and never ingested twice).
/// </summary>
public sealed class Pipeline(TimeProvider time)
{
    /// <summary>Runs the pipeline once. Cancellation is honoured between files and between stages.</summary>
    /// <param name="options">Where the run reads and writes, and how it audits.</param>
    /// <param name="progress">Receives each step's line (a file's counts, a rule's findings, a problem).</param>
    /// <param name="work">
    /// Receives how far each stage is: bytes read of the inbox's data files, rule i of n, files of the report written
    /// (see <see cref="Ingestor.IngestFiles"/>, <see cref="AuditEngine.Run"/>, <see cref="ReportWriter.Write"/>).
    /// </param>
    /// <param name="cancellationToken">Honoured between files and between stages.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled; the run is recorded as <c>cancelled</c>.</exception>
    public PipelineResult Run(
        PipelineOptions options, Action<PipelineProgress>? progress = null, IProgress<StageProgress>? work = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        IProgress<WorkProgress>? Stage(PipelineStage stage) =>
            work is null ? null : new SynchronousProgress<WorkProgress>(p => work.Report(new StageProgress(stage, p)));
        IngestTotals ingest = new(0, 0, 0, 0, 0);
        IReadOnlyList<string> notData = [];
        AuditResult? audit = null;
        string? report = null;
        IReadOnlyList<string> warnings = [];
        (int, string)? repeated = null;
        var run = LakeOperation.Run(
            new LakeOperationOptions
            {
                Lake = options.Lake, Command = options.Name, CreateLake = true, LockWait = options.LockWait, Holder = options.Holder, Settings = options.Settings,
            },
            time,
            scope =>
            {
                if (!Directory.Exists(options.Inbox))
                {
                    throw new DirectoryNotFoundException($"the inbox {Path.GetFullPath(options.Inbox)} does not exist; create it or point --inbox at the folder carriers' files arrive in");
                }

                // A dispute log in the inbox is not lake data: it is applied to the findings after the audit.
                var all = Ingestor.ExpandPaths([options.Inbox]);
                var logs = all.Where(f => f.Error is null && f.Skip is null && DisputeLog.IsLog(f.Path)).ToList();
                var (files, skipped) = IngestOperation.SplitNotData(all.Except(logs).ToList());
                notData = [.. skipped.Select(f => f.Name)];
                if (notData.Count > 0)
                {
                    progress?.Invoke(new PipelineProgress(PipelineStage.Ingest, 0, files.Count, IngestOperation.DescribeNotData(notData), false));
                }

                var failedFiles = new List<string>();
                ingest = new IngestOperation(time).Ingest(scope, files, options.Ingest, (i, r) =>
                {
                    if (r.Outcome == FileOutcome.Failed)
                    {
                        failedFiles.Add(r.Message);
                    }

                    progress?.Invoke(new PipelineProgress(PipelineStage.Ingest, i + 1, files.Count, r.Message, r.Outcome == FileOutcome.Failed));
                }, Stage(PipelineStage.Ingest), cancellationToken);

                cancellationToken.ThrowIfCancellationRequested();
                if (ingest.Failed > 0 && !options.AuditAfterFailedIngest)
                {
                    // An audit over a lake that misses part of tonight's files finds "money" that is only missing data.
                    scope.Outcome = RunOutcome.Failed;
                    scope.Message = string.Create(CultureInfo.InvariantCulture,
                        $"{ingest.Failed} files failed to ingest, so the audit and the report did not run: the findings stay those of the last complete run. First: {failedFiles[0]}. Fix or remove the file and run again, or audit anyway with --audit-anyway.");
                    progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, scope.Message, true));
                    return null;
                }

                progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, "auditing", false));
                audit = new AuditOperation(time).Audit(scope, options.Audit with
                {
                    DisputeLogs = [.. options.Audit.DisputeLogs, .. logs.Select(l => (l.Path, l.Name))],
                }, Stage(PipelineStage.Audit));
                foreach (var log in audit.DisputeLogs)
                {
                    progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, DescribeLog(log), false));
                    foreach (var reject in log.Rejected)
                    {
                        progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, reject.Message, true));
                    }
                }

                if (audit.Reconciled.Applied.Count + audit.Reconciled.Confirmed.Count + audit.Reconciled.Proposed.Count > 0)
                {
                    progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, DescribeReconciled(audit.Reconciled), false));
                }
                foreach (var (file, error) in audit.BrokenRuleFiles)
                {
                    progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, $"rule file skipped: {file}: {error}", true));
                }

                foreach (var rule in audit.Rules)
                {
                    progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 1, 1, Describe(rule), rule.Error is not null || rule.Skipped > 0));
                    foreach (var gap in rule.NotJudged)
                    {
                        progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 1, 1, $"{rule.RuleId,-26} {gap}", false));
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(new PipelineProgress(PipelineStage.Report, 0, 1, "writing the report", false));
                (report, warnings, repeated) = WriteReport(scope, options, progress, Stage(PipelineStage.Report));
                progress?.Invoke(new PipelineProgress(PipelineStage.Report, 1, 1, $"report: {report}", false));

                var failedRules = audit.Rules.Count(r => r.Error is not null) + audit.BrokenRuleFiles.Count;
                if (ingest.Failed + failedRules > 0)
                {
                    var firstProblem = failedFiles.Count > 0 ? failedFiles[0]
                        : audit.BrokenRuleFiles.Count > 0 ? audit.BrokenRuleFiles[0].Error
                        : audit.Rules.Where(r => r.Error is not null).Select(r => $"{r.RuleId}: {r.Error}").FirstOrDefault();
                    scope.Outcome = RunOutcome.Failed;
                    scope.Message = string.Create(CultureInfo.InvariantCulture, $"{ingest.Failed} files failed, {failedRules} rules failed; first: {firstProblem}");
                }

                return report;
            },
            cancellationToken);
        return new PipelineResult(run.RunId, run.Outcome, run.StartedAt, run.FinishedAt, ingest, audit, report, run.InterruptedRuns, run.Message)
        {
            NotData = notData,
            ReportWarnings = warnings,
            RepeatedWarnings = repeated,
        };
    }

    /// <summary>
    /// The report step: the whole report set (report.html, workbook, CSVs, dispute packs, proposal, tenant sets). A
    /// warning the previous run of the same name gave word for word (an exchange rate still missing) is recorded but
    /// not reported again as a problem: a nightly log that repeats the same warning every night teaches people to
    /// skip warnings.
    /// </summary>
    /// <returns>The absolute path of the report's main file (report.html), its warnings, and how many repeated the previous run's.</returns>
    private (string Report, IReadOnlyList<string> Warnings, (int, string)? Repeated) WriteReport(
        RunScope scope, PipelineOptions options, Action<PipelineProgress>? progress, IProgress<WorkProgress>? work)
    {
        var result = new ReportOperation(time).Write(scope.Lake, options.Out, options.Report with { Tenant = null }, work);
        scope.Warnings = result.Warnings;
        var previous = scope.Lake.Catalog.PreviousWarnings(options.Name, scope.RunId);
        var before = (previous?.Warnings ?? string.Empty).Split('\n').ToHashSet(StringComparer.Ordinal);
        var same = 0;
        foreach (var warning in result.Warnings)
        {
            if (before.Contains(warning))
            {
                same++;
                continue;
            }

            progress?.Invoke(new PipelineProgress(PipelineStage.Report, 0, 1, $"report: {warning}", true));
        }

        return (Path.GetFullPath(result.ReportPath), result.Warnings, same > 0 ? (same, previous!.Value.RunId) : null);
    }

    /// <summary>The line that says repeated report warnings were left out, e.g. <c>report: 1 warning as in run run-2026...; not repeated (tem sql: SELECT warnings FROM runs)</c>.</summary>
    public static string? DescribeRepeated(PipelineResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.RepeatedWarnings is { } r
            ? string.Create(CultureInfo.InvariantCulture,
                $"report: {r.Count} {(r.Count == 1 ? "warning" : "warnings")} unchanged since run {r.RunId}, not repeated (tem sql: SELECT warnings FROM runs)")
            : null;
    }

    /// <summary>A rule's result as one line: findings and time, or why it failed.</summary>
    public static string Describe(RuleRun rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Error is not null)
        {
            return $"{rule.RuleId,-26} FAILED ({rule.Source}): {rule.Error}";
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{rule.RuleId,-26} {rule.Findings,5} {(rule.Findings == 1 ? "finding " : "findings")}  {rule.Elapsed.TotalMilliseconds,7:0} ms");
        return rule.Skipped > 0
            ? line + string.Create(CultureInfo.InvariantCulture, $"; {rule.Skipped} rows skipped: {rule.SkippedReason}")
            : line;
    }

    /// <summary>A dispute log's counts as a line: <c>disputes.csv: dispute log: read 6 / applied 6 / already recorded 0 / rejected 0</c>.</summary>
    public static string DescribeLog(DisputeLogResult log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return string.Create(CultureInfo.InvariantCulture,
            $"{log.File}: dispute log: read {log.Rows} / applied {log.Applied} / already recorded {log.Unchanged} / rejected {log.Rejected.Count}");
    }

    /// <summary>What the reconciliation with the bills did, as a line.</summary>
    public static string DescribeReconciled(ReconcileResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return string.Create(CultureInfo.InvariantCulture,
            $"bills: {r.Applied.Count} credits matched to claims{(r.Applied.Count == 0 ? string.Empty : " (" + string.Join(", ", r.Applied.GroupBy(a => a.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Sum(a => a.Credit):0.00}")) + ")")}, {r.Confirmed.Count} savings confirmed, {r.Proposed.Count} matches to confirm (tem disputes matches)");
    }

    /// <summary>
    /// One currency's money as a line: validated found money first, then what came back, what is still to investigate
    /// and a reseller's own revenue, e.g. <c>EUR: 6 findings, one-time 254.92 + 12 x monthly 54.78 = found money 912.29;
    /// realised 0.00; potential 196.54 to investigate</c>.
    /// </summary>
    public static string Describe(CurrencyMoney t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var v = t.Validated;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{t.Currency.Code}: {v.Findings} findings, one-time {v.OneTime:0.00} + 12 x monthly {v.MonthlySavings:0.00} = found money {v.FoundMoney:0.00}; realised {t.Realised.Total:0.00}; potential {t.Potential.FoundMoney:0.00} to investigate");
        return t.Reseller.Findings > 0
            ? line + string.Create(CultureInfo.InvariantCulture, $"; reseller revenue {t.Reseller.FoundMoney:0.00}")
            : line;
    }

    /// <summary>One currency's money for <c>--json</c> (snake_case by the writer): the validated totals at the top, then the other kinds.</summary>
    public static object Json(CurrencyMoney t)
    {
        ArgumentNullException.ThrowIfNull(t);
        static object Kind(FoundMoneyTotal k) => new { k.Findings, k.OneTime, k.MonthlySavings, k.FoundMoney };
        return new
        {
            Currency = t.Currency.Code,
            t.Validated.Findings,
            t.Validated.OneTime,
            t.Validated.MonthlySavings,
            t.Validated.FoundMoney,
            Potential = Kind(t.Potential),
            ResellerRevenue = Kind(t.Reseller),
            Realised = new { t.Realised.Findings, t.Realised.Credited, t.Realised.MonthlySavings, t.Realised.Total },
        };
    }
}
