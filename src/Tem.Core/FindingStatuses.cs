using System.Diagnostics.CodeAnalysis;

namespace Tem.Core;

/// <summary>Reading a <see cref="FindingStatus"/> from files written before the dispute lifecycle, and what each status means for money.</summary>
public static class FindingStatuses
{
    // The wire names lakes and dispute logs used before the dispute lifecycle, with the status each reads as.
    private static readonly (string Name, FindingStatus Status)[] OlderNames = [("disputed", FindingStatus.Submitted), ("recovered", FindingStatus.Credited)];

    /// <summary>
    /// The statuses a person sets the short way (<c>tem findings set-status</c>): open, submitted, credited, rejected,
    /// closed. The others need amounts (partially_credited) or come from the bills and the audit (confirmed, resolved).
    /// </summary>
    public static IReadOnlyList<FindingStatus> Settable { get; } =
        [FindingStatus.Open, FindingStatus.Submitted, FindingStatus.Credited, FindingStatus.Rejected, FindingStatus.Closed];

    /// <summary>
    /// The names <c>tem findings set-status</c> accepts, in the order its help lists them: each settable status's wire
    /// name followed by its older names (<c>open, submitted, disputed, credited, recovered, rejected, closed</c>).
    /// </summary>
    public static IReadOnlyList<string> SettableNames { get; } =
        [.. Settable.SelectMany(s => OlderNames.Where(o => o.Status == s).Select(o => o.Name).Prepend(WireNames.ToWire(s)))];

    /// <summary>Whether a person may set <paramref name="status"/> the short way (see <see cref="Settable"/>).</summary>
    public static bool IsSettable(FindingStatus status) => Settable.Contains(status);

    /// <summary>
    /// Parses a status wire name; also the names lakes used before the dispute lifecycle (<c>disputed</c> is
    /// <c>submitted</c>, <c>recovered</c> is <c>credited</c>), so an older lake reads on.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out FindingStatus status)
    {
        if (WireNames.TryParse(text, out status))
        {
            return true;
        }

        foreach (var (name, older) in OlderNames)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                status = older;
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a status (see <see cref="TryParse"/>).</summary>
    /// <exception cref="FormatException">Not a status; the message lists the expected names.</exception>
    public static FindingStatus Parse(string text) =>
        TryParse(text, out var status) ? status : throw new FormatException($"'{text}' is not a finding status, expected {WireNames.Expected<FindingStatus>()}.");

    /// <summary>
    /// Whether a finding in this status still counts as identified money: open or being pursued (submitted, partially
    /// credited, credited, confirmed). Rejected, closed and resolved findings count only what they realised.
    /// </summary>
    public static bool IsLive(FindingStatus status) =>
        status is FindingStatus.Open or FindingStatus.Submitted or FindingStatus.PartiallyCredited or FindingStatus.Credited or FindingStatus.Confirmed;

    /// <summary>Whether the carrier has been asked and has not finished answering: submitted or partially credited.</summary>
    public static bool IsPending(FindingStatus status) => status is FindingStatus.Submitted or FindingStatus.PartiallyCredited;
}
