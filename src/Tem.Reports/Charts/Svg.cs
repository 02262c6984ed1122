using System.Globalization;
using System.Text;

namespace Tem.Reports.Charts;

/// <summary>
/// A small SVG writer: coordinates are decimals printed with at most one decimal place in the invariant culture, text
/// is escaped, and nothing depends on the clock or on random ids, so the same data gives the same bytes.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder _b = new();

    public Svg(decimal width, decimal height, string kind, string title)
    {
        Width = width;
        Height = height;
        _b.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(width)} {N(height)}\" width=\"{N(width)}\" height=\"{N(height)}\" class=\"chart\" data-chart=\"{Escape(kind)}\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"inherit\">");
        _b.Append("<title>").Append(Escape(title)).Append("</title>");
    }

    public decimal Width { get; }

    public decimal Height { get; }

    public Svg Rect(decimal x, decimal y, decimal w, decimal h, string fill, string? extra = null)
    {
        _b.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, w))}\" height=\"{N(Math.Max(0, h))}\" fill=\"{fill}\"");
        return Close(extra);
    }

    public Svg Line(decimal x1, decimal y1, decimal x2, decimal y2, string stroke, decimal width = 1, string? extra = null)
    {
        _b.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"");
        return Close(extra);
    }

    public Svg Polyline(IEnumerable<(decimal X, decimal Y)> points, string stroke, decimal width, string? extra = null)
    {
        _b.Append("<polyline fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width))
            .Append("\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"")
            .AppendJoin(' ', points.Select(p => N(p.X) + "," + N(p.Y))).Append('"');
        return Close(extra);
    }

    public Svg Path(string d, string fill, string? stroke = null, decimal width = 1, string? extra = null)
    {
        _b.Append("<path d=\"").Append(d).Append("\" fill=\"").Append(fill).Append('"');
        if (stroke is not null)
        {
            _b.Append(" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append('"');
        }

        return Close(extra);
    }

    public Svg Circle(decimal cx, decimal cy, decimal r, string fill, string? stroke = null, decimal width = 1, string? extra = null)
    {
        _b.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\"");
        if (stroke is not null)
        {
            _b.Append(CultureInfo.InvariantCulture, $" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"");
        }

        return Close(extra);
    }

    public Svg Text(decimal x, decimal y, string text, string anchor = "start", decimal size = 11, string fill = Palette.Ink, string? extra = null)
    {
        _b.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"{fill}\"");
        if (extra is not null)
        {
            _b.Append(' ').Append(extra);
        }

        _b.Append('>').Append(Escape(text)).Append("</text>");
        return this;
    }

    public Svg Raw(string markup)
    {
        _b.Append(markup);
        return this;
    }

    public override string ToString() => _b.ToString() + "</svg>";

    /// <summary>A coordinate: at most one decimal, invariant culture.</summary>
    public static string N(decimal v) => Math.Round(v, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Escapes text for SVG/XML content and attribute values.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var b = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => b.Append("&amp;"),
                '<' => b.Append("&lt;"),
                '>' => b.Append("&gt;"),
                '"' => b.Append("&quot;"),
                '\'' => b.Append("&#39;"),
                _ when char.IsControl(c) => b.Append(' '),
                _ => b.Append(c),
            };
        }

        return b.ToString();
    }

    private Svg Close(string? extra)
    {
        if (extra is not null)
        {
            _b.Append(' ').Append(extra);
        }

        _b.Append("/>");
        return this;
    }
}

/// <summary>The report's colours.</summary>
internal static class Palette
{
    public const string Ink = "#1F2933";
    public const string Muted = "#6B7785";
    public const string Grid = "#E4E8EE";
    public const string Axis = "#9AA5B1";
    public const string Saving = "#2A9D8F";
    public const string Increase = "#C8553D";
    public const string Anomaly = "#C62828";

    /// <summary>
    /// <paramref name="hex"/> (<c>#RRGGBB</c>) mixed with white: <paramref name="white"/> = 0 keeps it, 1 gives white.
    /// A companion colour that stays in the brand's family whatever the brand colour is.
    /// </summary>
    public static string Tint(string hex, decimal white)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var rgb = Convert.FromHexString(hex.AsSpan(1, 6));
        var b = new StringBuilder("#", 7);
        foreach (var c in rgb)
        {
            b.Append(((int)Math.Round(c + ((255 - c) * white), MidpointRounding.AwayFromZero)).ToString("X2", CultureInfo.InvariantCulture));
        }

        return b.ToString();
    }

    /// <summary>
    /// The colour drawn next to the brand colour for savings: <see cref="Saving"/>, or a tint of the brand when the
    /// brand is itself close to it (a green brand), so the two stay apart.
    /// </summary>
    public static string Companion(string brand)
    {
        ArgumentNullException.ThrowIfNull(brand);
        var apart = Math.Abs(Hue(brand) - Hue(Saving));
        return Math.Min(apart, 360 - apart) < 30 ? Tint(brand, 0.5m) : Saving;
    }

    /// <summary>The hue of a <c>#RRGGBB</c> colour in degrees, 0 to 359 (0 for greys).</summary>
    public static int Hue(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var c = Convert.FromHexString(hex.AsSpan(1, 6));
        int r = c[0], g = c[1], b = c[2];
        var max = Math.Max(r, Math.Max(g, b));
        var delta = max - Math.Min(r, Math.Min(g, b));
        if (delta == 0)
        {
            return 0;
        }

        var sector = max == r ? (decimal)(g - b) / delta : max == g ? 2 + ((decimal)(b - r) / delta) : 4 + ((decimal)(r - g) / delta);
        return (int)((Math.Round(sector * 60, MidpointRounding.AwayFromZero) + 360) % 360);
    }

    /// <summary>Series colours after the brand colour: distinct, print-safe, readable on white.</summary>
    public static readonly string[] Series = ["#2A9D8F", "#E9A23B", "#7B6CF6", "#C8553D", "#3D8BD4", "#8C6D46", "#5C946E", "#B55A8A"];
}
