using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Serialization;
using Tem.Lake;
using Tem.Lake.Layouts;

namespace Tem.EndToEnd.Tests;

/// <summary>
/// "Any engine reads the lake": every lake table read by a second, independent Parquet implementation (Parquet.Net,
/// fully managed, no DuckDB code) must give the same rows, the same exact decimal sums, the same dates and the same UTC
/// instants as the lake's DuckDB views. The files come from the manifest (<c>_tem/manifest.json</c>, the committed
/// files) and the partition values from the folder names (<c>carrier=Albion/month=2026-04</c>), as another engine would
/// take them.
/// </summary>
public sealed class ParquetInteropTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-interop");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EveryLakeTable_ReadWithParquetNet_SameRowsDecimalSumsDatesAndInstantsAsDuckDb()
    {
        // The demo writes every kind of table: partitioned usage and charges, versioned parties and accounts, the
        // findings, the dispute history, credit matches and the run and file history.
        var (code, _, err) = TemProcess.Run("demo", "--out", _temp.Path, "--quiet");
        Assert.True(code == 0, err);
        var root = _temp.Sub("lake");

        var tables = LakeFiles(root);
        Assert.Contains(tables, t => t.View == "usage" && t.Files.Count > 1);
        Assert.Contains(tables, t => t.View == "findings");
        Assert.Contains(tables, t => t.View == "dispute_events");
        Assert.Contains(tables, t => t.View == "runs");

        using var db = LakeSession.InMemory();
        TemLake.OpenExisting(root).CreateViews(db);
        var compared = new List<string>();
        foreach (var (view, files) in tables)
        {
            var independent = await ParquetNetTotals.ReadAsync(root, files);
            var viewColumns = Columns(db, view);
            Assert.Equal(Scalar<long>(db, $"SELECT count(*) FROM \"{view}\""), independent.Rows);

            // Rows per partition, keyed by the values in the folder names.
            if (independent.PartitionKeys.Count > 0)
            {
                var keys = string.Join(", ", independent.PartitionKeys.Select(k => $"CAST(\"{k}\" AS VARCHAR)"));
                var duck = Rows(db, $"SELECT {keys}, count(*) FROM \"{view}\" GROUP BY ALL")
                    .ToDictionary(r => string.Join("/", r.Take(r.Length - 1).Select(v => v?.ToString())), r => Convert.ToInt64(r[^1], CultureInfo.InvariantCulture));
                Assert.Equal(independent.RowsByPartition.OrderBy(p => p.Key, StringComparer.Ordinal), duck.OrderBy(p => p.Key, StringComparer.Ordinal));
            }

            foreach (var (column, total) in independent.Columns)
            {
                Assert.True(viewColumns.Contains(column), $"{view}: column {column} of the files is not in the view");
                var c = $"\"{column}\"";
                var context = $"{view}.{column}";
                switch (total)
                {
                    case DecimalTotal d:
                        Assert.True(d.Count == Scalar<long>(db, $"SELECT count({c}) FROM \"{view}\""), context + ": non-null count");
                        Assert.True(d.Sum == (d.Count == 0 ? 0m : Scalar<decimal>(db, $"SELECT sum({c}) FROM \"{view}\"")), context + ": exact sum");
                        break;
                    case InstantTotal t:
                        Assert.True(t.Count == Scalar<long>(db, $"SELECT count({c}) FROM \"{view}\""), context + ": non-null count");
                        if (t.Count > 0)
                        {
                            Assert.Equal(t.SumMicros, Scalar<BigInteger>(db, $"SELECT sum(epoch_us({c}))::HUGEINT FROM \"{view}\""));
                            Assert.Equal(t.MinMicros, Scalar<long>(db, $"SELECT epoch_us(min({c})) FROM \"{view}\""));
                            Assert.Equal(t.MaxMicros, Scalar<long>(db, $"SELECT epoch_us(max({c})) FROM \"{view}\""));
                        }

                        break;
                    case DateTotal dt:
                        Assert.True(dt.Count == Scalar<long>(db, $"SELECT count({c}) FROM \"{view}\""), context + ": non-null count");
                        if (dt.Count > 0)
                        {
                            Assert.Equal(dt.SumDays, Scalar<BigInteger>(db, $"SELECT sum({c} - DATE '0001-01-01')::HUGEINT FROM \"{view}\""));
                        }

                        break;
                    case TextTotal s:
                        Assert.True(s.Count == Scalar<long>(db, $"SELECT count({c}) FROM \"{view}\""), context + ": non-null count");
                        Assert.True(s.Utf8Bytes == (s.Count == 0 ? 0 : Scalar<long>(db, $"SELECT sum(strlen({c}))::BIGINT FROM \"{view}\"")), context + ": UTF-8 bytes");
                        break;
                    case CountTotal n:
                        Assert.True(n.Count == Scalar<long>(db, $"SELECT count({c}) FROM \"{view}\""), context + ": non-null count");
                        break;
                }

                compared.Add(context);
            }
        }

        // The comparison covered the money and the instants, not just counts.
        Assert.Contains("usage.billed_amount", compared);
        Assert.Contains("usage.start_time", compared);
        Assert.Contains("charges.amount", compared);
        Assert.Contains("findings.one_time_amount", compared);
        Assert.Contains("runs.started_at", compared);
    }

    /// <summary>Each DuckDB view of the lake and the files behind it, taken from the manifest and the fixed file names.</summary>
    private static List<(string View, IReadOnlyList<string> Files)> LakeFiles(string root)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "_tem", "manifest.json")));
        var versioned = CanonicalLayouts.All.Where(l => l.VersionsTable is not null).ToDictionary(l => l.Table, l => l.VersionsTable!, StringComparer.Ordinal);
        var list = new List<(string, IReadOnlyList<string>)>();
        foreach (var table in manifest.RootElement.GetProperty("Tables").EnumerateObject())
        {
            var files = table.Value.EnumerateArray().Select(p => p.GetString()!).ToList();
            if (files.Count > 0)
            {
                list.Add((versioned.GetValueOrDefault(table.Name, table.Name), files));
            }
        }

        foreach (var (view, path) in new[]
                 {
                     ("findings", FindingsFile.PathIn(root)), ("dispute_events", DisputeFiles.EventsPath(root)),
                     ("credit_matches", DisputeFiles.MatchesPath(root)), ("runs", LakeCatalog.RunsFile(root)), ("files", LakeCatalog.FilesFile(root)),
                 })
        {
            if (File.Exists(path))
            {
                list.Add((view, [Path.GetRelativePath(root, path)]));
            }
        }

        return list;
    }

    private static HashSet<string> Columns(DuckDBConnection db, string view) =>
        [.. Rows(db, $"SELECT column_name FROM (DESCRIBE \"{view}\")").Select(r => (string)r[0]!)];

    private static T Scalar<T>(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        var value = cmd.ExecuteScalar();
        return value is T typed ? typed : (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static List<object?[]> Rows(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++)
            {
                row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private abstract record Total;

    private sealed record DecimalTotal(long Count, decimal Sum) : Total;

    private sealed record InstantTotal(long Count, BigInteger SumMicros, long MinMicros, long MaxMicros) : Total;

    private sealed record DateTotal(long Count, BigInteger SumDays) : Total;

    private sealed record TextTotal(long Count, long Utf8Bytes) : Total;

    private sealed record CountTotal(long Count) : Total;

    /// <summary>What Parquet.Net reads from a table's files: rows, rows per partition folder, and a total per column.</summary>
    private sealed class ParquetNetTotals
    {
        public long Rows { get; private set; }

        public List<string> PartitionKeys { get; } = [];

        public Dictionary<string, long> RowsByPartition { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, Total> Columns { get; } = new(StringComparer.Ordinal);

        public static async Task<ParquetNetTotals> ReadAsync(string root, IReadOnlyList<string> files)
        {
            var totals = new ParquetNetTotals();
            foreach (var relative in files)
            {
                // Hive-style partitions: every folder named key=value between the table folder and the file.
                var parts = relative.Replace('\\', '/').Split('/')[..^1].Where(s => s.Contains('=', StringComparison.Ordinal))
                    .Select(s => (Key: s[..s.IndexOf('=', StringComparison.Ordinal)], Value: Uri.UnescapeDataString(s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..]))).ToList();
                if (totals.PartitionKeys.Count == 0)
                {
                    totals.PartitionKeys.AddRange(parts.Select(p => p.Key));
                }

                Assert.Equal(totals.PartitionKeys, parts.Select(p => p.Key));
                await using var stream = File.OpenRead(Path.Combine(root, relative));
                var result = await ParquetSerializer.DeserializeUntypedAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true });
                totals.Rows += result.Data.Count;
                if (parts.Count > 0)
                {
                    var key = string.Join("/", parts.Select(p => p.Value));
                    totals.RowsByPartition[key] = totals.RowsByPartition.GetValueOrDefault(key) + result.Data.Count;
                }

                foreach (var field in result.Schema.GetDataFields())
                {
                    var name = field.Name;
                    var values = result.Data.Select(row => row.TryGetValue(name, out var v) ? v : null).Where(v => v is not null).ToList();
                    totals.Columns[name] = Add(totals.Columns.GetValueOrDefault(name), field.ClrType, values!, $"{relative}:{name}");
                }
            }

            return totals;
        }

        private static Total Add(Total? total, Type type, List<object> values, string where)
        {
            if (type == typeof(decimal))
            {
                var t = total as DecimalTotal ?? new DecimalTotal(0, 0);
                return new DecimalTotal(t.Count + values.Count, t.Sum + values.Cast<decimal>().Sum());
            }

            if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            {
                var micros = values.Select(v => v switch
                {
                    DateTimeOffset o => o.UtcTicks,
                    DateTime d when d.Kind == DateTimeKind.Utc => d.Ticks,
                    DateTime d => throw new InvalidOperationException($"{where}: a timestamp read as {d.Kind}, not UTC"),
                    _ => throw new InvalidOperationException($"{where}: {v.GetType()}"),
                }).Select(ticks => (ticks - DateTime.UnixEpoch.Ticks) / 10).ToList();
                var t = total as InstantTotal ?? new InstantTotal(0, 0, long.MaxValue, long.MinValue);
                return micros.Count == 0
                    ? t
                    : new InstantTotal(t.Count + micros.Count, t.SumMicros + micros.Aggregate(BigInteger.Zero, (s, m) => s + m), Math.Min(t.MinMicros, micros.Min()), Math.Max(t.MaxMicros, micros.Max()));
            }

            if (type == typeof(DateOnly))
            {
                var t = total as DateTotal ?? new DateTotal(0, 0);
                return new DateTotal(t.Count + values.Count, t.SumDays + values.Cast<DateOnly>().Aggregate(BigInteger.Zero, (s, d) => s + d.DayNumber));
            }

            if (type == typeof(string))
            {
                var t = total as TextTotal ?? new TextTotal(0, 0);
                return new TextTotal(t.Count + values.Count, t.Utf8Bytes + values.Sum(v => (long)Encoding.UTF8.GetByteCount(v is ReadOnlyMemory<char> m ? m.Span : v.ToString())));
            }

            var n = total as CountTotal ?? new CountTotal(0);
            return new CountTotal(n.Count + values.Count);
        }
    }
}
