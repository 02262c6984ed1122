using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Reports.Query;

namespace Tem.Reports.Html;

/// <summary>
/// The client's words for what the audit stores in its own: evidence without the names and lines of the files the
/// lake was built from, statuses as words, and why a proposal retires a service. The consultant's copy keeps the
/// stored text in its appendix (<see cref="Appendix"/>); findings.csv and the workbook keep it whole.
/// </summary>
internal static partial class ClientText
{
    /// <summary>
    /// A finding's evidence as a client or a carrier reads it: invoice lines, usage and credit records by their own
    /// ids, without the input file and line Tem read them from (<c>INV-1#5 (invoices.csv:103) recurring 29.95</c> reads
    /// <c>INV-1#5 recurring 29.95</c>; <c>usage.csv:2867 record R1</c> reads <c>usage record R1</c>).
    /// </summary>
    public static string Evidence(string evidence)
    {
        var text = InFileParenthesis().Replace(evidence, string.Empty);
        text = UsageRecord().Replace(text, "usage record ");
        text = InventoryRow().Replace(text, "the service inventory");
        text = ResaleRow().Replace(text, "resale line");
        text = AnyFileLine().Replace(text, "input record");

        // The one charge type whose stored name is not a word.
        return text.Replace(" one_time ", " one-time ", StringComparison.Ordinal);
    }

    /// <summary>A status as words: <c>partially credited</c> rather than its wire name <c>partially_credited</c>.</summary>
    public static string Status(FindingStatus status) => WireNames.ToWire(status).Replace('_', ' ');

    /// <summary>Why a proposal retires a service, in the deal's words.</summary>
    /// <param name="because">The model's reason: <c>upgrade.csv</c> (the deal names the service) or <c>rule:&lt;id&gt;</c>.</param>
    /// <param name="data">The set, for the rule's title.</param>
    public static string Retired(string because, ReportData data)
    {
        if (because.StartsWith("rule:", StringComparison.Ordinal))
        {
            var rule = because["rule:".Length..];
            var title = data.Findings.FirstOrDefault(f => f.Finding.Rule == rule)?.Finding.Title ?? HtmlKit.Label(rule);
            return "a finding names it: " + title;
        }

        return "listed in the deal";
    }

    // " (invoices.csv:103)", " (inbox/2026-07/credits_due.csv:5)": the input file and line of an invoice line or a credit.
    [GeneratedRegex(@" ?\((?:[^()\s]+):\d+\)")]
    private static partial Regex InFileParenthesis();

    // "usage.csv:2867 record NW1": a usage or PBX record by the file and line it was read from.
    [GeneratedRegex(@"(?<![\w#])[^\s,;()]+:\d+ record ")]
    private static partial Regex UsageRecord();

    // "services services.csv:27": the inventory row of a service.
    [GeneratedRegex(@"\bservices [^\s,;()]+:\d+")]
    private static partial Regex InventoryRow();

    // "resale resale.csv:2": a resale line.
    [GeneratedRegex(@"\bresale [^\s,;()]+:\d+")]
    private static partial Regex ResaleRow();

    // Anything else shaped like "name.ext:line" (a rule from --rules DIR may cite files its own way).
    [GeneratedRegex(@"(?<![\w#])[\w./\\-]+\.[A-Za-z0-9]{1,5}:\d+")]
    private static partial Regex AnyFileLine();
}
