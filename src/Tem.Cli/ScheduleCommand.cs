using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Tem.App;
using Tem.Core;
using Tem.Scheduler;

namespace Tem.Cli;

/// <summary>
/// <c>tem schedule --config FILE</c>, or for one pipeline <c>tem schedule --cron "0 0 2 * * ?" --inbox DIR --lake DIR
/// --out DIR [--job-store FILE]</c>: the scheduler host, running until SIGINT/SIGTERM.
/// </summary>
internal static class ScheduleCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<string?>("--config") { Description = "JSON configuration: job store and pipelines (see README, 'Nightly runs')." };
        var cron = new Option<string?>("--cron") { Description = "Quartz cron with seconds for a single pipeline, e.g. \"0 0 2 * * ?\" (02:00 daily)." };
        var inbox = new Option<string?>("--inbox") { Description = "Single pipeline: the inbox folder." };
        var lake = new Option<string>("--lake") { Description = "Single pipeline: the lake folder.", DefaultValueFactory = _ => "tem-lake" };
        var outDir = new Option<string>("--out") { Description = "Single pipeline: the report folder.", DefaultValueFactory = _ => "tem-out" };
        var store = new Option<string?>("--job-store") { Description = "Single pipeline: the SQLite job store file (default: LAKE/_tem/schedule.db)." };
        var name = new Option<string>("--name") { Description = "Single pipeline: its name in the job store and the run history.", DefaultValueFactory = _ => "nightly" };
        var zone = new Option<string?>("--time-zone") { Description = "Single pipeline: the zone the cron is read in (IANA id; default: the host's)." };
        var check = new Option<bool>("--check") { Description = "Validate the configuration, print the pipelines and their next runs, and stop." };
        var command = new Command("schedule", "The scheduler host: runs the pipelines (ingest the inbox, audit, report) on their cron until stopped (Ctrl+C, SIGTERM).")
        {
            config, cron, inbox, lake, outDir, store, name, zone, check,
        };
        var formats = new IngestFormatOptions();
        formats.AddTo(command);
        var settingsOptions = SettingsOptions.All();
        settingsOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            SchedulerConfig settings;
            try
            {
                if (parse.GetValue(config) is { } file)
                {
                    if (parse.GetValue(cron) is not null || parse.GetValue(inbox) is not null)
                    {
                        cli.Problem("tem schedule: give either --config FILE or --cron with --inbox, not both");
                        return TemApp.UsageError;
                    }

                    if (formats.AnyGiven(parse))
                    {
                        cli.Problem("tem schedule: with --config, the ingest options go into each pipeline's \"ingest\" section of the file (see README, 'Nightly runs')");
                        return TemApp.UsageError;
                    }

                    if (settingsOptions.AnyGiven(parse))
                    {
                        cli.Problem("tem schedule: with --config, audit and report settings go into the lake's tem.json or each pipeline's \"settings\" (see README, 'Settings')");
                        return TemApp.UsageError;
                    }

                    settings = SchedulerConfig.Load(file);
                }
                else if (parse.GetValue(cron) is { } c && parse.GetValue(inbox) is { } i)
                {
                    if (formats.Read(parse, out var problem) is not { } ingest)
                    {
                        cli.Problem($"tem schedule: {problem}");
                        return TemApp.UsageError;
                    }

                    if (settingsOptions.Layer(parse, out var invalid) is not { } flags)
                    {
                        cli.Problem($"tem schedule: {invalid}");
                        return TemApp.UsageError;
                    }

                    var lakeDir = Path.GetFullPath(parse.GetValue(lake)!);
                    if (parse.GetValue(check) is false && settingsOptions.Saves(parse))
                    {
                        cli.Line($"settings saved to {SettingsFile.Save(lakeDir, flags)}");
                    }

                    settings = new SchedulerConfig
                    {
                        Store = new JobStoreConfig { Kind = JobStoreKind.Sqlite, Path = Path.GetFullPath(parse.GetValue(store) ?? Path.Combine(lakeDir, "_tem", "schedule.db")) },
                        Pipelines =
                        [
                            new PipelineSchedule
                            {
                                Name = parse.GetValue(name)!, Cron = c, TimeZone = parse.GetValue(zone), Inbox = Path.GetFullPath(i), Lake = lakeDir,
                                Out = Path.GetFullPath(parse.GetValue(outDir)!), Ingest = ingest,
                                EmbeddedSettings = settingsOptions.Saves(parse) ? null : flags,
                            },
                        ],
                    };
                }
                else
                {
                    cli.Problem("tem schedule: give --config FILE, or --cron \"0 0 2 * * ?\" --inbox DIR [--lake DIR] [--out DIR] for one pipeline");
                    return TemApp.UsageError;
                }
            }
            catch (Exception e) when (e is InputDataException or IOException or UnauthorizedAccessException)
            {
                cli.Problem($"tem schedule: {e.Message}");
                return TemApp.Failure;
            }

            var problems = settings.Validate();
            foreach (var p in problems)
            {
                cli.Problem($"tem schedule: {p}");
            }

            if (problems.Count > 0)
            {
                return TemApp.UsageError;
            }

            if (parse.GetValue(check))
            {
                foreach (var p in settings.Pipelines)
                {
                    var next = SchedulerHost.TriggerFor(p, TimeProvider.System).GetFireTimeAfter(TimeProvider.System.GetUtcNow());
                    cli.Result($"{p.Name}: cron '{p.Cron}' ({p.TimeZone ?? "local time"}), next run {LogTime.Format(next)}; inbox {p.Inbox}, lake {p.Lake}, out {p.Out}");
                }

                cli.Summary(new
                {
                    Store = settings.Store.Kind.ToString().ToLowerInvariant(),
                    Pipelines = settings.Pipelines.Select(p => new
                    {
                        p.Name, p.Cron, p.TimeZone, p.Inbox, p.Lake, p.Out, p.Ingest,
                        Next = SchedulerHost.TriggerFor(p, TimeProvider.System).GetFireTimeAfter(TimeProvider.System.GetUtcNow()),
                    }),
                });
                return TemApp.Ok;
            }

            try
            {
                using var host = SchedulerHost.Build(settings);
                host.Run();
                return TemApp.Ok;
            }
            catch (Exception e) when (e is Quartz.SchedulerException or InvalidOperationException or System.Data.Common.DbException)
            {
                cli.Problem($"tem schedule: the scheduler could not start: {e.Message}");
                return TemApp.Failure;
            }
        });
        return command;
    }
}
