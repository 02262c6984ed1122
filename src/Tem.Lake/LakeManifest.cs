using System.Text.Json;
using DuckDB.NET.Data;

namespace Tem.Lake;

/// <summary>
/// What a reader needs of the catalog, in a file no one holds open: for each lake table the Parquet files committed to
/// it, and for each kind the source file of its newest active version. The writer rewrites <c>_tem/manifest.json</c>
/// after every commit (written aside, then renamed over the old one), so a reader (<c>tem sql</c>, <c>tem report</c>,
/// <c>tem findings</c>, a portal) sees the last committed state and never opens <c>_tem/catalog.duckdb</c>, whose
/// file lock would otherwise block the writer.
/// </summary>
public sealed record LakeManifest(IReadOnlyDictionary<string, IReadOnlyList<string>> Tables, IReadOnlyDictionary<string, string> Sources)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The manifest's place in a lake.</summary>
    public static string PathIn(string lakeRoot) => Path.Combine(lakeRoot, "_tem", "manifest.json");

    /// <summary>The committed files of a table (relative to the lake root), none when it has no data.</summary>
    public IReadOnlyList<string> Paths(string table) => Tables.TryGetValue(table, out var paths) ? paths : [];

    /// <summary>Reads the manifest of a lake; null when the lake has none (written by a Tem before the manifest).</summary>
    public static LakeManifest? Read(string lakeRoot)
    {
        var path = PathIn(lakeRoot);
        if (!File.Exists(path))
        {
            return null;
        }

        var doc = JsonSerializer.Deserialize<Document>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty; run any writer (tem ingest, tem run) to rewrite it.");
        return new LakeManifest(
            doc.Tables.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value, StringComparer.Ordinal),
            new Dictionary<string, string>(doc.Sources, StringComparer.Ordinal));
    }

    /// <summary>Builds the manifest from the catalog and replaces the file atomically (writers only, under the lake's write lock).</summary>
    internal static void Write(string lakeRoot, DuckDBConnection catalog, IEnumerable<string> tables)
    {
        var manifest = FromCatalog(catalog, tables);
        var doc = new Document
        {
            Tables = manifest.Tables.ToDictionary(t => t.Key, t => t.Value.ToList(), StringComparer.Ordinal),
            Sources = new Dictionary<string, string>(manifest.Sources, StringComparer.Ordinal),
        };
        var path = PathIn(lakeRoot);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(doc, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The manifest as the catalog states it now.</summary>
    internal static LakeManifest FromCatalog(DuckDBConnection catalog, IEnumerable<string> tables) =>
        new(tables.Distinct(StringComparer.Ordinal).ToDictionary(t => t, t => LakeCatalog.ActivePaths(catalog, t), StringComparer.Ordinal),
            LakeCatalog.ActiveSources(catalog));

    private sealed class Document
    {
        public int Format { get; set; } = 1;

        public Dictionary<string, List<string>> Tables { get; set; } = [];

        public Dictionary<string, string> Sources { get; set; } = [];
    }
}
