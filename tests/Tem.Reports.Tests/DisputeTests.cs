using System.Globalization;
using System.Text.RegularExpressions;

namespace Tem.Reports.Tests;

/// <summary>disputes/&lt;carrier&gt;.csv and the letters: every claimable finding, its invoice lines and evidence, addressed from the bill-to party.</summary>
[Collection(SampleReportCollection.Name)]
public sealed partial class DisputeTests(SampleReportFixture fx)
{
    private const string Claimable = "recommended_action = 'dispute' AND status IN ('open', 'submitted', 'partially_credited') AND one_time_amount > 0";

    [Fact]
    public void DisputeCsv_PerCarrier_HoldsEveryDisputeFindingOfThatCarrierAndNoOther()
    {
        var carriers = fx.Sql("SELECT DISTINCT carrier FROM findings WHERE " + Claimable).Select(r => (string)r[0]!).ToList();
        Assert.Equal(3, carriers.Count);
        Assert.Equal(carriers.Select(c => c + ".csv").Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(fx.Out, "disputes"), "*.csv").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var carrier in carriers)
        {
            var expected = fx.Sql($"SELECT finding_id, one_time_amount, evidence, bill_to_id FROM findings WHERE carrier = '{carrier}' AND {Claimable}")
                .ToDictionary(r => (string)r[0]!);
            var rows = Read.Csv(Path.Combine(fx.Out, "disputes", carrier + ".csv"));
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Select(r => r["finding_id"]!).Order(StringComparer.Ordinal));
            foreach (var row in rows)
            {
                var e = expected[row["finding_id"]!];
                Assert.Equal(carrier, row["carrier"]);
                Assert.Equal(Read.Dec(e[1]), decimal.Parse(row["amount_claimed"]!, CultureInfo.InvariantCulture));
                Assert.Equal(e[2], row["evidence"]);
                Assert.Equal(e[3], row["bill_to_id"]);
            }
        }
    }

    [Fact]
    public void DisputeCsv_StatusDecidesTheClaim_RejectedLeftOut_DisputedKept()
    {
        var all = Directory.GetFiles(Path.Combine(fx.Out, "disputes"), "*.csv").SelectMany(Read.Csv).ToList();
        Assert.DoesNotContain(all, r => r["finding_id"] == fx.Rejected || r["finding_id"] == fx.Credited);
        Assert.Equal("submitted", Assert.Single(all, r => r["finding_id"] == fx.Submitted)["status"]);
    }

    [Fact]
    public void DisputeCsv_InvoiceLines_FromEvidenceOrTheServicesUsageLines()
    {
        var rows = Directory.GetFiles(Path.Combine(fx.Out, "disputes"), "*.csv").SelectMany(Read.Csv).ToDictionary(r => r["finding_id"]!);

        // A recurring charge billed twice: both invoice lines are named.
        var duplicate = fx.Sql("SELECT finding_id, evidence FROM findings WHERE rule = 'duplicate_recurring' AND account_id = '0551004417'")[0];
        Assert.Equal("NW-0551004417-202608#1; NW-0551004417-202608#2", rows[(string)duplicate[0]!]["invoice_lines"]);
        Assert.Equal("NW-0551004417-202608", rows[(string)duplicate[0]!]["invoice_id"]);

        // An overcharged call names usage records: the claim points at the invoice's usage lines for that service and month.
        foreach (var f in fx.Sql("SELECT finding_id, carrier, account_id, service_id, period FROM findings WHERE rule = 'rate_overcharge'"))
        {
            var lines = fx.Sql($"""
                SELECT string_agg(invoice_id || '#' || line_no::VARCHAR, '; ' ORDER BY invoice_id, line_no) FROM charges
                WHERE charge_type = 'usage' AND carrier = '{f[1]}' AND account_id = '{f[2]}' AND service_id = '{f[3]}' AND month = '{f[4]}'
                """)[0][0];
            Assert.NotNull(lines);
            Assert.Equal(lines, rows[(string)f[0]!]["invoice_lines"]);
        }
    }

    [Fact]
    public void DisputeLetter_PerBillToParty_AddressedFromItToTheCarrier_ClaimsItsItems()
    {
        var claims = fx.Sql($"""
            SELECT f.carrier, f.bill_to_id, p.name, list(f.finding_id), sum(f.one_time_amount), f.currency
            FROM findings f JOIN parties p ON p.party_id = f.bill_to_id WHERE {Claimable} GROUP BY ALL
            """);
        var letters = Directory.GetFiles(Path.Combine(fx.Out, "disputes"), "*.html");
        Assert.Equal(claims.Count, letters.Length);
        foreach (var c in claims)
        {
            var html = File.ReadAllText(Path.Combine(fx.Out, "disputes", $"{c[0]}-{c[1]}.html"));
            var from = html[html.IndexOf(">From<", StringComparison.Ordinal)..html.IndexOf(">To<", StringComparison.Ordinal)];
            var to = html[html.IndexOf(">To<", StringComparison.Ordinal)..html.IndexOf(">Date<", StringComparison.Ordinal)];
            Assert.Contains(System.Net.WebUtility.HtmlEncode((string)c[2]!), from, StringComparison.Ordinal);
            Assert.Contains($"<strong><bdi>{c[0]}</bdi></strong>", to, StringComparison.Ordinal);
            var ids = ((System.Collections.IEnumerable)c[3]!).Cast<string>().Order(StringComparer.Ordinal).ToList();
            Assert.Equal(ids, ItemIds().Matches(html).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
            var total = Assert.Single(ClaimedTotal().Matches(html));
            Assert.Equal((string)c[5]!, total.Groups[1].Value);
            Assert.Equal(Read.Dec(c[4]), decimal.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Contains("15 October 2026", html, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<tr data-finding=\"([0-9a-f]+)\">")]
    private static partial Regex ItemIds();

    [GeneratedRegex("data-total=\"claimed\" data-currency=\"([A-Z]{3})\" data-value=\"([0-9.]+)\"")]
    private static partial Regex ClaimedTotal();
}
