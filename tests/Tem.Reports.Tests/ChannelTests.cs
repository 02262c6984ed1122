using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;
using Tem.Reports.Files;
using Tem.Reports.Query;

namespace Tem.Reports.Tests;

/// <summary>
/// A small channel over three billing months (2026-01 to 2026-03), every number below computed by hand:
/// <code>
/// DIST  Delta Distribution (distributor)    sells CUS-5 itself, in EUR
/// DLR-A Alpha Dealer, under DIST            CUS-1 (churns in 2026-03), CUS-2 (until 2026-02-01)
/// DLR-B Bravo Dealer, top level in 2026-01, under DIST from 2026-02-01; CUS-3, CUS-2 (from 2026-02-01)
/// CUS-4 direct: no reseller, invoiced to itself
///
/// account  invoiced to                       cost a month (taxes aside)          resale a month
/// ACC-1    DLR-A                             60, 60, -   (tax 6)                 CUS-1 by DLR-A 100 (60 + 40), 100, -
/// ACC-2    DLR-A, DLR-B from 2026-02-01      40, 40, 45 - 5 credit (tax 4, 4.5)  CUS-2 by DLR-A 70; by DLR-B -, 70, 75
/// ACC-3    DLR-B                             80, 80, 80 + 2 surcharge (tax 8)    CUS-3 by DLR-B 120, 120, 130
/// ACC-4    CUS-4                             100, 110, 120 (tax 10)              -
/// ACC-5    DIST (EUR)                        50, 50, 50 (tax 5)                  CUS-5 by DIST 90, 90, 90 EUR
/// </code>
/// </summary>
public sealed class ChannelWorld : IDisposable
{
    private readonly TempFolder _temp = new("tem-channel");

