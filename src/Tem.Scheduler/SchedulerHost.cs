using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tem.Core;
using Quartz;

namespace Tem.Scheduler;

/// <summary>
/// Builds the scheduler host: a .NET Generic Host (graceful stop on SIGINT/SIGTERM) running a Quartz scheduler
/// over the configured job store, with one <see cref="PipelineJob"/> per configured pipeline on its cron.
/// </summary>
public static class SchedulerHost
{
    /// <summary>Builds (does not start) the host for <paramref name="config"/>.</summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="configureServices">Adds services (tests add their own jobs' dependencies).</param>
    /// <param name="configureQuartz">Adjusts Quartz (tests shorten cluster check-ins).</param>
    public static IHost Build(SchedulerConfig config, Action<IServiceCollection>? configureServices = null, Action<IQuartzBuilder>? configureQuartz = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The scheduler configuration is not valid: " + string.Join("; ", problems), nameof(config));
        }

        // ContentRoot is the program's folder, so no appsettings.json of the working directory slips into the host.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "tem-schedule",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = LogTime.ConsoleTimestampFormat;
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        configureServices?.Invoke(builder.Services);

        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = config.SchedulerName;
                o.InstanceId = config.InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}";

                // A stop (SIGTERM) asks running pipelines to end at the next file boundary and waits for them: the
                // run is recorded as cancelled and the next one goes on from there.
                o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            q.UseDefaultThreadPool(Math.Max(2, config.Pipelines.Count));
            switch (config.Store.Kind)
            {
                case JobStoreKind.Memory:
                    q.UseInMemoryStore();
                    break;
                case JobStoreKind.Sqlite:
                    q.UsePersistentStore(s =>
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(config.Store.Path!)!);
                        s.UseSqlite($"Data Source={config.Store.Path}");
                        ConfigureStore(s, config.Store);
                    });
                    break;
                case JobStoreKind.Postgres:
                    q.UsePersistentStore(s =>
                    {
                        s.UsePostgres(config.Store.ConnectionString!);
                        ConfigureStore(s, config.Store);
                        if (config.Store.Clustered)
                        {
                            s.UseClustering(c =>
                            {
                                c.CheckinInterval = config.Store.CheckinInterval ?? TimeSpan.FromSeconds(15);
                                c.CheckinMisfireThreshold = config.Store.CheckinMisfireThreshold ?? TimeSpan.FromSeconds(30);
                            });
                        }
                    });
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(config), config.Store.Kind, "unknown job store kind");
            }

            configureQuartz?.Invoke(q);
        });
        builder.Services.AddHostedService<ScheduleService>();
        return builder.Build();
    }

    private static void ConfigureStore(IPersistentStoreBuilder s, JobStoreConfig store)
    {
        s.UseSystemTextJsonSerializer();
        s.ConfigureStore(o =>
        {
            o.SchemaProvisioning = store.CreateSchema ? SchemaProvisioning.CreateIfMissing : SchemaProvisioning.Validate;
            o.StoreJobDataAsStrings = true;

            // A fire more than a minute late (the host was down at 02:00) counts as missed and is run once on start.
            o.MisfireThreshold = store.MisfireThreshold ?? TimeSpan.FromMinutes(1);
        });
    }

    /// <summary>The job of a pipeline, recovered by another node (or by this one on restart) if its node dies mid-run.</summary>
    public static IJobDetail JobFor(PipelineSchedule p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var job = JobBuilder.Create<PipelineJob>()
            .WithIdentity(p.Name, "tem")
            .UsingJobData(PipelineJob.InboxKey, p.Inbox)
            .UsingJobData(PipelineJob.LakeKey, p.Lake)
            .UsingJobData(PipelineJob.OutKey, p.Out)
            .UsingJobData(PipelineJob.LockWaitKey, p.LockWait.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UsingJobData(PipelineJob.AuditAnywayKey, p.AuditAnyway ? "true" : "false")
            .RequestRecovery(true)
            .StoreDurably(true);

        // Each only when set: what is not set comes from the lake's tem.json at every run.
        if (p.MemoryLimit is { } memory)
        {
            job = job.UsingJobData(PipelineJob.MemoryLimitKey, memory);
        }

        if (p.ContingencyFee is { } fee)
        {
            job = job.UsingJobData(PipelineJob.ContingencyFeeKey, fee.ToString(CultureInfo.InvariantCulture));
        }

        if (p.FollowUpDays is { } days)
        {
            job = job.UsingJobData(PipelineJob.FollowUpDaysKey, days.ToString(CultureInfo.InvariantCulture));
        }

        if (p.SettingsFile is { } file)
        {
            job = job.UsingJobData(PipelineJob.SettingsFileKey, file);
        }

        if (p.EmbeddedSettings is { } embedded)
        {
            job = job.UsingJobData(PipelineJob.SettingsKey, Tem.App.SettingsFile.ToJson(embedded));
        }

        // Only when set, so the job data of a pipeline without settings stays as stored by earlier versions.
        if (p.Ingest is { IsEmpty: false } ingest)
        {
            job = job.UsingJobData(PipelineJob.IngestKey, ingest.ToJobData());
        }

        return job.Build();
    }

    /// <summary>The cron trigger of a pipeline: a missed fire (the host was down) runs once as soon as the host is back.</summary>
    public static ITrigger TriggerFor(PipelineSchedule p, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(p);
        var cron = CronScheduleBuilder.Create(p.Cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed);
        if (p.TimeZone is not null)
        {
            cron = cron.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone));
        }

        return TriggerBuilder.Create(time)
            .WithIdentity(p.Name, "tem")
            .ForJob(p.Name, "tem")
            .WithSchedule(cron)
            .Build();
    }
}
