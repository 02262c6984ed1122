using System.Globalization;
using System.Text;
using ScottPlot;
using ScottPlot.TickGenerators;

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
/// The kinds of chart the report set draws, as ScottPlot plots: every value axis starts at zero (a bar is as long as
/// its value), the axes and labels are formatted in the invariant culture, and the text is in <see cref="ChartFont"/>.
/// </summary>
internal static class Plots
{
    /// <summary>Below this share of the waterfall's tallest bar, the steps get a panel of their own scale.</summary>
    public const decimal HairlineShare = 0.1m;

    private const float FontSize = 11;

    /// <summary>
    /// Horizontal bars, one per labelled row (top to bottom), each a stack of segments, the row's total at the bar's
    /// end; a legend when there is more than one segment.
    /// </summary>
    public static Chart HorizontalBar(string kind, string title, IReadOnlyList<BarCategory> rows, IReadOnlyList<BarSegment> segments, int width = 560, int minorDigits = 2)
    {
        var (plot, height) = HorizontalPlot(rows, segments, minorDigits, null);
        // "Row: a 1.00 + b 2.00 = 3.00." for stacked rows, "Row: 3.00." for a single segment.
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var parts = row.Values.Select((v, i) => (v, i)).Where(x => x.i < segments.Count && x.v != 0).ToList();
            text.Append(row.Label).Append(": ");
            if (segments.Count > 1 && parts.Count > 0)
            {
                text.AppendJoin(" + ", parts.Select(x => segments[x.i].Name + " " + ChartKit.Amount(x.v, minorDigits)));
                if (parts.Count > 1)
                {
                    text.Append(" = ").Append(ChartKit.Amount(row.Values.Sum(), minorDigits));
                }
            }
            else
            {
                text.Append(ChartKit.Amount(row.Values.Sum(), minorDigits));
            }

            text.Append(". ");
        }

