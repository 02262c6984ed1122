using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;

namespace Tem.Scheduler.Tests;

/// <summary>
/// Runs only where a PostgreSQL server is reachable: <c>TEM_TEST_POSTGRES</c> holds its connection string
/// (.ci/run starts one). Outside CI without it the test is skipped with this message; under CI it runs and fails.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TEM_TEST_POSTGRES")) &&
            string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "No PostgreSQL server: set TEM_TEST_POSTGRES to an Npgsql connection string " +
                   "(eval \"$(bash .ci/postgres.sh start /tmp/tem-pg)\" starts one) to run the cluster test.";
        }
    }
}

/// <summary>Records every execution of a test job: which node ran which scheduled fire, and whether it was a recovery.</summary>
public sealed class FireLog
{
    public ConcurrentQueue<(string Node, DateTimeOffset? Scheduled, string Job, bool Recovering)> Fires { get; } = new();

    public SemaphoreSlim Release { get; } = new(0);

    public TaskCompletionSource BlockingStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A quick job: records its fire.</summary>
public sealed class RecordingJob(FireLog log) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        log.Fires.Enqueue((context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc, context.JobDetail.Key.Name, context.Recovering));
        return ValueTask.CompletedTask;
    }
}

/// <summary>A long job that asks for recovery: on its first node it blocks, as a node that dies mid-run would leave it.</summary>
public sealed class BlockingJob(FireLog log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        log.Fires.Enqueue((context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc, context.JobDetail.Key.Name, context.Recovering));
        if (!context.Recovering)
        {
            log.BlockingStarted.TrySetResult();

            // Ignores the token on purpose: a dead node's job does not get to say goodbye.
            await log.Release.WaitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        }
    }
}

/// <summary>Two scheduler hosts in one process sharing a PostgreSQL job store as a Quartz cluster.</summary>
public sealed class PostgresClusterTests
{
    private static string ConnectionString() =>
        Environment.GetEnvironmentVariable("TEM_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("CI is set but TEM_TEST_POSTGRES is not: .ci/run should have started PostgreSQL and exported it.");

    private static IHost Node(string cluster, string node, FireLog log) =>
        SchedulerHost.Build(
            new SchedulerConfig
            {
                SchedulerName = cluster,
                InstanceId = node,
                Store = new JobStoreConfig
                {
                    Kind = JobStoreKind.Postgres, ConnectionString = ConnectionString(), Clustered = true,
                    CheckinInterval = TimeSpan.FromSeconds(1), CheckinMisfireThreshold = TimeSpan.FromSeconds(2),
                    MisfireThreshold = TimeSpan.FromSeconds(30),
                },

                // The cluster test schedules its own jobs; one pipeline keeps the configuration valid and never fires.
                Pipelines = [new PipelineSchedule { Name = "idle", Cron = "0 0 0 1 1 ? 2099", Inbox = "in", Lake = "lake", Out = "out" }],
            },
            services =>
            {
                services.AddSingleton(log);
                services.AddTransient<RecordingJob>();
                services.AddTransient<BlockingJob>();
            });

    private static IScheduler SchedulerOf(IHost host) => host.Services.GetRequiredService<IScheduler>();

    [PostgresFact]
    public async Task Cluster_RepeatingTrigger_EachFireRunsOnExactlyOneNode()
    {
        var cluster = "tem-cluster-" + Guid.NewGuid().ToString("N")[..8];
        var log = new FireLog();
        using var a = Node(cluster, "node-a", log);
        using var b = Node(cluster, "node-b", log);
        await a.StartAsync();
        await b.StartAsync();
        const int fires = 12;
        var job = JobBuilder.Create<RecordingJob>().WithIdentity("tick", "test").Build();
        var trigger = TriggerBuilder.Create().WithIdentity("tick", "test").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMilliseconds(500)).WithRepeatCount(fires - 1)).Build();
        await SchedulerOf(a).ScheduleJob(job, [trigger], new ScheduleJobOptions());

        var done = await Poll.Eventually(() => log.Fires.Count(f => f.Job == "tick") >= fires, TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await b.StopAsync();
        await a.StopAsync();

        Assert.True(done, $"only {log.Fires.Count} of {fires} fires ran");
        var ticks = log.Fires.Where(f => f.Job == "tick").ToList();
        Assert.Equal(fires, ticks.Count);
        Assert.Equal(fires, ticks.Select(f => f.Scheduled).Distinct().Count());
        Assert.All(ticks, f => Assert.Contains(f.Node, new[] { "node-a", "node-b" }));
    }

    [PostgresFact]
    public async Task Cluster_NodeDiesMidJob_TheOtherNodeRecoversTheRun()
    {
        var cluster = "tem-cluster-" + Guid.NewGuid().ToString("N")[..8];
        var log = new FireLog();
        using var a = Node(cluster, "node-a", log);
        await a.StartAsync();
        var job = JobBuilder.Create<BlockingJob>().WithIdentity("long", "test").RequestRecovery(true).Build();
        var trigger = TriggerBuilder.Create().WithIdentity("long", "test").StartNow().Build();
        await SchedulerOf(a).ScheduleJob(job, [trigger], new ScheduleJobOptions());
        await log.BlockingStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Node A stops checking in without finishing its run (the job ignores cancellation), as a crashed host would.
        var stopping = SchedulerOf(a).Shutdown(waitForJobsToComplete: false);
        using var b = Node(cluster, "node-b", log);
        await b.StartAsync();
        var recovered = await Poll.Eventually(() => log.Fires.Any(f => f.Job == "long" && f.Node == "node-b"), TimeSpan.FromMinutes(5));
        log.Release.Release(2);
        await stopping;
        await b.StopAsync();

        Assert.True(recovered, "node-b never recovered node-a's run");
        var runs = log.Fires.Where(f => f.Job == "long").ToList();
        Assert.Equal("node-a", runs[0].Node);
        Assert.False(runs[0].Recovering);
        var recovery = Assert.Single(runs, f => f.Node == "node-b");
        Assert.True(recovery.Recovering);
    }

    [PostgresFact]
    public async Task Cluster_Schema_IsCreatedInPostgresOnFirstStart()
    {
        var log = new FireLog();
        using var a = Node("tem-cluster-" + Guid.NewGuid().ToString("N")[..8], "node-a", log);
        await a.StartAsync();
        await a.StopAsync();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('qrtz_triggers', 'qrtz_fired_triggers', 'qrtz_scheduler_state', 'qrtz_locks')", connection);
        Assert.Equal(4L, (long)(await cmd.ExecuteScalarAsync())!);
    }
}
