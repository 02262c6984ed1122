using System.Globalization;
using System.Text;
using Tem.Reports.Query;
using static Tem.Reports.Html.HtmlKit;

namespace Tem.Reports.Html;

/// <summary>A dispute letter from a bill-to party to a carrier, listing every claimed item with its invoice line and evidence.</summary>
internal static class DisputeLetterHtml
{
    public static string Render(ReportData data, string carrier, string? billToId, IReadOnlyList<DisputeItem> items, DateTimeOffset generated)
    {
        var from = billToId is not null && data.Parties.TryGetValue(billToId, out var party) ? party : null;
        var fromName = from?.Name ?? (billToId ?? "The account holder");
        var accounts = items.Select(i => i.Item.Finding.AccountId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var totals = items.GroupBy(i => i.Item.Finding.Currency).OrderBy(g => g.Key).Select(g => (Currency: g.Key, Amount: g.Sum(i => i.Claimed))).ToList();
        var totalText = string.Join(" and ", totals.Select(t => MoneyWithCode(t.Amount, t.Currency)));
        var customers = items.Select(i => i.Item.Finding.CustomerId).OfType<string>().Where(c => c != billToId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var date = generated.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

        var b = new StringBuilder();
        b.Append("<section class=\"letter\">\n<div class=\"addresses\"><div><div class=\"label\">From</div><strong>").Append(E(fromName)).Append("</strong>");
        if (billToId is not null)
        {
            b.Append("<span class=\"sub\">Invoiced on the accounts below</span>");
        }

        b.Append("</div><div><div class=\"label\">To</div><strong>").Append(E(carrier)).Append("</strong><span class=\"sub\">Billing disputes</span></div>")
            .Append("<div><div class=\"label\">Date</div>").Append(E(date)).Append("</div></div>\n")
            .Append("<h1>Billing dispute: ").Append(E(totalText)).Append("</h1>\n")
            .Append("<p class=\"lede\">Account").Append(accounts.Count == 1 ? " " : "s ").Append(E(string.Join(", ", accounts)));
        if (customers.Count > 0)
        {
            b.Append(" &middot; services used by ").Append(E(string.Join(", ", customers.Select(data.PartyName))));
        }

        b.Append("</p>\n<p>Dear ").Append(E(carrier)).Append(" billing team,</p>\n")
            .Append("<p>We have audited the invoices you issued for the account").Append(accounts.Count == 1 ? string.Empty : "s")
            .Append(" above against our contract, our inventory and your own usage records. The charges below do not agree with them. We dispute them and ask you to credit ")
            .Append("<strong>").Append(E(totalText)).Append("</strong> on your next invoice, or to explain each item in writing within 30 days of this letter.</p>\n")
            .Append("<table data-table=\"dispute-items\">\n<thead><tr><th>#</th><th>Account / service</th><th>Invoice line</th><th>Period</th><th>Issue and evidence</th><th class=\"num\">Claimed</th></tr></thead>\n<tbody>\n");
        var n = 0;
        foreach (var item in items)
        {
            var f = item.Item.Finding;
            n++;
            b.Append(CultureInfo.InvariantCulture, $"<tr data-finding=\"{E(f.FindingId)}\"><td>{n}</td><td>{E(f.AccountId)}<span class=\"sub\">{E(f.ServiceId ?? "account level")}</span></td>")
                .Append("<td>").Append(item.InvoiceLines.Count == 0 ? "<span class=\"sub\">not on any invoice</span>" : string.Join("<br>", item.InvoiceLines.Take(6).Select(E)))
                .Append(item.InvoiceLines.Count > 6 ? $"<span class=\"sub\">+{item.InvoiceLines.Count - 6} more</span>" : string.Empty).Append("</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{f.Period}</td><td><strong>{E(f.Title)}</strong><span class=\"sub\">{E(f.Detail)}</span><span class=\"evidence\">{E(ClientText.Evidence(f.Evidence))}</span><span class=\"sub\">Reference {E(f.FindingId[..Math.Min(12, f.FindingId.Length)])}{(item.Item.Dispute.Reference is { } caseRef ? $"; your case {E(caseRef)}, submitted {item.Item.Dispute.SubmittedOn:yyyy-MM-dd}, still open" : string.Empty)}</span></td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-currency=\"{f.Currency.Code}\" data-value=\"{Exact(item.Claimed)}\">{MoneyWithCode(item.Claimed, f.Currency)}</td></tr>\n");
        }

        foreach (var (currency, amount) in totals)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr class=\"total\"><td colspan=\"5\">Total claimed</td><td class=\"num\" data-total=\"claimed\" data-currency=\"{currency.Code}\" data-value=\"{Exact(amount)}\">{MoneyWithCode(amount, currency)}</td></tr>\n");
        }

        b.Append("</tbody></table>\n")
            .Append("<p>The evidence names the lines of your invoices and the usage records each item rests on. The same items come with this letter as a spreadsheet, one row per item with its reference")
            .Append(billToId is null ? string.Empty : ", invoiced to " + E(fromName))
            .Append(", for your systems. Please quote the reference of each item in your reply.</p>\n")
            .Append("<p>Yours faithfully,</p>\n<p class=\"signature\"><strong>").Append(E(fromName)).Append("</strong></p>\n</section>\n");

        var brand = new Brand(fromName, ReportDataLoader.ColorOr(from?.BrandColor, ReportDataLoader.DefaultColor), null, billToId);
        return Page(brand, $"Billing dispute: {carrier}, {fromName}", "Billing dispute", [$"To {E(carrier)}", E(date)], b.ToString(), LetterCss);
    }

    private const string LetterCss = """
        .letter { max-width: 860px; margin: 0 auto; }
        .addresses { display: grid; grid-template-columns: 1fr 1fr auto; gap: 18px; margin-bottom: 18px; }
        .addresses .label { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #6B7785; }
        .letter h1 { font-size: 21px; }
        .signature { margin-top: 28px; }
        @media print { .letter { max-width: none; } }

        """;
}
