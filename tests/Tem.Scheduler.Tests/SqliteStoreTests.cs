using Microsoft.Extensions.Hosting;
using Quartz;
using Tem.Lake;
using Tem.SampleData;

namespace Tem.Scheduler.Tests;

/// <summary>The scheduler host on its default SQLite job store: what survives a restart.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempFolder _dir = new("tem-sqlite");

    public void Dispose() => _dir.Dispose();

    private SchedulerConfig Config(string cron) => new()
    {
        SchedulerName = "tem-" + Guid.NewGuid().ToString("N")[..8],
        InstanceId = "test-node",
        Store = new JobStoreConfig { Kind = JobStoreKind.Sqlite, Path = _dir.Sub("schedule.db"), MisfireThreshold = TimeSpan.FromSeconds(1) },
        Pipelines =
        [
            new PipelineSchedule { Name = "nightly", Cron = cron, Inbox = _dir.Sub("inbox"), Lake = _dir.Sub("lake"), Out = _dir.Sub("out") },
        ],
    };

    [Fact]
    public async Task Restart_AfterAFireWasMissedWhileDown_RunsThePipelineOnceFromTheStoredTrigger()
    {
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 9 }, _dir.Sub("inbox"));

        // Fires once a minute, at a second a few seconds ahead. The first host only stores the job and trigger, as its
        // start would, without starting its scheduler, so it cannot fire before it is gone however slow the machine.
        var second = (DateTime.UtcNow.Second + 10) % 60;
        var config = Config($"{second} * * * * ?");
        DateTimeOffset? due;
        using (var first = SchedulerHost.Build(config))
        {
            var scheduler = (IScheduler)first.Services.GetService(typeof(IScheduler))!;
            var pipeline = config.Pipelines[0];
            await scheduler.ScheduleJob(SchedulerHost.JobFor(pipeline), [SchedulerHost.TriggerFor(pipeline, TimeProvider.System)], new ScheduleJobOptions { Replace = true });
            due = (await scheduler.GetTrigger(new TriggerKey("nightly", "tem")))!.NextFireTimeUtc;
            await scheduler.Shutdown();
        }

        Assert.NotNull(due);
        Assert.True(File.Exists(_dir.Sub("schedule.db")));
        Assert.Empty(Runs());

        // Down past the fire time and the misfire threshold.
        var wait = due.Value - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2.5);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        using var restarted = SchedulerHost.Build(config);
        var executed = JobsExecuted.On((IScheduler)restarted.Services.GetService(typeof(IScheduler))!);
        await restarted.StartAsync();
        var ran = await executed.WaitAsync(1);
        await restarted.StopAsync();

        Assert.True(ran, "the missed fire did not run after the restart");
        var runs = Runs();
        var run = Assert.Single(runs);
        Assert.Equal("nightly", run.Command);
        Assert.True(run.Outcome == Tem.Core.RunOutcome.Ok, $"{run.Outcome}: {run.Message}");
        Assert.True(run.StartedAt < due.Value + TimeSpan.FromSeconds(55), "the run is the missed fire run at once, not the next minute's");
        Assert.True(run.RowsStored > 0);
    }

    [Fact]
    public async Task Restart_WithTheSameCron_KeepsTheStoredTriggerAndItsFireHistory()
    {
        Directory.CreateDirectory(_dir.Sub("inbox"));
        var config = Config("0/1 * * * * ?");
        using (var first = SchedulerHost.Build(config))
        {
            var executed = JobsExecuted.On((IScheduler)first.Services.GetService(typeof(IScheduler))!);
            await first.StartAsync();
            Assert.True(await executed.WaitAsync(1), "the pipeline never ran");
            await first.StopAsync();
        }

        using var restarted = SchedulerHost.Build(config);
        var scheduler = (IScheduler)restarted.Services.GetService(typeof(IScheduler))!;
        var stored = await scheduler.GetTrigger(new TriggerKey("nightly", "tem"));
        Assert.NotNull(stored);
        Assert.NotNull(stored.PreviousFireTimeUtc);
        await restarted.StartAsync();
        var after = await scheduler.GetTrigger(new TriggerKey("nightly", "tem"));
        Assert.Equal(stored.StartTimeUtc, after!.StartTimeUtc);
        await restarted.StopAsync();

        // No two runs of the pipeline overlapped, although the cron fires every second.
        var runs = Runs().Where(r => r.FinishedAt is not null).OrderBy(r => r.StartedAt).ToList();
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].StartedAt >= runs[i - 1].FinishedAt, $"run {runs[i].RunId} started before {runs[i - 1].RunId} finished");
        }
    }

    private IReadOnlyList<RunRecord> Runs() => LakeRuns.Of(_dir.Sub("lake"));
}
