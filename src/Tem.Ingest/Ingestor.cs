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
    IReadOnlyList<string> IgnoredColumns)
{
    /// <summary>
    /// Stored rows whose record (same carrier and record id, for usage) was already in the lake from another file: kept,
    /// because a carrier billing one record twice is what the audit's duplicate rule must see, and counted so that the
    /// ingest summary shows them at once.
    /// </summary>
    public long Repeats { get; init; }
}

/// <summary>Totals of a batch of files (<see cref="Ingestor.IngestFiles"/>).</summary>
/// <param name="Files">Files looked at.</param>
/// <param name="Failed">Files that could not be read as a whole (their rows, if any, are in rejects).</param>
/// <param name="Read">Rows read.</param>
/// <param name="Stored">Rows stored.</param>
/// <param name="Rejected">Rows rejected.</param>
/// <param name="Repeats">Stored rows whose record was already in the lake from another file (<see cref="FileReport.Repeats"/>).</param>
public sealed record IngestTotals(int Files, int Failed, long Read, long Stored, long Rejected, long Repeats = 0)
{
    /// <summary>Files whose content (SHA-256) the lake already held: counted in <see cref="Files"/>, not read again.</summary>
    public int AlreadyIngested { get; init; }
}

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

    /// <summary>
    /// The encoding text fields that are not valid UTF-8 are read with (e.g. <c>windows-1252</c>, <c>iso-8859-1</c>);
    /// null = windows-1252 (<see cref="Csv.TextFallback"/>). Beats <c>text_encoding</c> of a <c>tem-pbx.json</c>.
    /// </summary>
    public string? TextEncoding { get; init; }

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

    /// <summary>
    /// A file that changed since it was ingested from the same path (not grown: its first bytes differ, and records
    /// repeat that version's) replaces that version instead of failing as a conflict (<c>tem ingest --replace</c>).
    /// </summary>
    public bool ReplaceChanged { get; init; }

    /// <summary>Set by the ingestor for each file: format readers read only this many bytes (the length hashed).</summary>
    internal long? ReadLimit { get; init; }

    /// <summary>Set by the ingestor when progress is wanted: format readers' streams count their bytes into it.</summary>
    internal ByteMeter? Meter { get; init; }

}

/// <summary>
/// Reads input files into the lake: recognises each file's kind from its header, checks every row against the
/// layout, stores good rows as Parquet and rejected rows (with file, line, column, reason and raw text) in
/// <c>rejects</c>, then commits through the catalog. Nothing is lost: every row is stored or rejected.
/// </summary>
public sealed class Ingestor(TemLake lake, TimeProvider time, IngestOptions options)
{
    /// <summary>Counts the bytes read while <see cref="IngestFiles"/> runs with a progress receiver; null otherwise.</summary>
    private ByteMeter? _meter;

    /// <summary>Expands files and folders into the files to read (see <see cref="InputWalk.Expand"/>).</summary>
    public static IReadOnlyList<InputFile> ExpandPaths(IEnumerable<string> paths) => InputWalk.Expand(paths);

