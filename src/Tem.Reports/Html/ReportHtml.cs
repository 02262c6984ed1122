using System.Globalization;
using System.Text;
using Tem.Core;
using Tem.Reports.Charts;
using Tem.Reports.Files;
using Tem.Reports.Query;
using static Tem.Reports.Html.HtmlKit;

namespace Tem.Reports.Html;

/// <summary>
/// report.html: found money per currency (identified and realised), the charts, top findings with their evidence,
/// and breakdowns by carrier, account and cost centre. Self-contained: inline CSS and SVG, no script, no network.
/// </summary>
internal static class ReportHtml
{
    public static string Render(
        ReportFigures fig, DateTimeOffset generated, int topFindings, IReadOnlyList<ContingencyRow> contingency, decimal feePct, int followUpDays, Appendix? appendix)
    {
        var d = fig.Data;
        var b = new StringBuilder();
        Headline(b, fig);
        if (fig.Currencies.Count == 0)
        {
            b.Append("<section><h2>Nothing to report yet</h2><p>No carrier charges or findings for these customers yet: the audit has nothing to show.</p></section>\n");
        }
        else
        {
            CurrencyPanels(b, fig);
            TopFindings(b, fig, topFindings);
            DisputesSection(b, fig, generated, contingency, feePct, followUpDays);
            Breakdowns(b, fig);
        }

        Definitions(b, fig);
        if (appendix is not null)
        {
            b.Append(appendix.ForReport(fig, topFindings));
        }

        return Page(d.Brand, $"{d.Brand.Name}: found money report", "Telecom expense audit", Meta(fig, generated), b.ToString());
    }

    public static IEnumerable<string> Meta(ReportFigures fig, DateTimeOffset generated)
    {
        var d = fig.Data;
        if (d.Tenant is not null)
        {
            yield return $"Prepared by <strong>{E(d.Brand.Name)}</strong>";
        }

        yield return d.Window is { } w ? $"Billing months <strong>{w.First}</strong> to <strong>{w.Latest}</strong>" : "No billing months yet";
        yield return d.Tenant is null
            ? $"All customers ({Int(d.Customers.Count)})"
            : $"{Int(d.Customers.Count)} customer{(d.Customers.Count == 1 ? string.Empty : "s")} of {E(d.PartyName(d.Tenant))}";
        yield return "Generated " + generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
    }

    private static void Headline(StringBuilder b, ReportFigures fig)
    {
        var d = fig.Data;
        b.Append("<section class=\"headline\" id=\"found-money\">\n<h1>Found money</h1>\n<p class=\"lede\">Validated one-time recoveries plus a year of recurring savings (one-time + 12 &times; monthly), per currency: amounts in different currencies are never added together. Potential money (to investigate) and a reseller's own revenue are shown beside it, never in it.");
        if (d.Tenant is not null && d.Customers.Count > 0)
        {
            b.Append(" Customers: ").Append(string.Join(", ", d.Customers.Select(c => E(d.PartyName(c))))).Append('.');
        }

        b.Append("</p>\n<div class=\"kpis\">\n");
        foreach (var c in fig.Currencies)
        {
            var t = fig.TotalOf(c);
            var v = t.Validated;
            var share = v.FoundMoney == 0 ? 0 : t.Realised.Total / v.FoundMoney;
            b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\" data-currency=\"{c.Code}\">")
                .Append("<div class=\"kpi-label\">Validated found money</div>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"kpi-value\" data-kpi=\"found-money\" data-currency=\"{c.Code}\" data-value=\"{Exact(v.FoundMoney)}\"><span class=\"ccy\">{c.Code}</span>{Money(v.FoundMoney, c)}</div>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"kpi-break\"><span data-kpi=\"one-time\" data-currency=\"{c.Code}\" data-value=\"{Exact(v.OneTime)}\">{Money(v.OneTime, c)}</span> one-time + 12 &times; <span data-kpi=\"monthly\" data-currency=\"{c.Code}\" data-value=\"{Exact(v.MonthlySavings)}\">{Money(v.MonthlySavings, c)}</span> a month</div>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"meter\" title=\"realised share\"><span style=\"width:{Math.Round(Math.Clamp(share, 0, 1) * 100, 1).ToString("0.#", CultureInfo.InvariantCulture)}%\"></span></div>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"kpi-foot\">Realised <strong data-kpi=\"realised\" data-currency=\"{c.Code}\" data-value=\"{Exact(t.Realised.Total)}\">{Money(t.Realised.Total, c)}</strong> ({Pct(share)}) &middot; <span data-kpi=\"findings\" data-currency=\"{c.Code}\" data-value=\"{v.Findings}\">{Int(v.Findings)}</span> findings</div>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"kpi-foot\">Potential <span data-kpi=\"potential\" data-currency=\"{c.Code}\" data-value=\"{Exact(t.Potential.FoundMoney)}\">{Money(t.Potential.FoundMoney, c)}</span> to investigate, not counted</div>");
            if (t.Reseller.Findings > 0)
            {
                b.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi-foot\">Reseller revenue <span data-kpi=\"reseller\" data-currency=\"{c.Code}\" data-value=\"{Exact(t.Reseller.FoundMoney)}\">{Money(t.Reseller.FoundMoney, c)}</span>, the reseller's own</div>");
            }

            b.Append("</div>\n");
        }

