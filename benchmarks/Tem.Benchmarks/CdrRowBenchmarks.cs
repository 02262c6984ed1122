using DuckDB.NET.Data;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Tem.DuckDb;

namespace Tem.Benchmarks;

/// <summary>
/// Foundation issue: appender rows/s and reader rows/s for a 6-column CDR-like row, each next to DuckDB doing the
/// same work itself. "Load": <see cref="Appender"/> vs <see cref="DuckDbBaseline_CreateTableAsSelect"/> (the engine
/// generating the same columns, types and string widths from <c>range(N)</c>). "Read": <see cref="Reader"/> (and
/// <see cref="Reader_NumericOnly"/>, no string decoding) vs <see cref="DuckDbBaseline_Scan"/> (the engine touching
/// every value of the table in an aggregate). One operation = N rows; rows/s, values/s and MB/s come from
/// <see cref="ThroughputAttribute"/> (see <see cref="ThroughputColumn"/>).
/// </summary>
public class CdrRowBenchmarks
{
    public const int CdrColumns = 6;

    /// <summary>record_id 10 + service_id 9 + start_time 8 + duration_s 4 + called_number 13 + billed_amount 8 bytes.</summary>
    public const int CdrPayloadBytesPerRow = 52;

    /// <summary>BIGINT 8 + INTEGER 4 + DOUBLE 8 + DECIMAL(18,4) 8 + DATE 4 + TIMESTAMP 8 bytes.</summary>
    public const int NumericPayloadBytesPerRow = 40;

    private const string LoadCategory = "Load";
    private const string ReadCategory = "Read";

    private const string CdrColumnsDdl =
        "(record_id VARCHAR, service_id VARCHAR, start_time TIMESTAMPTZ, duration_s INTEGER, " +
        "called_number VARCHAR, billed_amount DECIMAL(18,4))";

    private const string ReadSql =
        "SELECT record_id, service_id, start_time, duration_s, called_number, billed_amount FROM cdr";

    private const string ReadNumericSql = "SELECT id, n, x, amount, d, ts FROM numeric6";

    private const string ScanSql =
        "SELECT count(*), sum(strlen(record_id)), sum(strlen(service_id)), max(start_time), sum(duration_s), " +
        "sum(strlen(called_number)), sum(billed_amount) FROM cdr";

    private const int Seed = 20_250_101;
    private static readonly DateTimeOffset PeriodStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int PeriodSeconds = 31 * 86_400;

    private DuckDBConnection _connection = null!;
    private string[] _recordIds = [];
    private string[] _serviceIds = [];
    private DateTimeOffset[] _startTimes = [];
    private int[] _durations = [];
    private string[] _calledNumbers = [];
    private decimal[] _amounts = [];
    private string _createTableAsSelectSql = string.Empty;

