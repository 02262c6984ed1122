using System.Globalization;
using System.Text;
using System.Text.Json;
using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>A small lake built through the CLI itself: sample data, ingest and audit, each run with <c>--json</c>.</summary>
public sealed class JsonLakeFixture : IDisposable
{
    private readonly TempFolder _temp = new("tem-cli-json");

    public JsonLakeFixture()
    {
        Root = _temp.Path;
        SampleData = Run("sample-data", "--out", Inbox, "--services", "40", "--months", "4", "--seed", "5", "--json");
        Ingest = Run("ingest", Inbox, "--lake", Lake, "--json");
        Audit = Run("audit", "--lake", Lake, "--json");
    }

    public string Root { get; }

    public string Inbox => Path.Combine(Root, "inbox");

    public string Lake => Path.Combine(Root, "lake");

    public (int Code, string Out, string Err) SampleData { get; }

    public (int Code, string Out, string Err) Ingest { get; }

    public (int Code, string Out, string Err) Audit { get; }

    public void Dispose() => _temp.Dispose();
}

/// <summary>Every command honours <c>--json</c>: stdout is one JSON document naming the command's result.</summary>
public sealed class JsonOutputTests(JsonLakeFixture lake) : IClassFixture<JsonLakeFixture>
{
    /// <summary>Parses stdout as exactly one JSON document (trailing text, a second document or a plain line fail).</summary>
    private static JsonElement Json((int Code, string Out, string Err) run, int expectedCode = TemApp.Ok)
    {
        Assert.True(run.Code == expectedCode, $"exit {run.Code}\n{run.Err}\n{run.Out}");
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Version_Json_NamesTemAndDuckDb()
    {
        var json = Json(Run("version", "--json"));
        Assert.StartsWith("v1.", json.GetProperty("duckdb").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("tem").GetString()));
    }

    [Fact]
    public void SampleData_Json_CountsFilesRowsAndPlantedFindings()
    {
        var json = Json(lake.SampleData);
        Assert.True(json.GetProperty("planted_findings").GetInt32() > 0);
        Assert.True(json.GetProperty("rows").GetInt64() > 0);
        Assert.Contains(json.GetProperty("files").EnumerateArray(), f => f.GetProperty("rows").GetInt64() > 0);
    }

    [Fact]
    public void Ingest_Json_CountsFilesAndRows()
    {
        var json = Json(lake.Ingest);
        Assert.Equal("ok", json.GetProperty("outcome").GetString());
        Assert.StartsWith("ingest-", json.GetProperty("run_id").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("files").GetInt32() > 0);
        Assert.Equal(json.GetProperty("rows_read").GetInt64(), json.GetProperty("rows_stored").GetInt64() + json.GetProperty("rows_rejected").GetInt64());
        Assert.True(json.GetProperty("rows_stored").GetInt64() > 0);
    }

    [Fact]
    public void Audit_Json_CountsFindingsPerRuleAndFoundMoney()
    {
        var json = Json(lake.Audit);
        Assert.Equal("ok", json.GetProperty("outcome").GetString());
        Assert.True(json.GetProperty("findings").GetInt32() > 0);
        // A fresh lake: every finding is open, so each is in exactly one kind of money.
        Assert.Equal(json.GetProperty("findings").GetInt32(), json.GetProperty("found_money").EnumerateArray()
            .Sum(t => t.GetProperty("findings").GetInt32() + t.GetProperty("potential").GetProperty("findings").GetInt32() + t.GetProperty("reseller_revenue").GetProperty("findings").GetInt32()));
        Assert.Contains(json.GetProperty("rules").EnumerateArray(), r => r.GetProperty("rule").GetString() == "rate_overcharge");
    }

    [Fact]
    public void AuditListRules_Json_ListsRulesAndModels()
    {
        var rules = Json(Run("audit", "--list-rules", "--json")).GetProperty("rules").EnumerateArray().ToList();
        Assert.Contains(rules, r => r.GetProperty("id").GetString() == "rate_overcharge" && !r.GetProperty("model").GetBoolean());
        Assert.Contains(rules, r => r.GetProperty("id").GetString() == "spend_anomaly" && r.GetProperty("model").GetBoolean());
    }

    [Fact]
    public void Findings_Json_ListsTheStoredFindings()
    {
        var json = Json(Run("findings", "--lake", lake.Lake, "--json"));
        var findings = json.GetProperty("findings").EnumerateArray().ToList();
        Assert.True(json.GetProperty("count").GetInt32() > 0);
        Assert.Equal(json.GetProperty("count").GetInt32(), findings.Count);
        Assert.Equal(findings.Count, findings.Select(f => f.GetProperty("finding_id").GetString()).Distinct().Count());
        Assert.All(findings, f => Assert.Contains(f.GetProperty("status").GetString(), new[] { "open", "submitted", "credited", "rejected", "closed", "resolved" }));
    }

