using System.Globalization;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;
using F = Tem.Ingest.Formats.PbxRecords.Field;

namespace Tem.Ingest.Formats;

/// <summary>
/// Asterisk's <c>cdr_csv</c> <c>Master.csv</c>, every version in use: 16 to 21 fields <c>accountcode, src, dst, dcontext,
/// clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags[, uniqueid][,
/// userfield][, peeraccount, linkedid, sequence]</c> (<see cref="AsteriskColumns.CsvByCount"/>), with or without a header
/// line of those names; times are the PBX's local <c>YYYY-MM-DD HH:MM:SS</c> without an offset. Recognised by that shape.
/// </summary>
public sealed class AsteriskFormat : IFormat
{
    /// <summary>Fewest fields of a cdr_csv record (up to amaflags).</summary>
    public const int MinFields = AsteriskColumns.CsvMin;

    /// <summary>Most fields of a cdr_csv record (with uniqueid, userfield and the newcdrcolumns peeraccount, linkedid, sequence).</summary>
    public const int MaxFields = AsteriskColumns.CsvMax;

    /// <summary>The format's name.</summary>
    public const string FormatName = "asterisk";

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public string Description => "Asterisk cdr_csv Master.csv (16 to 21 fields, header or not, local times in the PBX's zone)";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        var shape = AsteriskShape.Detect(head, options, (byte)',') ?? AsteriskShape.Detect(head, options, (byte)';');
        return shape?.Format == FormatName ? FormatMatch.Yes : FormatMatch.No;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new AsteriskReader(path, options, FormatName);

    /// <summary>The first record is a cdr_csv record (16 to 21 fields, local times where start and end belong).</summary>
    internal static bool LooksLikeAsterisk(FileHead head, byte separator) =>
        AsteriskShape.Detect(head, new IngestOptions(), separator) is not null;
}

/// <summary>
/// Asterisk's <c>cdr_custom</c> (<c>cdr-custom/Master.csv</c>): with its default mapping (19 fields, every one quoted,
/// <c>clid</c> first and <c>start</c> 9th; <see cref="AsteriskColumns.CustomDefault"/>) recognised by that shape, with a
/// header line of CDR variable names in another order, or with the mapping the PBX declares in <c>cdr_custom.conf</c>,
/// given as <c>"cdr_custom"</c> in the folder's <c>tem-pbx.json</c>. Its own format name, so that <c>source_format</c>
/// and <c>--kind asterisk-custom</c> say which Asterisk module wrote the file; read by the same reader as cdr_csv.
/// </summary>
public sealed class AsteriskCustomFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "asterisk-custom";

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public string Description => "Asterisk cdr_custom (default mapping, a header of CDR names, or the mapping given in tem-pbx.json)";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        return AsteriskShape.Detect(head, options, (byte)',')?.Format == FormatName ? FormatMatch.Yes : FormatMatch.No;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new AsteriskReader(path, options, FormatName);
}

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

/// <summary>Reads an Asterisk cdr_csv or cdr_custom file into pbx_calls (see <see cref="AsteriskFormat"/>, <see cref="AsteriskCustomFormat"/>).</summary>
internal sealed class AsteriskReader : IFormatReader, IReportsTextFallback
{
    /// <summary>How far the record's own arithmetic (end - start = duration) may be off and still pick a DST candidate.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Variables Tem computes on: one that is not UTF-8 rejects its row (<c>bad_encoding</c>); every other column is free
    /// text (caller id, last data, user field...), decoded with the fallback encoding when it is not UTF-8.
    /// </summary>
    private static readonly HashSet<string> ComputedOn =
        ["src", "dst", "start", "answer", "end", "duration", "billsec", "disposition", "uniqueid", "linkedid", "sequence"];

    private readonly CsvRecordReader _csv;
    private readonly string _pbx;
    private readonly TimeZoneInfo? _zone;
    private readonly AsteriskShape _shape;
    private readonly string?[] _values = new string?[PbxRecords.FieldCount];
    private AsteriskColumn[] _columns = [];
    private Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private bool _started;

