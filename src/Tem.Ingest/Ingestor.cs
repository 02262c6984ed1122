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

/// <summary>Totals of a batch of files (<see cref="Ingestor.IngestFiles"/>).</summary>
/// <param name="Files">Files looked at.</param>
/// <param name="Failed">Files that could not be read as a whole (their rows, if any, are in rejects).</param>
/// <param name="Read">Rows read.</param>
/// <param name="Stored">Rows stored.</param>
/// <param name="Rejected">Rows rejected.</param>
public sealed record IngestTotals(int Files, int Failed, long Read, long Stored, long Rejected);

/// <summary>Settings of an ingest run.</summary>
public sealed record IngestOptions
{
    /// <summary>Read every file as this kind instead of recognising it from its header.</summary>
    public string? Kind { get; init; }

    /// <summary>Threads that parse and write in parallel (slices of one file); null = one per core.</summary>
    public int? Threads { get; init; }

    /// <summary>DuckDB's memory limit while staging; beyond it DuckDB spills to <c>_tem/tmp</c>.</summary>
    public string MemoryLimit { get; init; } = "1GB";

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

    /// <summary>
    /// Ingests files one by one, calling <paramref name="onFile"/> after each (its index and report); a file that fails,
    /// even for an infrastructure reason, does not stop the others. <paramref name="cancellationToken"/> is checked
    /// between files: a file is always ingested whole or not at all.
    /// </summary>
    public IngestTotals IngestFiles(
        IReadOnlyList<string> files, string runId, Action<int, FileReport>? onFile = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        int failed = 0;
        long read = 0, stored = 0, rejected = 0;
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FileReport report;
            try
            {
                report = IngestFile(files[i], runId);
            }
            catch (InfrastructureException e)
            {
                report = new FileReport(files[i], null, FileOutcome.Failed, 0, 0, 0, $"{Path.GetFileName(files[i])}: {e.Message}", []);
            }

            read += report.RowsRead;
            stored += report.RowsStored;
            rejected += report.RowsRejected;
            failed += report.Outcome == FileOutcome.Failed ? 1 : 0;
            onFile?.Invoke(i, report);
        }

