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

    /// <summary>A Markdown (GitHub) table, numbers right-aligned, for pasting into a ticket or a document.</summary>
    Markdown,

    /// <summary>One <c>column = value</c> line per column, a blank line between rows (DuckDB's <c>.mode line</c>): for wide rows.</summary>
    Line,
}

/// <summary>Prints a data reader's current result. Numbers and dates use the invariant culture.</summary>
public static class ResultWriter
{
    /// <summary>Rows of a table result that set its column widths (the rest stream out in that layout).</summary>
    public const int TableWidthRows = 1000;

    /// <summary>
    /// Writes every row of the reader's current result. In the table format numbers are right-aligned; with a
    /// <paramref name="maxWidth"/> (a terminal's columns) a table wider than that is fitted to it: long cells are cut
    /// with an ellipsis down to 12 characters (numbers never), then middle columns are left out and the footer says
    /// how many. Without it (a pipe, a file) nothing is cut.
    /// </summary>
    public static void Write(DuckDBDataReader reader, TextWriter output, ResultFormat format, int? maxWidth = null)
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
        var markdown = format == ResultFormat.Markdown;

        // Markdown cells are escaped before they are measured: a '|' would end the cell, a line break the row.
        string[] Row() => [.. Enumerable.Range(0, reader.FieldCount).Select(i => Text(Value(reader, i), scales[i]))
            .Select(v => markdown ? v.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ") : v)];
        switch (format)
        {
            case ResultFormat.Csv:
                // Row by row: a result of any size streams through.
                output.WriteLine(string.Join(',', names.Select(Csv)));
                while (reader.Read())
                {
                    output.WriteLine(string.Join(',', Row().Select(Csv)));
                }

                return;
            case ResultFormat.Line:
                var nameWidth = names.Max(n => n.Length);
                var first = true;
                while (reader.Read())
                {
                    if (!first)
                    {
                        output.WriteLine();
                    }

                    first = false;
                    var row = Row();
                    for (var i = 0; i < names.Length; i++)
                    {
                        output.WriteLine($"{names[i].PadLeft(nameWidth)} = {row[i]}");
                    }
                }

                return;
        }

        var numeric = Enumerable.Range(0, reader.FieldCount).Select(i => IsNumber(reader.GetFieldType(i))).ToArray();

        // Column widths come from the first rows; later rows stream out in the same layout (a longer value overflows
        // its column rather than the whole result being held to measure it).
        var head = new List<string[]>();
        while (head.Count < TableWidthRows && reader.Read())
        {
            head.Add(Row());
        }

        var widths = names.Select((n, i) => Math.Max(n.Length, head.Count == 0 ? 0 : head.Max(r => r[i].Length))).ToArray();
        var shown = Enumerable.Range(0, names.Length).ToList();
        if (!markdown && maxWidth is { } max)
        {
            shown = Fit(widths, numeric, max);
        }

        var hidden = names.Length - shown.Count;
        // Where the ellipsis column stands for the columns left out: at the first break in the shown columns.
        var gap = hidden == 0 ? -1 : Enumerable.Range(1, shown.Count).First(k => k == shown.Count || shown[k] != shown[k - 1] + 1);
        string Cell(string value, int i)
        {
            // Text is cut to fit; a number never is (it would read as another number), it overflows its column.
            if (!markdown && maxWidth is not null && !numeric[i] && value.Length > widths[i])
            {
                value = value[..(widths[i] - 1)] + "\u2026";
            }

            return numeric[i] ? value.PadLeft(widths[i]) : value.PadRight(widths[i]);
        }

        string Line(string[] row)
        {
            var cells = shown.Select(i => Cell(row[i], i)).ToList();
            if (gap >= 0)
            {
                cells.Insert(gap, "\u2026");
            }

            return markdown ? "| " + string.Join(" | ", cells) + " |" : string.Join("  ", cells).TrimEnd();
        }

        output.WriteLine(Line(names));
        if (markdown)
        {
            output.WriteLine("|" + string.Join("|", shown.Select(i => numeric[i] ? new string('-', widths[i] + 1) + ":" : new string('-', widths[i] + 2))) + "|");
        }
        else
        {
            var rule = shown.Select(i => new string('-', widths[i])).ToList();
            if (gap >= 0)
            {
                rule.Insert(gap, "-");
            }

            output.WriteLine(string.Join("  ", rule));
        }

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

        if (markdown)
        {
            return;
        }

        var rows = string.Create(CultureInfo.InvariantCulture, $"{count} row{(count == 1 ? string.Empty : "s")}");
        output.WriteLine(hidden == 0
            ? $"({rows})"
            : string.Create(CultureInfo.InvariantCulture,
                $"({rows}; {hidden} of {names.Length} columns not shown to fit the terminal: .mode line shows every column)"));
    }

    /// <summary>
    /// Narrows <paramref name="widths"/> in place to fit <paramref name="max"/> columns and returns the columns to show:
    /// text columns are cut down (never below 12 characters or their own width), the widest first; if that is not
    /// enough, columns are taken alternately from the left and the right while they fit next to a one-character
    /// ellipsis column.
    /// </summary>
    internal static List<int> Fit(int[] widths, bool[] numeric, int max)
    {
        const int Floor = 12;
        var all = Enumerable.Range(0, widths.Length).ToList();
        int Total(IEnumerable<int> columns) => columns.Sum(i => widths[i] + 2) - 2;
        if (Total(all) <= max)
        {
            return all;
        }

        var floors = all.Select(i => numeric[i] ? widths[i] : Math.Min(widths[i], Floor)).ToArray();

        // The highest cap on text columns at which the table fits (cut the widest first).
        int Capped(int cap) => all.Sum(i => Math.Max(floors[i], Math.Min(widths[i], cap)) + 2) - 2;
        int low = 0, high = widths.Max();
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Capped(mid) <= max)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = Math.Max(floors[i], Math.Min(widths[i], low));
        }

        if (Total(all) <= max)
        {
            return all;
        }

        // Still too wide at the floors: first and last columns inwards, with room for the ellipsis column ("…" and a gap).
        var left = new List<int>();
        var right = new List<int>();
        int l = 0, r = widths.Length - 1;
        var used = 1;
        while (l <= r)
        {
            var next = left.Count <= right.Count ? l : r;
            if (used + widths[next] + 2 > max)
            {
                break;
            }

            used += widths[next] + 2;
            if (next == l)
            {
                left.Add(l++);
            }
            else
            {
                right.Insert(0, r--);
            }
        }

        if (left.Count == 0)
        {
            // Not even one column fits: show the first, cut to the terminal's width.
            widths[0] = Math.Max(2, Math.Min(widths[0], max - 3));
            left.Add(0);
        }

        return [.. left, .. right];
    }

    private static bool IsNumber(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) ||
        type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong) || type == typeof(decimal) || type == typeof(double) ||
        type == typeof(float) || type == typeof(System.Numerics.BigInteger) || type == typeof(Int128) || type == typeof(UInt128);

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
                if (json.BytesPending + buffer.Length > 1 << 20)
                {
                    // Stream large results instead of holding them whole (the writer buffers until it is flushed).
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
