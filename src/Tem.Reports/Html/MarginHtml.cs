using Tem.Lake;
using System.Globalization;
using System.Text;
using Tem.Audit;
using Tem.Reports.Files;
using Tem.Reports.Query;
using static Tem.Reports.Html.HtmlKit;

namespace Tem.Reports.Html;

/// <summary>margin.html: per reseller, carrier cost against resale billing per customer and service, and the leakage findings.</summary>
internal static class MarginHtml
{
    public static string Render(ReportFigures fig, MarginReport report, DateTimeOffset generated)
    {
        var d = fig.Data;
        var b = new StringBuilder();
        b.Append("<section>\n<h1>Reseller margins</h1>\n<p class=\"lede\">What each reseller pays the carriers against what it bills its customers, per customer and service, over the billing months in the lake. ")
            .Append("Carrier cost is every invoice line of the accounts invoiced to the reseller, taxes excluded (passed through), credits netted; resale is what the reseller bills its customers. Margin % = (resale − cost) / resale.</p>\n</section>\n");
        foreach (var reseller in report.Lines.GroupBy(l => l.ResellerId))
        {
            b.Append(CultureInfo.InvariantCulture, $"<section data-reseller=\"{E(reseller.Key)}\">\n<h2>{E(d.PartyName(reseller.Key))} <span class=\"note\">{E(reseller.Key)}</span></h2>\n");
            foreach (var currency in reseller.GroupBy(l => l.Currency))
            {
                var cost = currency.Sum(l => l.CarrierCost);
                var resale = currency.Sum(l => l.Resale);
                b.Append(CultureInfo.InvariantCulture, $"<h3>{currency.Key.Code}</h3>\n<table data-table=\"margin\" data-currency=\"{currency.Key.Code}\">\n<thead><tr><th>Customer</th><th>Service</th><th class=\"num\">Months</th><th class=\"num\">Carrier cost</th><th class=\"num\">Resale</th><th class=\"num\">Margin</th><th class=\"num\">Margin %</th><th>Flags</th></tr></thead>\n<tbody>\n");
                foreach (var l in currency)
                {
                    var flags = new List<string>();
                    if (l.UnbilledMonths > 0)
                    {
                        flags.Add($"<span class=\"tag medium\">unbilled {l.UnbilledMonths} mo</span>");
                    }

                    if (l.BelowCostMonths > 0)
                    {
                        flags.Add($"<span class=\"tag high\">below cost {l.BelowCostMonths} mo</span>");
                    }

                    b.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(d.PartyName(l.CustomerId))}</td><td>{E(l.ServiceId ?? MarginReport.AccountLevelLabel)}<span class=\"sub\">{E(l.Carrier ?? "-")} {E(l.AccountId ?? string.Empty)}</span></td><td class=\"num\">{l.Months}</td>")
                        .Append(MoneyCell(l.CarrierCost, currency.Key)).Append(MoneyCell(l.Resale, currency.Key)).Append(MoneyCell(l.Margin, currency.Key, l.Margin < 0 ? "neg" : null))
                        .Append(CultureInfo.InvariantCulture, $"<td class=\"num{(l.Margin < 0 ? " neg" : string.Empty)}\">{Pct(l.MarginPct)}</td><td>{string.Join(' ', flags)}</td></tr>\n");
                }

                b.Append("<tr class=\"total\"><td colspan=\"3\">Total</td>").Append(MoneyCell(cost, currency.Key)).Append(MoneyCell(resale, currency.Key)).Append(MoneyCell(resale - cost, currency.Key))
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(resale == 0 ? "-" : Pct((resale - cost) / resale))}</td><td></td></tr>\n</tbody></table>\n");
            }

            Findings(b, d, "Unbilled resale (revenue to bill)", report.Unbilled.Where(f => f.Finding.ResellerId == reseller.Key).ToList(), "unbilled");
            Findings(b, d, "Resold below cost (monthly shortfall)", report.BelowCost.Where(f => f.Finding.ResellerId == reseller.Key).ToList(), "below-cost");
            b.Append("</section>\n");
        }

        return Page(d.Brand, $"{d.Brand.Name}: reseller margins", "Margin report", ReportHtml.Meta(fig, generated), b.ToString());
    }

    private static void Findings(StringBuilder b, ReportData d, string title, List<StoredFinding> findings, string kind)
    {
        if (findings.Count == 0)
        {
            return;
        }

        b.Append("<h3>").Append(E(title)).Append(CultureInfo.InvariantCulture, $"</h3>\n<table data-table=\"{kind}\">\n<thead><tr><th>Customer</th><th>Service</th><th>Period</th><th>Detail</th><th class=\"num\">One-time</th><th class=\"num\">Monthly</th><th>Currency</th></tr></thead>\n<tbody>\n");
        foreach (var s in findings)
        {
            var f = s.Finding;
            b.Append(CultureInfo.InvariantCulture, $"<tr data-finding=\"{E(f.FindingId)}\"><td>{E(d.PartyName(f.CustomerId))}</td><td>{E(f.ServiceId ?? "-")}<span class=\"sub\">{E(f.Carrier)} {E(f.AccountId)}</span></td><td>{f.Period}</td><td>{E(f.Detail)}<span class=\"evidence\">{E(ClientText.Evidence(f.Evidence))}</span></td>")
                .Append(MoneyCell(f.OneTimeAmount, f.Currency)).Append(MoneyCell(f.MonthlySavings, f.Currency)).Append(CultureInfo.InvariantCulture, $"<td>{f.Currency.Code}</td></tr>\n");
        }

        b.Append("</tbody></table>\n");
    }
}
