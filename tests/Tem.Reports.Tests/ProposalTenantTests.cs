using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Tem.Reports.Charts;

namespace Tem.Reports.Tests;

/// <summary>
/// A tenant's proposal: every party's price, and cost and margin only of the tenant and the parties below it (the
/// scope masks the others' <c>provider_margin_pct</c>); no figure made from a hidden margin in any file of the set.
/// </summary>
[Collection(SampleReportCollection.Name)]
public sealed class ProposalTenantTests(SampleReportFixture fx)
{
    private const string Deal = "proposal-KM-2026-MOBILE.html";

    // KM-2026-MOBILE by hand from sample-data/upgrade.csv, over 36 months (price = one-time + 36 x monthly):
    //   PRV-RHENUS  36 x 99.00 = 3564.00 at 14 %: margin 498.96, cost 3065.04
    //   PRV-TEMPO   36 x 25.00 =  900.00 at 40 %: margin 360.00, cost  540.00
    //   DLR-02               350.00 at 15 %: margin  52.50, cost  297.50
    //   all three: price 4814.00, margin 911.46 (18.9 %), cost 3902.54; shares of all margin 54.7 %, 39.5 %, 5.8 %.
    private static readonly string[] OthersAmounts = ["498.96", "3065.04", "3,065.04", "360.00", "540.00", "911.46", "3902.54", "3,902.54"];
    private static readonly string[] OthersPercents = ["14.0%", "40.0%", "18.9%", "54.7%", "39.5%", "5.8%"];
    private static readonly string[] DealerAmounts = ["52.50", "297.50"];

    [Fact]
    public void HandComputedSplit_SampleDeal_MatchesTheLakeAndTheFullSetShowsIt()
    {
        var rows = fx.Sql("""
            SELECT provider, one_time_cost + 36 * monthly_cost, (one_time_cost + 36 * monthly_cost) * provider_margin_pct / 100
            FROM upgrade WHERE deal_id = 'KM-2026-MOBILE' ORDER BY provider
            """);
        Assert.Equal(
            [("DLR-02", 350m, 52.5m), ("PRV-RHENUS", 3564m, 498.96m), ("PRV-TEMPO", 900m, 360m)],
            rows.Select(r => ((string)r[0]!, Read.Dec(r[1]), Read.Dec(r[2]))));

        // The needles the tenant tests look for are written this way where they may be shown: the full set has them all.
        var full = File.ReadAllText(Path.Combine(fx.Out, Deal));
        Assert.All(OthersAmounts.Concat(OthersPercents).Concat(DealerAmounts), s => Assert.Contains(s, full, StringComparison.Ordinal));
        Assert.DoesNotContain("not shown", full, StringComparison.Ordinal);
    }

    [Fact]
    public void TenantSet_Dealer_ProposalShowsItsOwnMarginAndNoOtherProvidersCostOrMargin()
    {
        var dir = Path.Combine(fx.Out, "tenants", "DLR-02");
        var html = File.ReadAllText(Path.Combine(dir, Deal));
        Assert.False(File.Exists(Path.Combine(dir, "proposal-NG-2026-SDWAN.html")));
        Assert.DoesNotContain("NG-2026-SDWAN", TenantTests.AllText(dir), StringComparison.Ordinal);

        AssertOwnMarginShown(html);
        AssertOthersPriceOnly(html);
        Assert.Equal([3564m, 900m, 297.5m, 52.5m], SplitBars(html));
        AssertNoFigureOfTheOthers(dir);

        // DLR-02 is invoiced for its customer's accounts: it sees the money the full set counts, so prices, funding and
        // payback are the full set's.
        var full = File.ReadAllText(Path.Combine(fx.Out, Deal));
        foreach (var kpi in new[] { "upgrade-one-time", "retired-monthly", "found-one-time", "net-monthly-change", "payback-month" })
        {
            Assert.Equal(Kpi(full, kpi), Kpi(html, kpi));
        }

        Assert.Equal(CashBars(full), CashBars(html));
    }