    [Fact]
    public void FindingsSetStatus_Json_NamesTheFindingAndItsStatus()
    {
        var id = Json(Run("findings", "--lake", lake.Lake, "--json")).GetProperty("findings")[0].GetProperty("finding_id").GetString()!;
        var json = Json(Run("findings", "set-status", id[..12], "disputed", "--lake", lake.Lake, "--note", "json test", "--json"));
        Assert.Equal(id, json.GetProperty("finding_id").GetString());
        Assert.Equal("submitted", json.GetProperty("status").GetString());
    }

    [Fact]
    public void Report_Json_NamesTheReportAndFoundMoney()
    {
        var json = Json(Run("report", "--lake", lake.Lake, "--out", Path.Combine(lake.Root, "report"), "--json"));
        Assert.True(File.Exists(json.GetProperty("report").GetString()));
        Assert.True(json.GetProperty("found_money").GetArrayLength() > 0);
    }

    [Fact]
    public void Run_Json_NamesTheRunItsOutcomeAndRows()
    {
        var root = Path.Combine(lake.Root, "run");
        var json = Json(Run("run", "--inbox", lake.Inbox, "--lake", Path.Combine(root, "lake"), "--out", Path.Combine(root, "out"), "--json"));
        Assert.Equal("ok", json.GetProperty("outcome").GetString());
        Assert.StartsWith("run-", json.GetProperty("run_id").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("rows_stored").GetInt64() > 0);
        Assert.True(json.GetProperty("findings").GetInt32() > 0);
    }

