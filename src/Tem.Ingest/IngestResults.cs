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
