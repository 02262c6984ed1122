using System.Globalization;
using System.Text;
using Tem.Audit;
using Tem.Audit.Anomaly;
using Tem.Lake;
using Tem.Reports.Files;
using Tem.Reports.Query;
using static Tem.Reports.Html.HtmlKit;

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

    /// <summary>The appendix of report.html.</summary>
    public string ForReport(ReportFigures fig, int topFindings)
    {
        var d = fig.Data;
        var b = Open();
        b.Append("<h3>Commands</h3>\n<pre class=\"commands\">").Append(E(ReportCommand()))
            .Append("\ntem report --lake LAKE --out DIR --tenant PARTY   # the client's copy of one party, without this appendix")
            .Append("\ntem sql --lake LAKE \"SELECT currency, rule, count(*), sum(one_time_amount), sum(monthly_savings) FROM findings GROUP BY ALL\"")
            .Append("\ntem disputes submit ID --reference REF             # record a claim sent to the carrier")
            .Append("\ntem disputes credit ID --amount X --line INVOICE#LINE")
            .Append("</pre>\n");
        InputTable(b);

        b.Append("<h3>Rules behind the findings</h3>\n<table data-table=\"appendix-rules\">\n<thead><tr><th>Rule</th><th>Title</th><th>Defined in</th><th class=\"num\">Findings</th></tr></thead>\n<tbody>\n");
        var builtIn = RuleCatalog.BuiltIn.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in d.Findings.GroupBy(f => f.Finding.Rule, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var source = rule.Key is AnomalySettings.SpendRule or AnomalySettings.UsageRule
                ? "model in src/Tem.Audit/Anomaly/ (settings: tem audit --list-rules)"
                : builtIn.Contains(rule.Key) ? $"src/Tem.Audit/Rules/{rule.Key}.sql" : "an analyst's rule (tem audit --rules DIR)";
            b.Append(CultureInfo.InvariantCulture, $"<tr data-rule=\"{E(rule.Key)}\"><td><code>{E(rule.Key)}</code></td><td>{E(rule.First().Finding.Title)}</td><td><code>{E(source)}</code></td><td class=\"num\">{Int(rule.Count())}</td></tr>\n");
        }

        b.Append("</tbody></table>\n");
        b.Append("<h3>Evidence as stored</h3>\n<p class=\"note\">The top findings' evidence with the input file and line of each row (the client's pages name the invoice lines and records only). Every finding's is in findings.csv.</p>\n")
            .Append("<table data-table=\"appendix-evidence\">\n<thead><tr><th>Finding</th><th>Rule</th><th>Evidence</th></tr></thead>\n<tbody>\n");
        foreach (var c in fig.Currencies)
        {
            foreach (var s in fig.Top(c, topFindings))
            {
                var f = s.Finding;
                b.Append(CultureInfo.InvariantCulture, $"<tr data-finding=\"{E(f.FindingId)}\"><td><code>{E(f.FindingId[..Math.Min(12, f.FindingId.Length)])}</code></td><td><code>{E(f.Rule)}</code></td><td><span class=\"evidence\">{E(f.Evidence)}</span></td></tr>\n");
            }
        }

        b.Append("</tbody></table>\n");
        return Close(b);
    }

    /// <summary>The appendix of a deal's proposal: the command, the deal's lines as upgrade.csv gives them, the inputs.</summary>
    public string ForProposal(ProposalModel p)
    {
        var b = Open();
        b.Append("<h3>Commands</h3>\n<pre class=\"commands\">").Append(E(ReportCommand()))
            .Append(p.CurrencyGiven ? string.Empty : "\n# upgrade.csv has no currency column: prices are read in " + p.Currency.Code + " (--proposal-currency CUR to change)")
            .Append("\n# found money in another currency counts only with --fx CUR=RATE (units of the proposal currency per unit)")
            .Append("</pre>\n");
        b.Append("<h3>The deal in upgrade.csv</h3>\n<table data-table=\"appendix-upgrade\">\n<thead><tr><th>deal_id</th><th>customer_id</th><th>item</th><th>provider</th><th>role</th><th class=\"num\">one_time_cost</th><th class=\"num\">monthly_cost</th><th class=\"num\">provider_margin_pct</th><th>currency</th><th>retires</th></tr></thead>\n<tbody>\n");
        foreach (var i in p.Items)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(i.DealId ?? string.Empty)}</td><td>{E(i.CustomerId ?? string.Empty)}</td><td>{E(i.Item)}</td><td>{E(i.Provider)}</td><td>{E(i.Role)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Exact(i.OneTimeCost)}</td><td class=\"num\">{Exact(i.MonthlyCost)}</td><td class=\"num\">{(i.MarginPct is { } m ? m.ToString(CultureInfo.InvariantCulture) : "not shown")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(i.Currency ?? string.Empty)}</td><td>{E(string.Join(";", i.Retires ?? []))}</td></tr>\n");
        }

        b.Append("</tbody></table>\n");
        InputTable(b);
        return Close(b);
    }

    private static StringBuilder Open() =>
        new StringBuilder("<section class=\"appendix page-break\" id=\"how-computed\" data-copy=\"consultant\">\n<h2>")
            .Append(Heading).Append(" (consultant's copy)</h2>\n")
            .Append("<p class=\"note\">For the consultant only: the tenant and client sets (tenants/&lt;party&gt;/, tem report --tenant) are written without this appendix. Amounts here are exact, as the lake stores them.</p>\n");

    private static string Close(StringBuilder b) => b.Append("</section>\n").ToString();

    private string ReportCommand()
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

    private void InputTable(StringBuilder b)
    {
        b.Append("<h3>Input files in the lake</h3>\n<table data-table=\"appendix-inputs\">\n<thead><tr><th>File</th><th>Read as</th><th class=\"num\">Rows stored</th><th class=\"num\">Rejected</th><th>Ingested</th></tr></thead>\n<tbody>\n");
        foreach (var f in InputFiles)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{E(f.Path)}</code></td><td>{E(f.Kind)} &rarr; {E(f.Table)}</td><td class=\"num\">{Int(f.RowsStored)}</td><td class=\"num\">{Int(f.RowsRejected)}</td><td>{f.IngestedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</td></tr>\n");
        }

        b.Append("</tbody></table>\n");
    }
}
