using Tem.Lake;

namespace Tem.Reports;

/// <summary>
/// The "generated" stamp of a report set (its pages, the workbook, the letters' date): the time the run behind the
/// lake's current findings started, so two writes from the same lake state are byte for byte the same. The clock only
/// stands in for a lake that was never audited.
/// </summary>
public static class ReportStamp
{
    /// <summary>
    /// When the latest run that audited <paramref name="lake"/> started: the latest of the runs that last saw a stored
    /// finding (a run still in progress too: <c>tem run</c> writes its report before it finishes) and the finished runs
    /// that recorded a findings count (an audit that found nothing); <paramref name="time"/>'s now when there is none.
    /// </summary>
    /// <remarks>The start, not the finish: the run's record holds its start from the moment it begins.</remarks>
    public static DateTimeOffset Of(TemLake lake, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(time);
        var seen = LastSeenRuns(FindingsFile.PathIn(lake.Root));
        return lake.Catalog.Runs()
            .Where(r => seen.Contains(r.RunId) || (r.Findings is not null && r.FinishedAt is not null))
            .Select(r => r.StartedAt)
            .DefaultIfEmpty(time.GetUtcNow())
            .Max();
    }

    private static HashSet<string> LastSeenRuns(string findings)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(findings))
        {
            return runs;
        }

        using var db = LakeSession.InMemory();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT DISTINCT last_seen_run FROM ({FindingsFile.Select(findings)}) WHERE last_seen_run IS NOT NULL";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            runs.Add(r.GetString(0));
        }

        return runs;
    }
}
