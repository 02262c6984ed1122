using Tem.Core;
using Tem.SampleData;

namespace Tem.Audit.Tests;

/// <summary>
/// The correctness bar: on generated data every planted error is found with the right amount to the cent and
/// nothing else fires on the clean background. The model rules (spend_anomaly, usage_anomaly) must find exactly the
/// planted anomalies too; their amounts are the model's (the answer key marks them approximate), so they are compared
/// within 5 %.
/// </summary>
public sealed class AnswerKeyTests
{
    private static readonly HashSet<string> ModelRules = ["spend_anomaly", "usage_anomaly"];

    public static TheoryData<int, int, int> Sets => new()
    {
        { 60, 6, 42 },
        { 40, 5, 7 },
        { 120, 7, 20261122 },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void Audit_GeneratedSet_FindsExactlyTheAnswerKey(int services, int months, int seed)
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = services, Months = months, Seed = seed });
        var result = scratch.Audit();
        Assert.All(result.Rules, r => Assert.Null(r.Error));
        var open = result.Findings.Where(f => f.Status != FindingStatus.Resolved).Select(f => f.Finding).ToList();

        var found = open.Where(f => !ModelRules.Contains(f.Rule)).Select(AuditScratch.Key).Order(StringComparer.Ordinal).ToList();
        var expected = scratch.AnswerKey(rule => !ModelRules.Contains(rule));
        Assert.Equal(expected, found);
        Assert.True(expected.Select(k => k.Split(',')[0]).Distinct().Count() >= 13, "every deterministic rule is planted");

        var planted = scratch.AnswerKey(ModelRules.Contains).Select(k => k.Split(',')).ToList();
        var models = open.Where(f => ModelRules.Contains(f.Rule)).OrderBy(AuditScratch.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(planted.Select(p => string.Join(',', p[..4])), models.Select(f => $"{f.Rule},{f.AccountId},{f.ServiceId},{f.Period}"));
        foreach (var (key, finding) in planted.Zip(models))
        {
            var amount = decimal.Parse(key[4], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(finding.OneTimeAmount, amount * 0.95m, amount * 1.05m);
        }
    }

    [Fact]
    public void Audit_Findings_CarryEvidenceCurrencyAndParties()
    {
        using var scratch = new AuditScratch();
        var findings = scratch.Audit().Findings.Select(f => f.Finding).ToList();
        Assert.All(findings, f =>
        {
            Assert.NotEmpty(f.Evidence);
            Assert.Matches(@"\.csv:\d+", f.Evidence);
            Assert.NotNull(f.BillToId);
            Assert.InRange(f.Confidence, 0m, 1m);
        });
        var overcharge = findings.First(f => f.Rule == "rate_overcharge");
        Assert.Contains("usage.csv:", overcharge.Evidence, StringComparison.Ordinal);
        Assert.Contains("contract", overcharge.Evidence, StringComparison.Ordinal);
        var downgrade = findings.First(f => f.Rule == "oversized_plan");
        Assert.NotNull(downgrade.RecommendedPlanId);
        Assert.Equal(RecommendedAction.Downgrade, downgrade.RecommendedAction);
    }
}
