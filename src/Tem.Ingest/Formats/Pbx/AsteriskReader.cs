using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;
using F = Tem.Ingest.Formats.PbxRecords.Field;

namespace Tem.Ingest.Formats;

/// <summary>Reads an Asterisk cdr_csv or cdr_custom file into pbx_calls (see <see cref="AsteriskFormat"/>, <see cref="AsteriskCustomFormat"/>).</summary>
internal sealed partial class AsteriskReader : PbxCsvReader
{
    /// <summary>How far the record's own arithmetic (end - start = duration) may be off and still pick a DST candidate.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Variables Tem computes on: one that is not UTF-8 rejects its row (<c>bad_encoding</c>); every other column is free
    /// text (caller id, last data, user field...), decoded with the fallback encoding when it is not UTF-8.
    /// </summary>
    private static readonly HashSet<string> Computed =
        ["src", "dst", "start", "answer", "end", "duration", "billsec", "disposition", "uniqueid", "linkedid", "sequence"];

    private readonly string _pbx;
    private readonly TimeZoneInfo? _zone;
    private readonly AsteriskShape _shape;
    private AsteriskColumn[] _columns = [];
    private Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private bool _started;

    public AsteriskReader(string path, IngestOptions options, string format)
        : base(path, options, format)
    {
        var settings = Settings;
        _pbx = settings.Name ?? "asterisk";
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
        _zone = Zone(out var badZone);
        if (SettingsProblem is { } bad)
        {
            Problem = new FileProblem(0, 0, bad);
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
        else if (badZone is not null)
        {
            Problem = new FileProblem(0, 0, badZone);
        }

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

    /// <inheritdoc/>
    protected override bool Advance()
    {
        if (!Csv.Read())
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            if (_shape.Header && !Csv.Read())
            {
                return false;
            }
        }

        return true;
    }

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

    /// <inheritdoc/>
    protected override RowReject? CountReject(int count)
    {
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
                var hint = count == 1 && Csv.RawRecord.Contains((byte)';') ? "; the fields look separated by ';' instead of ','" : string.Empty;
                return new RowReject(0, null, count < AsteriskColumns.CsvMin ? RejectReason.ShortRow : RejectReason.LongRow,
                    string.Create(CultureInfo.InvariantCulture, $"{count} fields, expected {Describe()}{hint}"));
            }
        }
        else if (count != _columns.Length)
        {
            return new RowReject(0, null, count < _columns.Length ? RejectReason.ShortRow : RejectReason.LongRow,
                string.Create(CultureInfo.InvariantCulture, $"{count} fields, expected {Describe()}"));
        }

        return null;
    }

    /// <inheritdoc/>
    /// <remarks>The columns depend on each record's field count (cdr_csv), so they are looked up per record, not once per file.</remarks>
    protected override RowReject? EncodingReject()
    {
        if (Csv.HasInvalidUtf8)
        {
            for (var i = 0; i < Csv.FieldCount; i++)
            {
                if (_columns[i].Name is { } name && Computed.Contains(name) && PbxRecords.EncodingReject(Csv, i, name) is { } encoding)
                {
                    return encoding;
                }

                // Free text: decoded (and counted) even when Tem does not store it, so the file's note tells every such field.
                _ = Csv.Text(i);
            }
        }

        return null;
    }

    /// <inheritdoc/>
    protected override RowReject? TranslateFields()
    {
        string Field(string name) => Col(name) is > 0 and var column ? PbxRecords.Text(Csv, column - 1) : string.Empty;

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
        Array.Clear(Values);
        Values[(int)F.Pbx] = _pbx;
        Values[(int)F.SourceFormat] = Format;
        Values[(int)F.RecordId] = uniqueId.Length > 0 && sequence.Length > 0 ? $"{uniqueId}#{sequence}" : uniqueId;
        Values[(int)F.CallId] = linkedId.Length > 0 ? linkedId : uniqueId;
        Values[(int)F.StartTime] = PbxRecords.Iso(instants.Start);
        Values[(int)F.AnswerTime] = instants.Answer is { } a ? PbxRecords.Iso(a) : null;
        Values[(int)F.EndTime] = PbxRecords.Iso(instants.End);
        Values[(int)F.DurationS] = duration.ToString(CultureInfo.InvariantCulture);
        Values[(int)F.BillsecS] = billsec.ToString(CultureInfo.InvariantCulture);
        Values[(int)F.CallingNumber] = Field("src");
        Values[(int)F.CalledNumber] = Field("dst");
        Values[(int)F.Disposition] = WireNames.ToWire(disposition.Value);
        Values[(int)F.Channel] = Field("channel");
        Values[(int)F.DstChannel] = Field("dstchannel");
        Values[(int)F.Context] = Field("dcontext");
        Values[(int)F.AccountCode] = Field("accountcode");
        PbxRecords.Fill(Record, Values);
        return null;
    }
}
