using Tem.Audit.Anomaly;
using Tem.Core;

namespace Tem.Audit.Tests.Anomaly;

/// <summary>The model rules inside <c>tem audit</c>, on the hand-built <see cref="AnomalyWorld"/>.</summary>
public sealed class AnomalyAuditTests(AnomalyAuditTests.WorldFixture world) : IClassFixture<AnomalyAuditTests.WorldFixture>
{
    public sealed class WorldFixture : IDisposable
    {
        public AnomalyWorld World { get; } = new();

        public AuditResult Result => field ??= World.Audit();

        public void Dispose() => World.Dispose();
    }

    private IEnumerable<Finding> Model(string rule) =>
        world.Result.Findings.Where(f => f.Status != FindingStatus.Resolved && f.Finding.Rule == rule).Select(f => f.Finding);

    [Fact]
    public void Audit_PlantedSpikeAndFraudNight_AreTheOnlyServiceSpendAnomalies()
    {
        var found = Model(AnomalySettings.SpendRule).Where(f => f.ServiceId is not null && f.OneTimeAmount > 0).Select(f => (f.ServiceId, f.Period.ToString())).Order().ToList();

        Assert.Equal([("S-FRAUD", "2026-07"), ("S-SPIKE", "2026-08")], found);
        Assert.All(world.Result.Rules.Where(r => r.Source == "built-in model"), r => Assert.Null(r.Error));
    }

    [Fact]
    public void Audit_SpendAnomaly_AmountIsThePlantedSpendAboveAnOrdinaryDay()
    {
        var spike = Model(AnomalySettings.SpendRule).Single(f => f.ServiceId == "S-SPIKE");
        var fraud = Model(AnomalySettings.SpendRule).Single(f => f.ServiceId == "S-FRAUD");

        // The excess is the planted calls plus what the flagged days cost beyond their expected value otherwise: at most
        // a few ordinary calls (six calls of at most 10 minutes at 0.02 or 0.10 a minute are at most 6.00 a day).
        Assert.InRange(spike.OneTimeAmount, world.World.SpikeBilled - 2m, world.World.SpikeBilled + 6m);
        Assert.InRange(fraud.OneTimeAmount, world.World.FraudBilled - 2m, world.World.FraudBilled + 6m);
        Assert.True(spike.OneTimeAmount.Scale <= 4);
        Assert.Equal((0m, RecommendedAction.Investigate, Severity.Medium), (spike.MonthlySavings, spike.RecommendedAction, spike.Severity));
        Assert.Equal("USD", spike.Currency.Code);
    }

    [Fact]
    public void Audit_SpendAnomaly_ExplainsExpectedBandObservedDetectorsAndFeatures()
    {
        var spike = Model(AnomalySettings.SpendRule).Single(f => f.ServiceId == "S-SPIKE");

        Assert.Matches(@"^Usage spend \d+\.\d\d USD in 2026-08 against \d+\.\d\d expected \(band \d+\.\d\d to \d+\.\d\d\) on S-SPIKE$", spike.Title);
        Assert.Contains("2026-08-12 observed", spike.Detail, StringComparison.Ordinal);
        Assert.Matches(@"expected \d+\.\d\d \(band \d+\.\d\d to \d+\.\d\d\) by seasonal_baseline \(z \d+", spike.Detail);
        Assert.Contains("top features: United Kingdom", spike.Detail, StringComparison.Ordinal);
        Assert.Matches(@"top features: United Kingdom \d+\.\d\d in 4\d records, United States \d+\.\d\d in \d+ records", spike.Detail);
        // Each record's price as billed: in cents, or with the digits it carries when finer (MoneyText.FormatPrice).
        Assert.Matches(@"^(\d{3}-usage\.csv:\d+ record R\d+ voice \d+\.\d{2,4}, ){24}\d{3}-usage\.csv:\d+ record R\d+ voice \d+\.\d{2,4} \(\+\d+ more\)$", spike.Evidence);
    }

    [Fact]
    public void Audit_FraudNight_IsTheOnlyUsageAnomalyAndListsEveryCall()
    {
        var usage = Assert.Single(Model(AnomalySettings.UsageRule));

        Assert.Equal(("S-FRAUD", "2026-07", 0m, 0m), (usage.ServiceId, usage.Period.ToString(), usage.OneTimeAmount, usage.MonthlySavings));
        Assert.StartsWith("30 outlying calls on 2026-07-11 01:10 to ", usage.Title, StringComparison.Ordinal);
        Assert.Contains("International Networks (premium) (30)", usage.Title, StringComparison.Ordinal);
        Assert.Contains("threshold 0.70", usage.Detail, StringComparison.Ordinal);
        Assert.Matches(@"top features \(observed median against the typical 5th to 95th percentile of all calls\): \w+ .* against .* \(band .* to .*\)", usage.Detail);
        Assert.Equal(25, usage.Evidence.Split(", ").Length);
        Assert.EndsWith("(+5 more)", usage.Evidence, StringComparison.Ordinal);
        Assert.Contains("to +88216", usage.Evidence, StringComparison.Ordinal);
        Assert.InRange(usage.Confidence, 0.70m, 1m);
    }

