using DuckDB.NET.Data;
using System.Globalization;
using Tem.Core;
using Tem.Lake;

namespace Tem.App;

/// <summary>Who changes which lake, and how long to wait for another writer.</summary>
public sealed record LakeOperationOptions
{
    /// <summary>The lake folder.</summary>
    public required string Lake { get; init; }

    /// <summary>The name the run is recorded under in the catalog's run history (<c>ingest</c>, <c>audit</c>, <c>run</c>, a scheduled pipeline's name); also the run id's prefix.</summary>
    public required string Command { get; init; }

    /// <summary>
    /// Whether the run may make the lake when the folder holds none: only the commands that bring data in (ingest, a
    /// pipeline run) do; for every other writer a folder without a lake is a typo, and the run stops with
    /// <see cref="NotALakeException"/> before anything is created.
    /// </summary>
    public bool CreateLake { get; init; }

    /// <summary>How long to wait for another writer of the same lake to finish before giving up (outcome <see cref="RunOutcome.Locked"/>).</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.Zero;

    /// <summary>Who runs it, written beside the lake's write lock for people (the run id, host and process by default).</summary>
    public string? Holder { get; init; }

    /// <summary>The settings the run uses (<see cref="EffectiveSettings.ToJson"/>), recorded in the run history; null for runs that read none.</summary>
    public string? Settings { get; init; }
}

/// <summary>Row totals a run records in the catalog's run history.</summary>
/// <param name="Files">Input files looked at.</param>
/// <param name="Read">Rows read from them.</param>
/// <param name="Stored">Rows stored in the lake.</param>
/// <param name="Rejected">Rows rejected.</param>
/// <param name="Findings">Findings open after the run's audit; null when it did not audit.</param>
public sealed record RunTotals(int Files, long Read, long Stored, long Rejected, int? Findings)
{
    /// <summary>Nothing read, no audit.</summary>
    public static RunTotals None { get; } = new(0, 0, 0, 0, null);
}

/// <summary>
/// One run in progress, inside <see cref="LakeOperation.Run{T}"/>: the lake (opened under its write lock), the run's id,
/// and what the work sets as it goes (totals, outcome, message), which is what the run history records.
/// </summary>
public sealed class RunScope
{
    internal RunScope(string runId, TemLake lake, DateTimeOffset startedAt, IReadOnlyList<string> interruptedRuns)
    {
        RunId = runId;
        Lake = lake;
        StartedAt = startedAt;
        InterruptedRuns = interruptedRuns;
    }

    /// <summary>The run's id in the catalog.</summary>
    public string RunId { get; }

    /// <summary>The lake, opened under its write lock (interrupted commits completed).</summary>
    public TemLake Lake { get; }

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Earlier runs whose process died, closed by this one as <see cref="RunOutcome.Interrupted"/>.</summary>
    public IReadOnlyList<string> InterruptedRuns { get; }

    /// <summary>The totals recorded when the run ends; the work updates them as it goes, so a failed run records what it did.</summary>
    public RunTotals Totals { get; set; } = RunTotals.None;

    /// <summary>The outcome recorded when the work returns (<see cref="RunOutcome.Ok"/> unless the work says otherwise).</summary>
    public RunOutcome Outcome { get; set; } = RunOutcome.Ok;

    /// <summary>Why it failed, recorded with the outcome.</summary>
    public string? Message { get; set; }

    /// <summary>The report's warnings, recorded with the run (so the next run can tell a new warning from a repeated one).</summary>
    public IReadOnlyList<string> Warnings { get; set; } = [];
}

/// <summary>How a run went.</summary>
/// <typeparam name="T">What the work returned.</typeparam>
/// <param name="RunId">The run's id in the catalog.</param>
/// <param name="Outcome">How it ended; <see cref="RunOutcome.Locked"/> when another writer held the lake (nothing ran, nothing was recorded).</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC).</param>
/// <param name="Value">What the work returned; default when it did not run or stopped on an error.</param>
/// <param name="Totals">The totals recorded.</param>
/// <param name="InterruptedRuns">Earlier runs whose process died, closed by this one.</param>
/// <param name="Message">Why it failed or was locked.</param>
public sealed record LakeOperationResult<T>(
    string RunId, RunOutcome Outcome, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, T? Value, RunTotals Totals,
    IReadOnlyList<string> InterruptedRuns, string? Message)
{
    /// <summary>True when everything ran and nothing failed.</summary>
    public bool Succeeded => Outcome == RunOutcome.Ok;
}

