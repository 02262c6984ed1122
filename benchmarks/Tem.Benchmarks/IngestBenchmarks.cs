using DuckDB.NET.Data;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Tem.DuckDb;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Benchmarks;

/// <summary>
/// Ingest issue: a canonical usage file of N rows (11 columns, 4 M rows, about 440 MB) into the lake with full
/// validation, next to DuckDB's own <c>COPY (FROM read_csv(file)) TO 'x.parquet'</c> on the same file in the same
/// run. Goal: Tem at least 0.5x DuckDB's rows/s. Tem's operation includes the SHA-256 of the file, splitting,
/// per-row validation, Hive partitioning by carrier and month, ZSTD Parquet and the catalog commit.
/// </summary>
public class IngestBenchmarks
{
    /// <summary>UTF-8 bytes of one generated usage row, on average (the file size divided by N, rounded).</summary>
    public const int BytesPerRow = 110;

    private string _folder = string.Empty;
    private string _csv = string.Empty;
    private string _lake = string.Empty;

    /// <summary>Rows in the usage file.</summary>
    [Params(4_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tem-bench-ingest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _csv = Path.Combine(_folder, "usage.csv");
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();

        // A realistic canonical usage file: 3 carriers, 500 accounts, 20 000 services, voice and SMS, offsets, 4 decimals.
        db.Execute(string.Create(CultureInfo.InvariantCulture, $"""
            COPY (SELECT 'R' || lpad(range::VARCHAR, 10, '0') AS record_id, 'Carrier ' || (range % 3)::VARCHAR AS carrier,
                         'ACC' || (range % 500)::VARCHAR AS account_id, '+4477009' || lpad((range % 20000)::VARCHAR, 5, '0') AS service_id,
                         CASE WHEN range % 10 = 0 THEN 'sms' ELSE 'voice' END AS usage_type,
                         strftime(TIMESTAMP '2026-04-01' + to_seconds(range % 15552000), '%Y-%m-%dT%H:%M:%S') || '+01:00' AS start_time,
                         (range % 3600)::VARCHAR AS duration_s, '+44207946' || lpad((range % 10000)::VARCHAR, 4, '0') AS called_number,
                         '' AS data_mb, ((range % 100000) / 10000)::DECIMAL(18,4)::VARCHAR AS billed_amount,
                         'INV' || (range % 500)::VARCHAR AS invoice_id
                  FROM range({N}))
            TO '{_csv}' (HEADER, DELIMITER ',')
            """));
    }

    [IterationSetup(Target = nameof(Tem_Ingest))]
    public void NewLake()
    {
        _lake = Path.Combine(_folder, "lake-" + Guid.NewGuid().ToString("N"));
    }

    [IterationCleanup(Target = nameof(Tem_Ingest))]
    public void DropLake() => Directory.Delete(_lake, recursive: true);

    [Benchmark]
    [Throughput(11, BytesPerRow, GoalRowsPerSecond = 0)]
    public long Tem_Ingest()
    {
        var report = new Ingestor(TemLake.Open(_lake), TimeProvider.System, new IngestOptions()).IngestFile(_csv, "bench");
        return report.RowsStored == N ? report.RowsStored : throw new InvalidOperationException(report.Message);
    }

    [Benchmark(Baseline = true)]
    [Throughput(11, BytesPerRow)]
    public long DuckDb_CopyCsvToParquet()
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        var target = Path.Combine(_folder, "duckdb.parquet");
        return db.Execute($"COPY (FROM read_csv('{_csv}')) TO '{target}' (FORMAT parquet)");
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Directory.Delete(_folder, recursive: true);
}
