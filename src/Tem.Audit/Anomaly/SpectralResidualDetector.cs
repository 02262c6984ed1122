using System.Buffers;

namespace Tem.Audit.Anomaly;

/// <summary>Settings of <see cref="SpectralResidualDetector"/> (names after ML.NET's SrCnn detector where they match).</summary>
public sealed record SpectralResidualOptions
{
    /// <summary>Observed points in the window ending at the scored point (ML.NET <c>windowSize</c>); also the history needed.</summary>
    public int Window { get; init; } = 32;

    /// <summary>
    /// Extrapolated points appended after the window (ML.NET <c>backAddWindowSize</c>, 5 there). Window + this is the FFT
    /// length; a power of two is fastest. 0 by default: with the window centred on its median, the extension found no
    /// more spikes in our tests and added false alarms on the days after each spike.
    /// </summary>
    public int ExtendBy { get; init; }

    /// <summary>Points whose gradients to the last point estimate the extrapolated value (ML.NET <c>lookaheadWindowSize</c>).</summary>
    public int Lookahead { get; init; } = 5;

    /// <summary>Width in frequency bins of the moving average over the log amplitude spectrum (ML.NET <c>averagingWindowSize</c>); odd.</summary>
    public int Averaging { get; init; } = 3;

    /// <summary>Saliency values averaged to judge the last one (ML.NET <c>judgementWindowSize</c>), the scored point's own included.</summary>
    public int Judgement { get; init; } = 21;

    /// <summary>
    /// A point is anomalous when its saliency exceeds the average saliency by this factor of it:
    /// (S − mean) / mean &gt; threshold. 3 is the paper's τ and ML.NET's default 0.3 on its score divided by 10.
    /// </summary>
    public double Threshold { get; init; } = 3.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values the detector cannot use.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 4, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfNegative(ExtendBy, nameof(ExtendBy));
        ArgumentOutOfRangeException.ThrowIfLessThan(Lookahead, 1, nameof(Lookahead));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(Lookahead, Window - 1, nameof(Lookahead));
        ArgumentOutOfRangeException.ThrowIfLessThan(Averaging, 1, nameof(Averaging));
        if (Averaging % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Averaging), Averaging, "The averaging width must be odd (a centred window).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Judgement, 1, nameof(Judgement));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Judgement, Window, nameof(Judgement));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threshold, nameof(Threshold));
    }
}

/// <summary>
/// Spectral residual (Ren et al., "Time-Series Anomaly Detection Service at Microsoft", KDD 2019; the transform behind
/// ML.NET's SrCnn detector), run causally: point t is judged on the <see cref="SpectralResidualOptions.Window"/> points
/// ending at t, so nothing after t is used.
/// <list type="number">
/// <item>Optionally (<see cref="SpectralResidualOptions.ExtendBy"/> &gt; 0, ML.NET's default) extend the window by <see cref="SpectralResidualOptions.ExtendBy"/> copies of an extrapolated value, so that t
/// is not the last point of the transform: the paper's x̂ = x[k−m+1] + m·ḡ (ḡ the mean slope from x[k−i] to x[k],
/// i = 1..m, m = lookahead) taken at k = t − 1, as Microsoft's reference implementation does, so that an anomaly at t
/// does not carry the extension with it.</item>
/// <item>Subtract the median of the window's points before t (also the reported expected value): without it the level,
/// the zero-frequency term, dominates the log spectrum and a spike on a high steady level has no saliency.</item>
/// <item>FFT; amplitude A, log amplitude L = ln A (0 where A = 0).</item>
/// <item>Spectral residual R = L − mean of L over a centred circular window of q bins; keep the phase, set the amplitude to
/// e^R and transform back: the saliency map S = |IFFT|. (ML.NET averages over a trailing window; a centred one keeps the
/// spectrum conjugate-symmetric, so the map is the magnitude of a real signal.)</item>
/// <item>Score = (S[t] − s̄) / s̄ with s̄ the mean saliency of the last z points of the window (t's included);
/// anomalous above the threshold. The side (high or low) is x[t] against that median; the detector has no band.</item>
/// </list>
/// Points before the first full window are not scored.
/// </summary>
public sealed class SpectralResidualDetector : ISeriesDetector
{
    private readonly Fft _fft;

    /// <summary>Creates the detector.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SpectralResidualDetector(SpectralResidualOptions? options = null)
    {
        Options = options ?? new SpectralResidualOptions();
        Options.Validate();
        _fft = new Fft(Options.Window + Options.ExtendBy);
    }

    /// <summary>The detector's name in findings and evaluations.</summary>
    public const string DetectorName = "spectral_residual";

