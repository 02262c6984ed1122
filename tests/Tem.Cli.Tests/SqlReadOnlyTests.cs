using System.Text.Json;

namespace Tem.Cli.Tests;

/// <summary>tem sql over a real lake: views work, and every attempt to change the lake or touch another file is refused.</summary>
public sealed class SqlReadOnlyTests(DemoLakeFixture demo) : IClassFixture<DemoLakeFixture>
{
    private static (int Code, string Out, string Err) Run(string stdin, params string[] args) => Cli.RunWithInput(stdin, args);

    private (int Code, string Out, string Err) Sql(string query) => Run(string.Empty, "sql", "--lake", demo.Lake, "--format", "csv", query);

    private string LakeFile() => Directory.EnumerateFiles(Path.Combine(demo.Lake, "usage"), "*.parquet", SearchOption.AllDirectories).First();

    private string Snapshot() =>
        string.Join("\n", Directory.EnumerateFiles(demo.Lake, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public void Sql_LakeViews_ReadEveryTableAfterFileAccessIsLocked()
    {
        Assert.True(demo.Code == 0, demo.Err);
        var (code, output, error) = Sql(
            "SELECT (SELECT count(*) FROM usage) > 0 AS u, (SELECT count(*) FROM charges) > 0 AS c, (SELECT count(*) FROM services) > 0 AS s, " +
            "(SELECT count(*) FROM findings) > 0 AS f, (SELECT count(*) FROM rejects) >= 0 AS r, current_setting('enable_external_access') AS access, " +
            "current_setting('lock_configuration') AS locked");
        Assert.True(code == 0, error);
        Assert.Equal("u,c,s,f,r,access,locked\ntrue,true,true,true,true,false,true\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> Attempts => new()
    {
        { "copy into a lake file", "COPY (SELECT 1 AS a) TO '{lakefile}' (FORMAT parquet, USE_TMP_FILE false)" },
        { "copy to a file outside", "COPY (SELECT 1 AS a) TO '{outside}' (FORMAT csv)" },
        { "explain analyze a copy", "EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '{lakefile}' (FORMAT parquet, USE_TMP_FILE false)" },
        { "read /etc/passwd", "SELECT * FROM read_csv('/etc/passwd', sep = ':')" },
        { "read the catalog", "SELECT * FROM read_blob('{lake}/_tem/catalog.duckdb')" },
        { "list a folder", "SELECT * FROM glob('{lake}/*')" },
        { "attach a database", "ATTACH '{outside}' AS x" },
        { "attach the catalog", "ATTACH '{lake}/_tem/catalog.duckdb' AS cat" },
        { "install an extension", "INSTALL httpfs" },
        { "load an extension", "LOAD httpfs" },
        { "export the database", "EXPORT DATABASE '{outsidedir}'" },
        { "turn file access back on", "SET enable_external_access = true" },
        { "unlock the configuration", "SET lock_configuration = false" },
        { "allow more paths", "SET allowed_directories = ['/']" },
        { "insert into a lake view", "INSERT INTO usage SELECT * FROM usage LIMIT 1" },
        { "prepare a copy", "PREPARE p AS COPY (SELECT 1) TO '{lakefile}' (USE_TMP_FILE false)" },
        { "call a pragma", "PRAGMA enable_profiling" },
        { "log to a file", "SELECT * FROM enable_logging(storage := 'file', storage_path := '{outsidedir}')" },
    };

    [Theory]
    [MemberData(nameof(Attempts))]
    public void Sql_Attempt_IsRefusedAndTheLakeIsUnchanged(string attempt, string template)
    {
        Assert.True(demo.Code == 0, demo.Err);
        var outside = TempFolder.NewPath("tem-outside");
        var query = template.Replace("{lakefile}", LakeFile(), StringComparison.Ordinal).Replace("{lake}", demo.Lake, StringComparison.Ordinal)
            .Replace("{outsidedir}", outside, StringComparison.Ordinal).Replace("{outside}", outside + ".csv", StringComparison.Ordinal);
        var before = Snapshot();

        var (code, output, error) = Sql(query);

        Assert.True(code == TemApp.Failure, $"{attempt}: exit {code}, out {output}");
        Assert.Matches("read-only|Permission Error|configuration has been locked|not an table|disabled by configuration", error);
        Assert.Equal(before, Snapshot());
        Assert.False(File.Exists(outside + ".csv"));
        Assert.False(Directory.Exists(outside));
    }

    [Fact]
    public void Sql_SessionTables_CanBeCreatedInMemoryAndQueried()
    {
        var (code, output, error) = Sql("CREATE TABLE big AS SELECT carrier, count(*) AS n FROM usage GROUP BY ALL; SELECT count(*) > 0 AS ok FROM big");
        Assert.True(code == 0, error);
        Assert.EndsWith("ok\ntrue\n", output.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_Json_PrintsRowsWithExactDecimalsAndNulls()
    {
        var (code, output, error) = Run(string.Empty, "sql", "--format", "json", "SELECT 'Albion' AS carrier, 12.3400::DECIMAL(18,4) AS amount, NULL AS note, 3::BIGINT AS n");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("Albion", row.GetProperty("carrier").GetString());
        Assert.Equal(12.34m, row.GetProperty("amount").GetDecimal());
        Assert.Equal("12.3400", row.GetProperty("amount").GetRawText());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("note").ValueKind);
        Assert.Equal(3, row.GetProperty("n").GetInt64());
    }

    [Fact]
    public void Sql_StatementsOnStdin_RunInOrderAcrossLinesAndSemicolonsInStrings()
    {
        const string script = """
            SELECT 'a;b' AS s;
            -- a comment; with a semicolon
            SELECT 1 + 1
                AS two;
            SELECT 'last' AS w
            """;
        var (code, output, error) = Run(script, "sql", "--format", "csv");
        Assert.True(code == 0, error);
        Assert.Equal("s\na;b\ntwo\n2\nw\nlast\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Sql_StdinWithOneBadStatement_RunsTheOthersAndExitsOne()
    {
        var (code, output, error) = Run("SELECT 1 AS a; SELECT * FROM nowhere; SELECT 2 AS b;", "sql", "--format", "csv");
        Assert.Equal(TemApp.Failure, code);
        Assert.Equal("a\n1\nb\n2\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("nowhere", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_RunsAndFiles_AreTheCatalogsRunHistoryAndFileList()
    {
        Assert.True(demo.Code == 0, demo.Err);
        var catalog = Tem.Lake.LakeCatalog.OpenExisting(demo.Lake);
        var runs = catalog.Runs();
        var files = catalog.Files();

        var (code, output, error) = Sql(
            "SELECT (SELECT string_agg(run_id || ':' || command || ':' || coalesce(outcome, '-'), ' ' ORDER BY started_at, run_id) FROM runs) AS runs, " +
            "(SELECT string_agg(file_id || ':' || table_name || ':' || state, ' ' ORDER BY ingested_at, file_id) FROM files) AS files");

        Assert.True(code == 0, error);
        Assert.NotEmpty(runs);
        var expectedRuns = string.Join(' ', runs.Select(r => $"{r.RunId}:{r.Command}:{(r.Outcome is { } o ? Tem.Core.WireNames.ToWire(o) : "-")}"));
        var expectedFiles = string.Join(' ', files.Select(f => $"{f.FileId}:{f.Table}:{Tem.Core.WireNames.ToWire(f.State)}"));
        Assert.Equal($"runs,files\n{expectedRuns},{expectedFiles}\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Sql_Findings_CarryTheirCurrentStatus()
    {
        var stored = Tem.Lake.FindingsFile.Read(Tem.Lake.FindingsFile.PathIn(demo.Lake));
        var expected = string.Concat(stored.GroupBy(f => Tem.Core.WireNames.ToWire(f.Status)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key},{g.Count()}\n"));

        var (code, output, error) = Sql("SELECT status, count(*) AS n FROM findings GROUP BY ALL ORDER BY status");

        Assert.True(code == 0, error);
        Assert.NotEmpty(stored);
        Assert.Equal("status,n\n" + expected, output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Sql_DotOutputIntoTheLake_IsRefusedAndWritesNothing()
    {
        var before = Snapshot();
        var target = Path.Combine(demo.Lake, "usage", "out.csv");

        var (code, output, error) = Run($".output {target}\nSELECT 1 AS a;\n", "sql", "--lake", demo.Lake, "--format", "csv");

        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("inside the lake", error, StringComparison.Ordinal);
        Assert.Equal("a\n1\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Sql_NotALake_ExitsOneNamingTheFolder()
    {
        var missing = TempFolder.NewPath("tem-no-lake");
        var (code, _, error) = Run(string.Empty, "sql", "--lake", missing, "SELECT 1");
        Assert.Equal(TemApp.Failure, code);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing), "a read-only command must not create the lake");
    }
}
