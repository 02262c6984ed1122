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

    [Fact]
    public void ProposalHtml_SampleLake_UpgradeCostsSplitAndFundingFromTheLake()
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, "proposal.html"));
        var upgrade = fx.Sql("SELECT sum(one_time_cost), sum(monthly_cost), sum((one_time_cost + 36 * monthly_cost) * provider_margin_pct / 100) FROM upgrade")[0];
        Assert.Equal(Read.Dec(upgrade[0]), Kpi(html, "upgrade-one-time"));

        // Prices default to the currency most accounts are billed in; only that currency's open, disputed or recovered findings count.
        var currency = (string)fx.Sql("SELECT currency FROM accounts GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1")[0][0]!;
        Assert.Contains($"Prices in {currency}", html, StringComparison.Ordinal);
        var found = fx.Sql($"SELECT sum(one_time_amount), sum(monthly_savings) FROM findings WHERE currency = '{currency}' AND status IN ('open', 'disputed', 'recovered')")[0];
        Assert.Equal(Read.Dec(found[0]), Kpi(html, "found-one-time"));
        Assert.Equal(Read.Dec(upgrade[1]) - Read.Dec(found[1]), Kpi(html, "net-monthly-change"));
        var expectedPayback = Proposal.Cash(Read.Dec(found[0]), Read.Dec(found[1]), Read.Dec(upgrade[0]), Read.Dec(upgrade[1]), 36).PaybackMonth;
        Assert.Contains($"data-kpi=\"payback-month\" data-value=\"{expectedPayback?.ToString(CultureInfo.InvariantCulture) ?? "never"}\"", html, StringComparison.Ordinal);

        // Every provider with its role and margin, and the margins add up.
        foreach (var p in fx.Sql("SELECT provider, role, sum((one_time_cost + 36 * monthly_cost) * provider_margin_pct / 100) FROM upgrade GROUP BY ALL"))
        {
            var row = Regex.Match(html, $"<tr data-provider=\"{p[0]}\">.*?</tr>").Value;
            Assert.Contains($"<span class=\"tag\">{p[1]}</span>", row, StringComparison.Ordinal);
            Assert.Contains($"data-value=\"{Read.Dec(p[2]).ToString("0.0000##", CultureInfo.InvariantCulture)}\"", row, StringComparison.Ordinal);
        }

        var total = Regex.Match(html[html.IndexOf("data-table=\"provider-split\"", StringComparison.Ordinal)..], "<tr class=\"total\">.*?</tr>").Value;
        Assert.Contains($"data-value=\"{Read.Dec(upgrade[2]).ToString("0.0000##", CultureInfo.InvariantCulture)}\"", total, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"cash-view\"", html, StringComparison.Ordinal);
        Assert.Equal(36, CashBars().Count(html));
    }

    [Fact]
    public void ProposalHtml_WithExchangeRates_CountsOtherCurrenciesConverted()
    {
        var dir = Path.Combine(fx.Folder, "fx");
        var rates = new Dictionary<string, decimal> { ["EUR"] = 1.1m, ["GBP"] = 1.25m };
        var result = ReportWriter.Write(fx.Lake, dir, new ReportOptions { WriteTenantSets = false, ProposalCurrency = "USD", ExchangeRates = rates }, SampleReportFixture.Clock);
        var html = File.ReadAllText(Path.Combine(dir, "proposal.html"));
        var expected = fx.Sql("""
            SELECT sum(one_time_amount * CASE currency WHEN 'USD' THEN 1 WHEN 'EUR' THEN 1.1 WHEN 'GBP' THEN 1.25 END)
            FROM findings WHERE status IN ('open', 'disputed', 'recovered')
            """)[0][0];
        Assert.Equal(Read.Dec(expected), Kpi(html, "found-one-time"));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("not counted", StringComparison.Ordinal));
        Assert.Contains("Prices in USD.", html, StringComparison.Ordinal);
    }

    private static decimal Kpi(string html, string key) =>
        decimal.Parse(Regex.Match(html, $"data-kpi=\"{key}\" data-value=\"(-?[0-9.]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("<rect [^>]*data-label=\"M[0-9]+\"")]
    private static partial Regex CashBars();
}