    [Fact]
    public void TenantSet_Distributor_SeesItsDealersMargin_NotTheOthers()
    {
        var dir = Path.Combine(fx.Out, "tenants", "DIST-01");
        var html = File.ReadAllText(Path.Combine(dir, Deal));
        Assert.False(File.Exists(Path.Combine(dir, "proposal-NG-2026-SDWAN.html")));
        AssertOwnMarginShown(html);
        AssertOthersPriceOnly(html);
        Assert.Equal([3564m, 900m, 297.5m, 52.5m], SplitBars(html));
        AssertNoFigureOfTheOthers(dir);
        Assert.Contains("cost and margin only for <bdi>Meridian Distribution</bdi> and the parties below it", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TenantSet_EndCustomer_ProposalShowsPricesAndNoCostOrMarginOfAnyProvider()
    {
        var dir = Path.Combine(fx.Folder, "tenant-CUS-03");
        var result = ReportWriter.Write(fx.Lake, dir, new ReportOptions { Tenant = "CUS-03" }, SampleReportFixture.Clock);
        Assert.Equal(["KM-2026-MOBILE"], result.Proposals.Select(p => p.DealId));
        var html = File.ReadAllText(Path.Combine(dir, Deal));

        // Prices, each party's and the total, as in the full set.
        var table = Table(html);
        foreach (var (provider, price) in new[] { ("PRV-RHENUS", "3564.0000"), ("PRV-TEMPO", "900.0000"), ("DLR-02", "350.0000") })
        {
            Assert.Contains($"data-value=\"{price}\"", Row(html, provider), StringComparison.Ordinal);
        }

        Assert.Contains("data-value=\"4814.0000\"", Regex.Match(table, "<tr class=\"total\">.*?</tr>").Value, StringComparison.Ordinal);
        Assert.Equal(Kpi(File.ReadAllText(Path.Combine(fx.Out, Deal)), "upgrade-one-time"), Kpi(html, "upgrade-one-time"));

        // No margin column at all: no cost, margin or share header, no "not shown" cells; six cells a row.
        foreach (var word in new[] { "Cost", "Margin", "margin", "not shown" })
        {
            Assert.DoesNotContain(word, table, StringComparison.Ordinal);
        }

        Assert.All(Regex.Matches(table, "<tr[ >].*?</tr>").Select(m => m.Value).Where(r => !r.Contains("<th", StringComparison.Ordinal)),
            r => Assert.Equal(r.Contains("colspan=\"3\"", StringComparison.Ordinal) ? 4 : 6, Regex.Count(r, "<td")));
        Assert.Equal([3564m, 900m, 350m], SplitBars(html));
        Assert.DoesNotContain("margin", SplitChart(html), StringComparison.Ordinal);
        Assert.Contains("This set shows every party's price and no party's cost or margin.", WebUtility.HtmlDecode(html), StringComparison.Ordinal);

        AssertNoFigureOfTheOthers(dir);
        AssertAbsent(dir, DealerAmounts);
        Assert.DoesNotContain("15.0%", html, StringComparison.Ordinal);

        // The spend it retires is what it pays its dealer for those services (resale.csv, 2026-09: 18.89 + 17.99 + 46.79
        // + 31.49 + 52.39), not the dealer's carrier bill, which it may not see. The upgrade costs 350.00 once and 124.00 a
        // month; no found money of its own: it pays back in month ceil(350.00 / (167.55 - 124.00)) = ceil(8.04) = 9.
        Assert.Equal("167.5500", Kpi(html, "retired-monthly"));
        Assert.Equal("-43.5500", Kpi(html, "net-monthly-change"));
        Assert.Equal("9", Kpi(html, "payback-month"));
    }

    /// <summary>DLR-02's row: price, cost, margin % and margin; the shown parties' total says so and holds only DLR-02.</summary>
    private static void AssertOwnMarginShown(string html)
    {
        Assert.Contains(
            "data-value=\"350.0000\">350.00</td><td class=\"num\" data-value=\"297.5000\">297.50</td><td class=\"num\">15.0%</td><td class=\"num\" data-value=\"52.5000\">52.50</td><td class=\"num\">100.0%</td>",
            Row(html, "DLR-02"), StringComparison.Ordinal);
        var shown = Regex.Match(Table(html), "<tr class=\"total\" data-total=\"margin-shown\">.*?</tr>").Value;
        Assert.Contains("Parties whose cost and margin are shown (1 of 3)", shown, StringComparison.Ordinal);
        Assert.Contains("data-value=\"297.5000\">297.50</td><td class=\"num\">15.0%</td><td class=\"num\" data-value=\"52.5000\">52.50</td>", shown, StringComparison.Ordinal);
        Assert.Contains("Share of the margin shown", Table(html), StringComparison.Ordinal);
    }

    /// <summary>Rhenus and Tempo: their price, "not shown" for cost and margin; the all-party total is prices only.</summary>
    private static void AssertOthersPriceOnly(string html)
    {
        foreach (var (provider, price) in new[] { ("PRV-RHENUS", "data-value=\"3564.0000\">3,564.00"), ("PRV-TEMPO", "data-value=\"900.0000\">900.00") })
        {
            Assert.EndsWith($"{price}</td><td class=\"num\" colspan=\"4\" data-margin=\"not-shown\">not shown</td></tr>", Row(html, provider), StringComparison.Ordinal);
        }

        // Their bars are one segment, their price, in the legend's "price, margin not shown" colour.
        var chart = SplitChart(html);
        Assert.Contains(": price, margin not shown 3,564.00.", Desc(chart), StringComparison.Ordinal);
        Assert.Contains(": price, margin not shown 900.00.", Desc(chart), StringComparison.Ordinal);
        Assert.Matches($"<rect fill=\"{Palette.Axis}\"", chart);

        var total = Regex.Match(Table(html), "<tr class=\"total\">.*?</tr>").Value;
        Assert.EndsWith("data-value=\"4814.0000\">4,814.00</td><td class=\"num\" colspan=\"4\" data-margin=\"not-shown\">not shown</td></tr>", total, StringComparison.Ordinal);
    }

    /// <summary>No amount made from Rhenus's or Tempo's margin in any file of the set (workbook sheets unzipped), nor their percentages in the proposal.</summary>
    private static void AssertNoFigureOfTheOthers(string dir)
    {
        Assert.True(File.Exists(Path.Combine(dir, "report.xlsx")));
        AssertAbsent(dir, OthersAmounts);
        var html = File.ReadAllText(Path.Combine(dir, Deal));
        Assert.All(OthersPercents, s => Assert.DoesNotContain(s, html, StringComparison.Ordinal));
    }

    private static void AssertAbsent(string dir, IEnumerable<string> needles)
    {
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            foreach (var (part, text) in Texts(file))
            {
                foreach (var needle in needles)
                {
                    Assert.False(text.Contains(needle, StringComparison.Ordinal), $"{Path.GetRelativePath(dir, file)}{part}: holds {needle}");
                }
            }
        }
    }

    /// <summary>A file's text; a workbook's every part (the sheets, shared strings) unzipped.</summary>
    private static IEnumerable<(string Part, string Text)> Texts(string file)
    {
        if (!file.EndsWith(".xlsx", StringComparison.Ordinal))
        {
            yield return (string.Empty, File.ReadAllText(file));
            yield break;
        }

        using var zip = ZipFile.OpenRead(file);
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            yield return ("!" + entry.FullName, reader.ReadToEnd());
        }
    }

