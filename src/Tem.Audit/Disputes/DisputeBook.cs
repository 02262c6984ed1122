using DuckDB.NET.Data;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Audit.Disputes;

/// <summary>A finding's status and dispute as the catalog keeps them (set by people and by the bills; it survives re-runs and re-ingests).</summary>
/// <param name="FindingId">The finding.</param>
/// <param name="Status">Its status.</param>
/// <param name="Note">The note kept with it.</param>
/// <param name="Details">Submission, credits, confirmation. A status recorded as <c>recovered</c> before the lifecycle existed has no amounts (null claimed).</param>
/// <param name="UpdatedAt">When it was last recorded (UTC); null for a state not yet stored.</param>
public sealed record DisputeState(string FindingId, FindingStatus Status, string? Note, DisputeDetails Details, DateTimeOffset? UpdatedAt = null);

/// <summary>One step in a finding's dispute history.</summary>
/// <param name="FindingId">The finding.</param>
/// <param name="At">When it was recorded (UTC).</param>
/// <param name="Event">What happened (stored by its wire name: <c>submitted</c>, <c>credit</c>, <c>rejected</c>, <c>closed</c>, <c>reopened</c>, <c>confirmed</c>, <c>carried_over</c>).</param>
/// <param name="Status">The status after it.</param>
/// <param name="On">The date it happened (submission, credit invoice, rejection), as given.</param>
/// <param name="Amount">The amount claimed (submitted) or credited (credit).</param>
/// <param name="Reference">The carrier's reference (submitted).</param>
/// <param name="CreditLine">The invoice line of a credit: <c>carrier|invoice_id#line_no</c>; null when a person recorded it without one.</param>
/// <param name="Month">The first month the bills show a saving (confirmed).</param>
/// <param name="Source">Who recorded it (stored by its wire name: <c>user</c>, <c>bills</c>, <c>log</c>, <c>audit</c>).</param>
/// <param name="Note">The note given with it.</param>
/// <param name="RunId">The run that recorded it.</param>
public sealed record DisputeEvent(
    string FindingId, DateTimeOffset At, DisputeEventKind Event, FindingStatus Status, DateOnly? On, decimal? Amount, string? Reference, string? CreditLine,
    BillingMonth? Month, DisputeSource Source, string? Note, string? RunId);

