using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

public sealed class SeasonalBaselineDetectorTests
{
    private static readonly DateOnly Monday = new(2026, 1, 5);

    private static PointScore[] Detect(double[] values, SeasonalBaselineOptions? options = null)
    {
        var scores = new PointScore[values.Length];
        new SeasonalBaselineDetector(options).Detect(values, scores);
        return scores;
    }

    [Fact]
    public void Detect_Expected_IsMedianOfTheSameWeekdayInPastWeeks()
    {
        var values = SyntheticSeries.Weekly(Monday, 36, seed: 1);
        double[] mondays = [10, 30, 20, 50, 40];
        for (var w = 0; w < mondays.Length; w++)
        {
            values[7 * w] = mondays[w];
        }

        var scores = Detect(values);

        var s = scores[35];
        Assert.Equal(30, s.Expected);
        Assert.Equal(s.Expected - s.Lower, s.Upper - s.Expected, 9);
        var sigma = (s.Upper - s.Expected) / 5.0;
        Assert.Equal(values[35] - s.Expected, s.Score * sigma, 9);
    }

    [Fact]
    public void Detect_PlantedSpikes_FlagsEachSpikeAndNothingElse()
    {
        var values = SyntheticSeries.Weekly(Monday, 200, seed: 7);
        int[] spikes = [60, 100, 130, 150];
        values[60] *= 4;
        values[100] *= 3;
        values[130] += 200;
        values[150] *= 2.5;

        var scores = Detect(values);

        var high = Enumerable.Range(0, values.Length).Where(i => scores[i].Verdict == PointVerdict.High).ToArray();
        Assert.Equal(spikes, high);
        Assert.DoesNotContain(scores, s => s.Verdict == PointVerdict.Low);
    }

    [Fact]
    public void Detect_CleanWeeklySeriesWithHolidays_NothingAboveAndHolidaysAreTheOnlyDips()
    {
        var start = new DateOnly(2026, 1, 1);
        var values = SyntheticSeries.Weekly(start, 354, seed: 11);
        var holidays = SyntheticSeries.Holidays2026.Select(h => h.DayNumber - start.DayNumber).ToArray();
        foreach (var h in holidays)
        {
            values[h] *= 6.0 / 40;
        }

        var scores = Detect(values);

        Assert.DoesNotContain(scores, s => s.Verdict == PointVerdict.High);
        var low = Enumerable.Range(0, values.Length).Where(i => scores[i].Verdict == PointVerdict.Low);
        Assert.Equal(holidays.Where(h => scores[h].Verdict != PointVerdict.NotScored), low);
    }

    [Fact]
    public void Detect_ShortHistory_GivesNoVerdictEvenForAHugeValue()
    {
        var values = SyntheticSeries.Weekly(Monday, 28, seed: 3);
        values[27] = 1_000_000;

        var scores = Detect(values);

        Assert.All(scores, s => Assert.Equal(PointVerdict.NotScored, s.Verdict));
        Assert.True(double.IsNaN(scores[27].Expected));

        var longer = Detect([.. values, 1_000_000]);
        Assert.Equal(PointVerdict.High, longer[28].Verdict);
    }

    [Fact]
    public void Detect_ChangingFutureValues_LeavesEveryEarlierScoreAsItWas()
    {
        var values = SyntheticSeries.Weekly(Monday, 150, seed: 5);
        var before = Detect(values);
        var rng = new Random(9);
        for (var i = 100; i < values.Length; i++)
        {
            values[i] = rng.NextDouble() * 1000;
        }

        var after = Detect(values);

        Assert.Equal(before[..100], after[..100]);
    }

    [Fact]
    public void Detect_SteadyFee_SmallWobbleIsNormalAndADoublingIsHigh()
    {
        var values = Enumerable.Repeat(450.0, 60).ToArray();
        values[50] = 475;
        values[55] = 900;

        var scores = Detect(values, new SeasonalBaselineOptions { Period = 1, Cycles = 6, MinCycles = 3 });

        Assert.Equal(PointVerdict.Normal, scores[50].Verdict);
        Assert.Equal(PointVerdict.High, scores[55].Verdict);
        Assert.Equal(450, scores[55].Expected);
    }

    [Theory]
    [InlineData(7, 8, 4)]
    [InlineData(3, 5, 2)]
    [InlineData(1, 6, 3)]
    public void Detect_RandomSeries_MatchesAPlainRecomputationOfEveryPoint(int period, int cycles, int minCycles)
    {
        var rng = new Random(period * 100 + cycles);
        var values = Enumerable.Range(0, 300).Select(_ => Math.Round(rng.NextDouble() * 20, 1)).ToArray();
        var options = new SeasonalBaselineOptions { Period = period, Cycles = cycles, MinCycles = minCycles };

        var scores = Detect(values, options);

        for (var t = 0; t < values.Length; t++)
        {
            var c = Math.Min(cycles, t / period);
            if (c < minCycles)
            {
                Assert.Equal(PointVerdict.NotScored, scores[t].Verdict);
                continue;
            }

            // Straight from the definition: phase medians of the past c seasons, then the spread of the deviations.
            var start = t - (c * period);
            double PhaseMedian(int k) => Median([.. Enumerable.Range(0, c).Select(i => values[start + ((k - start) % period) + (i * period)])]);
            var expected = PhaseMedian(t);
            var deviations = Enumerable.Range(start, c * period).Select(k => Math.Abs(values[k] - PhaseMedian(k))).ToArray();
            var mad = 1.482602218505602 * Median(deviations);
            var sigma = Math.Max(mad > 1e-9 ? mad : 1.2533141373155001 * deviations.Average(), 0.1 * Math.Abs(expected));
            Assert.Equal(expected, scores[t].Expected, 9);
            Assert.Equal((values[t] - expected) / Math.Max(sigma, 1e-9), scores[t].Score, 6);
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    [Fact]
    public void Detect_BadInput_Throws()
    {
        var detector = new SeasonalBaselineDetector();
        Assert.Throws<ArgumentException>(() => detector.Detect(new double[3], new PointScore[2]));
        Assert.Throws<ArgumentException>(() => detector.Detect([1, double.NaN, 2], new PointScore[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeasonalBaselineDetector(new SeasonalBaselineOptions { MinCycles = 9, Cycles = 8 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeasonalBaselineDetector(new SeasonalBaselineOptions { Threshold = 0 }));
    }
}
