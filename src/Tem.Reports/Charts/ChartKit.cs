using System.Globalization;

namespace Tem.Reports.Charts;

/// <summary>Axis scales and number labels shared by the charts.</summary>
internal static class ChartKit
{
    /// <summary>
    /// A "nice" axis covering <paramref name="min"/>..<paramref name="max"/> with about <paramref name="ticks"/> ticks
    /// at steps of 1, 2, 2.5 or 5 times a power of ten.
    /// </summary>
    public static (decimal Min, decimal Max, decimal Step) Scale(decimal min, decimal max, int ticks = 5)
    {
        if (max < min)
        {
            (min, max) = (max, min);
        }

        if (max == min)
        {
            max = min == 0 ? 1 : min + Math.Abs(min);
        }

        var step = Nice((max - min) / Math.Max(1, ticks - 1));
        var lo = Math.Floor(min / step) * step;
        var hi = Math.Ceiling(max / step) * step;
        return (lo, hi, step);
    }

    /// <summary>The smallest of 1, 2, 2.5, 5, 10 times a power of ten that is at least <paramref name="x"/>.</summary>
    public static decimal Nice(decimal x)
    {
        if (x <= 0)
        {
            return 1;
        }

        var power = 1m;
        while (power * 10 <= x)
        {
            power *= 10;
        }

        while (power > x && power > 0.0001m)
        {
            power /= 10;
        }

        foreach (var m in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (m * power >= x)
            {
                return m * power;
            }
        }

        return 10 * power;
    }

    /// <summary>An axis label: 950, 1.5k, 12k, 2.4M.</summary>
    public static string Axis(decimal v)
    {
        var a = Math.Abs(v);
        return a switch
        {
            >= 1_000_000 => (v / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + "M",
            >= 1_000 => (v / 1_000).ToString("0.##", CultureInfo.InvariantCulture) + "k",
            _ => v.ToString("0.##", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// A value label: 1,234 for 100 and more, 12.34 below; never more decimals than the currency's minor unit
    /// (<paramref name="minorDigits"/>: 0 for JPY gives 12).
    /// </summary>
    public static string Value(decimal v, int minorDigits = 2) =>
        Math.Abs(v) >= 100 || minorDigits == 0
            ? Math.Round(v, 0, MidpointRounding.AwayFromZero).ToString("#,##0", CultureInfo.InvariantCulture)
            : Math.Round(v, Math.Min(2, minorDigits), MidpointRounding.AwayFromZero).ToString(minorDigits == 1 ? "#,##0.0" : "#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>Splits a label into at most <paramref name="maxLines"/> lines of about <paramref name="width"/> characters, ending in an ellipsis when cut.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width, int maxLines = 2)
    {
        var lines = new List<string>();
        var current = string.Empty;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length == 0)
            {
                current = word;
            }
            else if (current.Length + 1 + word.Length <= width)
            {
                current += " " + word;
            }
            else
            {
                lines.Add(current);
                current = word;
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        if (lines.Count > maxLines)
        {
            lines = [.. lines.Take(maxLines)];
            lines[^1] = Truncate(lines[^1] + " …", width);
        }

        return [.. lines.Select(l => Truncate(l, width))];
    }

    /// <summary>Cuts a label to <paramref name="width"/> characters with an ellipsis.</summary>
    public static string Truncate(string text, int width) =>
        text.Length <= width ? text : string.Concat(text.AsSpan(0, Math.Max(1, width - 1)), "…");
}
