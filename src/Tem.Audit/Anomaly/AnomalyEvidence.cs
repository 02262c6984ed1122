using DuckDB.NET.Data;
using System.Globalization;
using System.Text;
using Tem.Core;
using Tem.DuckDb;

namespace Tem.Audit.Anomaly;

/// <summary>
/// The texts of the model rules' findings: title, detail (observed against expected and band, detectors and their
/// statistics, top features) and evidence (the usage records behind a finding, dearest first, at most 25 listed).
/// Amounts are marked for the engine to format in the finding's currency (<see cref="MoneyText"/>).
/// </summary>
internal static class AnomalyEvidence
{
    private const int MaxEvidence = 25;

    /// <summary>An amount in a finding's text, marked for the engine to format in the finding's currency (<see cref="MoneyText.Resolve"/>).</summary>
    internal static string Amount(decimal value) => MoneyText.Open + value.ToString("0.0000", CultureInfo.InvariantCulture) + MoneyText.Close;

    /// <summary>A usage record behind a spend finding: its reference (file:line, record, type, amount), amount billed and what it was.</summary>
    internal sealed record EvidenceRecord(string Reference, decimal Billed, string What);

    /// <summary>For each case, the usage records of its flagged days (or of its month when only monthly detectors flagged it), dearest first.</summary>
    internal static List<EvidenceRecord>[] EvidenceRecords(DuckDBConnection db, IReadOnlyList<(DailySeries Series, MonthCase Case)> cases)
    {
        var result = new List<EvidenceRecord>[cases.Count];
        for (var k = 0; k < cases.Count; k++)
        {
            result[k] = [];
        }

        if (cases.Count == 0)
        {
            return result;
        }

        db.Execute("CREATE OR REPLACE TEMP TABLE anomaly_flagged (k INTEGER, carrier VARCHAR, account_id VARCHAR, service_id VARCHAR, day DATE)");
        using (var app = db.CreateAppender("anomaly_flagged"))
        {
            for (var k = 0; k < cases.Count; k++)
            {
                var (s, c) = cases[k];
                IEnumerable<DateOnly> days = c.Days.Count > 0
                    ? c.Days.Select(d => d.Day)
                    : Enumerable.Range(0, c.Month.Last.DayNumber - c.Month.First.DayNumber + 1).Select(c.Month.First.AddDays);
                foreach (var day in days)
                {
                    app.CreateRow().AppendValue(k).AppendValue(s.Carrier).AppendValue(s.AccountId).AppendValue(s.ServiceId).AppendValue(day).EndRow();
                }
            }
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT f.k, r.source_file || ':' || r.source_line::VARCHAR || ' record ' || r.record_id || ' ' || r.usage_type || ' '
                       || '⟦' || printf('%.4f', r.billed_amount) || '⟧' AS reference,
                   r.billed_amount,
                   CASE WHEN f.service_id IS NULL THEN r.service_id || ' ' ELSE '' END
                       || coalesce(dn.destination, CASE WHEN r.usage_type = 'voice' THEN 'voice (unrated)' ELSE r.usage_type END) AS what
            FROM anomaly_flagged f
            JOIN anomaly_usage_records r ON r.carrier = f.carrier AND r.account_id = f.account_id AND r.day = f.day
                AND r.service_id = coalesce(f.service_id, r.service_id)
            LEFT JOIN audit_call_files cf ON cf.source_file = r.source_file
            LEFT JOIN audit_calls c ON c.file_no = cf.file_no AND c.source_line = r.source_line AND c.start_time = r.start_time
            LEFT JOIN audit_call_destinations dn ON dn.destination_no = c.destination_no AND dn.destination_no > 0
            ORDER BY f.k, r.billed_amount DESC, coalesce(r.duration_s, 0) DESC, coalesce(r.data_mb, 0) DESC, r.source_file, r.source_line
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            result[r.GetInt32(0)].Add(new EvidenceRecord(r.GetString(1), r.GetDecimal(2), r.GetString(3)));
        }

        return result;
    }