    /// <summary>
    /// Ingests files one by one, calling <paramref name="onFile"/> after each (its index and report); a file that fails,
    /// even for an infrastructure reason, does not stop the others. <paramref name="cancellationToken"/> is checked
    /// between files: a file is always ingested whole or not at all.
    /// </summary>
    /// <param name="files">The files, as <see cref="ExpandPaths"/> found them.</param>
    /// <param name="runId">The run the files are recorded under.</param>
    /// <param name="onFile">Called after each file with its index and report.</param>
    /// <param name="progress">
    /// Receives the bytes read of the files' total length (<see cref="WorkUnit.Bytes"/>, the current file's name as the
    /// item): counted from the readers' streams as they read, throttled, from any thread, never going back, ending at the total.
    /// </param>
    /// <param name="cancellationToken">Checked between files.</param>
    public IngestTotals IngestFiles(
        IReadOnlyList<InputFile> files, string runId, Action<int, FileReport>? onFile = null, IProgress<WorkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        int failed = 0, unchanged = 0;
        long read = 0, stored = 0, rejected = 0, repeats = 0;
        var sizes = files.Select(ByteMeter.SizeOf).ToList();
        _meter = progress is null ? null : new ByteMeter(progress, sizes.Sum());
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FileReport report;
            _meter?.StartFile(files[i].Name, sizes[i]);
            try
            {
                report = IngestFile(files[i], runId);
            }
            catch (InfrastructureException e)
            {
                report = new FileReport(files[i].Path, null, FileOutcome.Failed, 0, 0, 0, $"{files[i].Name}: {e.Message}", []);
            }

            _meter?.EndFile();

            read += report.RowsRead;
            stored += report.RowsStored;
            rejected += report.RowsRejected;
            repeats += report.Repeats;
            failed += report.Outcome == FileOutcome.Failed ? 1 : 0;
            unchanged += report.Outcome == FileOutcome.AlreadyIngested ? 1 : 0;
            onFile?.Invoke(i, report);
        }

