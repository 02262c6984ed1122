using DuckDB.NET.Data;
using System.Globalization;
using Tem.Core;
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

    /// <summary>Days from <see cref="FirstDay"/> to the last day of usage in the lake.</summary>
    public required int Length { get; init; }

    /// <summary>The day values; empty while a service's series is not loaded (see <see cref="AnomalyFeatures.StreamServiceValues"/>).</summary>
    public decimal[] Spend { get; private set; } = [];

    public double[] Minutes { get; private set; } = [];

    public double[] DataMb { get; private set; } = [];

    /// <summary>Whether the day values are in memory.</summary>
    public bool Loaded => Spend.Length == Length;

    /// <summary>
    /// The month totals DuckDB summed (<see cref="AnomalyFeatures.LoadServiceMonths"/>): what the monthly detectors need
    /// without the day values; null for a series whose values are loaded whole (an account).
    /// </summary>
    public Dictionary<BillingMonth, MonthTotal>? Months { get; set; }

    /// <summary>Zeroed day values, to be filled.</summary>
    public void Allocate()
    {
        Spend = new decimal[Length];
        Minutes = new double[Length];
        DataMb = new double[Length];
    }

    /// <summary>Drops the day values (a series' analysis keeps what it found).</summary>
    public void Release()
    {
        Spend = [];
        Minutes = [];
        DataMb = [];
    }

    public DateOnly Day(int index) => FirstDay.AddDays(index);

    public string Name => ServiceId is null ? $"account {AccountId}" : $"service {ServiceId}";
}

/// <summary>A series' month: spend, voice minutes, data MB, and the spend of its days with positive spend.</summary>
internal readonly record struct MonthTotal(decimal Spend, double Minutes, double DataMb, decimal PositiveSpend);

/// <summary>One batch of calls read from <see cref="CallFeatures.Table"/>: the first <see cref="Count"/> entries of each array are valid.</summary>
internal readonly record struct CallBatch(int[] Indices, long[] Ids, double[] Rows, int Count)
{
    public ReadOnlySpan<double> Row(int k) => Rows.AsSpan(k * CallFeatures.Names.Length, CallFeatures.Names.Length);
}

/// <summary>The per-call features of the isolation forest (names, and the table that holds them in DuckDB).</summary>
internal static class CallFeatures
{
    /// <summary>Feature names; duration_s and cost enter the forest as ln(1 + x), weekday counts from Monday = 0.</summary>
    public static readonly string[] Names = ["price_class", "local_hour", "weekday", "duration_s", "cost", "calls_within_30_min", "new_destination"];

    /// <summary>
    /// One row per call of <c>audit_calls</c>, written in the forest's order (so its own <c>rowid</c> is the call's place
    /// in that order): the call's rowid in <c>audit_calls</c> (<c>id</c>) and <c>f0</c>..<c>f6</c>.
    /// </summary>
    public const string Table = "anomaly_call_features";
}

/// <summary>
/// Builds the models' inputs from the lake with the audit's SQL (<c>Sql/anomaly.sql</c> over <c>audit_usage</c> and
/// <c>rated_usage</c>). Money stays decimal here; detectors get doubles.
/// </summary>
internal static class AnomalyFeatures
{
    public static void Define(DuckDBConnection db) => db.Execute(RuleCatalog.Script("anomaly.sql"));

    /// <summary>
    /// Every service's series, in series_no order, each running to the lake's last day of usage, without its day values
    /// (<see cref="StreamServiceValues"/> loads them a chunk at a time: 19 000 services' values are 220 MB).
    /// </summary>
    public static List<DailySeries> LoadServiceSeries(DuckDBConnection db)
    {
        var lastDay = Scalar<DateOnly?>(db, "SELECT max(last_day) FROM anomaly_service_months");
        var list = new List<DailySeries>();
        if (lastDay is null)
        {
            return list;
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT series_no, carrier, account_id, service_id, currency, first_day, service_type FROM anomaly_services ORDER BY series_no";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var first = r.GetFieldValue<DateOnly>(5);
            list.Add(new DailySeries
            {
                Carrier = r.GetString(1), AccountId = r.GetString(2), ServiceId = r.GetString(3), Currency = r.GetStringOrNull(4),
                ServiceType = r.GetStringOrNull(6), FirstDay = first, Length = lastDay.Value.DayNumber - first.DayNumber + 1,
            });
        }

        return list;
    }

