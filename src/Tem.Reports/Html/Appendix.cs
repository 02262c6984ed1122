using System.Globalization;
using System.Text;
using Tem.Audit;
using Tem.Audit.Anomaly;
using Tem.Lake;
using Tem.Reports.Files;
using Tem.Reports.Query;

namespace Tem.Reports.Html;

/// <summary>
/// What the consultant needs to reproduce a page and the client never reads: the input files the lake holds, the
/// rules and their SQL files behind the findings, the evidence as stored (with the input file and line of every
/// row), and the commands. Only the consultant's full set carries it (the report folder's own pages, the set
/// <see cref="ReportWriter.Write"/> writes without a tenant); the tenant sets under <c>tenants/</c>, a set written
/// with <c>--tenant</c> and the dispute letters never do.
/// </summary>
/// <param name="InputFiles">The lake's active input files, oldest first.</param>
/// <param name="Options">The options the report was written with (for its command line).</param>
internal sealed record Appendix(IReadOnlyList<CatalogFile> InputFiles, ReportOptions Options)
{
    /// <summary>The heading of the appendix, the same on every page.</summary>
    public const string Heading = "How this was computed";

    /// <summary>The <c>tem report</c> command line that writes this set again.</summary>
    public string ReportCommand()
    {
        var o = Options;
        var c = new StringBuilder("tem report --lake LAKE --out DIR");
        if (o.ProposalCurrency is { } currency)
        {
            c.Append(" --proposal-currency ").Append(currency);
        }

        foreach (var (code, rate) in o.ExchangeRates.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            c.Append(CultureInfo.InvariantCulture, $" --fx {code}={rate}");
        }

        if (o.ContingencyFeePct != 0)
        {
            c.Append(CultureInfo.InvariantCulture, $" --contingency-fee {o.ContingencyFeePct}");
        }

        if (o.FollowUpDays != 30)
        {
            c.Append(CultureInfo.InvariantCulture, $" --follow-up-days {o.FollowUpDays}");
        }

        return c.ToString();
    }
}