    /// <summary>Rows per operation.</summary>
    [Params(1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        GenerateRows();
        _createTableAsSelectSql = "CREATE TABLE cdr_load AS " + CdrSelectFromRange(N);

        _connection.Execute("CREATE TABLE cdr " + CdrColumnsDdl);
        AppendAll("cdr");
        _connection.Execute(
            "CREATE TABLE numeric6 AS SELECT range AS id, CAST(range % 3600 AS INTEGER) AS n, " +
            "CAST(range AS DOUBLE) / 7 AS x, CAST((range % 5000000) * 0.0001 AS DECIMAL(18,4)) AS amount, " +
            "DATE '2025-01-01' + CAST(range % 365 AS INTEGER) AS d, " +
            "TIMESTAMP '2025-01-01 00:00:00' + to_seconds(range % 2678400) AS ts " +
            string.Create(CultureInfo.InvariantCulture, $"FROM range({N})"));

        CheckSetup();
    }

    [GlobalCleanup]
    public void GlobalCleanup() => _connection.Dispose();

    [IterationSetup(Target = nameof(Appender))]
    public void CreateEmptyLoadTable() => _connection.Execute("CREATE OR REPLACE TABLE cdr_load " + CdrColumnsDdl);

    [IterationSetup(Target = nameof(DuckDbBaseline_CreateTableAsSelect))]
    public void DropLoadTable() => _connection.Execute("DROP TABLE IF EXISTS cdr_load");

    /// <summary>N pre-generated rows into an empty table through <see cref="DuckDBAppender"/>, final flush included.</summary>
    [Benchmark, BenchmarkCategory(LoadCategory)]
    [Throughput(CdrColumns, CdrPayloadBytesPerRow, GoalRowsPerSecond = 2_000_000)]
    public long Appender() => AppendAll("cdr_load");

    /// <summary>DuckDB builds the same 6 columns (types and string widths) from <c>range(N)</c> by itself.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(LoadCategory)]
    [Throughput(CdrColumns, CdrPayloadBytesPerRow)]
    public int DuckDbBaseline_CreateTableAsSelect() => _connection.Execute(_createTableAsSelectSql);

    /// <summary>Every value of every row of the N-row CDR table through the typed getters.</summary>
    [Benchmark, BenchmarkCategory(ReadCategory)]
    [Throughput(CdrColumns, CdrPayloadBytesPerRow, GoalValuesPerSecond = 20_000_000)]
    public long Reader()
    {
        using var command = new DuckDBCommand(ReadSql, _connection);
        using var reader = command.ExecuteReader();
        long checksum = 0;
        decimal amount = 0m;
        while (reader.Read())
        {
            // The sum of ticks overflows by design: it is a checksum, not a quantity.
            checksum = unchecked(checksum
                + reader.GetString(0).Length
                + reader.GetString(1).Length
                + reader.GetDateTime(2).Ticks
                + reader.GetInt32(3)
                + reader.GetString(4).Length);
            amount += reader.GetDecimal(5);
        }

        return checksum ^ decimal.ToInt64(amount);
    }

    /// <summary>As <see cref="Reader"/> over six fixed-width columns: raw streaming speed without string decoding.</summary>
    [Benchmark, BenchmarkCategory(ReadCategory)]
    [Throughput(CdrColumns, NumericPayloadBytesPerRow)]
    public long Reader_NumericOnly()
    {
        using var command = new DuckDBCommand(ReadNumericSql, _connection);
        using var reader = command.ExecuteReader();
        long checksum = 0;
        double x = 0;
        decimal amount = 0m;
        while (reader.Read())
        {
            checksum = unchecked(checksum
                + reader.GetInt64(0)
                + reader.GetInt32(1)
                + reader.GetDateTime(4).Ticks
                + reader.GetDateTime(5).Ticks);
            x += reader.GetDouble(2);
            amount += reader.GetDecimal(3);
        }

        return checksum ^ (long)x ^ decimal.ToInt64(amount);
    }

    /// <summary>DuckDB's own scan of the same table: one aggregate that touches every value of every row.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(ReadCategory)]
    [Throughput(CdrColumns, CdrPayloadBytesPerRow)]
    public long DuckDbBaseline_Scan()
    {
        using var command = new DuckDBCommand(ScanSql, _connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return unchecked(reader.GetInt64(0) + reader.GetInt64(1) + reader.GetInt64(2) + reader.GetDateTime(3).Ticks
            + reader.GetInt64(4) + reader.GetInt64(5) + decimal.ToInt64(reader.GetDecimal(6)));
    }

    /// <summary>
    /// The engine-side twin of <see cref="GenerateRows"/>: same columns, types and fixed string widths (10, 9, 13),
    /// same value ranges; values come from <c>hash(range)</c> instead of System.Random.
    /// </summary>
    private static string CdrSelectFromRange(int rows) => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        SELECT
            'R' || lpad(CAST(range AS VARCHAR), 9, '0') AS record_id,
            'SVC' || lpad(CAST(hash(range) % 5000 AS VARCHAR), 6, '0') AS service_id,
            to_timestamp(1735689600 + CAST(hash(range + 1) % {PeriodSeconds} AS BIGINT)) AS start_time,
            CAST(1 + hash(range + 2) % 3600 AS INTEGER) AS duration_s,
            CASE WHEN range % 2 = 0
                THEN '+4420794600' || lpad(CAST(range % 100 AS VARCHAR), 2, '0')
                ELSE '+447700900' || lpad(CAST(range % 1000 AS VARCHAR), 3, '0')
            END AS called_number,
            CAST(CAST(hash(range + 3) % 5000000 AS BIGINT) * 0.0001 AS DECIMAL(18,4)) AS billed_amount
        FROM range({rows})
        """);

    private void GenerateRows()
    {
        var random = new Random(Seed);
        _recordIds = new string[N];
        _serviceIds = new string[N];
        _startTimes = new DateTimeOffset[N];
        _durations = new int[N];
        _calledNumbers = new string[N];
        _amounts = new decimal[N];
        var services = new string[5000];
        for (var s = 0; s < services.Length; s++)
        {
            services[s] = "SVC" + s.ToString("D6", CultureInfo.InvariantCulture);
        }

        for (var i = 0; i < N; i++)
        {
            _recordIds[i] = "R" + i.ToString("D9", CultureInfo.InvariantCulture);
            _serviceIds[i] = services[random.Next(services.Length)];
            _startTimes[i] = PeriodStart.AddSeconds(random.Next(PeriodSeconds));
            _durations[i] = random.Next(1, 3601);

            // Ofcom's drama ranges: a London landline or a UK mobile, both 13 characters in E.164.
            _calledNumbers[i] = random.Next(2) == 0
                ? "+4420794600" + random.Next(100).ToString("D2", CultureInfo.InvariantCulture)
                : "+447700900" + random.Next(1000).ToString("D3", CultureInfo.InvariantCulture);
            _amounts[i] = new decimal(random.Next(5_000_000), 0, 0, isNegative: false, scale: 4);
        }
    }

    private long AppendAll(string table)
    {
        using var appender = _connection.CreateAppender(table);
        var recordIds = _recordIds;
        var serviceIds = _serviceIds;
        var startTimes = _startTimes;
        var durations = _durations;
        var calledNumbers = _calledNumbers;
        var amounts = _amounts;
        for (var i = 0; i < recordIds.Length; i++)
        {
            appender.CreateRow()
                .AppendValue(recordIds[i])
                .AppendValue(serviceIds[i])
                .AppendValue(startTimes[i])
                .AppendValue(durations[i])
                .AppendValue(calledNumbers[i])
                .AppendValue(amounts[i])
                .EndRow();
        }

        appender.Close();
        return recordIds.Length;
    }

    /// <summary>
    /// Guards the comparison, once per process and outside the measurement: the appended table holds the generated
    /// data, the baseline produces the same column types, and both have the string widths the MB/s column assumes.
    /// </summary>
    private void CheckSetup()
    {
        for (var i = 0; i < N; i++)
        {
            var width = _recordIds[i].Length + _serviceIds[i].Length + _calledNumbers[i].Length;
            if (width != CdrPayloadBytesPerRow - 20)
            {
                throw new InvalidOperationException($"Generated row {i}: string payload {width} bytes, expected {CdrPayloadBytesPerRow - 20}.");
            }
        }

        var expectedAmount = _amounts.Sum();
        var expectedDuration = _durations.Sum(d => (long)d);
        using (var command = new DuckDBCommand("SELECT count(*), sum(duration_s), sum(billed_amount) FROM cdr", _connection))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            if (reader.GetInt64(0) != N || reader.GetInt64(1) != expectedDuration || reader.GetDecimal(2) != expectedAmount)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Table cdr after the appender: {reader.GetInt64(0)} rows, sum(duration_s) {reader.GetInt64(1)}, sum(billed_amount) {reader.GetDecimal(2)}; expected {N}, {expectedDuration}, {expectedAmount}."));
            }
        }

        _connection.Execute("CREATE TABLE ctas_check AS " + CdrSelectFromRange(4096));
        var appended = ColumnTypes("cdr");
        var generated = ColumnTypes("ctas_check");
        if (!appended.SequenceEqual(generated))
        {
            throw new InvalidOperationException(
                $"The baseline's columns ({string.Join(", ", generated)}) differ from the table's ({string.Join(", ", appended)}).");
        }

        using (var command = new DuckDBCommand(
            "SELECT min(strlen(record_id) + strlen(service_id) + strlen(called_number)), " +
            "max(strlen(record_id) + strlen(service_id) + strlen(called_number)) FROM ctas_check", _connection))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            if (reader.GetInt64(0) != CdrPayloadBytesPerRow - 20 || reader.GetInt64(1) != CdrPayloadBytesPerRow - 20)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The baseline's string payload is {reader.GetInt64(0)}..{reader.GetInt64(1)} bytes per row, expected {CdrPayloadBytesPerRow - 20}."));
            }
        }

        var numeric = ColumnTypes("numeric6");
        string[] expectedNumeric = ["BIGINT", "INTEGER", "DOUBLE", "DECIMAL(18,4)", "DATE", "TIMESTAMP"];
        if (!numeric.SequenceEqual(expectedNumeric))
        {
            throw new InvalidOperationException($"numeric6 has columns {string.Join(", ", numeric)}, expected {string.Join(", ", expectedNumeric)}.");
        }

        _connection.Execute("DROP TABLE ctas_check");
    }

    private List<string> ColumnTypes(string table)
    {
        using var command = new DuckDBCommand(
            $"SELECT data_type FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position",
            _connection);
        using var reader = command.ExecuteReader();
        var types = new List<string>();
        while (reader.Read())
        {
            types.Add(reader.GetString(0));
        }

        return types;
    }
}
