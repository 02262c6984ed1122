using DuckDB.NET.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest.Csv;
using Tem.Ingest.Formats;
using Tem.Lake;
using Tem.Lake.Layouts;
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

    /// <summary>Recognised, but deliberately not stored (e.g. Cisco CMR call-quality records); the message says why.</summary>
    Skipped,
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
    /// <summary>
    /// Read every file as this kind instead of recognising it: a canonical kind (<c>usage</c>...) or a format name
    /// (<c>asterisk</c>, <c>cucm-cdr</c>...; see <see cref="FormatRegistry"/>).
    /// </summary>
    public string? Kind { get; init; }

    /// <summary>
    /// IANA time zone of the PBX whose records hold local times without an offset (Asterisk Master.csv), e.g.
    /// <c>Europe/London</c>; beats <c>time_zone</c> of a <c>tem-pbx.json</c> next to the file.
    /// </summary>
    public string? PbxTimeZone { get; init; }

    /// <summary>Name stored in <c>pbx_calls.pbx</c> for PBX records; beats <c>pbx</c> of a <c>tem-pbx.json</c> next to the file.</summary>
    public string? PbxName { get; init; }

    /// <summary>How EDI 811 invoices map onto invoice lines (carrier name, default currency, charge codes...).</summary>
    public Formats.Edi.Edi811Options Edi811 { get; init; } = new();

    /// <summary>
    /// Carrier profiles (<see cref="Formats.Profiles.CarrierProfile.LoadAll"/>): a CSV whose header has a profile's
    /// detection columns is read through that profile.
    /// </summary>
    public IReadOnlyList<Formats.Profiles.CarrierProfile> Profiles { get; init; } = [];

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
                    .Where(f => !PbxSettings.IsSettingsFile(f))
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

        // One catalog instance for the file's find, commit and completion (a writer holds the lake's write lock).
        using var catalog = lake.Catalog.Hold();
        if (lake.Catalog.FindIngested(sha) is { } earlier)
        {
            return new FileReport(path, earlier.Kind, FileOutcome.AlreadyIngested, 0, 0, 0,
                $"{name}: already ingested as {earlier.Path} on {earlier.IngestedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC (same SHA-256); nothing changed", []);
        }

        IFormat? format = null;
        var match = FormatMatch.No;
        try
        {
            if (options.Kind is { } forced && CanonicalLayouts.ByKind(forced) is null)
            {
                format = FormatRegistry.ByName(forced)
                    ?? throw new ArgumentException($"Unknown kind '{forced}'; expected one of: {string.Join(", ", FormatRegistry.KindNames)}.");

                // A forced format still gets to say that this file is one it skips (e.g. a CMR file read as cucm-cdr).
                match = format.Sniff(FileHead.Read(path), options);
            }
            else if (options.Kind is null && FormatRegistry.Detect(FileHead.Read(path), options) is { } detected)
            {
                (format, match) = detected;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: cannot be read: {e.Message}", []);
        }

        if (format is not null)
        {
            return match.Verdict == SniffVerdict.Skip
                ? new FileReport(path, format.Name, FileOutcome.Skipped, 0, 0, 0, $"{name}: skipped: {match.Message}", [])
                : IngestFormat(path, name, info.Length, sha, runId, format);
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
            ?? throw new ArgumentException($"Unknown kind '{options.Kind}'; expected one of: {string.Join(", ", FormatRegistry.KindNames)}.");
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
        var (stageDir, tableDir) = PrepareStaging(fileId, layout);

        // Rejected rows go to a private database of their own, so that they can be written while the COPY runs.
        using var rejectDb = OpenRejectDb();
        var threads = fatal is null && !sequential ? Math.Max(1, options.Threads ?? Environment.ProcessorCount) : 1;
        var slices = threads > 1
            ? CsvSplitter.Plan(path, reader.BytesRead, reader.LineNumber + 1, 2 * threads)
            : [new CsvSlice(reader.BytesRead, bytes - reader.BytesRead, reader.LineNumber + 1)];
        using var rejectAppender = rejectDb.CreateAppender("rej");
        var scan = new FileScan(path, slices, reader, () => new RowWriter(layout, columnOf, headerCount), rejectAppender,
            fatal, fileId, runId, name, layout.Kind);

        try
        {
            CopyToParquet(name, fileId, layout, tableDir, scan.OpenSource, threads);
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

        var (read, stored, rejected) = (scan.Read, scan.Stored, scan.Rejected);
        var message = fatal is { } fatalReject
            ? $"{name}: {fatalReject.Message}; all {read} rows rejected"
            : string.Create(CultureInfo.InvariantCulture, $"{name}: {layout.Kind}: read {read} / stored {stored} / rejected {rejected}");
        return CommitStaged(new StagedFile(path, bytes, sha, runId, layout.Kind, layout, stageDir, tableDir),
            rejectDb, read, stored, rejected, fatal?.Message, message, ignored);
    }

    /// <summary>A file written to staging, ready to be committed.</summary>
    private sealed record StagedFile(string Path, long Bytes, string Sha, string RunId, string Kind, Layout Layout, string StageDir, string TableDir)
    {
        public string FileId => Sha[..16];
    }

    private (string StageDir, string TableDir) PrepareStaging(string fileId, Layout layout)
    {
        var stageDir = Path.Combine(lake.StagingRoot, fileId);
        if (Directory.Exists(stageDir))
        {
            Directory.Delete(stageDir, recursive: true);
        }

        var tableDir = Path.Combine(stageDir, layout.Table);
        Directory.CreateDirectory(tableDir);
        Directory.CreateDirectory(lake.TempDirectory);
        return (stageDir, tableDir);
    }

    private static DuckDBConnection OpenRejectDb()
    {
        var rejectDb = LakeSession.InMemory();
        rejectDb.Execute("CREATE TABLE rej (" + TemLake.RejectsColumns + ")");
        return rejectDb;
    }

    /// <summary>Streams the rows of <paramref name="open"/>'s sources through a table function into ZSTD Parquet under <paramref name="tableDir"/>.</summary>
    private void CopyToParquet(string name, string fileId, Layout layout, string tableDir, Func<IDuckDbRowSource> open, int threads)
    {
        using var db = LakeSession.InMemory(new SessionOptions
        {
            MemoryLimit = options.MemoryLimit, TempDirectory = lake.TempDirectory, PreserveInsertionOrder = false,
        });
        var columns = layout.RowColumns;
        var rows = db.RegisterTableFunction("tem_rows", columns, open, maxThreads: threads);
        var target = layout.PartitionBy.Count == 0
            ? $"{SqlQuote.Literal(Path.Combine(tableDir, $"part-{fileId}.parquet"))} (FORMAT parquet, COMPRESSION zstd)"
            : $"{SqlQuote.Literal(tableDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({string.Join(", ", layout.PartitionBy)}), " +
              $"OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'part-{fileId}-{{i}}')";
        try
        {
            // source_file is one constant per file: cheaper as a constant column than appended per row.
            db.Execute($"COPY (SELECT *, {SqlQuote.Literal(name)} AS source_file FROM tem_rows()) TO {target}");
        }
        catch (DuckDBException e)
        {
            var original = rows.TakeError();
            if (original is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(original);
            }

            throw new InfrastructureException($"Writing {name} to the lake as Parquet", e);
        }
    }

    /// <summary>
    /// Writes the rejects next to the staged rows, records the file in the catalog and moves its Parquet files into
    /// the lake. <paramref name="failure"/> non-null marks the file failed (its rows are all in rejects).
    /// </summary>
    private FileReport CommitStaged(
        StagedFile file, DuckDBConnection rejectDb, long read, long stored, long rejected, string? failure, string message,
        IReadOnlyList<string> ignored)
    {
        if (stored == 0 && Directory.Exists(file.TableDir))
        {
            // Nothing stored (e.g. every row rejected): no empty Parquet file in the table.
            Directory.Delete(file.TableDir, recursive: true);
        }

        if (rejected > 0)
        {
            var rejectDir = Path.Combine(file.StageDir, TemLake.RejectsTable);
            Directory.CreateDirectory(rejectDir);
            rejectDb.Execute($"COPY rej TO {SqlQuote.Literal(Path.Combine(rejectDir, $"part-{file.FileId}.parquet"))} (FORMAT parquet, COMPRESSION zstd)");
        }

        var staged = Directory.EnumerateFiles(file.StageDir, "*.parquet", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(lake.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Select(rel => (Table: rel.Split('/')[3], StagedPath: rel))
            .Order()
            .ToList();
        lake.Commit(
            new CatalogFile(file.FileId, file.Sha, Path.GetFullPath(file.Path), file.Kind, file.Layout.Table, file.Bytes, read, stored, rejected,
                time.GetUtcNow(), file.RunId, failure is null ? FileState.Active : FileState.Failed, failure),
            staged);
        return new FileReport(file.Path, file.Kind, failure is null ? FileOutcome.Stored : FileOutcome.Failed, read, stored, rejected, message, ignored);
    }

    /// <summary>
    /// Ingests a file through a format reader: its records, translated into the reader's canonical layout, are checked
    /// and stored exactly like canonical rows (one thread: format files are small next to carrier usage). When the
    /// reader reports a whole-file problem at the end, nothing is stored and the file is read again to reject every record.
    /// </summary>
    private FileReport IngestFormat(string path, string name, long bytes, string sha, string runId, IFormat format)
    {
        var fileId = sha[..16];
        IFormatReader reader;
        try
        {
            reader = format.Open(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileReport(path, format.Name, FileOutcome.Failed, 0, 0, 0, $"{name}: cannot be read: {e.Message}", []);
        }

        using (reader)
        {
            var layout = reader.Layout;
            var (stageDir, tableDir) = PrepareStaging(fileId, layout);
            using var rejectDb = OpenRejectDb();
            var scan = new FormatScan(reader, new RowWriter(layout, [.. Enumerable.Range(0, layout.Fields.Count)], layout.Fields.Count),
                new RejectWriter(rejectDb, fileId, runId, name, format.Name));
            try
            {
                CopyToParquet(name, fileId, layout, tableDir, scan.OpenSource, threads: 1);
            }
            finally
            {
                scan.Rejects.Close();
            }

            var staged = new StagedFile(path, bytes, sha, runId, format.Name, layout, stageDir, tableDir);
            if (reader.Problem is not { } problem)
            {
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {format.Name} -> {layout.Table}: read {scan.Read} / stored {scan.Stored} / rejected {scan.Rejected}") +
                    (reader is ISkipsRows { RowsSkipped: > 0 and var skipped } ? string.Create(CultureInfo.InvariantCulture, $" (skipped {skipped} row{(skipped == 1 ? "" : "s")} as the profile says)") : string.Empty);
                return CommitStaged(staged, rejectDb, scan.Read, scan.Stored, scan.Rejected, null, message, []);
            }

            // The file fails as a whole: drop what was staged and reject every record with the file's problem.
            Directory.Delete(tableDir, recursive: true);
            rejectDb.Execute("DELETE FROM rej");
            var where = problem.Line > 0
                ? problem.Column > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{name}:{problem.Line}:{problem.Column}")
                    : string.Create(CultureInfo.InvariantCulture, $"{name}:{problem.Line}")
                : name;
            var failure = $"{where}: {problem.Message}";
            var all = new RejectWriter(rejectDb, fileId, runId, name, format.Name);
            long read;
            try
            {
                using var again = format.Open(path, options);
                read = RejectAll(again, all, new RowReject(0, null, problem.Reason, "file rejected: " + failure));
            }
            finally
            {
                all.Close();
            }

            return CommitStaged(staged, rejectDb, read, 0, read, failure, $"{failure}; all {read} rows rejected", []);
        }
    }

    private static long RejectAll(IFormatReader reader, RejectWriter rejects, RowReject reject)
    {
        long read = 0;
        while (reader.Read(out _))
        {
            read++;
            rejects.Write(reader.Record.Line, reader.Record.Raw, reject);
        }

        return read;
    }

    /// <summary>Appends rejected rows to the private rejects table (thread-safe).</summary>
    private sealed class RejectWriter(DuckDBConnection rejectDb, string fileId, string runId, string name, string kind)
    {
        private readonly DuckDBAppender _appender = rejectDb.CreateAppender("rej");

        public void Write(long line, string raw, RowReject reject)
        {
            var message = Describe(name, line, reject);
            lock (_appender)
            {
                _appender.CreateRow().AppendValue(fileId).AppendValue(runId).AppendValue(name).AppendValue(kind).AppendValue(line).AppendValue(reject.Column)
                    .AppendValue(reject.ColumnName).AppendValue(WireNames.ToWire(reject.Reason)).AppendValue(message).AppendValue(raw).EndRow();
            }
        }

        public void Close()
        {
            _appender.Close();
            _appender.Dispose();
        }
    }

    /// <summary>The records of a format reader for DuckDB's COPY, on one thread.</summary>
    private sealed class FormatScan(IFormatReader reader, RowWriter writer, RejectWriter rejects)
    {
        private int _opened;

        public RejectWriter Rejects => rejects;

        public long Read { get; private set; }

        public long Stored { get; private set; }

        public long Rejected { get; private set; }

        public IDuckDbRowSource OpenSource() =>
            Interlocked.Exchange(ref _opened, 1) == 0 ? new Source(this) : new Source(null);

        private bool Fill(DuckDbRowSink sink)
        {
            var expected = reader.Layout.Fields.Count;
            while (!sink.IsChunkFull)
            {
                if (!reader.Read(out var refused))
                {
                    return false;
                }

                Read++;
                var record = reader.Record;
                if (refused is null)
                {
                    if (record.FieldCount != expected)
                    {
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"Format reader {reader.Format} handed out {record.FieldCount} fields for line {record.Line}; layout {reader.Layout.Kind} has {expected}."));
                    }

                    if (writer.TryWrite(new TranslatedFieldRecord(record), sink, out var reject))
                    {
                        Stored++;
                        continue;
                    }

                    refused = reject;
                }

                Rejected++;
                rejects.Write(record.Line, record.Raw, refused.Value);
            }

            return true;
        }

        private sealed class Source(FormatScan? scan) : IDuckDbRowSource
        {
            public bool Fill(DuckDbRowSink sink) => scan is not null && scan.Fill(sink);

            public void Dispose()
            {
            }
        }
    }

    /// <summary>
    /// The rows of one file for DuckDB's COPY: slices of the file are handed out to the scanning threads, each
    /// parsed by its own reader; rejected rows go to the rejects appender (shared, under a lock).
    /// </summary>
    private sealed class FileScan(
        string path, IReadOnlyList<CsvSlice> slices, CsvRecordReader headerReader, Func<RowWriter> newWriter, DuckDBAppender rejects,
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
                rejects.CreateRow().AppendValue(fileId).AppendValue(runId).AppendValue(name).AppendValue(kind).AppendValue(reader.LineNumber).AppendValue(reject.Column)
                    .AppendValue(reject.ColumnName).AppendValue(WireNames.ToWire(reject.Reason)).AppendValue(message).AppendValue(raw).EndRow();
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
}
