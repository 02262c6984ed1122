using DuckDB.NET.Data;
using System.Globalization;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Audit.Tests.Rating;

/// <summary>The accounts.csv fields rating reads.</summary>
public sealed record RatingAccount(string Carrier, string AccountId, string TimeZone, string? RatePlanId, string Currency = "USD");

/// <summary>A usage record as the lake holds it (the fields rating reads; the rest get plausible values).</summary>
public sealed record RatingCall(
    string RecordId, string Carrier, string AccountId, DateTimeOffset Start, long? DurationS, string? CalledNumber, string UsageType = "voice");

/// <summary>One row of <c>rated_usage</c>: the record id and the columns rating adds.</summary>
public sealed record RatedRow(
    string RecordId, string UsageType, string? TimeZone, string? Currency, DateTime? LocalStart, string? UsageMonth, string? CallBand,
    string? RatePrefix, string? RateBand, string? RateDestination, decimal? RatePerMinute, decimal? ConnectFee, long? BillableS,
    decimal? ContractCost);

/// <summary>
/// An in-memory DuckDB with <c>usage</c>, <c>accounts</c> and <c>rates</c> as tables whose columns and types are the
/// lake views' (<see cref="CanonicalLayouts"/> fields, then the derived columns and <c>source_file</c>, as
/// <see cref="TemLake.CreateViews"/> builds them; <c>usage.called_digits</c> filled by <c>tem_phone_digits</c>), and
/// <c>rating.sql</c> from Tem.Audit's resources run over them. Views are lazy, so rows may be added at any time.
/// Not thread-safe.
/// </summary>
public sealed class RatingDatabase : IDisposable
{
    public const string RatesFile = "rates.csv";
    public const string AccountsFile = "accounts.csv";
    public const string UsageFile = "usage.csv";

    private static readonly Lazy<string> Script = new(LoadScript);

    private readonly DuckDBConnection _connection;
    private long _rateLines;
    private long _accountLines;
    private long _usageLines;

    public RatingDatabase()
    {
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        _connection.Execute(TemLake.PhoneDigitsMacro);
        _connection.Execute(CreateTableSql(CanonicalLayouts.Rates));
        _connection.Execute(CreateTableSql(CanonicalLayouts.Accounts));
        _connection.Execute(CreateTableSql(CanonicalLayouts.Usage, ", called_digits VARCHAR"));
        _connection.Execute(Script.Value);
    }

    /// <summary>The script as Tem.Audit embeds it.</summary>
    public static string RatingScript => Script.Value;

    public DuckDBConnection Connection => _connection;

    /// <summary>Appends rate entries in deck order: <c>source_line</c> continues from the rows already there.</summary>
    public void AddRates(IEnumerable<RateEntry> entries)
    {
        using var appender = _connection.CreateAppender("rates");
        foreach (var e in entries)
        {
            appender.CreateRow().AppendValue(e.RatePlanId).AppendValue(e.Prefix).AppendValue(e.Destination).AppendValue(WireNames.ToWire(e.TimeBand))
                .AppendValue(e.RatePerMinute).AppendValue(e.ConnectFee).AppendValue((long)e.InitialIncrementS).AppendValue((long)e.SubsequentIncrementS)
                .AppendValue(e.EffectiveFrom).AppendValue(e.EffectiveTo)
                .AppendValue(e.FromSecond == 0 ? null : (long?)e.FromSecond).AppendValue(e.BandSplit)
                .AppendValue(e.Rounding is { } mode ? WireNames.ToWire(mode) : null).AppendValue(e.RoundingDecimals is { } places ? (long?)places : null)
                .AppendValue(++_rateLines).AppendValue(RatesFile).EndRow();
        }

        appender.Close();
    }

    public void AddAccounts(IEnumerable<RatingAccount> accounts)
    {
        using var appender = _connection.CreateAppender("accounts");
        foreach (var a in accounts)
        {
            appender.CreateRow().AppendValue(a.AccountId).AppendValue(a.Carrier).AppendValue("CUST-" + a.AccountId).AppendValue("CUST-" + a.AccountId).AppendNullValue()
                .AppendValue(a.Currency).AppendValue(a.TimeZone).AppendValue(false).AppendValue(a.RatePlanId).AppendNullValue().AppendNullValue().AppendValue(++_accountLines).AppendValue(AccountsFile).EndRow();
        }

        appender.Close();
    }

    /// <summary>Appends usage records, then derives <c>called_digits</c> with the lake's macro.</summary>
    public void AddCalls(IEnumerable<RatingCall> calls)
    {
        using (var appender = _connection.CreateAppender("usage"))
        {
            foreach (var c in calls)
            {
                var voice = c.UsageType == "voice";
                appender.CreateRow().AppendValue(c.RecordId).AppendValue(c.Carrier).AppendValue(c.AccountId).AppendValue("SVC-" + c.AccountId).AppendValue(c.UsageType)
                    .AppendValue(c.Start).AppendValue(voice ? c.DurationS : null).AppendValue(c.CalledNumber)
                    .AppendValue(c.UsageType == "data" ? 12.5m : null).AppendValue(0.1234m).AppendValue("INV-1")
                    .AppendValue((int)c.Start.Offset.TotalMinutes).AppendValue(c.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture))
                    .AppendValue(++_usageLines).AppendValue(UsageFile).AppendNullValue().EndRow();
            }

            appender.Close();
        }

        _connection.Execute("UPDATE usage SET called_digits = tem_phone_digits(called_number) WHERE called_digits IS NULL");
    }

    /// <summary>The rated rows, by record id.</summary>
    public IReadOnlyDictionary<string, RatedRow> Rated(string where = "true")
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"""
            SELECT record_id, usage_type, time_zone, currency, local_start, usage_month, call_band, rate_prefix, rate_band,
                   rate_destination, rate_per_minute, connect_fee, billable_s, contract_cost
            FROM rated_usage WHERE {where}
            """;
        using var r = command.ExecuteReader();
        var rows = new Dictionary<string, RatedRow>(StringComparer.Ordinal);
        while (r.Read())
        {
            var row = new RatedRow(
                r.GetString(0), r.GetString(1), Text(r, 2), Text(r, 3), r.IsDBNull(4) ? null : r.GetDateTime(4), Text(r, 5), Text(r, 6),
                Text(r, 7), Text(r, 8), Text(r, 9), Money(r, 10), Money(r, 11), r.IsDBNull(12) ? null : r.GetInt64(12), Money(r, 13));
            rows.Add(row.RecordId, row);
        }

        return rows;
    }

    public T Scalar<T>(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var r = command.ExecuteReader();
        Assert.True(r.Read(), "the query returned no row");
        return r.GetFieldValue<T>(0);
    }

    public List<(string Name, string Type)> Columns(string relation)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{relation}' ORDER BY ordinal_position";
        using var r = command.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read())
        {
            list.Add((r.GetString(0), r.GetString(1)));
        }

        return list;
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The lake view's columns for a layout, as a table (see <see cref="TemLake.CreateViews"/>).</summary>
    public static List<(string Name, string Type)> LakeColumns(Layout layout) =>
        [.. layout.StoredColumns];

    private static string CreateTableSql(Layout layout, string extra = "") =>
        $"CREATE TABLE \"{layout.Table}\" ({string.Join(", ", LakeColumns(layout).Select(c => $"\"{c.Name}\" {c.Type}"))}{extra})";

    private static string? Text(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static decimal? Money(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);

    private static string LoadScript()
    {
        const string name = "Tem.Audit.Sql.rating.sql";
        using var stream = typeof(AuditEngine).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in Tem.Audit.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