    public AsteriskReader(string path, IngestOptions options, string format)
    {
        Format = format;
        var settings = PbxSettings.For(path, options);
        _pbx = settings.Name ?? "asterisk";
        TextFallback = new TextFallback(TextFallback.Resolve(settings.TextEncoding));
        var head = FileHead.Read(path);
        var detected = AsteriskShape.Detect(head, options, (byte)',');
        _shape = detected is not null && detected.Format == format ? detected : Forced(format, settings);
        if (format == AsteriskCustomFormat.FormatName && _shape.MappingProblem is null && !_shape.Header && settings.CdrCustom is { } declared)
        {
            // A declared mapping that cannot be read fails the file, even when the default shape would fit: the PBX said otherwise.
            try
            {
                _ = AsteriskColumns.ParseMapping(declared);
            }
            catch (FormatException e)
            {
                _shape = _shape with { MappingProblem = e.Message };
            }
        }

        var needsZone = _shape.Columns is null ||
                        _shape.Columns.Any(c => c.Name is "start" or "answer" or "end" && !c.Epoch);
        if (settings.Problem is { } bad)
        {
            Problem = new FileProblem(0, 0, $"{bad} (it sits next to the file and holds the PBX's settings)");
        }
        else if (_shape.MappingProblem is { } mapping)
        {
            Problem = new FileProblem(0, 0, $"{PbxSettings.FileName}: \"cdr_custom\": {mapping}");
        }
        else if (settings.TimeZone is null && needsZone)
        {
            Problem = new FileProblem(0, 0,
                "an Asterisk Master.csv holds local times without a UTC offset, and no time zone is set for this PBX; " +
                $"give the PBX's IANA zone with --pbx-time-zone (e.g. --pbx-time-zone Europe/London) or \"time_zone\" in {PbxSettings.FileName} next to the file");
        }
        else if (settings.TimeZone is not null &&
                 (!TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone, out _zone) ||
                  (!settings.TimeZone.Contains('/', StringComparison.Ordinal) && settings.TimeZone != "UTC")))
        {
            _zone = null;
            Problem = new FileProblem(0, 0,
                $"the PBX time zone '{settings.TimeZone}' is not an IANA zone the tz database knows; expected e.g. Europe/London or America/New_York");
        }

        _csv = new CsvRecordReader(FormatInput.Open(path, options)) { TextFallback = TextFallback };
        if (_shape.Columns is { } fixedColumns)
        {
            Use(fixedColumns);
        }

