using Tem.Audit.Anomaly;
using Xunit.Abstractions;

namespace Tem.Audit.Tests.Anomaly;

/// <summary>ML.NET's RandomizedPca over call-like features: the tuning (no zero mean, small rank, scaled) is guarded.</summary>
public sealed class PcaCallModelTests(ITestOutputHelper output)
{
    private const int Width = 7;
    private const int Ordinary = 2000;
    private const int Planted = 20;

    /// <summary>
    /// Ordinary rows lie near a plane (two latent factors) far from the origin, like call features (hours, log durations,
    /// counts are all positive); each planted row has the same factors but one feature pushed off the plane by a few
    /// of that feature's typical spread (never beyond the ordinary range of the feature on its own).
    /// </summary>
    private static (double[] Rows, bool[] Planted) World(int seed)
    {
        var rng = new Random(seed);
        var n = Ordinary + Planted;
        var rows = new double[n * Width];
        var planted = new bool[n];
        double[] offset = [3, 12, 3, 4, 1, 2, 0.5];
        double[] loadA = [1, 4, 0.5, 1.5, 0.8, 0.5, 0.1];
        double[] loadB = [0.5, -2, 1.5, 0.8, 0.6, 1.2, 0.2];
        for (var k = 0; k < n; k++)
        {
            var a = rng.NextDouble() * 2;
            var b = rng.NextDouble() * 2;
            for (var f = 0; f < Width; f++)
            {
                rows[(k * Width) + f] = offset[f] + (loadA[f] * a) + (loadB[f] * b) + (0.05 * (rng.NextDouble() - 0.5));
            }

            if (k >= Ordinary)
            {
                planted[k] = true;
                var f = k % Width;
                rows[(k * Width) + f] += (rng.Next(2) == 0 ? -1 : 1) * 2.5 * (Math.Abs(loadA[f]) + Math.Abs(loadB[f]));
            }
        }

        return (rows, planted);
    }

    private int Found(PcaCallOptions options, int seed = 1)
    {
        var (rows, planted) = World(seed);
        var scores = PcaCallModel.Fit(rows, Width, options).Score(rows);
        var top = Enumerable.Range(0, scores.Length).OrderByDescending(k => scores[k]).Take(Planted).Count(k => planted[k]);
        output.WriteLine($"{options}: {top} of {Planted}");
        return top;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Score_TunedOnPlantedOutliers_RanksAtLeast18Of20First(int seed)
    {
        Assert.InRange(Found(new PcaCallOptions(), seed), 18, Planted);
    }

    [Fact]
    public void Score_MlNetDefaults_FindFewerPlantedOutliersThanTuned()
    {
        var tuned = Found(new PcaCallOptions());
        var defaults = Found(PcaCallOptions.MlNetDefaults);
        var zeroMean = Found(new PcaCallOptions { EnsureZeroMean = true });

        Assert.True(defaults < tuned, $"defaults {defaults}, tuned {tuned}");
        Assert.True(zeroMean < tuned, $"with ensureZeroMean {zeroMean}, tuned {tuned}");
    }
}
