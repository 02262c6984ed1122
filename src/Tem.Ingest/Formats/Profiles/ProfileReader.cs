using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>
/// Reads a carrier's CSV through a <see cref="CarrierProfile"/>: each data row is translated into the profile's
/// canonical layout, or rejected at the source column that could not be translated. Rows the profile skips (leading
/// lines, trailing rows, rows matching a skip rule, rows with every field empty) are neither read nor rejected: they
/// are counted in <see cref="RowsSkipped"/>, so that <c>read = stored + rejected</c> still holds for the data rows.
/// </summary>
public sealed class ProfileReader : IFormatReader, ISkipsRows, IReportsTextFallback
{
    private readonly CarrierProfile _profile;
    private readonly Stream _stream;
    private readonly TranslatedRecord _record = new();
    private readonly Queue<Row> _lookahead = new();
    private CsvRecordReader? _csv;
    private string[] _header = [];
    private Plan _plan = new([], [], [], []);
    private Plan[] _routePlans = [];
    private int[][] _conditionColumns = [];
    private int[] _rejectColumns = [];
    private int[] _skipColumns = [];
    private bool _started;
    private bool _ended;

    /// <summary>Reads <paramref name="stream"/> (disposed by the reader) through <paramref name="profile"/>.</summary>
    /// <param name="stream">The file's bytes.</param>
    /// <param name="profile">The carrier profile that reads them.</param>
    /// <param name="textFallback">How free-text fields that are not UTF-8 are decoded (null: windows-1252); unused when the profile declares the file's encoding.</param>
    public ProfileReader(Stream stream, CarrierProfile profile, TextFallback? textFallback = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        TextFallback = textFallback ?? new TextFallback();
        _stream = profile.Encoding is null ? stream : Encoding.CreateTranscodingStream(stream, profile.Encoding, Encoding.UTF8);
    }

    /// <summary>The profile the file is read through.</summary>
    public CarrierProfile Profile => _profile;

    /// <inheritdoc />
    public Layout Layout => _profile.Layout;

    /// <inheritdoc />
    public string Format => ProfileFormat.FormatName;

    /// <inheritdoc />
    public TranslatedRecord Record => _record;

    /// <inheritdoc />
    public FileProblem? Problem { get; private set; }

    /// <inheritdoc />
    public long RowsSkipped { get; private set; }

    /// <inheritdoc />
    public TextFallback TextFallback { get; }

    /// <inheritdoc />
    public bool Read(out RowReject? reject)
    {
        reject = null;
        if (!_started)
        {
            _started = true;
            Start();
        }

        if (Problem is not null)
        {
            return false;
        }

        while (Next(out var row))
        {
            if (Skipped(row))
            {
                RowsSkipped++;
                continue;
            }

            reject = Translate(row);
            return true;
        }

        return false;
    }

    private void Start()
    {
        var leading = _profile.LeadingLines;
        if (leading == 0)
        {
            _csv = new CsvRecordReader(_stream, _profile.Separator);
        }
        else
        {
            var buffered = new BufferedStream(_stream, 1 << 16);
            SkipLines(buffered, leading);
            _csv = new CsvRecordReader(buffered, firstLine: leading + 1, length: long.MaxValue, separator: _profile.Separator);
        }

        _csv.TextFallback = TextFallback;

        if (!_csv.Read())
        {
            Problem = new FileProblem(0, 0, $"the file has no header row{(leading > 0 ? $" after the {leading} leading lines profile '{_profile.Name}' skips" : string.Empty)}; expected a CSV header");
            return;
        }

        if (_csv.Problem != RecordProblem.None)
        {
            Problem = new FileProblem(_csv.LineNumber, 0, $"the header row cannot be read ({RecordProblems.Describe(_csv.Problem)}); expected a CSV header in the profile's encoding");
            return;
        }

        var headerLine = _csv.LineNumber;
        _header = [.. Enumerable.Range(0, _csv.FieldCount).Select(i => Encoding.UTF8.GetString(FieldParsers.Trim(_csv.Field(i))))];
        _plan = PlanFor(_profile.Fields, headerLine);
        var routes = _profile.Routes;
        _routePlans = [.. routes.Select(r => PlanFor(r.Fields, headerLine))];
        _conditionColumns = [.. routes.Select(r => r.When.Select(c => Column(c.Column, headerLine, "a route condition")).ToArray())];
        _rejectColumns = new int[routes.Count];
        for (var r = 0; r < routes.Count; r++)
        {
            // A reject names its own column, else the route's first condition column, else (otherwise) the first route's.
            _rejectColumns[r] = routes[r].RejectColumn is { } named ? Column(named, headerLine, "a route's reject")
                : _conditionColumns[r].Length > 0 ? _conditionColumns[r][0]
                : _conditionColumns[0].Length > 0 ? _conditionColumns[0][0] : -1;
        }

        _skipColumns = [.. _profile.SkipRows.Select(s => Column(s.Column, headerLine, "a skip rule"))];
    }

