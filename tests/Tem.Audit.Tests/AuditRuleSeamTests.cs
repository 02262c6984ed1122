using System.Globalization;
using Tem.Audit.Anomaly;
using Tem.Core;

namespace Tem.Audit.Tests;

/// <summary>A rule in code registered through <see cref="IAuditRule"/> runs, lists and takes settings like the built-in ones.</summary>
public sealed class AuditRuleSeamTests
{
    [Fact]
    public void LoadAll_SqlRulesThenModelsThenAdded_OneList()
    {
        var rule = new TestRule("test_rule", new CountingSetup());
        var all = RuleCatalog.LoadAll(null, out var broken, [rule]);

        Assert.Empty(broken);
        Assert.Equal([.. RuleCatalog.BuiltIn.Select(r => r.Id), AnomalySettings.SpendRule, AnomalySettings.UsageRule, "test_rule"], all.Select(r => r.Id));
        Assert.All(all.Take(RuleCatalog.BuiltIn.Count), r => Assert.False(r.IsModel));
        Assert.All(RuleCatalog.Models, r => Assert.True(r.IsModel));
        Assert.Equal(["min_amount"], all[^1].Settings.Select(s => s.Name));
    }

    [Fact]
    public void DefinedIn_ModelBuiltInAndAnalystRules_SayWhere()
    {
        Assert.Equal("model in src/Tem.Audit/Anomaly/ (settings: tem audit --list-rules)", RuleCatalog.DefinedIn(AnomalySettings.UsageRule));
        Assert.Equal("src/Tem.Audit/Rules/rate_overcharge.sql", RuleCatalog.DefinedIn("rate_overcharge"));
        Assert.Equal("an analyst's rule (tem audit --rules DIR)", RuleCatalog.DefinedIn("my_rule"));
    }

    [Fact]
    public void CheckSettings_ModelRuleBadValue_ThrowsLikeResolve()
    {
        var bad = new Dictionary<string, string>(StringComparer.Ordinal) { ["usage_anomaly.trees"] = "0" };
        var fromRule = Assert.Throws<ArgumentException>(() => RuleCatalog.Models[1].CheckSettings(bad));
        var fromResolve = Assert.Throws<ArgumentException>(() => AnomalySettings.Resolve(bad));
        Assert.Equal(fromResolve.Message, fromRule.Message);
    }

    [Fact]
    public void Run_AddedRules_RunAfterTheModelsWithTheirSettingsAndOneSharedSetup()
    {
        using var scratch = new AuditScratch();
        var setup = new CountingSetup();
        var first = new TestRule("test_rule", setup);
        var second = new TestRule("test_rule_two", setup);
        var progress = new Recorder();
        var options = new AuditOptions
        {
            AddedRules = [first, second],
            Settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["test_rule.min_amount"] = "12.5" },
        };

        var result = new AuditEngine(scratch.Lake, AuditScratch.Clock).Run(options, "run-seam", progress);

        Assert.Equal(1, setup.Runs);
        var runs = result.Rules.TakeLast(2).ToList();
        Assert.Equal(["test_rule", "test_rule_two"], runs.Select(r => r.RuleId));
        Assert.All(runs, r => Assert.Null(r.Error));
        Assert.All(runs, r => Assert.Equal(1, r.Findings));
        Assert.Equal(["no test data for X in 2026-09: 1 service not judged"], runs[0].NotJudged);
        var findings = result.Findings.Where(f => f.Finding.Rule.StartsWith("test_rule", StringComparison.Ordinal)).OrderBy(f => f.Finding.Rule, StringComparer.Ordinal).ToList();
        Assert.Equal([12.5m, 5m], findings.Select(f => f.Finding.OneTimeAmount));
        Assert.All(findings, f => Assert.Equal(MoneyKind.Potential, f.Finding.MoneyKind));

        var total = result.Rules.Count;
        Assert.Equal(
            [.. Enumerable.Range(0, total).Select(i => $"{i}/{total} {result.Rules[i].RuleId}"), $"{total}/{total} storing the findings"],
            progress.Seen.Where(p => p.Unit == WorkUnit.Rules).Select(p => $"{p.Done}/{p.Total} {p.Item}"));
    }

    [Fact]
    public void Run_SharedSetupFails_EveryRuleNeedingItFailsWithItsMessage_OnlyTheFirstStarts()
    {
        using var scratch = new AuditScratch();
        var setup = new CountingSetup { Fail = true };
        var progress = new Recorder();
        var options = new AuditOptions { AddedRules = [new TestRule("test_rule", setup), new TestRule("test_rule_two", setup)] };

        var result = new AuditEngine(scratch.Lake, AuditScratch.Clock).Run(options, "run-seam", progress);

        Assert.Equal(1, setup.Runs);
        Assert.All(result.Rules.TakeLast(2), r => Assert.Equal("test setup failed", r.Error));
        Assert.Contains(progress.Seen, p => p.Item == "test_rule");
        Assert.DoesNotContain(progress.Seen, p => p.Item == "test_rule_two");
        Assert.DoesNotContain(result.Findings, f => f.Finding.Rule.StartsWith("test_rule", StringComparison.Ordinal));
    }

    private sealed class Recorder : IProgress<WorkProgress>
    {
        public List<WorkProgress> Seen { get; } = [];

        public void Report(WorkProgress value) => Seen.Add(value);
    }

    private sealed class CountingSetup : SharedSetup<string>
    {
        public int Runs { get; private set; }

        public bool Fail { get; init; }

        public override string Name => "test setup";

        protected override string Prepare(AuditContext context)
        {
            Runs++;
            return Fail ? throw new ArgumentException("test setup failed") : "prepared";
        }
    }

    /// <summary>One finding on the lake's first account, its amount the setting min_amount.</summary>
    private sealed class TestRule(string id, CountingSetup setup) : IAuditRule
    {
        public string Id => id;

        public string Title => "A test rule";

        public Severity Severity => Severity.Low;

        public RecommendedAction Action => RecommendedAction.Investigate;

        public MoneyKind Money => MoneyKind.Potential;

        public bool IdentityByService => false;

        public string Description => "Finds the first account.";

        public IReadOnlyList<RuleSetting> Settings { get; } = [new("min_amount", "5", "The amount of its finding.")];

        public string? NotJudged => "no test data for {subject}";

        public string Source => "test";

        public string DefinedIn => "a test";

        public bool IsModel => true;

        public bool MergesSameId => true;

        public SharedSetup? Setup => setup;

        public void CheckSettings(IReadOnlyDictionary<string, string> settings)
        {
        }

        public IReadOnlyList<RuleRow> Find(AuditContext context)
        {
            Assert.Equal("prepared", context.Get(setup));
            using var cmd = context.Db.CreateCommand();
            cmd.CommandText = "SELECT carrier, account_id FROM account_versions ORDER BY carrier, account_id LIMIT 1";
            using var r = cmd.ExecuteReader();
            Assert.True(r.Read());
            var amount = decimal.Parse(context.Settings.GetValueOrDefault($"{Id}.min_amount", Settings[0].Default), CultureInfo.InvariantCulture);
            return [new RuleRow(r.GetString(0), r.GetString(1), null, BillingMonth.Parse("2026-09"), Title) { OneTime = amount, Confidence = 0.5m }];
        }

        public IReadOnlyList<string> NotJudgedIn(AuditContext context) =>
            Id == "test_rule" ? ["no test data for X in 2026-09: 1 service not judged"] : [];
    }
}
