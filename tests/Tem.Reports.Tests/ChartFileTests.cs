using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Tem.Reports.Tests;

/// <summary>The sample set's charts in report.html and in the workbook's Charts sheet, checked against the lake's own tables; the whole folder written twice is the same bytes.</summary>
[Collection(SampleReportCollection.Name)]
public sealed class ChartFileTests(SampleReportFixture fx)
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    [Fact]
    public void Waterfall_Sample_StartsAtTheLatestSpend_StepsAreTheRulesSavings_LabelsAddUp_AxisFromZero()
    {
        var html = File.ReadAllText(Path.Combine(fx.Out, "report.html"));
        var latest = (string)fx.Sql("SELECT max(month) FROM charges")[0][0]!;
        var currencies = fx.Sql("SELECT DISTINCT currency FROM charges ORDER BY 1").Select(r => (string)r[0]!).ToList();
        Assert.Equal(3, currencies.Count);
        foreach (var c in currencies)
        {
            // Independently of the chart code: cents rounded half away from zero, the end printed is the start less the steps as printed.
            static decimal Cents(object? v) => Math.Round(Read.Dec(v), 2, MidpointRounding.AwayFromZero);
            static string Text(decimal v) => v.ToString("#,##0.00", CultureInfo.InvariantCulture);
            var start = Cents(fx.Sql($"SELECT sum(amount) FROM charges WHERE currency = '{c}' AND month = '{latest}'")[0][0]);
            var steps = fx.Sql($"SELECT rule, sum(monthly_savings) AS m FROM findings WHERE currency = '{c}' AND money_kind = 'validated' AND {TotalsTests.Live} GROUP BY rule HAVING m > 0 ORDER BY m DESC, rule")
                .Select(r => Cents(r[1])).ToList();
            Assert.NotEmpty(steps);
            var end = start - steps.Sum();

            var svg = Regex.Match(html, $"<svg [^>]*data-chart=\"waterfall\" [^>]*aria-label=\"{c} monthly spend to spend after savings\".*?</svg>(?=</figure>)").Value;
            var doc = XDocument.Parse(svg);
            var desc = doc.Root!.Element(Ns + "desc")!.Value;
            Assert.StartsWith($"Spend {latest} {Text(start)}; ", desc, StringComparison.Ordinal);
            Assert.Equal(steps.Select(s => "−" + Text(s)), Regex.Matches(desc, "−[0-9,]+\\.[0-9]{2}").Select(m => m.Value).Take(steps.Count));
            Assert.Contains($"; After savings {Text(end)}.", desc, StringComparison.Ordinal);

            // The labels drawn: the same three kinds of figure, and a value axis that has a 0.
            var main = doc.Root.Element(Ns + "svg") ?? doc.Root;
            var texts = main.Elements(Ns + "text").Concat(main.Elements(Ns + "g").Elements(Ns + "text")).Select(t => t.Value).ToList();
            Assert.Contains(Text(start), texts);
            Assert.Contains(Text(end), texts);
            Assert.All(steps, s => Assert.Contains("−" + Text(s), texts));
            Assert.Contains("0", texts);

            // Savings under a tenth of the spend would be hairlines: the sample's are, so each currency shows them at their own scale.
            Assert.True(steps.Sum() < start / 10);
            Assert.Contains($"The steps at their own scale: {Text(steps.Sum())} in all", svg, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReportXlsx_ChartsSheet_ValidatesAndHoldsEveryChartOfThePageAsAPngUnderItsTitle()
    {
        using var doc = SpreadsheetDocument.Open(Path.Combine(fx.Out, "report.xlsx"), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc));
        var part = TotalsTests.Part(doc, "Charts");
        var titles = TotalsTests.Rows(doc, "Charts").Select(r => r[0].Text).ToList();

        // The page's charts, by their aria-label, in the page's order, then channel.html's.
        var page = Regex.Matches(File.ReadAllText(Path.Combine(fx.Out, "report.html")), "<svg [^>]*data-chart=\"[^\"]+\" [^>]*aria-label=\"([^\"]+)\"").Select(m => m.Groups[1].Value);
        var channel = Regex.Matches(File.ReadAllText(Path.Combine(fx.Out, "channel.html")), "<svg [^>]*data-chart=\"channel-mrr\" [^>]*aria-label=\"([^\"]+)\"").Select(m => m.Groups[1].Value);
        Assert.Equal(page.Concat(channel).ToList(), titles);
        Assert.Equal(3 * 4, page.Count());

        // The rows the images are placed by are 20 pixels (15 points) in every spreadsheet, not each one's own default.
        var format = part.Worksheet.GetFirstChild<SheetFormatProperties>()!;
        Assert.Equal((15d, true), (format.DefaultRowHeight!.Value, format.CustomHeight!.Value));
        var anchors = part.DrawingsPart!.WorksheetDrawing.Elements<Xdr.OneCellAnchor>().ToList();
        Assert.Equal(titles.Count, anchors.Count);
        var titleRows = part.Worksheet.Descendants<Row>().Select(r => (int)r.RowIndex!.Value).ToList();
        var previousEnd = 0L;
        for (var i = 0; i < anchors.Count; i++)
        {
            // Anchored in the row under its title (row ids count from 0), and ending before the next title's row.
            var row = int.Parse(anchors[i].FromMarker!.RowId!.Text, CultureInfo.InvariantCulture);
            Assert.Equal(titleRows[i], row);
            Assert.True(row >= previousEnd, $"chart {i + 1} overlaps the one above");
            var extent = anchors[i].Extent!;
            previousEnd = row + (extent.Cy!.Value / 9525 / 20) + 1;

            var blip = anchors[i].Descendants<DocumentFormat.OpenXml.Drawing.Blip>().Single();
            var image = (ImagePart)part.DrawingsPart.GetPartById(blip.Embed!.Value!);
            using var stream = image.GetStream();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            var png = bytes.ToArray();
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            int Be(int at) => (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            Assert.Equal((extent.Cx!.Value / 9525, extent.Cy.Value / 9525), (Be(16), Be(20)));
            Assert.True(png.Length > 8_000, $"chart {i + 1}: {png.Length} bytes looks blank");
        }
    }

    [Fact]
    public void ReportWriter_SameLakeWrittenTwice_EveryFileIsTheSameBytes()
    {
        var first = Path.Combine(fx.Folder, "twice-" + Guid.NewGuid().ToString("N")[..8]);
        var second = first + "-again";
        ReportWriter.Write(fx.Lake, first, new ReportOptions(), SampleReportFixture.Clock);
        ReportWriter.Write(fx.Lake, second, new ReportOptions(), SampleReportFixture.Clock);
        var files = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("report.xlsx", files);
        Assert.Contains(Path.Combine("tenants", "DLR-01", "report.xlsx"), files);
        Assert.Equal(files, Directory.GetFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.True(File.ReadAllBytes(Path.Combine(first, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, f))), $"{f} differs between two writes"));

        // The workbook's dates are the report's "generated" time, not the clock's.
        using var doc = SpreadsheetDocument.Open(Path.Combine(first, "report.xlsx"), false);
        var generated = SampleReportFixture.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal((generated, generated), (doc.PackageProperties.Created, doc.PackageProperties.Modified));
    }

    [Fact]
    public void ReportWriter_ChartFontNotInstalled_FailsWithTheFontErrorAndWritesNothing()
    {
        var output = Path.Combine(fx.Folder, "nofont-" + Guid.NewGuid().ToString("N")[..8]);
        var e = Assert.Throws<ChartFontException>(() => ReportWriter.Write(fx.Lake, output, new ReportOptions { ChartFont = "Tem Missing Font" }, SampleReportFixture.Clock));
        Assert.Contains("install fonts-dejavu-core", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }
}
