using System.Text;
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
public sealed partial class ProfileReader : IFormatReader, ISkipsRows, IReportsTextFallback
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
