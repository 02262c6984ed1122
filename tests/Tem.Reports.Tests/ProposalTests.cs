using System.Globalization;
using System.Text.RegularExpressions;
using Tem.Reports.Files;

namespace Tem.Reports.Tests;

/// <summary>The savings-funded proposal: payback and cash view on hand-made cases, and the sample's proposal.html against upgrade.csv.</summary>
[Collection(SampleReportCollection.Name)]
public sealed partial class ProposalTests(SampleReportFixture fx)
{
    [Fact]
    public void Cash_RecoveriesShortOfOneTimeCost_PaysBackInTheMonthTheSavingsCloseTheGap()
    {
        // 1000 recovered against 4000 one-time: 3000 to make up at 500 - 200 = 300 a month, i.e. 10 months.
        var cash = Proposal.Cash(1000m, 500m, 4000m, 200m, 36);
        Assert.Equal(10, cash.PaybackMonth);
        Assert.Equal(-2700m, cash.Cumulative[0]);
        Assert.Equal(-300m, cash.Cumulative[8]);
        Assert.Equal(0m, cash.Cumulative[9]);
        Assert.Equal(7800m, cash.Cumulative[35]);
        Assert.Equal(-300m, cash.NetMonthlyChange);
        Assert.Equal(0, cash.FundedMonths);
    }

    [Fact]
    public void Cash_OneCentShortInMonthTen_PaysBackInMonthEleven()
    {
        var cash = Proposal.Cash(999.99m, 500m, 4000m, 200m, 36);
        Assert.Equal(-0.01m, cash.Cumulative[9]);
        Assert.Equal(11, cash.PaybackMonth);
    }

    [Fact]
    public void Cash_RecoveriesCoverTheOneTimeCost_PaysBackInMonthOne()
    {
        var cash = Proposal.Cash(5000m, 300m, 4000m, 300m, 36);
        Assert.Equal(1, cash.PaybackMonth);
        Assert.All(cash.Cumulative, c => Assert.Equal(1000m, c));
        Assert.Equal(36, cash.FundedMonths);
    }

    [Fact]
    public void Cash_MonthlyCostAboveSavings_NeverPaysBack_RecoveriesFundTheFirstMonths()
    {
        // 4000 ahead after the one-time amounts, then 500 a month behind: months 1..8 stay at or above zero.
        var cash = Proposal.Cash(5000m, 100m, 1000m, 600m, 36);
        Assert.Null(cash.PaybackMonth);
        Assert.Equal(8, cash.FundedMonths);
        Assert.Equal(0m, cash.Cumulative[7]);
        Assert.Equal(500m, cash.NetMonthlyChange);
    }

    [Fact]
    public void Cash_PaybackBeyondTheView_IsStillComputed()
    {
        var cash = Proposal.Cash(0m, 300m, 10000m, 100m, 36);
        Assert.Equal(50, cash.PaybackMonth);
        Assert.True(cash.Cumulative[35] < 0);
    }

    /// <summary>What the deal's proposal must show, straight from the lake's tables (docs/money.md), in SQL.</summary>
    private (decimal UpOnce, decimal UpMonthly, decimal Retired, decimal FoundOnce, decimal Savings, decimal Margin, string Currency) Expected(string deal)
    {
        var row = fx.Sql($"""
            WITH d AS (SELECT * FROM upgrade WHERE deal_id = '{deal}'),
            head AS (SELECT any_value(customer_id) AS customer, any_value(currency) AS currency, any_value(retires) AS retires FROM d),
            entries AS (SELECT trim(unnest(string_split(retires, ';'))) AS e FROM head),
            live AS (
                SELECT f.* FROM findings f, head
                WHERE f.customer_id = head.customer AND f.currency = head.currency AND f.money_kind = 'validated'
                  AND f.status IN ('open', 'submitted', 'partially_credited', 'credited', 'confirmed')),
            retired AS (
                SELECT DISTINCT s.service_id, s.account_id FROM services s JOIN entries ON entries.e = s.service_id
                UNION
                SELECT DISTINCT l.service_id, l.account_id FROM live l JOIN entries ON entries.e = 'rule:' || l.rule WHERE l.service_id IS NOT NULL),
            latest AS (SELECT carrier, account_id, max(month) AS month FROM charges GROUP BY ALL),
            run_rate AS (
                SELECT sum(c.amount) AS amount FROM charges c
                JOIN latest l ON l.carrier = c.carrier AND l.account_id = c.account_id AND l.month = c.month
                JOIN retired r ON r.service_id = c.service_id AND r.account_id = c.account_id
                WHERE c.charge_type NOT IN ('one_time', 'credit'))
            SELECT (SELECT sum(one_time_cost) FROM d), (SELECT sum(monthly_cost) FROM d), (SELECT coalesce(amount, 0) FROM run_rate),
                   (SELECT coalesce(sum(one_time_amount), 0) FROM live),
                   (SELECT coalesce(sum(monthly_savings), 0) FROM live l ANTI JOIN retired r ON r.service_id = l.service_id AND r.account_id = l.account_id),
                   (SELECT sum((one_time_cost + 36 * monthly_cost) * provider_margin_pct / 100) FROM d),
                   (SELECT currency FROM head)
            """)[0];
        return (Read.Dec(row[0]), Read.Dec(row[1]), Read.Dec(row[2]), Read.Dec(row[3]), Read.Dec(row[4]), Read.Dec(row[5]), (string)row[6]!);
    }

