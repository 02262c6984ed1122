using System.Numerics;
using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

public sealed class SpectralResidualDetectorTests
{
    private static PointScore[] Detect(double[] values, SpectralResidualOptions? options = null)
    {
        var scores = new PointScore[values.Length];
        new SpectralResidualDetector(options).Detect(values, scores);
        return scores;
    }

    [Fact]
    public void Saliency_Impulse_IsTheSameImpulseTimesN()
    {
        // |FFT| of an impulse is 1 everywhere: log amplitude 0, residual 0, spectrum unchanged, so the unnormalised
        // inverse returns n times the impulse.
        var window = new double[32];
        window[10] = 1;
        var saliency = new double[32];

        new SpectralResidualDetector().Saliency(window, saliency);

        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(i == 10 ? 32 : 0, saliency[i], 9);
        }
    }

    [Theory]
    [InlineData(32, 0)]
    [InlineData(24, 0)]
    [InlineData(28, 4)]
    [InlineData(27, 5)]
    public void Saliency_RandomWindow_MatchesANaiveDftReference(int window, int extend)
    {
        var rng = new Random(window * 31 + extend);
        var values = Enumerable.Range(0, window).Select(_ => rng.NextDouble() * 10).ToArray();
        var options = new SpectralResidualOptions { Window = window, ExtendBy = extend, Judgement = Math.Min(21, window) };
        var saliency = new double[window + extend];

        new SpectralResidualDetector(options).Saliency(values, saliency);

        var expected = NaiveSaliency(values, extend, options.Lookahead, options.Averaging);
        for (var i = 0; i < saliency.Length; i++)
        {
            Assert.Equal(expected[i], saliency[i], 8);
        }
    }

    [Fact]
    public void Detect_ImpulseAsTheLastPoint_ScoresJudgementWindowMinusOne()
    {
        // Centred on the median of the earlier points (0), the window is an impulse at its end: saliency n there and 0
        // elsewhere, so (S - mean) / mean = (n - n/21) / (n/21) = 20 with the default judgement window of 21.
        var values = new double[40];
        values[39] = 5;

        var scores = Detect(values);

        Assert.Equal(20, scores[39].Score, 9);
        Assert.Equal(PointVerdict.High, scores[39].Verdict);
        Assert.Equal(0, scores[39].Expected);
    }

    [Fact]
    public void Detect_ConstantSeries_ScoresZeroAndFlagsNothing()
    {
        var scores = Detect(Enumerable.Repeat(12.5, 80).ToArray());

        Assert.All(scores[31..], s => Assert.Equal(0, s.Score));
        Assert.DoesNotContain(scores, s => s.IsAnomaly);
    }

    [Fact]
    public void Detect_SpikeOnAHighSteadyLevel_IsFlagged()
    {
        var rng = new Random(4);
        var values = Enumerable.Range(0, 100).Select(_ => 1000 + (rng.NextDouble() * 10)).ToArray();
        values[70] += 100;

        var scores = Detect(values);

        Assert.Equal(PointVerdict.High, scores[70].Verdict);
    }

    [Fact]
    public void Detect_PlantedSpikesInAWeeklySeries_FlagsEachSpike()
    {
        var values = SyntheticSeries.Weekly(new DateOnly(2026, 1, 5), 200, seed: 8);
        int[] spikes = [60, 95, 130, 170];
        foreach (var s in spikes)
        {
            values[s] *= 4;
        }

        var scores = Detect(values);

        Assert.All(spikes, s => Assert.Equal(PointVerdict.High, scores[s].Verdict));
    }

    [Fact]
    public void Detect_ShortHistory_GivesNoVerdictBeforeAFullWindow()
    {
        var values = new double[40];
        values[30] = 1000;

        var scores = Detect(values);

        Assert.All(scores[..31], s => Assert.Equal(PointVerdict.NotScored, s.Verdict));
        Assert.NotEqual(PointVerdict.NotScored, scores[31].Verdict);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(12)]
    public void Fft_Forward_MatchesNaiveDftAndInverseGivesNTimesTheInput(int n)
    {
        var rng = new Random(n);
        var re = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var input = re.Zip(im, (a, b) => new Complex(a, b)).ToArray();
        var fft = new Fft(n);

        fft.Forward(re, im);

        var dft = Dft(input, -1);
        for (var k = 0; k < n; k++)
        {
            Assert.Equal(dft[k].Real, re[k], 10);
            Assert.Equal(dft[k].Imaginary, im[k], 10);
        }

        fft.Inverse(re, im);
        for (var k = 0; k < n; k++)
        {
            Assert.Equal(n * input[k].Real, re[k], 10);
            Assert.Equal(n * input[k].Imaginary, im[k], 10);
        }
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralResidualDetector(new SpectralResidualOptions { Averaging = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralResidualDetector(new SpectralResidualOptions { Judgement = 40 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralResidualDetector(new SpectralResidualOptions { Window = 6, Lookahead = 5 }));
    }

    private static Complex[] Dft(Complex[] x, int sign)
    {
        var n = x.Length;
        var result = new Complex[n];
        for (var k = 0; k < n; k++)
        {
            var sum = Complex.Zero;
            for (var j = 0; j < n; j++)
            {
                sum += x[j] * Complex.FromPolarCoordinates(1, sign * 2 * Math.PI * j * k / n);
            }

            result[k] = sum;
        }

        return result;
    }

    /// <summary>The transform written out with an O(n²) DFT, straight from the paper's formulas.</summary>
    private static double[] NaiveSaliency(double[] window, int extend, int lookahead, int q)
    {
        var w = window.Length;
        var x = new List<double>(window);
        if (extend > 0)
        {
            var k = w - 2;
            var slopes = Enumerable.Range(1, lookahead).Sum(i => (window[k] - window[k - i]) / i);
            x.AddRange(Enumerable.Repeat(window[k - lookahead + 1] + slopes, extend));
        }

        var spectrum = Dft([.. x.Select(v => new Complex(v, 0))], -1);
        var n = spectrum.Length;
        var logAmp = spectrum.Select(c => c.Magnitude > 1e-9 ? Math.Log(c.Magnitude) : 0).ToArray();
        var residual = new Complex[n];
        for (var f = 0; f < n; f++)
        {
            var mean = Enumerable.Range(-(q / 2), q).Average(j => logAmp[((f + j) % n + n) % n]);
            residual[f] = spectrum[f].Magnitude > 1e-9 ? spectrum[f] / spectrum[f].Magnitude * Math.Exp(logAmp[f] - mean) : Complex.Zero;
        }

        return [.. Dft(residual, 1).Select(c => c.Magnitude)];
    }
}
