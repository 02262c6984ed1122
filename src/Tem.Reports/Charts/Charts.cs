namespace Tem.Reports.Charts;

/// <summary>A category of a bar chart: its label and one value per stacked segment.</summary>
internal sealed record BarCategory(string Label, IReadOnlyList<decimal> Values);

/// <summary>A segment of a stacked bar (and its legend entry).</summary>
internal sealed record BarSegment(string Name, string Color);

/// <summary>A line of a line chart: one value per x label (null: no data that month).</summary>
internal sealed record LineSeries(string Name, string Color, IReadOnlyList<decimal?> Values);

/// <summary>A highlighted point of a line chart.</summary>
internal sealed record LineMarker(int Series, int X, string Label);

/// <summary>
/// The report's charts as inline SVG (ScottPlot and SkiaSharp are not available; SVG prints sharply and needs no
/// script). Each returns one <c>svg</c> element with <c>class="chart"</c> and a <c>data-chart</c> kind.
/// </summary>
internal static class Charts
{
    private const decimal Top = 34;
    private const decimal Left = 58;
    private const decimal Right = 16;

    /// <summary>
    /// Vertical bars of signed values over labels (e.g. cumulative cash by month): positive and negative values in
    /// their own colours, a zero line, every <paramref name="labelEvery"/>-th label shown, and one bar highlighted.
    /// </summary>
    public static string Bar(string kind, string title, IReadOnlyList<string> labels, IReadOnlyList<decimal> values, string positive, string negative, int? highlight = null, string? highlightLabel = null, int labelEvery = 1, decimal width = 640, decimal height = 280)
    {
        var svg = new Svg(width, height, kind, title);
        Legend(svg, [("positive", positive, false), ("negative", negative, false)], width);
        const decimal bottom = 30;
        var (lo, hi, step) = ChartKit.Scale(Math.Min(0, values.DefaultIfEmpty(0).Min()), Math.Max(0, values.DefaultIfEmpty(0).Max()));
        var plotH = height - Top - bottom;
        var plotW = width - Left - Right;
        decimal Y(decimal v) => Top + plotH - ((v - lo) / (hi - lo) * plotH);
        Grid(svg, lo, hi, step, Y, width);
        var slot = values.Count == 0 ? plotW : plotW / values.Count;
        var barW = Math.Max(1, slot * 0.7m);
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            var x = Left + (slot * i) + ((slot - barW) / 2);
            var (y1, y2) = (Y(Math.Max(0, v)), Y(Math.Min(0, v)));
            var extra = $"data-label=\"{Svg.Escape(labels[i])}\" data-value=\"{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
            svg.Rect(x, y1, barW, Math.Max(0.5m, y2 - y1), v >= 0 ? positive : negative, i == highlight ? extra + " class=\"highlight\" stroke=\"#1F2933\" stroke-width=\"1.5\"" : extra);
            if (labelEvery > 0 && (i % labelEvery == 0 || i == values.Count - 1))
            {
                svg.Text(x + (barW / 2), height - bottom + 16, labels[i], "middle", 10, Palette.Muted);
            }
        }

        svg.Line(Left, Y(0), width - Right, Y(0), Palette.Ink, 1);
        if (highlight is { } h && h >= 0 && h < values.Count && highlightLabel is not null)
        {
            var x = Left + (slot * h) + (slot / 2);
            svg.Line(x, Top - 2, x, Y(0), Palette.Ink, 1, "stroke-dasharray=\"3 2\"");
            svg.Text(x, Top - 6, highlightLabel, x > width - 120 ? "end" : "middle", 10.5m, Palette.Ink, "font-weight=\"600\"");
        }

