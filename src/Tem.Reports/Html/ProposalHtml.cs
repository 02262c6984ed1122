using System.Globalization;
using System.Text;
using Tem.Reports.Charts;
using Tem.Reports.Files;
using Tem.Reports.Query;
using static Tem.Reports.Html.HtmlKit;

namespace Tem.Reports.Html;

/// <summary>proposal.html: the upgrade's costs against found money, payback, the 36-month cash view, and who earns what.</summary>
internal static class ProposalHtml
{
    public static string Render(ReportFigures fig, ProposalModel p, DateTimeOffset generated)
    {
        var c = p.Currency;
        var cash = p.Cash;
        var b = new StringBuilder();
        b.Append("<section>\n<h1>Savings-funded upgrade proposal</h1>\n<p class=\"lede\">What the audit found, set against what the upgrade costs: ")
            .Append(E(string.Join(", ", p.Items.Select(i => i.Item)))).Append(". Prices in ").Append(c.Code)
            .Append(p.CurrencyGiven ? "." : " (upgrade.csv has no currency column: the currency most accounts are billed in; change it with --proposal-currency).")
            .Append("</p>\n<div class=\"kpis\">\n");
        Kpi(b, "upgrade-one-time", "Upgrade, one-time", p.UpgradeOneTime, c, $"plus {Money(p.UpgradeMonthly, c)} a month");
        Kpi(b, "found-one-time", "Found money, one-time", p.FoundOneTime, c, $"plus {Money(p.FoundMonthly, c)} a month of savings");
        var change = cash.NetMonthlyChange;
        b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"><div class=\"kpi-label\">Net monthly change</div><div class=\"kpi-value {(change > 0 ? "neg" : "pos")}\" data-kpi=\"net-monthly-change\" data-value=\"{Exact(change)}\"><span class=\"ccy\">{c.Code}</span>{(change > 0 ? "+" : change < 0 ? "−" : string.Empty)}{Money(Math.Abs(change))}</div><div class=\"kpi-break\">{(change > 0 ? "more" : "less")} a month than today, after the savings</div></div>\n");
        var payback = cash.PaybackMonth is { } month ? "month " + month.ToString(CultureInfo.InvariantCulture) : "never";
        var paybackNote = cash.PaybackMonth switch
        {
            null when cash.FundedMonths > 0 => $"the recoveries fund the first {cash.FundedMonths} month{(cash.FundedMonths == 1 ? string.Empty : "s")}; then the monthly cost exceeds the savings",
            null => "the monthly savings do not cover the monthly cost",
            1 => "the recoveries cover the one-time cost at once",
            { } m when m > p.Months => $"beyond the {p.Months}-month view",
            _ => "cumulative cash turns positive and stays so",
        };
        var firstYearCost = p.UpgradeOneTime + (12 * p.UpgradeMonthly);
        var coverage = firstYearCost == 0 ? null : (decimal?)((p.FoundOneTime + (12 * p.FoundMonthly)) / firstYearCost);
        paybackNote += coverage is { } cv ? $"; found money covers {Pct(cv)} of the first year's cost" : string.Empty;
        b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"><div class=\"kpi-label\">Payback</div><div class=\"kpi-value\" data-kpi=\"payback-month\" data-value=\"{(cash.PaybackMonth?.ToString(CultureInfo.InvariantCulture) ?? "never")}\">{payback}</div><div class=\"kpi-break\">{E(paybackNote)}</div></div>\n")
            .Append("</div>\n</section>\n");

        CashSection(b, p);
        Split(b, p, fig.Data.Brand.Color);
        Funding(b, p);
        b.Append("<section><footer class=\"defs\"><h2>How the numbers are made</h2><dl>")
            .Append("<dt>Cash view</dt><dd>Cumulative cash at the end of month m = (one-time recoveries − one-time cost) + m × (monthly savings − monthly cost). Month 1 carries both one-time amounts.</dd>")
            .Append("<dt>Payback month</dt><dd>The first month whose cumulative cash is zero or more and stays so.</dd>")
            .Append("<dt>Net monthly change</dt><dd>Monthly cost of the upgrade − monthly savings found: the change in the monthly bill once both are in place.</dd>")
            .Append("<dt>Found money counted</dt><dd>Findings open, disputed or recovered (rejected and closed findings fund nothing); other currencies only with an exchange rate given with --fx.</dd>")
            .Append("<dt>Margin</dt><dd>Each provider states the share of its price that is its margin (upgrade.csv provider_margin_pct); the amounts are over the ")
            .Append(p.Months.ToString(CultureInfo.InvariantCulture)).Append("-month view: one-time price + ").Append(p.Months.ToString(CultureInfo.InvariantCulture)).Append(" × monthly price.</dd>")
            .Append("</dl></footer></section>\n");
        return Page(fig.Data.Brand, $"{fig.Data.Brand.Name}: savings-funded upgrade proposal", "Upgrade proposal", ReportHtml.Meta(fig, generated), b.ToString());
    }

    private static void Kpi(StringBuilder b, string key, string label, decimal value, Tem.Core.CurrencyCode c, string note) =>
        b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"><div class=\"kpi-label\">{E(label)}</div><div class=\"kpi-value\" data-kpi=\"{key}\" data-value=\"{Exact(value)}\"><span class=\"ccy\">{c.Code}</span>{Money(value)}</div><div class=\"kpi-break\">{E(note)}</div></div>\n");

    private static void CashSection(StringBuilder b, ProposalModel p)
    {
        var c = p.Currency;
        var cash = p.Cash;
        var labels = Enumerable.Range(1, p.Months).Select(m => "M" + m.ToString(CultureInfo.InvariantCulture)).ToList();
        int? highlight = cash.PaybackMonth is { } pm && pm <= p.Months ? pm - 1 : null;
        b.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>{p.Months}-month cash view</h2>\n<p class=\"note\">Cumulative cash in {c.Code}: recoveries and savings in, the upgrade's costs out.</p>\n<figure><figcaption>Cumulative cash by month ({c.Code})</figcaption>")
            .Append(Charts.Charts.Bar("cash-view", $"Cumulative cash by month ({c.Code})", labels, cash.Cumulative, Palette.Saving, Palette.Increase,
                highlight, highlight is null ? null : "payback", 6, 900, 300))
            .Append("</figure>\n<table data-table=\"cash-years\">\n<thead><tr><th>Year</th><th class=\"num\">Recoveries and savings</th><th class=\"num\">Upgrade cost</th><th class=\"num\">Net</th><th class=\"num\">Cumulative</th></tr></thead>\n<tbody>\n");
        for (var year = 1; year <= (p.Months + 11) / 12; year++)
        {
            var months = Math.Min(12, p.Months - ((year - 1) * 12));
            var inflow = (months * p.FoundMonthly) + (year == 1 ? p.FoundOneTime : 0);
            var outflow = (months * p.UpgradeMonthly) + (year == 1 ? p.UpgradeOneTime : 0);
            b.Append(CultureInfo.InvariantCulture, $"<tr><td>Year {year}</td>").Append(MoneyCell(inflow)).Append(MoneyCell(outflow)).Append(MoneyCell(inflow - outflow))
                .Append(MoneyCell(cash.Cumulative[((year - 1) * 12) + months - 1])).Append("</tr>\n");
        }

        b.Append("</tbody></table>\n</section>\n");
    }

    private static void Split(StringBuilder b, ProposalModel p, string brandColor)
    {
        var c = p.Currency;
        b.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>Who earns what</h2>\n<p class=\"note\">Every provider's role, price and margin, so that each party sees the others' share. Over {p.Months} months, in {c.Code}.</p>\n")
            .Append("<figure><figcaption>Price over the view: provider cost and margin</figcaption>")
            .Append(Charts.Charts.HorizontalBar("provider-split", "Provider cost and margin", [.. p.Shares.Select(s => new BarCategory(s.ProviderName, [s.Value - s.Margin, s.Margin]))],
                [new BarSegment("cost", brandColor), new BarSegment("margin", Palette.Series[1])], 900))
            .Append("</figure>\n<table data-table=\"provider-split\">\n<thead><tr><th>Provider</th><th>Role</th><th>Supplies</th><th class=\"num\">One-time</th><th class=\"num\">Monthly</th>")
            .Append(CultureInfo.InvariantCulture, $"<th class=\"num\">{p.Months}-month price</th><th class=\"num\">Margin %</th><th class=\"num\">Margin</th><th class=\"num\">Share of all margin</th></tr></thead>\n<tbody>\n");
        var allMargin = p.Shares.Sum(s => s.Margin);
        foreach (var s in p.Shares)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr data-provider=\"{E(s.Provider)}\"><td>{E(s.ProviderName)}<span class=\"sub\">{E(s.Provider)}</span></td><td><span class=\"tag\">{E(s.Role)}</span></td><td>{string.Join("<br>", s.Items.Select(E))}</td>")
                .Append(MoneyCell(s.OneTime)).Append(MoneyCell(s.Monthly)).Append(MoneyCell(s.Value))
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Pct(s.MarginPct)}</td>").Append(MoneyCell(s.Margin))
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(allMargin == 0 ? "-" : Pct(s.Margin / allMargin))}</td></tr>\n");
        }

        var value = p.Shares.Sum(s => s.Value);
        b.Append("<tr class=\"total\"><td colspan=\"3\">Total</td>").Append(MoneyCell(p.UpgradeOneTime)).Append(MoneyCell(p.UpgradeMonthly)).Append(MoneyCell(value))
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(value == 0 ? "-" : Pct(allMargin / value))}</td>").Append(MoneyCell(allMargin)).Append("<td class=\"num\">100.0%</td></tr>\n</tbody></table>\n</section>\n");
    }

    private static void Funding(StringBuilder b, ProposalModel p)
    {
        b.Append("<section>\n<h2>Found money counted</h2>\n<table data-table=\"funding\">\n<thead><tr><th>Currency</th><th class=\"num\">One-time</th><th class=\"num\">Monthly</th><th class=\"num\">Rate</th>")
            .Append(CultureInfo.InvariantCulture, $"<th class=\"num\">One-time in {p.Currency.Code}</th><th class=\"num\">Monthly in {p.Currency.Code}</th></tr></thead>\n<tbody>\n");
        foreach (var f in p.Funding)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr data-currency=\"{f.Currency.Code}\"><td>{f.Currency.Code}</td>").Append(MoneyCell(f.OneTime)).Append(MoneyCell(f.Monthly));
            if (f.Rate is { } r)
            {
                b.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{r.ToString("0.######", CultureInfo.InvariantCulture)}</td>").Append(MoneyCell(f.OneTime * r)).Append(MoneyCell(f.Monthly * r));
            }
            else
            {
                b.Append("<td class=\"num\">none</td><td class=\"num\" colspan=\"2\">not counted</td>");
            }

            b.Append("</tr>\n");
        }

        b.Append("<tr class=\"total\"><td>Counted</td><td></td><td></td><td></td>").Append(MoneyCell(p.FoundOneTime)).Append(MoneyCell(p.FoundMonthly)).Append("</tr>\n</tbody></table>\n</section>\n");
    }
}
