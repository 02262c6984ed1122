using Tem.Audit;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Quartz;
using Tem.App;
using Tem.Core;

namespace Tem.Scheduler;

/// <summary>
/// The Quartz job that runs one <see cref="Pipeline"/>: its job data holds the inbox, lake and report folders.
/// Never two at once for the same pipeline (<see cref="DisallowConcurrentExecutionAttribute"/>, which a cluster
/// honours across nodes); two pipelines on one lake take turns through the lake's write lock.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PipelineJob(ILogger<PipelineJob> log, TimeProvider time) : IJob
{
    /// <summary>Job data key: the inbox folder.</summary>
    public const string InboxKey = "inbox";

    /// <summary>Job data key: the lake folder.</summary>
    public const string LakeKey = "lake";

    /// <summary>Job data key: the report folder.</summary>
    public const string OutKey = "out";

    /// <summary>Job data key: how long to wait for the lake's write lock, in seconds.</summary>
    public const string LockWaitKey = "lockWaitSeconds";

    /// <summary>Job data key: <c>true</c> to audit and report even when a file failed to ingest.</summary>
    public const string AuditAnywayKey = "auditAnyway";

    /// <summary>Job data key: DuckDB's memory limit for the run's ingest and audit.</summary>
    public const string MemoryLimitKey = "memoryLimit";

    /// <summary>Job data key: the contingency fee (percent) of the run's report.</summary>
    public const string ContingencyFeeKey = "contingencyFee";

    /// <summary>Job data key: the follow-up days of the run's report.</summary>
    public const string FollowUpDaysKey = "followUpDays";

    /// <summary>Job data key: a settings file laid over the lake's <c>tem.json</c>, read at every run.</summary>
    public const string SettingsFileKey = "settingsFile";

    /// <summary>Job data key: settings embedded in the configuration (<see cref="TemSettings"/> as JSON), laid over the lake's <c>tem.json</c>.</summary>
    public const string SettingsKey = "settings";

    /// <summary>Job data key: the pipeline's ingest settings (<see cref="IngestSettings"/> as JSON), when it has any.</summary>
    public const string IngestKey = "ingest";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var map = context.MergedJobDataMap;
        var name = context.JobDetail.Key.Name;
        Tem.Ingest.IngestOptions ingest;
        try
        {
            // Profiles are read at every fire, so an edited profile takes effect on the next run without a restart.
            ingest = map.GetString(IngestKey) is { } json ? IngestSettings.FromJobData(json).ToOptions() : new Tem.Ingest.IngestOptions();
        }
        catch (Exception e) when (e is InputDataException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Problem(log, name, $"run skipped: its ingest settings cannot be used: {e.Message}");
            return;
        }

        var lake = map.GetString(LakeKey) ?? throw new InvalidOperationException($"job {name} has no '{LakeKey}' in its data");
        EffectiveSettings settings;
        try
        {
            // Read at every fire, like the profiles: tuning saved into the lake's tem.json applies from the next run on.
            settings = EffectiveSettings.ForLake(lake, [.. Layers(map, name)]);
        }
        catch (Exception e) when (e is InputDataException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Problem(log, name, $"run skipped: its settings cannot be used: {e.Message}");
            return;
        }

        var options = new PipelineOptions
        {
            Name = name,
            Inbox = map.GetString(InboxKey) ?? throw new InvalidOperationException($"job {name} has no '{InboxKey}' in its data"),
            Lake = lake,
            Out = map.GetString(OutKey) ?? throw new InvalidOperationException($"job {name} has no '{OutKey}' in its data"),
            LockWait = TimeSpan.FromSeconds(double.Parse(map.GetString(LockWaitKey) ?? "0", CultureInfo.InvariantCulture)),
            Ingest = ingest with { MemoryLimit = settings.MemoryLimit },
            Audit = settings.ToAuditOptions(),
            AuditAfterFailedIngest = map.GetString(AuditAnywayKey) == "true",
            Report = settings.ToReportOptions(),
            Settings = settings.ToJson(),
            Holder = $"{name} fire {context.FireInstanceId} on {context.Scheduler.SchedulerInstanceId} (pid {Environment.ProcessId})",
        };

        var scheduled = LogTime.Format(context.ScheduledFireTimeUtc);
        Started(log, name, scheduled, context.Scheduler.SchedulerInstanceId, context.Recovering ? " (recovering a run a dead node or process left)" : string.Empty);

        // The pipeline is synchronous (DuckDB calls); it runs on a worker thread and checks the token between files.
        var result = await Task.Run(
            () => new Pipeline(time).Run(options, p =>
            {
                if (p.IsProblem)
                {
                    Problem(log, name, p.Message);
                }
                else if (p.Stage == PipelineStage.Ingest)
                {
                    Step(log, name, p.Message);
                }
            }, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);

        foreach (var interrupted in result.InterruptedRuns)
        {
            Problem(log, name, $"run {interrupted} had been interrupted (its process died); this run completed the lake");
        }

        if (!log.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var outcome = WireNames.ToWire(result.Outcome);
        Finished(log, name, result.RunId, outcome, result.Ingest.Files, result.Ingest.Read, result.Ingest.Stored, result.Ingest.Rejected,
            result.OpenFindings, result.ReportPath ?? "-", result.Message ?? string.Empty);
        foreach (var t in result.Totals)
        {
            var line = Pipeline.Describe(t);
            Money(log, name, line);
        }

        if (Pipeline.DescribeRepeated(result) is { } repeated)
        {
            Step(log, name, repeated);
        }
    }

    /// <summary>The pipeline's layers over the lake's tem.json: its settings file, its embedded settings, its own keys (also those stored by older versions).</summary>
    private static IReadOnlyList<SettingsLayer> Layers(JobDataMap map, string name) =>
        PipelineSchedule.Layers(
            name,
            map.GetString(SettingsFileKey),
            map.GetString(SettingsKey) is { } json ? SettingsFile.FromJson(json) : null,
            map.GetString(MemoryLimitKey) is { Length: > 0 } m ? m : null,
            map.GetString(ContingencyFeeKey) is { } f ? decimal.Parse(f, CultureInfo.InvariantCulture) : null,
            map.GetString(FollowUpDaysKey) is { } d ? int.Parse(d, CultureInfo.InvariantCulture) : null);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: run starting (scheduled {Scheduled}, node {Node}){Recovering}")]
    private static partial void Started(ILogger logger, string pipeline, string scheduled, string node, string recovering);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: {Line}")]
    private static partial void Step(ILogger logger, string pipeline, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pipeline}: {Line}")]
    private static partial void Problem(ILogger logger, string pipeline, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: {Line}")]
    private static partial void Money(ILogger logger, string pipeline, string line);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Pipeline}: run {RunId} {Outcome}: {Files} files, read {Read} / stored {Stored} / rejected {Rejected} rows, {Findings} open findings, report {Report} {Message}")]
    private static partial void Finished(
        ILogger logger, string pipeline, string runId, string outcome, int files, long read, long stored, long rejected, int findings, string report, string message);
}
