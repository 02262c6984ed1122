using DuckDB.NET.Data;
using System.Globalization;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Audit.Disputes;

/// <summary>A credit on a bill that may settle a submitted claim.</summary>
/// <param name="FindingId">The claim's finding.</param>
/// <param name="CreditLine">The credit's invoice line, <c>carrier|invoice_id#line_no</c>.</param>
/// <param name="Carrier">Carrier.</param>
/// <param name="AccountId">Account.</param>
/// <param name="ServiceId">The credit line's service; null for an account-level credit.</param>
/// <param name="InvoiceId">Invoice.</param>
/// <param name="LineNo">Line number on the invoice.</param>
/// <param name="InvoiceDate">The invoice's date (the credit's date).</param>
/// <param name="Description">The carrier's text on the line.</param>
/// <param name="Credit">The credit as a positive amount.</param>
/// <param name="Outstanding">What the claim still waits for (claimed - credited) when it was judged.</param>
/// <param name="Currency">Currency of both.</param>
/// <param name="Quoted">The line's text quotes the claim's carrier reference (as a word, the reference at least 4 characters long).</param>
/// <param name="Reason">Why it was not applied on its own (a person confirms it with <c>tem disputes credit</c>); null when applied.</param>
/// <param name="SameService">The credit line names the claim's own service (false for an account-level credit or claim).</param>
public sealed record CreditMatch(
    string FindingId, string CreditLine, string Carrier, string AccountId, string? ServiceId, string InvoiceId, long LineNo, DateOnly InvoiceDate,
    string? Description, decimal Credit, decimal Outstanding, string Currency, bool Quoted, string? Reason, bool SameService = true);

/// <summary>What a run's reconciliation with the bills did.</summary>
/// <param name="Applied">Credits applied to claims on their own (unambiguous).</param>
/// <param name="Proposed">Credits that may settle a claim but need a person (ambiguous, or partial without the reference).</param>
/// <param name="Confirmed">Savings the bills now confirm (finding id, first month).</param>
public sealed record ReconcileResult(IReadOnlyList<CreditMatch> Applied, IReadOnlyList<CreditMatch> Proposed, IReadOnlyList<(string FindingId, BillingMonth From)> Confirmed)
{
    /// <summary>Nothing to reconcile.</summary>
    public static ReconcileResult Empty { get; } = new([], [], []);

    /// <summary>The stored findings after the reconciliation (what it applied included), as the findings file now holds them.</summary>
    public IReadOnlyList<StoredFinding> Findings { get; init; } = [];
}

/// <summary>
/// Follows the money on the bills after each audit, so realised savings come from invoices, not memory.
/// <para><b>Credits.</b> A submitted (or partially credited) claim is a candidate for a <c>credit</c> line (amount &lt; 0;
/// canonical invoices and EDI 811 SAC allowances alike) of the same carrier, account and currency, for the same service
/// or for none (an account-level credit), on an invoice dated on or after the submission, not yet applied to a claim, not
/// settling a credits_due entry in time, and no larger than what the claim still waits for plus the tolerance. A
/// candidate is <i>strong</i> when its text quotes the claim's reference (as a word; references under 4 characters are
/// never taken as quoted), or when it names the claim's own service and its amount is within the tolerance of the
/// outstanding amount: an account-level credit, or a credit for an account-level claim, must quote the reference. A
/// claim with exactly one strong candidate that no other claim shares is credited with it; a claim whose strong
/// candidates all quote its reference, are its own and add up to no more than it waits for gets them all (partial
/// credits over several bills). A claim with a credit recorded without its invoice line (by hand, or from a dispute log)
/// gets nothing on its own: that credit may be one of the bill's lines, and counting both would count it twice. Every
/// other candidate of its service, quoting it, or of the exact amount is proposed with the reason it was not applied.</para>
/// <para><b>Savings.</b> A submitted cancellation is confirmed by the first bill of its account dated on or after the
/// submission without a recurring charge for the service; a downgrade or renegotiation by the first such bill whose
/// recurring charge for it fell by at least the monthly saving (less the tolerance).</para>
/// </summary>
public static class BillReconciler
{
    /// <summary>The setting (<c>--set credit_match.tolerance=0.05</c>): how far a credit may be from the amount a claim waits for and still settle it, in the claim's currency.</summary>
    public const string ToleranceKey = "credit_match.tolerance";

