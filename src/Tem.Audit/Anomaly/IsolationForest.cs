namespace Tem.Audit.Anomaly;

/// <summary>Settings of <see cref="IsolationForest"/>.</summary>
public sealed record IsolationForestOptions
{
    /// <summary>Trees in the forest (Liu, Ting and Zhou recommend 100).</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Rows drawn without replacement to grow each tree (ψ; 256 in the paper). Fewer rows in the data use them all.</summary>
    public int SampleSize { get; init; } = 256;

    /// <summary>Seed of the random draws: the same seed and rows give the same forest, on every machine and run.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values the forest cannot use.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Trees, 1, nameof(Trees));
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleSize, 2, nameof(SampleSize));
    }
}

/// <summary>
/// Isolation forest (Liu, Ting and Zhou, ICDM 2008). Each tree is grown on ψ rows drawn without replacement: a node
/// picks one of the features that still vary among its rows at random, and a split value uniformly between their
/// minimum and maximum (rows below go left), until a node holds one row or reaches depth ⌈log₂ ψ⌉. The path length of
/// a row in a tree is the depth of its leaf plus c(size of the leaf) for the rows the leaf did not separate, where
/// c(n) = 2H(n−1) − 2(n−1)/n is the average path length of an unsuccessful search in a binary search tree. The score
/// is 2^(−E[h]/c(ψ)): near 1 for rows isolated quickly (anomalies), about 0.5 or less for ordinary ones. Randomness
/// comes from a SplitMix64 generator seeded by <see cref="IsolationForestOptions.Seed"/>, so a forest is
/// reproducible; an instance is immutable after <see cref="Fit"/> and safe to score from several threads.
/// </summary>
public sealed class IsolationForest
{
    private const double EulerGamma = 0.5772156649015329;

    private readonly int[] _roots;
    private readonly Node[] _nodes;
    private readonly int[] _sizes;
    private readonly double _normaliser;

    private IsolationForest(int features, int sampleSize, int[] roots, List<GrownNode> nodes)
    {
        Features = features;
        SampleSize = sampleSize;
        _roots = roots;
        // Scoring reads one 16-byte node per level: the left child follows its parent (pre-order), and a leaf carries
        // its c(size) precomputed rather than a logarithm per tree per row.
        _nodes = [.. nodes.Select(n => n.Feature < 0 ? new Node(AveragePathLength(n.Size), -1, n.Size) : new Node(n.Split, n.Feature, n.Right))];
        _sizes = [.. nodes.Select(n => n.Size)];
        _normaliser = AveragePathLength(sampleSize);
    }

    /// <summary>Features per row.</summary>
    public int Features { get; }

    /// <summary>Rows each tree was grown on (ψ, or fewer when the data had fewer rows).</summary>
    public int SampleSize { get; }

    /// <summary>Trees in the forest.</summary>
    public int Trees => _roots.Length;

    /// <summary>c(n): the average path length of an unsuccessful search in a binary search tree of n keys; 0 for n ≤ 1, 1 for n = 2.</summary>
    public static double AveragePathLength(int n) => n switch
    {
        <= 1 => 0,
        2 => 1,
        _ => (2 * (Math.Log(n - 1) + EulerGamma)) - (2.0 * (n - 1) / n),
    };

