using DuckDB.NET.Data;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Tem.Audit;
using Tem.Audit.Disputes;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Benchmarks;

/// <summary>
/// Money-path issue: matching the credits on the bills to 100 k submitted claims over 1 M invoice lines. One operation
/// = one <see cref="BillReconciler.Run"/> as the nightly audit runs it: the claims are read from the findings file, the
/// candidate credits found in DuckDB, the decision made, every applied credit recorded in the catalog with its event,
/// the proposals written and the findings file rewritten. Baseline in the same run: DuckDB alone joining the same
/// claims (a table) with the same invoice lines on carrier, account, service and currency and counting the pairs.
/// </summary>
/// <remarks>
/// Data, generated once in <c>[GlobalSetup]</c> and ingested through <see cref="Ingestor"/> like any invoice file:
/// 1,000 accounts of one carrier, 100 k services, 1 M invoice lines: 900 k recurring and usage lines and 100 k credits:
/// 60 k for the exact outstanding amount of a claim, 20 k partial credits quoting the claim's reference, 10 k partial
/// credits without it (proposed), 10 k for services with no claim. Claims: 100 k <c>duplicate_recurring</c> findings,
/// submitted on 2026-08-05 with a reference, claiming 10.00 to 99.99. The catalog and the findings file are restored
/// before each iteration (<c>[IterationSetup]</c>, not timed), so every iteration matches the same 80 k credits.
/// </remarks>
public class CreditMatchBenchmarks
{
    public const int Claims = 100_000;
    public const int InvoiceLines = 1_000_000;

