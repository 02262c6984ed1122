using System.Globalization;
using global::CsvHelper;
using Tem.Core;
using Tem.Lake;

namespace Tem.Audit.Disputes;

/// <summary>One row of a dispute log as read: where it is and what it says.</summary>
/// <param name="Line">Its physical line in the file.</param>
/// <param name="Rule">Rule of the finding.</param>
/// <param name="Carrier">Carrier.</param>
/// <param name="AccountId">Account.</param>
/// <param name="ServiceId">Service; null for an account-level finding.</param>
/// <param name="Period">The finding's period.</param>
/// <param name="Status">Where the dispute stands.</param>
/// <param name="SubmittedOn">When it was sent to the carrier.</param>
/// <param name="Reference">The carrier's reference.</param>
/// <param name="AmountClaimed">The amount claimed; null: the finding's one-time amount.</param>
/// <param name="AmountCredited">Credits received so far.</param>
/// <param name="CreditedOn">Date of the latest credit.</param>
/// <param name="ResolvedOn">When it was rejected or closed.</param>
/// <param name="Note">A note.</param>
public sealed record DisputeLogRow(
    long Line, string Rule, string Carrier, string AccountId, string? ServiceId, BillingMonth Period, FindingStatus Status, DateOnly? SubmittedOn,
    string? Reference, decimal? AmountClaimed, decimal? AmountCredited, DateOnly? CreditedOn, DateOnly? ResolvedOn, string? Note);

/// <summary>What applying a dispute log did; <c>Rows = Applied + Unchanged + Rejected.Count</c>.</summary>
/// <param name="File">The log as named.</param>
/// <param name="Rows">Data rows read.</param>
/// <param name="Applied">Rows recorded (their findings had nothing recorded yet).</param>
/// <param name="Unchanged">Rows whose finding already had a recorded state (a log is applied once; later steps go through <c>tem disputes</c>).</param>
/// <param name="Rejected">Rows not applied, each with the reason, naming file, line and column.</param>
public sealed record DisputeLogResult(string File, int Rows, int Applied, int Unchanged, IReadOnlyList<InputDataException> Rejected);

/// <summary>
/// A dispute log (<c>disputes.csv</c>): the disputes a consultant already keeps elsewhere, imported into the lifecycle.
/// Columns (header, any order, case-insensitive): <c>rule, carrier, account_id, service_id, period, status</c> and
/// optionally <c>submitted_on, reference, amount_claimed, amount_credited, credited_on, resolved_on, note</c>. A row
/// names a finding by its rule, carrier, account, service and period; it is applied only to a finding nothing has been
/// recorded for yet (so the same log can come every night), as the steps its status implies, each checked like a
/// command's. A row that names no finding, or two, or breaks the lifecycle is rejected with its line and column.
/// </summary>
public static class DisputeLog
{
    /// <summary>The columns a log must have.</summary>
    public static readonly IReadOnlyList<string> Required = ["rule", "carrier", "account_id", "service_id", "period", "status"];

    /// <summary>The optional columns.</summary>
    public static readonly IReadOnlyList<string> Optional = ["submitted_on", "reference", "amount_claimed", "amount_credited", "credited_on", "resolved_on", "note"];

