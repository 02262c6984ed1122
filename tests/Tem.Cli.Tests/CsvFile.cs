using DuckDB.NET.Data;

namespace Tem.Cli.Tests;

/// <summary>Reads a CSV file with DuckDB's own reader (every column as text): an independent parser of what Tem wrote.</summary>
internal static class CsvFile
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT * FROM read_csv('{path.Replace("'", "''", StringComparison.Ordinal)}', all_varchar = true, header = true, quote = '\"', escape = '\"', delim = ',')";
        using var r = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, string>>();
        while (r.Read())
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < r.FieldCount; i++)
            {
                row[r.GetName(i)] = r.IsDBNull(i) ? string.Empty : r.GetString(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Whether a findings.csv row counts as identified money (docs/money.md).</summary>
    public static bool Live(Dictionary<string, string> f) => f["status"] is "open" or "submitted" or "partially_credited" or "credited" or "confirmed";

    public static decimal Dec(Dictionary<string, string> f, string column) =>
        decimal.Parse(f[column], System.Globalization.CultureInfo.InvariantCulture);
}
