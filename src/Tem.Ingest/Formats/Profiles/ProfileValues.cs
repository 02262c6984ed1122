using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>
/// Converts one source value by a <see cref="FieldRule"/> into the text a canonical CSV would hold. Each method
/// returns false with the reject reason and a message (what was wrong, what was expected) on failure.
/// </summary>
internal static class ProfileValues
{
    /// <summary>A number by the rule's separators, signs (<c>-1</c>, <c>1-</c>, <c>(1)</c>), factor, divisor and rounding.</summary>
    public static bool TryNumber(string text, FieldRule rule, bool negate, out string result, out string? error)
    {
        result = string.Empty;
        if (!TryParseNumber(text, rule, out var value, out error))
        {
            return false;
        }

        try
        {
            if (rule.Multiply is { } factor)
            {
                value *= factor;
            }

            if (rule.Divide is { } divisor)
            {
                value /= divisor;
            }
        }
        catch (OverflowException)
        {
            error = "is out of range once multiplied or divided as the profile says";
            return false;
        }

        if (rule.Round is { } decimals)
        {
            value = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        }
        else if ((rule.Multiply is not null || rule.Divide is not null) && Normalize(value).Scale > FieldParsers.DecimalsKept(rule.Field.Type))
        {
            var kept = FieldParsers.DecimalsKept(rule.Field.Type);
            // Said here, with the profile's own fix, rather than by the row check, which sees only the computed value.
            error = string.Create(CultureInfo.InvariantCulture,
                $"gives {Normalize(value)} once multiplied or divided as the profile says, more than the {kept} decimals {rule.Field.Name} keeps; add \"round\": {kept} to the field's rule to round it");
            return false;
        }

        if (negate)
        {
            value = -value;
        }

        result = Normalize(value).ToString(CultureInfo.InvariantCulture);
        return true;
    }

    internal static bool TryParseNumber(string text, FieldRule rule, out decimal value, out string? error)
    {
        value = 0;
        error = null;
        var s = text.Trim();
        if (rule.Strip.Length > 0)
        {
            s = string.Concat(s.Where(c => !rule.Strip.Contains(c, StringComparison.Ordinal))).Trim();
        }

        var negative = false;
        if (s.Length > 1 && s[0] == '(' && s[^1] == ')')
        {
            negative = true;
            s = s[1..^1].Trim();
        }
        else if (s.Length > 1 && s[^1] == '-')
        {
            negative = true;
            s = s[..^1].Trim();
        }
        else if (s.Length > 1 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..].Trim();
        }

        if (rule.ThousandsSeparator is { } thousands)
        {
            s = s.Replace(thousands.ToString(), string.Empty, StringComparison.Ordinal);
        }

