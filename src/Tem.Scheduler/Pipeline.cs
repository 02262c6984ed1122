using DuckDB.NET.Data;
using System.Globalization;
using Tem.Audit;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;
using Tem.Reports;

namespace Tem.Scheduler;

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

    /// <summary>How long to wait for another writer of the same lake to finish before giving up (outcome <c>locked</c>).</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.Zero;

    /// <summary>Ingest settings.</summary>
    public IngestOptions Ingest { get; init; } = new();

    /// <summary>Audit settings.</summary>
    public AuditOptions Audit { get; init; } = new();

    /// <summary>Who runs it, written beside the lake's write lock for people (host and process by default).</summary>
    public string? Holder { get; init; }
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
/// <param name="Outcome"><c>ok</c>; <c>failed</c> (a file or rule failed: see the progress reports); <c>locked</c> (another writer held the lake, nothing ran); <c>cancelled</c>.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC).</param>
/// <param name="Ingest">Ingest totals.</param>
/// <param name="Audit">The audit's result; null when the run stopped before it.</param>
/// <param name="ReportPath">The report's main file; null when the run stopped before it.</param>
/// <param name="InterruptedRuns">Earlier runs whose process died, closed by this one (it completed what they left).</param>
/// <param name="Message">Why it failed, was locked or cancelled.</param>
public sealed record PipelineResult(
    string RunId, string Outcome, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, IngestTotals Ingest, AuditResult? Audit,
    string? ReportPath, IReadOnlyList<string> InterruptedRuns, string? Message)
{
    /// <summary>Found money of the open findings per currency (empty when the run did not audit).</summary>
    public IReadOnlyList<FoundMoneyTotal> Totals => Audit?.Totals ?? [];

    /// <summary>Open (not resolved) findings after the audit.</summary>
    public int OpenFindings => Audit?.Findings.Count(f => f.Status != FindingStatus.Resolved) ?? 0;

    /// <summary>True when everything ran and nothing failed.</summary>
    public bool Succeeded => Outcome == "ok";
}

/// <summary>
/// One nightly run, the same for <c>tem run</c>, <c>tem demo</c> and the scheduler's job: take the lake's write
/// lock, complete whatever a crashed run left (interrupted commits, runs left open), ingest everything new in the
/// inbox, audit, write the report folder, and record the run (start, end, files, rows, findings, outcome) in the
/// catalog. A crash at any point leaves the lake consistent: each file is committed whole or not at all, findings
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
        var started = time.GetUtcNow();
        var runId = options.Name + "-" + started.ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture);
        var noFiles = new IngestTotals(0, 0, 0, 0, 0);
        var lakeRoot = Path.GetFullPath(options.Lake);
        var holder = options.Holder ?? $"{runId} on {Environment.MachineName} (pid {Environment.ProcessId})";
        using var writeLock = LakeWriteLock.TryAcquire(lakeRoot, holder, options.LockWait, time, out var lockedBy, cancellationToken);
        if (writeLock is null)
        {
            return new PipelineResult(runId, "locked", started, time.GetUtcNow(), noFiles, null, null, [], LakeWriteLock.LockedMessage(lakeRoot, lockedBy));
        }

        // Opening the lake under the lock completes commits a crashed run left half done.
        var lake = TemLake.Open(lakeRoot);
        lake.Catalog.StartRun(runId, options.Name, started);
        var interrupted = lake.Catalog.CloseInterruptedRuns(runId, started);
        var ingest = noFiles;
        AuditResult? audit = null;
        string? report = null;
        try
        {
            if (!Directory.Exists(options.Inbox))
            {
                throw new DirectoryNotFoundException($"the inbox {Path.GetFullPath(options.Inbox)} does not exist; create it or point --inbox at the folder carriers' files arrive in");
            }

            var files = Ingestor.ExpandPaths([options.Inbox]);
            var ingestor = new Ingestor(lake, time, options.Ingest);
            var failedFiles = new List<string>();
            ingest = ingestor.IngestFiles(files, runId, (i, r) =>
            {
                if (r.Outcome == FileOutcome.Failed)
                {
                    failedFiles.Add(r.Message);
                }

                progress?.Invoke(new PipelineProgress(PipelineStage.Ingest, i + 1, files.Count, r.Message, r.Outcome == FileOutcome.Failed));
            }, cancellationToken);

            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke(new PipelineProgress(PipelineStage.Audit, 0, 1, "auditing", false));
            audit = new AuditEngine(lake, time).Run(options.Audit, runId);
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
            report = WriteReport(lake, options.Out, progress);
            progress?.Invoke(new PipelineProgress(PipelineStage.Report, 1, 1, $"report: {report}", false));

            var failures = ingest.Failed + audit.Rules.Count(r => r.Error is not null) + audit.BrokenRuleFiles.Count;
            var outcome = failures == 0 ? "ok" : "failed";
            var firstProblem = failedFiles.Count > 0 ? failedFiles[0]
                : audit.BrokenRuleFiles.Count > 0 ? audit.BrokenRuleFiles[0].Error
                : audit.Rules.Where(r => r.Error is not null).Select(r => $"{r.RuleId}: {r.Error}").FirstOrDefault();
            var message = failures == 0 ? null : string.Create(CultureInfo.InvariantCulture,
                $"{ingest.Failed} files failed, {audit.Rules.Count(r => r.Error is not null) + audit.BrokenRuleFiles.Count} rules failed; first: {firstProblem}");
            var finished = time.GetUtcNow();
            var result = new PipelineResult(runId, outcome, started, finished, ingest, audit, report, interrupted, message);
            Finish(lake, result);
            return result;
        }
        catch (OperationCanceledException)
        {
            Finish(lake, new PipelineResult(runId, "cancelled", started, time.GetUtcNow(), ingest, audit, report, interrupted,
                "stopped before it finished (the host was shutting down); the next run goes on from here"));
            throw;
        }
        catch (Exception e) when (e is InfrastructureException or IOException or UnauthorizedAccessException or DuckDBException)
        {
            var result = new PipelineResult(runId, "failed", started, time.GetUtcNow(), ingest, audit, report, interrupted, e.Message);
            Finish(lake, result);
            return result;
        }
    }

    /// <summary>The report step: the whole report set (report.html, workbook, CSVs, dispute packs, proposal, tenant sets).</summary>
    /// <returns>The absolute path of the report's main file (report.html).</returns>
    private string WriteReport(TemLake lake, string outDir, Action<PipelineProgress>? progress)
    {
        var result = ReportWriter.Write(lake, outDir, new ReportOptions(), time);
        foreach (var warning in result.Warnings)
        {
            progress?.Invoke(new PipelineProgress(PipelineStage.Report, 0, 1, $"report: {warning}", true));
        }

        return Path.GetFullPath(result.ReportPath);
    }

    private static void Finish(TemLake lake, PipelineResult r)
    {
        lake.Catalog.FinishRun(r.RunId, r.FinishedAt, r.Outcome, r.Ingest.Files, r.Ingest.Read, r.Ingest.Stored, r.Ingest.Rejected, r.Message,
            r.Audit is null ? null : r.OpenFindings);
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
