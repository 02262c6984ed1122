using System.Globalization;
using System.Text;

namespace Tem.Reports.Charts;

/// <summary>Text for XML and HTML markup.</summary>
internal static class Markup
{
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
