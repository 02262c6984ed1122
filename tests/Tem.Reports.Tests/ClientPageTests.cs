using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Tem.Audit;

namespace Tem.Reports.Tests;

/// <summary>
/// Every page a client, a reseller or a carrier receives speaks business language: no commands, flags, input file
/// names, column names or SQL, amounts in the currency's minor units; the consultant's own set alone carries the
/// appendix of how it was computed.
/// </summary>
[Collection(SampleReportCollection.Name)]
public sealed partial class ClientPageTests(SampleReportFixture fx)
{
    [Fact]
    public void Pages_EveryHtmlOfEverySet_HoldNoCommandFlagInputFileColumnNameOrSql()
    {
        var inputs = fx.Lake.Catalog.ActiveFiles().Select(f => Path.GetFileName(f.Path)).Distinct(StringComparer.Ordinal).ToList();
        Assert.Contains("invoices.csv", inputs);
        var columns = fx.Sql("SELECT DISTINCT column_name FROM information_schema.columns WHERE column_name LIKE '%\\_%' ESCAPE '\\'")
            .Select(r => (string)r[0]!).ToList();
        Assert.Contains("bill_to_id", columns);

        var pages = Pages();
        Assert.True(pages.Count >= 15, $"only {pages.Count} pages");
        foreach (var page in pages)
        {
            var text = VisibleText(page, withoutAppendix: true);
            var name = Path.GetRelativePath(fx.Out, page);
            Assert.False(Flag().IsMatch(text), $"{name}: a command-line flag: {Flag().Match(text).Value}");
            Assert.False(Command().IsMatch(text), $"{name}: a tem command: {Command().Match(text).Value}");
            Assert.False(Sql().IsMatch(text), $"{name}: SQL: {Sql().Match(text).Value}");
            Assert.DoesNotContain(".csv", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(".sql", text, StringComparison.OrdinalIgnoreCase);
            foreach (var input in inputs)
            {
                Assert.DoesNotContain(input, text, StringComparison.OrdinalIgnoreCase);
            }

            foreach (var column in columns)
            {
                Assert.False(Regex.IsMatch(text, $@"\b{Regex.Escape(column)}\b"), $"{name}: column name {column}");
            }
        }
    }

    [Fact]
    public void Pages_MoneyCells_ShowTheExactValueInMinorUnits()
    {
        // The sample bills in EUR, GBP and USD only: two minor digits each.
        Assert.All(fx.Sql("SELECT DISTINCT currency FROM findings UNION SELECT DISTINCT currency FROM charges"), r => Assert.Contains((string)r[0]!, new[] { "EUR", "GBP", "USD" }));
        var cells = 0;
        foreach (var page in Pages())
        {
            foreach (Match m in MoneyCellPattern().Matches(File.ReadAllText(page)))
            {
                var shown = WebUtility.HtmlDecode(m.Groups["text"].Value);
                // Money cells carry the exact amount with its four stored decimals; counts (churned customers) and ratios do not.
                if (!m.Groups["value"].Value.Contains('.', StringComparison.Ordinal) || shown.EndsWith('%') || shown is "-" or "")
                {
                    continue;
                }

                var exact = decimal.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
                var expected = Math.Round(exact, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
                Assert.True(expected == Regex.Replace(shown, "^[A-Z]{3} ", string.Empty), $"{Path.GetRelativePath(fx.Out, page)}: {exact} shown as '{shown}', expected {expected}");
                cells++;
            }
        }

        Assert.True(cells > 500, $"only {cells} money cells checked");
    }

    [Fact]
    public void Pages_TextOutsideEvidence_NoAmountFinerThanACent_EvidenceOnlyTrueSubCentPrices()
    {
        foreach (var page in Pages())
        {
            var html = File.ReadAllText(page);
            var name = Path.GetRelativePath(fx.Out, page);
            var evidence = EvidenceSpan().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
            var text = VisibleText(page, withoutAppendix: true, withoutEvidence: true);
            Assert.False(FineNumber().IsMatch(text), $"{name}: {FineNumber().Match(text).Value} has more than two decimals");

            // A number finer than a cent in evidence is a call's price as billed (0.0093): never a rounded amount
            // padded with zeros (29.9500).
            foreach (Match n in evidence.SelectMany(e => FineNumber().Matches(e)))
            {
                var v = decimal.Parse(n.Value, CultureInfo.InvariantCulture);
                Assert.True(Math.Round(v, 2) != v && !n.Value.EndsWith('0'), $"{name}: evidence amount {n.Value}");
            }
        }
    }

    [Fact]
    public void FindingDetail_UnusedService_BilledAMonthInCents()
    {
        var rows = fx.Sql("SELECT monthly_savings, detail FROM findings WHERE rule = 'unused_service'");
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var monthly = Math.Round(Read.Dec(row[0]), 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
            Assert.Contains($"billed {monthly} a month", (string)row[1]!, StringComparison.Ordinal);
        }

        // The validated rules' details (what a claim quotes) carry no amount finer than a cent; the stored amounts stay exact.
        foreach (var row in fx.Sql("SELECT rule, detail FROM findings WHERE money_kind = 'validated'"))
        {
            Assert.False(FineNumber().IsMatch((string)row[1]!), $"{row[0]}: {row[1]}");
        }

        Assert.NotEmpty(fx.Sql("SELECT 1 FROM findings WHERE one_time_amount <> round(one_time_amount, 2) OR monthly_savings <> round(monthly_savings, 2)"));
    }

    [Fact]
    public void Appendix_ConsultantsRootSet_HasIt_TenantSetsAndLettersDoNot()
    {
        var root = new[] { "report.html", "proposal-NG-2026-SDWAN.html", "proposal-KM-2026-MOBILE.html" }.Select(n => Path.Combine(fx.Out, n)).ToList();
        foreach (var page in root)
        {
            Assert.Single(AppendixSection().Matches(File.ReadAllText(page)));
        }

        var client = Pages().Where(p => !root.Contains(p)).ToList();
        Assert.Contains(client, p => p.Contains(Path.Combine("tenants", "DLR-01", "report.html"), StringComparison.Ordinal));
        Assert.Contains(client, p => p.Contains(Path.Combine("tenants", "DLR-02", "proposal-KM-2026-MOBILE.html"), StringComparison.Ordinal));
        Assert.Contains(client, p => p.Contains("disputes", StringComparison.Ordinal));
        foreach (var page in client)
        {
            var html = File.ReadAllText(page);
            Assert.DoesNotContain("how-computed", html, StringComparison.Ordinal);
            Assert.DoesNotContain("How this was computed", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Appendix_Report_NamesInputFilesRulesAndTheirSqlFiles()
    {
        var appendix = AppendixSection().Match(File.ReadAllText(Path.Combine(fx.Out, "report.html"))).Value;
        foreach (var file in fx.Lake.Catalog.ActiveFiles())
        {
            Assert.Contains(WebUtility.HtmlEncode(file.Path), appendix, StringComparison.Ordinal);
        }

        var builtIn = RuleCatalog.BuiltIn.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var row in fx.Sql("SELECT DISTINCT rule FROM findings"))
        {
            var rule = (string)row[0]!;
            Assert.Contains($"data-rule=\"{rule}\"", appendix, StringComparison.Ordinal);
            if (builtIn.Contains(rule))
            {
                Assert.Contains($"src/Tem.Audit/Rules/{rule}.sql", appendix, StringComparison.Ordinal);
            }
        }

        Assert.Contains("tem report --lake LAKE --out DIR", appendix, StringComparison.Ordinal);
        Assert.Matches(@"\(invoices\.csv:\d+\)", appendix);
    }

    [Fact]
    public void DisputeLetter_AttachedClaimList_InTheCarriersTerms()
    {
        var letter = File.ReadAllText(Path.Combine(fx.Out, "disputes", "Albion-CUS-04.html"));
        var party = (string)fx.Sql("SELECT name FROM parties WHERE party_id = 'CUS-04'")[0][0]!;
        Assert.Contains("come with this letter as a spreadsheet, one row per item with its reference, invoiced to <bdi>" + WebUtility.HtmlEncode(party) + "</bdi>", letter, StringComparison.Ordinal);
        Assert.DoesNotContain("Albion.csv", letter, StringComparison.Ordinal);
        Assert.DoesNotContain("bill_to_id", letter, StringComparison.Ordinal);

        // The evidence names the carrier's invoice lines (invoice#line), not the input file Tem read them from.
        var line = (string)fx.Sql("SELECT invoice_id || '#' || line_no FROM charges WHERE account_id = 'ALB-300125' AND service_id = 'ALB-FTTP-000001' AND month = '2026-08' AND charge_type = 'recurring'")[0][0]!;
        Assert.Contains(line + " recurring 45.00", letter, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void ClientReport_InChromium_ShowsNoAppendixOrFlags_ConsultantsReportShowsIt()
    {
        var (client, _) = Chromium.DumpDom(Path.Combine(fx.Out, "tenants", "DLR-01", "report.html"));
        var text = WebUtility.HtmlDecode(Tags().Replace(StyleBlock().Replace(client, " "), " "));
        Assert.Contains("How to read this report", text, StringComparison.Ordinal);
        Assert.DoesNotContain("How this was computed", text, StringComparison.Ordinal);
        Assert.False(Flag().IsMatch(text), Flag().Match(text).Value);
        Assert.DoesNotContain(".csv", text, StringComparison.Ordinal);

        var (consultant, _) = Chromium.DumpDom(Path.Combine(fx.Out, "report.html"));
        Assert.Contains("How this was computed (consultant's copy)", WebUtility.HtmlDecode(consultant), StringComparison.Ordinal);
    }

    /// <summary>Every HTML page of the set: the root set, the tenant sets and every dispute letter.</summary>
    private List<string> Pages() => [.. Directory.EnumerateFiles(fx.Out, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static string VisibleText(string page, bool withoutAppendix, bool withoutEvidence = false)
    {
        var html = StyleBlock().Replace(File.ReadAllText(page), " ");
        if (withoutAppendix)
        {
            html = AppendixSection().Replace(html, " ");
        }

        if (withoutEvidence)
        {
            html = EvidenceSpan().Replace(html, " ");
        }

        return WebUtility.HtmlDecode(Tags().Replace(html, " "));
    }

    [GeneratedRegex(@"(?<![\w-])--[a-z]")]
    private static partial Regex Flag();

    [GeneratedRegex(@"\btem (report|audit|sql|disputes|findings|run|ingest|schedule|demo)\b")]
    private static partial Regex Command();

    [GeneratedRegex(@"\bSELECT\b|\bGROUP BY\b|\bFROM (findings|charges|usage)\b")]
    private static partial Regex Sql();

    [GeneratedRegex(@"(?<![\d.])\d+\.\d{3,}")]
    private static partial Regex FineNumber();

    [GeneratedRegex(@"<td class=""num[^""]*""(?<attrs>[^>]*?) data-value=""(?<value>-?[0-9.]+)""(?<after>[^>]*)>(?<text>[^<]*)</td>")]
    private static partial Regex MoneyCellPattern();

    [GeneratedRegex(@"<span class=""evidence"">([^<]*)</span>")]
    private static partial Regex EvidenceSpan();

    [GeneratedRegex(@"<section class=""appendix[^""]*"".*?</section>", RegexOptions.Singleline)]
    private static partial Regex AppendixSection();

    [GeneratedRegex(@"<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();
}
