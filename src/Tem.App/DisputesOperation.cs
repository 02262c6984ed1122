using System.Globalization;
using Tem.Audit;
using Tem.Audit.Disputes;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;
using Tem.Reports;

namespace Tem.App;

/// <summary>How a dispute step went.</summary>
/// <param name="Outcome"><see cref="RunOutcome.Ok"/> (every finding changed), <see cref="RunOutcome.Locked"/> (another writer held the lake, nothing changed) or <see cref="RunOutcome.Failed"/> (nothing changed; <paramref name="Message"/> says why).</param>
/// <param name="Findings">The findings as they stand after the step (all of them changed, or none).</param>
/// <param name="Message">Why nothing changed.</param>
public sealed record DisputeStepResult(RunOutcome Outcome, IReadOnlyList<StoredFinding> Findings, string? Message);

/// <summary>A dispute step to apply to each finding named.</summary>
/// <param name="Name">The step's name for messages (<c>submit</c>, <c>credit</c>...).</param>
/// <param name="Apply">The lifecycle step for one finding.</param>
/// <param name="CreditLine">The invoice line of a credit as a person names it (<c>INVOICE#LINE</c>): it must be a credit line of the finding's account on the bills; it is recorded with the event (<c>carrier|invoice#line</c>) and never matched again.</param>
public sealed record DisputeStep(string Name, Func<StoredFinding, DisputeChange> Apply, string? CreditLine = null);

/// <summary>
/// The dispute lifecycle as operations on a lake: reading the stored disputes (a reader: the findings file), and
/// recording steps (a writer, under the lake's write lock; all findings named change, or none).
/// </summary>
public sealed class DisputesOperation(TimeProvider time)
{
    /// <summary>Today's date (UTC) from the clock: the default date of a step.</summary>
    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>The stored findings with their disputes, ordered by carrier, account and id (<see cref="NotALakeException"/> for a folder that holds no lake).</summary>
    public IReadOnlyList<StoredFinding> List(string lake) =>
        [.. new FindingsOperation(time).List(lake)
            .OrderBy(f => f.Finding.Carrier, StringComparer.Ordinal).ThenBy(f => f.Finding.AccountId, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal)];

    /// <summary>
    /// The credits on the bills that the last audit found may settle a claim but did not apply on its own, with the
    /// reason (confirm one with a credit step naming its line). A reader: none for a lake never audited; <see cref="NotALakeException"/> for a folder that holds none.
    /// </summary>
    public static IReadOnlyList<CreditMatch> Matches(string lake)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        var existing = TemLake.OpenExisting(lake);

        using var db = LakeSession.InMemory();
        existing.CreateViews(db);
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT m.finding_id, m.credit_line, m.carrier, m.account_id, m.service_id, m.invoice_id, m.line_no, m.invoice_date, m.description, m.credit,
                   m.outstanding, m.currency, m.reason
            FROM credit_matches m ORDER BY m.finding_id, m.invoice_date, m.credit_line
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<CreditMatch>();
        while (r.Read())
        {
            list.Add(new CreditMatch(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5),
                r.GetInt64(6), r.GetFieldValue<DateOnly>(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetDecimal(9), r.GetDecimal(10), r.GetString(11),
                false, r.IsDBNull(12) ? null : r.GetString(12)));
        }

