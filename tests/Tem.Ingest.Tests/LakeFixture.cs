using DuckDB.NET.Data;
using System.Text;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Ingest.Tests;

/// <summary>A scratch lake and inbox per test, and helpers to ingest and to query what landed.</summary>
public sealed class ScratchLake : IDisposable
{
    private readonly TempFolder _temp = new("tem-ingest-tests");

    public ScratchLake()
    {
        Folder = _temp.Path;
        Inbox = Path.Combine(Folder, "inbox");
        Directory.CreateDirectory(Inbox);
        Lake = TemLake.Open(Path.Combine(Folder, "lake"));
    }

    public string Folder { get; }

    public string Inbox { get; }

    public TemLake Lake { get; private set; }

    public static FixedClock Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 3, 0, 0, TimeSpan.Zero));

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Inbox, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public FileReport Ingest(string path, IngestOptions? options = null) =>
        new Ingestor(Lake, Clock, options ?? new IngestOptions()).IngestFile(path, "run-test");

    public void Reopen() => Lake = TemLake.Open(Lake.Root);

    public DuckDBConnection Query()
    {
        var c = new DuckDBConnection("DataSource=:memory:");
        c.Open();
        Lake.CreateViews(c);
        return c;
    }

    public long Count(string table, string where = "true")
    {
        using var c = Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM \"{table}\" WHERE {where}";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public List<(long Line, int Column, string? ColumnName, string Reason, string Message, string Raw)> Rejects()
    {
        using var c = Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT line, \"column\", column_name, reason, message, raw FROM rejects ORDER BY line";
        using var r = cmd.ExecuteReader();
        var list = new List<(long, int, string?, string, string, string)>();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), r.GetInt32(1), r.GetStringOrNull(2), r.GetString(3), r.GetString(4), r.GetString(5)));
        }

        return list;
    }

    public void Dispose() => _temp.Dispose();
}
