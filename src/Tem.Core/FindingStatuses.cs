using System.Diagnostics.CodeAnalysis;

namespace Tem.Core;

/// <summary>Reading a <see cref="FindingStatus"/> from files written before the dispute lifecycle, and what each status means for money.</summary>
public static class FindingStatuses
{
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

        switch (text?.ToLowerInvariant())
        {
            case "disputed":
                status = FindingStatus.Submitted;
                return true;
            case "recovered":
                status = FindingStatus.Credited;
                return true;
            default:
                return false;
        }
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
