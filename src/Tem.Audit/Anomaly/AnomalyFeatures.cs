using DuckDB.NET.Data;
using System.Globalization;
using Tem.DuckDb;

namespace Tem.Audit.Anomaly;

/// <summary>
/// One daily series of a service or an account: usage spend (decimal, the account's currency), voice minutes and data
/// MB per local day from <see cref="FirstDay"/> to the last day of usage in the lake; a day without usage is 0.
/// </summary>
internal sealed class DailySeries
{
    public required string Carrier { get; init; }

    public required string AccountId { get; init; }

    /// <summary>Null for an account's series (the sum of its services).</summary>
    public string? ServiceId { get; init; }

    public string? Currency { get; init; }

    /// <summary>The inventory's service type (peers are services of the same type); null for accounts and unknown services.</summary>
    public string? ServiceType { get; init; }

    public required DateOnly FirstDay { get; init; }

    public required decimal[] Spend { get; init; }

    public required double[] Minutes { get; init; }

    public required double[] DataMb { get; init; }

    public int Length => Spend.Length;

    public DateOnly Day(int index) => FirstDay.AddDays(index);

    public string Name => ServiceId is null ? $"account {AccountId}" : $"service {ServiceId}";
}

/// <summary>The per-call features of the isolation forest, row-major, sorted by service and start.</summary>
internal sealed class CallFeatures
{
    /// <summary>Feature names; duration_s and cost enter the forest as ln(1 + x), weekday counts from Monday = 0.</summary>
    public static readonly string[] Names = ["price_class", "local_hour", "weekday", "duration_s", "cost", "calls_within_30_min", "new_destination"];

    public required double[] Rows { get; init; }

    /// <summary>Each call's rowid in <c>anomaly_calls</c>.</summary>
    public required long[] Ids { get; init; }

    public int Count => Rows.Length / Names.Length;

    public ReadOnlySpan<double> Row(int i) => Rows.AsSpan(i * Names.Length, Names.Length);
}

/// <summary>
/// Builds the models' inputs from the lake with the audit's SQL (<c>Sql/anomaly.sql</c> over <c>audit_usage</c> and
/// <c>rated_usage</c>). Money stays decimal here; detectors get doubles.
/// </summary>
internal static class AnomalyFeatures
{
    public static void Define(DuckDBConnection db) => db.Execute(RuleCatalog.Script("anomaly.sql"));

