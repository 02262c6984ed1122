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
    public static string Render(ReportFigures fig, ProposalModel p, DateTimeOffset generated, Appendix? appendix)
    {
        var c = p.Currency;
        var cash = p.Cash;
        var b = new StringBuilder();
        var d = fig.Data;
        var title = p.DealId is null ? "Savings-funded upgrade proposal" : $"Savings-funded upgrade proposal: {p.DealId}";
        b.Append("<section>\n<h1>").Append(E(title)).Append("</h1>\n<p class=\"lede\">")
            .Append(p.CustomerId is null ? string.Empty : $"For {E(d.PartyName(p.CustomerId))}. ")
            .Append("What the audit validated and the spend the upgrade retires, set against what it costs: ")
            .Append(E(string.Join(", ", p.Items.Select(i => i.Item)))).Append(". Prices in ").Append(c.Code)
            .Append(p.CurrencyGiven ? "." : " (the deal states no currency: the currency most accounts are billed in).")
            .Append("</p>\n<div class=\"kpis\">\n");
        Kpi(b, "upgrade-one-time", "Upgrade, one-time", p.UpgradeOneTime, c, $"plus {MoneyWithCode(p.UpgradeMonthly, c)} a month of new spend");
        Kpi(b, "retired-monthly", "Current spend retired", p.RetiredMonthly, c, $"a month, {p.Retired.Count} service{(p.Retired.Count == 1 ? string.Empty : "s")} replaced");
        Kpi(b, "found-one-time", "Validated found money, one-time", p.FoundOneTime, c, $"plus {MoneyWithCode(p.FoundMonthly, c)} a month of validated savings");
        var change = cash.NetMonthlyChange;
        b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"><div class=\"kpi-label\">Net monthly change</div><div class=\"kpi-value {(change > 0 ? "neg" : "pos")}\" data-kpi=\"net-monthly-change\" data-value=\"{Exact(change)}\"><span class=\"ccy\">{c.Code}</span>{(change > 0 ? "+" : change < 0 ? "−" : string.Empty)}{Money(Math.Abs(change), c)}</div><div class=\"kpi-break\">{(change > 0 ? "more" : "less")} a month than today: new spend less the spend retired and the savings</div></div>\n");
        var payback = cash.PaybackMonth is { } month ? "month " + month.ToString(CultureInfo.InvariantCulture) : "never";
        var paybackNote = cash.PaybackMonth switch
        {
            null when cash.FundedMonths > 0 => $"validated recoveries fund the first {cash.FundedMonths} month{(cash.FundedMonths == 1 ? string.Empty : "s")}; then the monthly cost exceeds the spend retired and the savings",
            null => "the spend retired and the monthly savings do not cover the monthly cost",
            1 => "the validated recoveries cover the one-time cost at once",
            { } m when m > p.Months => $"beyond the {p.Months}-month view",
            _ => "cumulative cash turns positive and stays so",
        };
        b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"><div class=\"kpi-label\">Payback</div><div class=\"kpi-value\" data-kpi=\"payback-month\" data-value=\"{(cash.PaybackMonth?.ToString(CultureInfo.InvariantCulture) ?? "never")}\">{payback}</div><div class=\"kpi-break\">{E(paybackNote)}</div></div>\n")
            .Append("</div>\n</section>\n");

        CashSection(b, p);
        Retired(b, p, d);
        Split(b, p, d);
        Funding(b, p);
        b.Append("<section><footer class=\"defs\"><h2>How the numbers are made</h2><dl>")
            .Append("<dt>Cash view</dt><dd>Cumulative cash at the end of month m = (validated one-time recoveries − one-time cost) + m × (spend retired + validated monthly savings − monthly cost). Month 1 carries both one-time amounts.</dd>")
            .Append("<dt>Payback month</dt><dd>The first month whose cumulative cash is zero or more and stays so.</dd>")
            .Append("<dt>Spend retired</dt><dd>What each service the upgrade replaces (a service the deal lists, or the services the validated findings of a named kind concern) was charged in the latest month its account was billed, one-time charges and credits aside. A retired service's own monthly saving is not counted again.</dd>")
            .Append("<dt>Net monthly change</dt><dd>Monthly cost of the upgrade − spend retired − validated monthly savings: the change in the monthly bill once all are in place.</dd>")
            .Append("<dt>Found money counted</dt><dd>Validated findings only, while open, submitted, partially credited, credited or confirmed. Potential money (to investigate) is shown and never funds the upgrade; a reseller's revenue is not the client's money. Other currencies count only at an exchange rate stated for the proposal.</dd>")
            .Append("<dt>Price, cost and margin</dt><dd>Each party states the share of its price that is its margin (the margin share it states in the deal); its cost is the price less the margin. The amounts are over the ")
            .Append(p.Months.ToString(CultureInfo.InvariantCulture)).Append("-month view: one-time price + ").Append(p.Months.ToString(CultureInfo.InvariantCulture)).Append(" × monthly price.")
            .Append(p.SharesShown.Count == p.Shares.Count ? string.Empty
                : p.SharesShown.Count == 0 ? " This set shows every party's price and no party's cost or margin."
                : $" This set shows every party's price, and a party's cost and margin only for {Whose(d)}; a total of cost or margin is over the parties shown.")
            .Append("</dd>")
            .Append(MoneyDefinitions.Html)
            .Append("</dl></footer></section>\n");
        if (appendix is not null)
        {
            b.Append(appendix.ForProposal(p));
        }

        return Page(d.Brand, $"{d.Brand.Name}: {title}", "Upgrade proposal", ReportHtml.Meta(fig, generated), b.ToString());
    }

    private static void Retired(StringBuilder b, ProposalModel p, ReportData d)
    {
        b.Append("<section>\n<h2>What the upgrade retires</h2>\n");
        if (p.Retired.Count == 0)
        {
            b.Append("<p class=\"note\">The deal lists no service the upgrade replaces, so its monthly cost comes on top of today's spend.</p>\n</section>\n");
            return;
        }

        b.Append(CultureInfo.InvariantCulture, $"<table data-table=\"retired\">\n<thead><tr><th>Service</th><th>Carrier / account</th><th>Why</th><th>Month</th><th class=\"num\">Monthly spend ({p.Currency.Code})</th></tr></thead>\n<tbody>\n");
        foreach (var r in p.Retired)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr data-service=\"{E(r.ServiceId)}\"><td>{E(r.ServiceId)}</td><td>{E(r.Carrier ?? "-")}<span class=\"sub\">{E(r.AccountId ?? "not in the inventory")}</span></td><td>{E(ClientText.Retired(r.Because, d))}</td><td>{(r.Month is { } m ? m.ToString() : "not billed")}</td>")
                .Append(MoneyCell(r.Monthly, p.Currency)).Append("</tr>\n");
        }

        b.Append("<tr class=\"total\"><td colspan=\"4\">Spend retired a month</td>").Append(MoneyCell(p.RetiredMonthly, p.Currency, "retired")).Append("</tr>\n</tbody></table>\n</section>\n");
    }

    private static void Kpi(StringBuilder b, string key, string label, decimal value, Tem.Core.CurrencyCode c, string note) =>
        b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"><div class=\"kpi-label\">{E(label)}</div><div class=\"kpi-value\" data-kpi=\"{key}\" data-value=\"{Exact(value)}\"><span class=\"ccy\">{c.Code}</span>{Money(value, c)}</div><div class=\"kpi-break\">{E(note)}</div></div>\n");

    private static void CashSection(StringBuilder b, ProposalModel p)
    {
        var c = p.Currency;
        var cash = p.Cash;
        b.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>{p.Months}-month cash view</h2>\n<p class=\"note\">Cumulative cash in {c.Code}: validated recoveries, spend retired and savings in, the upgrade's costs out.</p>\n<figure><figcaption>Cumulative cash by month ({c.Code})</figcaption>")
            .Append(ReportCharts.CashView(p).Svg())
            .Append("</figure>\n<table data-table=\"cash-years\">\n<thead><tr><th>Year</th><th class=\"num\">Recoveries, spend retired, savings</th><th class=\"num\">Upgrade cost</th><th class=\"num\">Net</th><th class=\"num\">Cumulative</th></tr></thead>\n<tbody>\n");
        for (var year = 1; year <= (p.Months + 11) / 12; year++)
        {
            var months = Math.Min(12, p.Months - ((year - 1) * 12));
            var inflow = (months * p.MonthlyFunding) + (year == 1 ? p.FoundOneTime : 0);
            var outflow = (months * p.UpgradeMonthly) + (year == 1 ? p.UpgradeOneTime : 0);
            b.Append(CultureInfo.InvariantCulture, $"<tr><td>Year {year}</td>").Append(MoneyCell(inflow, c)).Append(MoneyCell(outflow, c)).Append(MoneyCell(inflow - outflow, c))
                .Append(MoneyCell(cash.Cumulative[((year - 1) * 12) + months - 1], c)).Append("</tr>\n");
        }

        b.Append("</tbody></table>\n</section>\n");
    }

    private static void Split(StringBuilder b, ProposalModel p, ReportData d)
    {
        var c = p.Currency;
        var shown = p.SharesShown;
        var hidden = p.Shares.Count - shown.Count;
        var note = hidden == 0
            ? "Every party's role, price to the client, cost and margin (VAR, integrator, MSP, carriers, TEM provider, and an agent's fee when there is one), so that each sees the others' share."
            : shown.Count == 0
                ? "Every party's role and price to the client (VAR, integrator, MSP, carriers, TEM provider, and an agent's fee when there is one). A party's cost and margin are its own to show: this set shows none."
                : $"Every party's role and price to the client (VAR, integrator, MSP, carriers, TEM provider, and an agent's fee when there is one); cost and margin only for {Whose(d)}, the others' being theirs to show; the totals of cost and margin are over the parties shown.";
        b.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>Who earns what</h2>\n<p class=\"note\">{note} Over {p.Months} months, in {c.Code}.</p>\n");

        var caption = hidden == 0 ? "Price over the view: provider cost and margin" : shown.Count == 0 ? "Price over the view" : "Price over the view: cost and margin where shown";
        b.Append(CultureInfo.InvariantCulture, $"<figure><figcaption>{caption}</figcaption>")
            .Append(ReportCharts.ProviderSplit(p, d).Svg())
            .Append("</figure>\n<table data-table=\"provider-split\">\n<thead><tr><th>Provider</th><th>Role</th><th>Supplies</th><th class=\"num\">One-time</th><th class=\"num\">Monthly</th>")
            .Append(CultureInfo.InvariantCulture, $"<th class=\"num\">{p.Months}-month price</th>");
        if (shown.Count > 0)
        {
            b.Append(CultureInfo.InvariantCulture, $"<th class=\"num\">Cost</th><th class=\"num\">Margin %</th><th class=\"num\">Margin</th><th class=\"num\">{(hidden == 0 ? "Share of all margin" : "Share of the margin shown")}</th>");
        }

        b.Append("</tr></thead>\n<tbody>\n");
        var marginShown = shown.Sum(s => s.Margin!.Value);
        foreach (var s in p.Shares)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr data-provider=\"{E(s.Provider)}\"><td>{E(s.ProviderName)}<span class=\"sub\">{E(s.Provider)}</span></td><td><span class=\"tag\">{E(s.Role)}</span></td><td>{string.Join("<br>", s.Items.Select(E))}</td>")
                .Append(MoneyCell(s.OneTime, c)).Append(MoneyCell(s.Monthly, c)).Append(MoneyCell(s.Value, c));
            if (s.Margin is { } margin)
            {
                b.Append(MoneyCell(s.Cost!.Value, c)).Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Pct(s.MarginPct)}</td>").Append(MoneyCell(margin, c))
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(marginShown == 0 ? "-" : Pct(margin / marginShown))}</td>");
            }
            else if (shown.Count > 0)
            {
                b.Append("<td class=\"num\" colspan=\"4\" data-margin=\"not-shown\">not shown</td>");
            }

            b.Append("</tr>\n");
        }

        var value = p.Shares.Sum(s => s.Value);
        b.Append("<tr class=\"total\"><td colspan=\"3\">Total</td>").Append(MoneyCell(p.UpgradeOneTime, c)).Append(MoneyCell(p.UpgradeMonthly, c)).Append(MoneyCell(value, c));
        if (hidden == 0)
        {
            b.Append(MoneyCell(value - marginShown, c)).Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(value == 0 ? "-" : Pct(marginShown / value))}</td>").Append(MoneyCell(marginShown, c))
                .Append("<td class=\"num\">100.0%</td>");
        }
        else if (shown.Count > 0)
        {
            // A total cost or margin over every party would carry the hidden margins: the totals are the shown parties'.
            var shownValue = shown.Sum(s => s.Value);
            b.Append("<td class=\"num\" colspan=\"4\" data-margin=\"not-shown\">not shown</td></tr>\n")
                .Append(CultureInfo.InvariantCulture, $"<tr class=\"total\" data-total=\"margin-shown\"><td colspan=\"3\">Parties whose cost and margin are shown ({shown.Count} of {p.Shares.Count})</td>")
                .Append(MoneyCell(shown.Sum(s => s.OneTime), c)).Append(MoneyCell(shown.Sum(s => s.Monthly), c)).Append(MoneyCell(shownValue, c)).Append(MoneyCell(shownValue - marginShown, c))
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(shownValue == 0 ? "-" : Pct(marginShown / shownValue))}</td>").Append(MoneyCell(marginShown, c))
                .Append("<td class=\"num\">100.0%</td>");
        }

        b.Append("</tr>\n</tbody></table>\n</section>\n");
    }

    /// <summary>Whose margins a masked set shows, for its notes.</summary>
    private static string Whose(ReportData d) => d.Tenant is { } t ? $"{E(d.PartyName(t))} and the parties below it" : "the parties in scope";

    private static void Funding(StringBuilder b, ProposalModel p)
    {
        b.Append("<section>\n<h2>Found money counted</h2>\n<p class=\"note\">Validated money funds the upgrade; potential money is what an investigation may add, shown and never counted.</p>\n<table data-table=\"funding\">\n<thead><tr><th>Currency</th><th class=\"num\">Validated one-time</th><th class=\"num\">Validated monthly</th><th class=\"num\">Rate</th>")
            .Append(CultureInfo.InvariantCulture, $"<th class=\"num\">One-time in {p.Currency.Code}</th><th class=\"num\">Monthly in {p.Currency.Code}</th><th class=\"num\">Potential one-time</th><th class=\"num\">Potential monthly</th></tr></thead>\n<tbody>\n");
        foreach (var f in p.Funding)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr data-currency=\"{f.Currency.Code}\"><td>{f.Currency.Code}</td>").Append(MoneyCell(f.OneTime, f.Currency)).Append(MoneyCell(f.Monthly, f.Currency));
            if (f.Rate is { } r)
            {
                b.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{r.ToString("0.######", CultureInfo.InvariantCulture)}</td>").Append(MoneyCell(f.OneTime * r, p.Currency)).Append(MoneyCell(f.Monthly * r, p.Currency));
            }
            else
            {
                b.Append("<td class=\"num\">none</td><td class=\"num\" colspan=\"2\">not counted</td>");
            }

            b.Append(MoneyCell(f.PotentialOneTime, f.Currency, "potential")).Append(MoneyCell(f.PotentialMonthly, f.Currency)).Append("</tr>\n");
        }

        b.Append("<tr class=\"total\"><td>Counted</td><td></td><td></td><td></td>").Append(MoneyCell(p.FoundOneTime, p.Currency)).Append(MoneyCell(p.FoundMonthly, p.Currency))
            .Append("<td class=\"num\">not counted</td><td></td></tr>\n</tbody></table>\n</section>\n");
    }
}
