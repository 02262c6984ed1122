using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

public sealed class LevelShiftDetectorTests
{
    private static PointScore[] Detect(double[] values, LevelShiftOptions? options = null)
    {
        var scores = new PointScore[values.Length];
        new LevelShiftDetector(options).Detect(values, scores);
        return scores;
    }

    private static double[] Noisy(int n, int seed, Func<int, double> level)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(i => level(i) * (1 + (0.1 * ((2 * rng.NextDouble()) - 1))))];
    }

    [Fact]
    public void Detect_StepUp_FlagsOnePointWithinHalfAWindowOfTheStep()
    {
        var values = Noisy(200, 1, i => i < 100 ? 20 : 40);

        var scores = Detect(values);

        var flagged = Enumerable.Range(0, values.Length).Where(i => scores[i].IsAnomaly).ToList();
        var point = Assert.Single(flagged);
        Assert.InRange(point, 97, 103);
        Assert.Equal(PointVerdict.High, scores[point].Verdict);
        Assert.InRange(scores[point].Expected, 18, 22);
    }

    [Fact]
    public void Detect_StepDown_IsLow()
    {
        var values = Noisy(120, 2, i => i < 60 ? 50 : 10);

        var scores = Detect(values);

        Assert.Equal(PointVerdict.Low, Assert.Single(scores, s => s.IsAnomaly).Verdict);
    }

    [Fact]
    public void Detect_LoneSpikes_AreNotShifts()
    {
        var values = Noisy(150, 3, _ => 30);
        values[40] = 3000;
        values[90] = 0;

        var scores = Detect(values);

        Assert.DoesNotContain(scores, s => s.IsAnomaly);
    }

    [Fact]
    public void Detect_TemporaryShift_FlagsItsStartAndItsEnd()
    {
        var values = Noisy(200, 4, i => i is >= 80 and < 110 ? 60 : 30);

        var scores = Detect(values);

        var flagged = Enumerable.Range(0, values.Length).Where(i => scores[i].IsAnomaly).ToList();
        Assert.Equal(2, flagged.Count);
        Assert.InRange(flagged[0], 77, 83);
        Assert.Equal(PointVerdict.High, scores[flagged[0]].Verdict);
        Assert.InRange(flagged[1], 107, 113);
        Assert.Equal(PointVerdict.Low, scores[flagged[1]].Verdict);
    }

    [Fact]
    public void Detect_WeeklySeriesWithAProportionalIncreaseAndHolidays_FlagsOnlyTheIncrease()
    {
        var start = new DateOnly(2026, 1, 1);
        var values = SyntheticSeries.Weekly(start, 300, seed: 21);
        foreach (var h in SyntheticSeries.Holidays2026.Where(h => h.DayNumber - start.DayNumber < 300))
        {
            values[h.DayNumber - start.DayNumber] *= 6.0 / 40;
        }

        var from = new DateOnly(2026, 8, 3).DayNumber - start.DayNumber;
        for (var i = from; i < values.Length; i++)
        {
            values[i] *= 1.5;
        }

        var scores = Detect(values);

        var flagged = Enumerable.Range(0, values.Length).Where(i => scores[i].IsAnomaly).ToList();
        Assert.InRange(Assert.Single(flagged), from - 3, from + 3);
    }

    [Fact]
    public void Detect_Edges_HaveNoVerdict()
    {
        var values = Noisy(30, 5, i => i < 27 ? 10 : 100);

        var scores = Detect(values);

        // Two windows of history before t (the shift and the noise), one window from t on.
        Assert.All(scores[..14], s => Assert.Equal(PointVerdict.NotScored, s.Verdict));
        Assert.All(scores[24..], s => Assert.Equal(PointVerdict.NotScored, s.Verdict));
        Assert.All(scores[14..24], s => Assert.NotEqual(PointVerdict.NotScored, s.Verdict));
    }
}
