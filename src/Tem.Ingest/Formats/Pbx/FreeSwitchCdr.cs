using System.Globalization;
using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;
using F = Tem.Ingest.Formats.PbxRecords.Field;

namespace Tem.Ingest.Formats;

/// <summary>
/// FreeSWITCH <c>mod_cdr_csv</c> templates: the text a <c>&lt;template&gt;</c> of <c>cdr_csv.conf.xml</c> holds, one
/// <c>"${variable}"</c> per column. The built-in ones are FreeSWITCH's own: <c>default</c> (compiled into
/// mod_cdr_csv.c, 13 columns, used when no default-template is set) and <c>example</c> (the vanilla configuration's
/// default-template, 15 columns: default plus read_codec and write_codec), and the vanilla file's <c>snom</c>,
/// <c>linksys</c> and <c>asterisk</c> templates (conf/vanilla/autoload_configs/cdr_csv.conf.xml).
/// </summary>
public static partial class FreeSwitchTemplates
{
    /// <summary>mod_cdr_csv's compiled-in default template (note the space before the last field, as FreeSWITCH has it).</summary>
    public const string Default =
        "\"${caller_id_name}\",\"${caller_id_number}\",\"${destination_number}\",\"${context}\",\"${start_stamp}\",\"${answer_stamp}\"," +
        "\"${end_stamp}\",\"${duration}\",\"${billsec}\",\"${hangup_cause}\",\"${uuid}\",\"${bleg_uuid}\", \"${accountcode}\"";

    /// <summary>The vanilla configuration's <c>example</c> template, its default-template.</summary>
    public const string Example =
        "\"${caller_id_name}\",\"${caller_id_number}\",\"${destination_number}\",\"${context}\",\"${start_stamp}\",\"${answer_stamp}\"," +
        "\"${end_stamp}\",\"${duration}\",\"${billsec}\",\"${hangup_cause}\",\"${uuid}\",\"${bleg_uuid}\",\"${accountcode}\",\"${read_codec}\",\"${write_codec}\"";

    /// <summary>FreeSWITCH's own templates by name.</summary>
    public static IReadOnlyDictionary<string, string> Named { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = Default,
        ["example"] = Example,
        ["snom"] = Example + ",\"${sip_user_agent}\",\"${call_clientcode}\",\"${sip_rtp_rxstat}\",\"${sip_rtp_txstat}\",\"${sofia_record_file}\"",
        ["linksys"] = Example + ",\"${sip_user_agent}\",\"${sip_p_rtp_stat}\"",
        ["asterisk"] =
            "\"${accountcode}\",\"${caller_id_number}\",\"${destination_number}\",\"${context}\",\"${caller_id}\",\"${channel_name}\",\"${bridge_channel}\"," +
            "\"${last_app}\",\"${last_arg}\",\"${start_stamp}\",\"${answer_stamp}\",\"${end_stamp}\",\"${duration}\",\"${billsec}\",\"${hangup_cause}\"," +
            "\"${amaflags}\",\"${uuid}\",\"${userfield}\"",
    };

