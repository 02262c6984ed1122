using DuckDB.NET.Data;
using System.Diagnostics;
using System.Globalization;
using Tem.DuckDb;
using Xunit.Abstractions;

namespace Tem.Ingest.Tests.Lake;

/// <summary>Measures process memory, so it runs alone (no parallel tests allocating beside it).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IngestMemoryCollection
{
    public const string Name = "ingest-memory";
}

[Collection(IngestMemoryCollection.Name)]
public sealed class MemoryTests(ITestOutputHelper output)
{
    private static void WriteUsage(string path, long rows)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        db.Execute(string.Create(CultureInfo.InvariantCulture, $"""
            COPY (SELECT 'R' || lpad(range::VARCHAR, 10, '0') AS record_id, 'Carrier ' || (range % 3)::VARCHAR AS carrier,
                         'ACC' || (range % 500)::VARCHAR AS account_id, '+4477009' || lpad((range % 20000)::VARCHAR, 5, '0') AS service_id,
                         'voice' AS usage_type, strftime(TIMESTAMP '2026-04-01' + to_seconds(range % 15552000), '%Y-%m-%dT%H:%M:%S') || 'Z' AS start_time,
                         (range % 3600)::VARCHAR AS duration_s, '+44207946' || lpad((range % 10000)::VARCHAR, 4, '0') AS called_number,
                         '' AS data_mb, ((range % 100000) / 10000)::DECIMAL(18,4)::VARCHAR AS billed_amount, 'INV1' AS invoice_id
                  FROM range({rows}))
            TO '{path}' (HEADER)
            """));
    }

    /// <summary>Peak growth of the working set while <paramref name="action"/> runs, in MB, sampled every 20 ms.</summary>
    private static double PeakGrowthMb(Action action)
    {
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            using var self = Process.GetCurrentProcess();
            while (!done.Wait(20))
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
            }
        });
        sampler.Start();
        action();
        done.Set();
        sampler.Join();
        return (peak - baseline) / (1024.0 * 1024.0);
    }

    [Fact]
    public void Ingest_FileEightTimesLargerThanAnother_PeakMemoryDoesNotGrowWithIt()
    {
        using var lake = new ScratchLake();
        var small = Path.Combine(lake.Inbox, "small.csv");
        var large = Path.Combine(lake.Inbox, "large.csv");
        WriteUsage(small, 300_000);
        WriteUsage(large, 2_400_000);
        var largeMb = new FileInfo(large).Length / (1024.0 * 1024.0);
        var options = new IngestOptions { MemoryLimit = "64MB" };

        // Warm up once so that JIT and native library loading are not counted against the first file.
        lake.Ingest(small, options);
        using var lake2 = new ScratchLake();
        var smallGrowth = PeakGrowthMb(() => Assert.Equal(300_000, lake2.Ingest(small, options).RowsStored));
        using var lake3 = new ScratchLake();
        var largeGrowth = PeakGrowthMb(() => Assert.Equal(2_400_000, lake3.Ingest(large, options).RowsStored));

        output.WriteLine($"peak working-set growth: {smallGrowth:F0} MB for 300 000 rows, {largeGrowth:F0} MB for 2 400 000 rows ({largeMb:F0} MB file)");
        Assert.True(largeMb > 200, $"the large file is only {largeMb:F0} MB");
        Assert.True(largeGrowth < largeMb, $"ingesting {largeMb:F0} MB grew the working set by {largeGrowth:F0} MB");
        Assert.True(largeGrowth < smallGrowth + 96,
            $"peak growth went from {smallGrowth:F0} MB (small file) to {largeGrowth:F0} MB (8x the rows): memory follows the file size");
    }
}