    /// <summary>The default tolerance: one cent.</summary>
    public const decimal DefaultTolerance = 0.01m;

    /// <summary>The tolerance of a set of overrides.</summary>
    /// <exception cref="ArgumentException">The override is not a number &gt;= 0.</exception>
    public static decimal Tolerance(IReadOnlyDictionary<string, string>? overrides)
    {
        if (overrides is null || !overrides.TryGetValue(ToleranceKey, out var text))
        {
            return DefaultTolerance;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"{ToleranceKey} = '{text}' is not an amount >= 0 (e.g. 0.01).");
    }

    /// <summary>
    /// Matches credits and confirms savings over the lake's views on <paramref name="db"/>, records what it applied in
    /// the catalog (source <c>bills</c>), writes the proposals file and refreshes the findings file.
    /// </summary>
    /// <param name="db">A session with the lake's views (<c>charges</c>, <c>credits_due</c>).</param>
    /// <param name="lake">The lake, under its write lock.</param>
    /// <param name="store">Its findings.</param>
    /// <param name="tolerance">How far a credit may be from what a claim waits for (the claim's currency).</param>
    /// <param name="runId">The run its events are recorded under.</param>
    /// <param name="time">The clock of the events.</param>
    /// <param name="stored">The findings file as the caller holds it (an audit just wrote it); null reads it.</param>
    public static ReconcileResult Run(
        DuckDBConnection db, TemLake lake, FindingStore store, decimal tolerance, string runId, TimeProvider time, IReadOnlyList<StoredFinding>? stored = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(store);
        var current = stored ?? store.Load();
        var findings = current.ToDictionary(f => f.Finding.FindingId, StringComparer.Ordinal);
        var book = new DisputeBook(lake);
        var claims = findings.Values.Where(f => FindingStatuses.IsPending(f.Status) && f.Dispute.SubmittedOn is not null && f.Dispute.Outstanding > tolerance).ToList();
        var savings = findings.Values.Where(f => f.Status == FindingStatus.Submitted && f.Dispute.SubmittedOn is not null && f.Finding.ServiceId is not null
            && f.Finding.MoneyKind != MoneyKind.Reseller
            && f.Finding.MonthlySavings > 0 && f.Finding.RecommendedAction is RecommendedAction.Cancel or RecommendedAction.Downgrade or RecommendedAction.Renegotiate).ToList();

        var candidates = claims.Count == 0 ? [] : Candidates(db, claims, book.AppliedCreditLines(), tolerance);
        var (applied, proposed) = Decide(
            candidates, claims.ToDictionary(c => c.Finding.FindingId, c => c.Dispute.Outstanding, StringComparer.Ordinal), tolerance, book.ClaimsWithUnlinkedCredits());
        var confirmed = savings.Count == 0 ? [] : Confirmations(db, savings, tolerance);

        var now = time.GetUtcNow();
        var changes = new List<(DisputeState, DisputeEvent)>();
        foreach (var byClaim in applied.GroupBy(a => a.FindingId, StringComparer.Ordinal))
        {
            var at = findings[byClaim.Key];
            foreach (var credit in byClaim.OrderBy(c => c.InvoiceDate).ThenBy(c => c.CreditLine, StringComparer.Ordinal))
            {
                var step = DisputeLifecycle.Credit(at, credit.Credit, credit.InvoiceDate, at.StatusNote, tolerance);
                if (step.Error is not null)
                {
                    continue;
                }

                at = at with { Status = step.Status, Dispute = step.Details };
                changes.Add((new DisputeState(at.Finding.FindingId, step.Status, step.Note, step.Details),
                    FindingStore.EventOf(at.Finding.FindingId, step, now, DisputeSource.Bills, runId, credit.CreditLine)));
            }
        }

        foreach (var (id, from) in confirmed)
        {
            var step = DisputeLifecycle.Confirm(findings[id], from);
            if (step.Error is null)
            {
                changes.Add((new DisputeState(id, step.Status, step.Note, step.Details), FindingStore.EventOf(id, step, now, DisputeSource.Bills, runId, null)));
            }
        }

        book.Record(changes, now);
        WriteProposals(db, lake, proposed);
        var after = changes.Count > 0 ? store.Refresh(findings.Values.OrderBy(f => f.Finding.FindingId, StringComparer.Ordinal)) : current;
        return new ReconcileResult(applied, proposed, confirmed) { Findings = after };
    }

