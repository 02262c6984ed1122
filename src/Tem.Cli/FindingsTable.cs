using System.Globalization;
using Tem.Audit;
using Tem.Core;
using Tem.Lake;

namespace Tem.Cli;

/// <summary>Which stored findings <c>tem findings</c> lists: every filter given must match (an empty one matches all).</summary>
/// <param name="Rules">Rule ids.</param>
/// <param name="Carriers">Carriers, as in the bills (case-insensitive).</param>
/// <param name="Statuses">Current statuses.</param>
/// <param name="Kind">Validated or potential money.</param>
/// <param name="MinAmount">Least found money (one-time + 12 x monthly), in the finding's currency.</param>
internal sealed record FindingFilter(
    IReadOnlyList<string> Rules, IReadOnlyList<string> Carriers, IReadOnlyList<FindingStatus> Statuses, MoneyKind? Kind, decimal? MinAmount)
{
    public bool Matches(StoredFinding stored)
    {
        var f = stored.Finding;
        return (Rules.Count == 0 || Rules.Contains(f.Rule, StringComparer.Ordinal))
               && (Carriers.Count == 0 || Carriers.Contains(f.Carrier, StringComparer.OrdinalIgnoreCase))
               && (Statuses.Count == 0 || Statuses.Contains(stored.Status))
               && (Kind is null || f.MoneyKind == Kind)
               // Compared as shown: a finding listed as 10.00 passes --min-amount 10.
               && (MinAmount is null || Rounding.HalfAwayFromZero(f.FoundMoney, f.Currency.MinorDigits) >= MinAmount);
    }
}

/// <summary>The findings as a table with a header: amounts in their currency's minor units, right-aligned.</summary>
internal static class FindingsTable
{
    private static readonly string[] Header = ["ID", "STATUS", "MONEY", "RULE", "CARRIER", "ACCOUNT", "SERVICE", "PERIOD", "ONE-TIME", "MONTHLY", "FOUND", "CUR"];

    // The amount columns (ONE-TIME, MONTHLY, FOUND) are right-aligned.
    private const int FirstAmount = 8;
    private const int LastAmount = 10;

    /// <summary>
    /// Writes the table; with <paramref name="chances"/> (<c>--by-chance</c>) each row also has the chance of being
    /// credited, in percent, and its reasons.
    /// </summary>
    public static void Write(CliOutput cli, IReadOnlyList<StoredFinding> findings, IReadOnlyDictionary<string, Tem.Audit.Outcomes.CreditChance>? chances = null)
    {
        if (findings.Count == 0)
        {
            return;
        }

        var header = chances is null ? Header : [.. Header, "CHANCE", "REASONS"];
        var rows = findings.Select(s =>
        {
            var f = s.Finding;
            string[] row =
            [
                f.FindingId[..12], WireNames.ToWire(s.Status), WireNames.ToWire(f.MoneyKind), f.Rule, f.Carrier, f.AccountId,
                f.ServiceId ?? "-", f.Period.ToString(), MoneyText.Format(f.OneTimeAmount, f.Currency), MoneyText.Format(f.MonthlySavings, f.Currency),
                MoneyText.Format(f.FoundMoney, f.Currency), f.Currency.Code,
            ];
            return chances is null ? row
                : [.. row, chances[f.FindingId].Chance.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", string.Empty, StringComparison.Ordinal), chances[f.FindingId].Reasons];
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        cli.Result(Line(header, widths));
        foreach (var row in rows)
        {
            cli.Result(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i is >= FirstAmount and <= LastAmount ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
}
