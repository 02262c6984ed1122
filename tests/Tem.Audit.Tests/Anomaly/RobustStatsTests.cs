using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

public sealed class RobustStatsTests
{
    [Fact]
    public void Median_RandomArrays_EqualsTheSortedMiddle()
    {
        var rng = new Random(12);
        for (var trial = 0; trial < 2000; trial++)
        {
            var n = 1 + rng.Next(40);
            // Few distinct values, so that ties (the hard case for selection) are common.
            var values = Enumerable.Range(0, n).Select(_ => (double)rng.Next(6)).ToArray();
            var sorted = values.Order().ToArray();
            var expected = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;

            Assert.Equal(expected, RobustStats.Median(values));
        }
    }

    [Fact]
    public void Sigma_MostlyZeroDeviations_FallsBackToTheMeanAbsoluteDeviation()
    {
        double[] deviations = [0, 0, 0, 0, 0, 0, 4, -4];

        // MAD is 0 (six of eight are 0); mean |d| = 1, times √(π/2).
        Assert.Equal(Math.Sqrt(Math.PI / 2), RobustStats.Sigma(deviations), 12);
        Assert.Equal(1.482602218505602 * 2, RobustStats.Sigma([-2, 2, -2, 2, 2]), 12);
    }
}