    private string _folder = string.Empty;
    private string _pristine = string.Empty;
    private TemLake _lake = null!;
    private int _run;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tem-bench-credits-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var invoices = Path.Combine(_folder, "invoices.csv");
        using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            db.Execute(string.Create(CultureInfo.InvariantCulture, $"""
                COPY (
                    WITH claims AS (SELECT range AS i, 10 + (hash(range) % 9000) / 100.0 AS amount FROM range({Claims})),
                    lines AS (
                        SELECT i % 1000 AS account, 'S' || i AS service, 1 + (i % 11) AS line, CASE WHEN i % 2 = 0 THEN 'recurring' ELSE 'usage' END AS charge_type,
                               'monthly fee' AS description, (5 + hash(i) % 5000 / 100.0)::DECIMAL(18,2) AS amount
                        FROM range({InvoiceLines - Claims}) t(i)
                        UNION ALL
                        SELECT i % 1000, 'S' || CASE WHEN i < 90000 THEN i ELSE i + {Claims} END, 20, 'credit',
                               CASE WHEN i >= 60000 AND i < 80000 THEN 'Partial credit re REF-' || i ELSE 'Billing adjustment' END,
                               -(CASE WHEN i < 60000 THEN amount ELSE round(amount / 2, 2) END)::DECIMAL(18,2)
                        FROM claims)
                    SELECT 'INV-' || account || '-' || service AS invoice_id, 'Telco' AS carrier, 'A' || account AS account_id, DATE '2026-10-31' AS invoice_date,
                           DATE '2026-10-01' AS period_start, DATE '2026-10-31' AS period_end, line AS line_no, service AS service_id, charge_type, description,
                           1 AS quantity, NULL AS unit_price, amount, 'USD' AS currency
                    FROM lines)
                TO {SqlQuote.Literal(invoices)} (HEADER)
                """));
        }

        _lake = TemLake.Open(Path.Combine(_folder, "lake"));
        File.WriteAllText(Path.Combine(_folder, "accounts.csv"), "account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id\n"
            + string.Concat(Enumerable.Range(0, 1000).Select(a => string.Create(CultureInfo.InvariantCulture, $"A{a},Telco,C1,C1,,USD,UTC,false,\n"))));
        var ingestor = new Ingestor(_lake, TimeProvider.System, new IngestOptions());
        foreach (var file in new[] { "accounts.csv", "invoices.csv" })
        {
            var report = ingestor.IngestFile(Path.Combine(_folder, file), "bench-setup");
            if (report.RowsRejected > 0)
            {
                throw new InvalidOperationException(report.Message);
            }
        }

        // 100 k submitted claims: the findings file and the catalog's states, as a nightly run would find them.
        var findings = new List<StoredFinding>(Claims);
        var changes = new List<(DisputeState, DisputeEvent)>(Claims);
        var submitted = new DateOnly(2026, 8, 5);
        for (var i = 0; i < Claims; i++)
        {
            var amount = 10m + (StableHash(i) % 9000 / 100m);
            var f = new Finding
            {
                FindingId = FindingId.Create("duplicate_recurring", "A" + (i % 1000).ToString(CultureInfo.InvariantCulture), "S" + i.ToString(CultureInfo.InvariantCulture), new BillingMonth(2026, 7)),
                Rule = "duplicate_recurring", Severity = Severity.High, Carrier = "Telco", AccountId = "A" + (i % 1000).ToString(CultureInfo.InvariantCulture),
                ServiceId = "S" + i.ToString(CultureInfo.InvariantCulture), CustomerId = "C1", Period = new BillingMonth(2026, 7), OneTimeAmount = amount,
                MonthlySavings = 0m, Currency = CurrencyCode.Parse("USD"), Confidence = 1m, Title = "t", Detail = "d", Evidence = "e", RecommendedAction = RecommendedAction.Dispute,
            };
            var details = new DisputeDetails { SubmittedOn = submitted, Reference = "REF-" + i.ToString(CultureInfo.InvariantCulture), AmountClaimed = amount };
            findings.Add(new StoredFinding(f, FindingStatus.Submitted, null, "bench", "bench") { Dispute = details });
            changes.Add((new DisputeState(f.FindingId, FindingStatus.Submitted, null, details),
                new DisputeEvent(f.FindingId, DateTimeOffset.UnixEpoch, DisputeEventKind.Submitted, FindingStatus.Submitted, submitted, amount, details.Reference, null, null, DisputeSource.User, null, null)));
        }

        FindingsFile.Write(FindingsFile.PathIn(_lake.Root), findings);
        new DisputeBook(_lake).Record(changes, DateTimeOffset.UnixEpoch);
        _pristine = Path.Combine(_folder, "pristine");
        Directory.CreateDirectory(_pristine);
        File.Copy(Path.Combine(_lake.Root, "_tem", "catalog.duckdb"), Path.Combine(_pristine, "catalog.duckdb"));
        File.Copy(FindingsFile.PathIn(_lake.Root), Path.Combine(_pristine, "findings.parquet"));
    }

    /// <summary>The generator's <c>hash(i) % 9000</c> is DuckDB's; the claims need the same amounts, so they are read back once.</summary>
    private static long StableHash(int i) => Hashes.Value[i];

    private static readonly Lazy<long[]> Hashes = new(() =>
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = string.Create(CultureInfo.InvariantCulture, $"SELECT (hash(range) % 9000)::BIGINT FROM range({Claims}) ORDER BY range");
        using var r = cmd.ExecuteReader();
        var list = new long[Claims];
        for (var i = 0; r.Read(); i++)
        {
            list[i] = r.GetInt64(0);
        }

        return list;
    });

    [IterationSetup]
    public void IterationSetup()
    {
        File.Copy(Path.Combine(_pristine, "catalog.duckdb"), Path.Combine(_lake.Root, "_tem", "catalog.duckdb"), overwrite: true);
        File.Copy(Path.Combine(_pristine, "findings.parquet"), FindingsFile.PathIn(_lake.Root), overwrite: true);
    }

    [Benchmark]
    [BenchmarkCategory("credits")]
    public int TemMatchCredits()
    {
        using var db = LakeSession.InMemory(new SessionOptions { MemoryLimit = "1GB", TempDirectory = _lake.TempDirectory });
        _lake.CreateViews(db);
        var result = BillReconciler.Run(db, _lake, new FindingStore(_lake, TimeProvider.System), BillReconciler.DefaultTolerance,
            "bench-" + (++_run).ToString(CultureInfo.InvariantCulture), TimeProvider.System);
        return result.Applied.Count == 80_000 && result.Proposed.Count == 10_000
            ? result.Applied.Count
            : throw new InvalidOperationException($"applied {result.Applied.Count}, proposed {result.Proposed.Count}: the data set is not what the benchmark says");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("credits")]
    public long DuckDbJoinBaseline()
    {
        using var db = LakeSession.InMemory(new SessionOptions { MemoryLimit = "1GB", TempDirectory = _lake.TempDirectory });
        _lake.CreateViews(db);
        return db.Scalar<long>("""
            SELECT count(*) FROM findings f
            JOIN charges c ON c.carrier = f.carrier AND c.account_id = f.account_id AND c.service_id = f.service_id AND c.currency = f.currency
            WHERE c.charge_type = 'credit'
            """);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Directory.Delete(_folder, recursive: true);
}