/// <summary>
/// The one way Tem changes a lake: take the lake's write lock, open the lake (which completes commits a crashed
/// writer left half done), record the run's start in the catalog, close the runs a dead process left open, do the
/// work, and record how it ended. Every writer (<c>tem ingest</c>, <c>tem audit</c>, <c>tem run</c>, <c>tem demo</c>,
/// the scheduler's job) goes through here; readers use <see cref="TemLake.OpenExisting"/> and never write. Only
/// runs with <see cref="LakeOperationOptions.CreateLake"/> make a lake; the others need one.
/// </summary>
public static class LakeOperation
{
    /// <summary>A run's id: the command, a dash and its start in UTC to the millisecond, e.g. <c>audit-20260101T020000123Z</c>.</summary>
    public static string RunId(string command, DateTimeOffset startedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        return command + "-" + startedAt.ToUniversalTime().ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Takes the lake's write lock (waiting up to <see cref="LakeOperationOptions.LockWait"/>) and opens the lake under it.
    /// Returns null when another writer holds it; <paramref name="lockedMessage"/> then says by whom. For changes that
    /// are not recorded as runs (a finding's status); runs use <see cref="Run{T}"/>.
    /// </summary>
    /// <param name="lake">The lake folder.</param>
    /// <param name="holder">Who takes the lock, for people.</param>
    /// <param name="wait">How long to wait for another writer.</param>
    /// <param name="time">The clock.</param>
    /// <param name="lockedMessage">Why the lock could not be taken.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <param name="create">Make the lake when the folder holds none (ingest and pipeline runs only).</param>
    /// <exception cref="NotALakeException">The folder holds no lake and <paramref name="create"/> is false; nothing was created.</exception>
    public static LakeLease? TryOpenForWriting(
        string lake, string holder, TimeSpan wait, TimeProvider time, out string? lockedMessage, bool create = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        var root = Path.GetFullPath(lake);
        if (!create)
        {
            LakeFolders.Require(root);
        }

        var writeLock = LakeWriteLock.TryAcquire(root, holder, wait, time, out var lockedBy, cancellationToken);
        if (writeLock is null)
        {
            lockedMessage = LakeWriteLock.LockedMessage(root, lockedBy);
            return null;
        }

        try
        {
            // Opening the lake under the lock completes commits a crashed writer left half done.
            lockedMessage = null;
            return new LakeLease(writeLock, TemLake.Open(root));
        }
        catch
        {
            writeLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one recorded run of the lake. Errors of the engine or the file system end the
    /// run as <see cref="RunOutcome.Failed"/> with their message (recorded and returned); cancellation records
    /// <see cref="RunOutcome.Cancelled"/> and is rethrown.
    /// </summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="options">The lake and the run's name.</param>
    /// <param name="time">The clock the run's times and id come from.</param>
    /// <param name="work">The work; it sets <see cref="RunScope.Totals"/>, <see cref="RunScope.Outcome"/> and <see cref="RunScope.Message"/>.</param>
    /// <param name="cancellationToken">Stops the wait for the lock, and the work where it checks.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled; the run is recorded as cancelled.</exception>
    public static LakeOperationResult<T> Run<T>(
        LakeOperationOptions options, TimeProvider time, Func<RunScope, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(work);
        var started = time.GetUtcNow();
        var runId = RunId(options.Command, started);
        var holder = options.Holder ?? $"{runId} on {Environment.MachineName} (pid {Environment.ProcessId})";
        using var lease = TryOpenForWriting(options.Lake, holder, options.LockWait, time, out var locked, options.CreateLake, cancellationToken);
        if (lease is null)
        {
            return new LakeOperationResult<T>(runId, RunOutcome.Locked, started, time.GetUtcNow(), default, RunTotals.None, [], locked);
        }

        var catalog = lease.Lake.Catalog;
        catalog.StartRun(runId, options.Command, started, options.Settings);
        var scope = new RunScope(runId, lease.Lake, started, catalog.CloseInterruptedRuns(runId, started));
        T value;
        try
        {
            value = work(scope);
        }
        catch (OperationCanceledException)
        {
            Finish(catalog, scope, time.GetUtcNow(), RunOutcome.Cancelled,
                "stopped before it finished (the host was shutting down); the next run goes on from here");
            throw;
        }
        catch (Exception e) when (e is InfrastructureException or IOException or UnauthorizedAccessException or DuckDBException)
        {
            var failedAt = time.GetUtcNow();
            Finish(catalog, scope, failedAt, RunOutcome.Failed, e.Message);
            return new LakeOperationResult<T>(runId, RunOutcome.Failed, started, failedAt, default, scope.Totals, scope.InterruptedRuns, e.Message);
        }

        var finished = time.GetUtcNow();
        Finish(catalog, scope, finished, scope.Outcome, scope.Message);
        return new LakeOperationResult<T>(runId, scope.Outcome, started, finished, value, scope.Totals, scope.InterruptedRuns, scope.Message);
    }

    private static void Finish(LakeCatalog catalog, RunScope scope, DateTimeOffset at, RunOutcome outcome, string? message)
    {
        var t = scope.Totals;
        catalog.FinishRun(scope.RunId, at, outcome, t.Files, t.Read, t.Stored, t.Rejected, message, t.Findings,
            scope.Warnings.Count == 0 ? null : string.Join('\n', scope.Warnings));
        try
        {
            catalog.WriteHistoryFiles();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InfrastructureException or DuckDBException)
        {
            // The catalog has the run; readers see it once a later run rewrites the file.
        }
    }
}

/// <summary>The lake's write lock and the lake opened under it; disposing releases the lock.</summary>
public sealed class LakeLease : IDisposable
{
    private readonly LakeWriteLock _lock;

    private readonly IDisposable _catalog;

    internal LakeLease(LakeWriteLock writeLock, TemLake lake)
    {
        _lock = writeLock;
        Lake = lake;
        _catalog = lake.Catalog.Hold();
    }

    /// <summary>The lake, opened under the lock.</summary>
    public TemLake Lake { get; }

    /// <summary>Closes the catalog, then releases the lock.</summary>
    public void Dispose()
    {
        _catalog.Dispose();
        _lock.Dispose();
    }
}