    /// <summary>Grows a forest on <paramref name="rows"/>, row-major (<paramref name="features"/> values per row).</summary>
    /// <exception cref="ArgumentException">Fewer than 2 rows, a length that is not a multiple of features, or a value that is not finite.</exception>
    public static IsolationForest Fit(ReadOnlySpan<double> rows, int features, IsolationForestOptions? options = null)
    {
        options ??= new IsolationForestOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (rows.IsEmpty || rows.Length % features != 0)
        {
            throw new ArgumentException($"rows holds {rows.Length} values: expected a positive multiple of {features} (features per row).", nameof(rows));
        }

        foreach (var v in rows)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("rows contains a value that is not finite; encode a missing feature as a number.", nameof(rows));
            }
        }

        var count = rows.Length / features;
        if (count < 2)
        {
            throw new ArgumentException("An isolation forest needs at least 2 rows: one row is isolated from nothing.", nameof(rows));
        }

        var psi = Math.Min(options.SampleSize, count);
        var maxDepth = (int)Math.Ceiling(Math.Log2(psi));
        var rng = new SplitMix64(options.Seed);
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var nodes = new List<GrownNode>();
        var roots = new int[options.Trees];
        var sample = new int[psi];
        var data = rows.ToArray();
        var builder = new TreeBuilder(data, features, nodes, rng, maxDepth);
        for (var t = 0; t < options.Trees; t++)
        {
            // A partial Fisher-Yates shuffle of a permutation (kept between trees) draws a uniform sample without replacement.
            for (var i = 0; i < psi; i++)
            {
                var j = i + (int)builder.Rng.NextBelow((ulong)(count - i));
                (order[i], order[j]) = (order[j], order[i]);
                sample[i] = order[i];
            }

            roots[t] = builder.Grow(sample.AsSpan(), 0);
        }

        return new IsolationForest(features, psi, roots, nodes);
    }

    /// <summary>The mean path length E[h] of a row over the trees.</summary>
    public double PathLength(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        var total = 0.0;
        foreach (var root in _roots)
        {
            total += TreePath(root, row);
        }

        return total / _roots.Length;
    }

    /// <summary>The anomaly score 2^(−E[h]/c(ψ)) of a row, in (0, 1].</summary>
    public double Score(ReadOnlySpan<double> row) => Math.Pow(2, -PathLength(row) / _normaliser);

    /// <summary>
    /// Whether a row scores at least <paramref name="threshold"/>, and its score when it does. The trees are walked in
    /// order and the walk stops once the row can no longer reach the threshold even if every remaining tree isolated
    /// it at the first split (a path of 1): the answer is exactly that of <see cref="Score"/>, about twice as fast for
    /// ordinary rows.
    /// </summary>
    public bool TryScoreAtLeast(ReadOnlySpan<double> row, double threshold, out double score)
    {
        CheckRow(row);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        var trees = _roots.Length;

        // score >= threshold  <=>  total path <= limit
        var limit = -Math.Log2(threshold) * _normaliser * trees;
        var total = 0.0;
        for (var t = 0; t < trees; t++)
        {
            total += TreePath(_roots[t], row);
            if (total + (trees - t - 1) > limit)
            {
                score = 0;
                return false;
            }
        }

        score = Math.Pow(2, -total / trees / _normaliser);
        return score >= threshold;
    }

    /// <summary>
    /// Which features isolated a row: along its path in every tree, a split that sends it to a child holding a fraction p
    /// of the node's rows credits the split's feature with log₂(1/p) bits (a split that keeps it with the majority earns
    /// almost nothing, one that cuts it off from most rows earns much); the credits over all trees are returned as
    /// shares summing to 1 (all zero when no tree split at all).
    /// </summary>
    public void Explain(ReadOnlySpan<double> row, Span<double> shares)
    {
        CheckRow(row);
        if (shares.Length != Features)
        {
            throw new ArgumentException($"shares must have {Features} elements.", nameof(shares));
        }

        shares.Clear();
        foreach (var root in _roots)
        {
            var i = root;
            while (_nodes[i].Feature >= 0)
            {
                var n = _nodes[i];
                var child = row[n.Feature] < n.Value ? i + 1 : n.Right;
                shares[n.Feature] += Math.Log2((double)_sizes[i] / _sizes[child]);
                i = child;
            }
        }

        var sum = 0.0;
        foreach (var s in shares)
        {
            sum += s;
        }

        if (sum > 0)
        {
            for (var f = 0; f < Features; f++)
            {
                shares[f] /= sum;
            }
        }
    }

    private double TreePath(int root, ReadOnlySpan<double> row)
    {
        var i = root;
        var depth = 0;
        while (true)
        {
            var n = _nodes[i];
            if (n.Feature < 0)
            {
                return depth + n.Value;
            }

            i = row[n.Feature] < n.Value ? i + 1 : n.Right;
            depth++;
        }
    }

    private void CheckRow(ReadOnlySpan<double> row)
    {
        if (row.Length != Features)
        {
            throw new ArgumentException($"A row has {Features} features; got {row.Length}.", nameof(row));
        }
    }

    /// <summary>A node while growing: feature (-1 for a leaf), split, children, rows.</summary>
    private readonly record struct GrownNode(int Feature, double Split, int Left, int Right, int Size);

    /// <summary>A node for scoring: a split (Value = split value, Right = right child) or a leaf (Feature -1, Value = c(size)).</summary>
    private readonly record struct Node(double Value, int Feature, int Right);

    private sealed class TreeBuilder(double[] data, int features, List<GrownNode> nodes, SplitMix64 rng, int maxDepth)
    {
        private readonly double[] _min = new double[features];
        private readonly double[] _max = new double[features];
        private readonly int[] _varying = new int[features];

        public SplitMix64 Rng { get; } = rng;

        public int Grow(Span<int> rows, int depth)
        {
            var index = nodes.Count;
            if (rows.Length <= 1 || depth >= maxDepth)
            {
                nodes.Add(new GrownNode(-1, 0, -1, -1, rows.Length));
                return index;
            }

            for (var f = 0; f < features; f++)
            {
                _min[f] = double.PositiveInfinity;
                _max[f] = double.NegativeInfinity;
            }

            foreach (var r in rows)
            {
                var offset = r * features;
                for (var f = 0; f < features; f++)
                {
                    var v = data[offset + f];
                    _min[f] = Math.Min(_min[f], v);
                    _max[f] = Math.Max(_max[f], v);
                }
            }

            var varying = 0;
            for (var f = 0; f < features; f++)
            {
                if (_max[f] > _min[f])
                {
                    _varying[varying++] = f;
                }
            }

            if (varying == 0)
            {
                // Identical rows cannot be separated: a leaf, whose size adds c(size) to their path.
                nodes.Add(new GrownNode(-1, 0, -1, -1, rows.Length));
                return index;
            }

            var feature = _varying[(int)Rng.NextBelow((ulong)varying)];
            var lo = _min[feature];
            var hi = _max[feature];
            var split = lo + (Rng.NextOpenUnit() * (hi - lo));
            if (split <= lo)
            {
                split = hi;
            }

            // Partition in place: rows below the split first.
            var left = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                if (data[(rows[i] * features) + feature] < split)
                {
                    (rows[left], rows[i]) = (rows[i], rows[left]);
                    left++;
                }
            }

            nodes.Add(default);
            var l = Grow(rows[..left], depth + 1);
            var r2 = Grow(rows[left..], depth + 1);
            nodes[index] = new GrownNode(feature, split, l, r2, rows.Length);
            return index;
        }
    }
}

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a small generator whose output depends only on the seed.</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [0, bound) by rejection (no modulo bias).</summary>
    public ulong NextBelow(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong x;
        do
        {
            x = Next();
        }
        while (x >= limit);

        return x % bound;
    }

    /// <summary>Uniform in the open interval (0, 1).</summary>
    public double NextOpenUnit() => ((Next() >> 11) + 0.5) / 9007199254740992.0;
}
