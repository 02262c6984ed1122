using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest.Csv;
using Tem.Ingest.Lake;
using Tem.Ingest.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Ingest;

/// <summary>What happened to one input file.</summary>
public enum FileOutcome
{
    /// <summary>Read; every row stored or rejected with a reason.</summary>
    Stored,

    /// <summary>The same content (SHA-256) was ingested before; nothing changed.</summary>
    AlreadyIngested,

    /// <summary>The header matches no known layout; the file was skipped, not guessed.</summary>
    Unrecognised,

    /// <summary>The file could not be read as a whole (empty, missing or duplicated required column); its rows are rejected.</summary>
    Failed,
}

/// <summary>The result of one file: counts always add up (<c>read = stored + rejected</c>).</summary>
public sealed record FileReport(
    string Path, string? Kind, FileOutcome Outcome, long RowsRead, long RowsStored, long RowsRejected, string Message,
    IReadOnlyList<string> IgnoredColumns);

/// <summary>Settings of an ingest run.</summary>
public sealed record IngestOptions
{
    /// <summary>Read every file as this kind instead of recognising it from its header.</summary>
    public string? Kind { get; init; }

    /// <summary>DuckDB's memory limit while staging; beyond it DuckDB spills to <c>_tem/tmp</c>.</summary>
    public string MemoryLimit { get; init; } = "1GB";

    /// <summary>Rows staged before they are written out as Parquet; bounds memory for any file size.</summary>
    public long BatchRows { get; init; } = 1_000_000;
}

