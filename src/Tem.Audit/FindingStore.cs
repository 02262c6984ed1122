using DuckDB.NET.Data;
using System.Globalization;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Audit;

/// <summary>A finding with its lifecycle: status (set by a person, or <c>resolved</c> when its cause disappeared) and the runs that saw it.</summary>
public sealed record StoredFinding(Finding Finding, FindingStatus Status, string? StatusNote, string FirstSeenRun, string LastSeenRun);

/// <summary>
/// The lake's findings: <c>findings/findings.parquet</c> (replaced atomically on each audit) holds every finding
/// ever seen with its status; statuses a person sets live in the catalog (<c>finding_status</c>) and survive
/// re-runs. A finding the latest audit no longer produces becomes <c>resolved</c>, unless a person already
/// recorded it as recovered, rejected or closed; it is never deleted.
/// </summary>
public sealed class FindingStore(TemLake lake, TimeProvider time)
{
    private const string Columns = """
        finding_id VARCHAR, rule VARCHAR, severity VARCHAR, carrier VARCHAR, account_id VARCHAR, service_id VARCHAR, customer_id VARCHAR,
        bill_to_id VARCHAR, reseller_id VARCHAR, period VARCHAR, one_time_amount DECIMAL(18,4), monthly_savings DECIMAL(18,4), currency VARCHAR,
        confidence DECIMAL(5,4), title VARCHAR, detail VARCHAR, evidence VARCHAR, recommended_action VARCHAR, recommended_plan_id VARCHAR,
        status VARCHAR, status_note VARCHAR, first_seen_run VARCHAR, last_seen_run VARCHAR
        """;

    private static readonly FindingStatus[] Terminal = [FindingStatus.Recovered, FindingStatus.Rejected, FindingStatus.Closed];

    /// <summary>The findings file of the lake.</summary>
    public string Path => System.IO.Path.Combine(lake.Root, "findings", "findings.parquet");

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
    public IReadOnlyList<StoredFinding> Load()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        using var db = LakeSession.InMemory();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT * FROM read_parquet({SqlQuote.Literal(Path)}) ORDER BY finding_id";
        using var r = cmd.ExecuteReader();
        var list = new List<StoredFinding>();
        string? Opt(string n) => r.GetStringOrNull(r.GetOrdinal(n));
        while (r.Read())
        {
            var finding = new Finding
            {
                FindingId = r.GetString(r.GetOrdinal("finding_id")),
                Rule = r.GetString(r.GetOrdinal("rule")),
                Severity = WireNames.Parse<Severity>(r.GetString(r.GetOrdinal("severity"))),
                Carrier = r.GetString(r.GetOrdinal("carrier")),
                AccountId = r.GetString(r.GetOrdinal("account_id")),
                ServiceId = Opt("service_id"),
                CustomerId = Opt("customer_id"),
                BillToId = Opt("bill_to_id"),
                ResellerId = Opt("reseller_id"),
                Period = BillingMonth.Parse(r.GetString(r.GetOrdinal("period"))),
                OneTimeAmount = r.GetDecimal(r.GetOrdinal("one_time_amount")),
                MonthlySavings = r.GetDecimal(r.GetOrdinal("monthly_savings")),
                Currency = CurrencyCode.Parse(r.GetString(r.GetOrdinal("currency"))),
                Confidence = r.GetDecimal(r.GetOrdinal("confidence")),
                Title = r.GetString(r.GetOrdinal("title")),
                Detail = r.GetString(r.GetOrdinal("detail")),
                Evidence = r.GetString(r.GetOrdinal("evidence")),
                RecommendedAction = WireNames.Parse<RecommendedAction>(r.GetString(r.GetOrdinal("recommended_action"))),
                RecommendedPlanId = Opt("recommended_plan_id"),
            };
            list.Add(new StoredFinding(finding, WireNames.Parse<FindingStatus>(r.GetString(r.GetOrdinal("status"))), Opt("status_note"),
                r.GetString(r.GetOrdinal("first_seen_run")), r.GetString(r.GetOrdinal("last_seen_run"))));
        }

        return list;
    }

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

    private void Write(IReadOnlyList<StoredFinding> findings)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var db = LakeSession.InMemory();
        db.Execute($"CREATE TABLE f ({Columns})");
        using (var app = db.CreateAppender("f"))
        {
            foreach (var s in findings)
            {
                var f = s.Finding;
                app.CreateRow().AppendValue(f.FindingId).AppendValue(f.Rule).AppendValue(WireNames.ToWire(f.Severity)).AppendValue(f.Carrier).AppendValue(f.AccountId).AppendValue(f.ServiceId)
                    .AppendValue(f.CustomerId).AppendValue(f.BillToId).AppendValue(f.ResellerId).AppendValue(f.Period.ToString()).AppendValue(f.OneTimeAmount)
                    .AppendValue(f.MonthlySavings).AppendValue(f.Currency.Code).AppendValue(Math.Round(f.Confidence, 4, MidpointRounding.AwayFromZero)).AppendValue(f.Title)
                    .AppendValue(f.Detail).AppendValue(f.Evidence).AppendValue(WireNames.ToWire(f.RecommendedAction)).AppendValue(f.RecommendedPlanId)
                    .AppendValue(WireNames.ToWire(s.Status)).AppendValue(s.StatusNote).AppendValue(s.FirstSeenRun).AppendValue(s.LastSeenRun).EndRow();
            }
        }

        // Written aside and renamed over the old file: a reader sees the old findings or the new ones, never half.
        var temporary = Path + ".tmp";
        db.Execute($"COPY (SELECT * FROM f ORDER BY finding_id) TO {SqlQuote.Literal(temporary)} (FORMAT parquet, COMPRESSION zstd)");
        File.Move(temporary, Path, overwrite: true);
    }
}
