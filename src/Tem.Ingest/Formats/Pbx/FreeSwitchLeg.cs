using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;
using F = Tem.Ingest.Formats.PbxRecords.Field;

namespace Tem.Ingest.Formats;

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
