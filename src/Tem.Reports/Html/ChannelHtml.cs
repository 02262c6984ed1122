using System.Globalization;
using System.Net;
using System.Text;
using Tem.Core;
using Tem.Reports.Charts;
using Tem.Reports.Files;
using Tem.Reports.Query;
using static Tem.Reports.Html.HtmlKit;

namespace Tem.Reports.Html;

/// <summary>
/// channel.html: per currency, MRR per reseller and month as a line chart and a table with churn and net revenue
/// retention, MRR per customer; then cost, sale and profit per seller, distributor rollup, customer and the direct
/// channel. Cells carry <c>data-*</c> attributes with the exact values.
/// </summary>
internal static class ChannelHtml
{
    /// <summary>Resellers drawn in one currency's chart (its legend has room for about this many); the table lists them all.</summary>
    private const int ChartSeries = ReportCharts.ChannelSeries;

    public static string Render(ReportFigures fig, ChannelReport report, DateTimeOffset generated)
    {
        var d = fig.Data;
        var b = new StringBuilder();
        b.Append("<section>\n<h1>Channel: MRR and profit</h1>\n<p class=\"lede\">What each seller bills its customers month by month (MRR), the customers it keeps and loses, and what it earns over what the carriers invoice it, ")
            .Append("per reseller, customer and distributor, and the carrier cost of the direct channel. Per currency: amounts in different currencies are never added together.</p>\n</section>\n");
        foreach (var currency in report.Mrr.Select(m => m.Currency).Distinct().Order())
        {
            Mrr(b, fig, report, currency);
        }

        Profit(b, d, report);
        b.Append("<section><footer class=\"defs\"><h2>How to read this page</h2><dl>")
            .Append(string.Concat(ChannelReport.Terms.Select(t => $"<dt>{WebUtility.HtmlEncode(t.Term)}</dt><dd>{WebUtility.HtmlEncode(t.Definition)}</dd>")))
            .Append("</dl></footer></section>\n");
        return Page(d.Brand, $"{d.Brand.Name}: channel MRR and profit", "Channel report", ReportHtml.Meta(fig, generated), b.ToString(), Css);
    }

    private const string Css = """
        table.months th.num, table.months td.num { padding-left: 4px; padding-right: 6px; }
        tbody.seller tr:first-child td { border-top: 1.5px solid #CBD2D9; }
        td.measure { color: #52606D; white-space: nowrap; }

        """;

    private static void Mrr(StringBuilder b, ReportFigures fig, ChannelReport report, CurrencyCode currency)
    {
        var d = fig.Data;
        var sellers = report.Mrr.Where(m => m.Currency == currency).ToList();
        var labels = report.Months.Select(m => m.ToString()).ToList();
        b.Append(CultureInfo.InvariantCulture, $"<section class=\"currency-panel\" id=\"mrr-{currency.Code}\" data-currency=\"{currency.Code}\">\n<h2>{currency.Code}: MRR per reseller</h2>\n");

        var drawn = sellers.OrderByDescending(s => s.Mrr.Count == 0 ? 0 : s.Mrr[^1]).ThenByDescending(s => s.Mrr.Sum()).ThenBy(s => s.SellerId, StringComparer.Ordinal)
            .Take(ChartSeries).ToList();
        var note = sellers.Count > drawn.Count
            ? $"the {drawn.Count} resellers with the largest MRR in {report.Months[^1]}; the table lists all {sellers.Count}"
            : "resale billing per billing month; a month without resale is 0";
        b.Append(CultureInfo.InvariantCulture, $"<figure data-currency=\"{currency.Code}\"><figcaption>MRR per reseller<span class=\"sub\">{E(note)}</span></figcaption>")
            .Append(ReportCharts.Of(fig).ChannelMrr(report, currency).Svg()).Append("</figure>\n");

        b.Append(CultureInfo.InvariantCulture, $"<h3>MRR, churn and retention</h3>\n<table class=\"months\" data-table=\"mrr\" data-currency=\"{currency.Code}\">\n<thead><tr><th>Reseller</th><th></th>");
        foreach (var m in labels)
        {
            b.Append("<th class=\"num\">").Append(m).Append("</th>");
        }

        b.Append("<th class=\"num\">Window</th></tr></thead>\n");
        foreach (var s in sellers)
        {
            var id = E(s.SellerId);
            b.Append(CultureInfo.InvariantCulture, $"<tbody class=\"seller\" data-reseller=\"{id}\">\n<tr data-measure=\"mrr\"><td rowspan=\"4\">{E(d.PartyName(s.SellerId))}<span class=\"sub\">{id}</span></td><td class=\"measure\">MRR</td>");
            for (var i = 0; i < s.Mrr.Count; i++)
            {
                b.Append(Amount("mrr", s.Mrr[i], currency, labels[i]));
            }

            b.Append("<td></td></tr>\n<tr data-measure=\"churned\"><td class=\"measure\">Churned customers</td><td class=\"num\">-</td>");
            foreach (var r in s.Retention)
            {
                b.Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-measure=\"churned\" data-month=\"{r.Month}\" data-value=\"{r.Churned}\">{Int(r.Churned)}</td>");
            }

            b.Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-measure=\"churned\" data-month=\"window\" data-value=\"{s.Churned}\">{Int(s.Churned)}</td></tr>\n")
                .Append("<tr data-measure=\"mrr-lost\"><td class=\"measure\">MRR lost</td><td class=\"num\">-</td>");
            foreach (var r in s.Retention)
            {
                b.Append(Amount("mrr-lost", r.MrrLost, currency, r.Month.ToString()));
            }

