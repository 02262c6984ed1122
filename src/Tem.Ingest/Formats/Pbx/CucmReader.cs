using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.Ingest.Validation;
using F = Tem.Ingest.Formats.PbxRecords.Field;

namespace Tem.Ingest.Formats;

/// <summary>Reads a CUCM CDR flat file into pbx_calls (see <see cref="CucmFormat"/>).</summary>
internal sealed partial class CucmReader : PbxCsvReader
{
    // The columns Tem computes on: a byte that is not UTF-8 in one of them rejects the leg (bad_encoding, naming it);
    // in any other column (device names, partitions, numbers kept as text) it is decoded with the fallback encoding.
    private static readonly string[] Computed =
    [
        "cdrRecordType", "globalCallID_callManagerId", "globalCallID_callId", "dateTimeOrigination", "dateTimeConnect",
        "dateTimeDisconnect", "duration", "origCause_value", "destCause_value", "origIpAddr", "destIpAddr", "origIpv4v6Addr", "destIpv4v6Addr",
    ];

    private static readonly string[] Required =
    [
        "cdrRecordType", "globalCallID_callManagerId", "globalCallID_callId", "dateTimeOrigination", "dateTimeConnect",
        "dateTimeDisconnect", "callingPartyNumber", "originalCalledPartyNumber", "finalCalledPartyNumber", "duration",
    ];

    private static readonly string[] Optional =
    [
        "pkid", "origDeviceName", "destDeviceName", "origCause_value", "destCause_value", "origIpAddr", "destIpAddr", "origIpv4v6Addr",
        "destIpv4v6Addr", "clientMatterCode", "outpulsedCalledPartyNumber", "globalCallId_ClusterID", "finalCalledPartyNumberPartition",
    ];

    private readonly string? _pbx;
    private readonly Dictionary<string, int> _column = new(StringComparer.OrdinalIgnoreCase);
    private readonly string[] _names = [];

    // Line 2 was not a types line: it is kept as the first record, so that it is read (names-only header) or counted
    // and rejected (damaged types line), not lost.
    private bool _replay;

    public CucmReader(string path, IngestOptions options)
        : base(path, options, "cucm-cdr")
    {
        _pbx = Settings.Name;
        if (SettingsProblem is { } bad)
        {
            Problem = new FileProblem(0, 0, bad);
        }

        if (!Csv.Read() || Csv.Problem != RecordProblem.None)
        {
            Problem ??= new FileProblem(1, 0, "the first line is not a CUCM names header; expected \"cdrRecordType\",\"globalCallID_callManagerId\",...");
            return;
        }

        _names = [.. Enumerable.Range(0, Csv.FieldCount).Select(i => PbxRecords.Text(Csv, i))];
        for (var i = 0; i < _names.Length; i++)
        {
            if (!_column.TryAdd(_names[i], i))
            {
                Problem ??= new FileProblem(1, i + 1, $"the header names '{_names[i]}' twice; expected each CUCM column once") { Reason = RejectReason.DuplicateHeader };
            }
        }

        ComputedOn = [.. Computed.Where(_column.ContainsKey).Select(name => (_column[name], name))];
        if (Required.FirstOrDefault(r => !_column.ContainsKey(r)) is { } missing)
        {
            var release = CucmColumns.Release(_names) is { } r ? $" (its other columns are those of CUCM {r})" : string.Empty;
            Problem ??= new FileProblem(1, 0, $"the header has no '{missing}' column{release}, which a CUCM CDR file always has and Tem needs; is it a complete CDR file?")
            {
                Reason = RejectReason.MissingColumn,
            };
        }

        // The second header line holds the column types. A spreadsheet or a CDR collector often drops it: then line 2
        // is the first call, read with the types of Tem's list of CUCM columns (CucmColumns). A line that is mostly
        // type names but not all, or not as many, is a damaged types line and the file is refused, not guessed.
        var typed = 0;
        if (Csv.Read() && !(TypesLine(out typed) && Csv.FieldCount == _names.Length))
        {
            // Line 2 is read again as a record: the first call leg (names only), or a damaged types line's rejected row.
            _replay = true;
            if (typed * 2 > Csv.FieldCount)
            {
                Problem ??= new FileProblem(2, 0,
                    "line 2 is a damaged line of column types (INTEGER, VARCHAR(50), UNIQUEIDENTIFIER...): " +
                    string.Create(CultureInfo.InvariantCulture, $"{typed} of its {Csv.FieldCount} fields are type names, for {_names.Length} names on line 1; ") +
                    "export the file again from the CDR Repository Manager, or remove the line to have the types taken from Tem's list of CUCM columns");
            }
        }

        var source = new int[PbxRecords.FieldCount];
        source[(int)F.RecordId] = Source("pkid");
        source[(int)F.CallId] = Source("globalCallID_callId");
        source[(int)F.StartTime] = Source("dateTimeOrigination");
        source[(int)F.AnswerTime] = Source("dateTimeConnect");
        source[(int)F.EndTime] = Source("dateTimeDisconnect");
        source[(int)F.DurationS] = Source("dateTimeDisconnect");
        source[(int)F.BillsecS] = Source("duration");
        source[(int)F.CallingNumber] = Source("callingPartyNumber");
        source[(int)F.CalledNumber] = Source("finalCalledPartyNumber");
        source[(int)F.OriginalCalledNumber] = Source("originalCalledPartyNumber");
        source[(int)F.CauseCode] = Source("destCause_value");
        source[(int)F.Channel] = Source("origDeviceName");
        source[(int)F.DstChannel] = Source("destDeviceName");
        source[(int)F.Context] = Source("finalCalledPartyNumberPartition");
        source[(int)F.AccountCode] = Source("clientMatterCode");
        source[(int)F.OrigIp] = Source("origIpAddr");
        source[(int)F.DestIp] = Source("destIpAddr");
        Record.SourceColumn = source;
    }

