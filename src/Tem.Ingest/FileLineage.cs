using System.Globalization;
using Tem.DuckDb;
using Tem.Lake;
using Tem.Lake.Layouts;

namespace Tem.Ingest;

/// <summary>
/// How an input file relates to what the lake holds: the bytes hashed (its length then), the earlier version it
/// grew from, and the active files ingested from the same path before.
/// </summary>
internal sealed record FileLineage(long Bytes, GrownFile? Grown, IReadOnlyList<CatalogFile> SamePath)
{
    /// <summary>Tables whose files add rows (a grown file stores only its new ones); the others replace their table whole.</summary>
    public static readonly HashSet<string> AppendTables =
        [.. CanonicalLayouts.All.Where(l => l.Mode == LoadMode.Append).Select(l => l.Table)];

    /// <summary>
    /// Where a grown file's new rows begin (byte offset and line), or null to read it whole. When the earlier version
    /// cut its last line short, that line is read again if the earlier ingest rejected it (it was incomplete), and
    /// skipped if it stored it (the earlier file merely lacked a final line break).
    /// </summary>
    public (long Offset, long Line)? Resume(TemLake lake, Layout layout)
    {
        if (Grown is not { } grown || layout.Mode != LoadMode.Append || grown.Earlier.Table != layout.Table)
        {
            return null;
        }

        if (grown.CutLineEnd is not { } cutEnd)
        {
            return (grown.Offset, grown.Line);
        }

        return RejectedLine(lake, grown.Earlier, grown.Line) ? (grown.Offset, grown.Line) : (cutEnd, grown.Line + 1);
    }

    /// <summary>True when the lake's rejects hold line <paramref name="line"/> of <paramref name="file"/>.</summary>
    private static bool RejectedLine(TemLake lake, CatalogFile file, long line)
    {
        var paths = lake.Catalog.ActiveLakeFiles(TemLake.RejectsTable).Where(f => f.FileId == file.FileId).Select(f => f.Path).ToList();
        if (paths.Count == 0)
        {
            return false;
        }

        using var db = LakeSession.InMemory();
        return db.Scalar<long>(string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM read_parquet({LakeParquet.List(lake, paths)}) WHERE line = {line}")) > 0;
    }
}

/// <summary>The lake's Parquet files named in SQL.</summary>
internal static class LakeParquet
{
    /// <summary>A DuckDB list literal of the files at <paramref name="lakePaths"/> (relative to the lake's root).</summary>
    public static string List(TemLake lake, IEnumerable<string> lakePaths) =>
        "[" + string.Join(", ", lakePaths.Select(p => SqlQuote.Literal(Path.Combine(lake.Root, p)))) + "]";
}
