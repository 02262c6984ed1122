using DuckDB.NET.Data;
using System.Globalization;
using System.Text;
using Tem.Core;
using Tem.DuckDb;

namespace Tem.Audit.Anomaly;

/// <summary>
/// A finding of a model rule before the audit engine adds the account's parties and currency and the finding id.
/// Amounts are decimal, computed from the lake's decimal data (the models only decide which days count).
/// </summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Carrier">Carrier.</param>
/// <param name="AccountId">Account.</param>
/// <param name="ServiceId">Service; null for an account-level finding.</param>
/// <param name="Period">Billing month.</param>
/// <param name="OneTimeAmount">Spend above the expected baseline (0 for usage_anomaly), rounded to 4 places.</param>
/// <param name="Confidence">0..1.</param>
/// <param name="Title">One line: observed against expected value and band.</param>
/// <param name="Detail">The numbers: expected value and band, observed value, detectors and their statistics, top features.</param>
/// <param name="Evidence">The usage records behind it (<c>file:line record id</c>).</param>
public sealed record ModelFinding(
    string Rule, string Carrier, string AccountId, string? ServiceId, BillingMonth Period, decimal OneTimeAmount, decimal Confidence, string Title,
    string Detail, string Evidence);

/// <summary>
/// The two model rules of audit.md. <c>spend_anomaly</c>: daily usage spend per service and per account through the
/// seasonal baseline, the spectral residual and the level-shift detector (days flagged above their expectation), and
/// monthly spend, voice minutes and data MB through the monthly baseline and level shift; one finding per service (or
/// account) and month whose flagged spend exceeds the expected by <c>min_amount</c>, or whose usage the monthly
/// detectors flag and grew by <c>usage_min_increase</c>. <c>usage_anomaly</c>: an isolation forest over every call
/// of an account with a rate deck; one finding per service and month listing its outlying calls.
/// </summary>
public static class AnomalyRules
{
    private const int MaxEvidence = 25;

