using System.Globalization;

namespace Tem.Reports.Tests;

/// <summary>The margin report per reseller: carrier cost against resale billing, and the leakage findings.</summary>
[Collection(SampleReportCollection.Name)]
public sealed class MarginTests(SampleReportFixture fx)
{
    [Fact]
    public void MarginCsv_PerResellerAndCurrency_CostAndResaleEqualTheLake()
    {
        var rows = Read.Csv(Path.Combine(fx.Out, "margin.csv"));
        var cost = fx.Sql("""
            SELECT a.reseller_id, c.currency, sum(c.amount) FROM charges c JOIN accounts a ON a.account_id = c.account_id AND a.carrier = c.carrier
            WHERE a.reseller_id IS NOT NULL AND a.bill_to_id = a.reseller_id AND c.charge_type <> 'tax' GROUP BY ALL
            """);
        var resale = fx.Sql("SELECT reseller_id, currency, sum(amount) FROM resale GROUP BY ALL");
        Assert.Equal(2, cost.Count);
        foreach (var c in cost)
        {
            var mine = rows.Where(r => r["reseller_id"] == (string)c[0]! && r["currency"] == (string)c[1]!).ToList();
            Assert.Equal(Read.Dec(c[2]), mine.Sum(r => decimal.Parse(r["carrier_cost"]!, CultureInfo.InvariantCulture)));
        }

        foreach (var s in resale)
        {
            var mine = rows.Where(r => r["reseller_id"] == (string)s[0]! && r["currency"] == (string)s[1]!).ToList();
            Assert.Equal(Read.Dec(s[2]), mine.Sum(r => decimal.Parse(r["resale"]!, CultureInfo.InvariantCulture)));
        }

        Assert.All(rows, r => Assert.Equal(
            decimal.Parse(r["resale"]!, CultureInfo.InvariantCulture) - decimal.Parse(r["carrier_cost"]!, CultureInfo.InvariantCulture),
            decimal.Parse(r["margin"]!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void MarginCsv_ServiceResoldBelowCostEveryMonth_FlaggedWithItsMonthsAndNegativeMargin()
    {
        var below = fx.Sql("""
            SELECT r.service_id, count(*) FROM resale r
            JOIN (SELECT service_id, month, sum(amount) AS cost FROM charges WHERE charge_type <> 'tax' AND service_id IS NOT NULL GROUP BY ALL) c
              ON c.service_id = r.service_id AND c.month = r.period
            WHERE r.amount < c.cost GROUP BY ALL
            """);
        Assert.NotEmpty(below);
        var rows = Read.Csv(Path.Combine(fx.Out, "margin.csv"));
        foreach (var b in below)
        {
            var row = Assert.Single(rows, r => r["service_id"] == (string)b[0]!);
            Assert.Equal(Convert.ToInt32(b[1], CultureInfo.InvariantCulture), int.Parse(row["below_cost_months"]!, CultureInfo.InvariantCulture));
        }

        var unbilled = fx.Sql("SELECT service_id FROM findings WHERE rule = 'unbilled_resale'").Select(r => (string)r[0]!).ToList();
        Assert.All(unbilled, s => Assert.Equal("1", Assert.Single(rows, r => r["service_id"] == s)["unbilled_months"]));
    }

    [Fact]
    public void MarginHtml_ListsEveryLeakageAndBelowCostFindingUnderItsReseller()
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, "margin.html"));
        foreach (var f in fx.Sql("SELECT finding_id, reseller_id, rule FROM findings WHERE rule IN ('unbilled_resale', 'resold_below_cost')"))
        {
            var section = html[html.IndexOf($"<section data-reseller=\"{f[1]}\">", StringComparison.Ordinal)..];
            section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
            Assert.Contains($"<tr data-finding=\"{f[0]}\">", section, StringComparison.Ordinal);
        }

        // A dealer sees its own margins only.
        var summit = File.ReadAllText(Path.Combine(fx.Out, "tenants", "DLR-02", "margin.html"));
        Assert.Contains("data-reseller=\"DLR-02\"", summit, StringComparison.Ordinal);
        Assert.DoesNotContain("data-reseller=\"DLR-01\"", summit, StringComparison.Ordinal);
    }
}