    /// <summary>
    /// Decides which candidates are applied and which are proposed (see the class). Pure, so that hand cases test it:
    /// <paramref name="outstanding"/> is what each claim waits for before this run.
    /// </summary>
    public static (List<CreditMatch> Applied, List<CreditMatch> Proposed) Decide(
        IReadOnlyList<CreditMatch> candidates, IReadOnlyDictionary<string, decimal> outstanding, decimal tolerance, IReadOnlySet<string>? unlinked = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var left = new Dictionary<string, decimal>(outstanding, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var applied = new List<CreditMatch>();
        bool Fits(CreditMatch c) => !used.Contains(c.CreditLine) && left[c.FindingId] > tolerance && c.Credit <= left[c.FindingId] + tolerance;
        bool Exact(CreditMatch c) => Math.Abs(c.Credit - left[c.FindingId]) <= tolerance;
        bool Manual(CreditMatch c) => unlinked?.Contains(c.FindingId) == true;
        bool Strong(CreditMatch c) => Fits(c) && !Manual(c) && (c.Quoted || (c.SameService && Exact(c)));

        for (var changed = true; changed;)
        {
            changed = false;
            var strong = candidates.Where(Strong).ToList();
            var claimsOfLine = strong.GroupBy(c => c.CreditLine, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var claim in strong.GroupBy(c => c.FindingId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var own = claim.ToList();
                if (own.Any(c => claimsOfLine[c.CreditLine] > 1 || used.Contains(c.CreditLine)))
                {
                    continue;
                }

                var take = own.Count == 1 ? own
                    : own.All(c => c.Quoted) && own.Sum(c => c.Credit) <= left[claim.Key] + tolerance ? own
                    : [];
                foreach (var c in take)
                {
                    left[c.FindingId] -= c.Credit;
                    used.Add(c.CreditLine);
                    applied.Add(c with { Outstanding = left[c.FindingId] + c.Credit });
                    changed = true;
                }
            }
        }

        var proposed = new List<CreditMatch>();
        var fitting = candidates.Where(c => Fits(c) && (c.SameService || c.Quoted || Exact(c))).ToList();
        var linesClaims = fitting.Where(Strong).GroupBy(c => c.CreditLine, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var claimLines = fitting.Where(Strong).GroupBy(c => c.FindingId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var c in fitting)
        {
            var outstandingNow = left[c.FindingId];
            var reason = Manual(c)
                ? "credits for this claim were recorded without their invoice line (by hand or in a dispute log); if this line is not one of them, record it with --line"
                : !Strong(c) && !c.SameService
                ? "an account-level credit (or claim) that does not quote the claim's reference"
                : !Strong(c)
                ? $"the credit of {Money(c.Credit)} is less than the {Money(outstandingNow)} outstanding and does not quote the reference"
                : linesClaims[c.CreditLine] > 1 ? $"the credit could settle {linesClaims[c.CreditLine]} claims"
                : $"{claimLines[c.FindingId]} credits could settle this claim";
            proposed.Add(c with { Outstanding = outstandingNow, Reason = reason });
        }

        return (applied, proposed);
    }

    private static List<CreditMatch> Candidates(DuckDBConnection db, List<StoredFinding> claims, HashSet<string> appliedLines, decimal tolerance)
    {
        db.Execute("CREATE OR REPLACE TEMP TABLE tem_claims (finding_id VARCHAR, carrier VARCHAR, account_id VARCHAR, service_id VARCHAR, currency VARCHAR, submitted_on DATE, reference VARCHAR, outstanding DECIMAL(18,4))");
        db.Execute("CREATE OR REPLACE TEMP TABLE tem_applied_lines (line VARCHAR)");
        using (var app = db.CreateAppender("tem_claims"))
        {
            foreach (var c in claims)
            {
                var f = c.Finding;
                app.CreateRow().AppendValue(f.FindingId).AppendValue(f.Carrier).AppendValue(f.AccountId).AppendValue(f.ServiceId).AppendValue(f.Currency.Code)
                    .AppendValue(c.Dispute.SubmittedOn).AppendValue(string.IsNullOrWhiteSpace(c.Dispute.Reference) ? null : c.Dispute.Reference)
                    .AppendValue(c.Dispute.Outstanding).EndRow();
            }
        }

        using (var app = db.CreateAppender("tem_applied_lines"))
        {
            foreach (var line in appliedLines)
            {
                app.CreateRow().AppendValue(line).EndRow();
            }
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            WITH credit AS (
                SELECT c.carrier, c.account_id, c.service_id, c.currency, c.invoice_id, c.line_no, c.invoice_date, c.description, -c.amount AS credit,
                       c.carrier || '|' || c.invoice_id || '#' || c.line_no::VARCHAR AS line
                FROM charges c
                WHERE c.charge_type = 'credit' AND c.amount < 0
                  AND NOT EXISTS (
                      SELECT 1 FROM credits_due d
                      WHERE d.account_id = c.account_id AND (d.service_id IS NULL OR d.service_id = c.service_id)
                        AND abs(d.amount + c.amount) <= 0.01
                        AND c.invoice_date <= last_day(strptime(d.due_by_period || '-01', '%Y-%m-%d')::DATE))),
            pair AS (
                SELECT d.finding_id, c.*, d.outstanding, d.reference, c.service_id IS NOT NULL AND c.service_id = d.service_id AS same_service
                FROM tem_claims d
                JOIN credit c ON c.carrier = d.carrier AND c.account_id = d.account_id AND c.currency = d.currency
                             AND c.invoice_date >= d.submitted_on AND c.credit <= d.outstanding + {tolerance.ToString(CultureInfo.InvariantCulture)}
                             AND (c.service_id = d.service_id OR c.service_id IS NULL)
                WHERE c.line NOT IN (SELECT line FROM tem_applied_lines))
            SELECT finding_id, line, carrier, account_id, service_id, invoice_id, line_no, invoice_date, description, credit, outstanding, currency, reference, same_service
            FROM pair
            ORDER BY finding_id, invoice_date, line
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<CreditMatch>();
        while (r.Read())
        {
            var description = r.GetStringOrNull(8);
            list.Add(new CreditMatch(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetStringOrNull(4), r.GetString(5), r.GetInt64(6),
                r.GetFieldValue<DateOnly>(7), description, r.GetDecimal(9), r.GetDecimal(10), r.GetString(11), Quotes(description, r.GetStringOrNull(12)), null,
                r.GetBoolean(13)));
        }

        return list;
    }

    private static List<(string, BillingMonth)> Confirmations(DuckDBConnection db, List<StoredFinding> savings, decimal tolerance)
    {
        db.Execute("CREATE OR REPLACE TEMP TABLE tem_savings (finding_id VARCHAR, carrier VARCHAR, account_id VARCHAR, service_id VARCHAR, action VARCHAR, submitted_on DATE, saving DECIMAL(18,4))");
        using (var app = db.CreateAppender("tem_savings"))
        {
            foreach (var s in savings)
            {
                var f = s.Finding;
                app.CreateRow().AppendValue(f.FindingId).AppendValue(f.Carrier).AppendValue(f.AccountId).AppendValue(f.ServiceId)
                    .AppendValue(WireNames.ToWire(f.RecommendedAction)).AppendValue(s.Dispute.SubmittedOn).AppendValue(f.MonthlySavings).EndRow();
            }
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            WITH rec AS (
                SELECT carrier, account_id, service_id, month, sum(amount) AS recurring FROM charges
                WHERE charge_type = 'recurring' AND service_id IS NOT NULL GROUP BY ALL),
            bill AS (
                SELECT s.finding_id, c.month FROM tem_savings s
                JOIN charges c ON c.carrier = s.carrier AND c.account_id = s.account_id AND c.invoice_date >= s.submitted_on
                GROUP BY ALL),
            fee AS (
                SELECT s.finding_id, arg_max(r.recurring, r.month) AS fee FROM tem_savings s
                JOIN rec r ON r.carrier = s.carrier AND r.account_id = s.account_id AND r.service_id = s.service_id
                JOIN charges c ON c.carrier = r.carrier AND c.account_id = r.account_id AND c.service_id = r.service_id AND c.month = r.month
                             AND c.charge_type = 'recurring' AND c.invoice_date < s.submitted_on
                GROUP BY s.finding_id)
            SELECT s.finding_id, min(b.month)
            FROM tem_savings s
            JOIN bill b ON b.finding_id = s.finding_id
            LEFT JOIN rec r ON r.carrier = s.carrier AND r.account_id = s.account_id AND r.service_id = s.service_id AND r.month = b.month
            LEFT JOIN fee f ON f.finding_id = s.finding_id
            WHERE (s.action = 'cancel' AND coalesce(r.recurring, 0) <= 0)
               OR (s.action <> 'cancel' AND r.recurring IS NOT NULL AND f.fee IS NOT NULL
                   AND r.recurring <= f.fee - s.saving + {tolerance.ToString(CultureInfo.InvariantCulture)})
            GROUP BY s.finding_id
            ORDER BY s.finding_id
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<(string, BillingMonth)>();
        while (r.Read())
        {
            list.Add((r.GetString(0), BillingMonth.Parse(r.GetString(1))));
        }

        return list;
    }

    private static void WriteProposals(DuckDBConnection db, TemLake lake, List<CreditMatch> proposed)
    {
        db.Execute($"CREATE OR REPLACE TEMP TABLE tem_credit_matches ({DisputeFiles.MatchColumns})");
        using (var app = db.CreateAppender("tem_credit_matches"))
        {
            foreach (var m in proposed)
            {
                app.CreateRow().AppendValue(m.FindingId).AppendValue(m.CreditLine).AppendValue(m.Carrier).AppendValue(m.AccountId).AppendValue(m.ServiceId)
                    .AppendValue(m.InvoiceId).AppendValue(m.LineNo).AppendValue(m.InvoiceDate).AppendValue(m.Description).AppendValue(m.Credit)
                    .AppendValue(m.Outstanding).AppendValue(m.Currency).AppendValue(m.Reason).EndRow();
            }
        }

        var path = DisputeFiles.MatchesPath(lake.Root);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        db.Execute($"COPY (SELECT * FROM tem_credit_matches ORDER BY finding_id, credit_line) TO {SqlQuote.Literal(path + ".tmp")} (FORMAT parquet, COMPRESSION zstd)");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>
    /// Whether a credit line's text quotes a claim's reference: the reference as a whole word (not inside a longer
    /// reference: <c>NW-1</c> is not quoted by <c>NW-12</c>), case-insensitive; a reference under 4 characters is too
    /// short to tell and never counts.
    /// </summary>
    public static bool Quotes(string? description, string? reference)
    {
        if (description is null || reference is null || reference.Trim().Length < 4)
        {
            return false;
        }

        var r = reference.Trim();
        for (var at = description.IndexOf(r, StringComparison.OrdinalIgnoreCase); at >= 0; at = description.IndexOf(r, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 || !char.IsLetterOrDigit(description[at - 1]);
            var end = at + r.Length;
            var after = end == description.Length || !char.IsLetterOrDigit(description[end]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }

    private static string Money(decimal amount) => amount.ToString("0.00##", CultureInfo.InvariantCulture);
}
