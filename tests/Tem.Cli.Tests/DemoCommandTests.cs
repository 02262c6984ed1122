using static Tem.Cli.Tests.Cli;
using System.Globalization;
using System.Text.Json;

namespace Tem.Cli.Tests;

/// <summary>tem demo and the --json / --quiet machinery every command shares.</summary>
public sealed class DemoCommandTests(DemoLakeFixture demo) : IClassFixture<DemoLakeFixture>
{
    [Fact]
    public void Demo_PrintsFoundMoneyPerCurrencyAndTheReportPath()
    {
        Assert.True(demo.Code == 0, demo.Err);
        var report = Path.Combine(demo.Root, "report.html");
        Assert.Contains($"report: {report}", demo.Out, StringComparison.Ordinal);
        Assert.Contains("<svg", File.ReadAllText(report), StringComparison.Ordinal);
        var findings = CsvFile.Read(Path.Combine(demo.Root, "findings.csv"));
        Assert.NotEmpty(findings);

        // Each currency's line matches the report's own findings: validated live ones are found money (one-time + 12 x
        // monthly), realised and potential follow.
        foreach (var currency in findings.Select(f => f["currency"]).Distinct())
        {
            var mine = findings.Where(f => f["currency"] == currency).ToList();
            var validated = mine.Where(f => f["money_kind"] == "validated" && CsvFile.Live(f)).ToList();
            var oneTime = validated.Sum(f => CsvFile.Dec(f, "one_time_amount"));
            var monthly = validated.Sum(f => CsvFile.Dec(f, "monthly_savings"));
            var realised = mine.Where(f => f["money_kind"] != "reseller").Sum(f => CsvFile.Dec(f, "realised_one_time") + (12 * CsvFile.Dec(f, "realised_monthly")));
            var potential = mine.Where(f => f["money_kind"] == "potential" && CsvFile.Live(f)).Sum(f => CsvFile.Dec(f, "one_time_amount") + (12 * CsvFile.Dec(f, "monthly_savings")));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture,
                $"{currency}: {validated.Count} findings, one-time {oneTime:0.00} + 12 x monthly {monthly:0.00} = found money {oneTime + (12 * monthly):0.00}; realised {realised:0.00}; potential {potential:0.00} to investigate"),
                demo.Out, StringComparison.Ordinal);
        }

        // The sample's dispute log was applied and the carriers' credits on later bills were matched.
        Assert.Contains("disputes.csv: dispute log: read 6 / applied 6 / already recorded 0 / rejected 0", demo.Out, StringComparison.Ordinal);
        Assert.Contains("bills: 2 credits matched to claims", demo.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_Json_PrintsOneDocumentWithTheRunAndFoundMoney()
    {
        var again = Run("demo", "--out", demo.Root, "--json");
        Assert.True(again.Code == 0, again.Err);
        using var doc = JsonDocument.Parse(again.Out);
        var run = doc.RootElement.GetProperty("run");
        Assert.Equal("ok", run.GetProperty("outcome").GetString());
        Assert.Equal(0, run.GetProperty("rows_stored").GetInt64());
        Assert.True(run.GetProperty("findings").GetInt32() > 0);
        Assert.Equal(Path.Combine(demo.Root, "report.html"), run.GetProperty("report").GetString());
        var money = run.GetProperty("found_money").EnumerateArray().ToList();
        Assert.NotEmpty(money);
        Assert.All(money, m => Assert.Equal(
            m.GetProperty("one_time").GetDecimal() + (12 * m.GetProperty("monthly_savings").GetDecimal()), m.GetProperty("found_money").GetDecimal()));
    }

    [Fact]
    public void Run_Quiet_PrintsOnlyTheResultLines()
    {
        var quiet = Run("run", "--inbox", Path.Combine(demo.Root, "inbox"), "--lake", demo.Lake, "--out", demo.Root, "--quiet");
        Assert.True(quiet.Code == 0, quiet.Err);
        var lines = quiet.Out.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split('\n');
        Assert.All(lines, l => Assert.Matches("^([A-Z]{3}: .* = found money .*|report: .*)$", l));
        Assert.Contains(lines, l => l.StartsWith("report: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_Json_PrintsOneDocumentWhoseFoundMoneyIsTheSumOfFindingsCsv()
    {
        var outDir = Path.Combine(demo.Root, "report-json");
        var result = Run("report", "--lake", demo.Lake, "--out", outDir, "--json");
        Assert.True(result.Code == 0, result.Err);

        // One document and nothing else: JsonDocument.Parse rejects trailing text.
        using var doc = JsonDocument.Parse(result.Out);
        var findings = CsvFile.Read(Path.Combine(outDir, "findings.csv"));
        var money = doc.RootElement.GetProperty("found_money").EnumerateArray().ToList();
        Assert.Equal(findings.Where(CsvFile.Live).Select(f => f["currency"]).Distinct().Order(StringComparer.Ordinal), money.Select(m => m.GetProperty("currency").GetString()!).Order(StringComparer.Ordinal));
        foreach (var m in money)
        {
            var mine = findings.Where(f => f["currency"] == m.GetProperty("currency").GetString()).ToList();
            foreach (var (kind, json) in new[] { ("validated", m), ("potential", m.GetProperty("potential")), ("reseller", m.GetProperty("reseller_revenue")) })
            {
                var live = mine.Where(f => f["money_kind"] == kind && CsvFile.Live(f)).ToList();
                var oneTime = live.Sum(f => CsvFile.Dec(f, "one_time_amount"));
                var monthly = live.Sum(f => CsvFile.Dec(f, "monthly_savings"));
                Assert.Equal(live.Count, json.GetProperty("findings").GetInt32());
                Assert.Equal(oneTime, json.GetProperty("one_time").GetDecimal());
                Assert.Equal(monthly, json.GetProperty("monthly_savings").GetDecimal());
                Assert.Equal(oneTime + (12 * monthly), json.GetProperty("found_money").GetDecimal());
            }

            Assert.Equal(mine.Where(f => f["money_kind"] != "reseller").Sum(f => CsvFile.Dec(f, "realised_one_time")), m.GetProperty("realised").GetProperty("credited").GetDecimal());
        }

        // One proposal per deal, with the payback month the generator computed independently (answer_key_money.csv).
        var key = CsvFile.Read(Path.Combine(demo.Root, "answer_key_money.csv"));
        foreach (var p in doc.RootElement.GetProperty("proposals").EnumerateArray())
        {
            var expected = key.Single(k => k["item"] == "payback_month" && k["deal_id"] == p.GetProperty("deal_id").GetString());
            Assert.Equal(expected["value"], p.GetProperty("payback_month").GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        Assert.Equal(2, doc.RootElement.GetProperty("proposals").GetArrayLength());

        // Realised per currency as the generator planted it (credits matched from later bills, and one recorded by hand).
        foreach (var k in key.Where(k => k["item"] == "realised_credited"))
        {
            Assert.Equal(CsvFile.Dec(k, "value"), money.Single(m => m.GetProperty("currency").GetString() == k["currency"]).GetProperty("realised").GetProperty("credited").GetDecimal());
        }
    }

    [Fact]
    public void Report_Quiet_PrintsOnlyTheResultLines()
    {
        var quiet = Run("report", "--lake", demo.Lake, "--out", Path.Combine(demo.Root, "report-quiet"), "--quiet");
        Assert.True(quiet.Code == 0, quiet.Err);
        var lines = quiet.Out.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split('\n');
        Assert.All(lines, l => Assert.Matches("^([A-Z]{3}: [0-9]+ findings, .* = found money .*|proposal .*: payback .*|[0-9]+ files; report: .*)$", l));
        Assert.Contains(lines, l => l.Contains("; report: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("tenants: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_MissingInbox_ExitsOneAndSaysWhichFolder()
    {
        var missing = Path.Combine(demo.Root, "no-such-inbox");
        var result = Run("run", "--inbox", missing, "--lake", demo.Lake, "--out", demo.Root);
        Assert.Equal(TemApp.Failure, result.Code);
        Assert.Contains(missing, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_Json_HasBothVersions()
    {
        var (code, output, _) = Run("version", "--json");
        Assert.Equal(TemApp.Ok, code);
        using var doc = JsonDocument.Parse(output);
        Assert.StartsWith("v1.5", doc.RootElement.GetProperty("duckdb").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("run")]
    [InlineData("schedule")]
    [InlineData("sql")]
    public void Help_EveryNewCommand_ExitsZeroAndDescribesItself(string command)
    {
        var (code, output, _) = Run(command, "--help");
        Assert.Equal(TemApp.Ok, code);
        Assert.Contains("--json", output, StringComparison.Ordinal);
        Assert.Contains("--quiet", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_WithoutConfigOrCron_IsUsageErrorTwo()
    {
        var (code, _, error) = Run("schedule");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--config", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_BadCron_IsUsageErrorNamingIt()
    {
        var (code, _, error) = Run("schedule", "--cron", "every night", "--inbox", demo.Root, "--check");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("every night", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_CheckConfigFile_PrintsEachPipelineWithItsNextRun()
    {
        var file = Path.Combine(demo.Root, "schedule.json");
        File.WriteAllText(file, """
            { "store": { "kind": "sqlite", "path": "schedule.db" },
              "pipelines": [ { "name": "nightly", "cron": "0 0 2 * * ?", "timeZone": "Europe/London", "inbox": "inbox", "lake": "lake", "out": "out" } ] }
            """);
        var (code, output, error) = Run("schedule", "--config", file, "--check");
        Assert.True(code == 0, error);
        Assert.Contains("nightly: cron '0 0 2 * * ?' (Europe/London), next run ", output, StringComparison.Ordinal);
        Assert.Contains($"inbox {Path.Combine(demo.Root, "inbox")}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_ConfigWithUnknownProperty_FailsNamingTheFile()
    {
        var file = Path.Combine(demo.Root, "bad.json");
        File.WriteAllText(file, """{ "pipelines": [], "stroe": {} }""");
        var (code, _, error) = Run("schedule", "--config", file, "--check");
        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("bad.json", error, StringComparison.Ordinal);
    }
}
