using System.Globalization;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;
using F = Tem.Ingest.Formats.PbxRecords.Field;

namespace Tem.Ingest.Formats;

/// <summary>
/// Asterisk's <c>cdr_csv</c> <c>Master.csv</c>: no header; 16 to 18 fields <c>accountcode, src, dst, dcontext, clid,
/// channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags[, uniqueid,
/// userfield]</c>; times are the PBX's local <c>YYYY-MM-DD HH:MM:SS</c> without an offset. Recognised by that shape.
/// </summary>
public sealed class AsteriskFormat : IFormat
{
    /// <summary>Fewest fields of a cdr_csv record (up to amaflags).</summary>
    public const int MinFields = 16;

    /// <summary>Most fields of a cdr_csv record (with uniqueid and userfield).</summary>
    public const int MaxFields = 18;

    /// <inheritdoc/>
    public string Name => "asterisk";

    /// <inheritdoc/>
    public string Description => "Asterisk cdr_csv Master.csv (headerless, 16 to 18 fields, local times in the PBX's zone)";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        return LooksLikeAsterisk(head, (byte)',') || LooksLikeAsterisk(head, (byte)';') ? FormatMatch.Yes : FormatMatch.No;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new AsteriskReader(path, options);

    /// <summary>The first record has 16 to 18 fields and local times where start and end belong.</summary>
    internal static bool LooksLikeAsterisk(FileHead head, byte separator)
    {
        using var csv = new CsvRecordReader(new MemoryStream(head.Bytes.ToArray()), separator, 64 * 1024);
        if (!csv.Read() || csv.Problem != RecordProblem.None || csv.FieldCount is < MinFields or > MaxFields)
        {
            return false;
        }

        return AsteriskReader.TryParseLocal(PbxRecords.Text(csv, 9), out _) && AsteriskReader.TryParseLocal(PbxRecords.Text(csv, 11), out _);
    }
}

/// <summary>Reads an Asterisk Master.csv into pbx_calls (see <see cref="AsteriskFormat"/>).</summary>
internal sealed class AsteriskReader : IFormatReader
{
    /// <summary>How far the record's own arithmetic (end - start = duration) may be off and still pick a DST candidate.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    // 1-based source columns of cdr_csv.
    private const int AccountCode = 1, Src = 2, Dst = 3, DContext = 4, Channel = 6, DstChannel = 7, Start = 10, Answer = 11, End = 12,
        Duration = 13, BillSec = 14, Disposition = 15, UniqueId = 17;

    private static readonly string[] ColumnNames =
    [
        "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata", "start", "answer", "end",
        "duration", "billsec", "disposition", "amaflags", "uniqueid", "userfield",
    ];

    private readonly CsvRecordReader _csv;
    private readonly string _file;
    private readonly string _pbx;
    private readonly TimeZoneInfo? _zone;
    private readonly string?[] _values = new string?[PbxRecords.FieldCount];

    public AsteriskReader(string path, IngestOptions options)
    {
        _file = Path.GetFileName(path);
        var settings = PbxSettings.For(path, options);
        _pbx = settings.Name ?? "asterisk";
        if (settings.Problem is { } bad)
        {
            Problem = new FileProblem(0, 0, $"{bad} (it sits next to the file and holds the PBX's settings)");
        }
        else if (settings.TimeZone is null)
        {
            Problem = new FileProblem(0, 0,
                "an Asterisk Master.csv holds local times without a UTC offset, and no time zone is set for this PBX; " +
                $"give the PBX's IANA zone with --pbx-time-zone (e.g. --pbx-time-zone Europe/London) or \"time_zone\" in {PbxSettings.FileName} next to the file");
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone, out _zone) ||
                 (!settings.TimeZone.Contains('/', StringComparison.Ordinal) && settings.TimeZone != "UTC"))
        {
            _zone = null;
            Problem = new FileProblem(0, 0,
                $"the PBX time zone '{settings.TimeZone}' is not an IANA zone the tz database knows; expected e.g. Europe/London or America/New_York");
        }

