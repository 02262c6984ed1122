using DuckDB.NET.Data;
using Tem.Core;
using Tem.DuckDb;

namespace Tem.Audit.Anomaly;

/// <summary>
/// <c>usage_anomaly</c>: an isolation forest over every call of an account with a rate deck; one finding per service
/// and month whose outlying calls are billed at least <c>min_billed</c>, listing them (<see cref="AnomalyEvidence"/>).
/// </summary>
public sealed class UsageAnomalyRule() : AnomalyModelRule(
    AnomalySettings.UsageRule, "Calls that look like toll fraud", Severity.High, RecommendedAction.Investigate,
    "Isolation forest over the calls of rated services: destination price class, local hour, weekday, duration, cost, calls of the "
    + "service within 30 minutes, new destination. One finding per service and month whose outlying calls are billed at least min_billed, listing them; no amount.")
{
    /// <summary>Calls read and scored at a time: the forest's memory is this batch, the trees and the outliers, not the lake's calls.</summary>
    private const int ScoreBatch = 65_536;

    /// <summary>
    /// The <c>usage_anomaly</c> findings (after <see cref="AnomalyModelRule.FeatureSetup"/>). The per-call features are computed in
    /// DuckDB and streamed twice in batches: once for the forest's training rows (every call up to
    /// <c>usage_anomaly.training_calls</c>, else a fixed stride sample of about that many: each tree draws its 256 from
    /// them) and the typical bands' sample, once to score every call, keeping only outliers.
    /// </summary>
    public override IReadOnlyList<RuleRow> Find(DuckDBConnection db, AnomalySettings settings)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        var count = AnomalyFeatures.DefineCalls(db, settings.WarmupDays);
        if (count < 2)
        {
            // One call is an outlier against nothing: no verdict, no finding.
            return [];
        }

        var width = CallFeatures.Names.Length;
        var trainStride = (count + settings.TrainingCalls - 1) / settings.TrainingCalls;
        var typicalStride = Math.Max(1, count / 65_536);
        var training = new List<double>();
        var typicalSample = new List<double>();
        AnomalyFeatures.ReadCalls(db, [trainStride, typicalStride], ScoreBatch, batch =>
        {
            for (var k = 0; k < batch.Count; k++)
            {
                if (batch.Indices[k] % trainStride == 0)
                {
                    training.AddRange(batch.Row(k));
                }

                if (batch.Indices[k] % typicalStride == 0)
                {
                    typicalSample.AddRange(batch.Row(k));
                }
            }
        });

        var forest = IsolationForest.Fit(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(training), width, settings.Forest);
        var trained = training.Count / width;
        training.Clear();
        training.TrimExcess();
        var typical = TypicalBands(typicalSample, width);
        var calls = new Dictionary<int, OutlierCall>();
        var outliers = new List<int>();
        var scores = new double[ScoreBatch];
        AnomalyFeatures.ReadCalls(db, [], ScoreBatch, overlap: true, batch =>
        {
            Parallel.For(0, (batch.Count + 4095) / 4096, chunk =>
            {
                var end = Math.Min(batch.Count, (chunk + 1) * 4096);
                for (var k = chunk * 4096; k < end; k++)
                {
                    scores[k] = forest.TryScoreAtLeast(batch.Row(k), settings.MinScore, out var score) ? score : 0;
                }
            });
            for (var k = 0; k < batch.Count; k++)
            {
                if (scores[k] >= settings.MinScore)
                {
                    outliers.Add(batch.Indices[k]);
                    calls[batch.Indices[k]] = new OutlierCall(batch.Ids[k], batch.Row(k).ToArray(), scores[k]);
                }
            }
        });

        if (outliers.Count == 0)
        {
            return [];
        }

        // In the forest's order whatever order the scan delivered (the explanations sum in this order).
        outliers.Sort();
        var details = OutlierDetails(db, outliers, calls);
        var findings = new List<RuleRow>();
        foreach (var group in outliers.GroupBy(i => details[i].Key).OrderBy(g => g.Key, KeyComparer.Instance))
        {
            if (group.Sum(i => details[i].Billed) >= settings.MinBilled)
            {
                findings.Add(AnomalyEvidence.UsageFinding(group.Key, [.. group], details, calls, forest, typical, settings, trainStride > 1 ? (trained, count) : null));
            }
        }

        return findings;
    }

    /// <summary>A call the forest scored at least min_score: its rowid in <c>audit_calls</c>, its features and its score.</summary>
    internal sealed record OutlierCall(long Id, double[] Row, double Score);

    internal sealed record OutlierKey(string Carrier, string AccountId, string ServiceId, BillingMonth Month);

    private sealed class KeyComparer : IComparer<OutlierKey>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(OutlierKey? x, OutlierKey? y) =>
            (x, y) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => string.CompareOrdinal(x.Carrier, y.Carrier) is var a and not 0 ? a
                    : string.CompareOrdinal(x.AccountId, y.AccountId) is var b and not 0 ? b
                    : string.CompareOrdinal(x.ServiceId, y.ServiceId) is var c and not 0 ? c
                    : x.Month.CompareTo(y.Month),
            };
    }

    internal sealed record OutlierDetail(OutlierKey Key, string Reference, DateTime LocalStart, decimal Billed, string? Currency, string Destination);

    private static Dictionary<int, OutlierDetail> OutlierDetails(DuckDBConnection db, List<int> outliers, Dictionary<int, OutlierCall> calls)
    {
        db.Execute("CREATE OR REPLACE TEMP TABLE anomaly_outliers (call INTEGER, id BIGINT)");
        using (var app = db.CreateAppender("anomaly_outliers"))
        {
            foreach (var i in outliers)
            {
                app.CreateRow().AppendValue(i).AppendValue(calls[i].Id).EndRow();
            }
        }

        // The outliers' calls first (a join on rowid), so that reading their texts from usage builds on these few rows.
        db.Execute("""
            CREATE OR REPLACE TEMP TABLE anomaly_outlier_calls AS
            SELECT o.call, c.rowid AS call_id, c.* FROM anomaly_outliers o JOIN audit_calls c ON c.rowid = o.id
            """);
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT c.call, c.carrier, c.account_id, c.service_id, c.usage_month,
                   c.source_file || ':' || c.source_line::VARCHAR || ' record ' || c.record_id || ' to ' || c.called_number || ' '
                       || strftime(c.local_start, '%Y-%m-%d %H:%M') || ' ' || c.duration_s::VARCHAR || ' s ' || '⟦' || printf('%.4f', c.billed_amount) || '⟧',
                   c.local_start, c.billed_amount, c.currency, coalesce(c.rate_destination, c.destination_key)
            FROM audit_call_texts('anomaly_outlier_calls') c
            """;
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<int, OutlierDetail>();
        while (r.Read())
        {
            map[r.GetInt32(0)] = new OutlierDetail(
                new OutlierKey(r.GetString(1), r.GetString(2), r.GetString(3), BillingMonth.Parse(r.GetString(4))),
                r.GetString(5), r.GetDateTime(6), r.GetDecimal(7), r.GetStringOrNull(8), r.GetString(9));
        }

        return map;
    }

    /// <summary>Per feature: the median and the 5th and 95th percentiles over a fixed stride sample (at most about 65 536) of the calls, row-major.</summary>
    private static (double Median, double Low, double High)[] TypicalBands(List<double> sample, int width)
    {
        var n = sample.Count / width;
        var column = new double[n];
        var bands = new (double, double, double)[width];
        for (var f = 0; f < width; f++)
        {
            for (var k = 0; k < n; k++)
            {
                column[k] = sample[(k * width) + f];
            }

            var sorted = column.AsSpan();
            sorted.Sort();
            bands[f] = (Quantile(sorted, 0.5), Quantile(sorted, 0.05), Quantile(sorted, 0.95));
        }

        return bands;
    }

    private static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((position - lo) * (sorted[hi] - sorted[lo]));
    }
}
