using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Tem.Reports.Charts;

namespace Tem.Reports.Tests;

/// <summary>The charts drawn with ScottPlot: well-formed and escaped SVG, the same bytes for the same figures, truthful scales and labels, a checked font.</summary>
public sealed class ChartTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    private static readonly IReadOnlyList<LineSeries> Series =
    [
        new("A & <B>", "#112233", [10m, 12.5m, null, 30m]),
        new("C", "#445566", [5m, 6m, 7m, 8m]),
    ];

    [Fact]
    public void Line_TextWithMarkup_IsEscapedAndTheSvgIsWellFormed()
    {
        var svg = Plots.Line("spend-trend", "Spend \"quoted\" <x>", ["2026-01", "2026-02", "2026-03", "2026-04"], Series, [new LineMarker(0, 3, "anomaly")]).Svg();
        var doc = XDocument.Parse(svg);
        Assert.Equal("spend-trend", (string?)doc.Root!.Attribute("data-chart"));
        Assert.Equal("Spend \"quoted\" <x>", doc.Root.Element(Ns + "title")!.Value);
        Assert.Equal("Spend \"quoted\" <x>", (string?)doc.Root.Attribute("aria-label"));
        Assert.Contains("A & <B>: 2026-01 10.00, 2026-02 12.50, 2026-03 no data, 2026-04 30.00.", doc.Root.Element(Ns + "desc")!.Value, StringComparison.Ordinal);
        Assert.Contains("anomaly: A & <B> 2026-04.", doc.Root.Element(Ns + "desc")!.Value, StringComparison.Ordinal);
        Assert.Contains(doc.Descendants(Ns + "text"), t => t.Value == "A & <B>");
        Assert.DoesNotContain("<B>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_AnyChart_HasNoClipPathIdsNorLineBreaks()
    {
        // Skia numbers clip paths from a process-wide counter: left in, two pages would differ and the charts of one page clash.
        var svg = Plots.Waterfall("w", "w", "start", 1000m, [("a", -20m)], "end", "#123456").Svg();
        Assert.DoesNotContain("clip", svg, StringComparison.Ordinal);
        Assert.DoesNotContain(" id=", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", svg, StringComparison.Ordinal);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 560 ", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_UnderACommaCulture_DrawTheSameSvgAndPngBytesTwice()
    {
        static (string Svg, byte[] Png) Draw()
        {
            var charts = new[]
            {
                Plots.Line("x", "x", ["a", "b", "c", "d"], Series, []),
                Plots.Waterfall("w", "w", "start", 1234.5678m, [("one", -12.34m), ("two", 5.5m)], "end", "#000000"),
                Plots.HorizontalBar("h", "h", [new BarCategory("row", [1.25m, 2.5m])], [new BarSegment("a", "#111111"), new BarSegment("b", "#222222")]),
                Plots.Bar("b", "b", ["m1", "m2"], [-10.5m, 20.25m], "#00AA00", "#AA0000", 1, "payback"),
            };
            return (string.Concat(charts.Select(c => c.Svg())), [.. charts.SelectMany(c => c.Png())]);
        }

        var previous = CultureInfo.CurrentCulture;
        (string Svg, byte[] Png) invariant;
        (string Svg, byte[] Png) german;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariant = Draw();
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            german = Draw();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(invariant.Svg, german.Svg);
        Assert.Equal(invariant.Png, german.Png);
        Assert.Contains(">3.75</text>", german.Svg, StringComparison.Ordinal);
        Assert.Contains("m2 20.25", german.Svg, StringComparison.Ordinal);
        Assert.DoesNotContain("20,25", german.Svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Waterfall_RoundedSteps_AllLabelsAtOnePrecisionAndTheEndIsTheirSum()
    {
        // 104.404 - 25.004 - 2.004 = 77.392: printed 104.40, 25.00, 2.00, so the end must read 77.40, not 77.39 (nor "104").
        var svg = XDocument.Parse(Plots.Waterfall("w", "w", "start", 104.404m, [("a", -25.004m), ("b", -2.004m)], "end", "#123456").Svg());
        var texts = svg.Descendants(Ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("104.40", texts);
        Assert.Contains("−25.00", texts);
        Assert.Contains("−2.00", texts);
        Assert.Contains("77.40", texts);
        Assert.Equal("start 104.40; a −25.00; b −2.00; end 77.40.", svg.Root!.Element(Ns + "desc")!.Value);

        // Yen have no minor unit: every label is whole.
        var yen = XDocument.Parse(Plots.Waterfall("w", "w", "start", 1622.6m, [("a", -54.6m)], "end", "#123456", minorDigits: 0).Svg());
        Assert.StartsWith("start 1,623; a −55; end 1,568.", yen.Root!.Element(Ns + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Waterfall_StepsSmallAgainstTheSpend_GetAPanelAtTheirOwnScale_LargeStepsDoNot()
    {
        // 54.78 on 1,622.40 is 3.4 %: a hairline from zero, so it is shown again alone.
        var small = XDocument.Parse(Plots.Waterfall("w", "w", "start", 1622.40m, [("a", -54.78m)], "end", "#123456").Svg());
        Assert.Equal(2, small.Root!.Elements(Ns + "svg").Count());
        Assert.Contains(small.Descendants(Ns + "text"), t => t.Value.StartsWith("The steps at their own scale: 54.78 in all, 3.4% of 1,622.40", StringComparison.Ordinal));

        var large = XDocument.Parse(Plots.Waterfall("w", "w", "start", 1000m, [("a", -500m)], "end", "#123456").Svg());
        Assert.Empty(large.Root!.Elements(Ns + "svg"));
        Assert.DoesNotContain(large.Descendants(Ns + "text"), t => t.Value.Contains("own scale", StringComparison.Ordinal));
    }

    [Fact]
    public void ValueAxes_PositiveValues_StartAtZero()
    {
        foreach (var chart in new[]
                 {
                     Plots.Waterfall("w", "w", "start", 1622.40m, [("a", -54.78m)], "end", "#123456"),
                     Plots.HorizontalBar("h", "h", [new BarCategory("row", [900m, 100m])], [new BarSegment("a", "#111111"), new BarSegment("b", "#222222")]),
                     Plots.Bar("b", "b", ["m1", "m2"], [500m, 800m], "#00AA00", "#AA0000"),
                 })
        {
            // The first panel's tick labels: a "0" is among them (an axis starting at 1,500 would have none).
            var first = XDocument.Parse(chart.Svg()).Root!;
            var panel = first.Element(Ns + "svg") ?? first;
            Assert.Contains(panel.Elements(Ns + "text"), t => t.Value == "0");
        }
    }

    [Fact]
    public void ChartFont_FamilyNotInstalled_ThrowsNamingThePackage()
    {
        var e = Assert.Throws<ChartFontException>(() => ChartFont.Use("Tem No Such Font Family"));
        Assert.Equal("Tem No Such Font Family", e.Family);
        Assert.Contains("no font for the charts", e.Message, StringComparison.Ordinal);
        Assert.Contains("fonts-dejavu-core", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartFont_Default_IsInstalledAndDrawsText()
    {
        // DejaVu Sans on Linux (.ci/run installs fonts-dejavu-core): the font's own glyphs, so text has a width.
        Assert.Equal(ChartFont.PlatformDefault, ChartFont.Check(ChartFont.PlatformDefault));
        var svg = XDocument.Parse(Plots.Bar("b", "b", ["m1"], [5m], "#00AA00", "#AA0000").Svg());
        var label = Assert.Single(svg.Descendants(Ns + "text"), t => t.Value == "m1");
        Assert.Equal(ChartFont.PlatformDefault, (string?)label.Attribute("font-family"));
        Assert.Matches("^-?[0-9.]+, [0-9.]+, $", (string?)label.Attribute("x") ?? string.Empty);
    }

    [Theory]
    [InlineData("#1F4E79", "#2A9D8F")]
    [InlineData("#7A1F5C", "#2A9D8F")]
    [InlineData("#0B6E4F", "#85B7A7")]
    public void Companion_BrandOfAnotherHue_KeepsTheSavingColour_ACloseHueGetsATintOfTheBrand(string brand, string expected) =>
        Assert.Equal(expected, Palette.Companion(brand));

    [Theory]
    [InlineData(950, "950")]
    [InlineData(1500, "1.5k")]
    [InlineData(2400000, "2.4M")]
    public void Axis_LabelsThousandsAndMillions(double value, string label) =>
        Assert.Equal(label, ChartKit.Axis((decimal)value));

    internal static string Desc(string svg) => System.Net.WebUtility.HtmlDecode(Regex.Match(svg, "<desc>(.*?)</desc>").Groups[1].Value);
}