    /// <summary>
    /// The variable of each column of a template (null for a column that is not a plain <c>${variable}</c>, such as
    /// <c>${regex(...)}</c>: it is kept in the file's shape but not read). A template is split at the commas outside
    /// quotes and <c>${...}</c>; XML entities (<c>&amp;quot;</c>) are decoded, as the conf file may hold them.
    /// </summary>
    public static IReadOnlyList<string?> Variables(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var text = System.Net.WebUtility.HtmlDecode(template).Trim().TrimEnd(';').Trim();
        var columns = new List<string?>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0 && !quoted))
            {
                var piece = text[start..i].Trim();
                if (piece.Length >= 2 && piece[0] == '"' && piece[^1] == '"')
                {
                    piece = piece[1..^1];
                }

                var match = PlainVariable().Match(piece);
                columns.Add(match.Success ? match.Groups[1].Value.ToLowerInvariant() : null);
                start = i + 1;
                continue;
            }

            switch (text[i])
            {
                case '"' when depth == 0:
                    quoted = !quoted;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return columns;
    }

    /// <summary>
    /// The template a PBX settings value declares: a template's text (it holds <c>${</c>) or a built-in name. Null with
    /// <paramref name="problem"/> when it is neither, or names no column Tem can read a call from.
    /// </summary>
    public static IReadOnlyList<string?>? Declared(string value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        problem = null;
        string text;
        if (value.Contains("${", StringComparison.Ordinal))
        {
            text = value;
        }
        else if (!Named.TryGetValue(value.Trim(), out text!))
        {
            problem = $"\"freeswitch_template\" '{value}' is neither a template (\"${{caller_id_name}}\",\"${{caller_id_number}}\",...) " +
                      $"nor one of FreeSWITCH's own: {string.Join(", ", Named.Keys)}";
            return null;
        }

        var columns = Variables(text);
        if (!columns.Any(c => c is "start_stamp" or "start_epoch" or "start_uepoch"))
        {
            problem = "the declared \"freeswitch_template\" has no ${start_stamp} (or ${start_epoch}) column; Tem needs each call's start";
            return null;
        }

        if (!columns.Any(c => c is "duration" or "end_stamp" or "end_epoch" or "end_uepoch"))
        {
            problem = "the declared \"freeswitch_template\" has neither ${duration} nor ${end_stamp}; Tem needs each call's length";
            return null;
        }

        return columns;
    }

    [GeneratedRegex(@"^\$\{([A-Za-z0-9_]+)\}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainVariable();
}

/// <summary>
/// FreeSWITCH hangup causes (switch_channel.c's cause chart, codes from switch_types.h) and the disposition of a leg.
/// </summary>
public static class FreeSwitchCauses
{
    /// <summary>Every hangup cause name FreeSWITCH writes, with its code (Q.850 up to 127; FreeSWITCH's own above).</summary>
    public static IReadOnlyDictionary<string, int> Codes { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["NONE"] = 0, ["UNALLOCATED_NUMBER"] = 1, ["NO_ROUTE_TRANSIT_NET"] = 2, ["NO_ROUTE_DESTINATION"] = 3, ["CHANNEL_UNACCEPTABLE"] = 6,
        ["CALL_AWARDED_DELIVERED"] = 7, ["NORMAL_CLEARING"] = 16, ["USER_BUSY"] = 17, ["NO_USER_RESPONSE"] = 18, ["NO_ANSWER"] = 19,
        ["SUBSCRIBER_ABSENT"] = 20, ["CALL_REJECTED"] = 21, ["NUMBER_CHANGED"] = 22, ["REDIRECTION_TO_NEW_DESTINATION"] = 23,
        ["EXCHANGE_ROUTING_ERROR"] = 25, ["DESTINATION_OUT_OF_ORDER"] = 27, ["INVALID_NUMBER_FORMAT"] = 28, ["FACILITY_REJECTED"] = 29,
        ["RESPONSE_TO_STATUS_ENQUIRY"] = 30, ["NORMAL_UNSPECIFIED"] = 31, ["NORMAL_CIRCUIT_CONGESTION"] = 34, ["NETWORK_OUT_OF_ORDER"] = 38,
        ["NORMAL_TEMPORARY_FAILURE"] = 41, ["SWITCH_CONGESTION"] = 42, ["ACCESS_INFO_DISCARDED"] = 43, ["REQUESTED_CHAN_UNAVAIL"] = 44,
        ["PRE_EMPTED"] = 45, ["FACILITY_NOT_SUBSCRIBED"] = 50, ["OUTGOING_CALL_BARRED"] = 52, ["INCOMING_CALL_BARRED"] = 54,
        ["BEARERCAPABILITY_NOTAUTH"] = 57, ["BEARERCAPABILITY_NOTAVAIL"] = 58, ["SERVICE_UNAVAILABLE"] = 63, ["BEARERCAPABILITY_NOTIMPL"] = 65,
        ["CHAN_NOT_IMPLEMENTED"] = 66, ["FACILITY_NOT_IMPLEMENTED"] = 69, ["SERVICE_NOT_IMPLEMENTED"] = 79, ["INVALID_CALL_REFERENCE"] = 81,
        ["INCOMPATIBLE_DESTINATION"] = 88, ["INVALID_MSG_UNSPECIFIED"] = 95, ["MANDATORY_IE_MISSING"] = 96, ["MESSAGE_TYPE_NONEXIST"] = 97,
        ["WRONG_MESSAGE"] = 98, ["IE_NONEXIST"] = 99, ["INVALID_IE_CONTENTS"] = 100, ["WRONG_CALL_STATE"] = 101, ["RECOVERY_ON_TIMER_EXPIRE"] = 102,
        ["MANDATORY_IE_LENGTH_ERROR"] = 103, ["PROTOCOL_ERROR"] = 111, ["INTERWORKING"] = 127, ["SUCCESS"] = 142, ["ORIGINATOR_CANCEL"] = 487,
        ["CRASH"] = 700, ["SYSTEM_SHUTDOWN"] = 701, ["LOSE_RACE"] = 702, ["MANAGER_REQUEST"] = 703, ["BLIND_TRANSFER"] = 800,
        ["ATTENDED_TRANSFER"] = 801, ["ALLOTTED_TIMEOUT"] = 802, ["USER_CHALLENGE"] = 803, ["MEDIA_TIMEOUT"] = 804, ["PICKED_OFF"] = 805,
        ["USER_NOT_REGISTERED"] = 806, ["PROGRESS_TIMEOUT"] = 807, ["INVALID_GATEWAY"] = 808, ["GATEWAY_DOWN"] = 809, ["INVALID_URL"] = 810,
        ["INVALID_PROFILE"] = 811, ["NO_PICKUP"] = 812, ["SRTP_READ_ERROR"] = 813, ["BOWOUT"] = 814, ["BUSY_EVERYWHERE"] = 815,
        ["DECLINE"] = 816, ["DOES_NOT_EXIST_ANYWHERE"] = 817, ["NOT_ACCEPTABLE"] = 818, ["UNWANTED"] = 819, ["NO_IDENTITY"] = 820,
        ["BAD_IDENTITY_INFO"] = 821, ["UNSUPPORTED_CERTIFICATE"] = 822, ["INVALID_IDENTITY"] = 823, ["STALE_DATE"] = 824, ["REJECT_ALL"] = 825,
    };

    /// <summary>
    /// A leg's disposition: answered when it was (an answer time, or billed seconds); otherwise from its hangup cause:
    /// USER_BUSY, BUSY_EVERYWHERE busy; the congestion causes of Q.850 (34, 38, 41, 42, 44, 47) congestion; a caller
    /// who gave up or nobody answering (NORMAL_CLEARING, NO_USER_RESPONSE, NO_ANSWER, NORMAL_UNSPECIFIED,
    /// ORIGINATOR_CANCEL, NO_PICKUP, PICKED_OFF, LOSE_RACE, PROGRESS_TIMEOUT, ALLOTTED_TIMEOUT, NONE) no_answer, as CUCM's
    /// causes map; anything else failed.
    /// </summary>
    public static CallDisposition Disposition(bool answered, string cause) => answered
        ? CallDisposition.Answered
        : cause.ToUpperInvariant() switch
        {
            "USER_BUSY" or "BUSY_EVERYWHERE" => CallDisposition.Busy,
            "NORMAL_CIRCUIT_CONGESTION" or "NETWORK_OUT_OF_ORDER" or "NORMAL_TEMPORARY_FAILURE" or "SWITCH_CONGESTION" or "REQUESTED_CHAN_UNAVAIL"
                => CallDisposition.Congestion,
            "NORMAL_CLEARING" or "NO_USER_RESPONSE" or "NO_ANSWER" or "NORMAL_UNSPECIFIED" or "ORIGINATOR_CANCEL" or "NO_PICKUP" or "PICKED_OFF"
                or "LOSE_RACE" or "PROGRESS_TIMEOUT" or "ALLOTTED_TIMEOUT" or "NONE" or "" => CallDisposition.NoAnswer,
            _ => CallDisposition.Failed,
        };
}

/// <summary>
/// The legs of the calls in one FreeSWITCH file, grouped so that every leg of a call gets the same call_id: legs are
/// linked by <c>bleg_uuid</c> (the a-leg names its b-leg) and <c>originating_leg_uuid</c> (the b-leg names its a-leg;
/// <c>call_uuid</c> when that is missing). A group's call_id is its a-leg's uuid: the leg another names as its
/// originating leg, else the one that has a b-leg and is nobody's b-leg, else (two legs naming each other) the
/// smaller uuid, so that the choice does not depend on the order of the file.
/// </summary>
internal sealed class FreeSwitchPairing
{
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _originating = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hasBLeg = new(StringComparer.Ordinal);
    private readonly HashSet<string> _isBLeg = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _callId;

    /// <summary>Adds a leg: its uuid, the b-leg it names and the a-leg it names (empty when none).</summary>
    public void Add(string uuid, string bLeg, string aLeg)
    {
        if (uuid.Length == 0)
        {
            return;
        }

        Find(uuid);
        if (bLeg.Length > 0 && bLeg != uuid)
        {
            _hasBLeg.Add(uuid);
            _isBLeg.Add(bLeg);
            Union(uuid, bLeg);
        }

        if (aLeg.Length > 0 && aLeg != uuid)
        {
            _originating.Add(aLeg);
            Union(uuid, aLeg);
        }
    }

    /// <summary>The call_id of a leg: its group's a-leg uuid (the leg's own uuid when it is alone); null for no uuid.</summary>
    public string? CallId(string uuid)
    {
        if (uuid.Length == 0)
        {
            return null;
        }

        _callId ??= Build();
        return _callId.TryGetValue(Find(uuid), out var id) ? id : uuid;
    }

    private Dictionary<string, string> Build()
    {
        var best = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var leg in _parent.Keys.ToList())
        {
            var root = Find(leg);
            if (!best.TryGetValue(root, out var current) || Better(leg, current))
            {
                best[root] = leg;
            }
        }

        return best;
    }

    private bool Better(string leg, string than)
    {
        var (a, b) = (Rank(leg), Rank(than));
        return a != b ? a < b : string.CompareOrdinal(leg, than) < 0;
    }

    private int Rank(string leg) =>
        _originating.Contains(leg) ? 0 : _hasBLeg.Contains(leg) && !_isBLeg.Contains(leg) ? 1 : 2;

    private string Find(string uuid)
    {
        if (!_parent.TryGetValue(uuid, out var parent))
        {
            _parent[uuid] = uuid;
            return uuid;
        }

        while (parent != uuid)
        {
            var grand = _parent[parent];
            _parent[uuid] = grand;
            uuid = parent;
            parent = grand;
        }

        return uuid;
    }

    private void Union(string a, string b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra != rb)
        {
            _parent[rb] = ra;
        }
    }
}