/// <summary>
/// The catalog's record of what was done about findings: <c>finding_status</c> (one row per finding a person or the
/// bills touched) and <c>dispute_events</c> (its history). Writers only, under the lake's write lock. After a change the
/// findings file is rewritten (<see cref="FindingStore.Refresh"/>) so that readers, who never open the catalog, see it.
/// </summary>
public sealed class DisputeBook(TemLake lake)
{
    /// <summary>Every recorded state by finding id.</summary>
    public Dictionary<string, DisputeState> Load()
    {
        using var c = lake.Catalog.Connect();
        Ensure(c);
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT finding_id, status, note, submitted_on, reference, amount_claimed, amount_credited, credited_on, confirmed_from, resolved_on, updated_at
            FROM finding_status
            """;
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, DisputeState>(StringComparer.Ordinal);
        while (r.Read())
        {
            DateOnly? Date(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);
            var details = new DisputeDetails
            {
                SubmittedOn = Date(3),
                Reference = r.GetStringOrNull(4),
                AmountClaimed = r.IsDBNull(5) ? null : r.GetDecimal(5),
                AmountCredited = r.IsDBNull(6) ? 0m : r.GetDecimal(6),
                CreditedOn = Date(7),
                ConfirmedFrom = r.IsDBNull(8) ? null : BillingMonth.Parse(r.GetString(8)),
                ResolvedOn = Date(9),
            };
            map[r.GetString(0)] = new DisputeState(r.GetString(0), FindingStatuses.Parse(r.GetString(1)), r.GetStringOrNull(2), details, r.GetInstant(10));
        }

        return map;
    }

    /// <summary>
    /// Records new states and their events in one transaction. Rows are appended to staging tables first (DuckDB's
    /// appender) and moved with two set statements, so a night that matches tens of thousands of credits records them
    /// in one pass rather than one statement each.
    /// </summary>
    public void Record(IReadOnlyList<(DisputeState State, DisputeEvent Event)> changes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        using var c = lake.Catalog.Connect();
        Ensure(c);
        c.Execute("CREATE OR REPLACE TEMP TABLE staged_status AS SELECT * FROM finding_status LIMIT 0");
        c.Execute("CREATE OR REPLACE TEMP TABLE staged_events AS SELECT * FROM dispute_events LIMIT 0");
        using (var app = c.CreateAppender("staged_status"))
        {
            // The last state of a finding wins (a log row may submit and credit it in one go).
            foreach (var (state, _) in changes.GroupBy(x => x.State.FindingId, StringComparer.Ordinal).Select(g => g.Last()))
            {
                var d = state.Details;
                app.CreateRow().AppendValue(state.FindingId).AppendValue(WireNames.ToWire(state.Status)).AppendValue(state.Note).AppendValue(now)
                    .AppendValue(d.SubmittedOn).AppendValue(d.Reference).AppendValue(d.AmountClaimed).AppendValue(d.AmountCredited).AppendValue(d.CreditedOn)
                    .AppendValue(d.ConfirmedFrom?.ToString()).AppendValue(d.ResolvedOn).EndRow();
            }
        }

        using (var app = c.CreateAppender("staged_events"))
        {
            foreach (var (_, e) in changes)
            {
                app.CreateRow().AppendValue(e.FindingId).AppendValue(e.At).AppendValue(WireNames.ToWire(e.Event)).AppendValue(WireNames.ToWire(e.Status)).AppendValue(e.On)
                    .AppendValue(e.Amount).AppendValue(e.Reference).AppendValue(e.CreditLine).AppendValue(e.Month?.ToString()).AppendValue(WireNames.ToWire(e.Source))
                    .AppendValue(e.Note).AppendValue(e.RunId).EndRow();
            }
        }

        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM finding_status WHERE finding_id IN (SELECT finding_id FROM staged_status)");
        c.Execute("INSERT INTO finding_status BY NAME SELECT * FROM staged_status");
        c.Execute("INSERT INTO dispute_events BY NAME SELECT * FROM staged_events");
        tx.Commit();
    }

    /// <summary>The credit lines already applied to a dispute (<c>carrier|invoice_id#line_no</c>): a line settles one claim once.</summary>
    public HashSet<string> AppliedCreditLines() => Strings("SELECT DISTINCT credit_line FROM dispute_events WHERE credit_line IS NOT NULL");

    /// <summary>The claims with a credit recorded without its invoice line (by hand or from a dispute log): the bills' credits are only proposed for them.</summary>
    public HashSet<string> ClaimsWithUnlinkedCredits() => Strings($"SELECT DISTINCT finding_id FROM dispute_events WHERE event = {WireSql.Literal(DisputeEventKind.Credit)} AND credit_line IS NULL");

    private HashSet<string> Strings(string sql)
    {
        using var c = lake.Catalog.Connect();
        Ensure(c);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
        {
            set.Add(r.GetString(0));
        }

        return set;
    }

    /// <summary>
    /// Writes the event history to <see cref="DisputeFiles.EventsPath"/> (aside, then renamed), for readers; the
    /// file is the catalog table with the same columns.
    /// </summary>
    public void WriteEventsFile()
    {
        var path = DisputeFiles.EventsPath(lake.Root);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var c = lake.Catalog.Connect())
        {
            Ensure(c);
            c.Execute($"COPY (SELECT * FROM dispute_events ORDER BY finding_id, recorded_at) TO {SqlQuote.Literal(temporary)} (FORMAT parquet, COMPRESSION zstd)");
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Creates the tables, or adds the lifecycle's columns to a <c>finding_status</c> table of an older lake (whose
    /// <c>disputed</c> and <c>recovered</c> rows read as submitted and credited).
    /// </summary>
    internal static void Ensure(DuckDBConnection c)
    {
        c.Execute("CREATE TABLE IF NOT EXISTS finding_status (finding_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, note VARCHAR, updated_at TIMESTAMPTZ NOT NULL)");
        foreach (var column in new[]
                 {
                     "submitted_on DATE", "reference VARCHAR", "amount_claimed DECIMAL(18,4)", "amount_credited DECIMAL(18,4)", "credited_on DATE",
                     "confirmed_from VARCHAR", "resolved_on DATE",
                 })
        {
            c.Execute($"ALTER TABLE finding_status ADD COLUMN IF NOT EXISTS {column}");
        }

        c.Execute($"CREATE TABLE IF NOT EXISTS dispute_events ({DisputeFiles.EventColumns})");
    }
}
