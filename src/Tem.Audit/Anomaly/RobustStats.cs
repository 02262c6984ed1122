namespace Tem.Audit.Anomaly;

/// <summary>Medians, MADs and checks shared by the detectors. Selection works in place on scratch spans.</summary>
internal static class RobustStats
{
    /// <summary>1 / Φ⁻¹(3/4): makes the MAD of normal data estimate its standard deviation.</summary>
    public const double MadToSigma = 1.482602218505602;

    /// <summary>√(π/2): makes the mean absolute deviation of normal data estimate its standard deviation.</summary>
    public const double MeanAbsToSigma = 1.2533141373155001;

    /// <summary>Scales below this are treated as zero (a constant series).</summary>
    public const double Epsilon = 1e-9;

    /// <summary>The median of <paramref name="values"/>, reordering them. Empty gives NaN.</summary>
    public static double Median(Span<double> values)
    {
        var n = values.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var half = n / 2;
        var upper = Select(values, half);
        if ((n & 1) == 1)
        {
            return upper;
        }

        // After selecting index half, everything before it is <= values[half]: the lower middle is their maximum.
        var lower = values[0];
        for (var i = 1; i < half; i++)
        {
            lower = Math.Max(lower, values[i]);
        }

        return (lower + upper) / 2;
    }

    /// <summary>
    /// A robust standard deviation of <paramref name="deviations"/> (already centred): 1.4826 × their median absolute
    /// value, or when that is zero (more than half of them are zero, as in a sparse series) 1.2533 × their mean absolute
    /// value. Reorders the span and overwrites it with absolute values.
    /// </summary>
    public static double Sigma(Span<double> deviations)
    {
        if (deviations.IsEmpty)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < deviations.Length; i++)
        {
            deviations[i] = Math.Abs(deviations[i]);
            sum += deviations[i];
        }

        var mad = MadToSigma * Median(deviations);
        return mad > Epsilon ? mad : MeanAbsToSigma * sum / deviations.Length;
    }

    /// <summary>Quickselect: puts the k-th smallest value at index k, smaller-or-equal ones before it, larger-or-equal after.</summary>
    public static double Select(Span<double> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            // Median of three as pivot: sorted input (common in series) stays linear.
            var mid = lo + ((hi - lo) / 2);
            if (a[mid] < a[lo])
            {
                (a[mid], a[lo]) = (a[lo], a[mid]);
            }

            if (a[hi] < a[lo])
            {
                (a[hi], a[lo]) = (a[lo], a[hi]);
            }

            if (a[hi] < a[mid])
            {
                (a[hi], a[mid]) = (a[mid], a[hi]);
            }

            var pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }

    /// <summary>Throws when the spans differ in length or a value is not finite.</summary>
    public static void CheckInput(ReadOnlySpan<double> values, int scoresLength)
    {
        if (values.Length != scoresLength)
        {
            throw new ArgumentException($"scores has {scoresLength} elements for {values.Length} values; they must match.", nameof(scoresLength));
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"values[{i}] is {values[i]}; a series holds finite numbers (write 0 for a day without usage).", nameof(values));
            }
        }
    }

    /// <summary>The verdict for a statistic against a symmetric threshold.</summary>
    public static PointVerdict Judge(double statistic, double threshold) =>
        statistic > threshold ? PointVerdict.High : statistic < -threshold ? PointVerdict.Low : PointVerdict.Normal;
}
