using System.Diagnostics;

namespace Tem.DuckDb.Tests;

/// <summary>A large result streams chunk by chunk: process memory stays flat while millions of rows go by.</summary>
[Collection(MemoryCollection.Name)]
public sealed class StreamingTests
{
    [Fact]
    public void Read_FiveMillionRows_StreamsWithFlatMemory()
    {
        const long rows = 5_000_000;
        using var c = DuckDbFixture.OpenInMemory("threads=2");
        using var cmd = c.CreateCommand();

        // About 5 M x 80 bytes = 400 MB if it were materialized; streamed, only a few chunks live at a time.
        cmd.CommandText = """
            SELECT range AS id, 'R' || lpad(range::VARCHAR, 12, '0') || '-record' AS record_id,
                   (range % 7200)::INTEGER AS duration_s, (range % 100000) / 10000 :: DECIMAL(18,4) AS amount,
                   TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(range) AS start_time
            FROM range(5000000)
            """;
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        process.Refresh();
        var before = process.WorkingSet64;
        var peak = before;
        long count = 0;
        long sumIds = 0;
        long sumDurations = 0;
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                sumIds += r.GetInt64(0);
                if (r.GetString(1).Length != 20)
                {
                    Assert.Fail("unexpected record id");
                }

                sumDurations += r.GetInt32(2);
                _ = r.GetDecimal(3);
                _ = r.GetFieldValue<DateTimeOffset>(4);
                if (++count % 250_000 == 0)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                }
            }
        }

        Assert.Equal(rows, count);
        Assert.Equal(rows * (rows - 1) / 2, sumIds);
        Assert.Equal(Enumerable.Range(0, 7200).Sum(x => (long)x) * (rows / 7200) + Enumerable.Range(0, (int)(rows % 7200)).Sum(x => (long)x), sumDurations);
        var growthMb = (peak - before) / (1024.0 * 1024.0);
        Assert.True(growthMb < 150, $"working set grew by {growthMb:F0} MB while streaming; a streamed read should stay flat");
    }
}