    public ChannelWorld()
    {
        Folder = _temp.Path;
        Lake = TemLake.Open(Path.Combine(Folder, "lake"));
        Ingest("parties.csv", """
            party_id,name,kind,parent_id,brand_name,brand_color,logo_file,valid_from,valid_to
            PRV-1,Telco One,provider,,,,,,
            DIST,Delta Distribution,distributor,,,,,,
            DLR-A,Alpha Dealer,dealer,DIST,Alpha Brand,#336699,,,
            DLR-B,Bravo Dealer,dealer,,,,,,2026-02-01
            DLR-B,Bravo Dealer,dealer,DIST,,,,2026-02-01,
            CUS-1,Customer One,customer,DLR-A,,,,,
            CUS-2,Customer Two,customer,DLR-A,,,,,2026-02-01
            CUS-2,Customer Two,customer,DLR-B,,,,2026-02-01,
            CUS-3,Customer Three,customer,DLR-B,,,,,
            CUS-4,Customer Four,customer,,,,,,
            CUS-5,Customer Five,customer,DIST,,,,,

            """);
        Ingest("accounts.csv", """
            account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id,valid_from,valid_to
            ACC-1,Telco One,CUS-1,DLR-A,DLR-A,USD,Europe/London,false,,,
            ACC-2,Telco One,CUS-2,DLR-A,DLR-A,USD,Europe/London,false,,,2026-02-01
            ACC-2,Telco One,CUS-2,DLR-B,DLR-B,USD,Europe/London,false,,2026-02-01,
            ACC-3,Telco One,CUS-3,DLR-B,DLR-B,USD,Europe/London,false,,,
            ACC-4,Telco One,CUS-4,CUS-4,,USD,Europe/London,false,,,
            ACC-5,Telco One,CUS-5,DIST,DIST,EUR,Europe/London,false,,,

            """);
        var invoices = new StringBuilder("invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency\n");
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        void Line(string account, int month, string? service, string type, decimal amount, string currency = "USD")
        {
            var m = month.ToString("00", CultureInfo.InvariantCulture);
            var last = DateTime.DaysInMonth(2026, month).ToString(CultureInfo.InvariantCulture);
            var no = lines[account + m] = lines.GetValueOrDefault(account + m) + 1;
            invoices.Append(CultureInfo.InvariantCulture, $"INV-{account}-{m},Telco One,{account},2026-{m}-{last},2026-{m}-01,2026-{m}-{last},{no},{service},{type},{type},1,{amount},{amount},{currency}\n");
        }

        for (var m = 1; m <= 2; m++)
        {
            Line("ACC-1", m, "SVC-1", "recurring", 60m);
            Line("ACC-1", m, null, "tax", 6m);
            Line("ACC-2", m, "SVC-2", "recurring", 40m);
            Line("ACC-2", m, null, "tax", 4m);
        }

        Line("ACC-2", 3, "SVC-2", "recurring", 45m);
        Line("ACC-2", 3, "SVC-2", "credit", -5m);
        Line("ACC-2", 3, null, "tax", 4.5m);
        for (var m = 1; m <= 3; m++)
        {
            Line("ACC-3", m, "SVC-3", "recurring", 80m);
            Line("ACC-3", m, null, "tax", 8m);
            Line("ACC-4", m, "SVC-4", "recurring", 90m + (10m * m));
            Line("ACC-4", m, null, "tax", 10m);
            Line("ACC-5", m, "SVC-5", "recurring", 50m, "EUR");
            Line("ACC-5", m, null, "tax", 5m, "EUR");
        }

        Line("ACC-3", 3, null, "surcharge", 2m);
        Ingest("invoices.csv", invoices.ToString());
        Ingest("resale.csv", """
            reseller_id,customer_id,service_id,period,amount,currency
            DLR-A,CUS-1,SVC-1,2026-01,60.00,USD
            DLR-A,CUS-1,SVC-1B,2026-01,40.00,USD
            DLR-A,CUS-1,SVC-1,2026-02,60.00,USD
            DLR-A,CUS-1,SVC-1B,2026-02,40.00,USD
            DLR-A,CUS-2,SVC-2,2026-01,70.00,USD
            DLR-B,CUS-2,SVC-2,2026-02,70.00,USD
            DLR-B,CUS-2,SVC-2,2026-03,75.00,USD
            DLR-B,CUS-3,SVC-3,2026-01,120.00,USD
            DLR-B,CUS-3,SVC-3,2026-02,120.00,USD
            DLR-B,CUS-3,SVC-3,2026-03,130.00,USD
            DIST,CUS-5,SVC-5,2026-01,90.00,EUR
            DIST,CUS-5,SVC-5,2026-02,90.00,EUR
            DIST,CUS-5,SVC-5,2026-03,90.00,EUR

            """);
        Out = Path.Combine(Folder, "out");
        Result = ReportWriter.Write(Lake, Out, new ReportOptions { WriteTenantSets = false }, SampleReportFixture.Clock);
    }

    public string Folder { get; }

    public TemLake Lake { get; }

    /// <summary>The full set (no tenant sets).</summary>
    public string Out { get; }

    public ReportResult Result { get; }

    internal ChannelReport Report(string? tenant) => ChannelReport.Build(ReportDataLoader.Load(Lake, tenant, []).Channel);

    public void Dispose() => _temp.Dispose();

    private void Ingest(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        var report = new Ingestor(Lake, SampleReportFixture.Clock, new IngestOptions { Threads = 1 }).IngestFile(path, "channel");
        Assert.True(report.RowsRejected == 0 && report.Outcome == FileOutcome.Stored, $"{name}: {report.Message}");
    }
}

/// <summary>channel.html and the MRR and Profit sheets: MRR, churn, NRR, cost, sale, profit and the rollup against hand-computed numbers.</summary>
public sealed partial class ChannelTests(ChannelWorld w) : IClassFixture<ChannelWorld>
{
    private static readonly BillingMonth Jan = new(2026, 1);
    private static readonly BillingMonth Feb = new(2026, 2);
    private static readonly BillingMonth Mar = new(2026, 3);
    private static readonly CurrencyCode Usd = CurrencyCode.Parse("USD");
    private static readonly CurrencyCode Eur = CurrencyCode.Parse("EUR");

