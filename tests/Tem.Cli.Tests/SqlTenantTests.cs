using Tem.Lake;
using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>
/// <c>tem sql --tenant</c> over the sample lake: the session holds only the party's rows and columns, and no statement
/// reaches a file, the lake's views or the scope's schemas. CUS-01 is an end customer whose two Northwind accounts are
/// invoiced to its dealer DLR-01, so it sees their usage without prices and none of their invoice lines.
/// </summary>
public sealed class SqlTenantTests(SampleLakeFixture sample) : IClassFixture<SampleLakeFixture>
{
    private const string DealerBilled = "('0552207781', '0552207799')";

    private (int Code, string Out, string Err) Sql(string? tenant, string query, params string[] options)
    {
        string[] scope = tenant is null ? [] : ["--tenant", tenant];
        var (code, output, error) = Run(["sql", "--lake", sample.Lake, .. scope, "--format", "csv", .. options, query]);
        return (code, output.ReplaceLineEndings("\n"), error);
    }

    private string Csv(string? tenant, string query)
    {
        Assert.True(sample.Ingest.Code == 0 && sample.Audit.Code == 0, sample.Ingest.Err + sample.Audit.Err);
        var (code, output, error) = Sql(tenant, query);
        Assert.True(code == TemApp.Ok, $"{tenant}: {query}: {error}");
        return output;
    }

