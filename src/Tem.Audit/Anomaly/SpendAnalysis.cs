using Tem.Core;

namespace Tem.Audit.Anomaly;

/// <summary>
/// The spend rule's detectors over one series (a service's or an account's daily usage spend, minutes and data MB):
/// the monthly baseline and level shift over complete months, then, where they could change anything, the daily
/// seasonal baseline, spectral residual and level shift. What they flag gathers in a <see cref="SeriesAnalysis"/>.
/// </summary>
internal static class SpendAnalysis
{
    /// <summary>
    /// The monthly detectors over spend, minutes and data MB of the series' complete months. Over the day values when they are loaded (an account), else over the month totals DuckDB summed (a service).
    /// </summary>
    internal static SeriesAnalysis AnalyseMonthly(DailySeries s, Detectors detectors)
    {
        var analysis = new SeriesAnalysis(s);
        if (s.Months is { } months)
        {
            MonthlyDetect(s, detectors, Measures.Spend, m => months.TryGetValue(m, out var t) ? (double)t.Spend : 0, analysis);
            MonthlyDetect(s, detectors, Measures.Minutes, m => months.TryGetValue(m, out var t) ? t.Minutes : 0, analysis);
            MonthlyDetect(s, detectors, Measures.DataMb, m => months.TryGetValue(m, out var t) ? t.DataMb : 0, analysis);
        }
        else
        {
            MonthlyDetect(s, detectors, Measures.Spend, m => DaySum(s, m, i => (double)s.Spend[i]), analysis);
            MonthlyDetect(s, detectors, Measures.Minutes, m => DaySum(s, m, i => s.Minutes[i]), analysis);
            MonthlyDetect(s, detectors, Measures.DataMb, m => DaySum(s, m, i => s.DataMb[i]), analysis);
        }

        return analysis;
    }

    private static double DaySum(DailySeries s, BillingMonth m, Func<int, double> value)
    {
        var total = 0.0;
        for (var d = m.First; d <= m.Last; d = d.AddDays(1))
        {
            total += value(d.DayNumber - s.FirstDay.DayNumber);
        }

        return total;
    }

    /// <summary>
    /// Whether the daily detectors can change anything for this series: a month whose spend could reach min_amount
    /// (the excess of a month never exceeds its spend), or a month its usage alone already qualifies. Most lines of a
    /// large inventory spend less than that in any month, and skipping them gives the same findings.
    /// </summary>
    internal static bool NeedsDaily(DailySeries s, SeriesAnalysis analysis, AnomalySettings settings) =>
        UsageQualified(analysis) || SpendCouldQualify(s, settings);

    /// <summary>A month of the series' usage already qualifies (after <see cref="PeerQualification.Qualify"/>).</summary>
    internal static bool UsageQualified(SeriesAnalysis analysis) => analysis.Cases.Any(c => c.Usage.Count > 0);