    [Fact]
    public void Build_FullSet_MrrPerResellerCustomerAndMonth_ZeroWhereNoResale()
    {
        var r = w.Report(null);
        Assert.Equal([Jan, Feb, Mar], r.Months);
        Assert.Equal([("DIST", Eur), ("DLR-A", Usd), ("DLR-B", Usd)], r.Mrr.Select(m => (m.SellerId, m.Currency)));

        // DLR-A: CUS-1 60 + 40 = 100 in Jan and Feb, none in Mar; CUS-2 70 in Jan only (it moves to DLR-B).
        var a = Seller(r, "DLR-A");
        Assert.Equal([170m, 100m, 0m], a.Mrr);
        Assert.Equal(["CUS-1", "CUS-2"], a.Customers.Select(c => c.CustomerId));
        Assert.Equal([100m, 100m, 0m], a.Customers[0].Mrr);
        Assert.Equal([70m, 0m, 0m], a.Customers[1].Mrr);

        // DLR-B: CUS-3 120, 120, 130; CUS-2 from Feb 70, 75.
        var b = Seller(r, "DLR-B");
        Assert.Equal([120m, 120m + 70m, 130m + 75m], b.Mrr);
        Assert.Equal([90m, 90m, 90m], Seller(r, "DIST").Mrr);
    }

    [Fact]
    public void Build_FullSet_ChurnAndNrr_PerMonthAndOverTheWindow()
    {
        var r = w.Report(null);

        // DLR-A, Feb: CUS-2 left (70 lost); NRR = CUS-1 and CUS-2's Feb MRR / their Jan MRR = 100 / 170.
        // Mar: CUS-1 left (100 lost); NRR = 0 / 100. Window: Mar MRR of Jan's customers / Jan MRR = 0 / 170.
        var a = Seller(r, "DLR-A");
        Assert.Equal([new Retention(Feb, 1, 70m, 100m / 170m), new Retention(Mar, 1, 100m, 0m)], a.Retention);
        Assert.Equal(0m, a.WindowNrr);
        Assert.Equal((2, 170m), (a.Churned, a.MrrLost));

        // DLR-B, Feb: nobody left; NRR = CUS-3 120 / 120 (CUS-2 is new, not retained). Mar: (75 + 130) / (70 + 120).
        // Window: CUS-3 130 / 120.
        var b = Seller(r, "DLR-B");
        Assert.Equal([new Retention(Feb, 0, 0m, 1m), new Retention(Mar, 0, 0m, 205m / 190m)], b.Retention);
        Assert.Equal(130m / 120m, b.WindowNrr);

        var d = Seller(r, "DIST");
        Assert.Equal([new Retention(Feb, 0, 0m, 1m), new Retention(Mar, 0, 0m, 1m)], d.Retention);
        Assert.Equal(1m, d.WindowNrr);
    }

