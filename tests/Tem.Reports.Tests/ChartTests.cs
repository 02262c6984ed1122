using System.Globalization;
using System.Xml.Linq;
using Tem.Reports.Charts;

namespace Tem.Reports.Tests;

/// <summary>The SVG chart module: well-formed, escaped, deterministic, culture-independent, and drawing what it is given.</summary>
public sealed class ChartTests
{
    private static readonly IReadOnlyList<LineSeries> Series =
    [
        new("A & <B>", "#112233", [10m, 12.5m, null, 30m]),
        new("C", "#445566", [5m, 6m, 7m, 8m]),
    ];

    [Fact]
    public void Line_TextWithMarkup_IsEscapedAndTheSvgIsWellFormed()
    {
        var svg = Charts.Charts.Line("spend-trend", "Spend \"quoted\" <x>", ["2026-01", "2026-02", "2026-03", "2026-04"], Series, [new LineMarker(0, 3, "anomaly")]);
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("Spend \"quoted\" <x>", doc.Root!.Element(ns + "title")!.Value);
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "A & <B>");
        Assert.DoesNotContain("<B>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_MissingMonth_BreaksTheLine_MarkerRingsThePoint()
    {
        var svg = XDocument.Parse(Charts.Charts.Line("t", "t", ["a", "b", "c", "d"], Series, [new LineMarker(0, 3, "anomaly"), new LineMarker(0, 2, "no data")]));
        XNamespace ns = "http://www.w3.org/2000/svg";

        // Series A has a gap at "c": two runs, of which only the first has two points; series C is one line.
        Assert.Equal(2, svg.Descendants(ns + "polyline").Count());
        Assert.Equal(3 + 4, svg.Descendants(ns + "circle").Count(c => c.Attribute("data-series") is not null && c.Attribute("class") is null));
        var ring = Assert.Single(svg.Descendants(ns + "circle"), c => (string?)c.Attribute("class") == "anomaly");
        Assert.Equal(("A & <B>", "d"), ((string)ring.Attribute("data-series")!, (string)ring.Attribute("data-x")!));
    }

    [Fact]
    public void Charts_UnderACommaCulture_WriteInvariantNumbersAndTheSameBytes()
    {
        string Draw() =>
            Charts.Charts.Line("x", "x", ["a", "b", "c", "d"], Series, []) +
            Charts.Charts.Waterfall("w", "w", "start", 1234.5678m, [("one", -12.34m), ("two", 5.5m)], "end", "#000000") +
            Charts.Charts.HorizontalBar("h", "h", [new BarCategory("row", [1.25m, 2.5m])], [new BarSegment("a", "#111111"), new BarSegment("b", "#222222")]) +
            Charts.Charts.Bar("b", "b", ["m1", "m2"], [-10.5m, 20.25m], "#00AA00", "#AA0000", 1, "payback");
        var previous = CultureInfo.CurrentCulture;
        string invariant;
        string german;
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

        Assert.Equal(invariant, german);
        Assert.DoesNotMatch("(x|y|width|height|cx|cy|r)=\"[0-9]+,[0-9]", german);
        Assert.Contains("data-value=\"20.25\"", german, StringComparison.Ordinal);
    }

    [Fact]
    public void Waterfall_StepsMoveFromStartToEnd_SmallStepsGetABrokenAxis()
    {
        var small = XDocument.Parse(Charts.Charts.Waterfall("w", "w", "start", 1000m, [("a", -20m), ("b", -30m)], "end", "#123456"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var bars = small.Descendants(ns + "rect").Where(r => r.Attribute("data-role") is not null).ToList();
        Assert.Equal(["start", "step", "step", "end"], bars.Select(b => (string)b.Attribute("data-role")!));
        Assert.Contains(small.Descendants(ns + "text"), t => t.Value == "950");
        Assert.Single(small.Descendants(ns + "path"), p => (string?)p.Attribute("class") == "axis-break");

        // A saving of half the spend is drawn from zero, without a break.
        var large = XDocument.Parse(Charts.Charts.Waterfall("w", "w", "start", 1000m, [("a", -500m)], "end", "#123456"));
        Assert.DoesNotContain(large.Descendants(ns + "path"), p => (string?)p.Attribute("class") == "axis-break");
    }

    [Theory]
    [InlineData("#1F4E79", "#2A9D8F")]
    [InlineData("#7A1F5C", "#2A9D8F")]
    [InlineData("#0B6E4F", "#85B7A7")]
    public void Companion_BrandOfAnotherHue_KeepsTheSavingColour_ACloseHueGetsATintOfTheBrand(string brand, string expected) =>
        Assert.Equal(expected, Palette.Companion(brand));

    [Theory]
    [InlineData(0.3, 0.5)]
    [InlineData(1, 1)]
    [InlineData(1.2, 2)]
    [InlineData(2.2, 2.5)]
    [InlineData(312.5, 500)]
    [InlineData(7000, 10000)]
    public void Nice_RoundsUpToOneTwoTwoAndAHalfOrFive(double value, double nice) =>
        Assert.Equal((decimal)nice, ChartKit.Nice((decimal)value));

    [Fact]
    public void Scale_CoversTheRangeWithNiceSteps()
    {
        var (lo, hi, step) = ChartKit.Scale(-130m, 2768m);
        Assert.True(lo <= -130m && hi >= 2768m);
        Assert.Equal(1000m, step);
        Assert.Equal(0m, lo % step);
        Assert.Equal(0m, hi % step);
    }
}
