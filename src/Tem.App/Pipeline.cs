using System.Globalization;
using Tem.Audit;
using Tem.Core;
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
    /// <summary>Found money of the open findings per currency (empty when the run did not audit).</summary>
    public IReadOnlyList<FoundMoneyTotal> Totals => Audit?.Totals ?? [];

    /// <summary>Open (not resolved) findings after the audit.</summary>
    public int OpenFindings => Audit is null ? 0 : AuditOperation.OpenFindings(Audit);

    /// <summary>True when everything ran and nothing failed.</summary>
    public bool Succeeded => Outcome == RunOutcome.Ok;
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
    /// <exception cref="OperationCanceledException">The token was cancelled; the run is recorded as <c>cancelled</c>.</exception>
    public PipelineResult Run(PipelineOptions options, Action<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        IngestTotals ingest = new(0, 0, 0, 0, 0);
        AuditResult? audit = null;
        string? report = null;
        var run = LakeOperation.Run(
            new LakeOperationOptions { Lake = options.Lake, Command = options.Name, LockWait = options.LockWait, Holder = options.Holder },
            time,
            scope =>
            {
                if (!Directory.Exists(options.Inbox))
                {
                    throw new DirectoryNotFoundException($"the inbox {Path.GetFullPath(options.Inbox)} does not exist; create it or point --inbox at the folder carriers' files arrive in");
                }

                var files = Ingestor.ExpandPaths([options.Inbox]);
                var failedFiles = new List<string>();
                ingest = new IngestOperation(time).Ingest(scope, files, options.Ingest, (i, r) =>
                {
                    if (r.Outcome == FileOutcome.Failed)
                    {
                        failedFiles.Add(r.Message);
                    }

                    progress?.Invoke(new PipelineProgress(PipelineStage.Ingest, i + 1, files.Count, r.Message, r.Outcome == FileOutcome.Failed));
                }, cancellationToken);

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
                audit = new AuditOperation(time).Audit(scope, options.Audit);
                foreach (var (file, error) in audit.BrokenRuleFiles)
                {
                    progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, $"rule file skipped: {file}: {error}", true));
                }

                foreach (var rule in audit.Rules)
                {
                    progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 1, 1, Describe(rule), rule.Error is not null || rule.Skipped > 0));
                }

                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(new PipelineProgress(PipelineStage.Report, 0, 1, "writing the report", false));
                report = WriteReport(scope, options.Out, progress);
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
        return new PipelineResult(run.RunId, run.Outcome, run.StartedAt, run.FinishedAt, ingest, audit, report, run.InterruptedRuns, run.Message);
    }

    /// <summary>The report step: the whole report set (report.html, workbook, CSVs, dispute packs, proposal, tenant sets).</summary>
    /// <returns>The absolute path of the report's main file (report.html).</returns>
    private string WriteReport(RunScope scope, string outDir, Action<PipelineProgress>? progress)
    {
        var result = new ReportOperation(time).Write(scope.Lake, outDir, new ReportOptions());
        foreach (var warning in result.Warnings)
        {
            progress?.Invoke(new PipelineProgress(PipelineStage.Report, 0, 1, $"report: {warning}", true));
        }

        return Path.GetFullPath(result.ReportPath);
    }

    /// <summary>A rule's result as one line: findings and time, or why it failed.</summary>
    public static string Describe(RuleRun rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Error is not null)
        {
            return $"{rule.RuleId,-26} FAILED ({rule.Source}): {rule.Error}";
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{rule.RuleId,-26} {rule.Findings,5} findings  {rule.Elapsed.TotalMilliseconds,7:0} ms");
        return rule.Skipped > 0
            ? line + string.Create(CultureInfo.InvariantCulture, $"; {rule.Skipped} rows skipped: {rule.SkippedReason}")
            : line;
    }

    /// <summary>One currency's found money as a line: <c>EUR: 6 findings, one-time 254.92 + 12 x monthly 54.78 = found money 912.29</c>.</summary>
    public static string Describe(FoundMoneyTotal t) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{t.Currency.Code}: {t.Findings} findings, one-time {t.OneTime:0.00} + 12 x monthly {t.MonthlySavings:0.00} = found money {t.FoundMoney:0.00}");
}
