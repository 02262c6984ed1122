using DuckDB.NET.Data;
using System.Globalization;
using Tem.Audit;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Reports.Tests;

/// <summary>
/// The committed sample-data/ ingested and audited into a scratch lake, three findings given a status (one
/// recovered, one disputed, one rejected), and the full report set written once with a pinned clock.
/// </summary>
public sealed class SampleReportFixture : IDisposable
{
    private readonly TestLake _lake;

    public SampleReportFixture()
    {
        _lake = TestLake.OfCommittedSample("tem-report-tests", Clock);
        new AuditEngine(Lake, Clock).Run(new AuditOptions(), "run-1");
        var store = new FindingStore(Lake, Clock);
        Credited = SetStatus(store, "tax_on_exempt", "RH4711028", FindingStatus.Credited, "credit note CN-1");
        Submitted = SetStatus(store, "missing_credit", "ALB-300125", FindingStatus.Submitted, "ticket 77");
        Rejected = SetStatus(store, "usage_mismatch", "0551004417", FindingStatus.Rejected, "carrier refused");
        Out = Path.Combine(Folder, "out");
        Result = ReportWriter.Write(Lake, Out, new ReportOptions(), Clock);
    }

    public static TimeProvider Clock { get; } = new FixedClock(new DateTimeOffset(2026, 10, 15, 2, 0, 0, TimeSpan.Zero));

    public string Folder => _lake.Folder;

    public TemLake Lake => _lake.Lake;

    public string Out { get; }

    public ReportResult Result { get; }

    public string Credited { get; }

    public string Submitted { get; }

    public string Rejected { get; }

    /// <summary>Runs a query over the lake's own views (not the report's query layer) and returns the rows.</summary>
    public List<object?[]> Sql(string sql) => Query(Lake, sql);

    public static List<object?[]> Query(TemLake lake, string sql)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        lake.CreateViews(db);
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            rows.Add([.. Enumerable.Range(0, r.FieldCount).Select(i => r.GetValueOrNull(i))]);
        }

        return rows;
    }

    public void Dispose() => _lake.Dispose();

    private string SetStatus(FindingStore store, string rule, string account, FindingStatus status, string note)
    {
        var id = (string)Sql($"SELECT min(finding_id) FROM findings WHERE rule = '{rule}' AND account_id = '{account}'")[0][0]!;
        Assert.Null(store.SetStatus(id, status, note));
        return id;
    }
}

[CollectionDefinition(Name)]
public sealed class SampleReportCollection : ICollectionFixture<SampleReportFixture>
{
    public const string Name = "sample report";
}

/// <summary>Small helpers to read what the report wrote.</summary>
internal static class Read
{
    public static decimal Dec(object? v) => v switch
    {
        null => 0m,
        decimal d => d,
        long l => l,
        int i => i,
        Int128 h => (decimal)h,
        _ => decimal.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
    };

    /// <summary>Reads a CSV file with DuckDB's own reader (every column as text), an independent parser of what CsvHelper wrote.</summary>
    public static List<Dictionary<string, string?>> Csv(string path)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT * FROM read_csv('{path.Replace("'", "''", StringComparison.Ordinal)}', all_varchar = true, header = true, auto_detect = true, quote = '\"', escape = '\"', delim = ',')";
        using var r = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, string?>>();
        while (r.Read())
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < r.FieldCount; i++)
            {
                row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetString(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
