using Quartz;

namespace Tem.Scheduler.Tests;

/// <summary>A pipeline's <c>ingest</c> section in the scheduler's configuration file.</summary>
public sealed class SchedulerConfigIngestTests : IDisposable
{
    private readonly TempFolder _folder = new("tem-schedule-ingest");

    private SchedulerConfig LoadPipeline(string ingest)
    {
        var file = _folder.Sub("schedule.json");
        File.WriteAllText(file, $$"""
            { "store": { "kind": "memory" },
              "pipelines": [ { "name": "nightly", "cron": "0 0 2 * * ?", "inbox": "inbox", "lake": "lake", "out": "out",
                               "ingest": {{ingest}} } ] }
            """);
        return SchedulerConfig.Load(file);
    }

    [Fact]
    public void Load_IngestSection_ResolvesProfilesAgainstTheFileAndBuildsTheOptions()
    {
        Directory.CreateDirectory(_folder.Sub("profiles"));
        File.Copy(RepoPaths.Combine("profiles", "lakeshore-invoice-detail.json"), _folder.Sub(Path.Combine("profiles", "lakeshore.json")));

        var config = LoadPipeline("""
            { "pbxTimeZone": "America/Chicago", "pbxName": "hq-asterisk", "profiles": [ "profiles" ],
              "ediCarrier": "Acme", "ediCurrency": "cad", "ediChargeCodes": { "BASIC": "recurring", "XLD": "Usage" } }
            """);

        Assert.Empty(config.Validate());
        var ingest = config.Pipelines[0].Ingest!;
        Assert.Equal([_folder.Sub("profiles")], ingest.Profiles);
        var options = ingest.ToOptions();
        Assert.Equal("America/Chicago", options.PbxTimeZone);
        Assert.Equal("hq-asterisk", options.PbxName);
        Assert.Equal("Lakeshore Telecom invoice detail", Assert.Single(options.Profiles).Name);
        Assert.Equal("Acme", options.Edi811.Carrier);
        Assert.Equal("CAD", options.Edi811.DefaultCurrency);
        Assert.Equal("recurring", options.Edi811.ChargeCodes["basic"]);
        Assert.Equal("usage", options.Edi811.ChargeCodes["XLD"]);
    }

