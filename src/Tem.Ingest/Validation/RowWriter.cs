using System.Globalization;
using System.Text;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest.Csv;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Validation;

/// <summary>Why one input row was not stored: where (1-based column of the file, and its name) and why.</summary>
/// <param name="Column">1-based column in the file; 0 when the problem is the whole row.</param>
/// <param name="ColumnName">The column's name, when one column is at fault.</param>
/// <param name="Reason">Reason code (stored by its wire name).</param>
/// <param name="Message">What was wrong and what was expected, for a person.</param>
public readonly record struct RowReject(int Column, string? ColumnName, RejectReason Reason, string Message);

/// <summary>
/// Checks records of one file against a layout and writes the good ones into a staging table through an
/// row sink; the first bad field rejects the whole row (nothing half-stored). Staging columns are the layout's
/// fields, then the derived ones (<see cref="Layout.DerivedColumns"/>), then <c>source_file</c> and <c>source_line</c>.
/// </summary>
public sealed class RowWriter
{
    private const int MaxPhoneDigits = 32;

    private readonly Layout _layout;
    private readonly FieldSpec[] _fields;
    private readonly int[] _columnOf;
    private readonly int _headerCount;
    private readonly byte[][][] _enumValues;
    private readonly byte[]?[] _monthCache = new byte[]?[12 * 10_000];
    private readonly int _usageType = -1;
    private readonly int _duration = -1;
    private readonly int _called = -1;
    private readonly int _dataMb = -1;
    private readonly int _start = -1;
    private readonly bool _startMonth;
    private readonly TextFallback _textFallback;

    /// <param name="layout">The file's layout.</param>
    /// <param name="columnOf">For each layout field, its 0-based column in the file, or -1 when the (optional) column is absent.</param>
    /// <param name="headerCount">Columns in the file's header.</param>
    /// <param name="textFallback">
    /// How a text field that is not UTF-8 is decoded (and counted); null: windows-1252. Other fields that are not UTF-8
    /// reject their row as <c>bad_encoding</c>.
    /// </param>
    public RowWriter(Layout layout, int[] columnOf, int headerCount, TextFallback? textFallback = null)
    {
        _textFallback = textFallback ?? new TextFallback();
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(columnOf);
        _layout = layout;
        _fields = [.. layout.Fields];
        _columnOf = columnOf;
        _headerCount = headerCount;
        _enumValues = [.. layout.Fields.Select(f => f.Values.Select(v => Encoding.ASCII.GetBytes(v)).ToArray())];
        if (layout.Kind == CanonicalLayouts.Usage.Kind)
        {
            _usageType = Index("usage_type");
            _duration = Index("duration_s");
            _called = Index("called_number");
            _dataMb = Index("data_mb");
        }

        _startMonth = layout.HasStartMonth;
        if (_startMonth)
        {
            _start = Index("start_time");
        }
    }

    /// <summary>Validates the reader's current record and appends it; false with <paramref name="reject"/> when it is refused.</summary>
    public bool TryWrite(CsvRecordReader record, DuckDbRowSink appender, out RowReject reject)
    {
        ArgumentNullException.ThrowIfNull(record);
        return TryWrite(new CsvFieldRecord(record), appender, out reject);
    }

