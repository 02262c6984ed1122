using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;
using Tem.Ingest.Csv;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Formats.Profiles;

// Translating one row: its shape, the route it takes, then each field by its rule (template, join, map, then the
// conversion of its type: numbers, durations, dates, timestamps); a value that cannot be converted rejects the row
// at its source column.
public sealed partial class ProfileReader
{
    private RowReject? Translate(Row row)
    {
        _record.Clear();
        _record.Line = row.Line;
        _record.Raw = row.Raw;
        _record.SourceColumn = _plan.SourceColumn;
        var fields = _profile.Fields;
        var shape = row.Problem switch
        {
            RecordProblem.UnterminatedQuote => new RowReject(row.ProblemField, null, RejectReason.UnterminatedQuote,
                "a quoted field is never closed; the rest of the file was read as this one row"),
            RecordProblem.BadQuote => new RowReject(row.ProblemField, null, RejectReason.BadQuote,
                "text follows a closing quote; a quoted field must end right before the separator or the line end"),
            RecordProblem.BadEncoding => new RowReject(row.ProblemField, null, RejectReason.BadEncoding,
                "is not valid UTF-8; set \"encoding\" in the profile (e.g. windows-1252) or save the file as UTF-8"),
            RecordProblem.TooLong => new RowReject(0, null, RejectReason.TooLong, $"the row is longer than {CsvRecordReader.MaxRecordBytes / (1024 * 1024)} MiB"),
            _ => row.Fields.Length == _header.Length
                ? (RowReject?)null
                : new RowReject(0, null, row.Fields.Length < _header.Length ? RejectReason.ShortRow : RejectReason.LongRow,
                    string.Create(CultureInfo.InvariantCulture, $"{row.Fields.Length} columns, expected {_header.Length} as in the header")),
        };
        if (shape is not null)
        {
            FillEmpty(fields.Count);
            return shape;
        }

        var plan = _plan;
        if (_routePlans.Length > 0)
        {
            var route = Route(row, out var timeout);
            if (timeout is not null)
            {
                FillEmpty(fields.Count);
                return timeout;
            }

            if (route < 0 || _profile.Routes[route].Reject is not null)
            {
                FillEmpty(fields.Count);
                return route < 0 ? Unrouted(row) : RouteReject(row, route);
            }

            plan = _routePlans[route];
            _record.SourceColumn = plan.SourceColumn;
            fields = plan.Fields;
        }

        for (var f = 0; f < fields.Count; f++)
        {
            if (fields[f] is not { } rule)
            {
                _record.Add((string?)null);
                continue;
            }

            if (rule.Constant is { } constant)
            {
                _record.Add(constant);
                continue;
            }

            var value = Value(row, plan.Sources[f], rule);
            if (value.Length == 0)
            {
                _record.Add(value);
                continue;
            }

            if (!Convert(row, plan.Negate[f], rule, value, out var converted, out var reason, out var error))
            {
                FillEmpty(fields.Count - f);
                return plan.Sources[f] is [var column, ..]
                    ? new RowReject(column + 1, _header[column], reason, $"({rule.Field.Name}) '{Cut(value)}' {error}")
                    : new RowReject(0, null, reason, $"({rule.Field.Name}) '{Cut(value)}' {error}");
            }

            _record.Add(converted);
        }

        return null;
    }

    private void FillEmpty(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _record.Add((string?)null);
        }
    }

    private static string Value(Row row, int[] sources, FieldRule rule)
    {
        string value;
        if (rule.Template is { } template)
        {
            value = sources.Length > 0 && sources.All(s => row.Fields[s].Trim().Length == 0)
                ? string.Empty
                : string.Concat(template.Select(p => p.Literal ?? (p.Line ? row.Line.ToString(CultureInfo.InvariantCulture) : row.Fields[sources[p.Column]].Trim())));
        }
        else if (sources.Length == 1)
        {
            value = row.Fields[sources[0]].Trim();
        }
        else
        {
            var parts = sources.Select(s => row.Fields[s].Trim()).Where(p => p.Length > 0).ToList();
            value = string.Join(rule.Join, parts);
        }

        return rule.Map is { } map && map.TryGetValue(value, out var mapped) ? mapped : value;
    }

    private static bool Convert(Row row, int negateColumn, FieldRule rule, string value, out string converted, out RejectReason reason, out string? error)
    {
        converted = value;
        reason = RejectReason.Other;
        error = null;
        switch (rule.Field.Type)
        {
            case FieldType.Money or FieldType.Quantity:
                reason = rule.Field.Type == FieldType.Money ? RejectReason.BadMoney : RejectReason.BadNumber;
                var negate = negateColumn >= 0 && rule.NegateValues.Contains(row.Fields[negateColumn].Trim(), StringComparer.OrdinalIgnoreCase);
                return ProfileValues.TryNumber(value, rule, negate, out converted, out error);
            case FieldType.WholeNumber:
                reason = RejectReason.BadNumber;
                if (rule.Duration != DurationFormat.None)
                {
                    return ProfileValues.TryDuration(value, rule, out converted, out error);
                }

                if (!ProfileValues.TryNumber(value, rule, negate: false, out converted, out error))
                {
                    return false;
                }

                if (converted.Contains('.', StringComparison.Ordinal))
                {
                    error = "is not a whole number of the field's unit; expected e.g. 125 (add \"round\": 0 to the field's rule to round it)";
                    return false;
                }

                return true;
            case FieldType.Date or FieldType.Month when rule.Formats.Count > 0:
                reason = RejectReason.BadDate;
                return ProfileValues.TryDate(value, rule, rule.Field.Type == FieldType.Month, out converted, out error);
            case FieldType.Timestamp when rule.Formats.Count > 0:
                return ProfileValues.TryTimestamp(value, rule, out converted, out reason, out error);
            default:
                return true;
        }
    }

    private static string Cut(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
