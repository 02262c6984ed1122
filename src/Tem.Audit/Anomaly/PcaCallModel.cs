using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Tem.Audit.Anomaly;

/// <summary>Settings of <see cref="PcaCallModel"/> (ML.NET's <c>RandomizedPca</c> anomaly detector).</summary>
public sealed record PcaCallOptions
{
    /// <summary>Principal components kept (ML.NET's <c>rank</c>); at most the number of features.</summary>
    public int Rank { get; init; } = 2;

    /// <summary>Extra random projections of the randomized SVD (ML.NET's <c>oversampling</c>).</summary>
    public int Oversampling { get; init; } = 20;

    /// <summary>
    /// Subtract the training mean before the projection (ML.NET's <c>ensureZeroMean</c>). ML.NET scores the residual
    /// relative to the call's own norm, so with the mean removed an ordinary call near the mean has a tiny norm and a
    /// noisy relative residual; kept off, the norm is dominated by the typical call and the score is the share of a call
    /// that the typical directions do not explain.
    /// </summary>
    public bool EnsureZeroMean { get; init; }

    /// <summary>Divide each feature by its root mean square over the training calls (no shift), so that hours and counts weigh alike.</summary>
    public bool Scale { get; init; } = true;

    /// <summary>Seed of ML.NET's context and of the random projections: same seed and calls, same model.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>ML.NET's own defaults (rank 20 capped at the number of features, oversampling 20, zero mean, no scaling): the untuned baseline.</summary>
    public static PcaCallOptions MlNetDefaults { get; } = new() { Rank = 20, Oversampling = 20, EnsureZeroMean = true, Scale = false };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values the trainer cannot use.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Rank, 1, nameof(Rank));
        ArgumentOutOfRangeException.ThrowIfLessThan(Oversampling, 0, nameof(Oversampling));
    }

    /// <summary>One line for a finding: the model and its settings.</summary>
    public string Describe(int features) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"ML.NET RandomizedPca (rank {Math.Min(Rank, features)}, oversampling {Oversampling}, ensureZeroMean {(EnsureZeroMean ? "true" : "false")}, {(Scale ? "features scaled by their root mean square" : "unscaled features")}, seed {Seed})");
}

/// <summary>
/// ML.NET's <c>RandomizedPca</c> over the per-call features: trained by ML.NET (seeded <see cref="MLContext"/>), its
/// scores are ML.NET's (<see cref="Score"/>): the norm of the part of the (scaled) call that the kept components do not
/// reconstruct, relative to the call's norm (0 = fully explained, 1 = orthogonal to every typical direction). Its
/// eigenvectors and mean are read out of the model so that <see cref="Explain"/> can split that residual by feature.
/// </summary>
public sealed class PcaCallModel
{
    private readonly double[] _scale;
    private readonly double[] _mean;
    private readonly double[][] _components;

    private PcaCallModel(PcaCallOptions options, double[] scale, double[] mean, double[][] components, ITransformer model)
    {
        Options = options;
        _scale = scale;
        _mean = mean;
        _components = components;
        MlModel = model;
    }

    /// <summary>The settings it was trained with.</summary>
    public PcaCallOptions Options { get; }

    /// <summary>Features per call.</summary>
    public int Features => _scale.Length;

    /// <summary>Components kept.</summary>
    public int Rank => _components.Length;

    /// <summary>The trained ML.NET transformer (its input column <c>Features</c> holds the scaled calls).</summary>
    public ITransformer MlModel { get; }

