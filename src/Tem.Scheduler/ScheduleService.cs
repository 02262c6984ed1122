using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tem.Core;
using Quartz;

namespace Tem.Scheduler;

/// <summary>
/// Starts and stops the Quartz scheduler with the host. On start it brings the store's jobs and triggers in line with
/// the configuration, touching only what changed: a trigger whose cron is unchanged is left as stored, so a fire
/// missed while the host was down is still known and runs once (misfire: fire once now).
/// </summary>
internal sealed partial class ScheduleService(IScheduler scheduler, SchedulerConfig config, TimeProvider time, ILogger<ScheduleService> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var p in config.Pipelines)
        {
            var job = SchedulerHost.JobFor(p);
            var trigger = SchedulerHost.TriggerFor(p, time);
            var stored = await scheduler.GetTrigger(trigger.Key, cancellationToken).ConfigureAwait(false) as ICronTrigger;
            var storedJob = await scheduler.GetJobDetail(job.Key, cancellationToken).ConfigureAwait(false);
            var wanted = (ICronTrigger)trigger;
            if (stored is not null && storedJob is not null && stored.CronExpressionString == wanted.CronExpressionString &&
                stored.TimeZone.Id == wanted.TimeZone.Id && SameData(storedJob.JobDataMap, job.JobDataMap))
            {
                var nextStored = LogTime.Format(stored.NextFireTimeUtc);
                Kept(log, p.Name, p.Cron, nextStored);

                continue;
            }

            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
            var next = (await scheduler.GetTrigger(trigger.Key, cancellationToken).ConfigureAwait(false))?.NextFireTimeUtc;
            var nextRun = LogTime.Format(next);
            Scheduled(log, p.Name, p.Cron, nextRun);
        }

        await scheduler.Start(cancellationToken).ConfigureAwait(false);
        var store = config.Store.Kind.ToString().ToLowerInvariant();
        Running(log, scheduler.SchedulerName, scheduler.SchedulerInstanceId, store);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Stopping(log);
        await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).ConfigureAwait(false);
    }

    private static bool SameData(JobDataMap a, JobDataMap b) =>
        a.Count == b.Count && b.Keys.All(k => a.ContainsKey(k) && Equals(a.GetString(k), b.GetString(k)));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: cron '{Cron}' as stored, next run {Next}")]
    private static partial void Kept(ILogger logger, string pipeline, string cron, string next);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: scheduled on cron '{Cron}', next run {Next}")]
    private static partial void Scheduled(ILogger logger, string pipeline, string cron, string next);

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduler {Name} running as node {Node} on the {Store} job store; stop with Ctrl+C or SIGTERM")]
    private static partial void Running(ILogger logger, string name, string node, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: running pipelines end at the next file and are recorded as cancelled")]
    private static partial void Stopping(ILogger logger);
}
