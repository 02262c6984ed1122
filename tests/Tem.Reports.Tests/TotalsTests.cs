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
    /// <summary>The statuses whose findings count as identified money (docs/money.md).</summary>
    internal const string Live = "status IN ('open', 'submitted', 'partially_credited', 'credited', 'confirmed')";

    /// <summary>
    /// Expected per currency, straight from the findings table: validated count, one-time, monthly and found money of
    /// live findings, realised (credits + 12 x confirmed savings, any status), potential and reseller revenue.
    /// </summary>
    private Dictionary<string, (long N, decimal OneTime, decimal Monthly, decimal Found, decimal Realised, decimal Potential, decimal Reseller)> Expected() =>
        fx.Sql($"""
            SELECT currency,
                   count(*) FILTER (WHERE money_kind = 'validated' AND {Live}),
                   coalesce(sum(one_time_amount) FILTER (WHERE money_kind = 'validated' AND {Live}), 0),
                   coalesce(sum(monthly_savings) FILTER (WHERE money_kind = 'validated' AND {Live}), 0),
                   coalesce(sum(one_time_amount + 12 * monthly_savings) FILTER (WHERE money_kind = 'validated' AND {Live}), 0),
                   coalesce(sum(realised_one_time + 12 * realised_monthly) FILTER (WHERE money_kind <> 'reseller'), 0),
                   coalesce(sum(one_time_amount + 12 * monthly_savings) FILTER (WHERE money_kind = 'potential' AND {Live}), 0),
                   coalesce(sum(one_time_amount + 12 * monthly_savings) FILTER (WHERE money_kind = 'reseller' AND {Live}), 0)
            FROM findings GROUP BY currency
            HAVING count(*) FILTER (WHERE {Live}) > 0 OR sum(realised_one_time + realised_monthly) <> 0
            """).ToDictionary(r => (string)r[0]!, r => (Convert.ToInt64(r[1], CultureInfo.InvariantCulture), Read.Dec(r[2]), Read.Dec(r[3]), Read.Dec(r[4]), Read.Dec(r[5]), Read.Dec(r[6]), Read.Dec(r[7])));

    private static string Shown(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);

    [Fact]
    public void ReportHtml_Headline_EqualsFindingsTableSumsPerCurrency()
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, "report.html"));
        var expected = Expected();
        Assert.Equal(3, expected.Count);
        Assert.Contains(expected.Values, e => e.Realised > 0);
        Assert.Contains(expected.Values, e => e.Potential > 0);
        Assert.Contains(expected.Values, e => e.Reseller > 0);
        foreach (var (currency, e) in expected)
        {
            string Kpi(string kind) => Assert.Single(KpiValue().Matches(html), m => m.Groups[1].Value == kind && m.Groups[2].Value == currency).Groups[3].Value;
            Assert.Equal(e.Found, decimal.Parse(Kpi("found-money"), CultureInfo.InvariantCulture));
            Assert.Equal(e.OneTime, decimal.Parse(Kpi("one-time"), CultureInfo.InvariantCulture));
            Assert.Equal(e.Monthly, decimal.Parse(Kpi("monthly"), CultureInfo.InvariantCulture));
            Assert.Equal(e.Realised, decimal.Parse(Kpi("realised"), CultureInfo.InvariantCulture));
            Assert.Equal(e.Potential, decimal.Parse(Kpi("potential"), CultureInfo.InvariantCulture));
            Assert.Equal(e.N, long.Parse(Kpi("findings"), CultureInfo.InvariantCulture));
            if (e.Reseller != 0)
            {
                Assert.Equal(e.Reseller, decimal.Parse(Kpi("reseller"), CultureInfo.InvariantCulture));
            }

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
                       LEFT JOIN (SELECT carrier, currency, sum(one_time_amount + 12 * monthly_savings) AS found FROM findings
                                  WHERE money_kind = 'validated' AND status IN ('open', 'submitted', 'partially_credited', 'credited', 'confirmed') GROUP BY ALL) f
                       USING (carrier, currency)
                     """))
        {
            var tr = Regex.Match(table, $"<tr data-currency=\"{row[1]}\"><td><bdi>{Regex.Escape((string)row[0]!)}</bdi></td>.*?</tr>").Value;
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
            Assert.Equal(e.Potential, row[8].Number);
            Assert.Equal(e.Reseller, row[9].Number);
        }

        var findings = Rows(doc, "Findings");
        var head = findings[0].Select(c => c.Text).ToList();
        int Col(string name) => head.IndexOf(name);
        var data = findings.Skip(1).ToList();
        Assert.Equal(Convert.ToInt64(fx.Sql("SELECT count(*) FROM findings")[0][0], CultureInfo.InvariantCulture), data.Count);
        Assert.All(data, r => Assert.True(r[Col("one_time_amount")].Numeric && r[Col("monthly_savings")].Numeric && r[Col("found_money")].Numeric));
        foreach (var (currency, e) in expected)
        {
            var rows = data.Where(r => r[Col("currency")].Text == currency && r[Col("money_kind")].Text == "validated"
                && r[Col("status")].Text is "open" or "submitted" or "partially_credited" or "credited" or "confirmed").ToList();
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
        Assert.Equal(["Summary", "Charts", "Findings", "Carriers", "Cost centres", "Accounts", "Margin", "MRR", "Profit", "Contingency", "Definitions"], doc.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
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

        Assert.Equal("credited", csv[fx.Credited]["status"]);
        Assert.Equal(csv[fx.Credited]["one_time_amount"], csv[fx.Credited]["realised_one_time"]);
        Assert.Equal("submitted", csv[fx.Submitted]["status"]);
        foreach (var (currency, e) in Expected())
        {
            var current = csv.Values.Where(r => r["currency"] == currency && r["money_kind"] == "validated"
                && r["status"] is "open" or "submitted" or "partially_credited" or "credited" or "confirmed").ToList();
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
            Assert.Equal((e.N, e.OneTime, e.Monthly, e.Found, e.Realised, e.Potential, e.Reseller),
                (t.Validated.Findings, t.Validated.OneTime, t.Validated.MonthlySavings, t.Validated.FoundMoney, t.Realised.Total, t.Potential.FoundMoney, t.Reseller.FoundMoney));
        }

        Assert.All(fx.Result.Files, f => Assert.True(File.Exists(f), f));
        foreach (var name in new[] { "report.html", "report.xlsx", "findings.csv", "proposal-NG-2026-SDWAN.html", "proposal-KM-2026-MOBILE.html", "margin.html", "margin.csv", "channel.html" })
        {
            Assert.Contains(Path.Combine(fx.Out, name), fx.Result.Files);
        }

        Assert.Equal(["DIST-01", "DLR-01", "DLR-02"], fx.Result.Tenants);
        Assert.DoesNotContain(fx.Result.Files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void ContingencyCsv_RealisedPerClientAndMonth_EqualsTheDisputeHistory_FeeAtTheShareGiven()
    {
        var dir = Path.Combine(fx.Folder, "contingency");
        ReportWriter.Write(fx.Lake, dir, new ReportOptions { WriteTenantSets = false, ContingencyFeePct = 30m }, SampleReportFixture.Clock);
        var csv = Read.Csv(Path.Combine(dir, "contingency.csv"));
        var expected = fx.Sql("""
            SELECT coalesce(f.customer_id, ''), strftime(e.on_date, '%Y-%m'), f.currency, sum(e.amount)
            FROM dispute_events e JOIN findings f USING (finding_id) WHERE e.event = 'credit' GROUP BY ALL ORDER BY ALL
            """);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, csv.Count);
        foreach (var (e, row) in expected.Zip(csv))
        {
            Assert.Equal((e[0], e[1], e[2]), (row["customer_id"], row["month"], row["currency"]));
            Assert.Equal(Read.Dec(e[3]), decimal.Parse(row["credits_received"]!, CultureInfo.InvariantCulture));
            Assert.Equal(Read.Dec(e[3]) * 0.3m, decimal.Parse(row["fee"]!, CultureInfo.InvariantCulture));
        }

        // The credited finding's whole one-time amount is what came back.
        var credited = fx.Sql($"SELECT one_time_amount, realised_one_time FROM findings WHERE finding_id = '{fx.Credited}'")[0];
        Assert.Equal(Read.Dec(credited[0]), Read.Dec(credited[1]));
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("data-table=\"contingency\"", html, StringComparison.Ordinal);
        Assert.Contains("data-table=\"dispute-status\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SameLakeAndClockTwice_GivesTheSameHtmlAndCsv()
    {
        var again = Path.Combine(fx.Folder, "again");
        ReportWriter.Write(fx.Lake, again, new ReportOptions { WriteTenantSets = false }, SampleReportFixture.Clock);
        foreach (var name in new[] { "report.html", "proposal-NG-2026-SDWAN.html", "margin.html", "channel.html", "findings.csv", "margin.csv", Path.Combine("disputes", "Northwind.csv") })
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