    /// <summary>Defines the feature tables (<c>Sql/anomaly.sql</c>) on a connection already holding the lake views, base.sql and rating.sql.</summary>
    public static void DefineFeatures(DuckDBConnection db, AnomalySettings settings)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        AnomalyFeatures.Define(db);
    }

    /// <summary>The <c>spend_anomaly</c> findings (after <see cref="DefineFeatures"/>).</summary>
    public static IReadOnlyList<ModelFinding> SpendAnomalies(DuckDBConnection db, AnomalySettings settings)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        var services = AnomalyFeatures.LoadServiceSeries(db);
        var accounts = AnomalyFeatures.AccountSeries(services);
        var detectors = new Detectors(settings);
        var serviceRuns = new SeriesAnalysis[services.Count];
        var accountRuns = new SeriesAnalysis[accounts.Count];
        Parallel.For(0, services.Count, i => serviceRuns[i] = AnalyseMonthly(services[i], detectors));
        Parallel.For(0, accounts.Count, i => accountRuns[i] = AnalyseMonthly(accounts[i], detectors));
        QualifyUsage(services, serviceRuns, settings);
        QualifyUsage(accounts, accountRuns, settings);
        Parallel.For(0, services.Count, i =>
        {
            if (NeedsDaily(services[i], serviceRuns[i], settings))
            {
                AnalyseDaily(services[i], detectors, serviceRuns[i]);
            }
        });
        Parallel.For(0, accounts.Count, i =>
        {
            if (NeedsDaily(accounts[i], accountRuns[i], settings))
            {
                AnalyseDaily(accounts[i], detectors, accountRuns[i]);
            }
        });

        var fired = new List<(DailySeries Series, MonthCase Case, decimal Amount)>();
        var explained = new Dictionary<(string, string, BillingMonth), decimal>();
        for (var i = 0; i < services.Count; i++)
        {
            foreach (var c in serviceRuns[i].Cases)
            {
                var amount = c.Excess;
                if ((amount >= settings.MinAmount && amount >= settings.MinIncrease * (c.Observed - amount)) || c.Usage.Count > 0)
                {
                    fired.Add((services[i], c, amount));
                    var key = (services[i].Carrier, services[i].AccountId, c.Month);
                    explained[key] = explained.GetValueOrDefault(key) + amount;
                }
            }
        }

        for (var i = 0; i < accounts.Count; i++)
        {
            foreach (var c in accountRuns[i].Cases)
            {
                // An account's excess that its services' findings already explain is not found twice.
                var key = (accounts[i].Carrier, accounts[i].AccountId, c.Month);
                var hasServiceFinding = explained.TryGetValue(key, out var byServices);
                var residual = c.Excess - byServices;
                var expected = c.Observed - c.Excess;
                if ((residual >= settings.MinAmount && residual >= settings.AccountMinIncrease * expected) || (!hasServiceFinding && c.Usage.Count > 0))
                {
                    fired.Add((accounts[i], c, Math.Max(residual, 0m)));
                }
            }
        }

        var records = EvidenceRecords(db, fired.Select(f => (f.Series, f.Case)).ToList());
        return [.. fired.Select((f, k) => SpendFinding(f.Series, f.Case, f.Amount, records[k], settings))];
    }

    /// <summary>Calls read and scored at a time: the forest's memory is this batch, the trees and the outliers, not the lake's calls.</summary>
    private const int ScoreBatch = 65_536;

    /// <summary>
    /// The <c>usage_anomaly</c> findings (after <see cref="DefineFeatures"/>). The per-call features are computed in
    /// DuckDB and streamed twice in batches: once for the forest's training rows (every call up to
    /// <c>usage_anomaly.training_calls</c>, else a fixed stride sample of about that many: each tree draws its 256 from
    /// them) and the typical bands' sample, once to score every call, keeping only outliers.
    /// </summary>
    public static IReadOnlyList<ModelFinding> UsageAnomalies(DuckDBConnection db, AnomalySettings settings)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        var count = AnomalyFeatures.DefineCalls(db, settings.WarmupDays);
        if (count < 2)
        {
            // One call is an outlier against nothing: no verdict, no finding.
            return [];
        }

        var width = CallFeatures.Names.Length;
        var trainStride = (count + settings.TrainingCalls - 1) / settings.TrainingCalls;
        var typicalStride = Math.Max(1, count / 65_536);
        var training = new List<double>();
        var typicalSample = new List<double>();
        AnomalyFeatures.ReadCalls(db, [trainStride, typicalStride], ScoreBatch, batch =>
        {
            for (var k = 0; k < batch.Count; k++)
            {
                if (batch.Indices[k] % trainStride == 0)
                {
                    training.AddRange(batch.Row(k));
                }

                if (batch.Indices[k] % typicalStride == 0)
                {
                    typicalSample.AddRange(batch.Row(k));
                }
            }
        });

        var forest = IsolationForest.Fit(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(training), width, settings.Forest);
        var trained = training.Count / width;
        training.Clear();
        training.TrimExcess();
        var typical = TypicalBands(typicalSample, width);
        var calls = new Dictionary<int, OutlierCall>();
        var outliers = new List<int>();
        var scores = new double[ScoreBatch];
        AnomalyFeatures.ReadCalls(db, [], ScoreBatch, batch =>
        {
            Parallel.For(0, (batch.Count + 4095) / 4096, chunk =>
            {
                var end = Math.Min(batch.Count, (chunk + 1) * 4096);
                for (var k = chunk * 4096; k < end; k++)
                {
                    scores[k] = forest.TryScoreAtLeast(batch.Row(k), settings.MinScore, out var score) ? score : 0;
                }
            });
            for (var k = 0; k < batch.Count; k++)
            {
                if (scores[k] >= settings.MinScore)
                {
                    outliers.Add(batch.Indices[k]);
                    calls[batch.Indices[k]] = new OutlierCall(batch.Ids[k], batch.Row(k).ToArray(), scores[k]);
                }
            }
        });

        if (outliers.Count == 0)
        {
            return [];
        }

        // In the forest's order whatever order the scan delivered (the explanations sum in this order).
        outliers.Sort();
        var details = OutlierDetails(db, outliers, calls);
        var findings = new List<ModelFinding>();
        foreach (var group in outliers.GroupBy(i => details[i].Key).OrderBy(g => g.Key, KeyComparer.Instance))
        {
            if (group.Sum(i => details[i].Billed) >= settings.MinBilled)
            {
                findings.Add(UsageFinding(group.Key, [.. group], details, calls, forest, typical, settings, trainStride > 1 ? (trained, count) : null));
            }
        }

        return findings;
    }

    /// <summary>A call the forest scored at least min_score: its rowid in <c>anomaly_calls</c>, its features and its score.</summary>
    private sealed record OutlierCall(long Id, double[] Row, double Score);

    /// <summary>What the detectors saw in one series: a case per month with flags, and the complete months' totals per measure.</summary>
    private sealed class SeriesAnalysis(DailySeries series)
    {
        public SortedDictionary<BillingMonth, MonthCase> Months { get; } = [];

        public Dictionary<(string Measure, BillingMonth Month), double> Totals { get; } = [];

        public IEnumerable<MonthCase> Cases => Months.Values.Where(c => c.Days.Count > 0 || c.Monthly.Count > 0);

        public MonthCase Case(BillingMonth m)
        {
            if (!Months.TryGetValue(m, out var c))
            {
                var observed = 0m;
                for (var i = 0; i < series.Length; i++)
                {
                    observed += BillingMonth.FromDate(series.Day(i)) == m ? series.Spend[i] : 0m;
                }

                Months[m] = c = new MonthCase(m, observed);
            }

            return c;
        }
    }

    /// <summary>
    /// A month's usage flagged by a monthly detector that also grew enough and stands out among its peers that month,
    /// both in volume and in growth (the month over the median of its own past months).
    /// </summary>
    private sealed record UsageFlag(MonthlyFlag Flag, int Peers, double Growth, PeerBand Volume, PeerBand GrowthBand);

    /// <summary>The peers' median and the top of their band (median + peer_threshold robust standard deviations).</summary>
    private sealed record PeerBand(double Median, double Upper)
    {
        public static PeerBand Of(double[] peers, AnomalySettings settings)
        {
            var median = RobustStats.Median(peers.ToArray());
            var sigma = Math.Max(RobustStats.Sigma([.. peers.Select(p => p - median)]), settings.Monthly.RelativeFloor * Math.Abs(median));
            return new PeerBand(median, median + (settings.PeerThreshold * sigma));
        }
    }

    /// <summary>
    /// Keeps, for each case, the monthly usage flags that grew by usage_min_increase and lie above the peers' band (the
    /// same month of the other series of the same group: services of one type, or accounts) twice over: in volume, so
    /// that a heavy-tailed measure (a few long calls make a line's minutes triple now and then) is not a finding on a
    /// small line, and in growth, so that a big line is not a finding for being big and a month that is busier for
    /// everyone is not one either. With fewer than min_peers peers, none.
    /// </summary>
    private static void QualifyUsage(List<DailySeries> series, SeriesAnalysis[] runs, AnomalySettings settings)
    {
        var groups = new Dictionary<(string Group, string Measure, BillingMonth Month), List<(int Series, double Total, double Growth)>>();
        for (var i = 0; i < series.Count; i++)
        {
            var growth = Growth(runs[i].Totals, settings.Monthly).ToDictionary(g => g.Key, g => g.Growth);
            foreach (var ((measure, month), total) in runs[i].Totals)
            {
                var key = (series[i].ServiceType ?? string.Empty, measure, month);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add((i, total, growth.GetValueOrDefault((measure, month), double.NaN)));
            }
        }

        for (var i = 0; i < series.Count; i++)
        {
            foreach (var c in runs[i].Cases)
            {
                foreach (var m in c.Monthly.Where(m => m.Measure != Measures.Spend && m.Observed > m.Expected && m.Observed >= m.Expected * (1 + settings.UsageMinIncrease)))
                {
                    var all = groups[(series[i].ServiceType ?? string.Empty, m.Measure, c.Month)];
                    var own = all.First(p => p.Series == i);
                    var peers = all.Where(p => p.Series != i && !double.IsNaN(p.Growth)).ToList();
                    if (peers.Count < settings.MinPeers || double.IsNaN(own.Growth))
                    {
                        continue;
                    }

                    var volume = PeerBand.Of([.. peers.Select(p => p.Total)], settings);
                    var growth = PeerBand.Of([.. peers.Select(p => p.Growth)], settings);
                    if (own.Total > volume.Upper && own.Growth > growth.Upper)
                    {
                        c.Usage.Add(new UsageFlag(m, peers.Count, own.Growth, volume, growth));
                    }
                }
            }
        }
    }

    /// <summary>Each complete month's total over the median of up to <c>Cycles</c> months before it (with at least <c>MinCycles</c>).</summary>
    private static IEnumerable<((string Measure, BillingMonth Month) Key, double Growth)> Growth(
        Dictionary<(string Measure, BillingMonth Month), double> totals, SeasonalBaselineOptions monthly)
    {
        foreach (var measure in totals.Keys.Select(k => k.Measure).Distinct())
        {
            var months = totals.Where(kv => kv.Key.Measure == measure).OrderBy(kv => kv.Key.Month).ToList();
            for (var k = monthly.MinCycles; k < months.Count; k++)
            {
                var past = months.Skip(Math.Max(0, k - monthly.Cycles)).Take(Math.Min(k, monthly.Cycles)).Select(kv => kv.Value).ToArray();
                var median = RobustStats.Median(past);
                if (median > RobustStats.Epsilon)
                {
                    yield return (months[k].Key, months[k].Value / median);
                }
            }
        }
    }

    private sealed class Detectors(AnomalySettings settings)
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
    private sealed record DayFlag(DateOnly Day, decimal Observed, decimal Expected, double Lower, double Upper, List<(string Detector, double Score)> By)
    {
        public decimal Excess => Math.Max(Observed - Expected, 0m);
    }

    /// <summary>A month a monthly detector flagged above its expectation.</summary>
    private sealed record MonthlyFlag(string Measure, string Detector, double Observed, double Expected, double Lower, double Upper, double Score);

    private sealed class MonthCase(BillingMonth month, decimal observed)
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
            ? Math.Round(Math.Max(Observed - Money(monthly.Expected), 0m), 4, MidpointRounding.AwayFromZero)
            : null;

        /// <summary>The monthly comparison states the excess (it flagged the month and saw more than the flagged days).</summary>
        public bool ByMonth => MonthExcess is { } month && month > DaysExcess;

        /// <summary>Spend above the expected: the larger of the flagged days' excess and the month's.</summary>
        public decimal Excess => ByMonth ? MonthExcess!.Value : DaysExcess;

        /// <summary>Usage flags that qualify on their own (see QualifyUsage).</summary>
        public List<UsageFlag> Usage { get; } = [];

        public int DetectorCount => Days.SelectMany(d => d.By.Select(b => b.Detector)).Concat(Monthly.Select(m => m.Detector + " (monthly)")).Distinct().Count();
    }

    private static class Measures
    {
        public const string Spend = "spend";
        public const string Minutes = "voice minutes";
        public const string DataMb = "data MB";
    }

    /// <summary>The monthly detectors over spend, minutes and data MB of the series' complete months.</summary>
    private static SeriesAnalysis AnalyseMonthly(DailySeries s, Detectors detectors)
    {
        var analysis = new SeriesAnalysis(s);
        MonthlyDetect(s, detectors, Measures.Spend, i => (double)s.Spend[i], analysis);
        MonthlyDetect(s, detectors, Measures.Minutes, i => s.Minutes[i], analysis);
        MonthlyDetect(s, detectors, Measures.DataMb, i => s.DataMb[i], analysis);
        return analysis;
    }

    /// <summary>
    /// Whether the daily detectors can change anything for this series: a month whose spend could reach min_amount
    /// (the excess of a month never exceeds its spend), or a month its usage alone already qualifies. Most lines of a
    /// large inventory spend less than that in any month, and skipping them gives the same findings.
    /// </summary>
    private static bool NeedsDaily(DailySeries s, SeriesAnalysis analysis, AnomalySettings settings)
    {
        if (analysis.Cases.Any(c => c.Usage.Count > 0))
        {
            return true;
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
    private static void AnalyseDaily(DailySeries s, Detectors detectors, SeriesAnalysis analysis)
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

    private static void MonthlyDetect(DailySeries s, Detectors detectors, string measure, Func<int, double> value, SeriesAnalysis analysis)
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

            var total = 0.0;
            for (var d = m.First; d <= m.Last; d = d.AddDays(1))
            {
                total += value(d.DayNumber - s.FirstDay.DayNumber);
            }

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

    private static decimal Money(double value) => Math.Round((decimal)value, 4, MidpointRounding.AwayFromZero);

    /// <summary>An amount in a finding's text, marked for the engine to format in the finding's currency (<see cref="MoneyText.Resolve"/>).</summary>
    private static string Amount(decimal value) => MoneyText.Open + value.ToString("0.0000", CultureInfo.InvariantCulture) + MoneyText.Close;

    private sealed record EvidenceRecord(string Reference, decimal Billed, string What);

    /// <summary>For each case, the usage records of its flagged days (or of its month when only monthly detectors flagged it), dearest first.</summary>
    private static List<EvidenceRecord>[] EvidenceRecords(DuckDBConnection db, IReadOnlyList<(DailySeries Series, MonthCase Case)> cases)
    {
        var result = new List<EvidenceRecord>[cases.Count];
        for (var k = 0; k < cases.Count; k++)
        {
            result[k] = [];
        }

        if (cases.Count == 0)
        {
            return result;
        }

        db.Execute("CREATE OR REPLACE TEMP TABLE anomaly_flagged (k INTEGER, carrier VARCHAR, account_id VARCHAR, service_id VARCHAR, day DATE)");
        using (var app = db.CreateAppender("anomaly_flagged"))
        {
            for (var k = 0; k < cases.Count; k++)
            {
                var (s, c) = cases[k];
                IEnumerable<DateOnly> days = c.Days.Count > 0
                    ? c.Days.Select(d => d.Day)
                    : Enumerable.Range(0, c.Month.Last.DayNumber - c.Month.First.DayNumber + 1).Select(c.Month.First.AddDays);
                foreach (var day in days)
                {
                    app.CreateRow().AppendValue(k).AppendValue(s.Carrier).AppendValue(s.AccountId).AppendValue(s.ServiceId).AppendValue(day).EndRow();
                }
            }
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT f.k, r.source_file || ':' || r.source_line::VARCHAR || ' record ' || r.record_id || ' ' || r.usage_type || ' '
                       || '⟦' || printf('%.4f', r.billed_amount) || '⟧' AS reference,
                   r.billed_amount,
                   CASE WHEN f.service_id IS NULL THEN r.service_id || ' ' ELSE '' END
                       || coalesce(c.rate_destination, CASE WHEN r.usage_type = 'voice' THEN 'voice (unrated)' ELSE r.usage_type END) AS what
            FROM anomaly_flagged f
            JOIN anomaly_usage_records r ON r.carrier = f.carrier AND r.account_id = f.account_id AND r.day = f.day
                AND r.service_id = coalesce(f.service_id, r.service_id)
            LEFT JOIN anomaly_calls c ON c.source_file = r.source_file AND c.source_line = r.source_line AND c.record_id = r.record_id
                AND c.start_time = r.start_time
            ORDER BY f.k, r.billed_amount DESC, coalesce(r.duration_s, 0) DESC, coalesce(r.data_mb, 0) DESC, r.source_file, r.source_line
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            result[r.GetInt32(0)].Add(new EvidenceRecord(r.GetString(1), r.GetDecimal(2), r.GetString(3)));
        }

        return result;
    }

    private static ModelFinding SpendFinding(DailySeries s, MonthCase c, decimal amount, List<EvidenceRecord> records, AnomalySettings settings)
    {
        var currency = s.Currency ?? string.Empty;
        var expected = c.Observed - c.Excess;

        // The month's band: the unflagged days as observed, each flagged day anywhere within its own band.
        decimal low = c.Observed, high = c.Observed;
        foreach (var d in c.Days)
        {
            low -= d.Observed - Money(double.IsNaN(d.Lower) ? (double)d.Expected : Math.Max(d.Lower, 0));
            high -= d.Observed - Money(double.IsNaN(d.Upper) ? (double)d.Expected : Math.Max(d.Upper, 0));
        }

        if (c.ByMonth)
        {
            var monthly = c.Monthly.First(m => m.Measure == Measures.Spend);
            low = Money(Math.Max(monthly.Lower, 0));
            high = Money(Math.Max(monthly.Upper, 0));
        }

        low = Math.Max(low, 0m);
        var scope = s.ServiceId is null ? $"account {s.AccountId} (beyond its services' findings)" : s.ServiceId;
        var usage = c.Usage;
        string title;
        if (usage.Count == 0 || amount >= settings.MinAmount)
        {
            title = Invariant($"Usage spend {Amount(c.Observed)} {currency} in {c.Month} against {Amount(expected)} expected (band {Amount(low)} to {Amount(high)}) on {scope}");
        }
        else
        {
            var u = usage[0].Flag;
            title = Invariant($"{Capital(u.Measure)} {u.Observed:0} in {c.Month} against {u.Expected:0} expected (band {Math.Max(u.Lower, 0):0} to {u.Upper:0}) on {scope}");
        }

        var detail = new StringBuilder();
        detail.Append(Invariant($"observed {Amount(c.Observed)} {currency}, expected {Amount(expected)} (band {Amount(low)} to {Amount(high)}): {Amount(c.Excess)} above"));
        if (amount != c.Excess)
        {
            detail.Append(Invariant($", of which {Amount(c.Excess - amount)} is in its services' spend_anomaly findings and {Amount(amount)} is not"));
        }
        if (c.Days.Count > 0)
        {
            var first = c.Days.Min(d => d.Day);
            var last = c.Days.Max(d => d.Day);
            detail.Append(Invariant($"; {c.Days.Count} flagged day{(c.Days.Count == 1 ? string.Empty : "s")} {Span(first, last)}"));
            foreach (var d in c.Days.OrderByDescending(d => d.Excess).ThenBy(d => d.Day).Take(3))
            {
                detail.Append(Invariant($"; {d.Day:yyyy-MM-dd} observed {Amount(d.Observed)} expected {Amount(d.Expected)}"));
                if (!double.IsNaN(d.Lower))
                {
                    detail.Append(Invariant($" (band {Amount(Money(Math.Max(d.Lower, 0)))} to {Amount(Money(d.Upper))})"));
                }

                detail.Append(" by ").Append(string.Join(", ", d.By.Select(b => Invariant($"{b.Detector} ({Statistic(b.Detector)} {b.Score:0.0})"))));
            }
        }

        foreach (var m in c.Monthly)
        {
            detail.Append(Invariant($"; monthly {m.Measure} {m.Observed:0.##} against {m.Expected:0.##} (band {Math.Max(m.Lower, 0):0.##} to {m.Upper:0.##}) by {m.Detector} ({Statistic(m.Detector)} {m.Score:0.0})"));
            if (usage.Find(u => u.Flag == m) is { } peer)
            {
                detail.Append(Invariant($", against its {peer.Peers} peers' median {peer.Volume.Median:0.##} (band up to {peer.Volume.Upper:0.##}) and grown x{peer.Growth:0.00} against their x{peer.GrowthBand.Median:0.00} (band up to x{peer.GrowthBand.Upper:0.00})"));
            }
        }

        var features = records.GroupBy(e => e.What, StringComparer.Ordinal)
            .Select(g => (What: g.Key, Billed: g.Sum(e => e.Billed), Count: g.Count()))
            .OrderByDescending(g => g.Billed).ThenByDescending(g => g.Count).ThenBy(g => g.What, StringComparer.Ordinal).Take(3).ToList();
        if (features.Count > 0)
        {
            detail.Append("; top features: ").Append(string.Join(", ", features.Select(f => Invariant($"{f.What} {Amount(f.Billed)} in {f.Count} record{(f.Count == 1 ? string.Empty : "s")}"))));
        }

        var detectorsUsed = c.DetectorCount;
        var confidence = Math.Min(0.9m, 0.5m + (0.1m * detectorsUsed));
        return new ModelFinding(AnomalySettings.SpendRule, s.Carrier, s.AccountId, s.ServiceId, c.Month, amount, confidence, title, detail.ToString(),
            Evidence(records.Select(e => e.Reference).ToList()));
    }

    private sealed record OutlierKey(string Carrier, string AccountId, string ServiceId, BillingMonth Month);

    private sealed class KeyComparer : IComparer<OutlierKey>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(OutlierKey? x, OutlierKey? y) =>
            (x, y) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => string.CompareOrdinal(x.Carrier, y.Carrier) is var a and not 0 ? a
                    : string.CompareOrdinal(x.AccountId, y.AccountId) is var b and not 0 ? b
                    : string.CompareOrdinal(x.ServiceId, y.ServiceId) is var c and not 0 ? c
                    : x.Month.CompareTo(y.Month),
            };
    }

    private sealed record OutlierDetail(OutlierKey Key, string Reference, DateTime LocalStart, decimal Billed, string? Currency, string Destination);

    private static Dictionary<int, OutlierDetail> OutlierDetails(DuckDBConnection db, List<int> outliers, Dictionary<int, OutlierCall> calls)
    {
        db.Execute("CREATE OR REPLACE TEMP TABLE anomaly_outliers (call INTEGER, id BIGINT)");
        using (var app = db.CreateAppender("anomaly_outliers"))
        {
            foreach (var i in outliers)
            {
                app.CreateRow().AppendValue(i).AppendValue(calls[i].Id).EndRow();
            }
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT o.call, c.carrier, c.account_id, c.service_id, c.usage_month,
                   c.source_file || ':' || c.source_line::VARCHAR || ' record ' || c.record_id || ' to ' || c.called_number || ' '
                       || strftime(c.local_start, '%Y-%m-%d %H:%M') || ' ' || c.duration_s::VARCHAR || ' s ' || '⟦' || printf('%.4f', c.billed_amount) || '⟧',
                   c.local_start, c.billed_amount, c.currency, coalesce(c.rate_destination, c.destination_key)
            FROM anomaly_outliers o
            JOIN anomaly_calls c ON c.rowid = o.id
            """;
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<int, OutlierDetail>();
        while (r.Read())
        {
            map[r.GetInt32(0)] = new OutlierDetail(
                new OutlierKey(r.GetString(1), r.GetString(2), r.GetString(3), BillingMonth.Parse(r.GetString(4))),
                r.GetString(5), r.GetDateTime(6), r.GetDecimal(7), r.GetStringOrNull(8), r.GetString(9));
        }

        return map;
    }

    /// <summary>Per feature: the median and the 5th and 95th percentiles over a fixed stride sample (at most about 65 536) of the calls, row-major.</summary>
    private static (double Median, double Low, double High)[] TypicalBands(List<double> sample, int width)
    {
        var n = sample.Count / width;
        var column = new double[n];
        var bands = new (double, double, double)[width];
        for (var f = 0; f < width; f++)
        {
            for (var k = 0; k < n; k++)
            {
                column[k] = sample[(k * width) + f];
            }

            var sorted = column.AsSpan();
            sorted.Sort();
            bands[f] = (Quantile(sorted, 0.5), Quantile(sorted, 0.05), Quantile(sorted, 0.95));
        }

        return bands;
    }

    private static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((position - lo) * (sorted[hi] - sorted[lo]));
    }

    private static ModelFinding UsageFinding(
        OutlierKey key, List<int> calls, Dictionary<int, OutlierDetail> details, Dictionary<int, OutlierCall> outliers, IsolationForest forest,
        (double Median, double Low, double High)[] typical, AnomalySettings settings, (long Trained, long Calls)? sampled)
    {
        var width = CallFeatures.Names.Length;
        var shares = new double[width];
        var one = new double[width];
        foreach (var i in calls)
        {
            forest.Explain(outliers[i].Row, one);
            for (var f = 0; f < width; f++)
            {
                shares[f] += one[f] / calls.Count;
            }
        }

        var ordered = calls.OrderBy(i => details[i].LocalStart).ThenBy(i => i).ToList();
        var first = details[ordered[0]].LocalStart;
        var last = details[ordered[^1]].LocalStart;
        var billed = calls.Sum(i => details[i].Billed);
        var currency = details[calls[0]].Currency ?? string.Empty;
        var destinations = calls.GroupBy(i => details[i].Destination, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => Invariant($"{g.Key} ({g.Count()})")).ToList();
        var minScore = calls.Min(i => outliers[i].Score);
        var maxScore = calls.Max(i => outliers[i].Score);
        var when = first.Date == last.Date
            ? Invariant($"{first:yyyy-MM-dd} {first:HH\\:mm} to {last:HH\\:mm} local")
            : Invariant($"{first:yyyy-MM-dd HH\\:mm} to {last:yyyy-MM-dd HH\\:mm} local");

        var title = Invariant($"{calls.Count} outlying call{(calls.Count == 1 ? string.Empty : "s")} on {when}, billed {Amount(billed)} {currency}: {string.Join(", ", destinations.Take(3))}");
        var detail = new StringBuilder(Invariant(
            $"isolation forest ({settings.Forest.Trees} trees of {forest.SampleSize} calls, seed {settings.Forest.Seed}{(sampled is { } s ? Invariant($", grown on a stride sample of {s.Trained} of the {s.Calls} calls") : string.Empty)}) scored {calls.Count} call{(calls.Count == 1 ? string.Empty : "s")} "));
        detail.Append(Invariant(
            $"{minScore:0.000} to {maxScore:0.000} (threshold {settings.MinScore:0.00}; ordinary calls score about 0.5); billed {Amount(billed)} {currency}; destinations {string.Join(", ", destinations)}"));
        detail.Append("; top features (observed median against the typical 5th to 95th percentile of all calls): ");
        var top = Enumerable.Range(0, width).OrderByDescending(f => shares[f]).ThenBy(f => f).Take(3);
        detail.Append(string.Join(", ", top.Select(f =>
        {
            var observed = Median(calls.Select(i => outliers[i].Row[f]));
            return Invariant($"{CallFeatures.Names[f]} {Show(f, observed)} against {Show(f, typical[f].Median)} (band {Show(f, typical[f].Low)} to {Show(f, typical[f].High)}), {shares[f]:P0} of the isolating splits");
        })));

        var confidence = Math.Round((decimal)calls.Average(i => outliers[i].Score), 4, MidpointRounding.AwayFromZero);
        return new ModelFinding(AnomalySettings.UsageRule, key.Carrier, key.AccountId, key.ServiceId, key.Month, 0m, confidence, title, detail.ToString(),
            Evidence([.. ordered.Select(i => details[i].Reference)]));
    }

    private static double Median(IEnumerable<double> values)
    {
        var array = values.ToArray();
        return RobustStats.Median(array);
    }

    /// <summary>A feature's value in its own unit (durations in seconds and cost in money rather than their logarithms).</summary>
    private static string Show(int feature, double value) => CallFeatures.Names[feature] switch
    {
        "duration_s" => Invariant($"{Math.Exp(value) - 1:0} s"),
        "cost" => Amount(Money(Math.Exp(value) - 1)),
        "local_hour" => Invariant($"{value:0.0} h"),
        _ => Invariant($"{value:0.##}"),
    };

    private static string Evidence(List<string> references) =>
        string.Join(", ", references.Take(MaxEvidence)) + (references.Count > MaxEvidence ? Invariant($" (+{references.Count - MaxEvidence} more)") : string.Empty);

    private static string Span(DateOnly first, DateOnly last) =>
        first == last ? Invariant($"{first:yyyy-MM-dd}") : Invariant($"{first:yyyy-MM-dd} to {last:yyyy-MM-dd}");

    private static string Statistic(string detector) => detector switch
    {
        SpectralResidualDetector.DetectorName => "saliency ratio",
        LevelShiftDetector.DetectorName => "shift z",
        _ => "z",
    };

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
