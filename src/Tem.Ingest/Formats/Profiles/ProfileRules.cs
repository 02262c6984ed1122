using System.Globalization;
using System.Text.RegularExpressions;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>What to do with a local time that occurs twice (the hour repeated when clocks go back).</summary>
public enum AmbiguousTimePolicy
{
    /// <summary>Reject the row (<c>ambiguous_time</c>): Tem does not guess. The default.</summary>
    Reject,

    /// <summary>Take the first occurrence (the offset before the change, e.g. summer time).</summary>
    Earlier,

    /// <summary>Take the second occurrence (the offset after the change).</summary>
    Later,
}

/// <summary>How a duration column is written.</summary>
public enum DurationFormat
{
    /// <summary>Not a duration: a plain number.</summary>
    None,

    /// <summary><c>H:MM:SS</c> (hours may exceed 23).</summary>
    HoursMinutesSeconds,

    /// <summary><c>M:SS</c> (minutes may exceed 59).</summary>
    MinutesSeconds,

    /// <summary>Whole seconds.</summary>
    Seconds,

    /// <summary>Minutes with decimals (<c>2.5</c> is 150 seconds); must come to whole seconds.</summary>
    Minutes,
}

/// <summary>A row the profile skips: its <see cref="Column"/> value matches <see cref="Pattern"/>.</summary>
/// <param name="Column">Source column name.</param>
/// <param name="Pattern">.NET regular expression (culture-invariant, 1 s timeout).</param>
public sealed record SkipRule(string Column, Regex Pattern);

/// <summary>
/// One test a route makes on a source column's value (trimmed): exactly one of <see cref="OneOf"/> (case-insensitive
/// text), <see cref="Pattern"/> (a regular expression) or <see cref="Number"/> (numeric equality, read with the
/// profile's decimal and thousands separators, so <c>1.0</c> equals 1).
/// </summary>
/// <param name="Column">Source column name.</param>
/// <param name="OneOf">Values any of which passes (compared ignoring case), or null.</param>
/// <param name="Pattern">.NET regular expression (culture-invariant, 1 s timeout), or null.</param>
/// <param name="Number">The number the value must equal, or null.</param>
public sealed record RouteCondition(string Column, IReadOnlyList<string>? OneOf, Regex? Pattern, decimal? Number)
{
    /// <summary>The condition as the profile states it, for messages: <c>item = call</c>, <c>item one of (a, b)</c>...</summary>
    public override string ToString() =>
        OneOf is { Count: 1 } one ? $"{Column} = {one[0]}"
        : OneOf is { } many ? $"{Column} one of ({string.Join(", ", many)})"
        : Pattern is { } pattern ? $"{Column} matches {pattern}"
        : string.Create(CultureInfo.InvariantCulture, $"{Column} = {Number}");
}

/// <summary>
/// A branch of the profile's <c>routes</c>: rows whose values pass every condition of <see cref="When"/> (or any row,
/// for the <c>otherwise</c> route) are translated with <see cref="Fields"/> (the profile's fields with the route's own
/// rules laid over them) or, when <see cref="Reject"/> is set, rejected with that message. The first route that
/// takes a row wins.
/// </summary>
public sealed class ProfileRoute
{
    internal ProfileRoute(string path) => Path = path;

    /// <summary>Where the route is in the profile, e.g. <c>$.routes[2]</c> (for messages).</summary>
    public string Path { get; }

    /// <summary>Conditions that must all hold; empty for the <c>otherwise</c> route.</summary>
    public IReadOnlyList<RouteCondition> When { get; internal set; } = [];

    /// <summary>Whether this is the <c>otherwise</c> route, which takes every row the routes before it did not.</summary>
    public bool Otherwise => When.Count == 0;

    /// <summary>One rule per layout field, in layout order (the profile's rules overridden by the route's); null: left empty.</summary>
    public IReadOnlyList<FieldRule?> Fields { get; internal set; } = [];

    /// <summary>Why rows this route takes are rejected (rows with no home in the canonical layout); null when it translates them.</summary>
    public string? Reject { get; internal set; }

    /// <summary>Source column a <see cref="Reject"/> names (default: the route's first condition's column).</summary>
    public string? RejectColumn { get; internal set; }
}

/// <summary>One piece of a <see cref="FieldRule.Template"/>: literal text, a source column's value or the source line number.</summary>
/// <param name="Literal">Literal text, or null.</param>
/// <param name="Column">Index into the rule's <see cref="FieldRule.Columns"/>, or -1.</param>
/// <param name="Line">Whether the piece is the row's line number in the file (<c>{#line}</c>).</param>
public sealed record TemplatePart(string? Literal, int Column, bool Line);

/// <summary>How one canonical field is made from the source row.</summary>
public sealed class FieldRule
{
    internal FieldRule(FieldSpec field) => Field = field;

    /// <summary>The canonical field.</summary>
    public FieldSpec Field { get; }

    /// <summary>Source columns (by header name) whose values are joined; empty for a constant.</summary>
    public IReadOnlyList<string> Columns { get; internal set; } = [];

    /// <summary>Text put between joined columns (default one space).</summary>
    public string Join { get; internal set; } = " ";

    /// <summary>The value for every row, when the field is a constant.</summary>
    public string? Constant { get; internal set; }

    /// <summary>.NET custom date/time formats tried in order (dates, months and timestamps).</summary>
    public IReadOnlyList<string> Formats { get; internal set; } = [];

    /// <summary>Zone of local times (timestamps whose format has no offset).</summary>
    public TimeZoneInfo? Zone { get; internal set; }

    /// <summary>Policy for local times that occur twice.</summary>
    public AmbiguousTimePolicy AmbiguousTime { get; internal set; }

    /// <summary>How a duration is written, for whole-number fields.</summary>
    public DurationFormat Duration { get; internal set; }

    /// <summary>Source value (case-insensitive, trimmed) to canonical value; unmapped values pass unchanged.</summary>
    public IReadOnlyDictionary<string, string>? Map { get; internal set; }

    /// <summary>Column whose value decides that a number is negated (credits sent as positive amounts).</summary>
    public string? NegateColumn { get; internal set; }

    /// <summary>Values of <see cref="NegateColumn"/> (case-insensitive, trimmed) that negate the number.</summary>
    public IReadOnlyList<string> NegateValues { get; internal set; } = [];

    /// <summary>Factor applied to a number (e.g. 0.01 for pence to pounds), exactly in decimal.</summary>
    public decimal? Multiply { get; internal set; }

    /// <summary>Divisor applied to a number after <see cref="Multiply"/> (e.g. 1000 for kB to MB), exactly in decimal.</summary>
    public decimal? Divide { get; internal set; }

    /// <summary>
    /// Text made of literals and <c>{column}</c> / <c>{#line}</c> placeholders (e.g. <c>bill-{month}</c>); the columns
    /// it reads are <see cref="Columns"/>. Empty when it reads columns and every one of them is empty.
    /// </summary>
    public IReadOnlyList<TemplatePart>? Template { get; internal set; }

    /// <summary>Decimals to round a number to (half away from zero) after <see cref="Multiply"/>; null: never rounded.</summary>
    public int? Round { get; internal set; }

    /// <summary>Decimal separator of numbers.</summary>
    public char DecimalSeparator { get; internal set; } = '.';

    /// <summary>Thousands separator of numbers, removed before parsing; null when numbers have none.</summary>
    public char? ThousandsSeparator { get; internal set; }

    /// <summary>Characters removed from numbers before parsing (currency symbols, spaces).</summary>
    public string Strip { get; internal set; } = string.Empty;
}
