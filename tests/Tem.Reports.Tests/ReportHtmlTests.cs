using System.Text.RegularExpressions;

namespace Tem.Reports.Tests;

/// <summary>report.html's content: the four charts per currency, anomaly markers, the tables, and nothing fetched from elsewhere.</summary>
[Collection(SampleReportCollection.Name)]
public sealed partial class ReportHtmlTests(SampleReportFixture fx)
{
    [Fact]
    public void ReportHtml_Sample_HasEveryChartPerCurrencyAndTheTables()
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, "report.html"));
        foreach (var chart in new[] { "savings-by-rule", "spend-trend", "waterfall", "cost-centre" })
        {
            Assert.Equal(3, Regex.Count(html, $"<svg [^>]*data-chart=\"{chart}\""));
        }

        foreach (var name in new[] { "totals", "by-carrier", "by-account", "by-cost-centre" })
        {
            Assert.Contains($"data-table=\"{name}\"", html, StringComparison.Ordinal);
        }

        // Top findings: the largest of each currency first, with its evidence.
        var top = fx.Sql($"SELECT finding_id, evidence FROM findings WHERE currency = 'USD' AND money_kind = 'validated' AND {TotalsTests.Live} ORDER BY one_time_amount + 12 * monthly_savings DESC, finding_id LIMIT 1")[0];
        var table = html[html.IndexOf("data-table=\"top-findings\" data-currency=\"USD\"", StringComparison.Ordinal)..];
        var first = Regex.Match(table, "<tr data-finding=\"([0-9a-f]+)\">(.*?)</tr>");
        Assert.Equal(top[0], first.Groups[1].Value);
        Assert.Contains("<span class=\"evidence\">", first.Groups[2].Value, StringComparison.Ordinal);

        // The client's row names no input file; the consultant's appendix has the evidence as stored, file and line included.
        Assert.Matches(@"\.csv:\d+", (string)top[1]!);
        Assert.DoesNotMatch(@"\.csv:\d+", first.Groups[2].Value);
        var appendix = html[html.IndexOf("data-table=\"appendix-evidence\"", StringComparison.Ordinal)..];
        var stored = Regex.Match(appendix, $"<tr data-finding=\"{top[0]}\">(.*?)</tr>");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(((string)top[1]!)[..40]), stored.Groups[1].Value, StringComparison.Ordinal);

        // Customers and bill-to parties by name, both.
        Assert.Contains("Bluewater Logistics Inc.", html, StringComparison.Ordinal);
        Assert.Contains("Keystone Equipment Leasing", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportHtml_SampleSpendAnomalies_RingExactlyTheirCarrierAndMonth()
    {
        var expected = fx.Sql("SELECT DISTINCT carrier, period FROM findings WHERE rule = 'spend_anomaly'")
            .Select(r => (System.Net.WebUtility.HtmlEncode((string)r[0]!), (string)r[1]!)).Order().ToList();
        Assert.NotEmpty(expected);
        var html = File.ReadAllText(Path.Combine(fx.Out, "report.html"));
        var rings = AnomalyRing().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Order().ToList();
        Assert.Equal(expected, rings);
    }

    [Fact]
    public void ReportHtml_SpendAnomalyFindings_MarkTheirCarrierAndMonth()
    {
        using var world = new TenantWorld(new WorldShape(1, [0], [], [1, -1, 0], [0, 2, 1], false, 7));
        var output = Path.Combine(world.Folder, "out");
        ReportWriter.Write(world.Lake, output, new ReportOptions { WriteTenantSets = false }, SampleReportFixture.Clock);
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        var rings = AnomalyRing().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Order().ToList();
        var expected = world.Model.Findings.Where(f => f.Rule == "spend_anomaly").Select(f => (System.Net.WebUtility.HtmlEncode(f.Carrier), f.Period.ToString())).Distinct().Order().ToList();
        Assert.Equal(expected, rings);
    }

    [Fact]
    public void ReportHtml_ManyCostCentres_ChartShowsTheTwelveLargestAndTheRestAsOneBar_TableListsAll()
    {
        // 28 customers alternate between USD and EUR, each with its own cost centre: 14 per currency, plus the account-level taxes.
        using var world = new TenantWorld(new WorldShape(1, [], [], [.. Enumerable.Repeat(-1, 28)], [.. Enumerable.Repeat(0, 28)], false, 3));
        var output = Path.Combine(world.Folder, "out");
        ReportWriter.Write(world.Lake, output, new ReportOptions { WriteTenantSets = false }, SampleReportFixture.Clock);
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        var chart = Regex.Match(html, "<svg [^>]*data-chart=\"cost-centre\" [^>]*aria-label=\"USD spend by cost centre\".*?</svg>").Value;
        Assert.Equal(13, Regex.Count(Regex.Match(chart, "<desc>(.*?)</desc>").Groups[1].Value, ": [0-9,]+\\.[0-9]{2}\\."));
        Assert.Contains(">3 other cost centres</text>", chart, StringComparison.Ordinal);
        var table = html[html.IndexOf("data-table=\"by-cost-centre\"", StringComparison.Ordinal)..];
        Assert.Equal(15, Regex.Count(table[..table.IndexOf("</table>", StringComparison.Ordinal)], "<tr data-currency=\"USD\">"));
    }

    [Theory]
    [InlineData("report.html")]
    [InlineData("proposal-NG-2026-SDWAN.html")]
    [InlineData("margin.html")]
    [InlineData("channel.html")]
    [InlineData("tenants/DLR-01/channel.html")]
    [InlineData("tenants/DLR-01/report.html")]
    [InlineData("disputes/Northwind-CUS-04.html")]
    public void Html_IsSelfContained_NoScriptNoExternalResource(string file)
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, file));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("url\\(", html);
        foreach (Match m in Reference().Matches(html))
        {
            Assert.True(m.Groups[2].Value.StartsWith("data:", StringComparison.Ordinal) || m.Groups[2].Value.StartsWith('#'), $"{file}: {m.Value}");
        }

        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("@page", html, StringComparison.Ordinal);
    }

    /// <summary>A ringed point in a spend chart's values as text (its desc): "anomaly: CARRIER YYYY-MM.".</summary>
    [GeneratedRegex("(?<=<desc>[^<]*)anomaly: ([^<]+?) ([0-9]{4}-[0-9]{2})\\.")]
    private static partial Regex AnomalyRing();

    [GeneratedRegex("\\b(src|href|xlink:href)=\"([^\"]*)\"")]
    private static partial Regex Reference();
}
