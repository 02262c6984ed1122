using Tem.Lake.Layouts;

namespace Tem.Ingest.Staging;

/// <summary>One file being ingested: where it is, its name in messages, its content's SHA-256, its lineage and the run.</summary>
internal sealed record IngestJob(string Path, string Name, string Sha, FileLineage Lineage, string RunId)
{
    /// <summary>The file's id in the catalog and in the names of its Parquet files: the first 16 hex digits of its SHA-256.</summary>
    public string FileId => Sha[..16];
}

/// <summary>
/// A file written to staging, ready to be committed; <paramref name="FromLine"/> is the first line read (after an
/// earlier version's). <see cref="Failure"/> non-null marks the file failed (its rows are all in rejects).
/// </summary>
internal sealed record StagedFile(IngestJob Job, string Kind, Layout Layout, string StageDir, string TableDir, long FromLine)
{
    public string Path => Job.Path;

    public string Name => Job.Name;

    public string FileId => Job.FileId;

    public long Bytes => Job.Lineage.Bytes;

    /// <summary>What the reading says once per file after the counts (<c>; 1 text field was not UTF-8; ...</c>), or empty.</summary>
    public string ReadNote { get; init; } = string.Empty;

    /// <summary>The earlier version this file grew from, when it is read from there (tables that keep every file's rows).</summary>
    public GrownFile? Grown => FromLine > 1 && Layout.Mode == LoadMode.Append ? Job.Lineage.Grown : null;

    /// <summary>Rows read.</summary>
    public long Read { get; init; }

    /// <summary>Rows staged as Parquet.</summary>
    public long Stored { get; init; }

    /// <summary>Rows written to the file's rejects.</summary>
    public long Rejected { get; init; }

    /// <summary>Why the file failed as a whole, or null.</summary>
    public string? Failure { get; init; }

    /// <summary>The file's report line so far (the commit adds what it finds).</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Header columns no layout field reads.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
}