    [Fact]
    public void Build_FullSet_CostSaleProfitPerSellerAndCustomer_TaxesOutTransferFollowed()
    {
        var r = w.Report(null);

        // DLR-A cost: ACC-1 60 + 60, ACC-2 40 in Jan (DLR-B's from Feb); sale 100 + 100 + 70 = 270; profit 110.
        Assert.Equal((160m, 270m, 110m), Figures(r, ProfitLevel.Seller, Usd, "DLR-A"));
        Assert.Equal(110m / 270m, Row(r, ProfitLevel.Seller, Usd, "DLR-A").MarginPct);

        // DLR-B cost: ACC-2 40 + (45 - 5), ACC-3 80 + 80 + 82 = 322; sale 70 + 75 + 120 + 120 + 130 = 515; profit 193.
        Assert.Equal((322m, 515m, 193m), Figures(r, ProfitLevel.Seller, Usd, "DLR-B"));
        Assert.Equal((150m, 270m, 120m), Figures(r, ProfitLevel.Seller, Eur, "DIST"));

        Assert.Equal((120m, 200m, 80m), Figures(r, ProfitLevel.Customer, Usd, "CUS-1", "DLR-A"));
        Assert.Equal((40m, 70m, 30m), Figures(r, ProfitLevel.Customer, Usd, "CUS-2", "DLR-A"));
        Assert.Equal((80m, 145m, 65m), Figures(r, ProfitLevel.Customer, Usd, "CUS-2", "DLR-B"));
        Assert.Equal((242m, 370m, 128m), Figures(r, ProfitLevel.Customer, Usd, "CUS-3", "DLR-B"));
        Assert.Equal([Jan, Feb], Row(r, ProfitLevel.Customer, Usd, "CUS-1", "DLR-A").Months);

        // Totals per currency, each seller once: USD 160 + 322, 270 + 515; EUR on its own.
        Assert.Equal((482m, 785m, 303m), Figures(r, ProfitLevel.Total, Usd, null));
        Assert.Equal((150m, 270m, 120m), Figures(r, ProfitLevel.Total, Eur, null));
    }

    [Fact]
    public void Build_FullSet_DistributorRollup_FollowsTheParentLinkInForceEachMonth()
    {
        var r = w.Report(null);

        // DLR-A is under DIST in every month: all of it. DLR-B only from Feb: cost 40 + 80 and 40 + 82 = 242,
        // sale 70 + 120 and 75 + 130 = 395. Its Jan (cost 80, sale 120) is in no rollup but still in the total.
        Assert.Equal(["DLR-A", "DLR-B"], r.Profit.Where(p => p.Level == ProfitLevel.RollupPart && p.Currency == Usd).Select(p => p.PartyId));
        Assert.Equal([Jan, Feb], Row(r, ProfitLevel.RollupPart, Usd, "DLR-A", "DIST").Months); // nothing of DLR-A's in March
        Assert.Equal([Feb, Mar], Row(r, ProfitLevel.RollupPart, Usd, "DLR-B", "DIST").Months);
        Assert.Equal((160m, 270m, 110m), Figures(r, ProfitLevel.RollupPart, Usd, "DLR-A", "DIST"));
        Assert.Equal((242m, 395m, 153m), Figures(r, ProfitLevel.RollupPart, Usd, "DLR-B", "DIST"));
        Assert.Equal((402m, 665m, 263m), Figures(r, ProfitLevel.Rollup, Usd, "DIST"));

        // In EUR the distributor's rollup is its own sales.
        Assert.Equal((150m, 270m, 120m), Figures(r, ProfitLevel.RollupPart, Eur, "DIST", "DIST"));
        Assert.Equal((150m, 270m, 120m), Figures(r, ProfitLevel.Rollup, Eur, "DIST"));
        Assert.Equal(["DIST", "DIST"], r.Profit.Where(p => p.Level == ProfitLevel.Rollup).Select(p => p.PartyId));
    }

    [Fact]
    public void Build_FullSet_DirectChannel_CarrierCostWithoutSale_NotInTheTotal()
    {
        var r = w.Report(null);

        // CUS-4: 100 + 110 + 120, taxes out; no channel sale, so no profit or margin.
        var direct = Assert.Single(r.Profit, p => p.Level == ProfitLevel.Direct);
        Assert.Equal(("CUS-4", Usd, 330m, (decimal?)null, (decimal?)null, (decimal?)null), (direct.PartyId, direct.Currency, direct.Cost, direct.Sale, direct.Profit, direct.MarginPct));
        Assert.Equal(482m, Row(r, ProfitLevel.Total, Usd, null).Cost);
    }