    private Plan PlanFor(IReadOnlyList<FieldRule?> fields, long headerLine)
    {
        var plan = new Plan(fields, new int[fields.Count][], new int[fields.Count], new int[fields.Count]);
        for (var f = 0; f < fields.Count; f++)
        {
            plan.Negate[f] = -1;
            if (fields[f] is not { } rule)
            {
                plan.Sources[f] = [];
                continue;
            }

            plan.Sources[f] = [.. rule.Columns.Select(c => Column(c, headerLine, rule.Field.Name))];
            plan.SourceColumn[f] = plan.Sources[f].Length > 0 ? plan.Sources[f][0] + 1 : 0;
            if (rule.NegateColumn is { } negate)
            {
                plan.Negate[f] = Column(negate, headerLine, rule.Field.Name);
            }
        }

        return plan;
    }

    private int Column(string name, long headerLine, string purpose)
    {
        var matches = _header.Select((h, i) => (h, i)).Where(x => string.Equals(x.h, name, StringComparison.OrdinalIgnoreCase)).Select(x => x.i).ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        Problem ??= matches.Count == 0
            ? new FileProblem(headerLine, 0,
                $"the header has no column '{name}', which profile '{_profile.Name}' ({Path.GetFileName(_profile.Source)}) reads for {purpose}; " +
                $"expected a header with {string.Join(", ", _profile.DetectHeaders.Select(h => $"'{h}'"))} (hint: is this file in that carrier's layout?)")
            { Reason = RejectReason.MissingColumn }
            : new FileProblem(headerLine, matches[1] + 1,
                $"the header names '{name}' twice (columns {matches[0] + 1} and {matches[1] + 1}), so profile '{_profile.Name}' cannot tell which to read; expected it once")
            { Reason = RejectReason.DuplicateHeader };
        return 0;
    }

    /// <summary>The next data row, holding back the profile's trailing rows until the end shows which they are.</summary>
    private bool Next(out Row row)
    {
        while (!_ended && _lookahead.Count <= _profile.TrailingRows)
        {
            if (!_csv!.Read())
            {
                _ended = true;
                break;
            }

            _lookahead.Enqueue(Row.Copy(_csv));
        }

        if (_ended && _lookahead.Count <= _profile.TrailingRows)
        {
            RowsSkipped += _lookahead.Count;
            _lookahead.Clear();
            row = default;
            return false;
        }

        row = _lookahead.Dequeue();
        return true;
    }