    [Fact]
    public void ConfigShow_Json_NamesTheSettingsAndWhereEachComesFrom()
    {
        var json = Json(Run("config", "show", "--lake", lake.Lake, "--fx", "EUR=1.08", "--json"));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("file").ValueKind);
        Assert.Equal(1.08m, json.GetProperty("settings").GetProperty("report").GetProperty("fx").GetProperty("EUR").GetDecimal());
        Assert.Equal("flag", json.GetProperty("sources").GetProperty("report.fx.EUR").GetString());
        Assert.Equal("default", json.GetProperty("sources").GetProperty("memoryLimit").GetString());
    }

    [Fact]
    public void Demo_Json_NamesTheRunAndThePlantedFindings()
    {
        var json = Json(Run("demo", "--out", Path.Combine(lake.Root, "demo"), "--json"));
        Assert.True(json.GetProperty("planted_findings").GetInt32() > 0);
        Assert.Equal("ok", json.GetProperty("run").GetProperty("outcome").GetString());
    }

    [Fact]
    public void Sql_Json_IsTheRowsAsAnArray()
    {
        var json = Json(Run("sql", "--lake", lake.Lake, "--json", "SELECT count(*) AS calls FROM usage"));
        Assert.True(json[0].GetProperty("calls").GetInt64() > 0);
    }

    [Fact]
    public void EvalAnomaly_Json_ScoresEveryDetector()
    {
        var text = new StringBuilder("timestamp,value,label\n");
        var monday = new DateOnly(2026, 1, 5);
        for (var i = 0; i < 140; i++)
        {
            var value = (i % 7 >= 5 ? 6.0 : 40.0) * (i is 30 or 51 ? 3 : 1);
            text.Append(CultureInfo.InvariantCulture, $"{monday.AddDays(i):yyyy-MM-dd},{value},{(i is 30 or 51 ? 1 : 0)}\n");
        }

        var series = Path.Combine(lake.Root, "series.csv");
        File.WriteAllText(series, text.ToString());
        var json = Json(Run("eval-anomaly", "--series", series, "--json"));
        Assert.Equal(140, json.GetProperty("points").GetInt32());
        Assert.Equal(2, json.GetProperty("events").GetInt32());
        Assert.Contains(json.GetProperty("detectors").EnumerateArray(), d => d.GetProperty("detector").GetString() == "any (union)");
    }

    [Fact]
    public void ScheduleCheck_Json_ListsThePipelines()
    {
        var json = Json(Run("schedule", "--check", "--cron", "0 0 2 * * ?", "--inbox", lake.Inbox, "--lake", Path.Combine(lake.Root, "sched-lake"), "--json"));
        Assert.Equal("nightly", json.GetProperty("pipelines")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Ingest_Quiet_PrintsOnlyTheTotalsLine()
    {
        var run = Run("ingest", lake.Inbox, "--lake", lake.Lake, "--quiet");
        Assert.Equal(TemApp.Ok, run.Code);
        Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("files: read", run.Out, StringComparison.Ordinal);
    }
}

/// <summary><c>tem findings</c>: which lake it reads and changes, and that reading never writes.</summary>
public sealed class FindingsLakeOptionTests(JsonLakeFixture lake) : IClassFixture<JsonLakeFixture>
{
    [Theory]
    [InlineData("findings", "--lake", "LAKE")]
    [InlineData("findings", "--lake", "LAKE", "set-status", "0123456789ab", "closed")]
    [InlineData("audit", "--lake", "LAKE")]
    [InlineData("audit", "--lake", "LAKE", "--set", "rate_overcharge.min_amount=0.5", "--save")]
    [InlineData("config", "show", "--lake", "LAKE")]
    [InlineData("config", "show", "--lake", "LAKE", "--fx", "GBP=1.17", "--save")]
    [InlineData("report", "--lake", "LAKE", "--fx", "GBP=1.17", "--save", "--out", "OUT")]
    [InlineData("report", "--lake", "LAKE", "--out", "OUT")]
    [InlineData("sql", "--lake", "LAKE", "SELECT 1")]
    [InlineData("disputes", "--lake", "LAKE")]
    [InlineData("disputes", "--lake", "LAKE", "matches")]
    [InlineData("disputes", "--lake", "LAKE", "pack", "--carrier", "Albion", "--out", "OUT")]
    public void Command_MistypedLake_SaysNotALakeSuggestsTheLakeExitsOneAndCreatesNothing(params string[] args)
    {
        // The lake's path with its last letter dropped: "…/lake" typed as "…/lak".
        var typo = lake.Lake[..^1];
        var output = Path.Combine(lake.Root, "out-" + Guid.NewGuid().ToString("N"));

        var (code, _, error) = Run([.. args.Select(a => a switch { "LAKE" => typo, "OUT" => output, _ => a })]);

        Assert.Equal(TemApp.Failure, code);
        Assert.Contains($"{typo} is not a lake (did you mean {lake.Lake}?)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(typo), "a command that does not bring data in must not create a lake");
        Assert.False(Directory.Exists(output), "nothing is written for a folder that holds no lake");
    }

    [Fact]
    public void Audit_NoLakeAnywhereNear_SaysHowToMakeOne()
    {
        var empty = Path.Combine(lake.Root, "empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(empty, "a", "b"));

        var (code, _, error) = Run("audit", "--lake", Path.Combine(empty, "a", "b", "x"));

        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("is not a lake (run 'tem ingest' or 'tem run' to make one)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(empty, "a", "b", "x")));
    }

    [Fact]
    public void SetStatus_WhileAnotherWriterHoldsTheLake_FailsAndNamesTheHolder()
    {
        var id = JsonDocument.Parse(Run("findings", "--lake", lake.Lake, "--json").Out).RootElement.GetProperty("findings")[0].GetProperty("finding_id").GetString()!;
        using (var held = Tem.Lake.LakeWriteLock.TryAcquire(lake.Lake, "a nightly run", TimeSpan.Zero, TimeProvider.System, out _))
        {
            Assert.NotNull(held);
            var (code, _, error) = Run("findings", "--lake", lake.Lake, "set-status", id, "closed");
            Assert.Equal(TemApp.Failure, code);
            Assert.Contains("a nightly run", error, StringComparison.Ordinal);

            // Readers do not need the lock.
            Assert.Equal(TemApp.Ok, Run("findings", "--lake", lake.Lake).Code);
        }

        Assert.Equal(TemApp.Ok, Run("findings", "--lake", lake.Lake, "set-status", id, "closed").Code);
    }

    [Fact]
    public void SetStatus_LakeBeforeTheSubcommand_ChangesThatLake()
    {
        var id = JsonDocument.Parse(Run("findings", "--lake", lake.Lake, "--json").Out).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("one_time_amount").GetDecimal() > 0 && f.GetProperty("status").GetString() == "open").Skip(1).First().GetProperty("finding_id").GetString()!;

        // 'recovered' is the older name of 'credited': the whole one-time amount came back.
        var set = Run("findings", "--lake", lake.Lake, "set-status", id[..16], "recovered", "--note", "credit 42");

        Assert.True(set.Code == TemApp.Ok, set.Err);
        var after = JsonDocument.Parse(Run("findings", "--lake", lake.Lake, "--json").Out).RootElement.GetProperty("findings")
            .EnumerateArray().Single(f => f.GetProperty("finding_id").GetString() == id);
        Assert.Equal("credited", after.GetProperty("status").GetString());
        Assert.Equal(after.GetProperty("one_time_amount").GetDecimal(), after.GetProperty("amount_credited").GetDecimal());
        Assert.Equal("credit 42", after.GetProperty("status_note").GetString());
    }
}