/// <summary>
/// Translates one FreeSWITCH leg, given as its channel variables (a CSV line through its template, or a JSON CDR's
/// <c>variables</c>), into pbx_calls. Times come from the <c>*_epoch</c> variables (UTC) where the leg has them, else
/// from the <c>*_stamp</c> ones: the PBX's local time, <c>2020-02-10 22:41:03</c> as FreeSWITCH writes it or
/// <c>2020/2/10 22:41</c> as a spreadsheet re-saves it.
/// </summary>
internal sealed class FreeSwitchLeg(string format, string pbx, TimeZoneInfo? zone, FreeSwitchPairing pairing)
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-M-d H:mm:ss", "yyyy/M/d H:mm:ss", "yyyy-M-d H:mm", "yyyy/M/d H:mm",
    ];

    /// <summary>A variable's value (trimmed; null when the leg does not have it).</summary>
    public required Func<string, string?> Get { get; init; }

    /// <summary>The 1-based source column of a variable, 0 when it has none (JSON).</summary>
    public required Func<string, int> Column { get; init; }

    /// <summary>How a reject names a variable: the variable for CSV, <c>variables.NAME</c> for JSON.</summary>
    public required Func<string, string> Label { get; init; }

    /// <summary>Whether a local time is valid FreeSWITCH or spreadsheet text (for sniffing).</summary>
    internal static bool TryParseLocal(string text, out DateTime local, out bool minutes)
    {
        var ok = DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);
        minutes = ok && text.Count(c => c == ':') == 1;
        return ok;
    }

    /// <summary>Fills <paramref name="values"/> with the leg, or returns why it cannot be stored.</summary>
    public RowReject? Translate(string?[] values)
    {
        string V(string name) => Get(name) ?? string.Empty;

        if (!Instant("start", required: true, out var start, out var startMinutes, out var reject) ||
            !Instant("answer", required: false, out var answer, out var answerMinutes, out reject) ||
            !Instant("end", required: false, out var end, out var endMinutes, out reject) ||
            !Count("duration", out var duration, out reject) ||
            !Count("billsec", out var billsec, out reject) ||
            !Count("billmsec", out var billmsec, out reject) ||
            !Count("hangup_cause_q850", out var q850, out reject))
        {
            return reject;
        }

        var cause = V("hangup_cause");
        if (cause.Length > 0 && !FreeSwitchCauses.Codes.ContainsKey(cause))
        {
            return new RowReject(Column("hangup_cause"), Label("hangup_cause"), RejectReason.BadEnum,
                $"{PbxRecords.Quote(cause)} is not a FreeSWITCH hangup cause; expected e.g. NORMAL_CLEARING, NO_ANSWER, USER_BUSY, ORIGINATOR_CANCEL");
        }

        var minutes = startMinutes || answerMinutes || endMinutes;
        if (Resolve(start!, answer, end, duration, minutes) is not { } instants)
        {
            return Ambiguous(start!, answer, end);
        }

        if (instants.End is { } stop && stop < instants.Start)
        {
            return new RowReject(Column(EndName()), Label(EndName()), RejectReason.BadTimestamp,
                $"{PbxRecords.Quote(V(EndName()))} is before the start {PbxRecords.Quote(V(StartName()))}; a leg cannot end before it starts");
        }

        var length = duration ?? (instants.End is { } e ? (long)(e - instants.Start).TotalSeconds : (long?)null);
        if (length is null)
        {
            return new RowReject(Column("duration"), Label("duration"), RejectReason.Required,
                "is missing and so is the end time; expected the leg's length in seconds (FreeSWITCH's ${duration})");
        }

        var billed = billsec ?? (billmsec is { } ms ? ms / 1000 : instants.Answer is { } a && instants.End is { } z ? (long)(z - a).TotalSeconds : 0);
        var uuid = V("uuid");
        Array.Clear(values);
        values[(int)F.Pbx] = pbx;
        values[(int)F.SourceFormat] = format;
        values[(int)F.RecordId] = uuid;
        values[(int)F.CallId] = pairing.CallId(uuid);
        values[(int)F.StartTime] = PbxRecords.Iso(instants.Start);
        values[(int)F.AnswerTime] = instants.Answer is { } an ? PbxRecords.Iso(an) : null;
        values[(int)F.EndTime] = instants.End is { } en ? PbxRecords.Iso(en) : null;
        values[(int)F.DurationS] = length.Value.ToString(CultureInfo.InvariantCulture);
        values[(int)F.BillsecS] = billed.ToString(CultureInfo.InvariantCulture);
        values[(int)F.CallingNumber] = V("caller_id_number") is { Length: > 0 } calling ? calling : V("ani");
        values[(int)F.CalledNumber] = V("destination_number");
        values[(int)F.Disposition] = WireNames.ToWire(FreeSwitchCauses.Disposition(instants.Answer is not null || billed > 0 || billmsec > 0, cause));
        values[(int)F.CauseCode] = q850 is { } code
            ? code.ToString(CultureInfo.InvariantCulture)
            : FreeSwitchCauses.Codes.TryGetValue(cause, out var c) && c <= 127 && cause.Length > 0 ? c.ToString(CultureInfo.InvariantCulture) : null;
        values[(int)F.Channel] = V("channel_name");
        values[(int)F.DstChannel] = V("bridge_channel");
        values[(int)F.Context] = V("context");
        values[(int)F.AccountCode] = V("accountcode");
        values[(int)F.OrigIp] = V("network_addr") is { Length: > 0 } ip ? ip : V("sip_network_ip");
        values[(int)F.BilledMs] = billmsec?.ToString(CultureInfo.InvariantCulture);
        return null;

        string StartName() => Source("start") ?? "start_stamp";

        string EndName() => Source("end") ?? "end_stamp";
    }

    /// <summary>The variable an instant is read from: <c>X_epoch</c>, <c>X_uepoch</c>, then <c>X_stamp</c>, the first the leg has.</summary>
    private string? Source(string what) =>
        new[] { what + "_epoch", what + "_uepoch", what + "_stamp" }.FirstOrDefault(n => Get(n) is { Length: > 0 });

    private bool Instant(string what, bool required, out object? instant, out bool minutes, out RowReject? reject)
    {
        instant = null;
        minutes = false;
        reject = null;
        var name = Source(what);
        if (name is null)
        {
            if (required)
            {
                var stamp = what + "_stamp";
                reject = new RowReject(Column(stamp), Label(stamp), RejectReason.Required, $"is empty; every FreeSWITCH leg has a {what} time");
                return false;
            }

            return true;
        }

        var text = Get(name)!;
        if (name.EndsWith("epoch", StringComparison.Ordinal))
        {
            var micro = name.EndsWith("uepoch", StringComparison.Ordinal);
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value / (micro ? 1_000_000 : 1) > 253_402_300_799)
            {
                reject = new RowReject(Column(name), Label(name), RejectReason.BadTimestamp,
                    $"{PbxRecords.Quote(text)} is not a FreeSWITCH epoch time; expected {(micro ? "microseconds" : "seconds")} since 1970 UTC, e.g. 1581374463");
                return false;
            }

            if (value == 0)
            {
                if (required)
                {
                    reject = new RowReject(Column(name), Label(name), RejectReason.Required, $"is 0; every FreeSWITCH leg has a {what} time");
                    return false;
                }

                return true;
            }

            instant = micro ? DateTimeOffset.FromUnixTimeMilliseconds(value / 1000) : DateTimeOffset.FromUnixTimeSeconds(value);
            if (zone is not null)
            {
                instant = TimeZoneInfo.ConvertTime((DateTimeOffset)instant, zone);
            }

            return true;
        }

        if (!TryParseLocal(text, out var local, out minutes))
        {
            reject = new RowReject(Column(name), Label(name), RejectReason.BadTimestamp,
                $"{PbxRecords.Quote(text)} is not a local time; expected YYYY-MM-DD HH:MM:SS as FreeSWITCH writes it (2020-02-10 22:41:03), " +
                "or YYYY/M/D H:MM as a spreadsheet re-saves it (2020/2/10 22:41)");
            return false;
        }

        if (zone is null)
        {
            reject = new RowReject(Column(name), Label(name), RejectReason.Required,
                $"is a local time without a UTC offset, and no time zone is set for this PBX; give it with --pbx-time-zone or \"time_zone\" in {PbxSettings.FileName}");
            return false;
        }

        if (zone.IsInvalidTime(local))
        {
            reject = new RowReject(Column(name), Label(name), RejectReason.NonexistentTime,
                $"{PbxRecords.Quote(text)} never happened in {zone.Id}: the clocks skipped that hour (daylight saving began); the PBX's clock or the zone given for it is wrong");
            return false;
        }

        instant = local;
        return true;
    }

    private bool Count(string name, out long? value, out RowReject? reject)
    {
        value = null;
        reject = null;
        var text = Get(name);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            reject = new RowReject(Column(name), Label(name),
                text.StartsWith('-') ? RejectReason.NegativeValue : RejectReason.BadNumber,
                $"{PbxRecords.Quote(text)} is not a whole number of {(name.EndsWith("msec", StringComparison.Ordinal) ? "milliseconds" : name == "hangup_cause_q850" ? "a Q.850 cause" : "seconds")} (0 or more)");
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>
    /// The instants of a leg. Epoch times are exact; local times in the hour repeated when clocks go back have two
    /// candidates, and the leg's own arithmetic (end - start = duration, start &lt;= answer &lt;= end) decides, within
    /// a few seconds (a minute and a bit for spreadsheet times without seconds). Null when it cannot.
    /// </summary>
    private (DateTimeOffset Start, DateTimeOffset? Answer, DateTimeOffset? End)? Resolve(object start, object? answer, object? end, long? duration, bool minutes)
    {
        var tolerance = TimeSpan.FromSeconds(minutes ? 65 : 5);
        var starts = Candidates(start);
        DateTimeOffset?[] answers = answer is null ? [null] : [.. Candidates(answer).Select(x => (DateTimeOffset?)x)];
        DateTimeOffset?[] ends = end is null ? [null] : [.. Candidates(end).Select(x => (DateTimeOffset?)x)];
        if (starts.Length == 1 && answers.Length == 1 && ends.Length == 1)
        {
            return (starts[0], answers[0], ends[0]);
        }

        (DateTimeOffset, DateTimeOffset?, DateTimeOffset?)? found = null;
        foreach (var s in starts)
        {
            foreach (var e in ends)
            {
                if (e is { } x && (x < s || (duration is { } d && ((x - s) - TimeSpan.FromSeconds(d)).Duration() > tolerance)))
                {
                    continue;
                }

                foreach (var a in answers)
                {
                    if (a is { } y && (y < s || (e is { } z && y > z)))
                    {
                        continue;
                    }

                    if (found is not null)
                    {
                        return null;
                    }

                    found = (s, a, e);
                }
            }
        }

        return found;
    }

    private DateTimeOffset[] Candidates(object time)
    {
        if (time is DateTimeOffset exact)
        {
            return [exact];
        }

        var local = (DateTime)time;
        if (!zone!.IsAmbiguousTime(local))
        {
            return [new DateTimeOffset(local, zone.GetUtcOffset(local))];
        }

        return [.. zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).Select(o => new DateTimeOffset(local, o))];
    }

    private RowReject Ambiguous(object start, object? answer, object? end)
    {
        var what = start is DateTime s && zone!.IsAmbiguousTime(s) ? "start" : end is DateTime e && zone!.IsAmbiguousTime(e) ? "end" : "answer";
        var name = Source(what) ?? what + "_stamp";
        return new RowReject(Column(name), Label(name), RejectReason.AmbiguousTime,
            $"{PbxRecords.Quote(Get(name) ?? string.Empty)} happened twice in {zone!.Id} (the clocks went back that night) and the leg's other times " +
            "and duration do not tell which one it was; the leg's instant is unknown");
    }
}