    private bool Skipped(Row row)
    {
        if (row.Problem == RecordProblem.None && row.Fields.All(f => f.Trim().Length == 0))
        {
            return true;
        }

        for (var i = 0; i < _skipColumns.Length; i++)
        {
            var column = _skipColumns[i];
            var value = column < row.Fields.Length ? row.Fields[column] : string.Empty;
            if (_profile.SkipRows[i].Pattern.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

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

    /// <summary>
    /// The first route whose conditions the row passes, or -1. A pattern that runs past its timeout on a value cannot
    /// say which route the row takes: the row is rejected (<paramref name="timeout"/>) rather than sent to a later route.
    /// </summary>
    private int Route(Row row, out RowReject? timeout)
    {
        timeout = null;
        var routes = _profile.Routes;
        for (var r = 0; r < routes.Count; r++)
        {
            var when = routes[r].When;
            var passes = true;
            for (var c = 0; c < when.Count && passes; c++)
            {
                var column = _conditionColumns[r][c];
                try
                {
                    passes = Passes(when[c], row.Fields[column].Trim());
                }
                catch (RegexMatchTimeoutException e)
                {
                    timeout = new RowReject(column + 1, _header[column], RejectReason.Other,
                        $"'{Cut(e.Input)}' took longer than {e.MatchTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s to test against the " +
                        $"pattern of route {routes[r].Path} ({when[c]}); expected a pattern that settles quickly (hint: simplify it)");
                    return -1;
                }
            }

            if (passes)
            {
                return r;
            }
        }

        return -1;
    }

    private bool Passes(RouteCondition condition, string value) =>
        condition.OneOf is { } values ? values.Contains(value, StringComparer.OrdinalIgnoreCase)
        : condition.Pattern is { } pattern ? pattern.IsMatch(value)
        : ProfileValues.TryParseNumber(value, _profile.NumberRule, out var number, out _) && number == condition.Number;

    private RowReject Unrouted(Row row)
    {
        var routes = _profile.Routes;
        var first = _conditionColumns[0][0];
        var others = _conditionColumns.SelectMany(c => c).Distinct().Where(c => c != first)
            .Select(c => $"{_header[c]} '{Cut(row.Fields[c].Trim())}'").ToList();
        return new RowReject(first + 1, _header[first], RejectReason.BadEnum,
            $"'{Cut(row.Fields[first].Trim())}'{(others.Count > 0 ? $" (with {string.Join(", ", others)})" : string.Empty)} matches none of the routes " +
            $"of profile '{_profile.Name}'; expected {string.Join(" or ", routes.Select(r => r.When.Count > 1 ? $"({string.Join(" and ", r.When)})" : string.Join(" and ", r.When)))} " +
            "(hint: add a route for it, or an \"otherwise\" route)");
    }

    private RowReject RouteReject(Row row, int route)
    {
        var r = _profile.Routes[route];
        var column = _rejectColumns[route];
        var condition = r.Otherwise ? "otherwise" : string.Join(" and ", r.When);
        return column < 0
            ? new RowReject(0, null, RejectReason.Other, $"rejected by the profile's route {r.Path} ({condition}): {r.Reject}")
            : new RowReject(column + 1, _header[column], RejectReason.Other,
                $"'{Cut(row.Fields[column].Trim())}' is rejected by the profile's route {r.Path} ({condition}): {r.Reject}");
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

    private static void SkipLines(Stream stream, int lines)
    {
        var first = true;
        for (var skipped = 0; skipped < lines;)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                return;
            }

            if (first && b == 0xEF)
            {
                // A UTF-8 BOM: its other two bytes are never a line feed.
                stream.ReadByte();
                stream.ReadByte();
            }

            first = false;
            if (b == '\n')
            {
                skipped++;
            }
        }
    }

    private static string Cut(string value) => value.Length > 80 ? value[..80] + "…" : value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_csv is null)
        {
            _stream.Dispose();
        }
        else
        {
            _csv.Dispose();
        }
    }

    /// <summary>The field rules a row is translated with, and the source columns each reads (0-based; -1: none).</summary>
    private sealed record Plan(IReadOnlyList<FieldRule?> Fields, int[][] Sources, int[] Negate, int[] SourceColumn);

    /// <summary>A source row copied out of the CSV reader (the profile looks ahead for trailing rows).</summary>
    private readonly record struct Row(long Line, string[] Fields, string Raw, RecordProblem Problem, int ProblemField)
    {
        public static Row Copy(CsvRecordReader csv)
        {
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                // Not UTF-8 (and no "encoding" in the profile): read with the fallback, reported once per file.
                fields[i] = csv.Text(i);
            }

            return new Row(csv.LineNumber, fields, csv.RawText(), csv.Problem, csv.ProblemField);
        }
    }
}
