using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

public sealed class EventWindowScoringTests
{
    private static bool[] Bits(string text) => [.. text.Select(c => c == '1')];

    [Fact]
    public void Score_ToleranceOne_EarlyFlagDetectsAndFarAlarmIsFalse()
    {
        // Events [2,3] and [9]; alarms {4} (within 1 of the first event) and {14,15} (nowhere near one).
        var labels = Bits("00110000010000000000");
        var flags = Bits("00001000000000110000");

        var r = EventWindowScoring.Score("d", labels, flags, tolerance: 1, scored: 20);

        Assert.Equal((2, 1, 2, 1, 1, 3), (r.Events, r.Detected, r.Alarms, r.TrueAlarms, r.FalseAlarms, r.FlaggedPoints));
        Assert.Equal(0.5, r.Precision);
        Assert.Equal(0.5, r.Recall);
        Assert.Equal(0.5, r.F1);
    }

    [Fact]
    public void Score_ToleranceZero_FlagNextToAnEventMissesIt()
    {
        var r = EventWindowScoring.Score("d", Bits("00110000010000000000"), Bits("00001000000000110000"), tolerance: 0, scored: 20);

        Assert.Equal((0, 0), (r.Detected, r.TrueAlarms));
        Assert.Equal(0, r.Precision);
        Assert.Equal(0, r.F1);
    }

    [Fact]
    public void Score_ManyFlagsInOneEvent_CountOnceAndAnAlarmStraddlingAWindowIsTrue()
    {
        // One long event [3,8]: flags at 3, 5, 6 (two alarms, both true) and a run 9..12 starting inside the window.
        var r = EventWindowScoring.Score("d", Bits("0001111110000000"), Bits("0001011001111000"), tolerance: 1, scored: 16);

        Assert.Equal((1, 1, 3, 3), (r.Events, r.Detected, r.Alarms, r.TrueAlarms));
        Assert.Equal(1, r.Precision);
    }

    [Fact]
    public void Score_NoAlarmsOrNoEvents_LeavesTheRatioUndefined()
    {
        var quiet = EventWindowScoring.Score("d", Bits("0010"), Bits("0000"), 1, 4);
        var clean = EventWindowScoring.Score("d", Bits("0000"), Bits("0100"), 1, 4);

        Assert.True(double.IsNaN(quiet.Precision));
        Assert.Equal(0, quiet.Recall);
        Assert.True(double.IsNaN(clean.Recall));
        Assert.Equal(0, clean.Precision);
        Assert.Equal(0, quiet.F1);
    }

    [Fact]
    public void Evaluate_ConstructedSeries_GivesTheCountsItWasBuiltFor()
    {
        var (values, labels) = ConstructedSeries();

        var up = EventWindowScoring.Evaluate(new SeasonalBaselineDetector(), values, labels, tolerance: 2, AnomalyDirection.Up);
        var both = EventWindowScoring.Evaluate(new SeasonalBaselineDetector(), values, labels, tolerance: 2, AnomalyDirection.Both);

        // Up: 4 labeled spikes found, 1 labeled point with a normal value missed, 1 unlabeled spike a false alarm.
        Assert.Equal((5, 4, 5, 1), (up.Events, up.Detected, up.Alarms, up.FalseAlarms));
        Assert.Equal(0.8, up.Precision, 12);
        Assert.Equal(0.8, up.Recall, 12);
        Assert.Equal(0.8, up.F1, 12);

        // Both: the unlabeled dip to 0 is a second false alarm.
        Assert.Equal((5, 4, 6, 2), (both.Events, both.Detected, both.Alarms, both.FalseAlarms));
        Assert.Equal(4.0 / 6, both.Precision, 12);
        Assert.Equal(values.Length - 28, both.Scored);
    }

    /// <summary>
    /// A noise-free weekly series (weekdays 40, weekends 6). Without noise the baseline's spread is its floor,
    /// 0.1 × expected, so the band is expected ± 50 %: a tripled weekday (120) is far above it, a weekday at 0 far
    /// below, and an unchanged day inside. Everything planted lies after the 4 weeks of history the baseline needs.
    /// </summary>
    public static (double[] Values, bool[] Labels) ConstructedSeries()
    {
        var values = SyntheticSeries.Weekly(new DateOnly(2026, 1, 5), 140, seed: 1, noise: 0);
        var labels = new bool[values.Length];
        foreach (var spike in new[] { 30, 51, 72, 100 })
        {
            values[spike] *= 3;
            labels[spike] = true;
        }

        labels[86] = true;
        values[115] *= 3;
        values[122] = 0;
        return (values, labels);
    }
}
