using System.Globalization;
using Tem.Core;
using Tem.SampleData;

namespace Tem.Audit.Tests;

public sealed class RuleCatalogTests
{
    [Fact]
    public void BuiltIn_HasEveryDeterministicRuleOfTheSpec_WithSettings()
    {
        string[] spec =
        [
            "billed_after_disconnect", "duplicate_recurring", "duplicate_usage", "missing_credit", "oversized_plan", "pbx_unmatched",
            "rate_overcharge", "recurring_above_contract", "resold_below_cost", "tax_on_exempt", "unbilled_resale", "unknown_service",
            "unused_service", "usage_mismatch",
        ];
        Assert.Equal(spec, RuleCatalog.BuiltIn.Select(r => r.Id));
        Assert.All(RuleCatalog.BuiltIn, r =>
        {
            Assert.NotEmpty(r.Settings);
            Assert.NotEmpty(r.Description);
            Assert.DoesNotContain("{{", r.BoundSql(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Parse_BadHeader_NamesFileAndLine()
    {
        var e = Assert.Throws<InputDataException>(() => RuleDefinition.Parse("-- rule: x\n-- title: t\n-- severity: huge\n-- action: dispute\nSELECT 1", "my_rule.sql"));
        Assert.StartsWith("my_rule.sql:3", e.Message, StringComparison.Ordinal);
        Assert.Contains("high, medium, low", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJudgedSection_SplitsTheRuleFromItsNotJudgedQuery()
    {
        var rule = RuleDefinition.Parse(
            "-- rule: x\n-- title: t\n-- severity: low\n-- action: investigate\n-- setting: min = 2   m\n-- not_judged: no data for {subject}\n" +
            "SELECT {{min}} AS a;\n-- not judged\nSELECT 'R' AS subject, '2026-05' AS period, 'S' AS service_id WHERE {{min}} > 1\n", "x.sql");

        Assert.Equal("SELECT 2 AS a", rule.BoundSql());
        Assert.Equal("no data for {subject}", rule.NotJudged);
        Assert.Equal("SELECT 'R' AS subject, '2026-05' AS period, 'S' AS service_id WHERE 2 > 1", rule.BoundNotJudgedSql());
    }

    [Theory]
    [InlineData("-- not_judged: no data for {subject}\nSELECT 1", "x.sql:7", "a line '-- not judged'")]
    [InlineData("-- not_judged: no data\nSELECT 1\n-- not judged\nSELECT 2", "x.sql:5", "{subject}")]
    [InlineData("SELECT 1\n-- not judged\nSELECT 2", "x.sql:6", "'-- not_judged: ... {subject} ...'")]
    public void Parse_NotJudgedHalfDeclared_NamesFileAndLine(string tail, string at, string expected)
    {
        var e = Assert.Throws<InputDataException>(() =>
            RuleDefinition.Parse("-- rule: x\n-- title: t\n-- severity: low\n-- action: investigate\n" + tail + "\n", "x.sql"));

        Assert.StartsWith(at, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BoundSql_UndeclaredPlaceholder_IsAnError()
    {
        var rule = RuleDefinition.Parse("-- rule: x\n-- title: t\n-- severity: low\n-- action: investigate\nSELECT {{nope}}", "x.sql");
        Assert.Throws<InvalidOperationException>(() => rule.BoundSql());
    }

    [Fact]
    public void Audit_UserRulesFolder_AddsARule_BrokenRuleIsReportedAndOthersStillRun()
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var folder = Path.Combine(scratch.Folder, "rules");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "late_fee.sql"), """
            -- rule: late_fee_charged
            -- title: Late fees on the bill
            -- severity: low
            -- action: investigate
            -- setting: min_amount = 0.00   Smallest fee that fires.
            -- description: Any late_fee line (an analyst's own rule).
            SELECT carrier, account_id, NULL AS service_id, month AS period, sum(amount) AS one_time_amount, 0 AS monthly_savings,
                   'late fees' AS detail, tem_evidence(list(line_ref)) AS evidence
            FROM audit_lines WHERE charge_type = 'one_time' GROUP BY carrier, account_id, month HAVING sum(amount) > {{min_amount}}
            """);
        File.WriteAllText(Path.Combine(folder, "broken.sql"), """
            -- rule: broken_rule
            -- title: Refers to a table that does not exist
            -- severity: low
            -- action: investigate
            SELECT * FROM no_such_table
            """);
        File.WriteAllText(Path.Combine(folder, "unparsable.sql"), "SELECT 1");

        var result = scratch.Audit(new AuditOptions { RulesFolder = folder });
        var broken = Assert.Single(result.Rules, r => r.Error is not null);
        Assert.Equal("broken_rule", broken.RuleId);
        Assert.Contains("no_such_table", broken.Error, StringComparison.Ordinal);
        Assert.Contains(result.BrokenRuleFiles, b => b.File.EndsWith("unparsable.sql", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Finding.Rule == "late_fee_charged");
        Assert.Contains(result.Findings, f => f.Finding.Rule == "tax_on_exempt");
    }

    [Fact]
    public void Audit_SettingOverride_ChangesTheThreshold()
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var normal = scratch.Audit().Findings.Count(f => f.Finding.Rule == "oversized_plan");
        var strict = scratch.Audit(new AuditOptions { Settings = new Dictionary<string, string> { ["oversized_plan.min_saving"] = "1000" } }, "run-2")
            .Findings.Count(f => f.Finding.Rule == "oversized_plan" && f.Status != FindingStatus.Resolved);
        Assert.True(normal > 0);
        Assert.Equal(0, strict);
    }

    [Fact]
    public void Parse_Requires_ListsTheTables_AndABadNameIsAnError()
    {
        var rule = RuleDefinition.Parse("-- rule: x\n-- title: t\n-- severity: low\n-- action: investigate\n-- requires: pbx_calls, resale\nSELECT 1", "x.sql");
        Assert.Equal(["pbx_calls", "resale"], rule.Requires);
        Assert.Contains(RuleCatalog.BuiltIn, r => r.Id == "pbx_unmatched" && r.Requires.SequenceEqual(["pbx_calls"]));

        var e = Assert.Throws<InputDataException>(() =>
            RuleDefinition.Parse("-- rule: x\n-- title: t\n-- severity: low\n-- action: investigate\n-- requires: usage; DROP\nSELECT 1", "x.sql"));
        Assert.StartsWith("x.sql:5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_RuleRequiringAnEmptyTable_IsNotRun_AndRunsOnceTheTableHasRows()
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var folder = Path.Combine(scratch.Folder, "rules");
        Directory.CreateDirectory(folder);

        // The SELECT fails whenever it runs (DuckDB's error()), so a rule without an error was not run.
        const string Header = "-- rule: needs_{0}\n-- title: t\n-- severity: low\n-- action: investigate\n-- requires: {0}\n";
        const string Select = """
            SELECT carrier, account_id, NULL AS service_id, month AS period, 1 AS one_time_amount, 0 AS monthly_savings,
                   error('the rule ran') AS detail, '' AS evidence
            FROM audit_lines LIMIT 1
            """;
        File.WriteAllText(Path.Combine(folder, "a.sql"), string.Format(CultureInfo.InvariantCulture, Header + Select, "pbx_calls"));
        File.WriteAllText(Path.Combine(folder, "b.sql"), string.Format(CultureInfo.InvariantCulture, Header + Select, "charges"));

        var result = scratch.Audit(new AuditOptions { RulesFolder = folder });
        var skipped = Assert.Single(result.Rules, r => r.RuleId == "needs_pbx_calls");
        Assert.Null(skipped.Error);
        Assert.Equal(0, skipped.Findings);
        var ran = Assert.Single(result.Rules, r => r.RuleId == "needs_charges");
        Assert.Contains("the rule ran", ran.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_Steps_AccountForTheWorkOutsideTheRules()
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Services = 40, Months = 5, Seed = 3 });
        var result = scratch.Audit();
        Assert.Equal(
            ["lake views", "shared tables (base.sql)", "rating views (rating.sql)", "rated calls (calls.sql)", "accounts", "anomaly features",
             "storing the findings", "reconciling with the bills"],
            result.Steps.Select(s => s.Name));
        Assert.All(result.Steps, s => Assert.True(s.Elapsed >= TimeSpan.Zero));
    }
}