    [Fact]
    public void Audit_BundledDataFortyTimesItsUsual_IsASpendAnomalyWithoutMoney()
    {
        var usageOnly = Assert.Single(Model(AnomalySettings.SpendRule), f => f.OneTimeAmount == 0);

        Assert.Equal(("M-BLOAT", "2026-08"), (usageOnly.ServiceId, usageOnly.Period.ToString()));
        Assert.Matches(@"^Data MB \d+ in 2026-08 against \d+ expected \(band \d+ to \d+\) on M-BLOAT$", usageOnly.Title);
        Assert.Matches(@"monthly data MB \d+(\.\d+)? against .* by seasonal_baseline \(z [\d.]+\), against its 5 peers' median", usageOnly.Detail);
    }

    [Fact]
    public void Audit_ShortHistory_GivesNoSpendFindingForTheNewService()
    {
        Assert.DoesNotContain(Model(AnomalySettings.SpendRule), f => f.ServiceId == "S-NEW");
        Assert.DoesNotContain(Model(AnomalySettings.SpendRule), f => f.ServiceId == "S-CLEAN");
    }

    [Fact]
    public void Audit_AccountLevel_OnlyWhatNoServiceFindingExplains()
    {
        // July and August jump at the account too, but S-FRAUD and S-SPIKE explain that; September's jump comes from
        // S-NEW, too young for a finding of its own, so the account carries it.
        var account = Assert.Single(Model(AnomalySettings.SpendRule), f => f.ServiceId is null);

        Assert.Equal(("A1", "2026-09"), (account.AccountId, account.Period.ToString()));
        // The month is above the account's usual month by about everything S-NEW spent (the other trunks vary by a few dollars).
        Assert.True(world.World.NewServiceBilled > world.World.NewServiceHeavyDay);
        Assert.InRange(account.OneTimeAmount, world.World.NewServiceBilled - 8m, world.World.NewServiceBilled + 8m);
        Assert.Contains("top features: S-NEW United States", account.Detail, StringComparison.Ordinal);
        Assert.Contains("on account A1 (beyond its services' findings)", account.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_Rerun_GivesIdenticalModelFindings()
    {
        var again = world.World.Audit(run: "run-again");
        static List<Finding> Models(AuditResult r) =>
            [.. r.Findings.Where(f => f.Finding.Rule.EndsWith("_anomaly", StringComparison.Ordinal) && f.Status != FindingStatus.Resolved).Select(f => f.Finding).OrderBy(f => f.FindingId, StringComparer.Ordinal)];

        Assert.Equal(Models(world.Result), Models(again));
    }

    [Fact]
    public void Audit_ForestGrownOnAStrideSample_StillFindsOnlyTheFraudNight()
    {
        // Fewer training calls than the world holds: the forest is grown on a sample and still scores every call.
        var sampled = world.World.Audit(new Dictionary<string, string> { ["usage_anomaly.training_calls"] = "2000" }, "run-sampled");

        var usage = Assert.Single(sampled.Findings, f => f.Status != FindingStatus.Resolved && f.Finding.Rule == AnomalySettings.UsageRule).Finding;
        Assert.Equal(("S-FRAUD", "2026-07"), (usage.ServiceId, usage.Period.ToString()));
        Assert.Matches(@"grown on a stride sample of (1\d{3}|2000) of the \d{4,} calls\)", usage.Detail);
        Assert.Contains("International Networks (premium)", usage.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_SettingOverrides_RaiseTheBarOrReportABadSetting()
    {
        var strict = world.World.Audit(new Dictionary<string, string> { ["spend_anomaly.min_amount"] = "100000", ["spend_anomaly.usage_min_increase"] = "1000", ["usage_anomaly.min_score"] = "0.99" }, "run-strict");
        Assert.DoesNotContain(strict.Findings, f => f.Status != FindingStatus.Resolved && f.Finding.Rule.EndsWith("_anomaly", StringComparison.Ordinal));

        var bad = world.World.Audit(new Dictionary<string, string> { ["spend_anomaly.daily_weeks"] = "0" }, "run-bad");
        Assert.All(bad.Rules.Where(r => r.Source == "built-in model"), r => Assert.Contains("spend_anomaly.daily_weeks = 0 is out of range", r.Error, StringComparison.Ordinal));
        Assert.Equal(2, bad.Rules.Count(r => r.Source == "built-in model"));
    }
}