    /// <summary>
    /// Validates a record and appends it; false with <paramref name="reject"/> (its column is the source file's,
    /// <see cref="IFieldRecord.SourceColumn"/>) when it is refused. Generic over a struct view so that each kind of
    /// record gets its own compiled copy with the field accessors inlined.
    /// </summary>
    public bool TryWrite<TRecord>(TRecord record, DuckDbRowSink appender, out RowReject reject)
        where TRecord : struct, IFieldRecord
    {
        ArgumentNullException.ThrowIfNull(appender);
        if (!CheckShape(record, out reject))
        {
            return false;
        }

        DateTimeOffset start = default;
        DateOnly periodStart = default;
        Span<byte> digits = stackalloc byte[MaxPhoneDigits];
        var calledDigits = 0;
        var fields = _fields;
        for (var f = 0; f < fields.Length; f++)
        {
            var spec = fields[f];
            var column = _columnOf[f];
            var raw = column < 0 ? default : record.Field(column);
            var value = spec.Type == FieldType.Text && column >= 0 && record.IsQuoted(column) ? raw : FieldParsers.Trim(raw);
            if (value.IsEmpty)
            {
                if (spec.Required || RequiredByUsageType(record, f))
                {
                    reject = Reject(record, column, spec, RejectReason.Required, "is empty; a value is required");
                    appender.DiscardRow();
                    return false;
                }

                appender.AppendNull();
                continue;
            }

            if (value.Length > spec.MaxLength)
            {
                reject = Reject(record, column, spec, RejectReason.TooLong, $"is {value.Length} bytes long; the limit is {spec.MaxLength}");
                appender.DiscardRow();
                return false;
            }

            if (record.HasInvalidUtf8 && !System.Text.Unicode.Utf8.IsValid(value))
            {
                if (spec.Type == FieldType.Text)
                {
                    // Free text (a display name, a description) in another encoding: read with the file's fallback, said once per file.
                    appender.AppendValidUtf8(_textFallback.ToUtf8(value));
                    continue;
                }

                reject = RecordProblems.Reject(RecordProblem.BadEncoding, record.SourceColumn(column), spec.Name)!.Value;
                appender.DiscardRow();
                return false;
            }

            string? error;
            RejectReason reason;
            switch (spec.Type)
            {
                case FieldType.Text or FieldType.Id:
                    // Valid UTF-8: checked above when the reader found bytes that are not.
                    appender.AppendValidUtf8(value);
                    continue;
                case FieldType.Phone:
                    if (!FieldParsers.TryParsePhone(value, digits, out calledDigits, out error))
                    {
                        reason = RejectReason.BadPhoneNumber;
                        break;
                    }

                    // Rate prefixes are stored as the digits they match on; numbers keep their original text.
                    appender.AppendValidUtf8(spec.Name == "prefix" ? digits[..calledDigits] : value);
                    continue;
                case FieldType.Date:
                    if (!FieldParsers.TryParseDate(value, out var date, out error))
                    {
                        reason = RejectReason.BadDate;
                        break;
                    }

                    if (spec.Name == "period_start")
                    {
                        periodStart = date;
                    }

                    appender.Append(date);
                    continue;
                case FieldType.Timestamp:
                    if (!FieldParsers.TryParseTimestamp(value, out var instant, out error))
                    {
                        reason = RejectReason.BadTimestamp;
                        break;
                    }

                    if (f == _start)
                    {
                        start = instant;
                    }

                    appender.Append(instant);
                    continue;
                case FieldType.Money or FieldType.Quantity:
                    var money = spec.Type == FieldType.Money;
                    if (!FieldParsers.TryParseDecimal(value, FieldParsers.DecimalsKept(spec.Type), out var amount, out error))
                    {
                        reason = money ? RejectReason.BadMoney : RejectReason.BadNumber;
                        break;
                    }

                    if (spec.NonNegative && amount < 0)
                    {
                        error = "is negative; expected 0 or more";
                        reason = RejectReason.NegativeValue;
                        break;
                    }

                    appender.Append(amount);
                    continue;
                case FieldType.WholeNumber:
                    if (!FieldParsers.TryParseLong(value, out var number, out error))
                    {
                        reason = RejectReason.BadNumber;
                        break;
                    }

                    if (spec.NonNegative && number < 0)
                    {
                        error = "is negative; expected 0 or more";
                        reason = RejectReason.NegativeValue;
                        break;
                    }

                    appender.Append(number);
                    continue;
                case FieldType.Enum:
                    var known = Match(_enumValues[f], value);
                    if (known is null)
                    {
                        error = $"is not one of: {string.Join(", ", spec.Values)}";
                        reason = RejectReason.BadEnum;
                        break;
                    }

                    appender.AppendValidUtf8(known);
                    continue;
                case FieldType.Boolean:
                    if (!FieldParsers.TryParseBoolean(value, out var flag, out error))
                    {
                        reason = RejectReason.BadEnum;
                        break;
                    }

                    appender.Append(flag);
                    continue;
                case FieldType.Month:
                    if (!FieldParsers.TryParseMonth(value, out error))
                    {
                        reason = RejectReason.BadDate;
                        break;
                    }

                    appender.AppendValidUtf8(value);
                    continue;
                case FieldType.Currency:
                    if (!FieldParsers.TryParseCurrency(value, out var code, out error))
                    {
                        reason = RejectReason.BadMoney;
                        break;
                    }

                    appender.Append(code);
                    continue;
                case FieldType.TimeZone:
                    if (!KnownZone(value))
                    {
                        error = "is not a known IANA time zone; expected e.g. Europe/London or America/New_York";
                        reason = RejectReason.BadEnum;
                        break;
                    }

                    appender.AppendValidUtf8(value);
                    continue;
                case FieldType.Color:
                    if (!FieldParsers.IsColor(value))
                    {
                        error = "is not a colour; expected #RRGGBB, e.g. #0A7F3C";
                        reason = RejectReason.Other;
                        break;
                    }

                    appender.AppendValidUtf8(value);
                    continue;
                default:
                    throw new InvalidOperationException($"Field type {spec.Type} has no parser.");
            }

            reject = Reject(record, column, spec, reason, Quote(value) + " " + error);
            appender.DiscardRow();
            return false;
        }

        if (_startMonth)
        {
            appender.Append((int)start.Offset.TotalMinutes);

            // The billing month of a usage record (and a PBX call's month): the month of its start in the offset it was recorded with.
            appender.AppendValidUtf8(Month(start.Year, start.Month));
        }
        else if (_layout.PartitionBy.Contains("month"))
        {
            // formats.md: the billing month of an invoice line is the month of period_start.
            appender.AppendValidUtf8(Month(periodStart.Year, periodStart.Month));
        }

        appender.Append(record.LineNumber).EndRow();
        reject = default;
        return true;
    }