    /// <summary>
    /// A month's spend could reach min_amount: the spend of its days with positive spend does (for a service read from
    /// its month totals, the spend of its records billed above zero, which is never less).
    /// </summary>
    internal static bool SpendCouldQualify(DailySeries s, AnomalySettings settings)
    {
        if (s.Months is { } months)
        {
            return months.Values.Any(t => t.PositiveSpend >= settings.MinAmount);
        }

        var month = BillingMonth.FromDate(s.FirstDay);
        var spend = 0m;
        for (var i = 0; i < s.Length; i++)
        {
            var m = BillingMonth.FromDate(s.Day(i));
            if (m != month)
            {
                month = m;
                spend = 0m;
            }

            spend += Math.Max(s.Spend[i], 0m);
            if (spend >= settings.MinAmount)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The daily detectors over the series' spend; days flagged above their expectation join their month's case.</summary>
    internal static void AnalyseDaily(DailySeries s, Detectors detectors, SeriesAnalysis analysis)
    {
        // An all-zero series (a bundle billed 0) cannot be flagged by any detector: skip the work.
        if (!Array.Exists(s.Spend, v => v != 0m))
        {
            return;
        }

        var values = Array.ConvertAll(s.Spend, v => (double)v);
        var verdicts = detectors.Daily.Select(d => Detect(d, values)).ToArray();
        var baseline = verdicts[0];
        for (var i = 0; i < values.Length; i++)
        {
            List<(string, double)>? by = null;
            for (var d = 0; d < verdicts.Length; d++)
            {
                if (verdicts[d][i].Verdict == PointVerdict.High)
                {
                    (by ??= []).Add((detectors.Daily[d].Name, verdicts[d][i].Score));
                }
            }

            if (by is null)
            {
                continue;
            }

            // The seasonal baseline states what the day should have cost whenever it has the history; otherwise the flagging detector does.
            var reference = baseline[i].Verdict != PointVerdict.NotScored ? baseline[i]
                : verdicts.Select(v => v[i]).First(v => v.Verdict == PointVerdict.High);
            var expected = Math.Max(reference.Expected, 0);
            analysis.Case(BillingMonth.FromDate(s.Day(i))).Days.Add(new DayFlag(s.Day(i), s.Spend[i], Money(expected), reference.Lower, reference.Upper, by));
        }
    }

    private static void MonthlyDetect(DailySeries s, Detectors detectors, string measure, Func<BillingMonth, double> monthTotal, SeriesAnalysis analysis)
    {
        // Complete calendar months inside the series only: a partial first or last month is not comparable.
        var months = new List<(BillingMonth Month, double Total)>();
        var lastDay = s.Day(s.Length - 1);
        for (var m = BillingMonth.FromDate(s.FirstDay); m.First <= lastDay; m = m.Next())
        {
            if (m.First < s.FirstDay || m.Last > lastDay)
            {
                continue;
            }

            var total = monthTotal(m);
            months.Add((m, total));
            analysis.Totals[(measure, m)] = total;
        }

        if (months.Count == 0 || months.TrueForAll(m => m.Total == 0))
        {
            return;
        }

        var values = months.Select(m => m.Total).ToArray();
        var baseline = months.Count >= 24 ? detectors.YearlyBaseline : detectors.MonthlyBaseline;
        foreach (var detector in new[] { baseline, detectors.MonthlyShift })
        {
            var scores = Detect(detector, values);
            for (var i = 0; i < scores.Length; i++)
            {
                if (scores[i].Verdict == PointVerdict.High)
                {
                    analysis.Case(months[i].Month).Monthly.Add(new MonthlyFlag(measure, detector.Name, values[i], Math.Max(scores[i].Expected, 0), scores[i].Lower, scores[i].Upper, scores[i].Score));
                }
            }
        }
    }

    private static PointScore[] Detect(ISeriesDetector detector, double[] values)
    {
        var scores = new PointScore[values.Length];
        detector.Detect(values, scores);
        return scores;
    }

    internal static decimal Money(double value) => Math.Round((decimal)value, 4, MidpointRounding.AwayFromZero);
}

/// <summary>What the detectors saw in one series: a case per month with flags, and the complete months' totals per measure.</summary>
internal sealed class SeriesAnalysis(DailySeries series)
{
    public SortedDictionary<BillingMonth, MonthCase> Months { get; } = [];

    public Dictionary<(string Measure, BillingMonth Month), double> Totals { get; } = [];

    public IEnumerable<MonthCase> Cases => Months.Values.Where(c => c.Days.Count > 0 || c.Monthly.Count > 0);

    public MonthCase Case(BillingMonth m)
    {
        if (!Months.TryGetValue(m, out var c))
        {
            var observed = 0m;
            if (series.Months is { } totals && !series.Loaded)
            {
                observed = totals.TryGetValue(m, out var t) ? t.Spend : 0m;
            }
            else
            {
                for (var i = 0; i < series.Length; i++)
                {
                    observed += BillingMonth.FromDate(series.Day(i)) == m ? series.Spend[i] : 0m;
                }
            }

            Months[m] = c = new MonthCase(m, observed);
        }

        return c;
    }
}

internal sealed class Detectors(AnomalySettings settings)
{
    public AnomalySettings Settings { get; } = settings;

    public ISeriesDetector[] Daily { get; } =
    [
        new SeasonalBaselineDetector(settings.Daily), new SpectralResidualDetector(settings.SpectralResidual), new LevelShiftDetector(settings.DailyShift),
    ];

    public ISeriesDetector MonthlyBaseline { get; } = new SeasonalBaselineDetector(settings.Monthly);

    public ISeriesDetector YearlyBaseline { get; } = new SeasonalBaselineDetector(settings.MonthlySeasonal);

    public ISeriesDetector MonthlyShift { get; } = new LevelShiftDetector(settings.MonthlyShift);
}

/// <summary>A day a daily detector flagged above its expectation.</summary>
internal sealed record DayFlag(DateOnly Day, decimal Observed, decimal Expected, double Lower, double Upper, List<(string Detector, double Score)> By)
{
    public decimal Excess => Math.Max(Observed - Expected, 0m);
}

/// <summary>A month a monthly detector flagged above its expectation.</summary>
internal sealed record MonthlyFlag(string Measure, string Detector, double Observed, double Expected, double Lower, double Upper, double Score);

internal sealed class MonthCase(BillingMonth month, decimal observed)
{
    public BillingMonth Month { get; } = month;

    /// <summary>Usage spend of the month (the days the series covers).</summary>
    public decimal Observed { get; } = observed;

    public List<DayFlag> Days { get; } = [];

    public List<MonthlyFlag> Monthly { get; } = [];

    /// <summary>The flagged days' spend above their expected values, rounded to 4 places.</summary>
    public decimal DaysExcess => Math.Round(Days.Sum(d => d.Excess), 4, MidpointRounding.AwayFromZero);

    /// <summary>The month's spend above the monthly baseline's expectation when that flagged it (else null), rounded to 4 places.</summary>
    public decimal? MonthExcess => Monthly.FirstOrDefault(m => m.Measure == Measures.Spend) is { } monthly
        ? Math.Round(Math.Max(Observed - SpendAnalysis.Money(monthly.Expected), 0m), 4, MidpointRounding.AwayFromZero)
        : null;

    /// <summary>The monthly comparison states the excess (it flagged the month and saw more than the flagged days).</summary>
    public bool ByMonth => MonthExcess is { } month && month > DaysExcess;

    /// <summary>Spend above the expected: the larger of the flagged days' excess and the month's.</summary>
    public decimal Excess => ByMonth ? MonthExcess!.Value : DaysExcess;

    /// <summary>Usage flags that qualify on their own (see <see cref="PeerQualification.Qualify"/>).</summary>
    public List<UsageFlag> Usage { get; } = [];

    public int DetectorCount => Days.SelectMany(d => d.By.Select(b => b.Detector)).Concat(Monthly.Select(m => m.Detector + " (monthly)")).Distinct().Count();
}

internal static class Measures
{
    public const string Spend = "spend";
    public const string Minutes = "voice minutes";
    public const string DataMb = "data MB";
}
