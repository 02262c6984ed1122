using System.Globalization;
using Tem.Core;
using Tem.Ingest.Commit;
using Tem.Ingest.Csv;
using Tem.Ingest.Formats;
using Tem.Ingest.Recognition;
using Tem.Ingest.Rejects;
using Tem.Ingest.Staging;
using Tem.Lake;

namespace Tem.Ingest;

/// <summary>
/// Reads input files into the lake: recognises each file's kind from its header, checks every row against the
/// layout, stores good rows as Parquet and rejected rows (with file, line, column, reason and raw text) in
/// <c>rejects</c>, then commits through the catalog. Nothing is lost: every row is stored or rejected.
/// </summary>
/// <remarks>
/// The steps of one file, each its own type: its lineage (<see cref="FileVersions"/>, <see cref="FileLineage"/>: already
/// ingested, grown, same path), recognition (<see cref="FileRecogniser"/> by its head, <see cref="HeaderMapper"/> for
/// canonical CSV), staging (<see cref="CsvStager"/> or <see cref="FormatStager"/>, through <see cref="ParquetStaging"/>,
/// rejected rows into a <see cref="RejectStore"/>), and the commit (<see cref="FileCommitter"/>).
/// </remarks>
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
            (sha, bytes, grown) = FileVersions.Hash(path, [.. active.Where(f => FileLineage.AppendTables.Contains(f.Table))]);
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
        var job = new IngestJob(path, name, sha, new FileLineage(bytes, grown, [.. active.Where(f => f.Path == fullPath)]), runId);
        HeadVerdict head;
        try
        {
            head = FileRecogniser.ReadHead(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: cannot be read: {e.Message}", []);
        }

        if (head.Binary is { } binary)
        {
            return new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: {binary}", []);
        }

        if (head.Format is { } format)
        {
            return head.Match.Verdict == SniffVerdict.Skip
                ? new FileReport(path, format.Name, FileOutcome.Skipped, 0, 0, 0, $"{name}: skipped: {head.Match.Message}", [])
                : IngestFormat(job, format);
        }

        using var reader = new CsvRecordReader(MeteredStream.Wrap(File.OpenRead(path), _meter));
        if (HeaderMapper.Recognise(reader, options.Kind, path, name, out var refused) is not { } header)
        {
            return refused!;
        }

        using var rejects = RejectStore.Open(lake);
        var staged = new CsvStager(lake, Staging, options, _meter).Stage(job, reader, header, rejects);
        return new FileCommitter(lake, time, options).Commit(staged, rejects);
    }

    /// <summary>The file's staging folder and Parquet COPY, under this ingest's memory limit.</summary>
    private ParquetStaging Staging => new(lake, options.MemoryLimit);

    /// <summary>Ingests a file through a format reader (<see cref="FormatStager"/>).</summary>
    private FileReport IngestFormat(IngestJob job, IFormat format)
    {
        var bounded = options with { ReadLimit = job.Lineage.Bytes, Meter = _meter };
        IFormatReader reader;
        try
        {
            reader = format.Open(job.Path, bounded);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileReport(job.Path, format.Name, FileOutcome.Failed, 0, 0, 0, $"{job.Name}: cannot be read: {e.Message}", []);
        }

        using (reader)
        {
            using var rejects = RejectStore.Open(lake);
            var staged = new FormatStager(lake, Staging).Stage(job, format, reader, bounded, rejects);
            return new FileCommitter(lake, time, options).Commit(staged, rejects);
        }
    }
}