    /// <inheritdoc/>
    protected override bool Advance()
    {
        if (_names.Length == 0 || (!_replay && !Csv.Read()))
        {
            return false;
        }

        _replay = false;
        return true;
    }

    /// <summary>
    /// A CUCM IPv4 field: a signed 32-bit integer whose little-endian bytes are the address's octets in order
    /// (<c>-1139627840</c> = <c>0xBC12A8C0</c> = <c>192.168.18.188</c>, Cisco's own example); 0 means none.
    /// </summary>
    internal static bool TryDecodeIp(string text, out string? address)
    {
        address = null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ||
            value < int.MinValue || value > uint.MaxValue)
        {
            return false;
        }

        if (value == 0)
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)value));
        address = string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}");
        return true;
    }

    /// <summary>
    /// The disposition of a leg: answered when it connected, otherwise from the Q.850 cause that ended it (the
    /// destination's when set, else the origin's): 17 busy; 34, 38, 41, 42, 44, 47 congestion; 0, 16, 18, 19, 31
    /// (normal clearing, no answer) no_answer; anything else failed.
    /// </summary>
    internal static CallDisposition Disposition(bool connected, long cause) => connected
        ? CallDisposition.Answered
        : cause switch
        {
            17 => CallDisposition.Busy,
            34 or 38 or 41 or 42 or 44 or 47 => CallDisposition.Congestion,
            0 or 16 or 18 or 19 or 31 => CallDisposition.NoAnswer,
            _ => CallDisposition.Failed,
        };

    [GeneratedRegex(@"^[A-Z][A-Z0-9_ ]*(\(\d+\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();

    private int Source(string name) => _column.TryGetValue(name, out var i) ? i + 1 : 0;

    /// <summary>Whether the current record is all type names; <paramref name="typed"/> counts those that are.</summary>
    private bool TypesLine(out int typed)
    {
        typed = Csv.Problem == RecordProblem.None
            ? Enumerable.Range(0, Csv.FieldCount).Count(i => TypeName().IsMatch(PbxRecords.Text(Csv, i)))
            : 0;
        return typed == Csv.FieldCount;
    }

    /// <inheritdoc/>
    protected override RowReject? CountReject(int count) => count == _names.Length
        ? null
        : new RowReject(0, null, count < _names.Length ? RejectReason.ShortRow : RejectReason.LongRow,
            string.Create(CultureInfo.InvariantCulture, $"{count} columns, expected {_names.Length} as in the header"));

    /// <inheritdoc/>
    protected override RowReject? TranslateFields()
    {
        string Field(string name) => _column.TryGetValue(name, out var i) ? PbxRecords.Text(Csv, i) : string.Empty;

        var type = Field("cdrRecordType");
        if (type != "1")
        {
            return new RowReject(Source("cdrRecordType"), "cdrRecordType", RejectReason.BadEnum, type switch
            {
                "0" => "is 0, a start record (CUCM documents it as unused); only end records (1) describe a whole call",
                "2" => "is 2, a CMR (call quality) row; a CDR file holds call records (1) only",
                _ => $"{PbxRecords.Quote(type)} is not a CDR record type; expected 1",
            });
        }

        if (!Epoch("dateTimeOrigination", required: true, out var origination, out var reject) ||
            !Epoch("dateTimeConnect", required: false, out var connect, out reject) ||
            !Epoch("dateTimeDisconnect", required: false, out var disconnect, out reject) ||
            !Count("duration", out var talk, out reject) ||
            !Count("destCause_value", out var destCause, out reject) ||
            !Count("origCause_value", out var origCause, out reject) ||
            !Ip("origIpv4v6Addr", "origIpAddr", out var origIp, out reject) ||
            !Ip("destIpv4v6Addr", "destIpAddr", out var destIp, out reject))
        {
            return reject;
        }

        if (disconnect is { } end && end < origination!.Value)
        {
            return new RowReject(Source("dateTimeDisconnect"), "dateTimeDisconnect", RejectReason.BadTimestamp,
                $"{PbxRecords.Quote(Field("dateTimeDisconnect"))} is before dateTimeOrigination {PbxRecords.Quote(Field("dateTimeOrigination"))}; a leg cannot end before it starts");
        }

        var cause = destCause != 0 ? destCause : origCause;
        var total = disconnect is { } stop ? (long)(stop - origination!.Value).TotalSeconds : talk;
        var called = Field("outpulsedCalledPartyNumber") is { Length: > 0 } outpulsed ? outpulsed : Field("finalCalledPartyNumber");
        Array.Clear(Values);
        Values[(int)F.Pbx] = _pbx ?? (Field("globalCallId_ClusterID") is { Length: > 0 } cluster ? cluster : "cucm");
        Values[(int)F.SourceFormat] = Format;
        Values[(int)F.RecordId] = Field("pkid");
        Values[(int)F.CallId] = Field("globalCallID_callManagerId") + "/" + Field("globalCallID_callId");
        Values[(int)F.StartTime] = PbxRecords.Iso(origination!.Value);
        Values[(int)F.AnswerTime] = connect is { } c ? PbxRecords.Iso(c) : null;
        Values[(int)F.EndTime] = disconnect is { } d ? PbxRecords.Iso(d) : null;
        Values[(int)F.DurationS] = total.ToString(CultureInfo.InvariantCulture);
        Values[(int)F.BillsecS] = talk.ToString(CultureInfo.InvariantCulture);
        Values[(int)F.CallingNumber] = Field("callingPartyNumber");
        Values[(int)F.CalledNumber] = called;
        Values[(int)F.OriginalCalledNumber] = Field("originalCalledPartyNumber");
        Values[(int)F.Disposition] = WireNames.ToWire(Disposition(connect is not null, cause));
        Values[(int)F.CauseCode] = cause.ToString(CultureInfo.InvariantCulture);
        Values[(int)F.Channel] = Field("origDeviceName");
        Values[(int)F.DstChannel] = Field("destDeviceName");
        Values[(int)F.Context] = Field("finalCalledPartyNumberPartition");
        Values[(int)F.AccountCode] = Field("clientMatterCode");
        Values[(int)F.OrigIp] = origIp;
        Values[(int)F.DestIp] = destIp;
        PbxRecords.Fill(Record, Values);
        return null;

        bool Epoch(string name, bool required, out DateTimeOffset? instant, out RowReject? error)
        {
            instant = null;
            error = null;
            var text = Field(name);
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
            {
                error = new RowReject(Source(name), name, text.Length == 0 ? RejectReason.Required : RejectReason.BadTimestamp,
                    $"{PbxRecords.Quote(text)} is not a CUCM time; expected UTC seconds since 1970 (e.g. 1791032525), or 0 for none");
                return false;
            }

            if (seconds == 0)
            {
                if (required)
                {
                    error = new RowReject(Source(name), name, RejectReason.Required, "is 0; every CUCM call leg has an origination time");
                    return false;
                }

                return true;
            }

            instant = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        bool Count(string name, out long value, out RowReject? error)
        {
            value = 0;
            error = null;
            var text = Field(name);
            if (text.Length == 0 && !Required.Contains(name))
            {
                return true;
            }

            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) || value < 0)
            {
                error = new RowReject(Source(name), name, value < 0 ? RejectReason.NegativeValue : RejectReason.BadNumber,
                    $"{PbxRecords.Quote(text)} is not a count; expected a whole number of 0 or more");
                return false;
            }

            return true;
        }

        bool Ip(string textName, string intName, out string? address, out RowReject? error)
        {
            error = null;
            address = Field(textName) is { Length: > 0 } text ? text : null;
            if (address is not null)
            {
                return true;
            }

            var number = Field(intName);
            if (number.Length == 0 || TryDecodeIp(number, out address))
            {
                return true;
            }

            error = new RowReject(Source(intName), intName, RejectReason.BadNumber,
                $"{PbxRecords.Quote(number)} is not a CUCM IPv4 field; expected a signed 32-bit integer, e.g. -1139627840 for 192.168.18.188");
            return false;
        }
    }
}
