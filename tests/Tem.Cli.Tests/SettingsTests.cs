using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Tem.DuckDb;
using Tem.Lake;
using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>
/// The committed sample-data/ as an inbox (its answer keys kept aside) and one lake built from it (ingest and audit),
/// which tests copy before they change anything.
/// </summary>
public sealed class SettingsFixture : IDisposable
{
    private readonly TempFolder _temp = new("tem-cli-settings");

    public SettingsFixture()
    {
        Root = _temp.Path;
        Directory.CreateDirectory(Inbox);
        foreach (var file in Directory.GetFiles(Repo("sample-data"), "*.csv").Where(f => !Path.GetFileName(f).StartsWith("answer_key", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(Inbox, Path.GetFileName(file)));
        }

        Directory.CreateDirectory(Path.Combine(Inbox, "logos"));
        foreach (var logo in Directory.GetFiles(Repo("sample-data", "logos")))
        {
            File.Copy(logo, Path.Combine(Inbox, "logos", Path.GetFileName(logo)));
        }

        var ingest = Run(["ingest", .. Directory.GetFiles(Inbox, "*.csv").Where(f => !f.EndsWith("disputes.csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal), "--lake", Lake]);
        Assert.True(ingest.Code == 0, ingest.Err);
    }

    public string Root { get; }

    public string Inbox => Path.Combine(Root, "inbox");

    /// <summary>Ingested, never audited nor given a settings file: copy it (<see cref="CopyLake"/>) to change it.</summary>
    public string Lake => Path.Combine(Root, "lake");

    /// <summary>The planted <c>rate_overcharge</c> findings of the answer key: (account, service, period, one-time amount).</summary>
    public static IReadOnlyList<(string Account, string Service, string Period, decimal Amount)> PlantedOvercharges { get; } =
        [.. CsvFile.Read(Repo("sample-data", "answer_key.csv")).Where(r => r["rule"] == "rate_overcharge")
            .Select(r => (r["account_id"], r["service_id"], r["period"], CsvFile.Dec(r, "one_time_amount")))];

    /// <summary>A copy of the ingested lake in a folder of its own.</summary>
    public string CopyLake(string name)
    {
        var target = Path.Combine(Root, name, "lake");
        foreach (var dir in Directory.GetDirectories(Lake, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(Lake, target, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Lake, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(Lake, target, StringComparison.Ordinal));
        }

        return target;
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// The lake's settings file (<c>tem.json</c>): read by audit, run and report, overridden by their options, written by
/// <c>--save</c>, shown by <c>tem config show</c>, checked with the file, line and key named, and recorded with every run.
/// </summary>
public sealed class SettingsTests(SettingsFixture fx) : IClassFixture<SettingsFixture>
{
    /// <summary>Between the two planted overcharges of the sample (0.21 USD and 0.7977 GBP).</summary>
    private const decimal Threshold = 0.5m;

    private static JsonElement Json((int Code, string Out, string Err) run, int expectedCode = TemApp.Ok)
    {
        Assert.True(run.Code == expectedCode, $"exit {run.Code}\n{run.Err}\n{run.Out}");
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.Clone();
    }

    /// <summary>The live <c>rate_overcharge</c> findings of a findings.csv as (account, service, period).</summary>
    private static List<(string, string, string)> Overcharges(string findingsCsv) =>
        [.. CsvFile.Read(findingsCsv).Where(f => f["rule"] == "rate_overcharge" && CsvFile.Live(f))
            .Select(f => (f["account_id"], f["service_id"], f["period"])).Order()];

    private static List<(string, string, string)> PlantedAtOrAbove(decimal threshold) =>
        [.. SettingsFixture.PlantedOvercharges.Where(p => p.Amount >= threshold).Select(p => (p.Account, p.Service, p.Period)).Order()];

    /// <summary>The settings column of the lake's runs, oldest first, read through <c>tem sql</c> as an analyst would.</summary>
    private static List<(string Command, JsonElement? Settings)> RecordedSettings(string lake)
    {
        var json = Json(Run("sql", "--lake", lake, "--format", "json", "SELECT command, settings FROM runs ORDER BY started_at"));
        return [.. json.EnumerateArray().Select(r => (r.GetProperty("command").GetString()!,
            r.GetProperty("settings").ValueKind == JsonValueKind.Null ? (JsonElement?)null : Parse(r.GetProperty("settings").GetString()!)))];
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static decimal MinAmount(JsonElement settings) =>
        settings.GetProperty("audit").GetProperty("set").GetProperty("rate_overcharge.min_amount").GetDecimal();

    [Fact]
    public void Run_SettingsFileInTheLake_IsUsedAndRecorded_AndASetFlagOverridesIt()
    {
        var lake = fx.CopyLake("run");
        var outDir = Path.Combine(Path.GetDirectoryName(lake)!, "out");
        File.WriteAllText(Path.Combine(lake, "tem.json"), $$"""
            {
              // Tuned once, kept for every night.
              "audit": { "set": { "rate_overcharge.min_amount": {{Threshold.ToString(CultureInfo.InvariantCulture)}} } },
              "report": { "tenants": false, "fx": { "GBP": 1.27, "EUR": 1.08 } }
            }
            """);

        var first = Json(Run("run", "--inbox", fx.Inbox, "--lake", lake, "--out", outDir, "--json"));

        Assert.Equal("ok", first.GetProperty("outcome").GetString());
        Assert.Equal(PlantedAtOrAbove(Threshold), Overcharges(Path.Combine(outDir, "findings.csv")));
        Assert.NotEmpty(PlantedAtOrAbove(Threshold));
        Assert.False(Directory.Exists(Path.Combine(outDir, "tenants")), "report.tenants false: no tenant sets");
        Assert.DoesNotContain(first.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("no exchange rate", StringComparison.Ordinal));
        Assert.Equal(Threshold, MinAmount(first.GetProperty("settings")));

        // The same night by hand with the default threshold: the flag wins, the findings show it, the record says so.
        var second = Json(Run("run", "--inbox", fx.Inbox, "--lake", lake, "--out", outDir, "--set", "rate_overcharge.min_amount=0.01", "--json"));

        Assert.Equal(PlantedAtOrAbove(0.01m), Overcharges(Path.Combine(outDir, "findings.csv")));
        Assert.True(PlantedAtOrAbove(0.01m).Count > PlantedAtOrAbove(Threshold).Count);
        Assert.Equal(0.01m, MinAmount(second.GetProperty("settings")));
        var recorded = RecordedSettings(lake).Where(r => r.Command == "run").ToList();
        Assert.Equal(2, recorded.Count);
        Assert.Equal([Threshold, 0.01m], recorded.Select(r => MinAmount(r.Settings!.Value)));
        Assert.False(recorded[1].Settings!.Value.GetProperty("report").GetProperty("tenants").GetBoolean());
        Assert.Equal(1.27m, recorded[1].Settings!.Value.GetProperty("report").GetProperty("fx").GetProperty("GBP").GetDecimal());
    }

    [Fact]
    public void Audit_SettingsFile_IsUsed_AFlagOverridesIt_AndBothAreRecorded()
    {
        var lake = fx.CopyLake("audit");
        File.WriteAllText(Path.Combine(lake, "tem.json"), """{ "audit": { "set": { "rate_overcharge.min_amount": 1000000 } } }""");

        var fromFile = Json(Run("audit", "--lake", lake, "--json"));
        var fromFlag = Json(Run("audit", "--lake", lake, "--set", $"rate_overcharge.min_amount={Threshold.ToString(CultureInfo.InvariantCulture)}", "--json"));

        static int Found(JsonElement audit) => audit.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "rate_overcharge").GetProperty("findings").GetInt32();
        Assert.Equal(0, Found(fromFile));
        Assert.Equal(PlantedAtOrAbove(Threshold).Count, Found(fromFlag));
        Assert.Equal([1000000m, Threshold], RecordedSettings(lake).Where(r => r.Command == "audit").Select(r => MinAmount(r.Settings!.Value)));
    }

    [Fact]
    public void Report_SettingsFileFx_SilencesTheFxHint_TenantsOff_AndAFlagOverridesTheRate()
    {
        var lake = fx.CopyLake("report");
        Assert.Equal(0, Run("audit", "--lake", lake, "--quiet").Code);
        var plain = Json(Run("report", "--lake", lake, "--out", Path.Combine(lake, "..", "plain"), "--json"));
        var hint = plain.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).Single(w => w.Contains("no exchange rate", StringComparison.Ordinal));
        Assert.Contains("set report.fx.GBP in the lake's tem.json, or pass --fx GBP=RATE", hint, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(lake, "tem.json"), """{ "report": { "fx": { "GBP": 1.27 }, "tenants": false } }""");
        var tuned = Json(Run("report", "--lake", lake, "--out", Path.Combine(lake, "..", "tuned"), "--json"));
        var flagged = Json(Run("report", "--lake", lake, "--out", Path.Combine(lake, "..", "flagged"), "--fx", "GBP=1.30", "--json"));

        Assert.DoesNotContain(tuned.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("no exchange rate", StringComparison.Ordinal));
        Assert.Empty(tuned.GetProperty("tenants").EnumerateArray());
        Assert.NotEmpty(plain.GetProperty("tenants").EnumerateArray());
        Assert.Equal(1.27m, tuned.GetProperty("settings").GetProperty("report").GetProperty("fx").GetProperty("GBP").GetDecimal());
        Assert.Equal(1.30m, flagged.GetProperty("settings").GetProperty("report").GetProperty("fx").GetProperty("GBP").GetDecimal());

        // The GBP money now funds the USD deal: its found one-time money grows by more under the higher rate.
        static decimal FoundOneTime(JsonElement report) => report.GetProperty("proposals").EnumerateArray()
            .Single(p => p.GetProperty("deal_id").GetString() == "NG-2026-SDWAN").GetProperty("found_one_time").GetDecimal();
        Assert.True(FoundOneTime(tuned) > FoundOneTime(plain), $"{FoundOneTime(tuned)} vs {FoundOneTime(plain)}");
        Assert.True(FoundOneTime(flagged) > FoundOneTime(tuned), $"{FoundOneTime(flagged)} vs {FoundOneTime(tuned)}");
    }

    [Fact]
    public void Run_SameReportWarningTheNextNight_IsNotRepeatedAsAProblem_ButSaysSinceWhichRun()
    {
        var lake = Path.Combine(fx.Root, "nightly", "lake");
        var outDir = Path.Combine(fx.Root, "nightly", "out");

        var first = Run("run", "--inbox", fx.Inbox, "--lake", lake, "--out", outDir);
        var second = Run("run", "--inbox", fx.Inbox, "--lake", lake, "--out", outDir);

        Assert.True(first.Code == 0 && second.Code == 0, first.Err + second.Err);
        Assert.Contains("no exchange rate: set report.fx.GBP", first.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("no exchange rate", second.Err, StringComparison.Ordinal);
        var firstRun = Json(Run("sql", "--lake", lake, "--format", "json", "SELECT run_id, warnings FROM runs ORDER BY started_at LIMIT 1"))[0];
        Assert.Contains($"unchanged since run {firstRun.GetProperty("run_id").GetString()}, not repeated", second.Out, StringComparison.Ordinal);
        Assert.Contains("no exchange rate: set report.fx.GBP", firstRun.GetProperty("warnings").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit")]
    [InlineData("run")]
    [InlineData("report")]
    [InlineData("config")]
    public void BadSettingsFile_EveryCommand_ExitsOneNamingTheFileLineAndKey(string command)
    {
        var lake = Path.Combine(fx.Root, "bad-" + command, "lake");
        Directory.CreateDirectory(lake);
        if (command != "run")
        {
            // Only run makes a lake; the others need one to read the settings of.
            TemLake.Open(lake);
        }

        File.WriteAllText(Path.Combine(lake, "tem.json"), "{\n  \"report\": {\n    \"fx\": { \"EUR\": 1.08 },\n    \"tenant\": false\n  }\n}\n");
        string[] args = command switch
        {
            "run" => ["run", "--inbox", fx.Inbox, "--lake", lake, "--out", Path.Combine(lake, "..", "out")],
            "config" => ["config", "show", "--lake", lake],
            _ => [command, "--lake", lake],
        };

        var (code, _, err) = Run(args);

        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("tem.json:4:5: $.report.tenant: unknown key 'tenant', expected one of proposalCurrency, fx, tenants", err, StringComparison.Ordinal);
        if (command == "run")
        {
            Assert.False(Directory.Exists(Path.Combine(lake, "_tem")), "nothing ran");
        }
        else
        {
            Assert.Empty(TemLake.OpenExisting(lake).Catalog.Runs());
        }
    }

    [Fact]
    public void BadValueInSettingsFile_NamesTheKeyLineAndWhatIsWrong()
    {
        var lake = Path.Combine(fx.Root, "bad-values", "lake");
        TemLake.Open(lake);
        var file = Path.Combine(lake, "tem.json");

        File.WriteAllText(file, "{\n  \"audit\": {\n    \"set\": {\n      \"rate_overcharge.min_amont\": 0.5\n    }\n  }\n}\n");
        var unknownSetting = Run("config", "show", "--lake", lake);
        File.WriteAllText(file, "{\n  \"report\": { \"contingencyFee\": 130 }\n}\n");
        var outOfRange = Run("config", "show", "--lake", lake);
        File.WriteAllText(file, "{\n  \"memoryLimit\": \"1GB\",\n  \"report\": { \"fx\": { \"GBP\": \"1,27\" } }\n}\n");
        var notANumber = Run("config", "show", "--lake", lake);

        Assert.Equal((TemApp.Failure, TemApp.Failure, TemApp.Failure), (unknownSetting.Code, outOfRange.Code, notANumber.Code));
        Assert.Contains("tem.json:4:7: $.audit.set['rate_overcharge.min_amont']: rate_overcharge.min_amont is not a setting of rate_overcharge; its settings are min_amount", unknownSetting.Err, StringComparison.Ordinal);
        Assert.Contains("tem.json:2:15: $.report.contingencyFee: 130 is not a percentage from 0 to 100", outOfRange.Err, StringComparison.Ordinal);
        Assert.Contains("tem.json:3:", notANumber.Err, StringComparison.Ordinal);
        Assert.Contains("$.report.fx.GBP: not a value this key takes, expected a positive number", notANumber.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_WritesTheOptionsGiven_KeepsTheOtherKeys_AndShowNamesEachSource()
    {
        var lake = Path.Combine(fx.Root, "save", "lake");
        TemLake.Open(lake);

        Assert.Equal(0, Run("config", "show", "--lake", lake, "--set", "rate_overcharge.min_amount=0.5", "--save", "--quiet").Code);
        Assert.Equal(0, Run("config", "show", "--lake", lake, "--fx", "EUR=1.08", "--save", "--quiet").Code);
        var shown = Json(Run("config", "show", "--lake", lake, "--proposal-currency", "USD", "--json"));

        var file = Path.Combine(lake, "tem.json");
        var saved = Parse(File.ReadAllText(file));
        Assert.Equal(0.5m, MinAmount(saved));
        Assert.Equal(1.08m, saved.GetProperty("report").GetProperty("fx").GetProperty("EUR").GetDecimal());
        Assert.False(saved.GetProperty("report").TryGetProperty("proposalCurrency", out _), "a flag without --save is not written");
        var sources = shown.GetProperty("sources");
        Assert.Equal(file, sources.GetProperty("audit.set.rate_overcharge.min_amount").GetString());
        Assert.Equal(file, sources.GetProperty("report.fx.EUR").GetString());
        Assert.Equal("flag", sources.GetProperty("report.proposalCurrency").GetString());
        Assert.Equal("default", sources.GetProperty("report.followUpDays").GetString());
        Assert.Equal("USD", shown.GetProperty("settings").GetProperty("report").GetProperty("proposalCurrency").GetString());
        Assert.Equal(30, shown.GetProperty("settings").GetProperty("report").GetProperty("followUpDays").GetInt32());
    }

    [Fact]
    public void SetFlag_NamingARuleOfTheFilesRulesFolder_IsAccepted_AndAnUnknownOneIsAUsageError()
    {
        var lake = Path.Combine(fx.Root, "own-rules", "lake");
        TemLake.Open(lake);
        Directory.CreateDirectory(Path.Combine(lake, "my-rules"));
        var builtIn = File.ReadAllText(Repo("src", "Tem.Audit", "Rules", "tax_on_exempt.sql"));
        File.WriteAllText(Path.Combine(lake, "my-rules", "my_tax.sql"), builtIn.Replace("-- rule: tax_on_exempt", "-- rule: my_tax", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(lake, "tem.json"), """{ "audit": { "rules": "my-rules" } }""");

        var shown = Json(Run("config", "show", "--lake", lake, "--set", "my_tax.min_amount=5", "--json"));
        var unknown = Run("config", "show", "--lake", lake, "--set", "my_tax.nope=5");

        Assert.Equal(Path.Combine(lake, "my-rules"), shown.GetProperty("settings").GetProperty("audit").GetProperty("rules").GetString());
        Assert.Equal("flag", shown.GetProperty("sources").GetProperty("audit.set.my_tax.min_amount").GetString());
        Assert.Equal(TemApp.UsageError, unknown.Code);
        Assert.Contains("tem config: --set: my_tax.nope is not a setting of my_tax; its settings are min_amount", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_OfALakeOlderThanTheSettingsColumn_StillRead()
    {
        var lake = Path.Combine(fx.Root, "old", "lake");
        Directory.CreateDirectory(Path.Combine(lake, "_tem"));
        using (var db = new DuckDBConnection($"DataSource={Path.Combine(lake, "_tem", "catalog.duckdb")}"))
        {
            db.Open();
            db.Execute("""
                CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, command VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ,
                    outcome VARCHAR, files INTEGER, rows_read BIGINT, rows_stored BIGINT, rows_rejected BIGINT, findings INTEGER, message VARCHAR);
                INSERT INTO runs VALUES ('run-1', 'run', '2026-12-01 02:00:00+00', '2026-12-01 02:01:00+00', 'ok', 3, 10, 10, 0, 2, NULL);
                """);
        }

        var old = Assert.Single(LakeCatalog.OpenExisting(lake).Runs());
        Assert.Equal(("run-1", null, null), (old.RunId, old.Settings, old.Warnings));

        // The next writer adds the columns and records its settings beside the old run.
        Assert.Equal(0, Run("audit", "--lake", lake, "--set", "rate_overcharge.min_amount=0.5", "--quiet").Code);
        var runs = TemLake.OpenExisting(lake).Catalog.Runs();
        Assert.Equal(2, runs.Count);
        Assert.Null(runs[0].Settings);
        Assert.Equal(0.5m, MinAmount(Parse(runs[1].Settings!)));
    }
}
