using DuckDB.NET.Data;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tem.DuckDb;

namespace Tem.Cli;

/// <summary>How <see cref="ResultWriter"/> prints a result.</summary>
public enum ResultFormat
{
    /// <summary>Aligned columns for a person.</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header row.</summary>
    Csv,

    /// <summary>A JSON array of objects, one per row: numbers (decimals exact) as numbers, dates and times as ISO 8601 strings.</summary>
    Json,
}

/// <summary>Prints a data reader's current result. Numbers and dates use the invariant culture.</summary>
public static class ResultWriter
{
    /// <summary>Rows of a table result that set its column widths (the rest stream out in that layout).</summary>
    public const int TableWidthRows = 1000;

    /// <summary>Writes every row of the reader's current result.</summary>
    public static void Write(DuckDBDataReader reader, TextWriter output, ResultFormat format)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        if (reader.FieldCount == 0)
        {
            // Statements without a result (COPY, CREATE...) print nothing but how many rows they changed.
            if (reader.RecordsAffected >= 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({reader.RecordsAffected} rows changed)"));
            }

            return;
        }

        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        if (format == ResultFormat.Json)
        {
            WriteJson(reader, names, output);
            return;
        }

        var scales = DecimalScales(reader);
        string[] Row() => [.. Enumerable.Range(0, reader.FieldCount).Select(i => Text(Value(reader, i), scales[i]))];
        if (format == ResultFormat.Csv)
        {
            // Row by row: a result of any size streams through.
            output.WriteLine(string.Join(',', names.Select(Csv)));
            while (reader.Read())
            {
                output.WriteLine(string.Join(',', Row().Select(Csv)));
            }

            return;
        }

        // Column widths come from the first rows; later rows stream out in the same layout (a longer value overflows
        // its column rather than the whole result being held to measure it).
        var head = new List<string[]>();
        while (head.Count < TableWidthRows && reader.Read())
        {
            head.Add(Row());
        }

        var widths = names.Select((n, i) => Math.Max(n.Length, head.Count == 0 ? 0 : head.Max(r => r[i].Length))).ToArray();
        string Line(string[] row) => string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(names));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in head)
        {
            output.WriteLine(Line(row));
        }

        long count = head.Count;
        while (head.Count == TableWidthRows && reader.Read())
        {
            output.WriteLine(Line(Row()));
            count++;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({count} row{(count == 1 ? string.Empty : "s")})"));
    }

    private static void WriteJson(DuckDBDataReader reader, string[] names, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            while (reader.Read())
            {
                json.WriteStartObject();
                for (var i = 0; i < names.Length; i++)
                {
                    json.WritePropertyName(names[i]);
                    WriteJsonValue(json, Value(reader, i));
                }

                json.WriteEndObject();
                if (buffer.Length > 1 << 20)
                {
                    // Stream large results instead of holding them whole.
                    json.Flush();
                    output.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
                    buffer.SetLength(0);
                }
            }

            json.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case decimal d:
                json.WriteNumberValue(d);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                json.WriteNumberValue(u);
                break;
            case System.Collections.IList a when value is not byte[]:
                json.WriteStartArray();
                foreach (var item in a)
                {
                    WriteJsonValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                // Int128, dates, times, intervals, UUIDs, blobs, non-finite doubles: their text, as the table shows it.
                json.WriteStringValue(Text(value));
                break;
        }
    }

    private static object Value(DuckDBDataReader reader, int i) => reader.GetValueOrNull(i) ?? DBNull.Value;

    /// <summary>
    /// Each column's DECIMAL scale (null for other types). DuckDB.NET gives a wide decimal (a sum, DECIMAL(38,s)) without
    /// its trailing zeros; the table and CSV show every decimal with its column's scale, as DuckDB's own CLI does.
    /// </summary>
    private static int?[] DecimalScales(DuckDBDataReader reader)
    {
        var scales = new int?[reader.FieldCount];
        using var schema = reader.GetSchemaTable();
        foreach (System.Data.DataRow row in schema.Rows)
        {
            var ordinal = Convert.ToInt32(row[System.Data.Common.SchemaTableColumn.ColumnOrdinal], CultureInfo.InvariantCulture);
            if (reader.GetFieldType(ordinal) == typeof(decimal) && row[System.Data.Common.SchemaTableColumn.NumericScale] is byte scale)
            {
                scales[ordinal] = scale;
            }
        }

        return scales;
    }

    private static string Text(object value, int? scale) =>
        value is decimal d && scale is { } s && s <= 28 ? d.ToString("F" + s.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : Text(value);

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture),
        byte[] blob => Convert.ToHexString(blob),
        System.Collections.IList a => "[" + string.Join(", ", a.Cast<object?>().Select(x => x is null ? "NULL" : Text(x))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