/// <summary>
/// Reads input files into the lake: recognises each file's kind from its header, checks every row against the
/// layout, stores good rows as Parquet and rejected rows (with file, line, column, reason and raw text) in
/// <c>rejects</c>, then commits through the catalog. Nothing is lost: every row is stored or rejected.
/// </summary>
public sealed class Ingestor(TemLake lake, TimeProvider time, IngestOptions options)
{
    /// <summary>Expands files and folders (walked recursively, sorted, hidden entries skipped) into files.</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                list.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetRelativePath(p, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.') || part == "_tem"))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                list.Add(p);
            }
            else
            {
                throw new FileNotFoundException($"{p}: no such file or folder.", p);
            }
        }

        return list;
    }

    /// <summary>Ingests one file.</summary>
    public FileReport IngestFile(string path, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Path.GetFileName(path);
        var info = new FileInfo(path);
        string sha;
        try
        {
            using var stream = File.OpenRead(path);
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: cannot be read: {e.Message}", []);
        }

        if (lake.Catalog.FindIngested(sha) is { } earlier)
        {
            return new FileReport(path, earlier.Kind, FileOutcome.AlreadyIngested, 0, 0, 0,
                $"{name}: already ingested as {earlier.Path} on {earlier.IngestedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC (same SHA-256); nothing changed", []);
        }

        using var reader = new CsvRecordReader(File.OpenRead(path));
        if (!reader.Read())
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: empty file; expected a header row", []);
        }

        if (reader.Problem != RecordProblem.None)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0,
                $"{name}:1: the header row cannot be read ({reader.Problem}); expected a CSV header in UTF-8", []);
        }

        var header = Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(FieldParsers.Trim(reader.Field(i)))).ToArray();
        var layout = options.Kind is null ? CanonicalLayouts.Recognise(header) : CanonicalLayouts.ByKind(options.Kind)
            ?? throw new ArgumentException($"Unknown kind '{options.Kind}'; expected one of: {string.Join(", ", CanonicalLayouts.All.Select(l => l.Kind))}.");
        if (layout is null)
        {
            return new FileReport(path, null, FileOutcome.Unrecognised, 0, 0, 0,
                $"{name}: skipped: its header ({string.Join(",", header.Take(8))}{(header.Length > 8 ? ",..." : string.Empty)}) matches no known layout; name the kind with --kind", []);
        }

        var (columnOf, fatal, ignored) = MapHeader(layout, header);
        return Stage(path, name, info.Length, sha, runId, reader, layout, header.Length, columnOf, fatal, ignored);
    }

    private static (int[] ColumnOf, RowReject? Fatal, List<string> Ignored) MapHeader(Layout layout, string[] header)
    {
        var columnOf = new int[layout.Fields.Count];
        RowReject? fatal = null;
        for (var f = 0; f < layout.Fields.Count; f++)
        {
            var spec = layout.Fields[f];
            var matches = header.Select((h, i) => (h, i)).Where(x => string.Equals(x.h, spec.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            columnOf[f] = matches.Count == 0 ? -1 : matches[0].i;
            if (matches.Count > 1)
            {
                fatal ??= new RowReject(matches[1].i + 1, spec.Name, RejectReason.DuplicateHeader,
                    $"the header names '{spec.Name}' twice (columns {matches[0].i + 1} and {matches[1].i + 1}); expected it once");
            }
            else if (matches.Count == 0 && spec.InHeader)
            {
                fatal ??= new RowReject(0, spec.Name, RejectReason.MissingColumn,
                    $"the header has no '{spec.Name}' column, which a {layout.Kind} file requires");
            }
        }

        var known = new HashSet<string>(layout.Fields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        var ignored = header.Where(h => !known.Contains(h)).ToList();
        return (columnOf, fatal, ignored);
    }

    private FileReport Stage(
        string path, string name, long bytes, string sha, string runId, CsvRecordReader reader, Layout layout, int headerCount,
        int[] columnOf, RowReject? fatal, List<string> ignored)
    {
        var fileId = sha[..16];
        var stageDir = Path.Combine(lake.StagingRoot, fileId);
        if (Directory.Exists(stageDir))
        {
            Directory.Delete(stageDir, recursive: true);
        }

        Directory.CreateDirectory(stageDir);
        Directory.CreateDirectory(lake.TempDirectory);
        using var db = new DuckDbConnection(
            $"Data Source=:memory:;memory_limit={options.MemoryLimit};temp_directory={lake.TempDirectory};preserve_insertion_order=false");
        db.Open();
        db.Execute(RowWriter.CreateTableSql(layout, "stage") + "; CREATE TABLE rej (" + TemLake.RejectsColumns + ")");
        var writer = new RowWriter(layout, columnOf, headerCount, name);
        long read = 0, stored = 0, rejected = 0;
        var batch = 0;
        var rows = db.CreateAppender("stage");
        var rejects = db.CreateAppender("rej");
        try
        {
            while (reader.Read())
            {
                read++;
                RowReject reject;
                if (fatal is { } f)
                {
                    reject = f with { Message = "file rejected: " + f.Message };
                }
                else if (writer.TryWrite(reader, rows, out reject))
                {
                    stored++;
                    if (rows.RowsAppended >= options.BatchRows)
                    {
                        rows.Close();
                        WriteBatch(db, layout, stageDir, fileId, batch++);
                        rows = db.CreateAppender("stage");
                    }

                    continue;
                }

                rejected++;
                rejects.Append(fileId).Append(runId).Append(name).Append(layout.Kind).Append(reader.LineNumber).Append(reject.Column)
                    .Append(reject.ColumnName).Append(WireNames.ToWire(reject.Reason)).Append(Describe(name, reader.LineNumber, reject))
                    .Append(reader.RawText()).EndRow();
            }

            rows.Close();
            rejects.Close();
        }
        finally
        {
            rows.Dispose();
            rejects.Dispose();
        }

        WriteBatch(db, layout, stageDir, fileId, batch);
        if (rejected > 0)
        {
            var target = Path.Combine(stageDir, TemLake.RejectsTable);
            Directory.CreateDirectory(target);
            db.Execute($"COPY rej TO '{Escape(Path.Combine(target, $"part-{fileId}.parquet"))}' (FORMAT parquet)");
        }

        var staged = Directory.EnumerateFiles(stageDir, "*.parquet", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(lake.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Select(rel => (Table: rel.Split('/')[3], StagedPath: rel))
            .Order()
            .ToList();
        var outcome = fatal is null ? FileOutcome.Stored : FileOutcome.Failed;
        var message = fatal is { } fatalReject
            ? $"{name}: {fatalReject.Message}; all {read} rows rejected"
            : string.Create(CultureInfo.InvariantCulture, $"{name}: {layout.Kind}: read {read} / stored {stored} / rejected {rejected}");
        lake.Commit(
            new CatalogFile(fileId, sha, Path.GetFullPath(path), layout.Kind, layout.Table, bytes, read, stored, rejected,
                time.GetUtcNow(), runId, fatal is null ? FileState.Active : FileState.Failed, fatal?.Message),
            staged);
        return new FileReport(path, layout.Kind, outcome, read, stored, rejected, message, ignored);
    }

    private static string Describe(string file, long line, RowReject reject)
    {
        var where = reject.Column > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:{reject.Column}")
            : string.Create(CultureInfo.InvariantCulture, $"{file}:{line}");
        return reject.ColumnName is null ? $"{where}: {reject.Message}" : $"{where}: {reject.ColumnName} {reject.Message}";
    }

    private static void WriteBatch(DuckDbConnection db, Layout layout, string stageDir, string fileId, int batch)
    {
        using (var count = db.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM stage";
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return;
            }
        }

        var target = Path.Combine(stageDir, layout.Table);
        Directory.CreateDirectory(target);
        var pattern = string.Create(CultureInfo.InvariantCulture, $"part-{fileId}-b{batch}");
        var sql = layout.PartitionBy.Count == 0
            ? $"COPY stage TO '{Escape(Path.Combine(target, pattern + ".parquet"))}' (FORMAT parquet)"
            : $"COPY stage TO '{Escape(target)}' (FORMAT parquet, PARTITION_BY ({string.Join(", ", layout.PartitionBy)}), " +
              $"OVERWRITE_OR_IGNORE true, FILENAME_PATTERN '{pattern}-{{i}}')";
        db.Execute(sql + "; DELETE FROM stage");
    }

    private static string Escape(string path) => path.Replace("'", "''", StringComparison.Ordinal);
}