    [Theory]
    [InlineData("NG-2026-SDWAN")]
    [InlineData("KM-2026-MOBILE")]
    public void ProposalHtml_SampleDeal_RetiredSpendFundingPaybackAndSplitFromTheLake(string deal)
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, $"proposal-{deal}.html"));
        var e = Expected(deal);
        Assert.Contains($"Prices in {e.Currency}.", html, StringComparison.Ordinal);
        Assert.Equal(e.UpOnce, Kpi(html, "upgrade-one-time"));
        Assert.Equal(e.Retired, Kpi(html, "retired-monthly"));
        Assert.True(e.Retired > 0, "the sample's deals retire real services");
        Assert.Equal(e.FoundOnce, Kpi(html, "found-one-time"));
        Assert.Equal(e.UpMonthly - e.Retired - e.Savings, Kpi(html, "net-monthly-change"));
        var payback = Proposal.Cash(e.FoundOnce, e.Savings + e.Retired, e.UpOnce, e.UpMonthly, 36).PaybackMonth;
        Assert.NotNull(payback);
        Assert.InRange(payback!.Value, 2, 36);
        Assert.Contains($"data-kpi=\"payback-month\" data-value=\"{payback.Value.ToString(CultureInfo.InvariantCulture)}\"", html, StringComparison.Ordinal);

        // Every party with its role and margin, and the margins add up.
        foreach (var p in fx.Sql($"SELECT provider, role, sum((one_time_cost + 36 * monthly_cost) * provider_margin_pct / 100) FROM upgrade WHERE deal_id = '{deal}' GROUP BY ALL"))
        {
            var row = Regex.Match(html, $"<tr data-provider=\"{p[0]}\">.*?</tr>").Value;
            Assert.Contains($"<span class=\"tag\">{p[1]}</span>", row, StringComparison.Ordinal);
            Assert.Contains($"data-value=\"{Read.Dec(p[2]).ToString("0.0000##", CultureInfo.InvariantCulture)}\"", row, StringComparison.Ordinal);
        }

        var total = Regex.Match(html[html.IndexOf("data-table=\"provider-split\"", StringComparison.Ordinal)..], "<tr class=\"total\">.*?</tr>").Value;
        Assert.Contains($"data-value=\"{e.Margin.ToString("0.0000##", CultureInfo.InvariantCulture)}\"", total, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"cash-view\"", html, StringComparison.Ordinal);
        Assert.Equal(36, CashBars().Count(html));
    }

    [Fact]
    public void Report_SampleDeals_PaybackEqualsTheGeneratorsAnswerKey()
    {
        // answer_key_money.csv is computed by the generator from what it billed, without Tem's code; the sample report
        // fixture records its own statuses (not disputes.csv), so the deal whose customer they touch is compared by SQL above.
        var key = Read.Csv(RepoPaths.Combine("sample-data", "answer_key_money.csv")).Where(r => r["item"] == "payback_month").ToList();
        Assert.Equal(["KM-2026-MOBILE", "NG-2026-SDWAN"], key.Select(r => r["deal_id"]).Order(StringComparer.Ordinal));
        var km = key.Single(r => r["deal_id"] == "KM-2026-MOBILE");
        Assert.Equal(km["value"], Kpi(File.ReadAllText(Path.Combine(fx.Out, "proposal-KM-2026-MOBILE.html")), "payback-month").ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ProposalHtml_WithExchangeRates_CountsOtherCurrenciesConverted()
    {
        var dir = Path.Combine(fx.Folder, "fx");
        var rates = new Dictionary<string, decimal> { ["EUR"] = 1.1m, ["GBP"] = 1.25m };
        var result = ReportWriter.Write(fx.Lake, dir, new ReportOptions { WriteTenantSets = false, ProposalCurrency = "USD", ExchangeRates = rates }, SampleReportFixture.Clock);
        var html = File.ReadAllText(Path.Combine(dir, "proposal-NG-2026-SDWAN.html"));
        var expected = fx.Sql($"""
            SELECT sum(one_time_amount * CASE currency WHEN 'USD' THEN 1 WHEN 'EUR' THEN 1.1 WHEN 'GBP' THEN 1.25 END)
            FROM findings WHERE customer_id = 'CUS-04' AND money_kind = 'validated' AND {TotalsTests.Live}
            """)[0][0];
        Assert.Equal(Read.Dec(expected), Kpi(html, "found-one-time"));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("not counted", StringComparison.Ordinal));
        Assert.Contains("Prices in USD.", html, StringComparison.Ordinal);
    }

    private static decimal Kpi(string html, string key) =>
        decimal.Parse(Regex.Match(html, $"data-kpi=\"{key}\" data-value=\"(-?[0-9.]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>A bar of the cash view in its values as text (the chart's desc): "M12 -1,234.00".</summary>
    [GeneratedRegex("(?<=<desc>[^<]*)\\bM[0-9]+ -?[0-9,]+\\.[0-9]{2}")]
    private static partial Regex CashBars();
}