    [Fact]
    public void ChannelHtml_FullSet_CellsAndChartHoldTheHandComputedNumbers()
    {
        var html = File.ReadAllText(Path.Combine(w.Out, "channel.html"));
        Assert.Contains(Path.Combine(w.Out, "channel.html"), w.Result.Files);

        var a = Cells(Section(html, "<tbody class=\"seller\" data-reseller=\"DLR-A\">", "</tbody>"));
        Assert.Equal("170.0000", a[("mrr", "2026-01")]);
        Assert.Equal("0.0000", a[("mrr", "2026-03")]);
        Assert.Equal("1", a[("churned", "2026-02")]);
        Assert.Equal("100.0000", a[("mrr-lost", "2026-03")]);
        Assert.Equal(100m / 170m, decimal.Parse(a[("nrr", "2026-02")], CultureInfo.InvariantCulture));
        Assert.Equal(0m, decimal.Parse(a[("nrr", "window")], CultureInfo.InvariantCulture));
        Assert.Equal("2", a[("churned", "window")]);
        var b = Cells(Section(html, "<tbody class=\"seller\" data-reseller=\"DLR-B\">", "</tbody>"));
        Assert.Equal(130m / 120m, decimal.Parse(b[("nrr", "window")], CultureInfo.InvariantCulture));
        Assert.Contains("<td class=\"num\" data-measure=\"nrr\" data-month=\"2026-03\" data-value=\"" + (205m / 190m).ToString(CultureInfo.InvariantCulture) + "\">107.9%</td>", html, StringComparison.Ordinal);

        // The chart: a line per reseller and currency, a point per month, 0 drawn where there is no MRR.
        var usd = Regex.Match(html, "<svg [^>]*data-chart=\"channel-mrr\" [^>]*aria-label=\"USD MRR per reseller\".*?</svg>").Value;
        var values = Regex.Match(usd, "<desc>(.*?)</desc>").Groups[1].Value;
        Assert.Equal(6, Regex.Count(values, "2026-0[1-3] [0-9,]+\\.[0-9]{2}"));
        Assert.Matches("Alpha Dealer: 2026-01 170\\.00, 2026-02 [0-9,]+\\.[0-9]{2}, 2026-03 0\\.00\\.", values);
        Assert.DoesNotContain("Delta Distribution", usd, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"EUR MRR per reseller\"", html, StringComparison.Ordinal);

        Assert.Equal(("160.0000", "270.0000", "110.0000"), Money(Section(html, "<tr data-row=\"seller\" data-party=\"DLR-A\" data-currency=\"USD\">", "</tr>")));
        Assert.Equal(("482.0000", "785.0000", "303.0000"), Money(Section(html, "<tr class=\"total\" data-row=\"total\" data-currency=\"USD\">", "</tr>")));
        Assert.Equal(("402.0000", "665.0000", "263.0000"), Money(Section(html, "<tr class=\"total\" data-row=\"rollup\" data-distributor=\"DIST\" data-currency=\"USD\">", "</tr>")));
        Assert.Equal(("242.0000", "395.0000", "153.0000"), Money(Section(html, "<tr data-row=\"rollup-part\" data-distributor=\"DIST\" data-party=\"DLR-B\" data-currency=\"USD\">", "</tr>")));
        Assert.Equal(("150.0000", "270.0000", "120.0000"), Money(Section(html, "<tr data-row=\"seller\" data-party=\"DIST\" data-currency=\"EUR\">", "</tr>")));
        var direct = Section(html, "<tr data-row=\"direct\" data-party=\"CUS-4\" data-currency=\"USD\">", "</tr>");
        Assert.Contains("data-measure=\"cost\" data-value=\"330.0000\">330.00</td>", direct, StringComparison.Ordinal);
        Assert.Contains("no channel sale", direct, StringComparison.Ordinal);

        // report.html names the channel view among what comes with it (it has no navigation bar; its links may only be data: or #).
        Assert.Contains("the channel view (MRR, churn, retention and profit", File.ReadAllText(Path.Combine(w.Out, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Xlsx_FullSet_MrrAndProfitSheets_HoldTheNumbers()
    {
        using var doc = SpreadsheetDocument.Open(Path.Combine(w.Out, "report.xlsx"), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc));
        Assert.Equal(["Summary", "Charts", "Findings", "Carriers", "Cost centres", "Accounts", "Margin", "MRR", "Profit", "Contingency", "Definitions"],
            doc.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value!));

        var mrr = TotalsTests.Rows(doc, "MRR");
        Assert.Equal(["Level", "Reseller id", "Reseller", "Customer id", "Customer", "Currency", "Month", "MRR", "Churned customers", "MRR lost", "NRR"], mrr[0].Select(c => c.Text));
        var march = mrr.Single(r => r[0].Text == "reseller" && r[1].Text == "DLR-A" && r[6].Text == "2026-03");
        Assert.Equal((0m, 1m, 100m, 0m), (march[7].Number, march[8].Number, march[9].Number, march[10].Number));
        Assert.True(march[7].Numeric);
        var window = mrr.Single(r => r[0].Text == "window" && r[1].Text == "DLR-B");
        Assert.Equal(("2026-01 to 2026-03", 130m / 120m), (window[6].Text, window[10].Number));
        Assert.Equal(75m, mrr.Single(r => r[0].Text == "customer" && r[1].Text == "DLR-B" && r[3].Text == "CUS-2" && r[6].Text == "2026-03")[7].Number);

        var profit = TotalsTests.Rows(doc, "Profit");
        var rollup = profit.Single(r => r[0].Text == "rollup" && r[1].Text == "DIST" && r[5].Text == "USD");
        Assert.Equal((402m, 665m, 263m), (rollup[7].Number, rollup[8].Number, rollup[9].Number));
        var direct = profit.Single(r => r[0].Text == "direct");
        Assert.Equal(("CUS-4", 330m, string.Empty, "no channel sale"), (direct[1].Text, direct[7].Number, direct[8].Text, direct[11].Text));
        Assert.Contains(TotalsTests.Rows(doc, "Definitions"), r => r[0].Text == "NRR");
    }

    [Fact]
    public void TenantSet_DealerA_ShowsOnlyDealerARows()
    {
        var dir = Path.Combine(w.Folder, "dlr-a");
        var result = ReportWriter.Write(w.Lake, dir, new ReportOptions { Tenant = "DLR-A" }, SampleReportFixture.Clock);
        Assert.Contains(Path.Combine(dir, "channel.html"), result.Files);
        var html = File.ReadAllText(Path.Combine(dir, "channel.html"));

        // The lake's March is in its months although dealer A has no row then: CUS-1's churn shows.
        var a = Cells(Section(html, "<tbody class=\"seller\" data-reseller=\"DLR-A\">", "</tbody>"));
        Assert.Equal(("170.0000", "100.0000", "0.0000", "100.0000"), (a[("mrr", "2026-01")], a[("mrr", "2026-02")], a[("mrr", "2026-03")], a[("mrr-lost", "2026-03")]));
        Assert.Equal(("160.0000", "270.0000", "110.0000"), Money(Section(html, "<tr class=\"total\" data-row=\"total\" data-currency=\"USD\">", "</tr>")));
        Assert.Equal(["DLR-A"], Regex.Matches(html, "data-reseller=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct());
        foreach (var other in new[] { "DLR-B", "Bravo", "CUS-3", "CUS-4", "CUS-5", "EUR", "data-row=\"rollup\"", "data-row=\"direct\"" })
        {
            Assert.DoesNotContain(other, html, StringComparison.Ordinal);
        }

        var r = w.Report("DLR-A");
        Assert.Equal(["DLR-A"], r.Mrr.Select(m => m.SellerId));
        Assert.All(r.Profit, p => Assert.True(p.PartyId is null or "DLR-A" or "CUS-1" or "CUS-2", p.ToString()));
    }

    [Fact]
    public void TenantSet_Distributor_SeesDealerBFromTheMonthItJoined_RollupAsInTheFullSet()
    {
        var r = w.Report("DIST");

        // DLR-B is below DIST from February only: its January is not DIST's to see.
        var b = Seller(r, "DLR-B");
        Assert.Equal([0m, 190m, 205m], b.Mrr);
        Assert.Null(b.Retention[0].Nrr);
        Assert.Null(b.WindowNrr);
        Assert.Equal((242m, 395m, 153m), Figures(r, ProfitLevel.Seller, Usd, "DLR-B"));
        Assert.Equal((402m, 665m, 263m), Figures(r, ProfitLevel.Rollup, Usd, "DIST"));
        Assert.Equal((402m, 665m, 263m), Figures(r, ProfitLevel.Total, Usd, null));
        Assert.DoesNotContain(r.Profit, p => p.Level == ProfitLevel.Direct);
    }

    [Theory]
    [InlineData("CUS-3")]
    [InlineData("CUS-4")]
    public void TenantSet_EndCustomer_WritesNoChannelHtmlNorSheets(string customer)
    {
        // CUS-3 sees its own resale lines (its spend) but no seller of its own; CUS-4 only its direct carrier bills.
        var dir = Path.Combine(w.Folder, "customer-" + customer);
        var result = ReportWriter.Write(w.Lake, dir, new ReportOptions { Tenant = customer }, SampleReportFixture.Clock);
        Assert.False(File.Exists(Path.Combine(dir, "channel.html")));
        Assert.DoesNotContain(result.Files, f => f.EndsWith("channel.html", StringComparison.Ordinal));
        using var doc = SpreadsheetDocument.Open(Path.Combine(dir, "report.xlsx"), false);
        Assert.DoesNotContain(doc.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>(), s => s.Name == "MRR" || s.Name == "Profit");
        Assert.DoesNotContain("channel.html", File.ReadAllText(Path.Combine(dir, "report.html")), StringComparison.Ordinal);
        Assert.False(ReportDataLoader.Load(w.Lake, customer, []).Channel.HasSellerData);
    }

    private static SellerMrr Seller(ChannelReport r, string id) => Assert.Single(r.Mrr, m => m.SellerId == id);

    private static ProfitRow Row(ChannelReport r, ProfitLevel level, CurrencyCode currency, string? party, string? under = null) =>
        Assert.Single(r.Profit, p => p.Level == level && p.Currency == currency && p.PartyId == party && p.Under == under);

    private static (decimal Cost, decimal? Sale, decimal? Profit) Figures(ChannelReport r, ProfitLevel level, CurrencyCode currency, string? party, string? under = null)
    {
        var row = Row(r, level, currency, party, under);
        return (row.Cost, row.Sale, row.Profit);
    }

    private static string Section(string html, string start, string end)
    {
        var at = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, "missing " + start);
        var rest = html[at..];
        return rest[..(rest.IndexOf(end, StringComparison.Ordinal) + end.Length)];
    }

    private static Dictionary<(string Measure, string Month), string> Cells(string html) =>
        MonthCell().Matches(html).ToDictionary(m => (m.Groups[1].Value, m.Groups[2].Value), m => m.Groups[3].Value);

    private static (string Cost, string Sale, string Profit) Money(string row)
    {
        string Of(string measure) => Assert.Single(Regex.Matches(row, $"data-measure=\"{measure}\" data-value=\"([^\"]+)\"")).Groups[1].Value;
        return (Of("cost"), Of("sale"), Of("profit"));
    }

    [GeneratedRegex("data-measure=\"([a-z-]+)\" data-month=\"([^\"]+)\" data-value=\"([^\"]+)\"")]
    private static partial Regex MonthCell();
}
