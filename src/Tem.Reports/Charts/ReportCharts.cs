using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Tem.Core;
using Tem.Reports.Files;
using Tem.Reports.Html;
using Tem.Reports.Query;

namespace Tem.Reports.Charts;

/// <summary>
/// The charts of one report set, built from its figures: report.html's four per currency, the proposals' cash view and
/// provider split, channel.html's MRR per reseller. Each is built once per set and kept, so report.html and the
/// workbook's Charts sheet show the same chart drawn once.
/// </summary>
internal sealed class ReportCharts
{
    /// <summary>Bars a cost-centre chart shows before grouping the rest into one.</summary>
    public const int CostCentreRows = 12;

    /// <summary>Resellers the MRR chart draws a line for (the largest by last month's MRR); the table lists them all.</summary>
    public const int ChannelSeries = 6;

    private static readonly ConditionalWeakTable<ReportFigures, ReportCharts> Sets = new();
    private readonly ReportFigures _fig;
    private readonly ConcurrentDictionary<(string Kind, string Key), Chart?> _built = new();

    private ReportCharts(ReportFigures fig) => _fig = fig;

    /// <summary>The charts of the set <paramref name="fig"/> belongs to (the same object for the same figures).</summary>
    public static ReportCharts Of(ReportFigures fig) => Sets.GetValue(fig, f => new ReportCharts(f));

    /// <summary>Found money by rule: one-time and twelve months of the monthly saving, stacked, per rule.</summary>
    public Chart SavingsByRule(CurrencyCode c) => Build("savings-by-rule", c.Code, () =>
    {
        var d = _fig.Data;
        var rules = _fig.ByRule.Where(r => r.Currency == c && r.FoundMoney > 0).OrderByDescending(r => r.FoundMoney).ThenBy(r => r.Keys[0], StringComparer.Ordinal)
            .Select(r => new BarCategory(HtmlKit.Label(r.Keys[0]), [r.OneTime, 12 * r.Monthly])).ToList();
        return Plots.HorizontalBar("savings-by-rule", $"{c.Code} found money by rule", rules,
            [new BarSegment("one-time", d.Brand.Color), new BarSegment("12 × monthly", Palette.Companion(d.Brand.Color))], minorDigits: c.MinorDigits);
    })!;

    /// <summary>The latest month's spend less each rule's monthly saving; null when the set has no billing month.</summary>
    public Chart? Waterfall(CurrencyCode c) => Build("waterfall", c.Code, () =>
    {
        if (_fig.Latest is not { } latest)
        {
            return null;
        }

        var d = _fig.Data;
        var steps = _fig.ByRule.Where(r => r.Currency == c && r.Monthly > 0).OrderByDescending(r => r.Monthly).ThenBy(r => r.Keys[0], StringComparer.Ordinal)
            .Select(r => (HtmlKit.Label(r.Keys[0]), -r.Monthly)).ToList();
        return Plots.Waterfall("waterfall", $"{c.Code} monthly spend to spend after savings", $"Spend {latest}", _fig.LatestSpend(c), steps, "After savings",
            d.Brand.Color, Palette.Companion(d.Brand.Color), minorDigits: c.MinorDigits);
    });

    /// <summary>Monthly spend per carrier over the set's window, spend anomaly findings ringed; null without carriers.</summary>
    public Chart? SpendTrend(CurrencyCode c) => Build("spend-trend", c.Code, () =>
    {
        var d = _fig.Data;
        var months = new List<BillingMonth>();
        if (d.Window is { } w)
        {
            for (var m = w.First; m <= w.Latest; m = m.AddMonths(1))
            {
                months.Add(m);
            }
        }

        var carriers = d.Spend.Where(s => s.Currency == c).Select(s => s.Carrier).Distinct().Order(StringComparer.Ordinal).ToList();
        if (carriers.Count == 0)
        {
            return null;
        }

        var anomalies = d.Current.Where(f => f.Finding.Rule == "spend_anomaly").Select(f => (f.Finding.Carrier, f.Finding.Period)).ToHashSet();
        var series = carriers.Select((carrier, i) => new LineSeries(carrier, i == 0 ? d.Brand.Color : Palette.Series[(i - 1) % Palette.Series.Length],
            [.. months.Select(m => d.Spend.Where(s => s.Carrier == carrier && s.Currency == c && s.Month == m).Select(s => (decimal?)s.Amount).FirstOrDefault())])).ToList();
        var markers = new List<LineMarker>();
        for (var s = 0; s < carriers.Count; s++)
        {
            for (var m = 0; m < months.Count; m++)
            {
                if (anomalies.Contains((carriers[s], months[m])))
                {
                    markers.Add(new LineMarker(s, m, "anomaly"));
                }
            }
        }

        return Plots.Line("spend-trend", $"{c.Code} monthly spend per carrier", [.. months.Select(m => m.ToString())], series, markers, minorDigits: c.MinorDigits);
    });

