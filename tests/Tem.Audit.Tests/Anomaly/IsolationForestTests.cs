using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

public sealed class IsolationForestTests
{
    private static double[] Cloud(int rows, int features, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, rows * features).Select(_ => rng.NextDouble() + rng.NextDouble() + rng.NextDouble())];
    }

    [Fact]
    public void AveragePathLength_SmallAndPaperValues()
    {
        Assert.Equal(0, IsolationForest.AveragePathLength(0));
        Assert.Equal(0, IsolationForest.AveragePathLength(1));
        Assert.Equal(1, IsolationForest.AveragePathLength(2));

        // c(256) = 2 (ln 255 + 0.5772156649) - 2 * 255 / 256 = 12.2370 - 1.9922
        Assert.Equal(10.2448, IsolationForest.AveragePathLength(256), 4);
    }

    [Fact]
    public void Score_IdenticalRows_IsExactlyOneHalf()
    {
        // No split can separate identical rows: every tree is one leaf of ψ rows, so E[h] = c(ψ) and s = 2^-1.
        var rows = Enumerable.Repeat(3.0, 500 * 2).ToArray();

        var forest = IsolationForest.Fit(rows, 2);

        Assert.Equal(0.5, forest.Score([3.0, 3.0]), 12);
        Assert.Equal(IsolationForest.AveragePathLength(256), forest.PathLength([3.0, 3.0]), 12);
    }

    [Fact]
    public void PathLength_FarOutlier_IsShorterThanEveryInliers()
    {
        var rows = Cloud(2000, 3, seed: 1);
        rows[0] = rows[1] = rows[2] = 40;
        var forest = IsolationForest.Fit(rows, 3);

        var outlier = forest.PathLength(rows.AsSpan(0, 3));
        var inliers = Enumerable.Range(1, 1999).Select(i => forest.PathLength(rows.AsSpan(i * 3, 3))).ToList();

        Assert.True(outlier < inliers.Min(), $"outlier path {outlier}, shortest inlier path {inliers.Min()}");
        Assert.True(forest.Score(rows.AsSpan(0, 3)) > 0.7);
        Assert.True(inliers.Average() > IsolationForest.AveragePathLength(256) * 0.8);
    }

    [Fact]
    public void PathLength_NeverExceedsTheDepthLimitPlusTheLeafAdjustment()
    {
        var rows = Cloud(3000, 4, seed: 2);
        var forest = IsolationForest.Fit(rows, 4, new IsolationForestOptions { Trees = 30, SampleSize = 64 });
        var bound = Math.Ceiling(Math.Log2(64)) + IsolationForest.AveragePathLength(64);

        for (var i = 0; i < 3000; i++)
        {
            Assert.InRange(forest.PathLength(rows.AsSpan(i * 4, 4)), 1, bound);
        }
    }

    [Fact]
    public void Fit_SameSeed_SameScores_OtherSeed_OtherForest()
    {
        var rows = Cloud(1000, 3, seed: 3);
        var a = IsolationForest.Fit(rows, 3, new IsolationForestOptions { Seed = 7 });
        var b = IsolationForest.Fit(rows, 3, new IsolationForestOptions { Seed = 7 });
        var c = IsolationForest.Fit(rows, 3, new IsolationForestOptions { Seed = 8 });

        var sa = Enumerable.Range(0, 1000).Select(i => a.Score(rows.AsSpan(i * 3, 3))).ToArray();
        var sb = Enumerable.Range(0, 1000).Select(i => b.Score(rows.AsSpan(i * 3, 3))).ToArray();
        var sc = Enumerable.Range(0, 1000).Select(i => c.Score(rows.AsSpan(i * 3, 3))).ToArray();

        Assert.Equal(sa, sb);
        Assert.NotEqual(sa, sc);
    }

    [Fact]
    public void TryScoreAtLeast_AgreesWithScoreOnEveryRow()
    {
        var rows = Cloud(3000, 3, seed: 5);
        for (var i = 0; i < 30; i++)
        {
            rows[i * 3] = 10 + i;
        }

        var forest = IsolationForest.Fit(rows, 3);

        foreach (var threshold in new[] { 0.5, 0.6, 0.7 })
        {
            for (var i = 0; i < 3000; i++)
            {
                var row = rows.AsSpan(i * 3, 3);
                var full = forest.Score(row);
                Assert.Equal(full >= threshold, forest.TryScoreAtLeast(row, threshold, out var score));
                Assert.Equal(full >= threshold ? full : 0, score, 12);
            }
        }
    }

    [Fact]
    public void Explain_OutlierInOneFeature_CreditsThatFeatureMost()
    {
        var rows = Cloud(2000, 4, seed: 4);
        double[] probe = [1.5, 1.5, 30, 1.5];
        var forest = IsolationForest.Fit(rows, 4);
        var shares = new double[4];

        forest.Explain(probe, shares);

        Assert.Equal(1, shares.Sum(), 9);
        Assert.Equal(2, Array.IndexOf(shares, shares.Max()));
        Assert.True(shares[2] > 0.5, $"share of the outlying feature {shares[2]}");
    }

    [Fact]
    public void Fit_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([], 2));
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([1, 2], 2));
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([1, double.NaN], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => IsolationForest.Fit([1, 2, 3, 4], 2, new IsolationForestOptions { Trees = 0 }));
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([1, 2, 3, 4], 2).Score([1.0]));
    }
}
