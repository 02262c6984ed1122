using System.IO.Compression;
using System.Net;
using System.Text;

namespace Tem.Reports.Tests;

/// <summary>Tenant sets of the sample lake: the customers below the party, branding, the one-tenant command (random channels: <see cref="TenantHistoryTests"/>).</summary>
[Collection(SampleReportCollection.Name)]
public sealed class TenantTests(SampleReportFixture fx)
{
    [Fact]
    public void TenantSet_SampleDealer_HoldsOnlyItsCustomers_Branded()
    {
        var dir = Path.Combine(fx.Out, "tenants", "DLR-01");
        var csv = Read.Csv(Path.Combine(dir, "findings.csv"));
        var expected = fx.Sql("SELECT finding_id FROM findings WHERE customer_id IN (SELECT party_id FROM parties WHERE parent_id = 'DLR-01')")
            .Select(r => (string)r[0]!).Order(StringComparer.Ordinal);
        Assert.Equal(expected, csv.Select(r => r["finding_id"]!).Order(StringComparer.Ordinal));

        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains(":root { --brand: #0B6E4F; }", html, StringComparison.Ordinal);
        Assert.Contains("alt=\"Harbor Connect logo\"", html, StringComparison.Ordinal);
        var logo = Convert.ToBase64String(File.ReadAllBytes(RepoPaths.Combine("sample-data", "logos", "harbor-connect.svg")));
        // The renderer writes the data URI's "+" as &#x2B;, which a browser decodes.
        Assert.Contains("src=\"data:image/svg+xml;base64," + logo + "\"", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("Prepared by <strong><bdi>Harbor Connect</bdi></strong>", html, StringComparison.Ordinal);
        foreach (var other in new[] { "Kessler Maschinenbau", "Northgate Retail", "St. Aldric", "Orion Freight", "RH4711002", "0551004417" })
        {
            Assert.DoesNotContain(other, AllText(dir), StringComparison.Ordinal);
        }

        // A dealer without a logo file is branded by name and colour.
        var summit = File.ReadAllText(Path.Combine(fx.Out, "tenants", "DLR-02", "report.html"));
        Assert.Contains(":root { --brand: #7A1F5C; }", summit, StringComparison.Ordinal);
        Assert.Contains("<div class=\"brand-name\">Summit Partner Portal</div>", summit, StringComparison.Ordinal);
    }

    [Fact]
    public void TenantSet_Distributor_HoldsBothDealersCustomers()
    {
        var csv = Read.Csv(Path.Combine(fx.Out, "tenants", "DIST-01", "findings.csv"));
        var expected = fx.Sql("SELECT finding_id FROM findings WHERE customer_id IN ('CUS-01', 'CUS-02', 'CUS-03')").Select(r => (string)r[0]!).Order(StringComparer.Ordinal);
        Assert.Equal(expected, csv.Select(r => r["finding_id"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_OneTenant_WritesOnlyItsSetIntoTheFolder()
    {
        var dir = Path.Combine(fx.Folder, "one-tenant");
        var result = ReportWriter.Write(fx.Lake, dir, new ReportOptions { Tenant = "DLR-02" }, SampleReportFixture.Clock);
        Assert.Equal(["DLR-02"], result.Tenants);
        Assert.False(Directory.Exists(Path.Combine(dir, "tenants")));
        Assert.Equal(File.ReadAllText(Path.Combine(fx.Out, "tenants", "DLR-02", "findings.csv")), File.ReadAllText(Path.Combine(dir, "findings.csv")));
        var expected = fx.Sql($"""
            SELECT currency, coalesce(sum(one_time_amount + 12 * monthly_savings) FILTER (WHERE money_kind = 'validated'), 0) FROM findings
            WHERE customer_id = 'CUS-03' AND {TotalsTests.Live} GROUP BY ALL ORDER BY ALL
            """);
        Assert.Equal(expected.Select(r => ((string)r[0]!, Read.Dec(r[1]))), result.Totals.Select(t => (t.Currency.Code, t.Validated.FoundMoney)));
    }

    [Fact]
    public void Write_UnknownTenant_ThrowsNamingTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ReportWriter.Write(fx.Lake, Path.Combine(fx.Folder, "nope"), new ReportOptions { Tenant = "DLR-99" }, SampleReportFixture.Clock));
        Assert.Contains("DLR-99", e.Message, StringComparison.Ordinal);
        Assert.Contains("DIST-01, DLR-01, DLR-02", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The text of every file under a folder; workbooks unzipped, so cell text is searchable.</summary>
    internal static string AllText(string dir)
    {
        var b = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".xlsx", StringComparison.Ordinal))
            {
                using var zip = ZipFile.OpenRead(file);
                foreach (var entry in zip.Entries)
                {
                    using var reader = new StreamReader(entry.Open());
                    b.Append(reader.ReadToEnd()).Append('\n');
                }
            }
            else
            {
                b.Append(File.ReadAllText(file)).Append('\n');
            }
        }

        return b.ToString();
    }
}