        return new IngestTotals(files.Count, failed, read, stored, rejected);
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
        int[] columnOf, RowReject? fatal, List<string> ignored, bool sequential = false)
    {
        var fileId = sha[..16];
        var stageDir = Path.Combine(lake.StagingRoot, fileId);
        if (Directory.Exists(stageDir))
        {
            Directory.Delete(stageDir, recursive: true);
        }

        var tableDir = Path.Combine(stageDir, layout.Table);
        Directory.CreateDirectory(tableDir);
        Directory.CreateDirectory(lake.TempDirectory);

        // Rejected rows go to a private database of their own, so that they can be written while the COPY runs.
        using var rejectDb = new DuckDbConnection();
        rejectDb.Open();
        rejectDb.Execute("CREATE TABLE rej (" + TemLake.RejectsColumns + ")");
        var threads = fatal is null && !sequential ? Math.Max(1, options.Threads ?? Environment.ProcessorCount) : 1;
        var slices = threads > 1
            ? CsvSplitter.Plan(path, reader.BytesRead, reader.LineNumber + 1, 2 * threads)
            : [new CsvSlice(reader.BytesRead, bytes - reader.BytesRead, reader.LineNumber + 1)];
        using var rejectAppender = rejectDb.CreateAppender("rej");
        var scan = new FileScan(path, slices, reader, () => new RowWriter(layout, columnOf, headerCount), rejectAppender,
            fatal, fileId, runId, name, layout.Kind);

        using var db = new DuckDbConnection(
            $"Data Source=:memory:;memory_limit={options.MemoryLimit};temp_directory={lake.TempDirectory};preserve_insertion_order=false");
        db.Open();
        var columns = layout.Fields.Select(f => (f.Name, f.DuckType)).Concat(RowWriter.DerivedColumns(layout)).ToList();
        var rows = db.RegisterTableFunction("tem_rows", columns, scan.OpenSource, maxThreads: threads);
        var target = layout.PartitionBy.Count == 0
            ? $"'{Escape(Path.Combine(tableDir, $"part-{fileId}.parquet"))}' (FORMAT parquet, COMPRESSION zstd)"
            : $"'{Escape(tableDir)}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({string.Join(", ", layout.PartitionBy)}), " +
              $"OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'part-{fileId}-{{i}}')";
        try
        {
            // source_file is one constant per file: cheaper as a constant column than appended per row.
            db.Execute($"COPY (SELECT *, '{Escape(name)}' AS source_file FROM tem_rows()) TO {target}");
        }
        catch (DuckDbException e)
        {
            var original = rows.TakeError();
            if (original is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(original);
            }

            throw new InfrastructureException($"Writing {name} to the lake as Parquet", e);
        }
        finally
        {
            scan.Close();
        }

        if (!scan.SlicesLinedUp)
        {
            // A literal quote fooled the split: the slices did not meet at record boundaries. Redo it in one pass.
            Directory.Delete(stageDir, recursive: true);
            using var again = new CsvRecordReader(File.OpenRead(path));
            again.Read();
            return Stage(path, name, bytes, sha, runId, again, layout, headerCount, columnOf, fatal, ignored, sequential: true);
        }

        if (scan.Stored == 0)
        {
            // Nothing stored (e.g. every row rejected): no empty Parquet file in the table.
            Directory.Delete(tableDir, recursive: true);
        }

        if (scan.Rejected > 0)
        {
            var rejectDir = Path.Combine(stageDir, TemLake.RejectsTable);
            Directory.CreateDirectory(rejectDir);
            rejectDb.Execute($"COPY rej TO '{Escape(Path.Combine(rejectDir, $"part-{fileId}.parquet"))}' (FORMAT parquet, COMPRESSION zstd)");
        }

        var staged = Directory.EnumerateFiles(stageDir, "*.parquet", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(lake.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Select(rel => (Table: rel.Split('/')[3], StagedPath: rel))
            .Order()
            .ToList();
        var (read, stored, rejected) = (scan.Read, scan.Stored, scan.Rejected);
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

    /// <summary>
    /// The rows of one file for DuckDB's COPY: slices of the file are handed out to the scanning threads, each
    /// parsed by its own reader; rejected rows go to the rejects appender (shared, under a lock).
    /// </summary>
    private sealed class FileScan(
        string path, IReadOnlyList<CsvSlice> slices, CsvRecordReader headerReader, Func<RowWriter> newWriter, DuckDbAppender rejects,
        RowReject? fatal, string fileId, string runId, string name, string kind)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<int> _pending = new(Enumerable.Range(0, slices.Count));
        private readonly bool[] _linedUp = [.. slices.Select(_ => true)];
        private readonly System.Collections.Concurrent.ConcurrentBag<SliceSource> _sources = [];
        private long _rejected;

        /// <summary>Rows read; valid once the COPY has finished.</summary>
        public long Read => _sources.Sum(s => s.RowsRead);

        /// <summary>Rows stored; valid once the COPY has finished.</summary>
        public long Stored => _sources.Sum(s => s.RowsStored);

        public long Rejected => Interlocked.Read(ref _rejected);

        /// <summary>True when every slice but the last ended exactly where the next began.</summary>
        public bool SlicesLinedUp => _linedUp.All(x => x);

        public IDuckDbRowSource OpenSource()
        {
            var source = new SliceSource(this);
            _sources.Add(source);
            return source;
        }

        private RowWriter NewWriter() => newWriter();

        private RowReject? Fatal => fatal;

        public void Close() => rejects.Close();

        private CsvRecordReader OpenSlice(int index)
        {
            var slice = slices[index];
            if (index == 0)
            {
                // The first slice continues the reader that read the header.
                headerReader.StopAt = slice.Offset + slice.Length;
                return headerReader;
            }

            var stream = File.OpenRead(path);
            stream.Position = slice.Offset;
            return new CsvRecordReader(stream, slice.FirstLine, slice.Length);
        }

        private void Finished(int index, CsvRecordReader reader)
        {
            var slice = slices[index];
            var consumed = index == 0 ? reader.BytesRead : reader.BytesRead + slice.Offset;
            if (index < slices.Count - 1 && consumed != slice.Offset + slice.Length)
            {
                _linedUp[index] = false;
            }

            if (index != 0)
            {
                reader.Dispose();
            }
        }

        private void Reject(CsvRecordReader reader, RowReject reject)
        {
            Interlocked.Increment(ref _rejected);
            var message = Describe(name, reader.LineNumber, reject);
            var raw = reader.RawText();
            lock (rejects)
            {
                rejects.Append(fileId).Append(runId).Append(name).Append(kind).Append(reader.LineNumber).Append(reject.Column)
                    .Append(reject.ColumnName).Append(WireNames.ToWire(reject.Reason)).Append(message).Append(raw).EndRow();
            }
        }

        private sealed class SliceSource(FileScan scan) : IDuckDbRowSource
        {
            private int _index = -1;
            private CsvRecordReader? _reader;
            private RowWriter? _writer;

            // Counted per thread and summed at the end: shared counters bumped per row would bounce between cores.
            private long _read;
            private long _stored;

            public long RowsRead => _read;

            public long RowsStored => _stored;

            public bool Fill(DuckDbRowSink sink)
            {
                while (!sink.IsChunkFull)
                {
                    if (_reader is null)
                    {
                        if (!scan._pending.TryDequeue(out _index))
                        {
                            return false;
                        }

                        _reader = scan.OpenSlice(_index);
                        _writer = scan.NewWriter();
                    }

                    if (!_reader.Read())
                    {
                        scan.Finished(_index, _reader);
                        _reader = null;
                        continue;
                    }

                    _read++;
                    RowReject reject;
                    if (scan.Fatal is { } f)
                    {
                        reject = f with { Message = "file rejected: " + f.Message };
                    }
                    else if (_writer!.TryWrite(_reader, sink, out reject))
                    {
                        _stored++;
                        continue;
                    }

                    scan.Reject(_reader, reject);
                }

                return true;
            }

            public void Dispose()
            {
                if (_reader is not null && _index != 0)
                {
                    _reader.Dispose();
                }
            }
        }
    }

    private static string Describe(string file, long line, RowReject reject)
    {
        var where = reject.Column > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:{reject.Column}")
            : string.Create(CultureInfo.InvariantCulture, $"{file}:{line}");
        return reject.ColumnName is null ? $"{where}: {reject.Message}" : $"{where}: {reject.ColumnName} {reject.Message}";
    }

    private static string Escape(string path) => path.Replace("'", "''", StringComparison.Ordinal);
}