    private static string Table(string html) => Regex.Match(html, "<table data-table=\"provider-split\">.*?</table>", RegexOptions.Singleline).Value;

    private static string Row(string html, string provider) => Regex.Match(Table(html), $"<tr data-provider=\"{provider}\">.*?</tr>").Value;

    private static string SplitChart(string html) => Regex.Match(html, "<svg [^>]*data-chart=\"provider-split\".*?</svg>", RegexOptions.Singleline).Value;

    /// <summary>The chart's values as text (its desc element).</summary>
    private static string Desc(string chart) => System.Net.WebUtility.HtmlDecode(Regex.Match(chart, "<desc>(.*?)</desc>").Groups[1].Value);

    /// <summary>The provider-split chart's bar segments, top to bottom, from its values as text ("P: cost 1.00 + margin 2.00 = 3.00." or "P: 3.00."); totals left out.</summary>
    private static List<decimal> SplitBars(string html) =>
        [.. Regex.Matches(Desc(SplitChart(html)), "(?<!= )(?<![0-9,.])-?[0-9][0-9,]*\\.[0-9]{2}(?![0-9])").Select(m => decimal.Parse(m.Value, NumberStyles.Number, CultureInfo.InvariantCulture))];

    private static string Kpi(string html, string key) => Regex.Match(html, $"data-kpi=\"{key}\" data-value=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>The cash view's bars as its values as text give them: "M1 -350.00", ...</summary>
    private static List<string> CashBars(string html) =>
        [.. Regex.Matches(Desc(Regex.Match(html, "<svg [^>]*data-chart=\"cash-view\".*?</svg>", RegexOptions.Singleline).Value), "M[0-9]+ -?[0-9,]+\\.[0-9]{2}").Select(m => m.Value)];
}