    private readonly Dictionary<string, bool> _zones = new(StringComparer.Ordinal);

    /// <summary>Whether the tz database knows the zone (looked up once per distinct name).</summary>
    private bool KnownZone(ReadOnlySpan<byte> value)
    {
        var name = Encoding.UTF8.GetString(value);
        if (!_zones.TryGetValue(name, out var known))
        {
            known = name.Contains('/', StringComparison.Ordinal) || name == "UTC"
                ? TimeZoneInfo.TryFindSystemTimeZoneById(name, out _)
                : false;
            _zones[name] = known;
        }

        return known;
    }

    private byte[] Month(int year, int month)
    {
        var key = (year * 12) + month - 1;
        return _monthCache[key] ??= Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}"));
    }

    /// <summary>The layout field read from 1-based file column <paramref name="column"/>, or null (the whole row, or a column the layout ignores).</summary>
    private string? ColumnName(int column)
    {
        var index = Array.IndexOf(_columnOf, column - 1);
        return column > 0 && index >= 0 ? _fields[index].Name : null;
    }

    private bool CheckShape<TRecord>(TRecord record, out RowReject reject)
        where TRecord : struct, IFieldRecord
    {
        reject = RecordProblems.Reject(record.Problem, record.ProblemField, ColumnName(record.ProblemField)) ?? default;
        if (record.Problem != RecordProblem.None)
        {
            return false;
        }

        if (record.FieldCount != _headerCount)
        {
            var shortRow = record.FieldCount < _headerCount;
            reject = new RowReject(0, null, shortRow ? RejectReason.ShortRow : RejectReason.LongRow,
                string.Create(CultureInfo.InvariantCulture, $"{record.FieldCount} columns, expected {_headerCount}"));
            return false;
        }

        return true;
    }

    private bool RequiredByUsageType<TRecord>(TRecord record, int field)
        where TRecord : struct, IFieldRecord
    {
        if (_usageType < 0 || (field != _duration && field != _called && field != _dataMb))
        {
            return false;
        }

        var type = FieldParsers.Trim(record.Field(_columnOf[_usageType]));
        return field == _dataMb
            ? System.Text.Ascii.EqualsIgnoreCase(type, "data"u8)
            : System.Text.Ascii.EqualsIgnoreCase(type, "voice"u8) || (field == _called && System.Text.Ascii.EqualsIgnoreCase(type, "sms"u8));
    }

    private static byte[]? Match(byte[][] values, ReadOnlySpan<byte> value)
    {
        foreach (var v in values)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(value, v))
            {
                return v;
            }
        }

        return null;
    }

    private int Index(string name)
    {
        for (var i = 0; i < _layout.Fields.Count; i++)
        {
            if (_layout.Fields[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Layout {_layout.Kind} has no field {name}.");
    }

    private static RowReject Reject<TRecord>(TRecord record, int column, FieldSpec spec, RejectReason reason, string message)
        where TRecord : struct, IFieldRecord =>
        new(column < 0 ? 0 : record.SourceColumn(column), spec.Name, reason, message);

    private static string Quote(ReadOnlySpan<byte> value)
    {
        var text = Encoding.UTF8.GetString(value.Length > 80 ? value[..80] : value);
        return "'" + text + (value.Length > 80 ? "…'" : "'");
    }
}