    /// <summary>
    /// Every service's month totals, summed in DuckDB (<c>anomaly_service_months</c>: a few hundred thousand rows rather
    /// than millions of days): the monthly detectors, the peers and the choice of services that need the daily detectors
    /// read only these. The positive spend is of the records billed above zero (at least the spend of the days above zero,
    /// so a month that could qualify is never missed).
    /// </summary>
    public static void LoadServiceMonths(DuckDBConnection db, List<DailySeries> services)
    {
        var index = new Dictionary<(string, string, string), DailySeries>();
        foreach (var s in services)
        {
            s.Months = [];
            index[(s.Carrier, s.AccountId, s.ServiceId!)] = s;
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT carrier, account_id, service_id, month_first, spend, minutes, data_mb, positive_spend
            FROM anomaly_service_months
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var month = BillingMonth.FromDate(r.GetFieldValue<DateOnly>(3));
            index[(r.GetString(0), r.GetString(1), r.GetString(2))].Months![month] = new MonthTotal(
                r.IsDBNull(4) ? 0m : r.GetDecimal(4), r.GetDouble(5), r.GetDouble(6), r.IsDBNull(7) ? 0m : r.GetDecimal(7));
        }
    }

    /// <summary>Fills each account's series (from <see cref="AccountSeries"/>) with its services' day sums, summed in DuckDB.</summary>
    public static void LoadAccountValues(DuckDBConnection db, List<DailySeries> accounts)
    {
        var index = accounts.Select((a, i) => (a, i)).ToDictionary(x => (x.a.Carrier, x.a.AccountId), x => x.i);
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT carrier, account_id, day, spend, minutes, data_mb
            FROM anomaly_account_days
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var a = accounts[index[(r.GetString(0), r.GetString(1))]];
            var i = r.GetFieldValue<DateOnly>(2).DayNumber - a.FirstDay.DayNumber;
            a.Spend[i] = r.IsDBNull(3) ? 0m : r.GetDecimal(3);
            a.Minutes[i] = r.GetDouble(4);
            a.DataMb[i] = r.GetDouble(5);
        }
    }

    /// <summary>
    /// Loads the day values of the services <paramref name="which"/> selects, in series_no order, a chunk of at
    /// most <paramref name="chunkSize"/> series at a time: <paramref name="chunk"/> gets the chunk's series numbers with their
    /// values loaded, and the values are released after it. Memory is one chunk, whatever the number of services.
    /// </summary>
    public static void StreamServiceValues(DuckDBConnection db, List<DailySeries> services, bool[] which, int chunkSize, Action<List<int>> chunk)
    {
        db.Execute("CREATE OR REPLACE TEMP TABLE anomaly_selected (series_no INTEGER)");
        using (var app = db.CreateAppender("anomaly_selected"))
        {
            for (var i = 0; i < which.Length; i++)
            {
                if (which[i])
                {
                    app.CreateRow().AppendValue(i).EndRow();
                }
            }
        }

        var current = new List<int>();
        void Flush()
        {
            if (current.Count > 0)
            {
                chunk(current);
                foreach (var i in current)
                {
                    services[i].Release();
                }

                current = [];
            }
        }

        using var cmd = db.CreateCommand();
        cmd.UseStreamingMode = true;
        cmd.CommandText = """
            SELECT s.series_no, r.day, sum(r.billed_amount) AS spend,
                   coalesce(sum(r.duration_s) FILTER (WHERE r.usage_type = 'voice'), 0) / 60.0 AS minutes,
                   CAST(coalesce(sum(r.data_mb) FILTER (WHERE r.usage_type = 'data'), 0) AS DOUBLE) AS data_mb
            FROM anomaly_usage_records r JOIN anomaly_services s USING (carrier, account_id, service_id)
            WHERE s.series_no IN (SELECT series_no FROM anomaly_selected)
            GROUP BY s.series_no, r.day
            ORDER BY s.series_no, r.day
            """;
        using var r = cmd.ExecuteReader();
        var last = -1;
        while (r.Read())
        {
            var no = r.GetInt32(0);
            var s = services[no];
            if (no != last)
            {
                if (current.Count == chunkSize)
                {
                    Flush();
                }

                s.Allocate();
                current.Add(no);
                last = no;
            }

            var i = r.GetFieldValue<DateOnly>(1).DayNumber - s.FirstDay.DayNumber;
            s.Spend[i] = r.IsDBNull(2) ? 0m : r.GetDecimal(2);
            s.Minutes[i] = r.GetDouble(3);
            s.DataMb[i] = r.GetDouble(4);
        }

        Flush();
    }

    /// <summary>
    /// Each account's series (the day-by-day sum of its services' series), zero, in carrier and account order (filled by
    /// <see cref="LoadAccountValues"/>).
    /// </summary>
    public static List<DailySeries> AccountSeries(IReadOnlyList<DailySeries> services)
    {
        var accounts = new List<DailySeries>();
        foreach (var group in services.GroupBy(s => (s.Carrier, s.AccountId))
                     .OrderBy(g => g.Key.Carrier, StringComparer.Ordinal).ThenBy(g => g.Key.AccountId, StringComparer.Ordinal))
        {
            var first = group.Min(s => s.FirstDay);
            var last = group.Max(s => s.Day(s.Length - 1));
            var account = new DailySeries
            {
                Carrier = group.Key.Carrier, AccountId = group.Key.AccountId, Currency = group.First().Currency, FirstDay = first,
                Length = last.DayNumber - first.DayNumber + 1,
            };
            account.Allocate();
            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>
    /// Computes the forest's per-call features into <see cref="CallFeatures.Table"/>, in DuckDB (so they stay within the
    /// audit's memory limit and spill beyond it, however many calls the lake holds): price_class, local_hour, weekday,
    /// ln(1 + duration_s), ln(1 + cost); calls_within_30_min (the service's calls starting at most 30 minutes before or
    /// after, this one included) and new_destination (the service first called this destination less than a day
    /// before, and at least <paramref name="warmupDays"/> days after its first call in the lake). Rows are written in the
    /// order service, start, file, line, record (a fixed order, so the forest's draws are the same on every run), which
    /// makes each row's <c>rowid</c> its place in that order; service and file are <c>audit_calls</c>' numbers (given in
    /// carrier, account, service and in file order), so that the windows and the sort partition on integers rather than
    /// strings. Returns the number of calls.
    /// </summary>
    public static long DefineCalls(DuckDBConnection db, int warmupDays)
    {
        const long HalfHour = 30L * 60 * 1_000_000;
        const long Day = 24L * 3600 * 1_000_000;
        var warmup = warmupDays * Day;
        db.Execute(string.Create(CultureInfo.InvariantCulture, $"""
            CREATE OR REPLACE TEMP TABLE {CallFeatures.Table} AS
            WITH c AS (
                SELECT rowid AS id, service_no, file_no, source_line, destination_key,
                       coalesce(CAST(price_class AS DOUBLE), 0) AS f0,
                       coalesce(CAST(hour(local_start) + minute(local_start) / 60.0 AS DOUBLE), 0) AS f1,
                       coalesce(CAST(isodow(local_start) - 1 AS DOUBLE), 0) AS f2,
                       coalesce(ln(1 + greatest(duration_s, 0)), 0) AS f3,
                       coalesce(ln(1 + greatest(CAST(billed_amount AS DOUBLE), 0)), 0) AS f4,
                       epoch_us(start_time) AS us
                FROM audit_calls),
            w AS (
                SELECT *,
                       count(*) OVER (PARTITION BY service_no ORDER BY us RANGE BETWEEN {HalfHour} PRECEDING AND {HalfHour} FOLLOWING) AS near,
                       min(us) OVER (PARTITION BY service_no) AS service_first,
                       min(us) OVER (PARTITION BY service_no, destination_key) AS destination_first
                FROM c)
            SELECT id, CAST(f0 AS DOUBLE) AS f0, CAST(f1 AS DOUBLE) AS f1, CAST(f2 AS DOUBLE) AS f2, CAST(f3 AS DOUBLE) AS f3,
                   CAST(f4 AS DOUBLE) AS f4, CAST(near AS DOUBLE) AS f5,
                   CAST(CASE WHEN destination_first > us - {Day} AND destination_first >= service_first + {warmup} THEN 1 ELSE 0 END AS DOUBLE) AS f6
            FROM w
            ORDER BY service_no, us, file_no, source_line
            """));
        return Scalar<long>(db, $"SELECT count(*) FROM {CallFeatures.Table}");
    }

    /// <summary>
    /// Streams the calls of <see cref="CallFeatures.Table"/> in order (the table was written in order and DuckDB keeps
    /// insertion order), those whose index is a multiple of one of <paramref name="strides"/> (none: every call), in
    /// batches of at most <paramref name="batchSize"/>: <paramref name="batch"/> gets the indices, ids and row-major
    /// features of each batch (buffers reused: copy what is kept). Memory is one batch, whatever the number of calls.
    /// </summary>
    public static void ReadCalls(DuckDBConnection db, IReadOnlyCollection<long> strides, int batchSize, Action<CallBatch> batch) =>
        ReadCalls(db, strides, batchSize, overlap: false, batch);

    /// <summary>
    /// <see cref="ReadCalls(DuckDBConnection, IReadOnlyCollection{long}, int, Action{CallBatch})"/>, with
    /// <paramref name="overlap"/>: the next batch is read while <paramref name="batch"/> works on the previous one (two
    /// buffers; the batches still reach it one at a time and in order). Reading the rows is single-threaded, so on two
    /// cores the work on a batch (the forest's scoring) overlaps it instead of waiting for it.
    /// </summary>
    public static void ReadCalls(DuckDBConnection db, IReadOnlyCollection<long> strides, int batchSize, bool overlap, Action<CallBatch> batch)
    {
        var width = CallFeatures.Names.Length;
        var buffers = new (int[] Indices, long[] Ids, double[] Rows)[overlap ? 2 : 1];
        for (var b = 0; b < buffers.Length; b++)
        {
            buffers[b] = (new int[batchSize], new long[batchSize], new double[batchSize * width]);
        }

        using var cmd = db.CreateCommand();
        cmd.UseStreamingMode = true;
        var where = strides.Count == 0 || strides.Contains(1)
            ? string.Empty
            : " WHERE " + string.Join(" OR ", strides.Distinct().Select(k => string.Create(CultureInfo.InvariantCulture, $"rowid % {k} = 0")));
        cmd.CommandText = $"SELECT rowid, id, f0, f1, f2, f3, f4, f5, f6 FROM {CallFeatures.Table}{where}";
        using var r = cmd.ExecuteReader();
        var pending = Task.CompletedTask;
        var current = 0;
        var n = 0;
        void Hand(int count)
        {
            var (indices, ids, rows) = buffers[current];
            var full = new CallBatch(indices, ids, rows, count);
            if (overlap)
            {
                pending.GetAwaiter().GetResult();
                pending = Task.Run(() => batch(full));
                current ^= 1;
            }
            else
            {
                batch(full);
            }
        }

        while (r.Read())
        {
            var (indices, ids, rows) = buffers[current];
            indices[n] = checked((int)r.GetInt64(0));
            ids[n] = r.GetInt64(1);
            for (var f = 0; f < width; f++)
            {
                rows[(n * width) + f] = r.GetDouble(f + 2);
            }

            if (++n == batchSize)
            {
                Hand(n);
                n = 0;
            }
        }

        if (n > 0)
        {
            Hand(n);
        }

        pending.GetAwaiter().GetResult();
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
