using DuckDB.NET.Data;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Tem.Audit;
using Tem.DuckDb;
using Tem.Ingest;
using Tem.Lake;
using Tem.SampleData;

namespace Tem.Benchmarks;

/// <summary>
/// Audit issues: the whole rule set on a lake with about 10 M usage records and 1 M invoice lines; goal under 60 s (the
/// first audit issue), under 20 s and 1 GB peak (issue 20; the peak is measured per process by <c>--scale-chart</c>).
/// The lake is a generated sample world (19 500 services, 12 months: about 10.2 M usage records) whose invoices are
/// copied under new invoice ids until they hold 1 M lines. One operation = one complete audit (every rule, the
/// rerating of every voice record, the finding store).
/// </summary>
public class AuditBenchmarks
{
    private string _folder = string.Empty;
    private TemLake _lake = null!;
    private int _run;

    /// <summary>Usage records in the lake (measured after setup).</summary>
    public static long UsageRows { get; private set; }

    /// <summary>Invoice lines in the lake (measured after setup).</summary>
    public static long InvoiceLines { get; private set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tem-bench-audit-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(_folder, "data");
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 19_500, Months = 12, Seed = 42 }, data);

        // Copies of the invoices under new invoice ids, until there are 1 M invoice lines.
        using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            var invoices = Path.Combine(data, "invoices.csv");
            var lines = Convert.ToInt64(new DuckDBCommand($"SELECT count(*) FROM read_csv('{invoices}', all_varchar = true)", db).ExecuteScalar(), CultureInfo.InvariantCulture);
            var copies = (int)Math.Ceiling((1_000_000.0 - lines) / lines);
            for (var k = 1; k <= copies; k++)
            {
                db.Execute(string.Create(CultureInfo.InvariantCulture, $"""
                    COPY (SELECT * REPLACE (invoice_id || '-C{k}' AS invoice_id) FROM read_csv('{invoices}', all_varchar = true))
                    TO '{Path.Combine(data, $"invoices-copy-{k}.csv")}' (HEADER)
                    """));
            }
        }

        _lake = TemLake.Open(Path.Combine(_folder, "lake"));
        var ingestor = new Ingestor(_lake, TimeProvider.System, new IngestOptions());
        foreach (var file in Ingestor.ExpandPaths([data]))
        {
            ingestor.IngestFile(file, "bench-setup");
        }

        using var q = new DuckDBConnection("DataSource=:memory:");
        q.Open();
        _lake.CreateViews(q);
        UsageRows = Convert.ToInt64(new DuckDBCommand("SELECT count(*) FROM usage", q).ExecuteScalar(), CultureInfo.InvariantCulture);
        InvoiceLines = Convert.ToInt64(new DuckDBCommand("SELECT count(*) FROM charges", q).ExecuteScalar(), CultureInfo.InvariantCulture);
        Console.WriteLine($"// audit lake: {UsageRows} usage records, {InvoiceLines} invoice lines");
    }

    /// <summary>
    /// The DuckDB baseline in the same run: DuckDB alone reading every usage record of the lake once (records, spend and
    /// seconds per service and month), with the memory the audit gives DuckDB: the floor of any audit that reads the usage.
    /// </summary>
    [Benchmark(Baseline = true)]
    public long DuckDbReadsUsageOnce() => ScaleChart.ReadUsageOnce(_lake);

    [Benchmark]
    public int WholeRuleSet()
    {
        var result = new AuditEngine(_lake, TimeProvider.System).Run(new AuditOptions(), "bench-" + (++_run).ToString(CultureInfo.InvariantCulture));
        var failed = result.Rules.FirstOrDefault(r => r.Error is not null);
        return failed is null ? result.Findings.Count : throw new InvalidOperationException($"{failed.RuleId}: {failed.Error}");
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Directory.Delete(_folder, recursive: true);
}
