using System.Globalization;
using CsvHelper;
using Tem.Core;

namespace Tem.SampleData;

/// <summary>
/// A typed row writer for the generated files over CsvHelper's writer in Tem's CSV dialect (<see cref="TemCsv"/>: UTF-8
/// without BOM, comma separator, <c>\n</c> line ends, a field quoted only when it holds a comma, a quote or a line
/// break). Every value is formatted with the invariant culture (<see cref="Format"/>), so the bytes depend on nothing
/// but the values.
/// </summary>
internal sealed class CsvSink : IDisposable
{
    private readonly CsvWriter _csv;
    private readonly int _columns;

    public CsvSink(string path, IReadOnlyList<string> header)
    {
        _csv = CsvWriter.ToFile(path, TemCsv.WriterOptions());
        _columns = header.Count;
        TemCsv.WriteHeader(_csv, header);
    }

    /// <summary>Data rows written, header excluded.</summary>
    public long Rows { get; private set; }

    public CsvSink Text(string? value)
    {
        _csv.WriteField(value);
        return this;
    }

    public CsvSink Money(decimal value) => Text(Format.Money(value));

    public CsvSink Money(decimal? value) => Text(value is { } v ? Format.Money(v) : null);

    public CsvSink Number(decimal value) => Text(Format.Number(value));

    public CsvSink Number(decimal? value) => Text(value is { } v ? Format.Number(v) : null);

    public CsvSink Number(long value) => Text(value.ToString(CultureInfo.InvariantCulture));

    public CsvSink Number(long? value) => Text(value?.ToString(CultureInfo.InvariantCulture));

    public CsvSink Date(DateOnly value) => Text(Format.Date(value));

    public CsvSink Date(DateOnly? value) => Text(value is { } v ? Format.Date(v) : null);

    public void EndRow()
    {
        // Checked here, with the generator's own message, before CsvHelper's field count check would see it.
        if (_csv.FieldCount != _columns)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"A row of {_csv.FieldCount} fields under a header of {_columns} columns."));
        }

        _csv.EndRecord();
        Rows++;
    }

    public void Dispose() => _csv.Dispose();
}

/// <summary>Invariant-culture text forms of the generated values.</summary>
internal static class Format
{
    /// <summary>Money: at least 2 and at most 4 decimals (the value must already be rounded to 4), e.g. <c>29.95</c>, <c>0.0621</c>, <c>-150.00</c>.</summary>
    public static string Money(decimal value)
    {
        if (decimal.Round(value, 4) != value)
        {
            throw new InvalidOperationException($"Money value with more than 4 decimals: {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value.ToString("0.00##", CultureInfo.InvariantCulture);
    }

    /// <summary>A plain decimal with up to 4 decimals and no trailing zeros, e.g. <c>1</c>, <c>0.5</c>, <c>2048</c>.</summary>
    public static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary><c>YYYY-MM-DD</c>.</summary>
    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with the offset of the instant, e.g. <c>2026-10-03T14:22:05-05:00</c>.</summary>
    public static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 in UTC with <c>Z</c>, e.g. <c>2026-10-03T19:22:05Z</c>.</summary>
    public static string UtcTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
