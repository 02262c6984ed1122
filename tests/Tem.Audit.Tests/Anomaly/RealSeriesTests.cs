using System.Globalization;
using System.Text;
using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

/// <summary>
/// Series as real exports write them (repeated timestamps, rows out of order, gaps, 5- and 30-minute spacing) and the
/// seasonality and threshold calibration that real series need. Every series is generated here, seeded.
/// </summary>
public sealed class RealSeriesTests
{
    private static readonly DateTime Start = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc); // a Monday

    private static LabeledSeries Parse(string text, SeriesReadOptions? options = null) =>
        LabeledSeries.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text)), "series.csv", options);

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static string Csv(TimeSpan step, double[] values)
    {
        var text = new StringBuilder("timestamp,value,label\n");
        for (var i = 0; i < values.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Start + (step * i):yyyy-MM-dd HH:mm:ss},{values[i]:0.####},0\n");
        }

        return text.ToString();
    }

    /// <summary>A daily sine of amplitude 10 around 50 plus N(0, noise) every <paramref name="step"/>.</summary>
    private static double[] DailyCycle(TimeSpan step, int days, int seed, double noise = 3)
    {
        var rng = new Random(seed);
        var perDay = (int)(TimeSpan.FromDays(1) / step);
        return [.. Enumerable.Range(0, days * perDay).Select(i => 50 + (10 * Math.Sin(2 * Math.PI * i / perDay)) + (noise * Normal(rng)))];
    }

    [Theory]
    [InlineData("mean", 2.0, 15.0)]
    [InlineData("sum", 6.0, 30.0)]
    [InlineData("max", 3.0, 20.0)]
    [InlineData("min", 1.0, 10.0)]
    [InlineData("first", 3.0, 20.0)]
    [InlineData("last", 2.0, 10.0)]
    public void RepeatedTimestamps_AreAggregatedByTheDeclaredFunctionAndReported(string how, double first, double second)
    {
        // 01:00 three times (3, 1, 2 in file order), 03:00 twice (20, 10), one row (02:00) after 03:00 in the file.
        const string text = "timestamp,value,label\n2026-03-29 00:00:00,5,0\n2026-03-29 01:00:00,3,0\n2026-03-29 01:00:00,1,1\n"
                            + "2026-03-29 01:00:00,2,0\n2026-03-29 03:00:00,20,0\n2026-03-29 02:00:00,7,0\n2026-03-29 03:00:00,10,0\n";
        var options = new SeriesReadOptions { Duplicates = Enum.Parse<DuplicateAggregation>(how, ignoreCase: true) };

        var s = Parse(text, options);

        Assert.Equal([5, first, 7, second], s.Values);
        Assert.Equal([false, true, false, false], s.Labels); // a point is anomalous when any of its rows is
        var p = s.Preparation;
        Assert.Equal((7, 2, 3, 1), (p.Rows, p.RepeatedTimestamps, p.MergedRows, p.OutOfOrderRows));
        Assert.Equal(p.Rows - p.MergedRows + p.FilledPoints, s.Values.Count);
        Assert.Equal($"1 row out of order: sorted by timestamp; 2 repeated timestamps aggregated by {how} (3 rows merged)", p.Describe());
    }

    [Fact]
    public void ShortGaps_AreFilledByInterpolation_LongOnesAreLeftAndReported()
    {
        // 30-minute points; 01:30 and 02:00 missing (a short gap), then 30 hours missing later (too long for 10 % of the series).
        var text = new StringBuilder("timestamp,value,label\n");
        var stamps = Enumerable.Range(0, 60).Where(i => i is not 3 and not 4).Select(i => Start.AddMinutes(30 * i))
            .Concat(Enumerable.Range(0, 40).Select(i => Start.AddMinutes(30 * (120 + i))));
        foreach (var (t, i) in stamps.Select((t, i) => (t, i)))
        {
            text.Append(CultureInfo.InvariantCulture, $"{t:yyyy-MM-ddTHH:mm:ssZ},{i * 3},0\n");
        }

        var s = Parse(text.ToString());

        Assert.Equal((2, 2, 1), (s.Preparation.Gaps, s.Preparation.FilledPoints, s.Preparation.UnfilledGaps));
        Assert.Equal([6.0, 7.0, 8.0, 9.0], s.Values.Skip(2).Take(4)); // 6 at 01:00, 9 at 02:30: 7 and 8 filled between
        Assert.Equal(Start.AddMinutes(90), s.Timestamps[3].UtcDateTime);
        Assert.Equal(100, s.Values.Count);
        Assert.Contains("2 gaps: 1 filled by linear interpolation (2 points", s.Preparation.Describe(), StringComparison.Ordinal);
        Assert.Contains("1 too long to fill", s.Preparation.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ThirtyMinuteSeriesWithADailyCycle_HasPeriod48()
    {
        var s = Parse(Csv(TimeSpan.FromMinutes(30), DailyCycle(TimeSpan.FromMinutes(30), 21, seed: 7)));

        var season = s.InferSeasonality();

        Assert.Equal((48, "daily"), (season.Period, season.Cycle));
        Assert.StartsWith("period 48 (daily, from 30-minute spacing; autocorrelation 0.", season.Describe(), StringComparison.Ordinal);
        Assert.True(season.Candidates.Single(c => c.Period == 48).Autocorrelation > 0.5, season.Describe());
    }

    [Fact]
    public void FiveMinuteSeriesWithWeekdaysAndWeekends_HasTheWeeklyPeriod()
    {
        // Weekdays: the daily cycle; Saturday and Sunday: flat at 20. So days repeat only from week to week.
        var step = TimeSpan.FromMinutes(5);
        var values = DailyCycle(step, 21, seed: 11);
        for (var i = 0; i < values.Length; i++)
        {
            if ((i / 288) % 7 >= 5)
            {
                values[i] = values[i] - 50 - (10 * Math.Sin(2 * Math.PI * i / 288)) + 20;
            }
        }

        var season = Parse(Csv(step, values)).InferSeasonality();

        Assert.Equal((2016, "weekly"), (season.Period, season.Cycle));
        var daily = season.Candidates.Single(c => c.Name == "daily").Autocorrelation;
        var weekly = season.Candidates.Single(c => c.Name == "weekly").Autocorrelation;
        Assert.True(weekly >= daily + SeasonalityInference.LongerCycleMargin, season.Describe());
    }

    [Fact]
    public void FiveMinuteDailyCycleOnly_KeepsTheShorterCycle()
    {
        var step = TimeSpan.FromMinutes(5);

        var season = Parse(Csv(step, DailyCycle(step, 15, seed: 5))).InferSeasonality();

        Assert.Equal((288, "daily"), (season.Period, season.Cycle));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NoiseOrATrendWithoutCycle_HasNoPeriod(bool trend)
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 4032).Select(i => 50 + (trend ? i * 0.05 : 0) + (3 * Normal(rng))).ToArray();

        var season = Parse(Csv(TimeSpan.FromMinutes(5), values)).InferSeasonality();

        Assert.Equal((1, (string?)null), (season.Period, season.Cycle));
        Assert.StartsWith("period 1 (no cycle: autocorrelation ", season.Describe(), StringComparison.Ordinal);
        Assert.Contains("below 0.30, from 5-minute spacing", season.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, "daily", 288)]
    [InlineData(15, "daily", 96)]
    [InlineData(30, "daily", 48)]
    [InlineData(60, "weekly", 168)]
    [InlineData(1440, "weekly", 7)]
    [InlineData(1440, "yearly", 365)]
    public void Candidates_FromTheSpacing(int minutes, string cycle, int period) =>
        Assert.Contains((cycle, period), SeasonalityInference.CandidatesFor(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void ShortSeries_IsTooShortToTest()
    {
        var season = Parse("timestamp,value,label\n2026-01-01,1,0\n2026-01-02,2,0\n2026-01-03,3,0\n").InferSeasonality();

        Assert.Equal(1, season.Period);
        Assert.StartsWith("period 1 (no cycle: too short to test weekly (7 points) or yearly (365 points) from 1-day spacing)", season.Describe(), StringComparison.Ordinal);
    }

    public static TheoryData<string> Detectors => ["seasonal_baseline", "spectral_residual", "level_shift"];

    private static ISeriesDetector Detector(string name, int period, int points, double k, double share) =>
        SeriesEvaluation.Detectors(AnomalySettings.Default, period, points, k, share).Single(d => d.Name == name);

    private static int Flagged(ISeriesDetector detector, double[] values)
    {
        var scores = new PointScore[values.Length];
        detector.Detect(values, scores);
        return scores.Count(s => s.IsAnomaly);
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public void NoiseOnly_CalibratedDetectorFlagsAtMostAFewPercent(string name)
    {
        var rng = new Random(17);
        // Heavy-tailed noise (a third of the points from a 4x wider normal), as on a busy server's CPU.
        var values = Enumerable.Range(0, 4032).Select(_ => 40 + (3 * Normal(rng) * (rng.NextDouble() < 0.33 ? 4 : 1))).ToArray();

        var calibrated = Flagged(Detector(name, 1, values.Length, ScoreCalibration.DefaultK, ScoreCalibration.DefaultShare), values);

        Assert.True(calibrated <= 0.025 * values.Length, $"{name} flagged {calibrated} of {values.Length}");
    }

    [Theory]
    [InlineData("seasonal_baseline")]
    [InlineData("spectral_residual")]
    public void NoiseOnly_CalibrationKeepsAboutTheTopTwoPercent_FewerThanTheFixedThreshold(string name)
    {
        var rng = new Random(17);
        var values = Enumerable.Range(0, 4032).Select(_ => 40 + (3 * Normal(rng) * (rng.NextDouble() < 0.33 ? 4 : 1))).ToArray();

        var raw = Flagged(Detector(name, 1, values.Length, 0, 0), values);
        var calibrated = Flagged(Detector(name, 1, values.Length, ScoreCalibration.DefaultK, ScoreCalibration.DefaultShare), values);

        Assert.True(calibrated < raw, $"raw {raw}, calibrated {calibrated}");
        Assert.True(calibrated <= 0.025 * values.Length, $"raw {raw}, calibrated {calibrated}");
    }

    [Fact]
    public void InjectedSpikeOnNoise_IsFoundByTheCalibratedSpectralResidual()
    {
        var rng = new Random(29);
        var values = Enumerable.Range(0, 2000).Select(_ => 50 + (3 * Normal(rng))).ToArray();
        values[1500] += 60;

        var scores = new PointScore[values.Length];
        Detector("spectral_residual", 1, values.Length, ScoreCalibration.DefaultK, ScoreCalibration.DefaultShare).Detect(values, scores);

        Assert.Equal(PointVerdict.High, scores[1500].Verdict);
    }

    // The seasonal baseline, not the spectral residual: on a daily sine the residual's 32-point window (two thirds of a
    // day) is dominated by the cycle and it misses a 20-sigma spike even uncalibrated (measured while writing this).
    [Fact]
    public void InjectedSpikeOnADailyCycle_IsFoundByTheCalibratedSeasonalBaseline()
    {
        var values = DailyCycle(TimeSpan.FromMinutes(30), 21, seed: 23);
        values[800] += 60; // 20 noise standard deviations, on day 16

        var scores = new PointScore[values.Length];
        Detector("seasonal_baseline", 48, values.Length, ScoreCalibration.DefaultK, ScoreCalibration.DefaultShare).Detect(values, scores);

        Assert.Equal(PointVerdict.High, scores[800].Verdict);
        Assert.True(scores.Count(s => s.IsAnomaly) <= 0.025 * values.Length, $"{scores.Count(s => s.IsAnomaly)} flagged");
    }

    [Fact]
    public void Calibration_BeforeEnoughHistory_KeepsTheDetectorsVerdict()
    {
        var scores = new PointScore[40];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = new PointScore(i is 5 or 35 ? PointVerdict.High : PointVerdict.Normal, 0, 0, 0, i is 5 or 35 ? 1.0 : 1.0 + (i % 3));
        }

        ScoreCalibration.Apply(scores, 5, 0.01);

        Assert.Equal(PointVerdict.High, scores[5].Verdict);   // 5 scored points before it: no distribution yet
        Assert.Equal(PointVerdict.Normal, scores[35].Verdict); // 1.0 is ordinary among the 35 before it
    }

    [Fact]
    public void NabWindows_LabelTheirPointsInclusively()
    {
        const string json = """
            { "realAWSCloudwatch/x.csv": [["2014-02-14 14:40:00.000000", "2014-02-14 14:45:00.000000"]], "other/y.csv": [] }
            """;
        var windows = NabBenchmark.ParseWindows(new MemoryStream(Encoding.UTF8.GetBytes(json)), "windows.json");

        var s = Parse("timestamp,value\n2014-02-14 14:30:00,1\n2014-02-14 14:35:00,2\n2014-02-14 14:40:00,3\n2014-02-14 14:45:00,4\n2014-02-14 14:50:00,5\n",
            new SeriesReadOptions { Windows = windows["realAWSCloudwatch/x.csv"] });

        Assert.Equal([false, false, true, true, false], s.Labels);
        Assert.Empty(windows["other/y.csv"]);
    }

    [Fact]
    public void NabWindows_BadWindow_NamesTheEntry()
    {
        const string json = """{ "a/x.csv": [["2014-02-14", "yesterday"]] }""";

        var e = Assert.Throws<Tem.Core.InputDataException>(() => NabBenchmark.ParseWindows(new MemoryStream(Encoding.UTF8.GetBytes(json)), "windows.json"));

        Assert.Contains("a/x.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not a window", e.Message, StringComparison.Ordinal);
    }
}
