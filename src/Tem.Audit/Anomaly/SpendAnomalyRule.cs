using DuckDB.NET.Data;
using Tem.Core;

namespace Tem.Audit.Anomaly;

/// <summary>
/// <c>spend_anomaly</c>: daily usage spend per service and per account through the seasonal baseline, the spectral
/// residual and the level-shift detector (days flagged above their expectation), and monthly spend, voice minutes and
/// data MB through the monthly baseline and level shift (<see cref="SpendAnalysis"/>); one finding per service (or
/// account) and month whose flagged spend exceeds the expected by <c>min_amount</c>, or whose usage the monthly
/// detectors flag and grew by <c>usage_min_increase</c> beyond its peers' (<see cref="PeerQualification"/>).
/// </summary>
public sealed class SpendAnomalyRule() : AnomalyModelRule(
    AnomalySettings.SpendRule, "Spend or usage far above its own history", Severity.Medium, RecommendedAction.Investigate,
    "Daily usage spend per service and account against a seasonal median/MAD baseline, the spectral residual and a level-shift detector; "
    + "monthly spend, minutes and data MB against their own past months (usage alone also against its peers). One finding per service (or account) and month; "
    + "one_time_amount = spend of the flagged days above their expected value.")
{
    /// <summary>Services whose day values are in memory at a time.</summary>
    private const int Chunk = 2048;

    /// <summary>The <c>spend_anomaly</c> findings (after <see cref="AnomalyModelRule.FeatureSetup"/>).</summary>
    public override IReadOnlyList<RuleRow> Find(DuckDBConnection db, AnomalySettings settings)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        // The services' month totals are summed in DuckDB: the monthly detectors, the peers and the choice of the services
        // that need the daily detectors read only these; then the day values of those services (a few at this default
        // min_amount) are streamed a chunk at a time. The accounts' day series (a few hundred) are summed in DuckDB too.
        var services = AnomalyFeatures.LoadServiceSeries(db);
        AnomalyFeatures.LoadServiceMonths(db, services);
        var accounts = AnomalyFeatures.AccountSeries(services);
        AnomalyFeatures.LoadAccountValues(db, accounts);
        var detectors = new Detectors(settings);
        var serviceRuns = new SeriesAnalysis[services.Count];
        var accountRuns = new SeriesAnalysis[accounts.Count];
        Parallel.For(0, services.Count, i => serviceRuns[i] = SpendAnalysis.AnalyseMonthly(services[i], detectors));
        Parallel.For(0, accounts.Count, i => accountRuns[i] = SpendAnalysis.AnalyseMonthly(accounts[i], detectors));
        PeerQualification.Qualify(services, serviceRuns, settings);
        PeerQualification.Qualify(accounts, accountRuns, settings);
        var daily = Enumerable.Range(0, services.Count).Select(i => SpendAnalysis.NeedsDaily(services[i], serviceRuns[i], settings)).ToArray();
        AnomalyFeatures.StreamServiceValues(db, services, daily, Chunk, chunk =>
            Parallel.ForEach(chunk, i => SpendAnalysis.AnalyseDaily(services[i], detectors, serviceRuns[i])));
        Parallel.For(0, accounts.Count, i =>
        {
            if (SpendAnalysis.NeedsDaily(accounts[i], accountRuns[i], settings))
            {
                SpendAnalysis.AnalyseDaily(accounts[i], detectors, accountRuns[i]);
            }
        });

        var fired = new List<(DailySeries Series, MonthCase Case, decimal Amount)>();
        var explained = new Dictionary<(string, string, BillingMonth), decimal>();
        for (var i = 0; i < services.Count; i++)
        {
            foreach (var c in serviceRuns[i].Cases)
            {
                var amount = c.Excess;
                if ((amount >= settings.MinAmount && amount >= settings.MinIncrease * (c.Observed - amount)) || c.Usage.Count > 0)
                {
                    fired.Add((services[i], c, amount));
                    var key = (services[i].Carrier, services[i].AccountId, c.Month);
                    explained[key] = explained.GetValueOrDefault(key) + amount;
                }
            }
        }

        for (var i = 0; i < accounts.Count; i++)
        {
            foreach (var c in accountRuns[i].Cases)
            {
                // An account's excess that its services' findings already explain is not found twice.
                var key = (accounts[i].Carrier, accounts[i].AccountId, c.Month);
                var hasServiceFinding = explained.TryGetValue(key, out var byServices);
                var residual = c.Excess - byServices;
                var expected = c.Observed - c.Excess;
                if ((residual >= settings.MinAmount && residual >= settings.AccountMinIncrease * expected) || (!hasServiceFinding && c.Usage.Count > 0))
                {
                    fired.Add((accounts[i], c, Math.Max(residual, 0m)));
                }
            }
        }

        var records = AnomalyEvidence.EvidenceRecords(db, fired.Select(f => (f.Series, f.Case)).ToList());
        return [.. fired.Select((f, k) => AnomalyEvidence.SpendFinding(f.Series, f.Case, f.Amount, records[k], settings))];
    }
}
