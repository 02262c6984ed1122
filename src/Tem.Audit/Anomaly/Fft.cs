using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Tem.Audit.Anomaly;

/// <summary>
/// Discrete Fourier transform of one fixed length, unnormalised in both directions
/// (forward X_k = Σ x_j e^(−2πijk/n), inverse x_j = Σ X_k e^(+2πijk/n), so inverse(forward(x)) = n·x). Powers of two
/// use an in-place iterative radix-2 transform with precomputed twiddles and bit-reversal (the spectral residual
/// detector runs one pair per point, so this is its hot path); other lengths go through MathNet.Numerics. An instance
/// holds only read-only tables and may be shared between threads.
/// </summary>
internal sealed class Fft
{
    private readonly int _n;
    private readonly double[] _cos = [];
    private readonly double[] _sin = [];
    private readonly int[] _reverse = [];
    private readonly bool _radix2;

    public Fft(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _n = length;
        _radix2 = BitOperations.IsPow2(length);
        if (!_radix2)
        {
            return;
        }

        _cos = new double[length / 2];
        _sin = new double[length / 2];
        for (var k = 0; k < length / 2; k++)
        {
            var angle = -2 * Math.PI * k / length;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }

        _reverse = new int[length];
        var bits = BitOperations.Log2((uint)length);
        for (var i = 0; i < length; i++)
        {
            _reverse[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
        }
    }

    public int Length => _n;

    public void Forward(Span<double> re, Span<double> im) => Transform(re, im, inverse: false);

    public void Inverse(Span<double> re, Span<double> im) => Transform(re, im, inverse: true);

    private void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        if (re.Length != _n || im.Length != _n)
        {
            throw new ArgumentException($"The transform has length {_n}; got {re.Length} and {im.Length}.", nameof(re));
        }

        if (!_radix2)
        {
            var samples = new Complex[_n];
            for (var i = 0; i < _n; i++)
            {
                samples[i] = new Complex(re[i], im[i]);
            }

            if (inverse)
            {
                Fourier.Inverse(samples, FourierOptions.NoScaling);
            }
            else
            {
                Fourier.Forward(samples, FourierOptions.NoScaling);
            }

            for (var i = 0; i < _n; i++)
            {
                re[i] = samples[i].Real;
                im[i] = samples[i].Imaginary;
            }

            return;
        }

        for (var i = 0; i < _n; i++)
        {
            var j = _reverse[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        var sign = inverse ? -1.0 : 1.0;
        unchecked
        {
            for (var size = 2; size <= _n; size <<= 1)
            {
                var half = size >> 1;
                var step = _n / size;
                for (var start = 0; start < _n; start += size)
                {
                    for (var k = 0; k < half; k++)
                    {
                        var wr = _cos[k * step];
                        var wi = sign * _sin[k * step];
                        var a = start + k;
                        var b = a + half;
                        var tr = (wr * re[b]) - (wi * im[b]);
                        var ti = (wr * im[b]) + (wi * re[b]);
                        re[b] = re[a] - tr;
                        im[b] = im[a] - ti;
                        re[a] += tr;
                        im[a] += ti;
                    }
                }
            }
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
