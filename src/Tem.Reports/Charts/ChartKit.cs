using System.Globalization;

namespace Tem.Reports.Charts;

/// <summary>Number labels and label wrapping shared by the charts.</summary>
internal static class ChartKit
{
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
    /// An amount at exactly the currency's minor unit (<paramref name="minorDigits"/>: 2 gives 1,622.40 and 25.00,
    /// 0 gives 1,622), rounded half away from zero: every value printed on a chart is written this way, as the tables
    /// print it, so that a bar's label is the table's figure and the waterfall's labels add up.
    /// </summary>
    public static string Amount(decimal v, int minorDigits) =>
        Round(v, minorDigits).ToString(minorDigits <= 0 ? "#,##0" : "#,##0." + new string('0', minorDigits), CultureInfo.InvariantCulture);

    /// <summary><paramref name="v"/> rounded half away from zero to <paramref name="minorDigits"/> decimals (none below 0).</summary>
    public static decimal Round(decimal v, int minorDigits) => Math.Round(v, Math.Max(0, minorDigits), MidpointRounding.AwayFromZero);

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
