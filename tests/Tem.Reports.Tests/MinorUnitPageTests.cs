using System.Globalization;
using System.Net;
using System.Text;
using Tem.Audit;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Reports.Tests;

/// <summary>
/// Amounts on the pages in each currency's own minor units: a JPY account (no minor unit) and a KWD account (three
/// decimals), each tax-exempt and charged tax, so that the audit's tax_on_exempt finding, its detail, the report and
/// the dispute letter all show the amount.
/// </summary>
public sealed class MinorUnitPageTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-minor-units");

    [Fact]
    public void Pages_JpyAndKwd_AmountsInTheirMinorUnits_DetailToo()
    {
        var lake = TemLake.Open(_temp.Sub("lake"));
        Ingest(lake, "accounts.csv", """
            account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id
            ACC-JP,Telco One,CUS-1,CUS-1,,JPY,Asia/Tokyo,true,
            ACC-KW,Telco One,CUS-1,CUS-1,,KWD,Asia/Kuwait,true,

            """);
        Ingest(lake, "invoices.csv", """
            invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency
            INV-JP-01,Telco One,ACC-JP,2026-01-31,2026-01-01,2026-01-31,1,,tax,consumption tax,1,1234.5,1234.5,JPY
            INV-KW-01,Telco One,ACC-KW,2026-01-31,2026-01-01,2026-01-31,1,,tax,tax,1,12.3456,12.3456,KWD

            """);
        new AuditEngine(lake, SampleReportFixture.Clock).Run(new AuditOptions(), "run-1");
        var output = _temp.Sub("out");
        ReportWriter.Write(lake, output, new ReportOptions(), SampleReportFixture.Clock);

        // Worked out by hand: 1234.5 yen rounds half away from zero to 1,235; 12.3456 dinar to 12.346.
        var details = SampleReportFixture.Query(lake, "SELECT currency, detail FROM findings WHERE rule = 'tax_on_exempt' ORDER BY currency")
            .Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        Assert.Equal([("JPY", "account is tax-exempt; 1 tax line(s) of 1,235 for 2026-01"), ("KWD", "account is tax-exempt; 1 tax line(s) of 12.346 for 2026-01")], details);

        var report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("<span class=\"ccy\">JPY</span>1,235</div>", report, StringComparison.Ordinal);
        Assert.Contains("<span class=\"ccy\">KWD</span>12.346</div>", report, StringComparison.Ordinal);
        Assert.Contains("data-value=\"1234.5000\">1,235</td>", report, StringComparison.Ordinal);
        Assert.Contains("data-value=\"12.3456\">12.346</td>", report, StringComparison.Ordinal);
        Assert.DoesNotContain(">1,234.50<", report, StringComparison.Ordinal);
        Assert.DoesNotContain(">12.35</td>", report, StringComparison.Ordinal);

        // A chart's value label is short (two decimals at most) and never finer than the currency: whole yen.
        Assert.Contains(">1,235</text>", report, StringComparison.Ordinal);
        Assert.DoesNotContain(">1,234.5", report, StringComparison.Ordinal);

        var letter = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(output, "disputes"), "*.html")));
        Assert.Contains(WebUtility.HtmlEncode("Billing dispute: JPY 1,235 and KWD 12.346"), letter, StringComparison.Ordinal);
        Assert.Contains("INV-JP-01#1 consumption tax 1,234.5", letter, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private void Ingest(TemLake lake, string name, string text)
    {
        var path = _temp.Sub(name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        var result = new Ingestor(lake, SampleReportFixture.Clock, new IngestOptions { Threads = 1 }).IngestFile(path, "minor-units");
        Assert.True(result.RowsRejected == 0 && result.Outcome == FileOutcome.Stored, $"{name}: {result.Message}");
    }
}