        var separator = rule.DecimalSeparator;
        var digits = 0;
        var points = 0;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c == separator)
            {
                points++;
            }
            else
            {
                error = c is '.' or ',' or ' ' or '\u00A0' or '\''
                    ? $"has '{c}', which is neither the profile's decimal separator '{separator}' nor its thousands separator" +
                      $"{(rule.ThousandsSeparator is { } t ? $" '{t}'" : " (none)")}; expected a number such as 1234{separator}56 " +
                      "(hint: set decimal_separator / thousands_separator in the profile)"
                    : $"is not a number; expected digits with '{separator}' as the decimal separator, e.g. 12{separator}50";
                return false;
            }
        }

        if (digits == 0 || points > 1 || digits > 24)
        {
            error = points > 1
                ? $"has the decimal separator '{separator}' more than once; expected one at most (hint: is '{separator}' the thousands separator?)"
                : $"is not a number; expected digits with '{separator}' as the decimal separator, e.g. 12{separator}50";
            return false;
        }

        if (!decimal.TryParse(s.Replace(separator, '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            error = "is out of range";
            return false;
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary>A duration in whole seconds.</summary>
    public static bool TryDuration(string text, FieldRule rule, out string result, out string? error)
    {
        result = string.Empty;
        error = null;
        var s = text.Trim();
        long seconds;
        switch (rule.Duration)
        {
            case DurationFormat.HoursMinutesSeconds or DurationFormat.MinutesSeconds:
                var parts = s.Split(':');
                var expected = rule.Duration == DurationFormat.HoursMinutesSeconds ? 3 : 2;
                if (parts.Length != expected || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)) ||
                    parts.Skip(1).Any(p => p.Length != 2 || int.Parse(p, CultureInfo.InvariantCulture) > 59) || parts[0].Length > 9)
                {
                    error = rule.Duration == DurationFormat.HoursMinutesSeconds
                        ? "is not a duration H:MM:SS; expected e.g. 0:04:05 or 01:04:05"
                        : "is not a duration M:SS; expected e.g. 4:05 or 124:05";
                    return false;
                }

                var numbers = parts.Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                seconds = numbers.Aggregate(0L, (total, n) => (total * 60) + n);
                break;
            case DurationFormat.Seconds:
                if (s.Length == 0 || s.Length > 12 || !s.All(char.IsAsciiDigit))
                {
                    error = "is not a whole number of seconds; expected e.g. 245";
                    return false;
                }

                seconds = long.Parse(s, CultureInfo.InvariantCulture);
                break;
            case DurationFormat.Minutes:
                if (!TryParseNumber(s, rule, out var minutes, out error) || minutes < 0)
                {
                    error ??= "is negative; expected 0 or more minutes";
                    return false;
                }

                var exact = minutes * 60;
                if (exact != decimal.Truncate(exact))
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"is {Normalize(exact)} seconds, not a whole number; expected minutes that come to whole seconds");
                    return false;
                }

                seconds = (long)exact;
                break;
            default:
                throw new InvalidOperationException("Not a duration rule.");
        }

        result = seconds.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// A date (or month) by the rule's formats, as <c>YYYY-MM-DD</c> (or <c>YYYY-MM</c>). Every format is tried: a
    /// value two formats read as different dates (<c>01/02/2026</c> by <c>dd/MM/yyyy</c> and <c>MM/dd/yyyy</c>) is
    /// rejected as ambiguous rather than read by whichever format comes first.
    /// </summary>
    public static bool TryDate(string text, FieldRule rule, bool month, out string result, out string? error)
    {
        result = string.Empty;
        error = null;
        var readings = new List<(string Format, string Value)>();
        foreach (var format in rule.Formats)
        {
            if (DateTime.TryParseExact(text.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                readings.Add((format, value.ToString(month ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture)));
            }
        }

        if (readings.Count == 0)
        {
            error = $"is not a {(month ? "month" : "date")} in the format {string.Join(" or ", rule.Formats)}";
            return false;
        }

        return Unambiguous(readings, out result, out error);
    }

    /// <summary>
    /// A timestamp by the rule's formats: with an offset when the format has one, else a local time in the rule's
    /// zone (a time in the hour skipped by a DST change is rejected; one in the repeated hour follows the policy).
    /// Every format is tried: a value two formats read as different instants is rejected as ambiguous.
    /// </summary>
    public static bool TryTimestamp(string text, FieldRule rule, out string result, out RejectReason reason, out string? error)
    {
        result = string.Empty;
        reason = RejectReason.BadTimestamp;
        error = null;
        var s = text.Trim();
        var readings = new List<(string Format, string Value)>();
        foreach (var format in rule.Formats)
        {
            if (FieldRuleJson.HasOffset(format))
            {
                if (DateTimeOffset.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
                {
                    readings.Add((format, Iso(instant)));
                }

                continue;
            }

            if (!DateTime.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                continue;
            }

            var zone = rule.Zone!;
            var offsets = LocalOffsets(zone, local);
            if (offsets.Count == 0)
            {
                reason = RejectReason.NonexistentTime;
                error = $"does not exist in {zone.Id}: the clocks skipped that hour (daylight saving time began); expected a local time that happened " +
                    "(hint: is the zone right?)";
                return false;
            }

            TimeSpan offset;
            if (offsets.Count > 1)
            {
                if (rule.AmbiguousTime == AmbiguousTimePolicy.Reject)
                {
                    reason = RejectReason.AmbiguousTime;
                    error = string.Create(CultureInfo.InvariantCulture,
                        $"happened twice in {zone.Id} (offsets {Offset(offsets.Max())} and {Offset(offsets.Min())}: the clocks went back); ") +
                        "expected an unambiguous time (hint: set \"ambiguous_time\": \"earlier\" or \"later\" in the profile to choose)";
                    return false;
                }

                // The earlier instant is the one still on the larger (pre-change) offset.
                offset = rule.AmbiguousTime == AmbiguousTimePolicy.Earlier ? offsets.Max() : offsets.Min();
            }
            else
            {
                offset = offsets[0];
            }

            readings.Add((format, Iso(new DateTimeOffset(local, offset))));
        }

        if (readings.Count == 0)
        {
            error = $"is not a date and time in the format {string.Join(" or ", rule.Formats)}";
            return false;
        }

        return Unambiguous(readings, out result, out error);
    }

    /// <summary>
    /// The UTC offsets at which <paramref name="local"/> happened in <paramref name="zone"/>: none in the hour skipped
    /// when clocks go forward, two (larger first) in the hour repeated when they go back, else one.
    /// </summary>
    /// <remarks>
    /// Worked out from the instant-to-offset direction of the zone (the offsets a day before and after, each kept when
    /// the instant it gives really has that offset) rather than <see cref="TimeZoneInfo.IsAmbiguousTime(DateTime)"/> and
    /// <see cref="TimeZoneInfo.IsInvalidTime(DateTime)"/>: those miss the changes of zones whose tz data uses negative
    /// daylight saving (Europe/Dublin: 01:30 on 26 October 2014 is reported as neither repeated nor skipped, and
    /// 01:30 on 30 March 2014 as existing), while the instant-to-offset direction of the same data is right. Tem keeps
    /// one time zone database (the system's, through <see cref="TimeZoneInfo"/>), so no second library is brought in.
    /// </remarks>
    internal static List<TimeSpan> LocalOffsets(TimeZoneInfo zone, DateTime local)
    {
        var offsets = new List<TimeSpan>(2);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        foreach (var probe in new[] { local.AddDays(-1), local.AddDays(1) })
        {
            var offset = zone.GetUtcOffset(DateTime.SpecifyKind(probe, DateTimeKind.Utc));
            var instant = DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
            if (zone.GetUtcOffset(instant) == offset && !offsets.Contains(offset))
            {
                offsets.Add(offset);
            }
        }

        offsets.Sort((a, b) => b.CompareTo(a));
        return offsets;
    }

    /// <summary>The one value every format that read the text agrees on; an error naming the readings when they differ.</summary>
    private static bool Unambiguous(List<(string Format, string Value)> readings, out string result, out string? error)
    {
        result = readings[0].Value;
        error = null;
        var distinct = readings.DistinctBy(r => r.Value, StringComparer.Ordinal).ToList();
        if (distinct.Count == 1)
        {
            return true;
        }

        result = string.Empty;
        error = "is ambiguous: " + string.Join(" but ", distinct.Select(r => $"{r.Format} reads it as {r.Value}")) +
            "; expected a value only one of the profile's formats reads (hint: order cannot settle it; drop the format that misreads it)";
        return false;
    }

    private static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>The same value without trailing zeros (1.50 is 1.5).</summary>
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