        _meter = null;
        return new IngestTotals(files.Count, failed, read, stored, rejected, repeats) { AlreadyIngested = unchanged };
    }

    /// <summary>Ingests one file given by itself (named by its file name).</summary>
    public FileReport IngestFile(string path, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return IngestFile(InputFile.Of(path), runId);
    }

    /// <summary>Ingests one file found by <see cref="InputWalk"/>; an entry the walk could not read is reported as it is.</summary>
    public FileReport IngestFile(InputFile input, string runId)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (path, name) = (input.Path, input.Name);
        if (input.Error is { } error)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, error, []);
        }

        if (input.Skip is { } skip)
        {
            return new FileReport(path, null, FileOutcome.Skipped, 0, 0, 0, skip, []);
        }

        if (options.TextEncoding is { } encoding && TextFallback.Resolve(encoding) is null)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0,
                $"{name}: the text encoding '{encoding}' is not one .NET knows; expected e.g. windows-1252, iso-8859-1 or iso-8859-15", []);
        }

        // One catalog instance for the file's find, commit and completion (a writer holds the lake's write lock).
        using var catalog = lake.Catalog.Hold();
        var active = lake.Catalog.ActiveFiles();
        string sha;
        long bytes;
        GrownFile? grown;
        try
        {
            (sha, bytes, grown) = FileVersions.Hash(path, [.. active.Where(f => AppendTables.Contains(f.Table))]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: cannot be read: {e.Message}", []);
        }

        if (lake.Catalog.FindIngested(sha) is { } earlier)
        {
            if (lake.TakeCompletedCommit(earlier.FileId))
            {
                // Read and staged by a run that died mid-commit; opening the lake finished that commit just now.
                return new FileReport(path, earlier.Kind, earlier.State == FileState.Failed ? FileOutcome.Failed : FileOutcome.Stored,
                    earlier.RowsRead, earlier.RowsStored, earlier.RowsRejected,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{name}: {earlier.Kind}: read {earlier.RowsRead} / stored {earlier.RowsStored} / rejected {earlier.RowsRejected}: run {earlier.RunId} read it and died while committing it; this run completed the commit"),
                    []);
            }

            return new FileReport(path, earlier.Kind, FileOutcome.AlreadyIngested, 0, 0, 0,
                $"{name}: already ingested as {earlier.Path} on {earlier.IngestedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC (same SHA-256); nothing changed", []);
        }

        var fullPath = Path.GetFullPath(path);
        var lineage = new Lineage(bytes, grown, [.. active.Where(f => f.Path == fullPath)]);
        IFormat? format = null;
        var match = FormatMatch.No;
        try
        {
            var head = FileHead.Read(path);
            if (BinaryFiles.Describe(head.Bytes.Span) is { } binary)
            {
                return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: {binary}", []);
            }

            if (options.Kind is { } forced && CanonicalLayouts.ByKind(forced) is null)
            {
                format = FormatRegistry.ByName(forced)
                    ?? throw new ArgumentException($"Unknown kind '{forced}'; expected one of: {string.Join(", ", FormatRegistry.KindNames)}.");

                // A forced format still gets to say that this file is one it skips (e.g. a CMR file read as cucm-cdr).
                match = format.Sniff(head, options);
            }
            else if (options.Kind is null && FormatRegistry.Detect(head, options) is { } detected)
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
                : IngestFormat(path, name, lineage, sha, runId, format);
        }

        using var reader = new CsvRecordReader(MeteredStream.Wrap(File.OpenRead(path), _meter));
        if (!reader.Read())
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: empty file; expected a header row", []);
        }

        if (RecordProblems.HeaderProblem(reader) is { } headerUnreadable)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0,
                $"{name}:1: the header row cannot be read ({headerUnreadable}); expected a CSV header in UTF-8", []);
        }

        var header = Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(FieldParsers.Trim(reader.Field(i)))).ToArray();
        var layout = options.Kind is null ? CanonicalLayouts.Recognise(header) : CanonicalLayouts.ByKind(options.Kind)
            ?? throw new ArgumentException($"Unknown kind '{options.Kind}'; expected one of: {string.Join(", ", FormatRegistry.KindNames)}.");
        RowReject? headerProblem = null;
        if (layout is null && SeparatorHint(header) is { } semicolon)
        {
            // A ';'-separated export of a known layout (a European spreadsheet's CSV): say so and reject its rows.
            (layout, headerProblem) = semicolon;
        }
        else if (layout is null && CanonicalLayouts.Closest(header) is { } closest)
        {
            // Close to a known layout but lacking required columns: that file's rows are rejected, never skipped unseen.
            layout = closest.Layout;
        }

        if (layout is null)
        {
            return new FileReport(path, null, FileOutcome.Unrecognised, 0, 0, 0,
                $"{name}: skipped: its header ({string.Join(",", header.Take(8))}{(header.Length > 8 ? ",..." : string.Empty)}) matches no known layout; name the kind with --kind", []);
        }

        var (columnOf, fatal, ignored) = MapHeader(layout, header);
        fatal = headerProblem ?? fatal;
        return Stage(path, name, lineage, sha, runId, reader, layout, header.Length, columnOf, fatal, ignored);
    }

    private static (int[] ColumnOf, RowReject? Fatal, List<string> Ignored) MapHeader(Layout layout, string[] header)
    {
        var columnOf = new int[layout.Fields.Count];
        RowReject? duplicate = null;
        var missing = new List<string>();
        for (var f = 0; f < layout.Fields.Count; f++)
        {
            var spec = layout.Fields[f];
            var matches = header.Select((h, i) => (h, i)).Where(x => string.Equals(x.h, spec.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            columnOf[f] = matches.Count == 0 ? -1 : matches[0].i;
            if (matches.Count > 1)
            {
                duplicate ??= new RowReject(matches[1].i + 1, spec.Name, RejectReason.DuplicateHeader,
                    $"the header names '{spec.Name}' twice (columns {matches[0].i + 1} and {matches[1].i + 1}); expected it once");
            }
            else if (matches.Count == 0 && spec.InHeader)
            {
                missing.Add(spec.Name);
            }
        }

        var fatal = missing.Count switch
        {
            0 => duplicate,
            1 => new RowReject(0, missing[0], RejectReason.MissingColumn, $"the header has no '{missing[0]}' column, which a {layout.Kind} file requires"),
            _ => new RowReject(0, string.Join(", ", missing), RejectReason.MissingColumn,
                $"the header has no {string.Join(", ", missing.Select(m => $"'{m}'"))} columns, which a {layout.Kind} file requires"),
        };
        var known = new HashSet<string>(layout.Fields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        var ignored = header.Where(h => !known.Contains(h)).ToList();
        return (columnOf, fatal, ignored);
    }

    /// <summary>
    /// When a header read with commas is one field that, split at ';', a tab or '|', is (or comes close to) a known
    /// layout: that layout and the file's problem; else null.
    /// </summary>
    private static (Layout Layout, RowReject Problem)? SeparatorHint(string[] header)
    {
        if (header.Length != 1)
        {
            return null;
        }

        foreach (var (separator, named, json) in (ReadOnlySpan<(char, string, string)>)[(';', "';'", ";"), ('\t', "tabs", "\\t"), ('|', "'|'", "|")])
        {
            if (!header[0].Contains(separator, StringComparison.Ordinal))
            {
                continue;
            }

            var split = header[0].Split(separator, StringSplitOptions.TrimEntries);
            if ((CanonicalLayouts.Recognise(split) ?? CanonicalLayouts.Closest(split)?.Layout) is { } layout)
            {
                return (layout, new RowReject(0, null, RejectReason.BadFile,
                    $"the columns are separated by {named} (it reads as a {layout.Kind} file that way), but Tem reads comma-separated CSV; " +
                    $"export it with commas, or read it through a carrier profile with \"separator\": \"{json}\""));
            }
        }

        return null;
    }

    private FileReport Stage(
        string path, string name, Lineage lineage, string sha, string runId, CsvRecordReader reader, Layout layout, int headerCount,
        int[] columnOf, RowReject? fatal, List<string> ignored, bool sequential = false)
    {
        var fileId = sha[..16];
        var bytes = lineage.Bytes;
        var (stageDir, tableDir) = PrepareStaging(fileId, layout);

        // A grown file is read from where its earlier version ended; any other from the line after the header.
        var (dataStart, dataLine) = Resume(lineage, layout) is { } resume && fatal is null
            ? resume
            : (reader.BytesRead, reader.LineNumber + 1);

        // Rejected rows go to a private database of their own, so that they can be written while the COPY runs.
        using var rejectDb = OpenRejectDb();
        var threads = fatal is null && !sequential ? Math.Max(1, options.Threads ?? Environment.ProcessorCount) : 1;
        var slices = threads > 1
            ? CsvSplitter.Plan(path, dataStart, dataLine, 2 * threads, bytes)
            : [new CsvSlice(dataStart, bytes - dataStart, dataLine)];
        using var rejectAppender = rejectDb.CreateAppender("rej");
        var textFallback = TextFallback.Named(options.TextEncoding, "the text encoding");
        var scan = new FileScan(path, slices, reader, () => new RowWriter(layout, columnOf, headerCount, textFallback), rejectAppender,
            fatal, fileId, runId, name, layout.Kind, _meter);

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
            using var again = new CsvRecordReader(MeteredStream.Wrap(File.OpenRead(path), _meter));
            again.Read();
            return Stage(path, name, lineage, sha, runId, again, layout, headerCount, columnOf, fatal, ignored, sequential: true);
        }

        var (read, stored, rejected) = (scan.Read, scan.Stored, scan.Rejected);
        var readNote = textFallback.Note is { } note ? "; " + note : string.Empty;
        var message = fatal is { } fatalReject
            ? $"{name}: {fatalReject.Message}; all {read} rows rejected"
            : string.Create(CultureInfo.InvariantCulture, $"{name}: {layout.Kind}: read {read} / stored {stored} / rejected {rejected}") + readNote;
        return CommitStaged(
            new StagedFile(path, name, lineage, sha, runId, layout.Kind, layout, stageDir, tableDir, fatal is null ? dataLine : 1) { ReadNote = readNote },
            rejectDb, read, stored, rejected, fatal?.Message, message, ignored);
    }

    /// <summary>A file written to staging, ready to be committed; <paramref name="FromLine"/> is the first line read (after an earlier version's).</summary>
    private sealed record StagedFile(
        string Path, string Name, Lineage Lineage, string Sha, string RunId, string Kind, Layout Layout, string StageDir, string TableDir, long FromLine)
    {
        public string FileId => Sha[..16];

        /// <summary>What the reading says once per file after the counts (<c>; 1 text field was not UTF-8; ...</c>), or empty.</summary>
        public string ReadNote { get; init; } = string.Empty;

        public long Bytes => Lineage.Bytes;

        /// <summary>The earlier version this file grew from, when it is read from there (tables that keep every file's rows).</summary>
        public GrownFile? Grown => FromLine > 1 && Layout.Mode == LoadMode.Append ? Lineage.Grown : null;
    }

    /// <summary>
    /// How an input file relates to what the lake holds: the bytes hashed (its length then), the earlier version it
    /// grew from, and the active files ingested from the same path before.
    /// </summary>
    private sealed record Lineage(long Bytes, GrownFile? Grown, IReadOnlyList<CatalogFile> SamePath);

    /// <summary>Tables whose files add rows (a grown file stores only its new ones); the others replace their table whole.</summary>
    private static readonly HashSet<string> AppendTables =
        [.. CanonicalLayouts.All.Where(l => l.Mode == LoadMode.Append).Select(l => l.Table)];

    /// <summary>
    /// Where a grown file's new rows begin (byte offset and line), or null to read it whole. When the earlier version
    /// cut its last line short, that line is read again if the earlier ingest rejected it (it was incomplete), and
    /// skipped if it stored it (the earlier file merely lacked a final line break).
    /// </summary>
    private (long Offset, long Line)? Resume(Lineage lineage, Layout layout)
    {
        if (lineage.Grown is not { } grown || layout.Mode != LoadMode.Append || grown.Earlier.Table != layout.Table)
        {
            return null;
        }

        if (grown.CutLineEnd is not { } cutEnd)
        {
            return (grown.Offset, grown.Line);
        }

        return RejectedLine(grown.Earlier, grown.Line) ? (grown.Offset, grown.Line) : (cutEnd, grown.Line + 1);
    }

    /// <summary>True when the lake's rejects hold line <paramref name="line"/> of <paramref name="file"/>.</summary>
    private bool RejectedLine(CatalogFile file, long line)
    {
        var paths = lake.Catalog.ActiveLakeFiles(TemLake.RejectsTable).Where(f => f.FileId == file.FileId).Select(f => f.Path).ToList();
        if (paths.Count == 0)
        {
            return false;
        }

        using var db = LakeSession.InMemory();
        return db.Scalar<long>(string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM read_parquet({ParquetList(paths)}) WHERE line = {line}")) > 0;
    }

    private string ParquetList(IEnumerable<string> lakePaths) =>
        "[" + string.Join(", ", lakePaths.Select(p => SqlQuote.Literal(Path.Combine(lake.Root, p)))) + "]";

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

    /// <summary>DuckDB memory the rejects of one file may hold before they spill to <c>_tem/tmp</c> (a file of only bad rows stays bounded).</summary>
    private const string RejectMemory = "128MB";

    private DuckDBConnection OpenRejectDb()
    {
        Directory.CreateDirectory(lake.TempDirectory);
        var rejectDb = LakeSession.InMemory(new SessionOptions { MemoryLimit = RejectMemory, TempDirectory = lake.TempDirectory, Threads = 1 });
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
        var versioned = failure is null && file.Layout.VersionKey.Count > 0;
        if (versioned)
        {
            // Parties and accounts keep their history: the staged file becomes the earlier versions plus this file's.
            var outcome = VersionHistory.Merge(lake, file.Layout, Path.Combine(file.TableDir, $"part-{file.FileId}.parquet"), file.Path, file.Name,
                file.FileId, file.RunId, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), rejectDb);
            stored -= outcome.Rejected;
            rejected += outcome.Rejected;
            message = string.Create(CultureInfo.InvariantCulture,
                $"{file.Name}: {file.Layout.Kind}: read {read} / stored {stored} / rejected {rejected}{file.ReadNote}{outcome.Note}");
        }

        if (stored == 0 && !versioned && Directory.Exists(file.TableDir))
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

        // Records already in the lake: repeats of other files are stored (the audit judges them); repeats of an earlier
        // version of this very path that this file did not grow from mean the file changed: a conflict, unless replacing.
        var sameIds = file.Grown is null ? file.Lineage.SamePath.Select(f => f.FileId).ToHashSet(StringComparer.Ordinal) : [];
        var repeats = failure is null && stored > 0
            ? CountRepeats(file.Layout, [.. staged.Where(x => x.Table == file.Layout.Table).Select(x => x.StagedPath)], sameIds)
            : default;
        string? replaces = null;
        if (repeats.Same > 0 && file.Layout.Mode == LoadMode.Append)
        {
            var earlier = file.Lineage.SamePath[^1];
            if (!options.ReplaceChanged)
            {
                Directory.Delete(file.StageDir, recursive: true);
                var conflict = string.Create(CultureInfo.InvariantCulture,
                    $"{file.Name}: changed since it was ingested on {earlier.IngestedAt:yyyy-MM-dd HH:mm} UTC (run {earlier.RunId}): it is not that file grown (its first bytes differ) and {repeats.Same} of its {stored} records repeat that version's, so nothing was stored");
                return new FileReport(file.Path, file.Kind, FileOutcome.Failed, 0, 0, 0,
                    conflict + ". If it corrects the earlier file, ingest it with --replace; if it is another file, give it another name", ignored);
            }

            replaces = earlier.FileId;
        }

        var repeated = replaces is null ? repeats.Any : repeats.Other;
        if (file.Grown is { } grown)
        {
            message += string.Create(CultureInfo.InvariantCulture,
                $" (grown since it was ingested on {grown.Earlier.IngestedAt:yyyy-MM-dd HH:mm} UTC: read from line {file.FromLine} on)");
        }

        if (replaces is not null)
        {
            message += string.Create(CultureInfo.InvariantCulture, $" (replaces the version ingested on {file.Lineage.SamePath[^1].IngestedAt:yyyy-MM-dd HH:mm} UTC)");
        }

        if (repeated > 0)
        {
            message += string.Create(CultureInfo.InvariantCulture,
                $"; {repeated} record{(repeated == 1 ? " repeats one" : "s repeat ones")} already in the lake (same {string.Join(" and ", file.Layout.RecordKey)})");
        }

        lake.Commit(
            new CatalogFile(file.FileId, file.Sha, Path.GetFullPath(file.Path), file.Kind, file.Layout.Table, file.Bytes, read, stored, rejected,
                time.GetUtcNow(), file.RunId, failure is null ? FileState.Active : FileState.Failed, failure, file.Grown?.Earlier.FileId, file.FromLine,
                replaces),
            staged);
        return new FileReport(file.Path, file.Kind, failure is null ? FileOutcome.Stored : FileOutcome.Failed, read, stored, rejected, message, ignored)
        {
            Repeats = repeated,
        };
    }

    /// <summary>
    /// Counts the staged rows whose record key (<see cref="Layout.RecordKey"/>) is already in the lake: in any active
    /// file, in one of <paramref name="sameIds"/> and in the others. Only the partitions the staged rows fall in are read.
    /// </summary>
    private (long Any, long Same, long Other) CountRepeats(Layout layout, IReadOnlyList<string> stagedPaths, HashSet<string> sameIds)
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
            .Select(g => $"SELECT {keys}, {(g.Key ? "true" : "false")} AS same FROM read_parquet({ParquetList(g.Select(f => f.Path))}, {Hive})");
        var on = string.Join(" AND ", layout.RecordKey.Select(k => $"s.{SqlQuote.Identifier(k)} = e.{SqlQuote.Identifier(k)}"));
        using var db = LakeSession.InMemory(new SessionOptions { MemoryLimit = options.MemoryLimit, TempDirectory = lake.TempDirectory });
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            WITH e AS (SELECT {keys}, bool_or(same) AS same, bool_or(NOT same) AS other FROM ({string.Join(" UNION ALL ", branches)}) GROUP BY ALL)
            SELECT count(*), count(*) FILTER (WHERE e.same), count(*) FILTER (WHERE e.other)
            FROM read_parquet({ParquetList(stagedPaths)}, {Hive}) s JOIN e ON {on}
            """;
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }

    /// <summary>
    /// Ingests a file through a format reader: its records, translated into the reader's canonical layout, are checked
    /// and stored exactly like canonical rows (one thread: format files are small next to carrier usage). When the
    /// reader reports a whole-file problem at the end, nothing is stored and the file is read again to reject every record.
    /// </summary>
    private FileReport IngestFormat(string path, string name, Lineage lineage, string sha, string runId, IFormat format)
    {
        var fileId = sha[..16];
        var bounded = options with { ReadLimit = lineage.Bytes, Meter = _meter };
        IFormatReader reader;
        try
        {
            reader = format.Open(path, bounded);
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

            // A grown file's records before its earlier version's end were ingested then: they are read past, not again.
            var fromLine = Resume(lineage, layout)?.Line ?? 1;
            var scan = new FormatScan(reader, new RowWriter(layout, [.. Enumerable.Range(0, layout.Fields.Count)], layout.Fields.Count),
                new RejectWriter(rejectDb, fileId, runId, name, format.Name), fromLine);
            try
            {
                CopyToParquet(name, fileId, layout, tableDir, scan.OpenSource, threads: 1);
            }
            finally
            {
                scan.Rejects.Close();
            }

            var readNote = reader is IReportsTextFallback { TextFallback.Note: { } note } ? "; " + note : string.Empty;
            var staged = new StagedFile(path, name, lineage, sha, runId, format.Name, layout, stageDir, tableDir, fromLine) { ReadNote = readNote };
            if (reader.Problem is not { } problem)
            {
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {format.Name} -> {layout.Table}: read {scan.Read} / stored {scan.Stored} / rejected {scan.Rejected}") +
                    (reader is ISkipsRows { RowsSkipped: > 0 and var skipped } ? string.Create(CultureInfo.InvariantCulture, $" (skipped {skipped} row{(skipped == 1 ? "" : "s")} as the profile says)") : string.Empty) +
                    readNote;
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
                using var again = format.Open(path, bounded);
                read = RejectAll(again, all, new RowReject(0, null, problem.Reason, "file rejected: " + failure));
            }
            finally
            {
                all.Close();
            }

            return CommitStaged(staged with { FromLine = 1 }, rejectDb, read, 0, read, failure, $"{failure}; all {read} rows rejected", []);
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
    private sealed class FormatScan(IFormatReader reader, RowWriter writer, RejectWriter rejects, long fromLine)
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

                var record = reader.Record;
                if (record.Line < fromLine)
                {
                    continue;
                }

                Read++;
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
        RowReject? fatal, string fileId, string runId, string name, string kind, ByteMeter? meter)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<int> _pending = new(Enumerable.Range(0, slices.Count));
        private readonly bool _continuesHeader = slices[0].Offset == headerReader.BytesRead;
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
            if (IsHeaderReader(index))
            {
                // The first slice continues the reader that read the header.
                headerReader.StopAt = slice.Offset + slice.Length;
                return headerReader;
            }

            var stream = File.OpenRead(path);
            stream.Position = slice.Offset;
            return new CsvRecordReader(MeteredStream.Wrap(stream, meter), slice.FirstLine, slice.Length);
        }

        private void Finished(int index, CsvRecordReader reader)
        {
            var slice = slices[index];
            var consumed = IsHeaderReader(index) ? reader.BytesRead : reader.BytesRead + slice.Offset;
            if (index < slices.Count - 1 && consumed != slice.Offset + slice.Length)
            {
                _linedUp[index] = false;
            }

            if (!IsHeaderReader(index))
            {
                reader.Dispose();
            }
        }

        /// <summary>
        /// True for the slice read by the reader that read the header: the first one, when the data follows the header
        /// (a grown file's first slice starts where its earlier version ended, with a reader of its own).
        /// </summary>
        private bool IsHeaderReader(int index) => index == 0 && _continuesHeader;

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
                if (_reader is not null && !scan.IsHeaderReader(_index))
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