    private string Snapshot() =>
        string.Join("\n", Directory.EnumerateFiles(sample.Lake, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public void Sql_TenantCustomerInvoicedThroughItsDealer_HoldsItsAccountsAndUsageUnpriced_NoCarrierCost()
    {
        Assert.Equal("account_id\n0552207781\n0552207799\n", Csv("CUS-01", "SELECT DISTINCT account_id FROM account_versions ORDER BY 1"));
        Assert.Equal("account_id\n0552207781\n0552207799\n", Csv("CUS-01", "SELECT account_id FROM accounts ORDER BY 1"));

        // The dealer's invoice lines exist in the lake; the customer sees none of them.
        Assert.Equal("n\ntrue\n", Csv(null, $"SELECT count(*) > 0 AS n FROM charges WHERE account_id IN {DealerBilled}"));
        Assert.Equal("n\n0\n", Csv("CUS-01", "SELECT count(*) AS n FROM charges"));

        // Every usage record of its accounts, none of another's, each without the price the carrier billed the dealer.
        var lakeUsage = Csv(null, $"SELECT account_id, count(*) AS n, 0 AS priced FROM usage WHERE account_id IN {DealerBilled} GROUP BY ALL ORDER BY 1");
        Assert.Contains("0552207781,", lakeUsage, StringComparison.Ordinal);
        Assert.Contains("0552207799,", lakeUsage, StringComparison.Ordinal);
        Assert.Equal(lakeUsage, Csv("CUS-01", "SELECT account_id, count(*) AS n, count(billed_amount) AS priced FROM usage GROUP BY ALL ORDER BY 1"));

        // Its own purchases from the dealer, no other customer's.
        var lakeResale = Csv(null, "SELECT customer_id, count(*) AS n FROM resale WHERE customer_id = 'CUS-01' GROUP BY ALL");
        Assert.StartsWith("customer_id,n\nCUS-01,", lakeResale, StringComparison.Ordinal);
        Assert.Equal(lakeResale, Csv("CUS-01", "SELECT customer_id, count(*) AS n FROM resale GROUP BY ALL"));

        // Findings, credits owed and carrier prices are carrier cost the dealer pays.
        Assert.Equal("n\ntrue\n", Csv(null, $"SELECT count(*) > 0 AS n FROM findings WHERE account_id IN {DealerBilled}"));
        Assert.Equal(
            "findings,credits_due,plans,rates,dispute_events,credit_matches\n0,0,0,0,0,0\n",
            Csv("CUS-01", "SELECT (SELECT count(*) FROM findings) AS findings, (SELECT count(*) FROM credits_due) AS credits_due, " +
                          "(SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM rates) AS rates, " +
                          "(SELECT count(*) FROM dispute_events) AS dispute_events, (SELECT count(*) FROM credit_matches) AS credit_matches"));

        // Parties: itself and those above it, never another customer; services of its accounts only.
        Assert.Equal("party_id\nCUS-01\n", Csv("CUS-01", "SELECT party_id FROM party_versions WHERE kind IN ('customer', 'lessor') ORDER BY 1"));
        Assert.Equal("party_id\nDIST-01\nDLR-01\n", Csv("CUS-01", "SELECT party_id FROM parties WHERE kind IN ('distributor', 'dealer') ORDER BY 1"));
        Assert.Equal("n\n0\n", Csv("CUS-01", $"SELECT count(*) AS n FROM services WHERE account_id NOT IN {DealerBilled}"));
    }

    [Fact]
    public void Sql_TenantDealer_SeesTheChargesAndPricesOfTheAccountsInvoicedToIt()
    {
        const string Charges = $"SELECT account_id, count(*) AS n, sum(amount) AS total FROM charges WHERE account_id IN {DealerBilled} GROUP BY ALL ORDER BY 1";
        var lake = Csv(null, Charges);
        Assert.Equal(3, lake.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(lake, Csv("DLR-01", Charges));

        const string Usage = $"SELECT count(*) AS n, count(billed_amount) AS priced, sum(billed_amount) AS billed FROM usage WHERE account_id IN {DealerBilled}";
        Assert.Equal(Csv(null, Usage), Csv("DLR-01", Usage));

        // Not the other dealer's accounts (Rhenus, invoiced to DLR-02).
        Assert.DoesNotContain("RH", Csv("DLR-01", "SELECT DISTINCT account_id FROM charges UNION SELECT DISTINCT account_id FROM usage"), StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_TenantSession_HoldsExactlyTheTenantTables_NoViewMacroOrPathOfTheLake()
    {
        var tables = string.Join("\n", TenantScope.Tables.Order(StringComparer.Ordinal));
        Assert.Equal($"table_name\n{tables}\n", Csv("CUS-01", "SELECT table_name FROM duckdb_tables() ORDER BY 1"));
        Assert.Equal($"name\n{tables}\n", Csv("CUS-01", "PRAGMA show_tables"));
        Assert.Equal("schema_name\nmain\n", Csv("CUS-01", "SELECT DISTINCT schema_name FROM duckdb_tables() UNION SELECT schema_name FROM duckdb_views() WHERE NOT internal"));
        Assert.Equal("views,macros\n0,0\n", Csv("CUS-01",
            "SELECT (SELECT count(*) FROM duckdb_views() WHERE NOT internal) AS views, " +
            "(SELECT count(*) FROM duckdb_functions() WHERE function_type LIKE '%macro%' AND NOT internal) AS macros"));

        // Nothing the session can list names the lake's folder: not a view's SQL, a table's, a setting, nor a cached file.
        foreach (var query in new[]
                 {
                     "SELECT * FROM duckdb_views()", "SELECT sql FROM duckdb_tables()", "SELECT * FROM duckdb_settings()", "SELECT * FROM duckdb_databases()",
                     "SELECT * FROM duckdb_external_file_cache()", "SELECT * FROM duckdb_temporary_files()", "SELECT * FROM duckdb_functions() WHERE NOT internal",
                 })
        {
            var output = Csv("CUS-01", query);
            Assert.DoesNotContain(sample.Root, output, StringComparison.Ordinal);
            Assert.DoesNotContain(".parquet", output, StringComparison.Ordinal);
        }

        Assert.Equal("n\n0\n", Csv("CUS-01", "SELECT count(*) AS n FROM duckdb_external_file_cache()"));
        Assert.Equal(
            "allowed_paths,allowed_directories,temp_directory,enable_external_access,lock_configuration\n[],[],,false,true\n",
            Csv("CUS-01", "SELECT current_setting('allowed_paths') AS allowed_paths, current_setting('allowed_directories') AS allowed_directories, " +
                          "current_setting('temp_directory') AS temp_directory, current_setting('enable_external_access') AS enable_external_access, " +
                          "current_setting('lock_configuration') AS lock_configuration"));
    }

    [Fact]
    public void TenantCopy_WithSpillingOff_HoldsItsTablesInMemoryWithNoSpillFolder()
    {
        Assert.True(sample.Ingest.Code == 0 && sample.Audit.Code == 0, sample.Ingest.Err + sample.Audit.Err);
        using var db = TenantScope.OpenCopy(TemLake.OpenExisting(sample.Lake), "CUS-01", new SessionOptions { MemoryLimit = "256MB", Spill = false });
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT current_setting('temp_directory') AS dir, (SELECT count(*) FROM duckdb_temporary_files()) AS files, (SELECT count(*) FROM usage) AS usage";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(string.Empty, r.GetString(0));
        Assert.Equal(0L, r.GetInt64(1));
        Assert.True(r.GetInt64(2) > 0);

        Assert.Throws<ArgumentException>(() => LakeSession.ConnectionString(":memory:", new SessionOptions { Spill = false, TempDirectory = sample.Root }));
    }

    public static TheoryData<string, string> Escapes => new()
    {
        { "read a lake Parquet file", "SELECT * FROM read_parquet('{lakefile}')" },
        { "read the lake's charges folder", "SELECT * FROM read_parquet('{lake}/charges/**/*.parquet', hive_partitioning = true)" },
        { "read a file's metadata", "SELECT * FROM parquet_metadata('{lakefile}')" },
        { "read a sample CSV", "SELECT * FROM read_csv('{sample}')" },
        { "read the catalog", "SELECT * FROM read_blob('{lake}/_tem/catalog.duckdb')" },
        { "read the manifest", "SELECT * FROM read_text('{lake}/_tem/manifest.json')" },
        { "attach the catalog", "ATTACH '{lake}/_tem/catalog.duckdb' AS cat (READ_ONLY)" },
        { "turn file access back on", "SET enable_external_access = true" },
        { "allow a lake file", "SET allowed_paths = ['{lakefile}']" },
        { "allow every folder", "SET allowed_directories = ['/']" },
        { "search the scope's schema", "SET search_path = 'rpt'" },
        { "copy the charges out", "COPY charges TO '{outside}' (FORMAT csv)" },
        { "load an extension", "LOAD parquet" },
        { "install an extension", "INSTALL httpfs" },
        { "a pragma", "PRAGMA enable_profiling" },
        { "profile into a file", "PRAGMA profiling_output = '{outside}'" },
        { "the scope's views", "SELECT * FROM rpt.charges" },
        { "the copy's staging schema", "SELECT * FROM tenant.charges" },
        { "a lake table the tenant has not", "SELECT * FROM main.rejects" },
        { "the scope's own table", "SELECT * FROM main.tem_scope" },
        { "the lake's macro", "SELECT tem_phone_digits('+44 20 7946 0000') AS d" },
        { "list the root", "SELECT * FROM glob('/*')" },
        { "list the lake", "SELECT * FROM glob('{lake}/**')" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Sql_TenantEscapeAttempt_FailsAndShowsNothing(string attempt, string template)
    {
        Assert.True(sample.Ingest.Code == 0 && sample.Audit.Code == 0, sample.Ingest.Err + sample.Audit.Err);
        var outside = TempFolder.NewPath("tem-outside") + ".csv";
        var lakeFile = Directory.EnumerateFiles(Path.Combine(sample.Lake, "charges"), "*.parquet", SearchOption.AllDirectories).First();
        var query = template.Replace("{lakefile}", lakeFile, StringComparison.Ordinal).Replace("{lake}", sample.Lake, StringComparison.Ordinal)
            .Replace("{sample}", Repo("sample-data", "invoices.csv"), StringComparison.Ordinal).Replace("{outside}", outside, StringComparison.Ordinal);
        var before = Snapshot();

        var (code, output, error) = Sql("CUS-01", query);

        Assert.True(code == TemApp.Failure, $"{attempt}: exit {code}, out {output}");
        Assert.Equal(string.Empty, output);
        Assert.Matches("read-only|Permission Error|configuration has been locked|Catalog Error|disabled by configuration", error);
        Assert.Equal(before, Snapshot());
        Assert.False(File.Exists(outside), attempt);
    }

    [Fact]
    public void Sql_UnknownTenant_ExitsOneNamingThePartyAndTheKnownOnes()
    {
        var (code, output, error) = Sql("NOPE", "SELECT 1");
        Assert.Equal(TemApp.Failure, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("tem sql: No party 'NOPE' in the lake's parties table; parties are AGT-01, CUS-01, CUS-02", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_TenantWithoutALake_IsAUsageError()
    {
        var (code, _, error) = Run("sql", "--tenant", "CUS-01", "SELECT 1");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--tenant needs a lake", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_TenantCopyOverTheMemoryLimit_FailsBeforeTheSessionStarts()
    {
        Assert.True(sample.Ingest.Code == 0 && sample.Audit.Code == 0, sample.Ingest.Err + sample.Audit.Err);
        var (code, output, error) = Sql("DLR-01", "SELECT 1 AS one", "--memory-limit", "2MB");
        Assert.Equal(TemApp.Failure, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("tem sql: copying the tables of DLR-01 needs more memory than --memory-limit 2MB allows", error, StringComparison.Ordinal);
        Assert.Contains("nothing spills to disk", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_TenantStatementsOverTheLimits_AreStopped_AndTheNextStatementRuns()
    {
        Assert.True(sample.Ingest.Code == 0 && sample.Audit.Code == 0, sample.Ingest.Err + sample.Audit.Err);
        var memory = Sql("DLR-01", "SELECT count(DISTINCT range::VARCHAR || 'abcdefghijklmnop') AS n FROM range(20000000); SELECT count(*) > 0 AS rows FROM charges",
            "--memory-limit", "64MB");
        Assert.Equal(TemApp.Failure, memory.Code);
        Assert.Contains("tem sql: the statement needs more memory than --memory-limit 64MB allows", memory.Err, StringComparison.Ordinal);
        Assert.Equal("rows\ntrue\n", memory.Out);

        var time = Sql("DLR-01", "SELECT sum(a.range * b.range) AS s FROM range(1000000) a, range(1000000) b; SELECT count(*) > 0 AS rows FROM usage", "--timeout", "1");
        Assert.Equal(TemApp.Failure, time.Code);
        Assert.Contains("tem sql: the statement was stopped after 1 s (--timeout; 0 = no limit)", time.Err, StringComparison.Ordinal);
        Assert.Equal("rows\ntrue\n", time.Out);
    }
}
