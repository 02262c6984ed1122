using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Tem.Core;
using Tem.Lake;
using Tem.SampleData;

namespace Tem.Scheduler.Tests;

/// <summary>A scheduled pipeline's settings: the lake's tem.json, the pipeline's own settings over it, recorded with the run.</summary>
public sealed class SettingsJobTests : IDisposable
{
    private readonly TempFolder _dir = new("tem-settings-job");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ScheduledRun_LakeSettingsFileAndPipelineSettings_AreUsedLayeredAndRecorded()
    {
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 5 }, _dir.Sub("inbox"));
        var planted = File.ReadLines(Path.Combine(_dir.Sub("inbox"), "answer_key.csv")).Count(l => l.StartsWith("rate_overcharge,", StringComparison.Ordinal));
        Assert.True(planted > 0, "the sample plants rate_overcharge findings");
        Directory.CreateDirectory(_dir.Sub("lake"));
        File.WriteAllText(Path.Combine(_dir.Sub("lake"), "tem.json"), """
            { "audit": { "set": { "rate_overcharge.min_amount": 1000000 } },
              "report": { "tenants": false, "contingencyFee": 30, "followUpDays": 10 } }
            """);
        var file = _dir.Sub("schedule.json");
        File.WriteAllText(file, $$"""
            { "schedulerName": "tem-{{Guid.NewGuid().ToString("N")[..8]}}", "store": { "kind": "memory" },
              "pipelines": [ { "name": "nightly", "cron": "0/1 * * * * ?", "inbox": "inbox", "lake": "lake", "out": "out",
                               "contingencyFee": 12,
                               "settings": { "report": { "followUpDays": 45 } } } ] }
            """);
        var config = SchedulerConfig.Load(file);
        Assert.Empty(config.Validate());

        using (var host = SchedulerHost.Build(config))
        {
            var executed = JobsExecuted.On((Quartz.IScheduler)host.Services.GetService(typeof(Quartz.IScheduler))!);
            await host.StartAsync();
            var ran = await executed.WaitAsync(1);
            await host.StopAsync();
            Assert.True(ran, "the scheduled run did not finish");
        }

        var run = Runs().First(r => r.FinishedAt is not null);
        Assert.True(run.Outcome == RunOutcome.Ok, $"{run.Outcome}: {run.Message}");
        using var recorded = JsonDocument.Parse(run.Settings!);
        var report = recorded.RootElement.GetProperty("report");
        Assert.Equal(1000000m, recorded.RootElement.GetProperty("audit").GetProperty("set").GetProperty("rate_overcharge.min_amount").GetDecimal());
        Assert.Equal((12m, 45, false), (report.GetProperty("contingencyFee").GetDecimal(), report.GetProperty("followUpDays").GetInt32(), report.GetProperty("tenants").GetBoolean()));

        // What was recorded is what ran: no overcharge reaches a million, and no tenant set was written.
        var findings = File.ReadAllLines(Path.Combine(_dir.Sub("out"), "findings.csv"));
        Assert.True(findings.Length > 1);
        Assert.DoesNotContain(findings, l => l.Split(',')[1] == "rate_overcharge");
        Assert.False(Directory.Exists(Path.Combine(_dir.Sub("out"), "tenants")));
    }

    [Fact]
    public void Load_UnknownKeyInAPipelinesSettings_NamesTheConfigFileLineAndFullPath()
    {
        var file = _dir.Sub("schedule.json");
        File.WriteAllText(file, """
            { "store": { "kind": "memory" },
              "pipelines": [ { "name": "a", "cron": "0 0 2 * * ?", "inbox": "inbox", "lake": "lake", "out": "out" },
                             { "name": "b", "cron": "0 0 3 * * ?", "inbox": "inbox", "lake": "lake2", "out": "out2",
                               "settings": { "report": {
                                   "fx": { "EUR": 1.08 },
                                   "fxx": { "GBP": 1.27 } } } } ] }
            """);

        var e = Assert.Throws<InputDataException>(() => SchedulerConfig.Load(file));

        Assert.StartsWith("schedule.json:6:", e.Message, StringComparison.Ordinal);
        Assert.Contains("$.pipelines[1].settings.report.fxx: unknown key 'fxx'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BrokenSettingsFileInAPipelinesLake_StopsTheHostAtStart()
    {
        Directory.CreateDirectory(_dir.Sub("lake"));
        File.WriteAllText(Path.Combine(_dir.Sub("lake"), "tem.json"), "{ \"report\": { \"followUpDays\": -1 } }");
        var config = new SchedulerConfig
        {
            Store = new JobStoreConfig { Kind = JobStoreKind.Memory },
            Pipelines = [new PipelineSchedule { Name = "nightly", Cron = "0 0 2 * * ?", Inbox = _dir.Sub("inbox"), Lake = _dir.Sub("lake"), Out = _dir.Sub("out") }],
        };

        var problem = Assert.Single(config.Validate());

        Assert.Contains("pipeline 'nightly': settings: tem.json:1:", problem, StringComparison.Ordinal);
        Assert.Contains("$.report.followUpDays: -1 is not 0 or more days", problem, StringComparison.Ordinal);
    }

    private IReadOnlyList<RunRecord> Runs() => LakeRuns.Of(_dir.Sub("lake"));
}
