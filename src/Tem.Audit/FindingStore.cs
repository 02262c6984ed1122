using DuckDB.NET.Data;
using System.Globalization;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Audit;

/// <summary>
/// The lake's findings: <c>findings/findings.parquet</c> (replaced atomically on each audit) holds every finding
/// ever seen with its status; statuses a person sets live in the catalog (<c>finding_status</c>) and survive
/// re-runs. A finding the latest audit no longer produces becomes <c>resolved</c>, unless a person already
/// recorded it as recovered, rejected or closed; it is never deleted.
/// </summary>
public sealed class FindingStore(TemLake lake, TimeProvider time)
{
    private static readonly FindingStatus[] Terminal = [FindingStatus.Recovered, FindingStatus.Rejected, FindingStatus.Closed];

    /// <summary>The findings file of the lake.</summary>
    public string Path => FindingsFile.PathIn(lake.Root);

    /// <summary>Merges the findings of a run with the stored ones and writes them; returns the stored set.</summary>
    public IReadOnlyList<StoredFinding> Save(IReadOnlyList<Finding> current, string runId)
    {
        ArgumentNullException.ThrowIfNull(current);
        var previous = Load().ToDictionary(f => f.Finding.FindingId, StringComparer.Ordinal);
        var statuses = Statuses();
        var merged = new List<StoredFinding>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in current)
        {
            seen.Add(f.FindingId);
            var (status, note) = statuses.TryGetValue(f.FindingId, out var s) ? s : (FindingStatus.Open, null);
            merged.Add(new StoredFinding(f, status, note, previous.TryGetValue(f.FindingId, out var p) ? p.FirstSeenRun : runId, runId));
        }

        foreach (var p in previous.Values.Where(p => !seen.Contains(p.Finding.FindingId)))
        {
            var user = statuses.TryGetValue(p.Finding.FindingId, out var s) ? s.Status : p.Status;
            merged.Add(p with { Status = Terminal.Contains(user) ? user : FindingStatus.Resolved });
        }

        Write(merged);
        return merged;
    }

    /// <summary>Every stored finding, or none before the first audit.</summary>
    public IReadOnlyList<StoredFinding> Load() => FindingsFile.Read(Path);

    /// <summary>
    /// Records a dispute outcome (open, disputed, recovered, rejected, closed) for a finding; it survives later
    /// audits. Returns false when no stored finding has that id (or a unique prefix of it).
    /// </summary>
    public bool SetStatus(string findingIdOrPrefix, FindingStatus status, string? note)
    {
        ArgumentException.ThrowIfNullOrEmpty(findingIdOrPrefix);
        if (status == FindingStatus.Resolved)
        {
            throw new ArgumentException("'resolved' is set by the audit when a finding's cause disappears; record open, disputed, recovered, rejected or closed.", nameof(status));
        }

        var all = Load();
        var matches = all.Where(f => f.Finding.FindingId.StartsWith(findingIdOrPrefix, StringComparison.Ordinal)).ToList();
        if (matches.Count != 1)
        {
            return false;
        }

        var id = matches[0].Finding.FindingId;
        using (var c = lake.Catalog.Connect())
        {
            EnsureTable(c);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR REPLACE INTO finding_status VALUES ($1, $2, $3, $4)";
            cmd.Parameters.AddValue(id);
            cmd.Parameters.AddValue(WireNames.ToWire(status));
            cmd.Parameters.AddValue(note);
            cmd.Parameters.AddValue(time.GetUtcNow());
            cmd.ExecuteNonQuery();
        }

        Write([.. all.Select(f => f.Finding.FindingId == id ? f with { Status = status, StatusNote = note } : f)]);
        return true;
    }

    private Dictionary<string, (FindingStatus Status, string? Note)> Statuses()
    {
        using var c = lake.Catalog.Connect();
        EnsureTable(c);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT finding_id, status, note FROM finding_status";
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, (FindingStatus, string?)>(StringComparer.Ordinal);
        while (r.Read())
        {
            map[r.GetString(0)] = (WireNames.Parse<FindingStatus>(r.GetString(1)), r.GetStringOrNull(2));
        }

        return map;
    }

    private static void EnsureTable(DuckDBConnection c) =>
        c.Execute("CREATE TABLE IF NOT EXISTS finding_status (finding_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, note VARCHAR, updated_at TIMESTAMPTZ NOT NULL)");

    private void Write(IReadOnlyList<StoredFinding> findings) => FindingsFile.Write(Path, findings);
}
