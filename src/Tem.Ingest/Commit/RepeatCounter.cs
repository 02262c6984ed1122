using Tem.DuckDb;
using Tem.Lake;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Commit;

/// <summary>Counts a staged file's records (same <see cref="Layout.RecordKey"/>) that the lake already holds.</summary>
internal sealed class RepeatCounter(TemLake lake, string memoryLimit)
{
    /// <summary>
    /// Counts the staged rows whose record key (<see cref="Layout.RecordKey"/>) is already in the lake: in any active
    /// file, in one of <paramref name="sameIds"/> and in the others. Only the partitions the staged rows fall in are read.
    /// </summary>
    public (long Any, long Same, long Other) Count(Layout layout, IReadOnlyList<string> stagedPaths, HashSet<string> sameIds)
    {
        if (layout.RecordKey.Count == 0 || stagedPaths.Count == 0)
        {
            return default;
        }

        static string Folder(string lakePath) => lakePath[..Math.Max(0, lakePath.LastIndexOf('/'))];
        var folders = stagedPaths.Select(p => Folder(string.Join('/', p.Split('/').Skip(3)))).ToHashSet(StringComparer.Ordinal);
        var existing = lake.Catalog.ActiveLakeFiles(layout.Table).Where(f => folders.Contains(Folder(f.Path))).ToList();
        if (existing.Count == 0)
        {
            return default;
        }

        const string Hive = "hive_partitioning = true, hive_types_autocast = false";
        var keys = string.Join(", ", layout.RecordKey.Select(SqlQuote.Identifier));
        var branches = existing.GroupBy(f => sameIds.Contains(f.FileId))
            .Select(g => $"SELECT {keys}, {(g.Key ? "true" : "false")} AS same FROM read_parquet({LakeParquet.List(lake, g.Select(f => f.Path))}, {Hive})");
        var on = string.Join(" AND ", layout.RecordKey.Select(k => $"s.{SqlQuote.Identifier(k)} = e.{SqlQuote.Identifier(k)}"));
        using var db = LakeSession.InMemory(new SessionOptions { MemoryLimit = memoryLimit, TempDirectory = lake.TempDirectory });
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            WITH e AS (SELECT {keys}, bool_or(same) AS same, bool_or(NOT same) AS other FROM ({string.Join(" UNION ALL ", branches)}) GROUP BY ALL)
            SELECT count(*), count(*) FILTER (WHERE e.same), count(*) FILTER (WHERE e.other)
            FROM read_parquet({LakeParquet.List(lake, stagedPaths)}, {Hive}) s JOIN e ON {on}
            """;
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }
}
