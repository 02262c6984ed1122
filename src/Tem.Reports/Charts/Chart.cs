using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace Tem.Reports.Charts;

/// <summary>A panel of a chart: a ScottPlot plot drawn <see cref="Height"/> pixels tall across the chart's width.</summary>
internal sealed record ChartPanel(Plot Plot, int Height);

/// <summary>
/// One chart of the report set, built once from the report's figures and drawn with ScottPlot as inline SVG (the
/// pages) and as PNG (the workbook's Charts sheet): one or more panels stacked top to bottom, a title and the values as
/// text (<see cref="Description"/>) for readers that cannot see the picture.
/// </summary>
/// <remarks>
/// Each format is drawn once and kept: a page and the workbook showing the same chart draw it once. The SVG is made
/// to sit inside an HTML page: one line, no XML declaration, no clip paths (Skia numbers them from a process-wide
/// counter, which would change the bytes from one write to the next and clash between the charts of one page), a
/// viewBox so it scales, and <c>class="chart" data-chart="KIND" role="img" aria-label</c> plus <c>title</c> and
/// <c>desc</c> elements on its root.
/// </remarks>
internal sealed partial class Chart
{
    private readonly Lock _gate = new();
    private string? _svg;
    private byte[]? _png;

    public Chart(string kind, string title, string description, int width, IReadOnlyList<ChartPanel> panels)
    {
        Kind = kind;
        Title = title;
        Description = description;
        Width = width;
        Panels = panels;
    }

    /// <summary>The chart's kind, the <c>data-chart</c> marker: <c>waterfall</c>, <c>spend-trend</c>, ...</summary>
    public string Kind { get; }

    /// <summary>The title: the SVG's <c>title</c> and <c>aria-label</c>, the workbook's caption.</summary>
    public string Title { get; }

    /// <summary>The values the chart shows, as text (the SVG's <c>desc</c>).</summary>
    public string Description { get; }

    /// <summary>Width in pixels (CSS pixels in the page, pixels of the PNG).</summary>
    public int Width { get; }

    /// <summary>Height in pixels: the panels' heights added.</summary>
    public int Height => Panels.Sum(p => p.Height);

    public IReadOnlyList<ChartPanel> Panels { get; }

    /// <summary>The chart as one <c>svg</c> element for an HTML page; the same chart gives the same bytes.</summary>
    public string Svg()
    {
        lock (_gate)
        {
            return _svg ??= DrawSvg();
        }
    }

    /// <summary>The chart as a PNG image of <see cref="Width"/> by <see cref="Height"/> pixels.</summary>
    public byte[] Png()
    {
        lock (_gate)
        {
            return _png ??= DrawPng();
        }
    }

    // ScottPlot clears the canvas it renders on, so each panel is drawn on its own canvas and the panels are then
    // put one under the other: nested svg elements, or images drawn onto the PNG.
    private string DrawSvg()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" class=\"chart\" data-chart=\"{Markup.Escape(Kind)}\" role=\"img\" aria-label=\"{Markup.Escape(Title)}\">");
        b.Append("<title>").Append(Markup.Escape(Title)).Append("</title><desc>").Append(Markup.Escape(Description)).Append("</desc>");
        var top = 0;
        foreach (var panel in Panels)
        {
            using var stream = new MemoryStream();
            using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, panel.Height), stream))
            {
                Render(panel, canvas);
            }

            var raw = Encoding.UTF8.GetString(stream.ToArray());
            var body = raw[(raw.IndexOf('>', raw.IndexOf("<svg", StringComparison.Ordinal)) + 1)..raw.LastIndexOf("</svg>", StringComparison.Ordinal)];
            body = Layout().Replace(body, string.Empty);
            body = ClipDefinition().Replace(body, string.Empty);
            body = ClipReference().Replace(body, string.Empty);
            if (Panels.Count == 1)
            {
                b.Append(body);
            }
            else
            {
                b.Append(CultureInfo.InvariantCulture, $"<svg x=\"0\" y=\"{top}\" width=\"{Width}\" height=\"{panel.Height}\">").Append(body).Append("</svg>");
            }

            top += panel.Height;
        }

        return b.Append("</svg>").ToString();
    }

    private byte[] DrawPng()
    {
        using var surface = Surface(Width, Height);
        var top = 0;
        foreach (var panel in Panels)
        {
            using var layer = Surface(Width, panel.Height);
            Render(panel, layer.Canvas);
            using var picture = layer.Snapshot();
            surface.Canvas.DrawImage(picture, 0, top);
            top += panel.Height;
        }

        // A chart is a few flat colours: the fastest zlib level keeps the file small and the encoding a fraction of the
        // default's time (the workbook of every tenant set holds a dozen of them).
        using var pixels = surface.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.NoFilters, 1))
            ?? throw new InvalidOperationException($"Skia could not encode the chart '{Title}' as PNG.");
        return data.ToArray();
    }

    /// <summary>
    /// Draws a panel once. ScottPlot lays a plot out on its first render and, when the tick labels change the layout,
    /// draws it a second time over the first: on an SVG canvas both would be kept (every text twice). A first render
    /// on a canvas that draws nothing settles the layout.
    /// </summary>
    private void Render(ChartPanel panel, SKCanvas canvas)
    {
        var rect = new PixelRect(0, Width, panel.Height, 0);
        if (panel.Plot.RenderManager.RenderCount == 0)
        {
            using var layout = new SKNoDrawCanvas(Width, panel.Height);
            panel.Plot.Render(layout, rect);
        }

        panel.Plot.Render(canvas, rect);
    }

    private SKSurface Surface(int width, int height) =>
        SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
        ?? throw new InvalidOperationException($"Skia could not make a {width} x {height} surface for the chart '{Title}'.");

    /// <summary>Skia's pretty-printing: a line break and tabs before each element and around each text.</summary>
    [GeneratedRegex("\\r?\\n\\t*")]
    private static partial Regex Layout();

    [GeneratedRegex("<clipPath id=\"[^\"]*\">.*?</clipPath>")]
    private static partial Regex ClipDefinition();

    [GeneratedRegex(" clip-path=\"url\\(#[^\"]*\\)\"")]
    private static partial Regex ClipReference();
}