        return list;
    }

    /// <summary>
    /// Applies <paramref name="step"/> to every finding whose id (or unique prefix) is in <paramref name="ids"/>, under the
    /// write lock. When any id matches no single finding, or the step is not allowed for any of them, nothing changes.
    /// </summary>
    public DisputeStepResult Apply(string lake, IReadOnlyList<string> ids, DisputeStep step)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(step);
        using var lease = LakeOperation.TryOpenForWriting(
            lake, $"tem disputes {step.Name} on {Environment.MachineName} (pid {Environment.ProcessId})", TimeSpan.Zero, time, out var locked);
        if (lease is null)
        {
            return new DisputeStepResult(RunOutcome.Locked, [], locked);
        }

        var store = new FindingStore(lease.Lake, time);
        var all = store.Load();
        var chosen = new List<(StoredFinding Finding, DisputeChange Change)>();
        var problems = new List<string>();
        if (step.CreditLine is not null && ids.Distinct(StringComparer.Ordinal).Count() != 1)
        {
            return new DisputeStepResult(RunOutcome.Failed, [], "nothing was recorded: a credit line belongs to one claim; name one finding.");
        }

        // A credit line is checked before the step: one already used is said as such, whatever else is wrong.
        (string Key, decimal Credit, DateOnly InvoiceDate)? line = null;
        if (step.CreditLine is { } named && all.Where(f => f.Finding.FindingId.StartsWith(ids[0], StringComparison.Ordinal)).Take(2).ToList() is [var target])
        {
            line = FindCreditLine(lease.Lake, target.Finding, named, out var problem);
            if (line is null)
            {
                return new DisputeStepResult(RunOutcome.Failed, [], $"nothing was recorded: {problem}.");
            }

            if (new DisputeBook(lease.Lake).AppliedCreditLines().Contains(line.Value.Key))
            {
                return new DisputeStepResult(RunOutcome.Failed, [], $"nothing was recorded: the credit line {named} is already applied to a claim.");
            }
        }

        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var match = all.Where(f => f.Finding.FindingId.StartsWith(id, StringComparison.Ordinal)).Take(2).ToList();
            if (match.Count != 1)
            {
                problems.Add($"no single finding has id '{id}'");
                continue;
            }

            var change = step.Apply(match[0]);
            if (change.Error is not null)
            {
                problems.Add($"finding {match[0].Finding.FindingId[..12]} ({match[0].Finding.Rule}, {match[0].Finding.AccountId}): {change.Error}");
            }
            else
            {
                chosen.Add((match[0], change));
            }
        }

        if (problems.Count > 0)
        {
            return new DisputeStepResult(RunOutcome.Failed, [], $"nothing was recorded: {string.Join("; ", problems)}.");
        }

        var creditLine = line?.Key;
        if (line is { } found && chosen[0].Change.Amount is { } amount && amount > found.Credit)
        {
            return new DisputeStepResult(RunOutcome.Failed, [],
                string.Create(CultureInfo.InvariantCulture, $"nothing was recorded: the credit line {step.CreditLine} is {found.Credit:0.00##}, less than the {amount:0.00##} to record."));
        }

        var now = time.GetUtcNow();
        new DisputeBook(lease.Lake).Record(
            [.. chosen.Select(c => (new DisputeState(c.Finding.Finding.FindingId, c.Change.Status, c.Change.Note, c.Change.Details),
                FindingStore.EventOf(c.Finding.Finding.FindingId, c.Change, now, DisputeSource.User, null, creditLine)))],
            now);
        store.Refresh();
        Reconcile(lease.Lake, store, "disputes-" + step.Name);
        var after = store.Load().ToDictionary(f => f.Finding.FindingId, StringComparer.Ordinal);
        return new DisputeStepResult(RunOutcome.Ok, [.. chosen.Select(c => after[c.Finding.Finding.FindingId])], null);
    }

    /// <summary>
    /// Imports a dispute log (see <see cref="DisputeLog"/>) under the write lock, then reconciles the claims with the
    /// bills at once (a credit already on an invoice is matched now, not at the next audit). Locked: null, with the message.
    /// </summary>
    /// <exception cref="InputDataException">The file is not a dispute log at all.</exception>
    public (DisputeLogResult? Log, ReconcileResult? Reconciled, string? Locked) Import(string lake, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var lease = LakeOperation.TryOpenForWriting(
            lake, $"tem disputes import on {Environment.MachineName} (pid {Environment.ProcessId})", TimeSpan.Zero, time, out var locked);
        if (lease is null)
        {
            return (null, null, locked);
        }

        var store = new FindingStore(lease.Lake, time);
        var log = DisputeLog.Apply(lease.Lake, store, path, Path.GetFileName(path), BillReconciler.DefaultTolerance, null, time);
        return (log, Reconcile(lease.Lake, store, "disputes-import"), null);
    }

    /// <summary>
    /// The key of a credit line a person names (<c>INVOICE#LINE</c>) as the bills have it, <c>carrier|invoice#line</c>
    /// (the line number as stored: <c>#07</c> is line 7); null with the reason when the finding's account has no such
    /// credit line on the bills.
    /// </summary>
    /// <summary>
    /// The credit line a person names (<c>INVOICE#LINE</c>) on the bills of a finding's account: its key
    /// (<c>carrier|invoice#line</c>, the line number as stored: <c>#07</c> is line 7), the credit as a positive amount and
    /// the invoice's date; null with the reason when the account has no such credit line.
    /// </summary>
    public static (string Key, decimal Credit, DateOnly InvoiceDate)? FindCreditLine(TemLake lake, Finding f, string named, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(named);
        var hash = named.LastIndexOf('#');
        if (hash <= 0 || !long.TryParse(named.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var lineNo))
        {
            problem = $"'{named}' is not INVOICE#LINE";
            return null;
        }

        var invoice = named[..hash];
        using var db = LakeSession.InMemory();
        lake.CreateViews(db);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT -sum(amount), max(invoice_date) FROM charges WHERE carrier = $1 AND account_id = $2 AND invoice_id = $3 AND line_no = $4 AND charge_type = 'credit'";
        foreach (var v in new object[] { f.Carrier, f.AccountId, invoice, lineNo })
        {
            cmd.Parameters.AddValue(v);
        }

        using var r = cmd.ExecuteReader();
        if (!r.Read() || r.IsDBNull(0))
        {
            problem = $"the bills of {f.Carrier} account {f.AccountId} have no credit line {invoice}#{lineNo.ToString(CultureInfo.InvariantCulture)}";
            return null;
        }

        problem = null;
        return ($"{f.Carrier}|{invoice}#{lineNo.ToString(CultureInfo.InvariantCulture)}", r.GetDecimal(0), r.GetFieldValue<DateOnly>(1));
    }

    /// <summary>The invoice date of a credit line a person names for a finding (the default date of its credit); null when there is none.</summary>
    public static DateOnly? CreditLineDate(string lake, string findingIdOrPrefix, string named)
    {
        var existing = TemLake.OpenExisting(lake);

        var f = new FindingStore(existing, TimeProvider.System).Load().Where(s => s.Finding.FindingId.StartsWith(findingIdOrPrefix, StringComparison.Ordinal)).Take(2).ToList();
        return f.Count == 1 && FindCreditLine(existing, f[0].Finding, named, out _) is { } line ? line.InvoiceDate : null;
    }

    private ReconcileResult Reconcile(TemLake lake, FindingStore store, string source)
    {
        using var db = LakeSession.InMemory(new SessionOptions { TempDirectory = lake.TempDirectory });
        Directory.CreateDirectory(lake.TempDirectory);
        lake.CreateViews(db);
        return BillReconciler.Run(db, lake, store, BillReconciler.DefaultTolerance, LakeOperation.RunId(source, time.GetUtcNow()), time);
    }

    /// <summary>
    /// Writes the dispute pack of one carrier to <paramref name="outDir"/> (<c>&lt;carrier&gt;.csv</c> and its letters):
    /// by default only the items not yet submitted (open), so that a pack sent last month is not sent again;
    /// <paramref name="includeSubmitted"/> adds the claims still waiting (submitted, partially credited). A reader: the
    /// lake is not changed (submit the items with <c>tem disputes submit</c> once the pack is sent).
    /// </summary>
    public DisputePackResult Pack(string lake, string carrier, string outDir, bool includeSubmitted, string? tenant = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        ArgumentException.ThrowIfNullOrEmpty(carrier);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        return ReportWriter.WriteDisputePack(TemLake.OpenExisting(lake), outDir, carrier, includeSubmitted, tenant, time);
    }
}
