using Tem.Audit.Disputes;
using Tem.Core;
using Tem.Lake;

namespace Tem.Audit;

/// <summary>
/// The lake's findings: <c>findings/findings.parquet</c> (replaced atomically on each audit) holds every finding
/// ever seen with its status and dispute; what people and the bills did about a finding lives in the catalog
/// (<see cref="DisputeBook"/>) and survives re-runs. A finding the latest audit no longer produces becomes
/// <c>resolved</c> when nobody acted on it; once submitted (or credited, confirmed, rejected, closed) it keeps that
/// status, because a cancelled line or a credited charge is exactly what makes a rule stop firing. It is never deleted.
/// </summary>
public sealed class FindingStore(TemLake lake, TimeProvider time)
{
    /// <summary>The findings file of the lake.</summary>
    public string Path => FindingsFile.PathIn(lake.Root);

    /// <summary>Merges the findings of a run with the stored ones and the catalog's dispute states, and writes them; returns the stored set, ordered by id as the file is.</summary>
    public IReadOnlyList<StoredFinding> Save(IReadOnlyList<Finding> current, string runId)
    {
        ArgumentNullException.ThrowIfNull(current);
        var previous = Load().ToDictionary(f => f.Finding.FindingId, StringComparer.Ordinal);
        var states = new DisputeBook(lake).Load();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        CarryOverToServiceIds(current, previous, states, seen);
        var merged = new List<StoredFinding>();
        foreach (var f in current)
        {
            seen.Add(f.FindingId);
            var firstSeen = previous.TryGetValue(f.FindingId, out var p) ? p.FirstSeenRun : runId;
            merged.Add(Apply(new StoredFinding(f, FindingStatus.Open, null, firstSeen, runId), states));
        }

        foreach (var p in previous.Values.Where(p => !seen.Contains(p.Finding.FindingId)))
        {
            var kept = Apply(p with { Status = FindingStatus.Open, StatusNote = null, Dispute = DisputeDetails.None }, states);
            merged.Add(kept.Status == FindingStatus.Open ? kept with { Status = FindingStatus.Resolved } : kept);
        }

        Write(merged);
        new DisputeBook(lake).WriteEventsFile();
        return [.. merged.OrderBy(f => f.Finding.FindingId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A saving an older Tem stored once per period (its id with the month) is now one finding per service: what was
    /// recorded against the old id moves to the new one (recorded in the catalog, with a <c>carried_over</c> event), and
    /// the old finding is dropped rather than left beside it, so the saving and its dispute are counted once.
    /// </summary>
    private void CarryOverToServiceIds(
        IReadOnlyList<Finding> current, Dictionary<string, StoredFinding> previous, Dictionary<string, DisputeState> states, HashSet<string> dropped)
    {
        var now = time.GetUtcNow();
        var changes = new List<(DisputeState, DisputeEvent)>();
        foreach (var f in current.Where(f => !states.ContainsKey(f.FindingId) && f.FindingId == FindingId.CreateForService(f.Rule, f.AccountId, f.ServiceId)))
        {
            var old = previous.Values
                .Where(p => p.Finding.Rule == f.Rule && p.Finding.AccountId == f.AccountId && p.Finding.ServiceId == f.ServiceId && p.Finding.FindingId != f.FindingId
                    && states.ContainsKey(p.Finding.FindingId))
                .OrderByDescending(p => p.Finding.Period).FirstOrDefault();
            if (old is null)
            {
                continue;
            }

            var state = states[old.Finding.FindingId] with { FindingId = f.FindingId };
            states[f.FindingId] = state;
            dropped.Add(old.Finding.FindingId);
            changes.Add((state, new DisputeEvent(f.FindingId, now, DisputeEventKind.CarriedOver, state.Status, null, null, null, null, null, DisputeSource.Audit, $"from {old.Finding.FindingId}", null)));
        }

        new DisputeBook(lake).Record(changes, now);
    }

    /// <summary>
    /// Re-applies the catalog's dispute states to the stored findings and rewrites the file (after a dispute step or a
    /// credit match). <paramref name="stored"/>: the findings file as the caller already read it, to spare reading it again.
    /// </summary>
    public IReadOnlyList<StoredFinding> Refresh(IEnumerable<StoredFinding>? stored = null)
    {
        var states = new DisputeBook(lake).Load();
        var refreshed = (stored ?? Load()).Select(s =>
        {
            var applied = Apply(s with { Status = FindingStatus.Open, StatusNote = null, Dispute = DisputeDetails.None }, states);
            // A finding no run produces any more, with nothing recorded about it, stays resolved.
            return applied.Status == FindingStatus.Open && s.Status == FindingStatus.Resolved ? applied with { Status = FindingStatus.Resolved } : applied;
        }).ToList();
        Write(refreshed);
        new DisputeBook(lake).WriteEventsFile();
        return refreshed;
    }

    /// <summary>Every stored finding, or none before the first audit.</summary>
    public IReadOnlyList<StoredFinding> Load() => FindingsFile.Read(Path);

    /// <summary>
    /// Records a status the short way (<c>tem findings set-status</c>), as the matching lifecycle step dated today:
    /// open (reopen), submitted (or <c>disputed</c>: the finding's one-time amount claimed), credited (or
    /// <c>recovered</c>: the whole outstanding claim credited), rejected (both submitting it first when it was open), closed.
    /// Returns why it was not allowed, or null when it was recorded.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="status"/> is resolved, partially_credited or confirmed (they need amounts, or come from the bills).</exception>
    public string? SetStatus(string findingId, FindingStatus status, string? note)
    {
        ArgumentException.ThrowIfNullOrEmpty(findingId);
        if (!FindingStatuses.IsSettable(status))
        {
            throw new ArgumentException(
                $"'{WireNames.ToWire(status)}' is not set by hand: record a partial credit with 'tem disputes credit ID --amount X'; 'confirmed' and 'resolved' come from the bills and the audit.",
                nameof(status));
        }

        var finding = Load().FirstOrDefault(f => f.Finding.FindingId == findingId)
            ?? throw new ArgumentException($"No stored finding has id '{findingId}'.", nameof(findingId));
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var steps = new List<DisputeChange>();
        var at = finding;
        DisputeChange Step(DisputeChange change)
        {
            steps.Add(change);
            at = at with { Status = change.Status, StatusNote = change.Note, Dispute = change.Details };
            return change;
        }

        var last = status switch
        {
            FindingStatus.Open => Step(DisputeLifecycle.Reopen(at, note)),
            FindingStatus.Submitted => Step(DisputeLifecycle.Submit(at, today, null, null, note)),
            FindingStatus.Rejected => SubmitFirst() ?? Step(DisputeLifecycle.Reject(at, today, note)),
            FindingStatus.Closed => Step(DisputeLifecycle.Close(at, today, note)),
            _ => CreditAll(),
        };

        // The short form records the submission too when the finding was still open.
        DisputeChange? SubmitFirst() =>
            !FindingStatuses.IsPending(at.Status) && Step(DisputeLifecycle.Submit(at, today, null, null, note)).Error is not null ? steps[^1] : null;

        DisputeChange CreditAll()
        {
            if (SubmitFirst() is { } refused)
            {
                return refused;
            }

            return at.Dispute.Outstanding == 0
                ? Step(DisputeChange.Refused(at, "it claims no one-time amount (a saving is confirmed by the bills once submitted: tem disputes submit)"))
                : Step(DisputeLifecycle.Credit(at, at.Dispute.Outstanding, today, note, 0m));
        }

        if (steps.FirstOrDefault(s => s.Error is not null) is { } refused)
        {
            return refused.Error;
        }

        Record(finding, steps, DisputeSource.User, null);
        return null;
    }

    /// <summary>Records lifecycle steps of one finding (already checked) in the catalog and refreshes the findings file.</summary>
    public void Record(StoredFinding finding, IReadOnlyList<DisputeChange> steps, DisputeSource source, string? runId, string? creditLine = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(steps);
        var now = time.GetUtcNow();
        var changes = steps.Select(s => (
            new DisputeState(finding.Finding.FindingId, s.Status, s.Note, s.Details),
            EventOf(finding.Finding.FindingId, s, now, source, runId, creditLine))).ToList();
        new DisputeBook(lake).Record(changes, now);
        Refresh();
    }

    /// <summary>The event a lifecycle step records.</summary>
    /// <exception cref="ArgumentException"><paramref name="s"/> is a step that was not allowed: it records nothing.</exception>
    public static DisputeEvent EventOf(string findingId, DisputeChange s, DateTimeOffset now, DisputeSource source, string? runId, string? creditLine)
    {
        ArgumentNullException.ThrowIfNull(s);
        var kind = s.Event ?? throw new ArgumentException($"A step that was not allowed records no event: {s.Error}", nameof(s));
        return new(findingId, now, kind, s.Status,
            s.On ?? kind switch
            {
                DisputeEventKind.Submitted => s.Details.SubmittedOn,
                DisputeEventKind.Credit => s.Details.CreditedOn,
                DisputeEventKind.Rejected or DisputeEventKind.Closed => s.Details.ResolvedOn,
                _ => null,
            },
            s.Amount,
            kind == DisputeEventKind.Submitted ? s.Details.Reference : null,
            creditLine,
            kind == DisputeEventKind.Confirmed ? s.Details.ConfirmedFrom : null,
            source, s.StepNote, runId);
    }

    /// <summary>
    /// The finding with its recorded state, if any. A state recorded before the lifecycle existed (no amount claimed)
    /// reads as what it meant: <c>disputed</c> is the one-time amount claimed on the day it was recorded; <c>recovered</c>
    /// is that amount credited in full, or, for a saving with no one-time amount, the saving confirmed from that month.
    /// </summary>
    private static StoredFinding Apply(StoredFinding s, Dictionary<string, DisputeState> states)
    {
        if (!states.TryGetValue(s.Finding.FindingId, out var state))
        {
            return s;
        }

        var details = state.Details;
        var status = state.Status;
        if (details.AmountClaimed is null && status is FindingStatus.Submitted or FindingStatus.Credited)
        {
            var recordedOn = state.UpdatedAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : (DateOnly?)null;
            if (status == FindingStatus.Credited && s.Finding.OneTimeAmount == 0 && s.Finding.MonthlySavings > 0 && recordedOn is { } day)
            {
                status = FindingStatus.Confirmed;
                details = details with { SubmittedOn = details.SubmittedOn ?? day, AmountClaimed = 0m, ConfirmedFrom = BillingMonth.FromDate(day) };
            }
            else
            {
                details = details with
                {
                    SubmittedOn = details.SubmittedOn ?? recordedOn,
                    AmountClaimed = s.Finding.OneTimeAmount,
                    AmountCredited = status == FindingStatus.Credited && details.AmountCredited == 0 ? s.Finding.OneTimeAmount : details.AmountCredited,
                    CreditedOn = status == FindingStatus.Credited ? details.CreditedOn ?? recordedOn : details.CreditedOn,
                };
            }
        }

        return s with { Status = status, StatusNote = state.Note, Dispute = details };
    }

    private void Write(IReadOnlyList<StoredFinding> findings) => FindingsFile.Write(Path, findings);
}
