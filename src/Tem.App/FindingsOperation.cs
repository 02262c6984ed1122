using Tem.Audit;
using Tem.Core;
using Tem.Lake;

namespace Tem.App;

/// <summary>How setting a finding's status went.</summary>
/// <param name="Outcome"><see cref="RunOutcome.Ok"/>; <see cref="RunOutcome.Locked"/> (another writer held the lake, nothing changed); <see cref="RunOutcome.Failed"/> (no single finding matched).</param>
/// <param name="FindingId">The full id of the finding changed; null when none was.</param>
/// <param name="Message">Why nothing changed.</param>
public sealed record SetStatusResult(RunOutcome Outcome, string? FindingId, string? Message);

/// <summary>The stored findings: listing them (a reader) and recording dispute outcomes (a writer, under the lake's write lock).</summary>
public sealed class FindingsOperation(TimeProvider time)
{
    /// <summary>
    /// The stored findings of a lake, ordered by rule and id, without changing anything (no recovery, no catalog
    /// write, no folder created). Throws <see cref="NotALakeException"/> for a folder that holds no lake.
    /// </summary>
    public IReadOnlyList<StoredFinding> List(string lake)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        var existing = TemLake.OpenExisting(lake);

        return [.. new FindingStore(existing, time).Load()
            .OrderBy(f => f.Finding.Rule, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The open findings of <paramref name="findings"/> ranked by their chance of being credited, with the lake's newest
    /// outcome model (<c>_tem/models/credit-chance.RUN.zip</c>, trained by the last audit or pipeline run with enough
    /// outcomes), or by rule priors without one. Reads only: loading ML.NET is left to the callers that ask for it.
    /// </summary>
    public static Tem.Audit.Outcomes.CreditRanking RankByChance(string lake, IReadOnlyList<StoredFinding> findings)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        var existing = TemLake.OpenExisting(lake);
        return Tem.Audit.Outcomes.CreditChanceModel.Rank(findings, Tem.Audit.Outcomes.CreditChanceModel.Latest(existing.Root));
    }

    /// <summary>
    /// Records a dispute outcome for the finding with this id (or unique prefix), under the lake's write lock, so that
    /// it never races an audit rewriting the findings. It survives later audits.
    /// </summary>
    public SetStatusResult SetStatus(string lake, string findingIdOrPrefix, FindingStatus status, string? note)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        ArgumentException.ThrowIfNullOrEmpty(findingIdOrPrefix);
        using var lease = LakeOperation.TryOpenForWriting(
            lake, $"tem findings set-status on {Environment.MachineName} (pid {Environment.ProcessId})", TimeSpan.Zero, time, out var locked);
        if (lease is null)
        {
            return new SetStatusResult(RunOutcome.Locked, null, locked);
        }

        var store = new FindingStore(lease.Lake, time);
        var match = store.Load().Where(f => f.Finding.FindingId.StartsWith(findingIdOrPrefix, StringComparison.Ordinal)).Take(2).ToList();
        if (match.Count != 1)
        {
            return new SetStatusResult(RunOutcome.Failed, null,
                $"no single finding has id '{findingIdOrPrefix}'; run 'tem findings' to list them.");
        }

        var id = match[0].Finding.FindingId;
        return store.SetStatus(id, status, note) is { } refused
            ? new SetStatusResult(RunOutcome.Failed, id, $"finding {id[..12]} cannot become {WireNames.ToWire(status)}: {refused}.")
            : new SetStatusResult(RunOutcome.Ok, id, null);
    }
}
