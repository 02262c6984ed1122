using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats;

/// <summary>The times and seconds of an Asterisk record, and the instants they were in the PBX's zone (daylight saving).</summary>
internal sealed partial class AsteriskReader
{
    /// <summary>A time of the record: a local time (resolved against the zone later) or an instant (epoch seconds).</summary>
    private readonly record struct When(DateTime Local, DateTimeOffset? Instant);

    private bool Time(string name, bool required, out When? when, out RowReject? reject)
    {
        when = null;
        reject = null;
        var column = Col(name);
        var text = column > 0 ? PbxRecords.Text(Csv, column - 1) : string.Empty;
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

        var text = PbxRecords.Text(Csv, column - 1);
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