    /// <summary>Every service's daily series, in series_no order, each running to the lake's last day of usage.</summary>
    public static List<DailySeries> LoadServiceSeries(DuckDBConnection db)
    {
        var lastDay = Scalar<DateOnly?>(db, "SELECT max(day) FROM anomaly_usage_day");
        var list = new List<DailySeries>();
        if (lastDay is null)
        {
            return list;
        }

        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT series_no, carrier, account_id, service_id, currency, first_day, service_type FROM anomaly_services ORDER BY series_no";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var first = r.GetFieldValue<DateOnly>(5);
                var length = lastDay.Value.DayNumber - first.DayNumber + 1;
                list.Add(new DailySeries
                {
                    Carrier = r.GetString(1), AccountId = r.GetString(2), ServiceId = r.GetString(3), Currency = r.GetStringOrNull(4),
                    ServiceType = r.GetStringOrNull(6), FirstDay = first, Spend = new decimal[length], Minutes = new double[length], DataMb = new double[length],
                });
            }
        }

        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT s.series_no, d.day, d.spend, d.minutes, d.data_mb
                FROM anomaly_usage_day d JOIN anomaly_services s USING (carrier, account_id, service_id)
                ORDER BY s.series_no, d.day
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var s = list[r.GetInt32(0)];
                var i = r.GetFieldValue<DateOnly>(1).DayNumber - s.FirstDay.DayNumber;
                s.Spend[i] = r.IsDBNull(2) ? 0m : r.GetDecimal(2);
                s.Minutes[i] = r.GetDouble(3);
                s.DataMb[i] = r.GetDouble(4);
            }
        }

        return list;
    }

    /// <summary>Each account's series: the day-by-day sum of its services' series.</summary>
    public static List<DailySeries> AccountSeries(IReadOnlyList<DailySeries> services)
    {
        var accounts = new List<DailySeries>();
        foreach (var group in services.GroupBy(s => (s.Carrier, s.AccountId)).OrderBy(g => g.Key.Carrier, StringComparer.Ordinal).ThenBy(g => g.Key.AccountId, StringComparer.Ordinal))
        {
            var first = group.Min(s => s.FirstDay);
            var last = group.Max(s => s.Day(s.Length - 1));
            var length = last.DayNumber - first.DayNumber + 1;
            var account = new DailySeries
            {
                Carrier = group.Key.Carrier, AccountId = group.Key.AccountId, Currency = group.First().Currency, FirstDay = first,
                Spend = new decimal[length], Minutes = new double[length], DataMb = new double[length],
            };
            foreach (var s in group)
            {
                var offset = s.FirstDay.DayNumber - first.DayNumber;
                for (var i = 0; i < s.Length; i++)
                {
                    account.Spend[offset + i] += s.Spend[i];
                    account.Minutes[offset + i] += s.Minutes[i];
                    account.DataMb[offset + i] += s.DataMb[i];
                }
            }

            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>
    /// The isolation forest's features of every call in <c>anomaly_calls</c>, sorted by service and start (a fixed order,
    /// so the forest's draws are the same on every run), with each call's <c>rowid</c> to fetch its details later.
    /// calls_within_30_min (the service's calls starting at most 30 minutes before or after, this one included) and
    /// new_destination (the service first called this destination less than a day before, and at least
    /// <paramref name="warmupDays"/> days after its first call in the lake) come from one sweep per service.
    /// </summary>
    public static CallFeatures LoadCalls(DuckDBConnection db, int warmupDays)
    {
        var count = Scalar<long>(db, "SELECT count(*) FROM anomaly_calls");
        var width = CallFeatures.Names.Length;
        var rows = new double[checked((int)count * width)];
        var ids = new long[count];
        var starts = new long[count];
        var destinations = new long[count];
        var services = new long[count];
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT rowid, CAST(price_class AS DOUBLE), CAST(hour(local_start) + minute(local_start) / 60.0 AS DOUBLE),
                       CAST(isodow(local_start) - 1 AS DOUBLE), ln(1 + greatest(duration_s, 0)), ln(1 + greatest(CAST(billed_amount AS DOUBLE), 0)),
                       epoch_us(start_time), CAST(hash(destination_key) >> 1 AS BIGINT), CAST(hash(carrier, account_id, service_id) >> 1 AS BIGINT)
                FROM anomaly_calls
                ORDER BY carrier, account_id, service_id, start_time, source_file, source_line, record_id
                """;
            using var r = cmd.ExecuteReader();
            var i = 0;
            while (r.Read())
            {
                ids[i] = r.GetInt64(0);
                var offset = i * width;
                for (var f = 0; f < 5; f++)
                {
                    rows[offset + f] = r.IsDBNull(f + 1) ? 0 : r.GetDouble(f + 1);
                }

                starts[i] = r.GetInt64(6);
                destinations[i] = r.GetInt64(7);
                services[i] = r.GetInt64(8);
                i++;
            }
        }

        const long HalfHour = 30L * 60 * 1_000_000;
        const long Day = 24L * 3600 * 1_000_000;
        var warmup = warmupDays * Day;
        for (var first = 0; first < count;)
        {
            var end = first;
            while (end < count && services[end] == services[first])
            {
                end++;
            }

            var firstSeen = new Dictionary<long, long>();
            int lo = first, hi = first;
            for (var i = first; i < end; i++)
            {
                while (starts[lo] < starts[i] - HalfHour)
                {
                    lo++;
                }

                while (hi + 1 < end && starts[hi + 1] <= starts[i] + HalfHour)
                {
                    hi++;
                }

                if (!firstSeen.TryGetValue(destinations[i], out var seen))
                {
                    firstSeen[destinations[i]] = seen = starts[i];
                }

                rows[(i * width) + 5] = hi - lo + 1;
                rows[(i * width) + 6] = seen > starts[i] - Day && seen >= starts[first] + warmup ? 1 : 0;
            }

            first = end;
        }

        return new CallFeatures { Rows = rows, Ids = ids };
    }

    private static T Scalar<T>(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        r.Read();
        return r.GetFieldValue<T>(0);
    }
}