        return svg.ToString();
    }

    /// <summary>Lines over month labels with a dot per point; markers ring and label points (anomalies).</summary>
    public static string Line(string kind, string title, IReadOnlyList<string> xLabels, IReadOnlyList<LineSeries> series, IReadOnlyList<LineMarker> markers, decimal width = 560, decimal height = 270)
    {
        var svg = new Svg(width, height, kind, title);
        var legend = series.Select(s => (s.Name, s.Color, false)).ToList();
        if (markers.Count > 0)
        {
            legend.Add(("anomaly", Palette.Anomaly, true));
        }

        Legend(svg, legend, width);
        const decimal bottom = 30;
        var values = series.SelectMany(s => s.Values).OfType<decimal>().ToList();
        var (lo, hi, step) = ChartKit.Scale(Math.Min(0, values.DefaultIfEmpty(0).Min()), values.DefaultIfEmpty(0).Max());
        var plotH = height - Top - bottom;
        var plotW = width - Left - Right;
        decimal Y(decimal v) => Top + plotH - ((v - lo) / (hi - lo) * plotH);
        decimal X(int i) => xLabels.Count <= 1 ? Left + (plotW / 2) : Left + 12 + ((plotW - 24) * i / (xLabels.Count - 1));
        Grid(svg, lo, hi, step, Y, width);
        for (var i = 0; i < xLabels.Count; i++)
        {
            svg.Text(X(i), height - bottom + 16, xLabels[i], "middle", 10, Palette.Muted);
        }

        foreach (var s in series)
        {
            // A month without data breaks the line rather than drawing through it.
            var run = new List<(decimal, decimal)>();
            for (var i = 0; i <= s.Values.Count; i++)
            {
                if (i < s.Values.Count && s.Values[i] is { } v)
                {
                    run.Add((X(i), Y(v)));
                    continue;
                }

                if (run.Count > 1)
                {
                    svg.Polyline(run, s.Color, 2.2m);
                }

                run.Clear();
            }

            for (var i = 0; i < s.Values.Count; i++)
            {
                if (s.Values[i] is { } v)
                {
                    svg.Circle(X(i), Y(v), 3.2m, "#FFFFFF", s.Color, 2, $"data-series=\"{Svg.Escape(s.Name)}\" data-x=\"{Svg.Escape(xLabels[i])}\"");
                }
            }
        }

        foreach (var m in markers)
        {
            if (m.Series < series.Count && m.X < xLabels.Count && series[m.Series].Values[m.X] is { } v)
            {
                var (x, y) = (X(m.X), Y(v));
                svg.Circle(x, y, 8, "none", Palette.Anomaly, 2.2m, $"class=\"anomaly\" data-series=\"{Svg.Escape(series[m.Series].Name)}\" data-x=\"{Svg.Escape(xLabels[m.X])}\"");
                svg.Text(x, y - 13, m.Label, "middle", 10, Palette.Anomaly, "font-weight=\"600\"");
            }
        }

        return svg.ToString();
    }

    /// <summary>
    /// From a starting total through decreases (savings) to the end total. When the steps are small against the
    /// totals, the value axis starts above zero (marked with a break on the axis) so the steps stay visible.
    /// </summary>
    public static string Waterfall(string kind, string title, string startLabel, decimal start, IReadOnlyList<(string Label, decimal Delta)> steps, string endLabel, string totalColor, string? savingColor = null, decimal width = 560, decimal height = 290, int minorDigits = 2)
    {
        var svg = new Svg(width, height, kind, title);
        var saving = savingColor ?? Palette.Saving;
        Legend(svg, [("current", totalColor, false), ("saving", saving, false), ("increase", Palette.Increase, false)], width);
        const decimal bottom = 44;
        var end = start + steps.Sum(s => s.Delta);
        var levels = new List<decimal> { 0, start, end };
        var running = start;
        foreach (var s in steps)
        {
            running += s.Delta;
            levels.Add(running);
        }

        var low = levels.Min();
        var high = levels.Max();
        var moves = steps.Sum(s => Math.Abs(s.Delta));
        var broken = low >= 0 && high > 0 && moves < high * 0.25m;
        var (lo, hi, step) = broken
            ? ChartKit.Scale(Math.Max(0, Math.Min(start, end) - (Math.Max(moves, high * 0.02m) * 1.5m)), high)
            : ChartKit.Scale(Math.Min(0, low), high);
        var plotH = height - Top - bottom;
        var plotW = width - Left - Right;
        decimal Y(decimal v) => Top + plotH - ((Math.Max(lo, v) - lo) / (hi - lo) * plotH);
        Grid(svg, lo, hi, step, Y, width);
        var count = steps.Count + 2;
        var slot = plotW / count;
        var barW = Math.Min(56, slot * 0.62m);
        var chars = (int)Math.Max(6, Math.Floor(slot / 5.6m));
        void Bar(int i, decimal from, decimal to, string color, string label, string valueText, string role)
        {
            var x = Left + (slot * i) + ((slot - barW) / 2);
            var (y1, y2) = (Y(Math.Max(from, to)), Y(Math.Min(from, to)));
            svg.Rect(x, y1, barW, Math.Max(1, y2 - y1), color, $"data-role=\"{role}\"");
            svg.Text(x + (barW / 2), y1 - 5, valueText, "middle", 10.5m, Palette.Ink, "font-weight=\"600\"");
            var lines = ChartKit.Wrap(label, chars);
            for (var l = 0; l < lines.Count; l++)
            {
                svg.Text(x + (barW / 2), height - bottom + 16 + (l * 12), lines[l], "middle", 10, Palette.Muted);
            }

            if (i < count - 1)
            {
                svg.Line(x + barW, Y(to), x + slot, Y(to), Palette.Axis, 1, "stroke-dasharray=\"3 2\"");
            }
        }

        Bar(0, broken ? lo : 0, start, totalColor, startLabel, ChartKit.Value(start, minorDigits), "start");
        running = start;
        for (var i = 0; i < steps.Count; i++)
        {
            var next = running + steps[i].Delta;
            Bar(i + 1, running, next, steps[i].Delta <= 0 ? saving : Palette.Increase, steps[i].Label,
                (steps[i].Delta <= 0 ? "−" : "+") + ChartKit.Value(Math.Abs(steps[i].Delta), minorDigits), "step");
            running = next;
        }

        Bar(count - 1, broken ? lo : 0, end, totalColor, endLabel, ChartKit.Value(end, minorDigits), "end");
        if (broken)
        {
            // Two short slanted strokes on the value axis: it does not start at zero.
            var y = Y(lo) - 6;
            svg.Path(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"M{Svg.N(Left - 6)} {Svg.N(y + 3)} l12 -5 M{Svg.N(Left - 6)} {Svg.N(y + 8)} l12 -5"), "none", Palette.Ink, 1.2m, "class=\"axis-break\"");
        }

        return svg.ToString();
    }

    /// <summary>Horizontal bars, one per labelled row, each a stack of segments, the row's total at the bar end.</summary>
    public static string HorizontalBar(string kind, string title, IReadOnlyList<BarCategory> rows, IReadOnlyList<BarSegment> segments, decimal width = 560, int minorDigits = 2)
    {
        const decimal rowH = 26;
        const decimal labelW = 176;
        var top = segments.Count > 1 ? Top : 12;
        var height = top + (Math.Max(1, rows.Count) * rowH) + 24;
        var svg = new Svg(width, height, kind, title);
        if (segments.Count > 1)
        {
            Legend(svg, segments.Select(s => (s.Name, s.Color, false)).ToList(), width);
        }

        var totals = rows.Select(r => r.Values.Sum()).ToList();
        var (lo, hi, step) = ChartKit.Scale(Math.Min(0, totals.DefaultIfEmpty(0).Min()), Math.Max(0, totals.DefaultIfEmpty(0).Max()), 5);
        var plotW = width - labelW - 64;
        decimal X(decimal v) => labelW + ((v - lo) / (hi - lo) * plotW);
        for (var t = lo; t <= hi; t += step)
        {
            svg.Line(X(t), top - 4, X(t), height - 22, Palette.Grid);
            svg.Text(X(t), height - 8, ChartKit.Axis(t), "middle", 10, Palette.Muted);
        }

        if (rows.Count == 0)
        {
            svg.Text(labelW + (plotW / 2), top + 16, "nothing to show", "middle", 11, Palette.Muted);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = top + (i * rowH);
            svg.Text(labelW - 8, y + 16, ChartKit.Truncate(row.Label, 30), "end", 11, Palette.Ink);
            var at = 0m;
            for (var s = 0; s < row.Values.Count && s < segments.Count; s++)
            {
                var v = row.Values[s];
                var (x1, x2) = (X(Math.Min(at, at + v)), X(Math.Max(at, at + v)));
                if (v != 0)
                {
                    svg.Rect(x1, y + 5, Math.Max(1, x2 - x1), rowH - 10, segments[s].Color,
                        $"data-value=\"{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"");
                }

                at += v;
            }

            svg.Text(X(Math.Max(0, at)) + 6, y + 16, ChartKit.Value(at, minorDigits), "start", 10.5m, Palette.Ink, "font-weight=\"600\"");
        }

        svg.Line(X(0), top - 4, X(0), height - 22, Palette.Axis);
        return svg.ToString();
    }

    private static void Grid(Svg svg, decimal lo, decimal hi, decimal step, Func<decimal, decimal> y, decimal width)
    {
        for (var t = lo; t <= hi; t += step)
        {
            svg.Line(Left, y(t), width - Right, y(t), Palette.Grid);
            svg.Text(Left - 8, y(t) + 3.5m, ChartKit.Axis(t), "end", 10, Palette.Muted);
        }
    }

    private static void Legend(Svg svg, List<(string Name, string Color, bool Ring)> entries, decimal width)
    {
        // Right-aligned: measured with an average glyph width, which is close enough for short legend names.
        var x = width - Right;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var (name, color, ring) = entries[i];
            var textW = (name.Length * 6.2m) + 6;
            x -= textW;
            svg.Text(x, 16, name, "start", 11, Palette.Muted);
            x -= 14;
            if (ring)
            {
                svg.Circle(x + 5, 12, 4.5m, "none", color, 2);
            }
            else
            {
                svg.Rect(x, 7, 10, 10, color, "rx=\"2\"");
            }

            x -= 12;
        }
    }
}
