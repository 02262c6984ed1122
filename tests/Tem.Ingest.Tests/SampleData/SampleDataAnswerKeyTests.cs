using Tem.Core;
using Tem.SampleData;

namespace Tem.Ingest.Tests.SampleData;

/// <summary>
/// The answer key against an independent audit of the generated files: every planted finding fires exactly as
/// audit.md defines it, with the same amounts, and the clean background fires nothing else.
/// </summary>
[Collection(SampleDataCollection.Name)]
public class SampleDataAnswerKeyTests(SampleDataFixture fixture)
{
    public static readonly string[] DeterministicRules =
    [
        "rate_overcharge", "duplicate_usage", "duplicate_recurring", "billed_after_disconnect", "unknown_service", "recurring_above_contract",
        "missing_credit", "tax_on_exempt", "usage_mismatch", "unused_service", "oversized_plan", "unbilled_resale", "resold_below_cost",
    ];

    public static TheoryData<string, string> RulesBySet()
    {
        var data = new TheoryData<string, string>();
        foreach (var set in new[] { SampleDataFixture.Default, SampleDataFixture.Minimal, SampleDataFixture.Larger })
        {
            foreach (var rule in DeterministicRules)
            {
                data.Add(set, rule);
            }
        }

        return data;
    }

    [Theory]
    [InlineData(SampleDataFixture.Default)]
    [InlineData(SampleDataFixture.Minimal)]
    [InlineData(SampleDataFixture.Larger)]
    public void AnswerKey_EveryRequiredRule_IsPlantedAtLeastOnce(string name)
    {
        var rules = fixture.Set(name).AnswerKey.All.Select(r => r["rule"]).ToHashSet(StringComparer.Ordinal);

        Assert.All(DeterministicRules.Append("spend_anomaly").Append("usage_anomaly"), rule => Assert.Contains(rule, rules));
        Assert.Equal(SampleDataGenerator.PlantedRules.Order(StringComparer.Ordinal), rules.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RulesBySet))]
    public void AnswerKey_DeterministicRule_MatchesIndependentAudit(string name, string rule)
    {
        var set = fixture.Set(name);

        var expected = set.Expected(rule).OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList();
        var found = SpecAuditor.Run(set, rule).OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData(SampleDataFixture.Default)]
    [InlineData(SampleDataFixture.Minimal)]
    [InlineData(SampleDataFixture.Larger)]
    public void AnswerKey_OversizedPlan_SameWithEitherWayOfCountingMinutes(string name)
    {
        var set = fixture.Set(name);

        Assert.Equal(SpecAuditor.OversizedPlan(set, ceilMinutes: true), SpecAuditor.OversizedPlan(set, ceilMinutes: false));
    }

    [Fact]
    public void AnswerKey_RateOvercharge_EqualsSumOfBilledMinusReferenceCost()
    {
        var set = fixture.Set(SampleDataFixture.Default);

        foreach (var k in set.Expected("rate_overcharge"))
        {
            var records = set.Usage.All.Where(u => u["service_id"] == k.ServiceId && set.MonthOf(u).ToString() == k.Period).ToList();
            var overcharge = records.Sum(u => Math.Max(0m, u.Dec("billed_amount") - set.CostOf(u)!.Value));

            Assert.Equal(overcharge, k.OneTime);
            Assert.True(k.OneTime >= 0.01m);
            Assert.Equal(0m, k.Monthly);
        }
    }

    [Fact]
    public void AnswerKey_DuplicateRecurring_IsTheFeeOfTheExtraCopy()
    {
        var set = fixture.Set(SampleDataFixture.Default);
        var fees = set.Plans.All.ToDictionary(p => p["plan_id"], p => p.Dec("monthly_fee"), StringComparer.Ordinal);

        var rows = set.Expected("duplicate_recurring").ToList();

        Assert.Equal(2, rows.Count);
        foreach (var k in rows)
        {
            var copies = set.Invoices.All
                .Where(l => l["service_id"] == k.ServiceId && l["charge_type"] == "recurring" && BillingMonth.FromDate(l.Date("period_start")).ToString() == k.Period)
                .ToList();
            Assert.Equal(2, copies.Count);
            Assert.Equal(fees[set.ServiceById[k.ServiceId]["plan_id"]], k.OneTime);
        }

        Assert.Contains(rows, k => set.Invoices.All.Where(l => l["service_id"] == k.ServiceId && l["charge_type"] == "recurring"
            && BillingMonth.FromDate(l.Date("period_start")).ToString() == k.Period).Select(l => l["invoice_id"]).Distinct().Count() == 2);
    }

    [Fact]
    public void AnswerKey_TaxOnExempt_IsTheTaxLineOfAnExemptAccount()
    {
        var set = fixture.Set(SampleDataFixture.Default);

        var rows = set.Expected("tax_on_exempt").ToList();

        Assert.Equal(3, rows.Count);
        foreach (var k in rows)
        {
            Assert.Equal("true", set.AccountById[k.AccountId]["tax_exempt"]);
            Assert.Equal(string.Empty, k.ServiceId);
            var tax = set.Invoices.All.Single(l => l["account_id"] == k.AccountId && l["charge_type"] == "tax" && l["period_start"].StartsWith(k.Period, StringComparison.Ordinal));
            Assert.Equal(tax.Dec("amount"), k.OneTime);
            var others = set.Invoices.All.Where(l => l["invoice_id"] == tax["invoice_id"] && l["charge_type"] != "tax").Sum(l => l.Dec("amount"));
            Assert.True(k.OneTime > 0 && k.OneTime < others);
        }
    }

    [Fact]
    public void AnswerKey_UsageMismatch_IsUsageLinesMinusUsageRecords()
    {
        var set = fixture.Set(SampleDataFixture.Default);

        var rows = set.Expected("usage_mismatch").ToList();

        Assert.Equal(2, rows.Count);
        foreach (var k in rows)
        {
            var lines = set.Invoices.All.Where(l => l["service_id"] == k.ServiceId && l["charge_type"] == "usage" && l["period_start"].StartsWith(k.Period, StringComparison.Ordinal)).ToList();
            var invoice = Assert.Single(lines.Select(l => l["invoice_id"]).Distinct());
            var records = set.Usage.All.Where(u => u["service_id"] == k.ServiceId && u["invoice_id"] == invoice).Sum(u => u.Dec("billed_amount"));
            Assert.Equal(lines.Sum(l => l.Dec("amount")) - records, k.OneTime);
        }

        Assert.Contains(rows, k => k.OneTime == 12.34m);
        Assert.Contains(rows, k => k.OneTime == 18.50m);
    }

    [Fact]
    public void AnswerKey_AnomalyRows_AreMarkedApproximateAndExactRowsExact()
    {
        var set = fixture.Set(SampleDataFixture.Default);

        Assert.All(set.AnswerKey.All, r =>
        {
            var approximate = r["rule"] is "spend_anomaly" or "usage_anomaly";
            Assert.StartsWith(approximate ? "expected=approximate" : "expected=exact", r["note"], StringComparison.Ordinal);
            Assert.True(r.Dec("one_time_amount") >= 0 && r.Dec("monthly_savings") >= 0);
            Assert.Equal(set.AccountById[r["account_id"]]["currency"], r["currency"]);
            Assert.Equal(set.AccountById[r["account_id"]]["carrier"], r["carrier"]);
            Assert.Matches(@"^\d{4}-\d{2}$", r["period"]);
        });
        Assert.Equal(2, set.Expected("spend_anomaly").Count());
        Assert.True(set.Expected("spend_anomaly").All(k => k.OneTime > 100m));
    }

    [Fact]
    public void AnswerKey_TollFraudBurst_IsManyPremiumCallsWithinAnHourAtNight()
    {
        var set = fixture.Set(SampleDataFixture.Default);
        var k = Assert.Single(set.Expected("usage_anomaly"));

        var burst = set.Usage.All
            .Where(u => u["service_id"] == k.ServiceId && set.MonthOf(u).ToString() == k.Period)
            .Where(u => u["called_number"].TrimStart('+', '0') is var n && (n.StartsWith("882", StringComparison.Ordinal) || n.StartsWith("53", StringComparison.Ordinal)))
            .Select(u => TimeZoneInfo.ConvertTime(u.Instant("start_time"), set.Zones[u["account_id"]]))
            .Order()
            .ToList();

        Assert.True(burst.Count >= 40);
        Assert.True(burst[^1] - burst[0] < TimeSpan.FromHours(1));
        Assert.All(burst, t => Assert.InRange(t.Hour, 0, 5));
    }

    [Fact]
    public void AnswerKey_PlantedCounts_MatchTheDocumentedWorld()
    {
        var set = fixture.Set(SampleDataFixture.Default);
        var counts = set.AnswerKey.All.GroupBy(r => r["rule"]).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Assert.Equal(2, counts["rate_overcharge"]);
        Assert.Equal(2, counts["duplicate_usage"]);
        Assert.Equal(5, counts["billed_after_disconnect"]);
        Assert.Equal(3, counts["unknown_service"]);
        Assert.Equal(4, counts["recurring_above_contract"]);
        Assert.Equal(2, counts["missing_credit"]);
        Assert.Equal(2, counts["unused_service"]);
        Assert.Equal(2, counts["oversized_plan"]);
        Assert.Equal(2, counts["unbilled_resale"]);
        Assert.Equal(2, counts["resold_below_cost"]);
    }
}