        return new Chart(kind, title, rows.Count == 0 ? "Nothing to show." : text.ToString().TrimEnd(), width, [new ChartPanel(plot, height)]);
    }

    /// <summary>
    /// Vertical bars of signed values over labels (cumulative cash by month): positive and negative values in their own
    /// colours, every <paramref name="labelEvery"/>-th label shown, and one bar outlined and marked with a label.
    /// </summary>
    public static Chart Bar(string kind, string title, IReadOnlyList<string> labels, IReadOnlyList<decimal> values, string positive, string negative, int? highlight = null, string? highlightLabel = null, int labelEvery = 1, int width = 640, int height = 280, int minorDigits = 2)
    {
        var plot = New();
        var bars = new List<ScottPlot.Bar>();
        for (var i = 0; i < values.Count; i++)
        {
            var bar = new ScottPlot.Bar
            {
                Position = i,
                ValueBase = 0,
                Value = D(values[i]),
                FillColor = C(values[i] >= 0 ? positive : negative),
                Size = 0.7,
                LineWidth = i == highlight ? 1.5f : 0,
                LineColor = C(Palette.Ink),
            };
            bars.Add(bar);
        }

        plot.Add.Bars(bars);
        var lo = Math.Min(0, values.DefaultIfEmpty(0).Min());
        var hi = Math.Max(0, values.DefaultIfEmpty(0).Max());
        Legend(plot, [("positive", positive, LegendKind.Box), ("negative", negative, LegendKind.Box)]);
        if (highlight is { } h && h >= 0 && h < values.Count && highlightLabel is not null)
        {
            var line = plot.Add.VerticalLine(h);
            line.Color = C(Palette.Ink);
            line.LineWidth = 1;
            line.LinePattern = LinePattern.Dashed;
            Label(plot, highlightLabel, h, D(hi) + (D(hi - lo) * 0.04), Alignment.LowerCenter, Palette.Ink);
        }

        plot.Axes.Bottom.TickGenerator = Ticks(Enumerable.Range(0, values.Count).Where(i => labelEvery > 0 && (i % labelEvery == 0 || i == values.Count - 1)).Select(i => ((double)i, labels[i])));
        ValueAxis(plot.Axes.Left);
        plot.Axes.SetLimits(-0.7, Math.Max(1, values.Count) - 0.3, D(lo - ((hi - lo) * 0.04m)), D(hi + ((hi - lo) * 0.14m)) + (hi == lo ? 1 : 0));
        var text = string.Join("; ", values.Select((v, i) => labels[i] + " " + ChartKit.Amount(v, minorDigits)));
        if (highlight is { } at && highlightLabel is not null && at >= 0 && at < labels.Count)
        {
            text += $"; {highlightLabel} in {labels[at]}";
        }

        return new Chart(kind, title, text + ".", width, [new ChartPanel(plot, height)]);
    }

    /// <summary>Lines over month labels with a dot per point (a month without data breaks the line); markers ring and label points (anomalies).</summary>
    public static Chart Line(string kind, string title, IReadOnlyList<string> xLabels, IReadOnlyList<LineSeries> series, IReadOnlyList<LineMarker> markers, int width = 560, int height = 270, int minorDigits = 2)
    {
        var plot = New();
        foreach (var s in series)
        {
            var run = new List<(double X, double Y)>();
            for (var i = 0; i <= s.Values.Count; i++)
            {
                if (i < s.Values.Count && s.Values[i] is { } v)
                {
                    run.Add((i, D(v)));
                    continue;
                }

                if (run.Count > 0)
                {
                    var line = plot.Add.Scatter(run.Select(p => p.X).ToArray(), run.Select(p => p.Y).ToArray(), C(s.Color));
                    line.LineWidth = 2.2f;
                    line.MarkerSize = 6;
                    line.MarkerShape = MarkerShape.FilledCircle;
                }

                run.Clear();
            }
        }

        var legend = series.Select(s => (s.Name, s.Color, Kind: LegendKind.Line)).ToList();
        var text = new StringBuilder();
        foreach (var s in series)
        {
            text.Append(s.Name).Append(": ").AppendJoin(", ", s.Values.Select((v, i) => xLabels[i] + " " + (v is { } x ? ChartKit.Amount(x, minorDigits) : "no data"))).Append(". ");
        }

        foreach (var m in markers)
        {
            if (m.Series < series.Count && m.X < xLabels.Count && series[m.Series].Values[m.X] is { } v)
            {
                var ring = plot.Add.Marker(m.X, D(v), MarkerShape.OpenCircle, 17, C(Palette.Anomaly));
                ring.MarkerLineWidth = 2.2f;
                Label(plot, m.Label, m.X, D(v), Alignment.LowerCenter, Palette.Anomaly, offsetY: -11);
                text.Append(CultureInfo.InvariantCulture, $"{m.Label}: {series[m.Series].Name} {xLabels[m.X]}. ");
            }
        }

        if (markers.Count > 0)
        {
            legend.Add(("anomaly", Palette.Anomaly, LegendKind.Ring));
        }

        Legend(plot, legend);
        var values = series.SelectMany(s => s.Values).OfType<decimal>().ToList();
        var lo = Math.Min(0, values.DefaultIfEmpty(0).Min());
        var hi = Math.Max(0, values.DefaultIfEmpty(0).Max());
        var every = Math.Max(1, (int)Math.Ceiling(xLabels.Count / (width / 70.0)));
        plot.Axes.Bottom.TickGenerator = Ticks(Enumerable.Range(0, xLabels.Count).Where(i => i % every == 0).Select(i => ((double)i, xLabels[i])));
        ValueAxis(plot.Axes.Left);
        plot.Axes.SetLimits(-0.4, Math.Max(1, xLabels.Count) - 0.6, D(lo), D(hi + ((hi - lo) * 0.16m)) + (hi == lo ? 1 : 0));
        return new Chart(kind, title, text.ToString().TrimEnd(), width, [new ChartPanel(plot, height)]);
    }

    /// <summary>
    /// From a starting total through steps (savings are negative) to the end total, on an axis from zero. Every label is
    /// printed at the currency's minor unit and the bars stand at the printed values, so the end label is the start
    /// label plus the step labels as printed. When the steps together are smaller than <see cref="HairlineShare"/> of
    /// the tallest bar (they would be hairlines), a second panel shows them alone at their own scale.
    /// </summary>
    public static Chart Waterfall(string kind, string title, string startLabel, decimal start, IReadOnlyList<(string Label, decimal Delta)> steps, string endLabel, string totalColor, string? savingColor = null, int width = 560, int height = 290, int minorDigits = 2)
    {
        var saving = savingColor ?? Palette.Saving;
        var first = ChartKit.Round(start, minorDigits);
        var deltas = steps.Select(s => ChartKit.Round(s.Delta, minorDigits)).ToList();
        var end = first + deltas.Sum();
        var plot = New();
        var bars = new List<ScottPlot.Bar>();
        var levels = new List<decimal> { 0, first, end };
        void Add(int i, decimal from, decimal to, string color, string label)
        {
            bars.Add(new ScottPlot.Bar { Position = i, ValueBase = D(Math.Min(from, to)), Value = D(Math.Max(from, to)), FillColor = C(color), Size = 0.62, LineWidth = 0 });
            Label(plot, label, i, D(Math.Max(from, to)), Alignment.LowerCenter, Palette.Ink, offsetY: -3);
        }

        Add(0, 0, first, totalColor, ChartKit.Amount(first, minorDigits));
        var running = first;
        for (var i = 0; i < deltas.Count; i++)
        {
            var next = running + deltas[i];
            Add(i + 1, running, next, deltas[i] <= 0 ? saving : Palette.Increase, Signed(deltas[i], minorDigits));
            var connector = plot.Add.Line(i + 0.31, D(running), i + 0.69, D(running));
            connector.Color = C(Palette.Axis);
            connector.LinePattern = LinePattern.Dashed;
            connector.LineWidth = 1;
            levels.Add(next);
            running = next;
        }

        var last = plot.Add.Line(deltas.Count + 0.31, D(end), deltas.Count + 0.69, D(end));
        last.Color = C(Palette.Axis);
        last.LinePattern = LinePattern.Dashed;
        Add(deltas.Count + 1, 0, end, totalColor, ChartKit.Amount(end, minorDigits));
        plot.Add.Bars(bars);
        Legend(plot, [("current", totalColor, LegendKind.Box), ("saving", saving, LegendKind.Box), ("increase", Palette.Increase, LegendKind.Box)]);
        var count = deltas.Count + 2;
        var chars = Math.Max(6, (int)Math.Floor(width / (double)count / 7.6));
        var names = new[] { startLabel }.Concat(steps.Select(s => s.Label)).Append(endLabel).ToList();
        plot.Axes.Bottom.TickGenerator = Ticks(names.Select((n, i) => ((double)i, string.Join('\n', ChartKit.Wrap(n, chars)))));
        ValueAxis(plot.Axes.Left);
        var (lo, hi) = (levels.Min(), levels.Max());
        plot.Axes.SetLimits(-0.6, count - 0.4, D(lo), D(hi + ((hi - lo) * 0.14m)) + (hi == lo ? 1 : 0));

        var text = new StringBuilder();
        text.Append(startLabel).Append(' ').Append(ChartKit.Amount(first, minorDigits)).Append("; ");
        for (var i = 0; i < deltas.Count; i++)
        {
            text.Append(steps[i].Label).Append(' ').Append(Signed(deltas[i], minorDigits)).Append("; ");
        }

        text.Append(endLabel).Append(' ').Append(ChartKit.Amount(end, minorDigits)).Append('.');
        var panels = new List<ChartPanel> { new(plot, height) };
        var moves = deltas.Sum(Math.Abs);
        if (moves > 0 && moves < Math.Max(Math.Abs(lo), Math.Abs(hi)) * HairlineShare)
        {
            // The steps would be a few pixels tall next to the totals: drawn truthfully from zero above, and here alone.
            var share = first == 0 ? string.Empty : $", {(moves / Math.Abs(first)).ToString("0.0%", CultureInfo.InvariantCulture)} of {ChartKit.Amount(first, minorDigits)}";
            var rows = steps.Select((s, i) => new BarCategory(s.Label, [Math.Abs(deltas[i])])).ToList();
            var (zoom, zoomHeight) = HorizontalPlot(rows, [new BarSegment("saving", saving)], minorDigits, i => Signed(deltas[i], minorDigits));
            zoom.Title($"The steps at their own scale: {ChartKit.Amount(moves, minorDigits)} in all{share}", 12);
            zoom.Axes.Title.Label.ForeColor = C(Palette.Ink);
            panels.Add(new ChartPanel(zoom, zoomHeight + 26));
            text.Append(CultureInfo.InvariantCulture, $" The steps are also shown at their own scale: {ChartKit.Amount(moves, minorDigits)} in all{share}.");
        }

        return new Chart(kind, title, text.ToString(), width, panels);
    }

    private static (Plot Plot, int Height) HorizontalPlot(IReadOnlyList<BarCategory> rows, IReadOnlyList<BarSegment> segments, int minorDigits, Func<int, string>? label)
    {
        var plot = New();
        var bars = new List<ScottPlot.Bar>();
        var lo = 0m;
        var hi = 0m;
        for (var i = 0; i < rows.Count; i++)
        {
            var y = rows.Count - 1 - i;
            var at = 0m;
            for (var s = 0; s < rows[i].Values.Count && s < segments.Count; s++)
            {
                var v = rows[i].Values[s];
                if (v != 0)
                {
                    bars.Add(new ScottPlot.Bar { Position = y, ValueBase = D(Math.Min(at, at + v)), Value = D(Math.Max(at, at + v)), FillColor = C(segments[s].Color), Size = 0.62, LineWidth = 0 });
                }

                at += v;
                (lo, hi) = (Math.Min(lo, at), Math.Max(hi, at));
            }

            Label(plot, label?.Invoke(i) ?? ChartKit.Amount(at, minorDigits), D(Math.Max(0, at)), y, Alignment.MiddleLeft, Palette.Ink, offsetX: 5);
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        if (segments.Count > 1)
        {
            Legend(plot, [.. segments.Select(s => (s.Name, s.Color, LegendKind.Box))]);
        }

        if (rows.Count == 0)
        {
            Label(plot, "nothing to show", 0.5, 0, Alignment.MiddleCenter, Palette.Muted, bold: false);
        }

        plot.Axes.Left.TickGenerator = Ticks(rows.Select((r, i) => ((double)(rows.Count - 1 - i), ChartKit.Truncate(Clean(r.Label), 30))));
        ValueAxis(plot.Axes.Bottom);
        plot.Axes.SetLimits(D(lo - ((hi - lo) * 0.02m)), D(hi + ((hi - lo) * 0.22m)) + (hi == lo ? 1 : 0), -0.6, Math.Max(1, rows.Count) - 0.4);
        // The axis and the legend take about 64 and 34 pixels whatever the rows; each row gets 28.
        return (plot, 64 + (Math.Max(1, rows.Count) * 28) + (segments.Count > 1 ? 34 : 0));
    }

    private static string Signed(decimal v, int minorDigits) => (v <= 0 ? "−" : "+") + ChartKit.Amount(Math.Abs(v), minorDigits);

    private static Plot New()
    {
        var plot = new Plot();
        plot.Font.Set(ChartFont.Current);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = C(Palette.Grid);
        plot.Axes.Color(C(Palette.Muted));
        plot.Axes.FrameColor(C(Palette.Axis));
        plot.Axes.Bottom.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Left.TickLabelStyle.FontSize = FontSize;
        return plot;
    }

    private enum LegendKind
    {
        Box,
        Line,
        Ring,
    }

    private static void Legend(Plot plot, IReadOnlyList<(string Name, string Color, LegendKind Kind)> entries)
    {
        foreach (var (name, color, kind) in entries)
        {
            plot.Legend.ManualItems.Add(kind switch
            {
                LegendKind.Ring => new LegendItem { LabelText = name, MarkerShape = MarkerShape.OpenCircle, MarkerLineColor = C(color), MarkerSize = 10, MarkerLineWidth = 2 },
                LegendKind.Line => new LegendItem { LabelText = name, LineColor = C(color), LineWidth = 2.2f, MarkerShape = MarkerShape.FilledCircle, MarkerFillColor = C(color), MarkerSize = 6 },
                _ => new LegendItem { LabelText = name, FillColor = C(color) },
            });
        }

        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.FontSize = FontSize;
        plot.Legend.FontName = ChartFont.Current;
        plot.ShowLegend(Edge.Top);
    }

    private static void Label(Plot plot, string text, double x, double y, Alignment alignment, string color, float offsetX = 0, float offsetY = 0, bool bold = true)
    {
        var label = plot.Add.Text(Clean(text), x, y);
        label.LabelFontName = ChartFont.Current;
        label.LabelFontSize = FontSize;
        label.LabelBold = bold;
        label.LabelFontColor = C(color);
        label.LabelAlignment = alignment;
        label.OffsetX = offsetX;
        label.OffsetY = offsetY;
    }

    private static NumericManual Ticks(IEnumerable<(double Position, string Label)> ticks)
    {
        var manual = new NumericManual();
        foreach (var (position, label) in ticks)
        {
            manual.AddMajor(position, Clean(label));
        }

        return manual;
    }

    private static void ValueAxis(IAxis axis) =>
        axis.TickGenerator = new NumericAutomatic { LabelFormatter = v => ChartKit.Axis(double.IsFinite(v) && Math.Abs(v) < 7.9e27 ? (decimal)v : 0m) };

    /// <summary>A label as ScottPlot should draw it: control characters (a tab in a cost centre's name) as spaces, line breaks kept.</summary>
    private static string Clean(string text) => string.Concat(text.Select(c => c != '\n' && char.IsControl(c) ? ' ' : c));

    private static double D(decimal v) => (double)v;

    private static Color C(string hex) => Color.FromHex(hex);
}