        if (Problem is null && format == AsteriskFormat.FormatName && SemicolonSeparated(head))
        {
            Problem = new FileProblem(1, 0,
                "the fields are separated by ';', but Asterisk's cdr_csv writes ',' (the file was re-saved by a spreadsheet?); " +
                "ingest the Master.csv the PBX wrote, or convert it back to comma-separated");
        }
    }

    public Layout Layout => CanonicalLayouts.PbxCalls;

    public string Format { get; }

    public TranslatedRecord Record { get; } = new();

    public FileProblem? Problem { get; }

    /// <inheritdoc/>
    public TextFallback TextFallback { get; }

    public bool Read(out RowReject? reject)
    {
        reject = null;
        if (!_csv.Read())
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            if (_shape.Header && !_csv.Read())
            {
                return false;
            }
        }

        Record.Clear();
        Record.Line = _csv.LineNumber;
        Record.Raw = _csv.RawText();
        reject = Problem is { } problem ? new RowReject(0, null, problem.Reason, problem.Message) : Translate();
        return true;
    }

    public void Dispose() => _csv.Dispose();

    /// <summary>A local <c>YYYY-MM-DD HH:MM:SS</c> (a <c>T</c> is tolerated) that exists on the calendar.</summary>
    internal static bool TryParseLocal(string text, out DateTime local) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    /// <summary>Unix epoch seconds, whole or with a fraction (<c>${CDR(start,u)}</c> writes <c>1781097725.123456</c>).</summary>
    internal static bool TryParseEpoch(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799m)
        {
            return false;
        }

        instant = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>The shape of a file forced with --kind that does not look like one: cdr_csv by count, or cdr_custom's declared or default mapping.</summary>
    private static AsteriskShape Forced(string format, PbxSettings settings)
    {
        if (format == AsteriskFormat.FormatName)
        {
            return new AsteriskShape(format, null, Header: false);
        }

        if (settings.CdrCustom is { } declared)
        {
            try
            {
                return new AsteriskShape(format, AsteriskColumns.ParseMapping(declared), Header: false);
            }
            catch (FormatException e)
            {
                return new AsteriskShape(format, AsteriskColumns.Plain(AsteriskColumns.CustomDefault), Header: false, e.Message);
            }
        }

        return new AsteriskShape(format, AsteriskColumns.Plain(AsteriskColumns.CustomDefault), Header: false);
    }

    private static bool SemicolonSeparated(FileHead head) =>
        !AsteriskFormat.LooksLikeAsterisk(head, (byte)',') && AsteriskFormat.LooksLikeAsterisk(head, (byte)';');

    private void Use(AsteriskColumn[] columns)
    {
        _columns = columns;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Name is { } name)
            {
                _index.TryAdd(name, i + 1);
            }
        }

        Record.SourceColumn =
        [
            0, 0, Col("uniqueid"), Col("linkedid") is > 0 and var l ? l : Col("uniqueid"), Col("start"), Col("answer"), Col("end"),
            Col("duration"), Col("billsec"), Col("src"), Col("dst"), 0, Col("disposition"), 0, Col("channel"), Col("dstchannel"),
            Col("dcontext"), Col("accountcode"), 0, 0,
        ];
    }

    /// <summary>The 1-based column of a variable, 0 when the file does not hold it.</summary>
    private int Col(string name) => _index.TryGetValue(name, out var column) ? column : 0;

    private string Describe() => _shape.Columns is null
        ? "16 to 21 (accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, " +
          "disposition, amaflags[, uniqueid][, userfield][, peeraccount, linkedid, sequence])"
        : string.Create(CultureInfo.InvariantCulture,
            $"{_columns.Length} ({(_shape.Header ? "as in the header" : "as the cdr_custom mapping declares")}: {string.Join(", ", _columns.Select(c => c.Name ?? "-"))})");

    private RowReject? Translate()
    {
        if (PbxRecords.StructureReject(_csv) is { } structure)
        {
            return structure;
        }

        var count = _csv.FieldCount;
        if (_shape.Columns is null)
        {
            if (AsteriskColumns.CsvByCount(count) is { } byCount)
            {
                if (byCount.Length != _columns.Length)
                {
                    Use(AsteriskColumns.Plain(byCount));
                }
            }
            else
            {
                var hint = count == 1 && _csv.RawRecord.Contains((byte)';') ? "; the fields look separated by ';' instead of ','" : string.Empty;
                return new RowReject(0, null, count < AsteriskColumns.CsvMin ? RejectReason.ShortRow : RejectReason.LongRow,
                    string.Create(CultureInfo.InvariantCulture, $"{count} fields, expected {Describe()}{hint}"));
            }
        }
        else if (count != _columns.Length)
        {
            return new RowReject(0, null, count < _columns.Length ? RejectReason.ShortRow : RejectReason.LongRow,
                string.Create(CultureInfo.InvariantCulture, $"{count} fields, expected {Describe()}"));
        }

        if (_csv.HasInvalidUtf8)
        {
            for (var i = 0; i < count; i++)
            {
                if (_columns[i].Name is { } name && ComputedOn.Contains(name) && PbxRecords.EncodingReject(_csv, i, name) is { } encoding)
                {
                    return encoding;
                }

                // Free text: decoded (and counted) even when Tem does not store it, so the file's note tells every such field.
                _ = _csv.Text(i);
            }
        }

        string Field(string name) => Col(name) is > 0 and var column ? PbxRecords.Text(_csv, column - 1) : string.Empty;

        // Times and counts first: DST needs all of them together.
        if (!Time("start", required: true, out var start, out var reject) ||
            !Time("answer", required: false, out var answer, out reject) ||
            !Time("end", required: true, out var end, out reject) ||
            !Seconds("duration", out var duration, out reject) ||
            !Seconds("billsec", out var billsec, out reject))
        {
            return reject;
        }

        var dispositionText = Field("disposition");
        CallDisposition? disposition = dispositionText.ToUpperInvariant() switch
        {
            // Names as cdr_csv and cdr_custom write them; numbers as disposition(int64) does (enum ast_cdr_disposition).
            "ANSWERED" or "8" => CallDisposition.Answered,
            "NO ANSWER" or "0" => CallDisposition.NoAnswer,
            "BUSY" or "4" => CallDisposition.Busy,
            "FAILED" or "2" => CallDisposition.Failed,
            "CONGESTION" or "16" => CallDisposition.Congestion,
            _ => null,
        };
        if (disposition is null)
        {
            return new RowReject(Col("disposition"), "disposition", dispositionText.Length == 0 ? RejectReason.Required : RejectReason.BadEnum,
                $"{PbxRecords.Quote(dispositionText)} is not an Asterisk disposition; expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION");
        }

        if (Resolve(start!.Value, answer, end!.Value, duration, billsec) is not { } instants)
        {
            return DstReject(start.Value, answer, end.Value);
        }

        // A leg's record: its uniqueid, with its CDR sequence when the file has one (Asterisk 12+ can write several CDRs for
        // one channel, e.g. around a transfer, that share the uniqueid). Legs of one call share its linkedid.
        var uniqueId = Field("uniqueid");
        var sequence = Field("sequence");
        if (sequence.Length > 0 && !long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return new RowReject(Col("sequence"), "sequence", RejectReason.BadNumber,
                $"{PbxRecords.Quote(sequence)} is not a CDR sequence number; expected a whole number as Asterisk writes it (a file with " +
                "peeraccount, linkedid and sequence ends with it)");
        }

        var linkedId = Field("linkedid");
        Array.Clear(_values);
        _values[(int)F.Pbx] = _pbx;
        _values[(int)F.SourceFormat] = Format;
        _values[(int)F.RecordId] = uniqueId.Length > 0 && sequence.Length > 0 ? $"{uniqueId}#{sequence}" : uniqueId;
        _values[(int)F.CallId] = linkedId.Length > 0 ? linkedId : uniqueId;
        _values[(int)F.StartTime] = PbxRecords.Iso(instants.Start);
        _values[(int)F.AnswerTime] = instants.Answer is { } a ? PbxRecords.Iso(a) : null;
        _values[(int)F.EndTime] = PbxRecords.Iso(instants.End);
        _values[(int)F.DurationS] = duration.ToString(CultureInfo.InvariantCulture);
        _values[(int)F.BillsecS] = billsec.ToString(CultureInfo.InvariantCulture);
        _values[(int)F.CallingNumber] = Field("src");
        _values[(int)F.CalledNumber] = Field("dst");
        _values[(int)F.Disposition] = WireNames.ToWire(disposition.Value);
        _values[(int)F.Channel] = Field("channel");
        _values[(int)F.DstChannel] = Field("dstchannel");
        _values[(int)F.Context] = Field("dcontext");
        _values[(int)F.AccountCode] = Field("accountcode");
        PbxRecords.Fill(Record, _values);
        return null;
    }

    /// <summary>A time of the record: a local time (resolved against the zone later) or an instant (epoch seconds).</summary>
    private readonly record struct When(DateTime Local, DateTimeOffset? Instant);

    private bool Time(string name, bool required, out When? when, out RowReject? reject)
    {
        when = null;
        reject = null;
        var column = Col(name);
        var text = column > 0 ? PbxRecords.Text(_csv, column - 1) : string.Empty;
        if (column == 0 && required)
        {
            reject = new RowReject(0, name, RejectReason.MissingColumn, "is not among the file's columns; Tem needs it for every call");
            return false;
        }

        var epoch = column > 0 && _columns[column - 1].Epoch;
        if (text.Length == 0 || (epoch && !required && text.Trim('0', '.').Length == 0))
        {
            // An empty answer (or epoch 0 from ${CDR(answer,u)}) is an unanswered call.
            if (required)
            {
                reject = new RowReject(column, name, RejectReason.Required, "is empty; Asterisk always writes it");
                return false;
            }

            return true;
        }

        if (epoch)
        {
            if (!TryParseEpoch(text, out var instant))
            {
                reject = new RowReject(column, name, RejectReason.BadTimestamp,
                    $"{PbxRecords.Quote(text)} is not epoch seconds; the cdr_custom mapping declares this time as ${{CDR({name},u)}}, e.g. 1781097725.123456");
                return false;
            }

            when = new When(default, _zone is null ? instant : TimeZoneInfo.ConvertTime(instant, _zone));
            return true;
        }

        if (!TryParseLocal(text, out var value))
        {
            reject = new RowReject(column, name, RejectReason.BadTimestamp,
                $"{PbxRecords.Quote(text)} is not a local time; expected YYYY-MM-DD HH:MM:SS as Asterisk writes it, e.g. 2026-10-03 14:22:05");
            return false;
        }

        if (_zone!.IsInvalidTime(value))
        {
            reject = new RowReject(column, name, RejectReason.NonexistentTime,
                $"{PbxRecords.Quote(text)} never happened in {_zone.Id}: the clocks skipped that hour (daylight saving began); " +
                "a PBX cannot have written it, so its clock or the zone given for it (--pbx-time-zone) is wrong");
            return false;
        }

        when = new When(value, null);
        return true;
    }

    /// <summary>Whole seconds; a fraction (<c>${CDR(billsec,f)}</c>) is rounded to the nearest second, halves up.</summary>
    private bool Seconds(string name, out long seconds, out RowReject? reject)
    {
        reject = null;
        seconds = 0;
        var column = Col(name);
        if (column == 0)
        {
            reject = new RowReject(0, name, RejectReason.MissingColumn, "is not among the file's columns; Tem needs it for every call");
            return false;
        }

        var text = PbxRecords.Text(_csv, column - 1);
        if (text.Contains('.', StringComparison.Ordinal) &&
            decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fraction))
        {
            seconds = (long)Math.Round(fraction, MidpointRounding.AwayFromZero);
            return true;
        }

        if (!FieldParsers.TryParseLong(System.Text.Encoding.UTF8.GetBytes(text), out seconds, out var error))
        {
            reject = new RowReject(column, name, text.Length == 0 ? RejectReason.Required : RejectReason.BadNumber,
                text.Length == 0 ? "is empty; expected whole seconds" : $"{PbxRecords.Quote(text)} {error}");
            return false;
        }

        if (seconds < 0)
        {
            reject = new RowReject(column, name, RejectReason.NegativeValue, $"{PbxRecords.Quote(text)} is negative; expected 0 or more seconds");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The instants of a record's times. A local time in the hour repeated when clocks go back has two candidates;
    /// the record's own arithmetic decides (end - start = duration, end - answer = billsec, start &lt;= answer &lt;= end,
    /// within a few seconds). Null when it cannot: more than one combination, or none, fits.
    /// </summary>
    private (DateTimeOffset Start, DateTimeOffset? Answer, DateTimeOffset End)? Resolve(
        When start, When? answer, When end, long duration, long billsec)
    {
        var starts = Candidates(start);
        var ends = Candidates(end);
        DateTimeOffset?[] answers = answer is { } a ? [.. Candidates(a).Select(x => (DateTimeOffset?)x)] : [null];
        if (starts.Length == 1 && ends.Length == 1 && answers.Length == 1)
        {
            return (starts[0], answers[0], ends[0]);
        }

        (DateTimeOffset, DateTimeOffset?, DateTimeOffset)? found = null;
        foreach (var s in starts)
        {
            foreach (var e in ends)
            {
                if (e < s || ((e - s) - TimeSpan.FromSeconds(duration)).Duration() > Tolerance)
                {
                    continue;
                }

                foreach (var an in answers)
                {
                    if (an is { } x && (x < s || x > e || ((e - x) - TimeSpan.FromSeconds(billsec)).Duration() > Tolerance))
                    {
                        continue;
                    }

                    if (found is not null)
                    {
                        return null;
                    }

                    found = (s, an, e);
                }
            }
        }

        return found;
    }

    private DateTimeOffset[] Candidates(When when)
    {
        if (when.Instant is { } instant)
        {
            return [instant];
        }

        var local = when.Local;
        if (!_zone!.IsAmbiguousTime(local))
        {
            return [new DateTimeOffset(local, _zone.GetUtcOffset(local))];
        }

        // Earlier instant first: the larger offset (before the clocks went back).
        return [.. _zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).Select(o => new DateTimeOffset(local, o))];
    }

    private RowReject DstReject(When start, When? answer, When end)
    {
        bool Ambiguous(When w) => w.Instant is null && _zone!.IsAmbiguousTime(w.Local);
        var (name, value) = Ambiguous(start) ? ("start", start.Local) : Ambiguous(end) ? ("end", end.Local) : ("answer", answer!.Value.Local);
        var text = value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return new RowReject(Col(name), name, RejectReason.AmbiguousTime,
            $"'{text}' happened twice in {_zone!.Id} (the clocks went back that night) and the record's other times, duration and billsec " +
            "do not tell which one it was; the call's instant is unknown");
    }
}