    [Fact]
    public void Validate_IngestWithBadZoneCurrencyAndChargeType_NamesThePipelineAndEachSetting()
    {
        var config = LoadPipeline("""{ "pbxTimeZone": "Europe/Atlantis", "ediCurrency": "dollars", "ediChargeCodes": { "BASIC": "monthly" } }""");

        var problems = config.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("pipeline 'nightly': ingest.pbxTimeZone 'Europe/Atlantis' is not a time zone", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("pipeline 'nightly': ingest.ediCurrency 'dollars' is not an ISO 4217 code", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("pipeline 'nightly': ingest.ediChargeCodes 'BASIC' maps to 'monthly', which is not a charge type", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_IngestWithMissingProfile_NamesTheSettingAndThePath()
    {
        var config = LoadPipeline("""{ "profiles": [ "carriers/acme.json" ] }""");

        var problem = Assert.Single(config.Validate());

        Assert.StartsWith("pipeline 'nightly': ingest.profiles: ", problem, StringComparison.Ordinal);
        Assert.Contains("acme.json", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IngestWithUnknownProperty_FailsNamingTheFileAndTheProperty()
    {
        var e = Assert.Throws<Tem.Core.InputDataException>(() => LoadPipeline("""{ "pbx_time_zone": "Europe/London" }"""));

        Assert.Contains("schedule.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("pbx_time_zone", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JobFor_PipelineWithIngest_CarriesTheSettingsOnlyWhenSet()
    {
        var plain = new PipelineSchedule { Name = "a", Cron = "0 0 2 * * ?", Inbox = "i", Lake = "l", Out = "o" };
        var withIngest = plain with { Ingest = new IngestSettings { EdiCarrier = "Acme" } };

        Assert.False(SchedulerHost.JobFor(plain).JobDataMap.ContainsKey(PipelineJob.IngestKey));
        Assert.False(SchedulerHost.JobFor(plain with { Ingest = new IngestSettings() }).JobDataMap.ContainsKey(PipelineJob.IngestKey));
        Assert.Contains("Acme", SchedulerHost.JobFor(withIngest).JobDataMap.GetString(PipelineJob.IngestKey), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_AuditAnywayAndMemoryLimit_ReachTheJob_AndAreLeftToTheSettingsWhenAbsent()
    {
        var file = _folder.Sub("schedule.json");
        File.WriteAllText(file, """
            { "store": { "kind": "memory" },
              "pipelines": [ { "name": "nightly", "cron": "0 0 2 * * ?", "inbox": "inbox", "lake": "lake", "out": "out",
                               "auditAnyway": true, "memoryLimit": "512MB" },
                             { "name": "plain", "cron": "0 0 3 * * ?", "inbox": "inbox", "lake": "lake2", "out": "out2" } ] }
            """);
        var config = SchedulerConfig.Load(file);

        Assert.Empty(config.Validate());
        var nightly = SchedulerHost.JobFor(config.Pipelines[0]).JobDataMap;
        Assert.Equal(("true", "512MB"), (nightly.GetString(PipelineJob.AuditAnywayKey), nightly.GetString(PipelineJob.MemoryLimitKey)));
        var plain = SchedulerHost.JobFor(config.Pipelines[1]).JobDataMap;
        Assert.Equal("false", plain.GetString(PipelineJob.AuditAnywayKey));
        Assert.False(plain.ContainsKey(PipelineJob.MemoryLimitKey));
    }

    [Fact]
    public void Validate_MemoryLimitThatIsNoSize_NamesThePipeline()
    {
        var file = _folder.Sub("schedule.json");
        File.WriteAllText(file, """
            { "store": { "kind": "memory" },
              "pipelines": [ { "name": "nightly", "cron": "0 0 2 * * ?", "inbox": "inbox", "lake": "lake", "out": "out", "memoryLimit": "lots" } ] }
            """);

        Assert.Contains("pipeline 'nightly': memoryLimit 'lots' is not a size such as 1GB or 500MB", SchedulerConfig.Load(file).Validate());
    }

    [Fact]
    public void Load_ContingencyFeeAndFollowUpDays_ReachTheJob_AreChecked_AndAreLeftToTheSettingsWhenAbsent()
    {
        var file = _folder.Sub("schedule.json");
        File.WriteAllText(file, """
            { "store": { "kind": "memory" },
              "pipelines": [ { "name": "nightly", "cron": "0 0 2 * * ?", "inbox": "inbox", "lake": "lake", "out": "out", "contingencyFee": 30, "followUpDays": 45 },
                             { "name": "plain", "cron": "0 0 3 * * ?", "inbox": "inbox", "lake": "lake2", "out": "out2" },
                             { "name": "wrong", "cron": "0 0 4 * * ?", "inbox": "inbox", "lake": "lake3", "out": "out3", "contingencyFee": 130 } ] }
            """);
        var config = SchedulerConfig.Load(file);

        Assert.Equal(["pipeline 'wrong': contingencyFee is a percentage from 0 to 100 and followUpDays 0 or more"], config.Validate());
        var nightly = SchedulerHost.JobFor(config.Pipelines[0]).JobDataMap;
        Assert.Equal(("30", "45"), (nightly.GetString(PipelineJob.ContingencyFeeKey), nightly.GetString(PipelineJob.FollowUpDaysKey)));
        var plain = SchedulerHost.JobFor(config.Pipelines[1]).JobDataMap;
        Assert.False(plain.ContainsKey(PipelineJob.ContingencyFeeKey));
        Assert.False(plain.ContainsKey(PipelineJob.FollowUpDaysKey));
    }
}