    /// <summary>Spend by cost centre: the <see cref="CostCentreRows"/> largest and one bar for the rest; null without any.</summary>
    public Chart? CostCentre(CurrencyCode c) => Build("cost-centre", c.Code, () =>
    {
        var d = _fig.Data;
        var ranked = d.CostCentreSpend.Where(s => s.Currency == c).OrderByDescending(s => s.Amount).ThenBy(s => s.CostCentre, StringComparer.Ordinal).ToList();
        var centres = ranked.Take(CostCentreRows).Select(s => new BarCategory(s.CostCentre, [s.Amount])).ToList();
        if (ranked.Count > CostCentreRows)
        {
            var rest = ranked.Count - CostCentreRows;
            centres.Add(new BarCategory($"{rest} other cost centre{(rest == 1 ? string.Empty : "s")}", [ranked.Skip(CostCentreRows).Sum(s => s.Amount)]));
        }

        return centres.Count == 0 ? null
            : Plots.HorizontalBar("cost-centre", $"{c.Code} spend by cost centre", centres, [new BarSegment("spend", d.Brand.Color)], minorDigits: c.MinorDigits);
    });

    /// <summary>A proposal's cumulative cash by month, the payback month marked.</summary>
    public static Chart CashView(ProposalModel p)
    {
        var labels = Enumerable.Range(1, p.Months).Select(m => "M" + m.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        int? highlight = p.Cash.PaybackMonth is { } pm && pm <= p.Months ? pm - 1 : null;
        return Plots.Bar("cash-view", $"Cumulative cash by month ({p.Currency.Code})", labels, p.Cash.Cumulative, Palette.Saving, Palette.Increase,
            highlight, highlight is null ? null : "payback", 6, 900, 300, p.Currency.MinorDigits);
    }

    /// <summary>
    /// A proposal's price per provider over the view: cost and margin where the set may show them, the price alone
    /// (one segment, never split) where it may not.
    /// </summary>
    public static Chart ProviderSplit(ProposalModel p, ReportData d)
    {
        var hidden = p.Shares.Count - p.SharesShown.Count;
        string title;
        List<BarCategory> rows;
        List<BarSegment> segments;
        if (hidden == 0)
        {
            title = "Provider cost and margin";
            rows = [.. p.Shares.Select(s => new BarCategory(s.ProviderName, [s.Cost!.Value, s.Margin!.Value]))];
            segments = [new("cost", d.Brand.Color), new("margin", Palette.Series[1])];
        }
        else if (p.SharesShown.Count == 0)
        {
            title = "Price over the view";
            rows = [.. p.Shares.Select(s => new BarCategory(s.ProviderName, [s.Value]))];
            segments = [new("price", d.Brand.Color)];
        }
        else
        {
            title = "Price over the view: cost and margin where shown";
            rows = [.. p.Shares.Select(s => new BarCategory(s.ProviderName, s.Margin is { } m ? [s.Value - m, m, 0m] : [0m, 0m, s.Value]))];
            segments = [new("cost", d.Brand.Color), new("margin", Palette.Series[1]), new("price, margin not shown", Palette.Axis)];
        }

        return Plots.HorizontalBar("provider-split", title, rows, segments, 900, p.Currency.MinorDigits);
    }

    /// <summary>channel.html's MRR per reseller and month in one currency (the <see cref="ChannelSeries"/> largest).</summary>
    public Chart ChannelMrr(ChannelReport report, CurrencyCode currency) => Build("channel-mrr", currency.Code, () =>
    {
        var d = _fig.Data;
        var drawn = report.Mrr.Where(m => m.Currency == currency)
            .OrderByDescending(s => s.Mrr.Count == 0 ? 0 : s.Mrr[^1]).ThenByDescending(s => s.Mrr.Sum()).ThenBy(s => s.SellerId, StringComparer.Ordinal)
            .Take(ChannelSeries).ToList();
        var series = drawn.Select((s, i) => new LineSeries(ChartKit.Truncate(d.PartyName(s.SellerId), 18), i == 0 ? d.Brand.Color : Palette.Series[(i - 1) % Palette.Series.Length],
            [.. s.Mrr.Select(v => (decimal?)v)])).ToList();
        return Plots.Line("channel-mrr", $"{currency.Code} MRR per reseller", [.. report.Months.Select(m => m.ToString())], series, [], 1000, 300, currency.MinorDigits);
    })!;

    /// <summary>
    /// The charts of the workbook's Charts sheet, in the page's order: per currency those of report.html, then the
    /// MRR per reseller of channel.html when the set has it.
    /// </summary>
    public IReadOnlyList<Chart> ForWorkbook(ChannelReport? channel)
    {
        var charts = new List<Chart>();
        foreach (var c in _fig.Currencies)
        {
            charts.Add(SavingsByRule(c));
            charts.AddRange(new[] { Waterfall(c), SpendTrend(c), CostCentre(c) }.OfType<Chart>());
        }

        if (channel is not null)
        {
            charts.AddRange(channel.Mrr.Select(m => m.Currency).Distinct().Order().Select(c => ChannelMrr(channel, c)));
        }

        return charts;
    }

    private Chart? Build(string kind, string key, Func<Chart?> build) => _built.GetOrAdd((kind, key), _ => build());
}