        _csv = new CsvRecordReader(FormatInput.Open(path, options));
        Record.SourceColumn =
        [
            0, 0, UniqueId, UniqueId, Start, Answer, End, Duration, BillSec, Src, Dst, 0, Disposition, 0, Channel, DstChannel, DContext,
            AccountCode, 0, 0,
        ];
        if (Problem is null && SemicolonSeparated(path))
        {
            Problem = new FileProblem(1, 0,
                "the fields are separated by ';', but Asterisk's cdr_csv writes ',' (the file was re-saved by a spreadsheet?); " +
                "ingest the Master.csv the PBX wrote, or convert it back to comma-separated");
        }
    }

    public Layout Layout => CanonicalLayouts.PbxCalls;

    public string Format => "asterisk";

    public TranslatedRecord Record { get; } = new();

    public FileProblem? Problem { get; }

    public bool Read(out RowReject? reject)
    {
        reject = null;
        if (!_csv.Read())
        {
            return false;
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

    private static bool SemicolonSeparated(string path)
    {
        var head = FileHead.Read(path);
        return !AsteriskFormat.LooksLikeAsterisk(head, (byte)',') && AsteriskFormat.LooksLikeAsterisk(head, (byte)';');
    }

    private RowReject? Translate()
    {
        if (PbxRecords.StructureReject(_csv) is { } structure)
        {
            return structure;
        }

        var count = _csv.FieldCount;
        if (count is < AsteriskFormat.MinFields or > AsteriskFormat.MaxFields)
        {
            var hint = count == 1 && _csv.RawRecord.Contains((byte)';') ? "; the fields look separated by ';' instead of ','" : string.Empty;
            return new RowReject(0, null, count < AsteriskFormat.MinFields ? RejectReason.ShortRow : RejectReason.LongRow,
                string.Create(CultureInfo.InvariantCulture,
                    $"{count} fields, expected 16 to 18 (accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags[, uniqueid, userfield]){hint}"));
        }

        string Field(int column) => column <= count ? PbxRecords.Text(_csv, column - 1) : string.Empty;

        // Times and counts first: DST needs all of them together.
        if (!Local(Field(Start), Start, required: true, out var start, out var reject) ||
            !Local(Field(Answer), Answer, required: false, out var answer, out reject) ||
            !Local(Field(End), End, required: true, out var end, out reject) ||
            !Seconds(Field(Duration), Duration, out var duration, out reject) ||
            !Seconds(Field(BillSec), BillSec, out var billsec, out reject))
        {
            return reject;
        }

        var dispositionText = Field(Disposition);
        CallDisposition? disposition = dispositionText.ToUpperInvariant() switch
        {
            "ANSWERED" => CallDisposition.Answered,
            "NO ANSWER" => CallDisposition.NoAnswer,
            "BUSY" => CallDisposition.Busy,
            "FAILED" => CallDisposition.Failed,
            "CONGESTION" => CallDisposition.Congestion,
            _ => null,
        };
        if (disposition is null)
        {
            return new RowReject(Disposition, "disposition", dispositionText.Length == 0 ? RejectReason.Required : RejectReason.BadEnum,
                $"{PbxRecords.Quote(dispositionText)} is not an Asterisk disposition; expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION");
        }

        if (Resolve(start!.Value, answer, end!.Value, duration, billsec) is not { } instants)
        {
            return DstReject(start.Value, answer, end.Value);
        }

        Array.Clear(_values);
        _values[(int)F.Pbx] = _pbx;
        _values[(int)F.SourceFormat] = Format;
        _values[(int)F.RecordId] = Field(UniqueId);
        _values[(int)F.CallId] = Field(UniqueId);
        _values[(int)F.StartTime] = PbxRecords.Iso(instants.Start);
        _values[(int)F.AnswerTime] = instants.Answer is { } a ? PbxRecords.Iso(a) : null;
        _values[(int)F.EndTime] = PbxRecords.Iso(instants.End);
        _values[(int)F.DurationS] = duration.ToString(CultureInfo.InvariantCulture);
        _values[(int)F.BillsecS] = billsec.ToString(CultureInfo.InvariantCulture);
        _values[(int)F.CallingNumber] = Field(Src);
        _values[(int)F.CalledNumber] = Field(Dst);
        _values[(int)F.Disposition] = WireNames.ToWire(disposition.Value);
        _values[(int)F.Channel] = Field(Channel);
        _values[(int)F.DstChannel] = Field(DstChannel);
        _values[(int)F.Context] = Field(DContext);
        _values[(int)F.AccountCode] = Field(AccountCode);
        PbxRecords.Fill(Record, _values);
        return null;
    }

    private bool Local(string text, int column, bool required, out DateTime? local, out RowReject? reject)
    {
        local = null;
        reject = null;
        if (text.Length == 0)
        {
            if (required)
            {
                reject = new RowReject(column, ColumnNames[column - 1], RejectReason.Required, "is empty; Asterisk always writes it");
                return false;
            }

            return true;
        }

        if (!TryParseLocal(text, out var value))
        {
            reject = new RowReject(column, ColumnNames[column - 1], RejectReason.BadTimestamp,
                $"{PbxRecords.Quote(text)} is not a local time; expected YYYY-MM-DD HH:MM:SS as Asterisk writes it, e.g. 2026-10-03 14:22:05");
            return false;
        }

        if (_zone!.IsInvalidTime(value))
        {
            reject = new RowReject(column, ColumnNames[column - 1], RejectReason.NonexistentTime,
                $"{PbxRecords.Quote(text)} never happened in {_zone.Id}: the clocks skipped that hour (daylight saving began); " +
                "a PBX cannot have written it, so its clock or the zone given for it (--pbx-time-zone) is wrong");
            return false;
        }

        local = value;
        return true;
    }

    private static bool Seconds(string text, int column, out long seconds, out RowReject? reject)
    {
        reject = null;
        if (!FieldParsers.TryParseLong(System.Text.Encoding.UTF8.GetBytes(text), out seconds, out var error))
        {
            reject = new RowReject(column, ColumnNames[column - 1], text.Length == 0 ? RejectReason.Required : RejectReason.BadNumber,
                text.Length == 0 ? "is empty; expected whole seconds" : $"{PbxRecords.Quote(text)} {error}");
            return false;
        }

        if (seconds < 0)
        {
            reject = new RowReject(column, ColumnNames[column - 1], RejectReason.NegativeValue, $"{PbxRecords.Quote(text)} is negative; expected 0 or more seconds");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The instants of a record's local times. A time in the hour repeated when clocks go back has two candidates;
    /// the record's own arithmetic decides (end - start = duration, end - answer = billsec, start &lt;= answer &lt;= end,
    /// within a few seconds). Null when it cannot: more than one combination, or none, fits.
    /// </summary>
    private (DateTimeOffset Start, DateTimeOffset? Answer, DateTimeOffset End)? Resolve(
        DateTime start, DateTime? answer, DateTime end, long duration, long billsec)
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

    private DateTimeOffset[] Candidates(DateTime local)
    {
        if (!_zone!.IsAmbiguousTime(local))
        {
            return [new DateTimeOffset(local, _zone.GetUtcOffset(local))];
        }

        // Earlier instant first: the larger offset (before the clocks went back).
        return [.. _zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).Select(o => new DateTimeOffset(local, o))];
    }

    private RowReject DstReject(DateTime start, DateTime? answer, DateTime end)
    {
        var (column, value) = _zone!.IsAmbiguousTime(start) ? (Start, start) : _zone.IsAmbiguousTime(end) ? (End, end) : (Answer, answer!.Value);
        var text = value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return new RowReject(column, ColumnNames[column - 1], RejectReason.AmbiguousTime,
            $"'{text}' happened twice in {_zone.Id} (the clocks went back that night) and the record's other times, duration and billsec " +
            "do not tell which one it was; the call's instant is unknown");
    }
}