    /// <summary>Whether a file's header line is a dispute log's (every required column, nothing a lake layout needs).</summary>
    public static bool IsLog(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var header = reader.ReadLine();
            if (header is null)
            {
                return false;
            }

            var names = header.TrimStart('\uFEFF').Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            return Required.All(names.Contains) && names.Contains("submitted_on");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads the rows; a row with a bad field is returned in <paramref name="rejected"/> instead.</summary>
    /// <exception cref="InputDataException">The file is not a dispute log at all (empty, a required column missing, not CSV).</exception>
    public static IReadOnlyList<DisputeLogRow> Read(string path, string name, List<InputDataException> rejected)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rejected);
        using var stream = File.OpenRead(path);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = false, TrackLineNumbers = true, MalformedData = CsvMalformedDataHandling.Throw }, false);
        var rows = new List<DisputeLogRow>();
        try
        {
            if (!csv.Read())
            {
                throw new InputDataException(new SourceLocation(name, 1), "the file is empty", "a header naming " + string.Join(", ", Required));
            }

            var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i).Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
            var missing = Required.Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                throw new InputDataException(new SourceLocation(name, 1), $"the header lacks {string.Join(", ", missing)}", "a header naming " + string.Join(", ", Required));
            }

            while (csv.Read())
            {
                var line = (long)csv.LineNumber;
                if (csv.FieldCount != header.Count)
                {
                    rejected.Add(new InputDataException(new SourceLocation(name, line), string.Create(CultureInfo.InvariantCulture, $"{csv.FieldCount} fields"),
                        string.Create(CultureInfo.InvariantCulture, $"{header.Count} as in the header")));
                    continue;
                }

                try
                {
                    rows.Add(Row(csv, header, name, line));
                }
                catch (InputDataException e)
                {
                    rejected.Add(e);
                }
            }
        }
        catch (CsvFormatException e)
        {
            rejected.Add(new InputDataException(new SourceLocation(name, Math.Max(0L, (long)e.LineNumber), e.FieldIndex is int f and >= 0 ? f + 1 : 0),
                "the row is not well-formed CSV (a quoted field is not closed, or text follows a closing quote)", "an RFC 4180 CSV row in UTF-8"));
        }

        return rows;
    }

    private static DisputeLogRow Row(CsvReader csv, List<string> header, string name, long line)
    {
        string? Text(string column)
        {
            var i = header.IndexOf(column);
            var v = i < 0 ? null : csv.GetString(i).Trim();
            return string.IsNullOrEmpty(v) ? null : v;
        }

        SourceLocation At(string column) => new(name, line, header.IndexOf(column) + 1, column);
        string Need(string column) => Text(column) ?? throw new InputDataException(At(column), "empty", $"a value for {column}");
        DateOnly? Date(string column) =>
            Text(column) is not { } t ? null
            : DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : throw new InputDataException(At(column), $"'{t}' is not a date", "YYYY-MM-DD, e.g. 2026-08-14");
        decimal? Amount(string column) =>
            Text(column) is not { } t ? null
            : decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var a) ? a
            : throw new InputDataException(At(column), $"'{t}' is not an amount", "a number >= 0 with '.' as the decimal point, e.g. 120.50");

        var period = BillingMonth.TryParse(Need("period"), out var p) ? p : throw new InputDataException(At("period"), $"'{Text("period")}' is not a month", "YYYY-MM");
        var status = FindingStatuses.TryParse(Need("status"), out var s) && s != FindingStatus.Resolved && s != FindingStatus.Confirmed
            ? s
            : throw new InputDataException(At("status"), $"'{Text("status")}' is not a status a log records", "open, submitted, partially_credited, credited, rejected or closed");
        return new DisputeLogRow(line, Need("rule"), Need("carrier"), Need("account_id"), Text("service_id"), period, status, Date("submitted_on"),
            Text("reference"), Amount("amount_claimed"), Amount("amount_credited"), Date("credited_on"), Date("resolved_on"), Text("note"));
    }

    /// <summary>
    /// The lifecycle steps a row implies for a finding nothing was recorded for, or why it cannot be applied: submitted
    /// needs its date; partially credited and credited add the credit (at <c>credited_on</c>, else the submission date);
    /// rejected and closed end it (at <c>resolved_on</c>, else the latest date the row gives).
    /// </summary>
    public static (IReadOnlyList<DisputeChange> Steps, string? Error) Steps(StoredFinding finding, DisputeLogRow row, decimal tolerance)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(row);
        var steps = new List<DisputeChange>();
        var at = finding;
        string? Step(DisputeChange change)
        {
            if (change.Error is not null)
            {
                return change.Error;
            }

            steps.Add(change);
            at = at with { Status = change.Status, StatusNote = change.Note, Dispute = change.Details };
            return null;
        }

        if (row.Status == FindingStatus.Open)
        {
            return (steps, null);
        }

        var needsSubmission = row.Status is FindingStatus.Submitted or FindingStatus.PartiallyCredited or FindingStatus.Credited or FindingStatus.Rejected;
        if (row.SubmittedOn is { } submitted)
        {
            if (Step(DisputeLifecycle.Submit(at, submitted, row.Reference, row.AmountClaimed, row.Note)) is { } e)
            {
                return ([], e);
            }
        }
        else if (needsSubmission)
        {
            return ([], $"status {WireNames.ToWire(row.Status)} needs submitted_on");
        }

        var last = new[] { row.SubmittedOn, row.CreditedOn, row.ResolvedOn }.Max() ?? row.SubmittedOn;
        string? error = null;

        // Credits received before a claim was settled, rejected or closed stay realised: a row of any of those statuses
        // records its amount_credited first.
        if (row.Status is FindingStatus.PartiallyCredited or FindingStatus.Credited && row.AmountCredited is not > 0)
        {
            error = $"status {WireNames.ToWire(row.Status)} needs amount_credited > 0";
        }
        else if (row.AmountCredited is > 0)
        {
            error = row.SubmittedOn is null
                ? "amount_credited needs submitted_on (a credit answers a claim)"
                : Step(DisputeLifecycle.Credit(at, row.AmountCredited.Value, row.CreditedOn ?? row.SubmittedOn.Value, row.Note, tolerance));
        }

        error ??= row.Status switch
        {
            FindingStatus.Rejected => Step(DisputeLifecycle.Reject(at, row.ResolvedOn ?? last!.Value, row.Note)),
            FindingStatus.Closed => (row.ResolvedOn ?? last) is { } closedOn ? Step(DisputeLifecycle.Close(at, closedOn, row.Note)) : "status closed needs resolved_on",
            _ => null,
        };
        if (error is null && row.Status != at.Status)
        {
            error = $"the log says {WireNames.ToWire(row.Status)}, but its amounts make it {WireNames.ToWire(at.Status)}";
        }

        return error is null ? (steps, null) : ([], error);
    }

    /// <summary>
    /// Applies a log to the lake's findings (a writer, under the lake's write lock): each row to the one stored finding
    /// it names, when nothing was recorded for it yet. Events are recorded with source <c>log</c>.
    /// </summary>
    /// <exception cref="InputDataException">The file is not a dispute log at all.</exception>
    public static DisputeLogResult Apply(TemLake lake, FindingStore store, string path, string name, decimal tolerance, string? runId, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var rejected = new List<InputDataException>();
        var rows = Read(path, name, rejected);
        var unreadable = rejected.Count;
        var stored = store.Load();
        var findings = stored.ToLookup(f => (f.Finding.Rule, f.Finding.Carrier, f.Finding.AccountId, f.Finding.ServiceId ?? string.Empty, f.Finding.Period));
        var byId = stored.ToDictionary(f => f.Finding.FindingId, StringComparer.Ordinal);
        var book = new DisputeBook(lake);
        var recorded = book.Load();
        var now = time.GetUtcNow();
        var changes = new List<(DisputeState, DisputeEvent)>();
        var applied = 0;
        var unchanged = 0;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var matches = findings[(row.Rule, row.Carrier, row.AccountId, row.ServiceId ?? string.Empty, row.Period)].ToList();
            if (matches.Count == 0)
            {
                // A saving is one finding per service whatever the month (its id leaves the period out): a log written
                // when it was stated in an earlier month still names it.
                var byService = FindingId.CreateForService(row.Rule, row.AccountId, row.ServiceId);
                matches = [.. byId.Where(f => f.Key == byService && f.Value.Finding.Carrier == row.Carrier).Select(f => f.Value)];
            }

            if (matches.Count != 1)
            {
                rejected.Add(new InputDataException(new SourceLocation(name, row.Line, 1, "rule"),
                    matches.Count == 0
                        ? $"no finding {row.Rule} for {row.Carrier} account {row.AccountId} service {row.ServiceId ?? "(account level)"} in {row.Period}"
                        : $"{matches.Count} findings {row.Rule} for {row.Carrier} account {row.AccountId} service {row.ServiceId ?? "(account level)"} in {row.Period}",
                    "exactly one stored finding with that rule, carrier, account, service and period", "run 'tem findings' to list them"));
                continue;
            }

            var finding = matches[0];
            if (seen.TryGetValue(finding.Finding.FindingId, out var earlier))
            {
                rejected.Add(new InputDataException(new SourceLocation(name, row.Line, 1, "rule"),
                    string.Create(CultureInfo.InvariantCulture, $"the log names finding {finding.Finding.FindingId[..12]} again (line {earlier})"), "one row per finding"));
                continue;
            }

            seen[finding.Finding.FindingId] = row.Line;
            if (recorded.ContainsKey(finding.Finding.FindingId))
            {
                unchanged++;
                continue;
            }

            var (steps, error) = Steps(finding, row, tolerance);
            if (error is not null)
            {
                rejected.Add(new InputDataException(new SourceLocation(name, row.Line, 6, "status"), $"finding {finding.Finding.FindingId[..12]}: {error}",
                    "a status its dates and amounts allow"));
                continue;
            }

            if (steps.Count == 0)
            {
                // An open row records nothing: the finding is as the log says.
                unchanged++;
                continue;
            }

            applied++;
            changes.AddRange(steps.Select(s => (new DisputeState(finding.Finding.FindingId, s.Status, s.Note, s.Details),
                FindingStore.EventOf(finding.Finding.FindingId, s, now, DisputeSource.Log, runId, null))));
        }

        book.Record(changes, now);
        if (changes.Count > 0)
        {
            store.Refresh();
        }

        return new DisputeLogResult(name, rows.Count + unreadable, applied, unchanged, rejected);
    }
}