        b.Append("</div>\n");
        if (fig.Currencies.Count > 0)
        {
            b.Append("<table class=\"totals\" data-table=\"totals\">\n<thead><tr><th>Currency</th><th class=\"num\">Findings</th><th class=\"num\">One-time</th><th class=\"num\">Monthly</th><th class=\"num\">Validated found money</th><th class=\"num\">Submitted</th><th class=\"num\">Realised</th><th class=\"num\">Potential</th><th class=\"num\">Reseller revenue</th><th class=\"num\">Spend in period</th></tr></thead>\n<tbody>\n");
            foreach (var c in fig.Currencies)
            {
                var t = fig.TotalOf(c);
                var status = fig.ByStatus(c);
                decimal Of(params FindingStatus[] s) => status.Where(x => s.Contains(x.Status)).Sum(x => x.FoundMoney);
                b.Append(CultureInfo.InvariantCulture, $"<tr data-currency=\"{c.Code}\"><td>{c.Code}</td><td class=\"num\">{Int(t.Validated.Findings)}</td>")
                    .Append(MoneyCell(t.Validated.OneTime, c)).Append(MoneyCell(t.Validated.MonthlySavings, c)).Append(MoneyCell(t.Validated.FoundMoney, c, "found"))
                    .Append(MoneyCell(Of(FindingStatus.Submitted, FindingStatus.PartiallyCredited), c, "submitted")).Append(MoneyCell(t.Realised.Total, c, "realised"))
                    .Append(MoneyCell(t.Potential.FoundMoney, c, "potential")).Append(MoneyCell(t.Reseller.FoundMoney, c, "reseller"))
                    .Append(MoneyCell(fig.Data.Spend.Where(s => s.Currency == c).Sum(s => s.Amount), c)).Append("</tr>\n");
            }

            b.Append("</tbody></table>\n");
        }