    internal static RuleRow SpendFinding(DailySeries s, MonthCase c, decimal amount, List<EvidenceRecord> records, AnomalySettings settings)
    {
        var currency = s.Currency ?? string.Empty;
        var expected = c.Observed - c.Excess;

        // The month's band: the unflagged days as observed, each flagged day anywhere within its own band.
        decimal low = c.Observed, high = c.Observed;
        foreach (var d in c.Days)
        {
            low -= d.Observed - SpendAnalysis.Money(double.IsNaN(d.Lower) ? (double)d.Expected : Math.Max(d.Lower, 0));
            high -= d.Observed - SpendAnalysis.Money(double.IsNaN(d.Upper) ? (double)d.Expected : Math.Max(d.Upper, 0));
        }

        if (c.ByMonth)
        {
            var monthly = c.Monthly.First(m => m.Measure == Measures.Spend);
            low = SpendAnalysis.Money(Math.Max(monthly.Lower, 0));
            high = SpendAnalysis.Money(Math.Max(monthly.Upper, 0));
        }

        low = Math.Max(low, 0m);
        var scope = s.ServiceId is null ? $"account {s.AccountId} (beyond its services' findings)" : s.ServiceId;
        var usage = c.Usage;
        string title;
        if (usage.Count == 0 || amount >= settings.MinAmount)
        {
            title = Invariant($"Usage spend {Amount(c.Observed)} {currency} in {c.Month} against {Amount(expected)} expected (band {Amount(low)} to {Amount(high)}) on {scope}");
        }
        else
        {
            var u = usage[0].Flag;
            title = Invariant($"{Capital(u.Measure)} {u.Observed:0} in {c.Month} against {u.Expected:0} expected (band {Math.Max(u.Lower, 0):0} to {u.Upper:0}) on {scope}");
        }

        var detail = new StringBuilder();
        detail.Append(Invariant($"observed {Amount(c.Observed)} {currency}, expected {Amount(expected)} (band {Amount(low)} to {Amount(high)}): {Amount(c.Excess)} above"));
        if (amount != c.Excess)
        {
            detail.Append(Invariant($", of which {Amount(c.Excess - amount)} is in its services' spend_anomaly findings and {Amount(amount)} is not"));
        }
        if (c.Days.Count > 0)
        {
            var first = c.Days.Min(d => d.Day);
            var last = c.Days.Max(d => d.Day);
            detail.Append(Invariant($"; {c.Days.Count} flagged day{(c.Days.Count == 1 ? string.Empty : "s")} {Span(first, last)}"));
            foreach (var d in c.Days.OrderByDescending(d => d.Excess).ThenBy(d => d.Day).Take(3))
            {
                detail.Append(Invariant($"; {d.Day:yyyy-MM-dd} observed {Amount(d.Observed)} expected {Amount(d.Expected)}"));
                if (!double.IsNaN(d.Lower))
                {
                    detail.Append(Invariant($" (band {Amount(SpendAnalysis.Money(Math.Max(d.Lower, 0)))} to {Amount(SpendAnalysis.Money(d.Upper))})"));
                }

                detail.Append(" by ").Append(string.Join(", ", d.By.Select(b => Invariant($"{b.Detector} ({Statistic(b.Detector)} {b.Score:0.0})"))));
            }
        }

        foreach (var m in c.Monthly)
        {
            detail.Append(Invariant($"; monthly {m.Measure} {m.Observed:0.##} against {m.Expected:0.##} (band {Math.Max(m.Lower, 0):0.##} to {m.Upper:0.##}) by {m.Detector} ({Statistic(m.Detector)} {m.Score:0.0})"));
            if (usage.Find(u => u.Flag == m) is { } peer)
            {
                detail.Append(Invariant($", against its {peer.Peers} peers' median {peer.Volume.Median:0.##} (band up to {peer.Volume.Upper:0.##}) and grown x{peer.Growth:0.00} against their x{peer.GrowthBand.Median:0.00} (band up to x{peer.GrowthBand.Upper:0.00})"));
            }
        }

        var features = records.GroupBy(e => e.What, StringComparer.Ordinal)
            .Select(g => (What: g.Key, Billed: g.Sum(e => e.Billed), Count: g.Count()))
            .OrderByDescending(g => g.Billed).ThenByDescending(g => g.Count).ThenBy(g => g.What, StringComparer.Ordinal).Take(3).ToList();
        if (features.Count > 0)
        {
            detail.Append("; top features: ").Append(string.Join(", ", features.Select(f => Invariant($"{f.What} {Amount(f.Billed)} in {f.Count} record{(f.Count == 1 ? string.Empty : "s")}"))));
        }

        var detectorsUsed = c.DetectorCount;
        var confidence = Math.Min(0.9m, 0.5m + (0.1m * detectorsUsed));
        return new RuleRow(s.Carrier, s.AccountId, s.ServiceId, c.Month, title)
        {
            OneTime = amount, Confidence = confidence, Detail = detail.ToString(), Evidence = Evidence(records.Select(e => e.Reference).ToList()),
        };
    }

