using Tem.Lake;

namespace Tem.Scheduler.Tests;

/// <summary>Reads a lake's run history from a scheduler test.</summary>
internal static class LakeRuns
{
    /// <summary>
    /// The run history, read between runs: under the lake's write lock, because in one process DuckDB refuses to open
    /// the catalog with another configuration while a run (its audit reads the catalog read-only) has it open. None
    /// before the first run, or while a run holds the lock.
    /// </summary>
    public static IReadOnlyList<RunRecord> Of(string lake)
    {
        if (!File.Exists(Path.Combine(lake, "_tem", "catalog.duckdb")))
        {
            return [];
        }

        using var held = LakeWriteLock.TryAcquire(lake, "test reader", TimeSpan.Zero, TimeProvider.System, out _);
        return held is null ? [] : TemLake.OpenExisting(lake).Catalog.Runs();
    }
}