        b.Append("</section>\n");
    }

    /// <summary>
    /// One panel per currency with its four charts: found money by rule, the run rate before and after the monthly
    /// savings, monthly spend per carrier (anomalies ringed), and spend by cost centre.
    /// </summary>
    private static void CurrencyPanels(StringBuilder b, ReportFigures fig)
    {
        var d = fig.Data;
        var charts = ReportCharts.Of(fig);
        foreach (var c in fig.Currencies)
        {
            var carriers = d.Spend.Where(s => s.Currency == c).Select(s => s.Carrier).Distinct().Order(StringComparer.Ordinal).ToList();
            b.Append(CultureInfo.InvariantCulture, $"<section class=\"currency-panel\" id=\"panel-{c.Code}\" data-currency=\"{c.Code}\">\n<h2>{c.Code}")
                .Append(carriers.Count > 0 ? ": " + E(string.Join(", ", carriers)) : string.Empty).Append("</h2>\n<div class=\"charts\">\n");
            Figure(b, c, "Found money by rule", "one-time amount to claim back, and a year of the monthly saving", charts.SavingsByRule(c).Svg());
            if (fig.Latest is { } latest && charts.Waterfall(c) is { } waterfall)
            {
                Figure(b, c, $"Monthly spend {latest} to spend after savings", "the run rate less each rule's monthly saving; one-time recoveries come on top", waterfall.Svg());
            }

            if (charts.SpendTrend(c) is { } trend)
            {
                Figure(b, c, "Monthly spend per carrier", "every invoice line, taxes and credits included; rings mark spend anomaly findings", trend.Svg());
            }

            // The chart shows the largest cost centres and one bar for the rest; the table below lists them all.
            if (charts.CostCentre(c) is { } centres)
            {
                Figure(b, c, "Spend by cost centre", "charges over the period by the cost centre of their service", centres.Svg());
            }

            b.Append("</div>\n</section>\n");
        }
    }

    private static void Figure(StringBuilder b, CurrencyCode c, string caption, string note, string svg) =>
        b.Append(CultureInfo.InvariantCulture, $"<figure data-currency=\"{c.Code}\"><figcaption>{E(caption)}<span class=\"sub\">{E(note)}</span></figcaption>").Append(svg).Append("</figure>\n");

    private static void TopFindings(StringBuilder b, ReportFigures fig, int count)
    {
        var d = fig.Data;
        b.Append("<section class=\"page-break\" id=\"top-findings\">\n<h2>Top findings</h2>\n<p class=\"note\">The largest findings per currency, with the invoice lines and records they rest on. Every finding is in the workbook that comes with this report.</p>\n");
        foreach (var c in fig.Currencies)
        {
            var top = fig.Top(c, count);
            if (top.Count == 0)
            {
                continue;
            }

            b.Append(CultureInfo.InvariantCulture, $"<h3>{c.Code}</h3>\n<table data-table=\"top-findings\" data-currency=\"{c.Code}\">\n<thead><tr><th>Finding and evidence</th><th class=\"where\">Where</th><th class=\"who\">Customer / bill-to</th><th>Period</th><th class=\"num\">One-time</th><th class=\"num\">Monthly</th><th class=\"num\">Found money</th><th>Status</th></tr></thead>\n<tbody>\n");
            foreach (var s in top)
            {
                var f = s.Finding;
                b.Append(CultureInfo.InvariantCulture, $"<tr data-finding=\"{E(f.FindingId)}\"><td><strong>{E(f.Title)}</strong> <span class=\"tag {WireNames.ToWire(f.Severity)}\">{WireNames.ToWire(f.Severity)}</span>")
                    .Append(CultureInfo.InvariantCulture, $"<span class=\"sub\">{E(f.Detail)}</span><span class=\"evidence\">{E(Shorten(ClientText.Evidence(f.Evidence), 220))}</span></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{E(f.Carrier)}<span class=\"sub\">{E(f.AccountId)}</span><span class=\"sub\">{E(f.ServiceId ?? "account level")}</span></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{E(d.PartyName(f.CustomerId))}<span class=\"sub\">{(f.BillToId is not null && f.BillToId == f.CustomerId ? "invoiced directly" : "invoiced to " + E(d.PartyName(f.BillToId)))}</span></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{f.Period}</td>")
                    .Append(MoneyCell(f.OneTimeAmount, f.Currency)).Append(MoneyCell(f.MonthlySavings, f.Currency)).Append(MoneyCell(f.FoundMoney, f.Currency))
                    .Append(CultureInfo.InvariantCulture, $"<td><span class=\"tag {WireNames.ToWire(s.Status)}\">{ClientText.Status(s.Status)}</span><span class=\"sub\">{E(WireNames.ToWire(f.RecommendedAction))}</span></td></tr>\n");
            }

            b.Append("</tbody></table>\n");
        }

        b.Append("</section>\n");
    }

    /// <summary>
    /// Claims by status with amounts claimed, credited and outstanding, the claims overdue for follow-up, and the
    /// realised savings per client and month with the contingency fee.
    /// </summary>
    private static void DisputesSection(
        StringBuilder b, ReportFigures fig, DateTimeOffset generated, IReadOnlyList<ContingencyRow> contingency, decimal feePct, int followUpDays)
    {
        var d = fig.Data;
        var today = DateOnly.FromDateTime(generated.UtcDateTime);
        var claims = d.Findings.Where(f => f.Dispute.SubmittedOn is not null || f.Dispute.AmountCredited > 0 || f.Dispute.ConfirmedFrom is not null).ToList();
        b.Append("<section id=\"disputes\">\n<h2>Disputes and realised savings</h2>\n<p class=\"note\">What was claimed from the carriers, what came back (credits matched from later bills or recorded by hand), and what is waiting.</p>\n");
        if (claims.Count == 0)
        {
            b.Append("<p class=\"note\">No claim has been submitted yet.</p>\n");
        }
        else
        {
            b.Append("<table data-table=\"dispute-status\">\n<thead><tr><th>Status</th><th>Currency</th><th class=\"num\">Claims</th><th class=\"num\">Claimed</th><th class=\"num\">Credited</th><th class=\"num\">Outstanding</th><th class=\"num\">Savings confirmed a month</th></tr></thead>\n<tbody>\n");
            foreach (var g in claims.GroupBy(f => (f.Status, f.Finding.Currency)).OrderBy(g => g.Key.Status).ThenBy(g => g.Key.Currency))
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr data-status=\"{WireNames.ToWire(g.Key.Status)}\" data-currency=\"{g.Key.Currency.Code}\"><td><span class=\"tag {WireNames.ToWire(g.Key.Status)}\">{ClientText.Status(g.Key.Status)}</span></td><td>{g.Key.Currency.Code}</td><td class=\"num\">{Int(g.Count())}</td>")
                    .Append(MoneyCell(g.Sum(f => f.Dispute.AmountClaimed ?? 0m), g.Key.Currency, "claimed")).Append(MoneyCell(g.Sum(f => f.Dispute.AmountCredited), g.Key.Currency, "credited"))
                    .Append(MoneyCell(g.Sum(f => f.Outstanding), g.Key.Currency, "outstanding"))
                    .Append(MoneyCell(g.Sum(f => f.RealisedMonthly), g.Key.Currency, "confirmed")).Append("</tr>\n");
            }

            b.Append("</tbody></table>\n");
            var overdue = claims.Where(f => f.IsOverdue(today, followUpDays))
                .OrderByDescending(f => f.Dispute.DaysWaiting(today)).ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal).ToList();
            b.Append(CultureInfo.InvariantCulture, $"<h3>Overdue for follow-up ({overdue.Count})</h3>\n<p class=\"note\">Claims waiting for the carrier with no news for {followUpDays} days or more on {today:yyyy-MM-dd}.</p>\n");
            if (overdue.Count > 0)
            {
                b.Append("<table data-table=\"overdue\">\n<thead><tr><th>Claim</th><th>Carrier / account</th><th>Reference</th><th>Submitted</th><th class=\"num\">Days waiting</th><th class=\"num\">Outstanding</th></tr></thead>\n<tbody>\n");
                foreach (var f in overdue)
                {
                    b.Append(CultureInfo.InvariantCulture, $"<tr data-finding=\"{E(f.Finding.FindingId)}\"><td>{E(f.Finding.Title)}<span class=\"sub\">{f.Finding.Period}</span></td><td>{E(f.Finding.Carrier)}<span class=\"sub\">{E(f.Finding.AccountId)}</span></td><td>{E(f.Dispute.Reference ?? "-")}</td><td>{f.Dispute.SubmittedOn:yyyy-MM-dd}</td><td class=\"num\">{f.Dispute.DaysWaiting(today)}</td>")
                        .Append(MoneyCell(f.Dispute.Outstanding, f.Finding.Currency)).Append("</tr>\n");
                }

                b.Append("</tbody></table>\n");
            }
        }

        b.Append(CultureInfo.InvariantCulture, $"<h3>Realised savings and contingency fee ({feePct.ToString("0.##", CultureInfo.InvariantCulture)} %)</h3>\n<p class=\"note\">Credits received in the month plus the month's confirmed savings, per client: what the contingency fee is billed on, at the agreed share.</p>\n");
        if (contingency.Count == 0)
        {
            b.Append("<p class=\"note\">Nothing realised yet.</p>\n");
        }
        else
        {
            b.Append("<table data-table=\"contingency\">\n<thead><tr><th>Client</th><th>Month</th><th>Currency</th><th class=\"num\">Credits received</th><th class=\"num\">Savings confirmed</th><th class=\"num\">Realised</th><th class=\"num\">Fee</th></tr></thead>\n<tbody>\n");
            foreach (var r in contingency)
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr data-currency=\"{r.Currency.Code}\"><td>{E(r.CustomerId.Length == 0 ? "-" : d.PartyName(r.CustomerId))}</td><td>{r.Month}</td><td>{r.Currency.Code}</td>")
                    .Append(MoneyCell(r.Credits, r.Currency)).Append(MoneyCell(r.Savings, r.Currency)).Append(MoneyCell(r.Realised, r.Currency, "realised")).Append(MoneyCell(r.Fee, r.Currency, "fee")).Append("</tr>\n");
            }

            b.Append("</tbody></table>\n");
        }

        b.Append("</section>\n");
    }

    private static void Breakdowns(StringBuilder b, ReportFigures fig)
    {
        var d = fig.Data;
        b.Append("<section id=\"by-carrier\">\n<h2>By carrier</h2>\n");
        Table(b, "by-carrier", ["Carrier"], fig.ByCarrier, k => [E(k[0])], true);
        b.Append("</section>\n<section id=\"by-account\">\n<h2>By account</h2>\n<p class=\"note\">The customer is the business the services are for; the bill-to party is the one the carrier invoices.</p>\n");
        Table(b, "by-account", ["Account", "Customer", "Bill-to"], fig.ByAccount, k =>
        {
            var a = d.Account(k[0], k[1]);
            return [$"{E(k[1])}<span class=\"sub\">{E(k[0])}</span>", E(d.PartyName(a?.CustomerId)),
                E(d.PartyName(a?.BillToId)) + (a?.ResellerId is { } r ? $"<span class=\"sub\">reseller {E(d.PartyName(r))}</span>" : string.Empty)];
        }, false);
        b.Append("</section>\n<section id=\"by-cost-centre\">\n<h2>By cost centre</h2>\n");
        Table(b, "by-cost-centre", ["Cost centre"], fig.ByCostCentre, k => [E(k[0])], true);
        b.Append("</section>\n");
    }

    private static void Table(StringBuilder b, string name, string[] heads, IReadOnlyList<Breakdown> rows, Func<IReadOnlyList<string>, string[]> cells, bool totals)
    {
        b.Append(CultureInfo.InvariantCulture, $"<table data-table=\"{name}\">\n<thead><tr>");
        foreach (var h in heads)
        {
            b.Append("<th>").Append(E(h)).Append("</th>");
        }

        b.Append("<th>Currency</th><th class=\"num\">Spend</th><th class=\"num\">Findings</th><th class=\"num\">One-time</th><th class=\"num\">Monthly</th><th class=\"num\">Found money</th><th class=\"num\">Potential</th><th class=\"num\">Realised</th></tr></thead>\n<tbody>\n");
        foreach (var group in rows.GroupBy(r => r.Currency))
        {
            foreach (var r in group)
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr data-currency=\"{r.Currency.Code}\">");
                foreach (var cell in cells(r.Keys))
                {
                    b.Append("<td>").Append(cell).Append("</td>");
                }

                Figures(b, r.Currency, r.Spend, r.Findings, r.OneTime, r.Monthly, r.FoundMoney, r.Potential, r.Realised);
            }

            if (totals && group.Count() > 1)
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr class=\"total\" data-currency=\"{group.Key.Code}\"><td colspan=\"{heads.Length}\">Total {group.Key.Code}</td>");
                Figures(b, group.Key, group.Sum(r => r.Spend), group.Sum(r => r.Findings), group.Sum(r => r.OneTime), group.Sum(r => r.Monthly), group.Sum(r => r.FoundMoney), group.Sum(r => r.Potential), group.Sum(r => r.Realised));
            }
        }

        b.Append("</tbody></table>\n");
    }

    private static void Figures(StringBuilder b, CurrencyCode c, decimal spend, int findings, decimal oneTime, decimal monthly, decimal found, decimal potential, decimal realised)
    {
        b.Append("<td>").Append(c.Code).Append("</td>").Append(MoneyCell(spend, c))
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Int(findings)}</td>")
            .Append(MoneyCell(oneTime, c)).Append(MoneyCell(monthly, c)).Append(MoneyCell(found, c, "found"))
            .Append(MoneyCell(potential, c, "potential")).Append(MoneyCell(realised, c, "realised")).Append("</tr>\n");
    }

    private static void Definitions(StringBuilder b, ReportFigures fig)
    {
        b.Append("<section><footer class=\"defs\"><h2>How to read this report</h2><dl>")
            .Append(MoneyDefinitions.Html)
            .Append("<dt>Submitted</dt><dd>In the totals table: the found money of findings claimed from the carrier and not yet answered in full (submitted or partially credited). In the disputes table, claimed is the amount the claims ask for and outstanding what the carrier still owes on them.</dd>")
            .Append("<dt>Spend</dt><dd>Every carrier invoice line in the period, taxes and credits included.</dd>")
            .Append("<dt>Amounts</dt><dd>In each currency's minor units (cents for EUR, USD and GBP, whole yen for JPY), rounded half away from zero; the workbook holds the exact amounts.</dd>")
            .Append("<dt>With this report</dt><dd>The workbook (every finding with its evidence, and the same numbers), a claim letter to each carrier per party it invoices, ")
            .Append(fig.Data.Upgrade.Count > 0 ? "a savings-funded upgrade proposal per deal, " : string.Empty)
            .Append("the realised savings per client and month with the fee")
            .Append(fig.Data.Margin.Count > 0 ? ", the reseller margins" : string.Empty)
            .Append(fig.Data.Channel.HasSellerData ? ", the channel view (MRR, churn, retention and profit per reseller, customer and distributor)" : string.Empty)
            .Append(".</dd></dl></footer></section>\n");
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