    internal static RuleRow UsageFinding(
        UsageAnomalyRule.OutlierKey key, List<int> calls, Dictionary<int, UsageAnomalyRule.OutlierDetail> details, Dictionary<int, UsageAnomalyRule.OutlierCall> outliers, IsolationForest forest,
        (double Median, double Low, double High)[] typical, AnomalySettings settings, (long Trained, long Calls)? sampled)
    {
        var width = CallFeatures.Names.Length;
        var shares = new double[width];
        var one = new double[width];
        foreach (var i in calls)
        {
            forest.Explain(outliers[i].Row, one);
            for (var f = 0; f < width; f++)
            {
                shares[f] += one[f] / calls.Count;
            }
        }

        var ordered = calls.OrderBy(i => details[i].LocalStart).ThenBy(i => i).ToList();
        var first = details[ordered[0]].LocalStart;
        var last = details[ordered[^1]].LocalStart;
        var billed = calls.Sum(i => details[i].Billed);
        var currency = details[calls[0]].Currency ?? string.Empty;
        var destinations = calls.GroupBy(i => details[i].Destination, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => Invariant($"{g.Key} ({g.Count()})")).ToList();
        var minScore = calls.Min(i => outliers[i].Score);
        var maxScore = calls.Max(i => outliers[i].Score);
        var when = first.Date == last.Date
            ? Invariant($"{first:yyyy-MM-dd} {first:HH\\:mm} to {last:HH\\:mm} local")
            : Invariant($"{first:yyyy-MM-dd HH\\:mm} to {last:yyyy-MM-dd HH\\:mm} local");

        var title = Invariant($"{calls.Count} outlying call{(calls.Count == 1 ? string.Empty : "s")} on {when}, billed {Amount(billed)} {currency}: {string.Join(", ", destinations.Take(3))}");
        var detail = new StringBuilder(Invariant(
            $"isolation forest ({settings.Forest.Trees} trees of {forest.SampleSize} calls, seed {settings.Forest.Seed}{(sampled is { } s ? Invariant($", grown on a stride sample of {s.Trained} of the {s.Calls} calls") : string.Empty)}) scored {calls.Count} call{(calls.Count == 1 ? string.Empty : "s")} "));
        detail.Append(Invariant(
            $"{minScore:0.000} to {maxScore:0.000} (threshold {settings.MinScore:0.00}; ordinary calls score about 0.5); billed {Amount(billed)} {currency}; destinations {string.Join(", ", destinations)}"));
        detail.Append("; top features (observed median against the typical 5th to 95th percentile of all calls): ");
        var top = Enumerable.Range(0, width).OrderByDescending(f => shares[f]).ThenBy(f => f).Take(3);
        detail.Append(string.Join(", ", top.Select(f =>
        {
            var observed = Median(calls.Select(i => outliers[i].Row[f]));
            return Invariant($"{CallFeatures.Names[f]} {Show(f, observed)} against {Show(f, typical[f].Median)} (band {Show(f, typical[f].Low)} to {Show(f, typical[f].High)}), {shares[f]:P0} of the isolating splits");
        })));

        var confidence = Math.Round((decimal)calls.Average(i => outliers[i].Score), 4, MidpointRounding.AwayFromZero);
        return new RuleRow(key.Carrier, key.AccountId, key.ServiceId, key.Month, title)
        {
            Confidence = confidence, Detail = detail.ToString(), Evidence = Evidence([.. ordered.Select(i => details[i].Reference)]),
        };
    }

    internal static double Median(IEnumerable<double> values)
    {
        var array = values.ToArray();
        return RobustStats.Median(array);
    }

    /// <summary>A feature's value in its own unit (durations in seconds and cost in money rather than their logarithms).</summary>
    internal static string Show(int feature, double value) => CallFeatures.Names[feature] switch
    {
        "duration_s" => Invariant($"{Math.Exp(value) - 1:0} s"),
        "cost" => Amount(SpendAnalysis.Money(Math.Exp(value) - 1)),
        "local_hour" => Invariant($"{value:0.0} h"),
        _ => Invariant($"{value:0.##}"),
    };

    internal static string Evidence(List<string> references) =>
        string.Join(", ", references.Take(MaxEvidence)) + (references.Count > MaxEvidence ? Invariant($" (+{references.Count - MaxEvidence} more)") : string.Empty);

    internal static string Span(DateOnly first, DateOnly last) =>
        first == last ? Invariant($"{first:yyyy-MM-dd}") : Invariant($"{first:yyyy-MM-dd} to {last:yyyy-MM-dd}");

    internal static string Statistic(string detector) => detector switch
    {
        SpectralResidualDetector.DetectorName => "saliency ratio",
        LevelShiftDetector.DetectorName => "shift z",
        _ => "z",
    };

    internal static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
