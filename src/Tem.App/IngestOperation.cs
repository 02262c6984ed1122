using System.Globalization;
using Tem.Core;
using Tem.Ingest;

namespace Tem.App;

/// <summary>What <see cref="IngestOperation.Run"/> ingests, into which lake.</summary>
public sealed record IngestRequest
{
    /// <summary>Files or folders (walked recursively).</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>The lake folder.</summary>
    public required string Lake { get; init; }

    /// <summary>Ingest settings (kind, formats, memory limit).</summary>
    public IngestOptions Options { get; init; } = new();
}

/// <summary>How <c>tem ingest</c> went.</summary>
/// <param name="Run">The recorded run (outcome, id, times).</param>
/// <param name="Lake">The lake folder (absolute).</param>
/// <param name="Totals">Files and rows.</param>
public sealed record IngestRunResult(LakeOperationResult<IngestTotals> Run, string Lake, IngestTotals Totals)
{
    /// <summary>Files passed over because they are not data (notes, images; see <see cref="InputWalk.IsNotData"/>), by name.</summary>
    public IReadOnlyList<string> NotData { get; init; } = [];
}

/// <summary>Ingests files into a lake as one recorded run (see <see cref="LakeOperation"/>).</summary>
public sealed class IngestOperation(TimeProvider time)
{
    /// <summary>The name ingest runs are recorded under.</summary>
    public const string Command = "ingest";

    /// <summary>Expands the request's paths to files; throws <see cref="FileNotFoundException"/> for a path that does not exist.</summary>
    public static IReadOnlyList<InputFile> Files(IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Ingestor.ExpandPaths(request.Paths);
    }

    /// <summary>
    /// Splits what the walk found into the files to read and those that are not data (<see cref="InputWalk.IsNotData"/>),
    /// which ingest passes over and lists once (<see cref="DescribeNotData"/>) instead of a message each.
    /// </summary>
    public static (IReadOnlyList<InputFile> Data, IReadOnlyList<InputFile> NotData) SplitNotData(IReadOnlyList<InputFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var notData = files.Where(f => f.Error is null && f.Skip is null && InputWalk.IsNotData(f.Name)).ToList();
        return (files.Except(notData).ToList(), notData);
    }

    /// <summary>
    /// The totals as one line, with the definitions every line of Tem uses (files: the data files looked at; rows: their
    /// data rows, headers excluded): <c>10 files: read 18069 / stored 18069 / rejected 0 rows</c>, then what else
    /// happened (files already ingested and not read again, records repeated from other files, files failed).
    /// </summary>
    public static string DescribeTotals(IngestTotals t)
    {
        ArgumentNullException.ThrowIfNull(t);
        static string S(long n) => n == 1 ? string.Empty : "s";
        var line = string.Create(CultureInfo.InvariantCulture, $"{t.Files} files: read {t.Read} / stored {t.Stored} / rejected {t.Rejected} rows");
        if (t.AlreadyIngested > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; {t.AlreadyIngested} already ingested (same SHA-256), not read again");
        }

        if (t.Repeats > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; {t.Repeats} stored records repeat ones already in the lake");
        }

        return t.Failed > 0 ? line + string.Create(CultureInfo.InvariantCulture, $"; {t.Failed} file{S(t.Failed)} failed") : line;
    }

    /// <summary>The one line that lists the files that are not data: <c>skipped 2 files that are not data: README.md, logos/acme.svg</c>.</summary>
    public static string DescribeNotData(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return string.Create(CultureInfo.InvariantCulture,
            $"skipped {names.Count} file{(names.Count == 1 ? " that is" : "s that are")} not data: {string.Join(", ", names)}");
    }

    /// <summary>
    /// Ingests <paramref name="files"/> one by one (a file that fails does not stop the others), reporting each through
    /// <paramref name="fileDone"/> (its index among the data files and its report) and the bytes read through
    /// <paramref name="progress"/>. Files that are not data are passed over (<see cref="IngestRunResult.NotData"/>).
    /// Outcome <c>failed</c> when a file could not be read at all.
    /// </summary>
    public IngestRunResult Run(
        IngestRequest request, IReadOnlyList<InputFile> files, Action<int, FileReport>? fileDone = null, IProgress<WorkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(files);
        var (data, notData) = SplitNotData(files);
        var run = LakeOperation.Run(new LakeOperationOptions { Lake = request.Lake, Command = Command, CreateLake = true }, time, scope =>
        {
            var totals = Ingest(scope, data, request.Options, fileDone, progress, cancellationToken);
            if (totals.Failed > 0)
            {
                scope.Outcome = Core.RunOutcome.Failed;
            }

            return totals;
        }, cancellationToken);
        return new IngestRunResult(run, Path.GetFullPath(request.Lake), run.Value ?? new IngestTotals(run.Totals.Files, 0, run.Totals.Read, run.Totals.Stored, run.Totals.Rejected))
        {
            NotData = [.. notData.Select(f => f.Name)],
        };
    }

    /// <summary>The ingest step of a run: every file into the run's lake, totals kept on the scope as they grow.</summary>
    internal IngestTotals Ingest(
        RunScope scope, IReadOnlyList<InputFile> files, IngestOptions options, Action<int, FileReport>? fileDone, IProgress<WorkProgress>? progress,
        CancellationToken cancellationToken)
    {
        var ingestor = new Ingestor(scope.Lake, time, options);
        long read = 0, stored = 0, rejected = 0;
        var totals = ingestor.IngestFiles(files, scope.RunId, (i, report) =>
        {
            read += report.RowsRead;
            stored += report.RowsStored;
            rejected += report.RowsRejected;
            scope.Totals = scope.Totals with { Files = i + 1, Read = read, Stored = stored, Rejected = rejected };
            fileDone?.Invoke(i, report);
        }, progress, cancellationToken);
        scope.Totals = scope.Totals with { Files = totals.Files, Read = totals.Read, Stored = totals.Stored, Rejected = totals.Rejected };
        return totals;
    }
}
