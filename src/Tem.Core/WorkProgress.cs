using System.Globalization;

namespace Tem.Core;

/// <summary>What a <see cref="WorkProgress"/> counts.</summary>
public enum WorkUnit
{
    /// <summary>Bytes of input files read (ingest): a homogeneous unit, so a rate and a time left mean something.</summary>
    Bytes,

    /// <summary>Audit rules run (SQL rules and anomaly models alike): they differ too much in cost for a time left.</summary>
    Rules,

    /// <summary>Report files written.</summary>
    Files,
}

/// <summary>
/// How far one long piece of work is, for a progress bar: reported by ingest, audit and report through an
/// <see cref="IProgress{T}"/> (the lower layers never touch the console). Reports of one piece of work never go back:
/// <see cref="Done"/> only grows, and the last report of a finished piece has <c>Done == Total</c> when the total is known.
/// </summary>
/// <param name="Unit">What <paramref name="Done"/> and <paramref name="Total"/> count.</param>
/// <param name="Done">Units done (bytes read, rules finished, files written).</param>
/// <param name="Total">Units in all; 0 when not known ahead (the report's files depend on the data).</param>
/// <param name="Item">What is being worked on now: a file name, a rule id, a report file's path relative to the report folder.</param>
public sealed record WorkProgress(WorkUnit Unit, long Done, long Total, string Item)
{
    /// <summary>
    /// The share of the work done (0 to 1) when <see cref="Total"/> cannot say it, e.g. report sets written of the sets
    /// to write while <see cref="Done"/> counts files; null otherwise.
    /// </summary>
    public double? Share { get; init; }

    /// <summary>The share done, 0 to 1: <see cref="Done"/> of <see cref="Total"/>, else <see cref="Share"/>, else 0.</summary>
    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : Math.Clamp(Share ?? 0, 0, 1);

    /// <summary>A byte count for people: <c>512 B</c>, <c>48.0 KB</c>, <c>192.3 MB</c>, <c>1.2 GB</c> (powers of 1000, invariant culture).</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1_000 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1_000_000 => (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        < 1_000_000_000 => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
    };
}

/// <summary>Timestamps as Tem's logs and messages print them for people.</summary>
public static class LogTime
{
    /// <summary>
    /// <c>2026-12-07 12:34:56Z</c>: UTC to the second, with a space and no fraction (a log a person reads; JSON output
    /// keeps ISO 8601 for programs).
    /// </summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    /// <summary><see cref="Format(DateTimeOffset)"/>, or <c>-</c> for none.</summary>
    public static string Format(DateTimeOffset? value) => value is { } v ? Format(v) : "-";

    /// <summary>The format string of <see cref="Format(DateTimeOffset)"/> for a console logger's timestamp (UTC), trailing space included.</summary>
    public const string ConsoleTimestampFormat = "yyyy-MM-dd HH:mm:ss'Z' ";
}

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its action at once, on the reporting thread. Not
/// <see cref="Progress{T}"/>, which posts each report to the thread pool when there is no synchronization context, so
/// that reports can arrive late and out of order.
/// </summary>
/// <typeparam name="T">What is reported.</typeparam>
/// <param name="report">Called with each report; must be safe to call from the reporting threads.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
