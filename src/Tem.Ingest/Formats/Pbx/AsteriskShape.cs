using Tem.Ingest.Csv;

namespace Tem.Ingest.Formats;

/// <summary>How an Asterisk file lays out its records: the format, the columns (null: cdr_csv, by each record's field count), and whether line 1 is a header.</summary>
internal sealed record AsteriskShape(string Format, AsteriskColumn[]? Columns, bool Header, string? MappingProblem = null)
{
    /// <summary>
    /// The shape of the file whose head this is, or null when it is not an Asterisk CDR file: a header of CDR names; the
    /// mapping declared in tem-pbx.json; cdr_csv's shape (16 to 21 fields, local times at start and end); cdr_custom's default.
    /// </summary>
    internal static AsteriskShape? Detect(FileHead head, IngestOptions options, byte separator)
    {
        using var csv = new CsvRecordReader(new MemoryStream(head.Bytes.ToArray()), separator, 64 * 1024);
        if (!csv.Read() || csv.Problem != RecordProblem.None || csv.FieldCount < 3)
        {
            return null;
        }

        var first = Enumerable.Range(0, csv.FieldCount).Select(i => PbxRecords.Text(csv, i)).ToArray();
        if (first.All(AsteriskColumns.Known.Contains) && AsteriskColumns.Required.All(r => first.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            var columns = AsteriskColumns.Plain(first);
            var names = columns.Select(c => c.Name!).ToArray();
            var csvOrder = AsteriskColumns.CsvByCount(names.Length) is { } order && order.SequenceEqual(names);
            return new AsteriskShape(csvOrder ? AsteriskFormat.FormatName : AsteriskCustomFormat.FormatName, csvOrder ? null : columns, Header: true);
        }

        var declared = head.Path.Length == 0 ? null : PbxSettings.For(head.Path, options).CdrCustom;
        if (declared is not null && separator == (byte)',')
        {
            try
            {
                var columns = AsteriskColumns.ParseMapping(declared);
                if (columns.Length == first.Length && TimesParse(first, columns))
                {
                    return new AsteriskShape(AsteriskCustomFormat.FormatName, columns, Header: false);
                }
            }
            catch (FormatException)
            {
                // A malformed declared mapping: the default shapes may still be recognised; the reader says what is wrong.
            }
        }

        if (AsteriskColumns.CsvByCount(first.Length) is { } byCount && TimesParse(first, AsteriskColumns.Plain(byCount)))
        {
            return new AsteriskShape(AsteriskFormat.FormatName, null, Header: false);
        }

        if (first.Length == AsteriskColumns.CustomDefault.Length && TimesParse(first, AsteriskColumns.Plain(AsteriskColumns.CustomDefault)))
        {
            return new AsteriskShape(AsteriskCustomFormat.FormatName, AsteriskColumns.Plain(AsteriskColumns.CustomDefault), Header: false);
        }

        return null;
    }

    /// <summary>Start and end are where the columns put them, local times or (declared so) epoch seconds.</summary>
    private static bool TimesParse(string[] fields, AsteriskColumn[] columns)
    {
        var start = Array.FindIndex(columns, c => c.Name == "start");
        var end = Array.FindIndex(columns, c => c.Name == "end");
        return start >= 0 && end >= 0 && Parses(fields[start], columns[start]) && Parses(fields[end], columns[end]);

        static bool Parses(string text, AsteriskColumn column) =>
            column.Epoch ? AsteriskReader.TryParseEpoch(text, out _) : AsteriskReader.TryParseLocal(text, out _);
    }
}