    /// <summary>Its settings.</summary>
    public SpectralResidualOptions Options { get; }

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public void Detect(ReadOnlySpan<double> values, Span<PointScore> scores)
    {
        RobustStats.CheckInput(values, scores.Length);
        var w = Options.Window;
        var n = w + Options.ExtendBy;
        var fft = _fft;
        var pool = ArrayPool<double>.Shared;
        var re = pool.Rent(n);
        var im = pool.Rent(n);
        var logAmp = pool.Rent(n);
        var saliency = pool.Rent(n);
        var others = pool.Rent(w);
        var centred = pool.Rent(w);
        try
        {
            for (var t = 0; t < values.Length; t++)
            {
                if (t + 1 < w)
                {
                    scores[t] = PointScore.NotScored;
                    continue;
                }

                var window = values.Slice(t + 1 - w, w);
                window[..^1].CopyTo(others);
                var expected = RobustStats.Median(others.AsSpan(0, w - 1));

                // Centred on the median of the points before t: otherwise the level (the zero-frequency term) dominates the
                // log spectrum and a spike on a high, steady level shows no saliency at all.
                for (var i = 0; i < w; i++)
                {
                    centred[i] = window[i] - expected;
                }

                var ratio = Score(fft, centred.AsSpan(0, w), re.AsSpan(0, n), im.AsSpan(0, n), logAmp.AsSpan(0, n), saliency.AsSpan(0, n));
                var verdict = ratio > Options.Threshold
                    ? (values[t] >= expected ? PointVerdict.High : PointVerdict.Low)
                    : PointVerdict.Normal;
                scores[t] = new PointScore(verdict, expected, double.NaN, double.NaN, ratio);
            }
        }
        finally
        {
            pool.Return(re);
            pool.Return(im);
            pool.Return(logAmp);
            pool.Return(saliency);
            pool.Return(others);
            pool.Return(centred);
        }
    }

    /// <summary>
    /// The saliency map of <paramref name="window"/> taken as it is (no centring), extended and transformed as the
    /// detector does, written to <paramref name="saliency"/> (length window + ExtendBy). Exposed for tests.
    /// </summary>
    internal void Saliency(ReadOnlySpan<double> window, Span<double> saliency)
    {
        if (window.Length != Options.Window)
        {
            throw new ArgumentException($"The window has {Options.Window} points; got {window.Length}.", nameof(window));
        }

        var n = window.Length + Options.ExtendBy;
        var re = new double[n];
        var im = new double[n];
        var logAmp = new double[n];
        Transform(_fft, window, re, im, logAmp, saliency);
    }

    private static double Log0(double logAmplitude) => double.IsNaN(logAmplitude) ? 0 : logAmplitude;

    private double Score(Fft fft, ReadOnlySpan<double> window, Span<double> re, Span<double> im, Span<double> logAmp, Span<double> saliency)
    {
        Transform(fft, window, re, im, logAmp, saliency);
        var last = window.Length - 1;
        var mean = 0.0;
        for (var i = last - Options.Judgement + 1; i <= last; i++)
        {
            mean += saliency[i];
        }

        mean /= Options.Judgement;
        return mean < RobustStats.Epsilon ? 0 : (saliency[last] - mean) / mean;
    }

    private void Transform(Fft fft, ReadOnlySpan<double> window, Span<double> re, Span<double> im, Span<double> logAmp, Span<double> saliency)
    {
        var w = window.Length;
        var n = re.Length;
        window.CopyTo(re);
        // The continuation is estimated from the points before the judged one, so that a spike there does not drag
        // the extension up with it and hide itself: x[t-1-m] + sum over i of the slope from x[t-1-i] to x[t-1].
        var m = Options.Lookahead;
        var last = window[w - 2];
        var slope = 0.0;
        for (var i = 1; i <= m; i++)
        {
            slope += (last - window[w - 2 - i]) / i;
        }

        var extrapolated = window[w - 1 - m] + slope;
        for (var i = w; i < n; i++)
        {
            re[i] = extrapolated;
        }

        im.Clear();
        fft.Forward(re, im);

        // A real input has a conjugate-symmetric spectrum: amplitudes (and their logarithms) only for k <= n/2, mirrored.
        var half = n / 2;
        unchecked
        {
            for (var k = 0; k <= half; k++)
            {
                var amplitude = Math.Sqrt((re[k] * re[k]) + (im[k] * im[k]));
                logAmp[k] = amplitude > RobustStats.Epsilon ? Math.Log(amplitude) : double.NaN;
            }

            for (var k = half + 1; k < n; k++)
            {
                logAmp[k] = logAmp[n - k];
            }

            // e^(L − mean L) / A = e^(−mean L): the factor that turns each bin into its spectral residual with the phase
            // kept. The centred mean is symmetric too, so it is computed for k <= n/2 and mirrored. A zero bin stays zero
            // and counts as log 0 = 0 in its neighbours' means, as in the reference implementation.
            var q = Options.Averaging;
            var reach = q / 2;
            var running = 0.0;
            for (var j = -reach; j <= reach; j++)
            {
                running += Log0(logAmp[((j % n) + n) % n]);
            }

            for (var k = 0; k <= half; k++)
            {
                saliency[k] = double.IsNaN(logAmp[k]) ? 0 : Math.Exp(-running / q);
                running += Log0(logAmp[(k + reach + 1) % n]) - Log0(logAmp[((k - reach) % n + n) % n]);
            }

            for (var k = 0; k < n; k++)
            {
                var scale = saliency[k <= half ? k : n - k];
                re[k] *= scale;
                im[k] *= scale;
            }
        }

        fft.Inverse(re, im);
        for (var i = 0; i < n; i++)
        {
            saliency[i] = Math.Sqrt((re[i] * re[i]) + (im[i] * im[i]));
        }
    }
}
