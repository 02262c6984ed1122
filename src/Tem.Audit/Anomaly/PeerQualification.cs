using Tem.Core;

namespace Tem.Audit.Anomaly;

/// <summary>
/// Whether a month's usage (minutes, data MB) that the monthly detectors flag stands out among its peers: the same month
/// of the other series of its group (services of one type, or accounts). Usage alone fires spend_anomaly only then.
/// </summary>
internal static class PeerQualification
{
    /// <summary>
    /// Keeps, for each case, the monthly usage flags that grew by usage_min_increase and lie above the peers' band (the
    /// same month of the other series of the same group: services of one type, or accounts) twice over: in volume, so
    /// that a heavy-tailed measure (a few long calls make a line's minutes triple now and then) is not a finding on a
    /// small line, and in growth, so that a big line is not a finding for being big and a month that is busier for
    /// everyone is not one either. With fewer than min_peers peers, none.
    /// </summary>
    internal static void Qualify(List<DailySeries> series, SeriesAnalysis[] runs, AnomalySettings settings)
    {
        var groups = new Dictionary<(string Group, string Measure, BillingMonth Month), List<(int Series, double Total, double Growth)>>();
        for (var i = 0; i < series.Count; i++)
        {
            var growth = Growth(runs[i].Totals, settings.Monthly).ToDictionary(g => g.Key, g => g.Growth);
            foreach (var ((measure, month), total) in runs[i].Totals)
            {
                var key = (series[i].ServiceType ?? string.Empty, measure, month);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add((i, total, growth.GetValueOrDefault((measure, month), double.NaN)));
            }
        }

        for (var i = 0; i < series.Count; i++)
        {
            foreach (var c in runs[i].Cases)
            {
                foreach (var m in c.Monthly.Where(m => m.Measure != Measures.Spend && m.Observed > m.Expected && m.Observed >= m.Expected * (1 + settings.UsageMinIncrease)))
                {
                    var all = groups[(series[i].ServiceType ?? string.Empty, m.Measure, c.Month)];
                    var own = all.First(p => p.Series == i);
                    var peers = all.Where(p => p.Series != i && !double.IsNaN(p.Growth)).ToList();
                    if (peers.Count < settings.MinPeers || double.IsNaN(own.Growth))
                    {
                        continue;
                    }

                    var volume = PeerBand.Of([.. peers.Select(p => p.Total)], settings);
                    var growth = PeerBand.Of([.. peers.Select(p => p.Growth)], settings);
                    if (own.Total > volume.Upper && own.Growth > growth.Upper)
                    {
                        c.Usage.Add(new UsageFlag(m, peers.Count, own.Growth, volume, growth));
                    }
                }
            }
        }
    }

    /// <summary>Each complete month's total over the median of up to <c>Cycles</c> months before it (with at least <c>MinCycles</c>).</summary>
    private static IEnumerable<((string Measure, BillingMonth Month) Key, double Growth)> Growth(
        Dictionary<(string Measure, BillingMonth Month), double> totals, SeasonalBaselineOptions monthly)
    {
        foreach (var measure in totals.Keys.Select(k => k.Measure).Distinct())
        {
            var months = totals.Where(kv => kv.Key.Measure == measure).OrderBy(kv => kv.Key.Month).ToList();
            for (var k = monthly.MinCycles; k < months.Count; k++)
            {
                var past = months.Skip(Math.Max(0, k - monthly.Cycles)).Take(Math.Min(k, monthly.Cycles)).Select(kv => kv.Value).ToArray();
                var median = RobustStats.Median(past);
                if (median > RobustStats.Epsilon)
                {
                    yield return (months[k].Key, months[k].Value / median);
                }
            }
        }
    }
}

/// <summary>
/// A month's usage flagged by a monthly detector that also grew enough and stands out among its peers that month,
/// both in volume and in growth (the month over the median of its own past months).
/// </summary>
internal sealed record UsageFlag(MonthlyFlag Flag, int Peers, double Growth, PeerBand Volume, PeerBand GrowthBand);

/// <summary>The peers' median and the top of their band (median + peer_threshold robust standard deviations).</summary>
internal sealed record PeerBand(double Median, double Upper)
{
    public static PeerBand Of(double[] peers, AnomalySettings settings)
    {
        var median = RobustStats.Median(peers.ToArray());
        var sigma = Math.Max(RobustStats.Sigma([.. peers.Select(p => p - median)]), settings.Monthly.RelativeFloor * Math.Abs(median));
        return new PeerBand(median, median + (settings.PeerThreshold * sigma));
    }
}
