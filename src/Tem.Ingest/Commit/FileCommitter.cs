using System.Globalization;
using Tem.Ingest.Rejects;
using Tem.Ingest.Staging;
using Tem.Lake;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Commit;

/// <summary>
/// The last step of a file's ingest: merges versioned tables' history, writes the rejects next to the staged rows,
/// counts the records already in the lake (a changed file is a conflict unless replacing), records the file in the
/// catalog and moves its Parquet files into the lake.
/// </summary>
internal sealed class FileCommitter(TemLake lake, TimeProvider time, IngestOptions options)
{
    private readonly RepeatCounter _repeats = new(lake, options.MemoryLimit);

    /// <summary>
    /// Commits <paramref name="file"/> with its rejected rows; <see cref="StagedFile.Failure"/> non-null marks the file
    /// failed (its rows are all in rejects).
    /// </summary>
    public FileReport Commit(StagedFile file, RejectStore rejects)
    {
        var (read, stored, rejected, failure, message) = (file.Read, file.Stored, file.Rejected, file.Failure, file.Message);
        var versioned = failure is null && file.Layout.VersionKey.Count > 0;
        if (versioned)
        {
            // Parties and accounts keep their history: the staged file becomes the earlier versions plus this file's.
            var outcome = VersionHistory.Merge(lake, file.Layout, Path.Combine(file.TableDir, $"part-{file.FileId}.parquet"), file.Path, file.Name,
                file.FileId, file.Job.RunId, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), rejects.Connection);
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
            rejects.CopyTo(Path.Combine(rejectDir, $"part-{file.FileId}.parquet"));
        }

        var staged = Directory.EnumerateFiles(file.StageDir, "*.parquet", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(lake.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Select(rel => (Table: rel.Split('/')[3], StagedPath: rel))
            .Order()
            .ToList();

        // Records already in the lake: repeats of other files are stored (the audit judges them); repeats of an earlier
        // version of this very path that this file did not grow from mean the file changed: a conflict, unless replacing.
        var samePath = file.Job.Lineage.SamePath;
        var sameIds = file.Grown is null ? samePath.Select(f => f.FileId).ToHashSet(StringComparer.Ordinal) : [];
        var repeats = failure is null && stored > 0
            ? _repeats.Count(file.Layout, [.. staged.Where(x => x.Table == file.Layout.Table).Select(x => x.StagedPath)], sameIds)
            : default;
        string? replaces = null;
        if (repeats.Same > 0 && file.Layout.Mode == LoadMode.Append)
        {
            var earlier = samePath[^1];
            if (!options.ReplaceChanged)
            {
                Directory.Delete(file.StageDir, recursive: true);
                var conflict = string.Create(CultureInfo.InvariantCulture,
                    $"{file.Name}: changed since it was ingested on {earlier.IngestedAt:yyyy-MM-dd HH:mm} UTC (run {earlier.RunId}): it is not that file grown (its first bytes differ) and {repeats.Same} of its {stored} records repeat that version's, so nothing was stored");
                return new FileReport(file.Path, file.Kind, FileOutcome.Failed, 0, 0, 0,
                    conflict + ". If it corrects the earlier file, ingest it with --replace; if it is another file, give it another name", file.Ignored);
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
            message += string.Create(CultureInfo.InvariantCulture, $" (replaces the version ingested on {samePath[^1].IngestedAt:yyyy-MM-dd HH:mm} UTC)");
        }

        if (repeated > 0)
        {
            message += string.Create(CultureInfo.InvariantCulture,
                $"; {repeated} record{(repeated == 1 ? " repeats one" : "s repeat ones")} already in the lake (same {string.Join(" and ", file.Layout.RecordKey)})");
        }

        lake.Commit(
            new CatalogFile(file.FileId, file.Job.Sha, Path.GetFullPath(file.Path), file.Kind, file.Layout.Table, file.Bytes, read, stored, rejected,
                time.GetUtcNow(), file.Job.RunId, failure is null ? FileState.Active : FileState.Failed, failure, file.Grown?.Earlier.FileId, file.FromLine,
                replaces),
            staged);
        return new FileReport(file.Path, file.Kind, failure is null ? FileOutcome.Stored : FileOutcome.Failed, read, stored, rejected, message, file.Ignored)
        {
            Repeats = repeated,
        };
    }
}
