using System.Globalization;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace Tem.Reports.Tests;

/// <summary>Found money in report.html, report.xlsx, findings.csv and the result agrees with the lake's findings table.</summary>
[Collection(SampleReportCollection.Name)]
public sealed partial class TotalsTests(SampleReportFixture fx)
{
    /// <summary>Expected per currency, straight from the findings table: count, one-time, monthly, found money, realised.</summary>
    private Dictionary<string, (long N, decimal OneTime, decimal Monthly, decimal Found, decimal Realised)> Expected() =>
        fx.Sql("""
            SELECT currency, count(*), sum(one_time_amount), sum(monthly_savings), sum(one_time_amount) + 12 * sum(monthly_savings),
                   coalesce(sum(one_time_amount + 12 * monthly_savings) FILTER (WHERE status = 'recovered'), 0)
            FROM findings WHERE status <> 'resolved' GROUP BY currency
            """).ToDictionary(r => (string)r[0]!, r => (Convert.ToInt64(r[1], CultureInfo.InvariantCulture), Read.Dec(r[2]), Read.Dec(r[3]), Read.Dec(r[4]), Read.Dec(r[5])));

    private static string Shown(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);

    [Fact]
    public void ReportHtml_Headline_EqualsFindingsTableSumsPerCurrency()
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, "report.html"));
        var expected = Expected();
        Assert.Equal(3, expected.Count);
        Assert.Contains(expected.Values, e => e.Realised > 0);
        foreach (var (currency, e) in expected)
        {
            string Kpi(string kind) => Assert.Single(KpiValue().Matches(html), m => m.Groups[1].Value == kind && m.Groups[2].Value == currency).Groups[3].Value;
            Assert.Equal(e.Found, decimal.Parse(Kpi("found-money"), CultureInfo.InvariantCulture));
            Assert.Equal(e.OneTime, decimal.Parse(Kpi("one-time"), CultureInfo.InvariantCulture));
            Assert.Equal(e.Monthly, decimal.Parse(Kpi("monthly"), CultureInfo.InvariantCulture));
            Assert.Equal(e.Realised, decimal.Parse(Kpi("realised"), CultureInfo.InvariantCulture));
            Assert.Equal(e.N, long.Parse(Kpi("findings"), CultureInfo.InvariantCulture));

            // What a person reads: the big number is the same amount rounded to cents.
            Assert.Contains($"data-value=\"{Kpi("found-money")}\"><span class=\"ccy\">{currency}</span>{Shown(e.Found)}</div>", html, StringComparison.Ordinal);
            Assert.Contains($">{Shown(e.Realised)}</strong>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReportHtml_ByCarrierTotals_EqualFindingsAndChargesPerCarrier()
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, "report.html"));
        var table = html[html.IndexOf("data-table=\"by-carrier\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        foreach (var row in fx.Sql("""
                     SELECT c.carrier, c.currency, c.spend, coalesce(f.found, 0) FROM
                       (SELECT carrier, currency, sum(amount) AS spend FROM charges GROUP BY ALL) c
                       LEFT JOIN (SELECT carrier, currency, sum(one_time_amount + 12 * monthly_savings) AS found FROM findings WHERE status <> 'resolved' GROUP BY ALL) f
                       USING (carrier, currency)
                     """))
        {
            var tr = Regex.Match(table, $"<tr data-currency=\"{row[1]}\"><td>{Regex.Escape((string)row[0]!)}</td>.*?</tr>").Value;
            Assert.Contains($"data-value=\"{Read.Dec(row[2]).ToString("0.0000##", CultureInfo.InvariantCulture)}\"", tr, StringComparison.Ordinal);
            Assert.Contains($"class=\"num found\" data-value=\"{Read.Dec(row[3]).ToString("0.0000##", CultureInfo.InvariantCulture)}\"", tr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReportXlsx_SummaryAndFindings_AreNumericCellsMatchingTheFindingsTable()
    {
        using var doc = SpreadsheetDocument.Open(Path.Combine(fx.Out, "report.xlsx"), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc));
        var expected = Expected();

        var summary = Rows(doc, "Summary");
        foreach (var (currency, e) in expected)
        {
            var row = Assert.Single(summary, r => r.Count > 0 && r[0].Text == currency);
            Assert.All(row.Skip(1).Take(6), c => Assert.True(c.Numeric, $"Summary {currency}: '{c.Text}' is not a number cell"));
            Assert.Equal((decimal)e.N, row[1].Number);
            Assert.Equal(e.OneTime, row[2].Number);
            Assert.Equal(e.Monthly, row[3].Number);
            Assert.Equal(e.Found, row[4].Number);
            Assert.Equal(e.Realised, row[5].Number);
        }

        var findings = Rows(doc, "Findings");
        var head = findings[0].Select(c => c.Text).ToList();
        int Col(string name) => head.IndexOf(name);
        var data = findings.Skip(1).ToList();
        Assert.Equal(Convert.ToInt64(fx.Sql("SELECT count(*) FROM findings")[0][0], CultureInfo.InvariantCulture), data.Count);
        Assert.All(data, r => Assert.True(r[Col("one_time_amount")].Numeric && r[Col("monthly_savings")].Numeric && r[Col("found_money")].Numeric));
        foreach (var (currency, e) in expected)
        {
            var rows = data.Where(r => r[Col("currency")].Text == currency && r[Col("status")].Text != "resolved").ToList();
            Assert.Equal(e.OneTime, rows.Sum(r => r[Col("one_time_amount")].Number));
            Assert.Equal(e.Monthly, rows.Sum(r => r[Col("monthly_savings")].Number));
            Assert.Equal(e.Found, rows.Sum(r => r[Col("found_money")].Number));
        }

        // Filterable with a frozen header, money formatted.
        var part = Part(doc, "Findings");
        Assert.NotNull(part.Worksheet.Elements<AutoFilter>().SingleOrDefault());
        Assert.Equal(PaneStateValues.Frozen, part.Worksheet.Descendants<Pane>().Single().State!.Value);
        var style = part.Worksheet.Descendants<Cell>().First(c => c.DataType?.Value == CellValues.Number).StyleIndex!.Value;
        var format = doc.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)style).NumberFormatId!.Value;
        Assert.Equal("#,##0.00", doc.WorkbookPart.WorkbookStylesPart.Stylesheet.NumberingFormats!.Elements<NumberingFormat>().Single(n => n.NumberFormatId!.Value == format).FormatCode!.Value);
        Assert.Equal(["Summary", "Findings", "Carriers", "Cost centres", "Accounts", "Margin"], doc.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
    }

    [Fact]
    public void FindingsCsv_EveryFindingWithItsAmountsAndStatus_TotalsMatch()
    {
        var csv = Read.Csv(Path.Combine(fx.Out, "findings.csv")).ToDictionary(r => r["finding_id"]!);
        var lake = fx.Sql("SELECT finding_id, one_time_amount, monthly_savings, currency, status, customer_id, bill_to_id, evidence FROM findings");
        Assert.Equal(lake.Count, csv.Count);
        foreach (var f in lake)
        {
            var row = csv[(string)f[0]!];
            Assert.Equal(Read.Dec(f[1]), decimal.Parse(row["one_time_amount"]!, CultureInfo.InvariantCulture));
            Assert.Equal(Read.Dec(f[2]), decimal.Parse(row["monthly_savings"]!, CultureInfo.InvariantCulture));
            Assert.Equal(f[3], row["currency"]);
            Assert.Equal(f[4], row["status"]);
            Assert.Equal(f[5], row["customer_id"]);
            Assert.Equal(f[6], row["bill_to_id"]);
            Assert.Equal(f[7], row["evidence"]);
        }

        Assert.Equal("recovered", csv[fx.Recovered]["status"]);
        foreach (var (currency, e) in Expected())
        {
            var current = csv.Values.Where(r => r["currency"] == currency && r["status"] != "resolved").ToList();
            Assert.Equal(e.Found, current.Sum(r => decimal.Parse(r["one_time_amount"]!, CultureInfo.InvariantCulture) + (12 * decimal.Parse(r["monthly_savings"]!, CultureInfo.InvariantCulture))));
        }
    }

    [Fact]
    public void Write_Result_TotalsAndFiles_MatchTheLake()
    {
        var expected = Expected();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), fx.Result.Totals.Select(t => t.Currency.Code));
        foreach (var t in fx.Result.Totals)
        {
            var e = expected[t.Currency.Code];
            Assert.Equal((e.N, e.OneTime, e.Monthly, e.Found, e.Realised), (t.Identified.Findings, t.Identified.OneTime, t.Identified.MonthlySavings, t.Identified.FoundMoney, t.Realised.FoundMoney));
        }

        Assert.All(fx.Result.Files, f => Assert.True(File.Exists(f), f));
        foreach (var name in new[] { "report.html", "report.xlsx", "findings.csv", "proposal.html", "margin.html", "margin.csv" })
        {
            Assert.Contains(Path.Combine(fx.Out, name), fx.Result.Files);
        }

        Assert.Equal(["DIST-01", "DLR-01", "DLR-02"], fx.Result.Tenants);
        Assert.DoesNotContain(fx.Result.Files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_SameLakeAndClockTwice_GivesTheSameHtmlAndCsv()
    {
        var again = Path.Combine(fx.Folder, "again");
        ReportWriter.Write(fx.Lake, again, new ReportOptions { WriteTenantSets = false }, SampleReportFixture.Clock);
        foreach (var name in new[] { "report.html", "proposal.html", "margin.html", "findings.csv", "margin.csv", Path.Combine("disputes", "Northwind.csv") })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(fx.Out, name)), File.ReadAllText(Path.Combine(again, name)));
        }
    }

    internal sealed record CellText(string Text, bool Numeric)
    {
        public decimal Number => decimal.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    internal static WorksheetPart Part(SpreadsheetDocument doc, string sheet)
    {
        var s = doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(x => x.Name == sheet);
        return (WorksheetPart)doc.WorkbookPart.GetPartById(s.Id!.Value!);
    }

    internal static List<List<CellText>> Rows(SpreadsheetDocument doc, string sheet) =>
        [.. Part(doc, sheet).Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c =>
            c.DataType?.Value == CellValues.InlineString ? new CellText(c.InlineString!.InnerText, false)
            : new CellText(c.CellValue?.Text ?? string.Empty, c.DataType is null || c.DataType.Value == CellValues.Number)).ToList())];

    [GeneratedRegex("data-kpi=\"([a-z-]+)\" data-currency=\"([A-Z]{3})\" data-value=\"(-?[0-9.]+)\"")]
    private static partial Regex KpiValue();
}