            b.Append(Amount("mrr-lost", s.MrrLost, currency, "window")).Append("</tr>\n<tr data-measure=\"nrr\"><td class=\"measure\">NRR</td><td class=\"num\">-</td>");
            foreach (var r in s.Retention)
            {
                b.Append(Ratio("nrr", r.Nrr, r.Month.ToString()));
            }

            b.Append(Ratio("nrr", s.WindowNrr, "window")).Append("</tr>\n</tbody>\n");
        }

        b.Append("</table>\n<p class=\"note\">Window: churn and MRR lost over all billing months; NRR of the last billing month against the first.</p>\n");

        b.Append(CultureInfo.InvariantCulture, $"<h3>MRR per customer</h3>\n<table class=\"months\" data-table=\"mrr-customers\" data-currency=\"{currency.Code}\">\n<thead><tr><th>Reseller</th><th>Customer</th>");
        foreach (var m in labels)
        {
            b.Append("<th class=\"num\">").Append(m).Append("</th>");
        }

        b.Append("</tr></thead>\n<tbody>\n");
        foreach (var s in sellers)
        {
            foreach (var c in s.Customers)
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr data-reseller=\"{E(s.SellerId)}\" data-customer=\"{E(c.CustomerId)}\"><td>{E(d.PartyName(s.SellerId))}</td><td>{E(d.PartyName(c.CustomerId))}<span class=\"sub\">{E(c.CustomerId)}</span></td>");
                for (var i = 0; i < c.Mrr.Count; i++)
                {
                    b.Append(Amount("mrr", c.Mrr[i], currency, labels[i]));
                }

                b.Append("</tr>\n");
            }
        }

        b.Append("</tbody></table>\n</section>\n");
    }

    private static void Profit(StringBuilder b, ReportData d, ChannelReport report)
    {
        b.Append("<section class=\"page-break\" id=\"profit\">\n<h2>Cost, sale and profit</h2>\n<p class=\"note\">Over the billing months in the lake. Cost is what the carriers invoice the seller, taxes excluded and credits netted; sale is its resale billing; profit = sale − cost; margin % = profit / sale. ")
            .Append("A distributor's rollup adds the sellers below it month by month, by the parent links in force in each month. The total counts every seller once; the direct channel is not in it.</p>\n");
        foreach (var currency in report.Currencies)
        {
            var rows = report.Profit.Where(r => r.Currency == currency).ToList();
            b.Append(CultureInfo.InvariantCulture, $"<h3>{currency.Code}</h3>\n");
            var sellers = rows.Where(r => r.Level is ProfitLevel.Seller or ProfitLevel.Total).ToList();
            if (sellers.Count > 0)
            {
                b.Append(CultureInfo.InvariantCulture, $"<table data-table=\"profit-sellers\" data-currency=\"{currency.Code}\">\n<thead><tr><th>Seller</th><th>Kind</th><th>Months</th>{ProfitHeads}</tr></thead>\n<tbody>\n");
                foreach (var r in sellers)
                {
                    b.Append(r.Level == ProfitLevel.Total
                        ? $"<tr class=\"total\" data-row=\"total\" data-currency=\"{currency.Code}\"><td colspan=\"2\">Total {currency.Code}</td>"
                        : $"<tr data-row=\"seller\" data-party=\"{E(r.PartyId)}\" data-currency=\"{currency.Code}\"><td>{E(d.PartyName(r.PartyId))}<span class=\"sub\">{E(r.PartyId)}</span></td><td>{E(Kind(d, r.PartyId))}</td>");
                    b.Append("<td>").Append(E(report.Span(r.Months))).Append("</td>").Append(Figures(r)).Append("</tr>\n");
                }

                b.Append("</tbody></table>\n");
            }

            var rollup = rows.Where(r => r.Level is ProfitLevel.RollupPart or ProfitLevel.Rollup).ToList();
            if (rollup.Count > 0)
            {
                b.Append(CultureInfo.InvariantCulture, $"<h3>{currency.Code} distributor rollup</h3>\n<table data-table=\"profit-rollup\" data-currency=\"{currency.Code}\">\n<thead><tr><th>Distributor</th><th>Seller</th><th>Months</th>{ProfitHeads}</tr></thead>\n<tbody>\n");
                foreach (var r in rollup)
                {
                    b.Append(r.Level == ProfitLevel.Rollup
                        ? $"<tr class=\"total\" data-row=\"rollup\" data-distributor=\"{E(r.PartyId)}\" data-currency=\"{currency.Code}\"><td colspan=\"2\">{E(d.PartyName(r.PartyId))} rollup</td>"
                        : $"<tr data-row=\"rollup-part\" data-distributor=\"{E(r.Under)}\" data-party=\"{E(r.PartyId)}\" data-currency=\"{currency.Code}\"><td>{E(d.PartyName(r.Under))}</td><td>{(r.PartyId == r.Under ? "own sales" : E(d.PartyName(r.PartyId)) + $"<span class=\"sub\">{E(r.PartyId)}</span>")}</td>");
                    b.Append("<td>").Append(E(report.Span(r.Months))).Append("</td>").Append(Figures(r)).Append("</tr>\n");
                }

                b.Append("</tbody></table>\n");
            }

            var customers = rows.Where(r => r.Level == ProfitLevel.Customer).ToList();
            if (customers.Count > 0)
            {
                b.Append(CultureInfo.InvariantCulture, $"<h3>{currency.Code} per customer</h3>\n<table data-table=\"profit-customers\" data-currency=\"{currency.Code}\">\n<thead><tr><th>Seller</th><th>Customer</th><th>Months</th>{ProfitHeads}</tr></thead>\n<tbody>\n");
                foreach (var r in customers)
                {
                    b.Append(CultureInfo.InvariantCulture, $"<tr data-row=\"customer\" data-seller=\"{E(r.Under)}\" data-party=\"{E(r.PartyId)}\" data-currency=\"{currency.Code}\"><td>{E(d.PartyName(r.Under))}</td><td>{E(d.PartyName(r.PartyId))}<span class=\"sub\">{E(r.PartyId)}</span></td>")
                        .Append("<td>").Append(E(report.Span(r.Months))).Append("</td>").Append(Figures(r)).Append("</tr>\n");
                }

                b.Append("</tbody></table>\n");
            }

            var direct = rows.Where(r => r.Level == ProfitLevel.Direct).ToList();
            if (direct.Count > 0)
            {
                b.Append(CultureInfo.InvariantCulture, $"<h3>{currency.Code} direct channel</h3>\n<p class=\"note\">Account-months with no reseller: the customer's carrier cost, taxes excluded. There is no channel sale, so no profit or margin.</p>\n<table data-table=\"profit-direct\" data-currency=\"{currency.Code}\">\n<thead><tr><th>Customer</th><th>Months</th>{ProfitHeads}</tr></thead>\n<tbody>\n");
                foreach (var r in direct)
                {
                    b.Append(CultureInfo.InvariantCulture, $"<tr data-row=\"direct\" data-party=\"{E(r.PartyId)}\" data-currency=\"{currency.Code}\"><td>{E(d.PartyName(r.PartyId))}<span class=\"sub\">{E(r.PartyId)}</span></td>")
                        .Append("<td>").Append(E(report.Span(r.Months))).Append("</td>").Append(Figures(r)).Append("</tr>\n");
                }

                b.Append(CultureInfo.InvariantCulture, $"<tr class=\"total\" data-row=\"direct-total\" data-currency=\"{currency.Code}\"><td colspan=\"2\">Direct channel {currency.Code}</td>")
                    .Append(Amount("cost", direct.Sum(r => r.Cost), currency)).Append("<td class=\"num\" colspan=\"3\">no channel sale</td></tr>\n</tbody></table>\n");
            }
        }

        b.Append("</section>\n");
    }

    private const string ProfitHeads = "<th class=\"num\">Cost</th><th class=\"num\">Sale</th><th class=\"num\">Profit</th><th class=\"num\">Margin %</th>";

    private static string Figures(ProfitRow r)
    {
        if (r.Sale is null)
        {
            return Amount("cost", r.Cost, r.Currency) + "<td class=\"num\" colspan=\"3\" data-measure=\"sale\">no channel sale</td>";
        }

        var profit = r.Profit ?? 0;
        return Amount("cost", r.Cost, r.Currency) + Amount("sale", r.Sale.Value, r.Currency) + Amount("profit", profit, r.Currency) + Ratio("margin", r.MarginPct, null, profit < 0);
    }

    private static string Kind(ReportData d, string? party) =>
        party is not null && d.Parties.TryGetValue(party, out var p) ? p.Kind : "-";

    /// <summary>A money cell with its measure (and month) and the exact value in <c>data-value</c>.</summary>
    private static string Amount(string measure, decimal v, CurrencyCode currency, string? month = null) =>
        $"<td class=\"num{(v < 0 ? " neg" : string.Empty)}\" data-measure=\"{measure}\"{(month is null ? string.Empty : $" data-month=\"{E(month)}\"")} data-value=\"{Exact(v)}\">{Money(v, currency)}</td>";

    /// <summary>A ratio cell shown as a percentage; the exact ratio in <c>data-value</c>, none (and "-") when undefined.</summary>
    private static string Ratio(string measure, decimal? v, string? month, bool negative = false) =>
        $"<td class=\"num{(negative ? " neg" : string.Empty)}\" data-measure=\"{measure}\"{(month is null ? string.Empty : $" data-month=\"{E(month)}\"")}{(v is { } x ? $" data-value=\"{x.ToString(CultureInfo.InvariantCulture)}\"" : string.Empty)}>{Pct(v)}</td>";
}