    /// <summary>Trains on <paramref name="rows"/>, row-major (<paramref name="features"/> values per row).</summary>
    /// <exception cref="ArgumentException">Fewer than 2 rows, or a length that is not a multiple of features.</exception>
    public static PcaCallModel Fit(ReadOnlySpan<double> rows, int features, PcaCallOptions? options = null)
    {
        options ??= new PcaCallOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (rows.Length < 2 * features || rows.Length % features != 0)
        {
            throw new ArgumentException($"rows holds {rows.Length} values: expected at least 2 rows of {features} features.", nameof(rows));
        }

        var n = rows.Length / features;
        var scale = new double[features];
        for (var f = 0; f < features; f++)
        {
            if (!options.Scale)
            {
                scale[f] = 1;
                continue;
            }

            var sum = 0.0;
            for (var k = 0; k < n; k++)
            {
                sum += rows[(k * features) + f] * rows[(k * features) + f];
            }

            // A feature that is 0 on every training call stays as it is (dividing by 0 would make it NaN).
            var rms = Math.Sqrt(sum / n);
            scale[f] = rms > 0 ? rms : 1;
        }

        var input = new CallVector[n];
        for (var k = 0; k < n; k++)
        {
            input[k] = new CallVector { Features = Scaled(rows.Slice(k * features, features), scale) };
        }

        var ml = new MLContext(seed: options.Seed);
        var data = ml.Data.LoadFromEnumerable(input, Schema(features));
        var trainer = ml.AnomalyDetection.Trainers.RandomizedPca(new RandomizedPcaTrainer.Options
        {
            FeatureColumnName = nameof(CallVector.Features),
            Rank = Math.Min(options.Rank, features),
            Oversampling = options.Oversampling,
            EnsureZeroMean = options.EnsureZeroMean,
            Seed = options.Seed,
        });
        var model = trainer.Fit(data);
        var parameters = model.Model;
        VBuffer<float>[] vectors = [];
        parameters.GetEigenVectors(ref vectors, out var rank);
        var components = new double[rank][];
        for (var i = 0; i < rank; i++)
        {
            components[i] = [.. vectors[i].DenseValues().Select(v => (double)v)];
        }

        var mean = new double[features];
        if (options.EnsureZeroMean)
        {
            var m = default(VBuffer<float>);
            parameters.GetMean(ref m);
            var values = m.DenseValues().ToArray();
            for (var f = 0; f < Math.Min(features, values.Length); f++)
            {
                mean[f] = values[f];
            }
        }

        return new PcaCallModel(options, scale, mean, components, model);
    }


    /// <summary>
    /// Each feature's share of the call's squared residual (sums to 1; all 0 for a call the components explain
    /// fully): which features the typical directions fail to reconstruct, i.e. what drove the score.
    /// </summary>
    public void Explain(ReadOnlySpan<double> row, Span<double> shares)
    {
        if (shares.Length != Features)
        {
            throw new ArgumentException($"shares holds {shares.Length} values, expected {Features}.", nameof(shares));
        }

        Residual(row, shares);
        var total = 0.0;
        foreach (var r in shares)
        {
            total += r * r;
        }

        for (var f = 0; f < shares.Length; f++)
        {
            shares[f] = total > 0 ? shares[f] * shares[f] / total : 0;
        }
    }

    /// <summary>
    /// ML.NET's scores of <paramref name="rows"/> (row-major, raw features as given to <see cref="Fit"/>) through the
    /// trained transformer: the relative reconstruction error, 0..1, one per row.
    /// </summary>
    public float[] Score(ReadOnlySpan<double> rows)
    {
        if (rows.Length % Features != 0)
        {
            throw new ArgumentException($"rows holds {rows.Length} values: expected a multiple of {Features}.", nameof(rows));
        }

        var n = rows.Length / Features;
        var input = new CallVector[n];
        for (var k = 0; k < n; k++)
        {
            input[k] = new CallVector { Features = Scaled(rows.Slice(k * Features, Features), _scale) };
        }

        var ml = new MLContext(seed: Options.Seed);
        var scored = MlModel.Transform(ml.Data.LoadFromEnumerable(input, Schema(Features)));
        return [.. scored.GetColumn<float>("Score")];
    }

    /// <summary>Fills <paramref name="residual"/> with the scaled call (less the mean, when removed) minus its reconstruction.</summary>
    private void Residual(ReadOnlySpan<double> row, Span<double> residual)
    {
        for (var f = 0; f < Features; f++)
        {
            residual[f] = (row[f] / _scale[f]) - _mean[f];
        }

        foreach (var u in _components)
        {
            var projection = 0.0;
            for (var f = 0; f < Features; f++)
            {
                projection += u[f] * residual[f];
            }

            for (var f = 0; f < Features; f++)
            {
                residual[f] -= projection * u[f];
            }
        }
    }

    private static float[] Scaled(ReadOnlySpan<double> row, double[] scale)
    {
        var v = new float[row.Length];
        for (var f = 0; f < row.Length; f++)
        {
            v[f] = (float)(row[f] / scale[f]);
        }

        return v;
    }

    private static SchemaDefinition Schema(int features)
    {
        var schema = SchemaDefinition.Create(typeof(CallVector));
        schema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }

    /// <summary>One call as ML.NET reads it.</summary>
    private sealed class CallVector
    {
        public float[] Features { get; set; } = [];
    }
}
