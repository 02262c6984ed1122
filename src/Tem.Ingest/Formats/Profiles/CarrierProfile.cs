using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Ingest.Csv;
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

/// <summary>
/// A carrier profile: a declarative JSON file that maps a foreign CSV layout (a carrier's own export) onto a
/// canonical kind: header recognition, separator and encoding, rows to skip, column renames and joins, constants,
/// date/time formats with a time zone, number conventions (decimal comma, thousands separators, credits sent as
/// positive amounts), value maps, durations, templates and exact arithmetic, and routes that choose the rules by
/// another column's value (one <c>duration</c> column holding seconds, MB or a count by <c>item</c>). Loading is strict: an unknown property, a wrong type or a mapping
/// the kind cannot take is an <see cref="InputDataException"/> naming the file and the JSON path.
/// </summary>
public sealed class CarrierProfile
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static readonly string[] TopProperties =
        ["$schema", "name", "description", "kind", "detect", "separator", "encoding", "skip", "time_zone", "ambiguous_time", "decimal_separator",
         "thousands_separator", "strip", "fields", "routes"];

    private static readonly string[] ConditionTests = ["equals", "matches", "number"];

    private static readonly string[] FieldProperties =
        ["column", "columns", "join", "constant", "template", "format", "time_zone", "ambiguous_time", "duration", "map", "negate_when", "multiply",
         "divide", "round", "decimal_separator", "thousands_separator", "strip"];

    private CarrierProfile(string source, string name, Layout layout)
    {
        Source = source;
        Name = name;
        Layout = layout;
    }

    /// <summary>The profile file as the user named it (for messages).</summary>
    public string Source { get; }

    /// <summary>The profile's name, e.g. <c>Vodafone UK itemised calls</c>.</summary>
    public string Name { get; }

    /// <summary>What the profile reads, for people.</summary>
    public string? Description { get; private set; }

    /// <summary>The canonical layout the rows are translated into.</summary>
    public Layout Layout { get; }

    /// <summary>Field separator of the CSV.</summary>
    public byte Separator { get; private set; } = (byte)',';

    /// <summary>Text encoding of the file; null for UTF-8.</summary>
    public Encoding? Encoding { get; private set; }

    /// <summary>Physical lines before the header (report titles), skipped.</summary>
    public int LeadingLines { get; private set; }

    /// <summary>Rows at the end of the file (totals, footers), skipped.</summary>
    public int TrailingRows { get; private set; }

    /// <summary>Rows skipped wherever they are (subtotals...).</summary>
    public IReadOnlyList<SkipRule> SkipRows { get; private set; } = [];

    /// <summary>Header names (case-insensitive) that must all be present for a file to be recognised as this profile's.</summary>
    public IReadOnlyList<string> DetectHeaders { get; private set; } = [];

    /// <summary>One rule per layout field, in layout order; null for a field the profile leaves empty.</summary>
    public IReadOnlyList<FieldRule?> Fields { get; private set; } = [];

    /// <summary>
    /// Conditional routing (<c>routes</c>), in order; empty when every row is translated with <see cref="Fields"/>.
    /// A row no route takes is rejected (<c>bad_enum</c>) at the first route's first condition column.
    /// </summary>
    public IReadOnlyList<ProfileRoute> Routes { get; private set; } = [];

    /// <summary>The profile-wide number conventions (separators, stripped characters), for numeric route conditions.</summary>
    internal FieldRule NumberRule { get; private set; } = new(new FieldSpec("$", FieldType.Quantity));

    /// <summary>Loads profiles from files and folders (every <c>*.json</c> in a folder, sorted).</summary>
    /// <exception cref="InputDataException">A profile is malformed; the message names the file and the JSON path.</exception>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public static IReadOnlyList<CarrierProfile> LoadAll(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = new List<CarrierProfile>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                list.AddRange(Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal).Select(Load));
            }
            else if (File.Exists(path))
            {
                list.Add(Load(path));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such profile file or folder.", path);
            }
        }

        return list;
    }

    /// <summary>Loads one profile file.</summary>
    /// <exception cref="InputDataException">The profile is malformed; the message names the file and the JSON path.</exception>
    public static CarrierProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses a profile from its JSON text.</summary>
    /// <param name="json">UTF-8 JSON; comments and trailing commas are allowed.</param>
    /// <param name="source">The file name to put in messages.</param>
    /// <exception cref="InputDataException">The profile is malformed; the message names the file and the JSON path.</exception>
    public static CarrierProfile Parse(ReadOnlySpan<byte> json, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and > 0 ? p
                : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new InputDataException(
                new SourceLocation(source, (e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1),
                "is not valid JSON: " + (cut > 0 ? message[..cut] : message), hint: "a profile is one JSON object; comments and trailing commas are allowed");
        }

        using (document)
        {
            return Build(new JsonWalker(source), document.RootElement);
        }
    }

    private static CarrierProfile Build(JsonWalker json, JsonElement root)
    {
        json.Object(root, "$", TopProperties);
        var name = json.RequiredString(root, "$", "name");
        var kind = json.RequiredString(root, "$", "kind");
        var layout = CanonicalLayouts.ByKind(kind)
            ?? throw json.Error("$.kind", $"'{kind}' is not a canonical kind", string.Join(", ", CanonicalLayouts.All.Select(l => l.Kind)));
        var profile = new CarrierProfile(json.Source, name, layout) { Description = json.OptionalString(root, "$", "description") };

        if (json.OptionalString(root, "$", "separator") is { } separator)
        {
            profile.Separator = separator switch
            {
                "," => (byte)',',
                ";" => (byte)';',
                "\t" or "tab" => (byte)'\t',
                "|" => (byte)'|',
                _ => throw json.Error("$.separator", $"'{separator}' is not a supported separator", "\",\", \";\", \"\\t\" (or \"tab\") or \"|\""),
            };
        }

        if (json.OptionalString(root, "$", "encoding") is { } encoding)
        {
            profile.Encoding = encoding.ToUpperInvariant() switch
            {
                "UTF-8" or "UTF8" => null,
                "WINDOWS-1252" or "CP1252" => CodePagesEncodingProvider.Instance.GetEncoding(1252),
                "ISO-8859-1" or "LATIN1" => Encoding.Latin1,
                "ISO-8859-15" => CodePagesEncodingProvider.Instance.GetEncoding(28605),
                _ => throw json.Error("$.encoding", $"'{encoding}' is not a supported encoding", "utf-8, windows-1252, iso-8859-1 or iso-8859-15"),
            };
        }

        if (JsonWalker.Property(root, "skip") is { } skip)
        {
            json.Object(skip, "$.skip", ["leading_lines", "trailing_rows", "rows_where"]);
            profile.LeadingLines = json.OptionalCount(skip, "$.skip", "leading_lines") ?? 0;
            profile.TrailingRows = json.OptionalCount(skip, "$.skip", "trailing_rows") ?? 0;
            if (JsonWalker.Property(skip, "rows_where") is { } rows)
            {
                var rules = new List<SkipRule>();
                foreach (var (rule, path) in json.Array(rows, "$.skip.rows_where"))
                {
                    json.Object(rule, path, ["column", "matches"]);
                    var pattern = json.RequiredString(rule, path, "matches");
                    try
                    {
                        rules.Add(new SkipRule(json.RequiredString(rule, path, "column"),
                            new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout)));
                    }
                    catch (ArgumentException e)
                    {
                        throw json.Error(path + ".matches", $"'{pattern}' is not a valid regular expression ({e.Message})", "a .NET regular expression, e.g. ^(Sub)?[Tt]otal");
                    }
                }

                profile.SkipRows = rules;
            }
        }

        var defaults = new FieldRule(new FieldSpec("$", FieldType.Text))
        {
            Zone = json.OptionalString(root, "$", "time_zone") is { } zone ? Zone(json, "$.time_zone", zone) : null,
            AmbiguousTime = Ambiguous(json, root, "$"),
            DecimalSeparator = json.OptionalChar(root, "$", "decimal_separator") ?? '.',
            ThousandsSeparator = json.OptionalChar(root, "$", "thousands_separator"),
            Strip = json.OptionalString(root, "$", "strip") ?? string.Empty,
        };
        if (defaults.ThousandsSeparator == defaults.DecimalSeparator)
        {
            throw json.Error("$.thousands_separator", "is the same character as decimal_separator", "two different characters, e.g. \".\" and \",\"");
        }

        var fields = JsonWalker.Property(root, "fields") ?? throw json.Error("$.fields", "is missing", "an object mapping canonical fields to source columns or constants");
        var rules2 = FieldRules(json, fields, "$.fields", layout, defaults, new FieldRule?[layout.Fields.Count]);
        profile.Fields = rules2;
        profile.NumberRule = defaults;
        if (JsonWalker.Property(root, "routes") is { } routes)
        {
            profile.Routes = RoutesFrom(json, routes, layout, defaults, rules2);
        }
        else
        {
            RequireAll(json, "$.fields", layout, rules2);
        }
        if (JsonWalker.Property(root, "detect") is { } detect)
        {
            json.Object(detect, "$.detect", ["headers"]);
            profile.DetectHeaders = json.RequiredStrings(detect, "$.detect", "headers");
        }
        else
        {
            // By default a file is this profile's when its header has every column the profile reads.
            profile.DetectHeaders = [.. rules2.Concat(profile.Routes.SelectMany(r => r.Fields)).Where(r => r is not null)
                .SelectMany(r => r!.Columns.Concat(r.NegateColumn is null ? [] : [r.NegateColumn]))
                .Concat(profile.Routes.SelectMany(r => r.When.Select(c => c.Column).Concat(r.RejectColumn is null ? [] : [r.RejectColumn])))
                .Concat(profile.SkipRows.Select(s => s.Column)).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        if (profile.DetectHeaders.Count == 0)
        {
            throw json.Error("$.detect.headers", "is empty, so no file could be recognised", "the names of header columns that identify the layout");
        }

        return profile;
    }

    private static FieldRule?[] FieldRules(JsonWalker json, JsonElement fields, string path, Layout layout, FieldRule defaults, FieldRule?[] rules)
    {
        json.Object(fields, path, [.. layout.Fields.Select(f => f.Name)],
            $"one of the {layout.Kind} fields ({string.Join(", ", layout.Fields.Select(f => f.Name))})");
        for (var i = 0; i < layout.Fields.Count; i++)
        {
            if (JsonWalker.Property(fields, layout.Fields[i].Name) is { } element)
            {
                rules[i] = FieldRuleFrom(json, element, $"{path}.{layout.Fields[i].Name}", layout.Fields[i], defaults);
            }
        }

        return rules;
    }

    private static void RequireAll(JsonWalker json, string path, Layout layout, FieldRule?[] rules)
    {
        for (var i = 0; i < layout.Fields.Count; i++)
        {
            var spec = layout.Fields[i];
            if (rules[i] is null && spec.Required)
            {
                throw json.Error(path, $"has no rule for '{spec.Name}', which every {layout.Kind} row requires",
                    $"\"{spec.Name}\": {{\"column\": \"...\"}} or {{\"constant\": \"...\"}}" +
                    (path == "$.fields" ? string.Empty : " in the route's fields or the profile's"));
            }
        }
    }

    private static List<ProfileRoute> RoutesFrom(JsonWalker json, JsonElement routes, Layout layout, FieldRule defaults, FieldRule?[] common)
    {
        var list = new List<ProfileRoute>();
        foreach (var (element, path) in json.Array(routes, "$.routes"))
        {
            json.Object(element, path, ["when", "otherwise", "fields", "reject"]);
            var route = new ProfileRoute(path);
            var when = JsonWalker.Property(element, "when");
            var otherwise = JsonWalker.Property(element, "otherwise");
            if ((when is null) == (otherwise is null))
            {
                throw json.Error(path, when is null ? "says neither when it applies nor that it is the otherwise route" : "has both when and otherwise",
                    "exactly one of \"when\": {\"column\": \"item\", \"equals\": \"call\"} or \"otherwise\": true");
            }

            if (otherwise is { } flag && flag.ValueKind != JsonValueKind.True)
            {
                throw json.Error(path + ".otherwise", "is not true", "\"otherwise\": true (leave the route out to have no otherwise branch)");
            }

            if (list.Count > 0 && list[^1].Otherwise)
            {
                throw json.Error(path, "comes after the otherwise route, so it could never take a row", "the otherwise route last");
            }

            if (when is { } conditions)
            {
                route.When = conditions.ValueKind == JsonValueKind.Array
                    ? [.. json.Array(conditions, path + ".when").Select(c => Condition(json, c.Item, c.Path))]
                    : [Condition(json, conditions, path + ".when")];
                if (route.When.Count == 0)
                {
                    throw json.Error(path + ".when", "is empty", "one condition or more (use \"otherwise\": true for a route that takes every row)");
                }
            }

            var fields = JsonWalker.Property(element, "fields");
            var reject = JsonWalker.Property(element, "reject");
            if ((fields is null) == (reject is null))
            {
                throw json.Error(path, fields is null ? "says neither how to translate its rows nor why to reject them" : "has both fields and reject",
                    "exactly one of \"fields\": {...} (laid over the profile's fields) or \"reject\": \"why such rows have no home\"");
            }

            if (reject is { } why)
            {
                if (why.ValueKind == JsonValueKind.Object)
                {
                    json.Object(why, path + ".reject", ["message", "column"]);
                    route.Reject = json.RequiredString(why, path + ".reject", "message");
                    route.RejectColumn = json.OptionalString(why, path + ".reject", "column");
                }
                else
                {
                    route.Reject = json.RequiredString(element, path, "reject");
                }

                route.Fields = common;
            }
            else
            {
                var merged = FieldRules(json, fields!.Value, path + ".fields", layout, defaults, [.. common]);
                RequireAll(json, path + ".fields", layout, merged);
                route.Fields = merged;
            }

            list.Add(route);
        }

        if (list.Count == 0)
        {
            throw json.Error("$.routes", "is empty", "one route or more, or no routes property");
        }

        return list;
    }

    private static RouteCondition Condition(JsonWalker json, JsonElement element, string path)
    {
        json.Object(element, path, ["column", "equals", "matches", "number"]);
        var column = json.RequiredString(element, path, "column");
        var tests = ConditionTests.Count(t => JsonWalker.Property(element, t) is not null);
        if (tests != 1)
        {
            throw json.Error(path, tests == 0 ? "tests nothing" : "has more than one of equals, matches and number",
                "exactly one of \"equals\": \"call\" (or [\"call\", \"voice\"], ignoring case), \"matches\": \"^sms\" or \"number\": 1");
        }

        if (JsonWalker.Property(element, "equals") is { } equals)
        {
            return new RouteCondition(column, equals.ValueKind == JsonValueKind.Array ? json.RequiredStrings(element, path, "equals") : [json.RequiredString(element, path, "equals")],
                null, null);
        }

        if (json.OptionalString(element, path, "matches") is { } pattern)
        {
            try
            {
                return new RouteCondition(column, null, new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout), null);
            }
            catch (ArgumentException e)
            {
                throw json.Error(path + ".matches", $"'{pattern}' is not a valid regular expression ({e.Message})", "a .NET regular expression, e.g. ^(SMS|MMS)$");
            }
        }

        var number = JsonWalker.Property(element, "number")!.Value;
        return number.ValueKind == JsonValueKind.Number && number.TryGetDecimal(out var value)
            ? new RouteCondition(column, null, null, value)
            : throw json.Error(path + ".number", "is not a number", "a JSON number, e.g. 1");
    }

    private static FieldRule FieldRuleFrom(JsonWalker json, JsonElement element, string path, FieldSpec spec, FieldRule defaults)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            // Shorthand: "amount": "Cost" is {"column": "Cost"}.
            return new FieldRule(spec)
            {
                Columns = [element.GetString()!], Zone = defaults.Zone, AmbiguousTime = defaults.AmbiguousTime, DecimalSeparator = defaults.DecimalSeparator,
                ThousandsSeparator = defaults.ThousandsSeparator, Strip = defaults.Strip,
            };
        }

        json.Object(element, path, FieldProperties);
        var rule = new FieldRule(spec)
        {
            Join = json.OptionalString(element, path, "join") ?? " ",
            Constant = json.OptionalString(element, path, "constant"),
            Zone = json.OptionalString(element, path, "time_zone") is { } zone ? Zone(json, path + ".time_zone", zone) : defaults.Zone,
            AmbiguousTime = JsonWalker.Property(element, "ambiguous_time") is null ? defaults.AmbiguousTime : Ambiguous(json, element, path),
            DecimalSeparator = json.OptionalChar(element, path, "decimal_separator") ?? defaults.DecimalSeparator,
            ThousandsSeparator = JsonWalker.Property(element, "thousands_separator") is null ? defaults.ThousandsSeparator : json.OptionalChar(element, path, "thousands_separator"),
            Strip = json.OptionalString(element, path, "strip") ?? defaults.Strip,
        };
        var column = json.OptionalString(element, path, "column");
        var columns = JsonWalker.Property(element, "columns") is null ? null : json.RequiredStrings(element, path, "columns");
        var template = json.OptionalString(element, path, "template");
        var sources = (column is null ? 0 : 1) + (columns is null ? 0 : 1) + (rule.Constant is null ? 0 : 1) + (template is null ? 0 : 1);
        if (sources != 1)
        {
            throw json.Error(path, sources == 0 ? "says neither where the value comes from nor what it is" : "has more than one of column, columns, constant and template",
                "exactly one of \"column\": \"Header\", \"columns\": [\"A\", \"B\"], \"constant\": \"value\" or \"template\": \"bill-{month}\"");
        }

        rule.Columns = column is not null ? [column] : columns ?? [];
        if (template is not null)
        {
            var (parts, referenced) = Template(json, path + ".template", template);
            rule.Template = parts;
            rule.Columns = referenced;
        }

        var numeric = spec.Type is FieldType.Money or FieldType.Quantity or FieldType.WholeNumber;
        if (JsonWalker.Property(element, "format") is { } format)
        {
            Only(json, path + ".format", spec, spec.Type is FieldType.Date or FieldType.Timestamp or FieldType.Month, "date, month and timestamp fields");
            rule.Formats = format.ValueKind == JsonValueKind.Array ? json.RequiredStrings(element, path, "format") : [json.RequiredString(element, path, "format")];
        }

        if (json.OptionalString(element, path, "duration") is { } duration)
        {
            Only(json, path + ".duration", spec, spec.Type == FieldType.WholeNumber, "whole-number fields such as duration_s");
            rule.Duration = duration switch
            {
                "hh:mm:ss" or "h:mm:ss" => DurationFormat.HoursMinutesSeconds,
                "mm:ss" or "m:ss" => DurationFormat.MinutesSeconds,
                "seconds" => DurationFormat.Seconds,
                "minutes" => DurationFormat.Minutes,
                _ => throw json.Error(path + ".duration", $"'{duration}' is not a duration format", "hh:mm:ss, mm:ss, seconds or minutes"),
            };
        }

        if (JsonWalker.Property(element, "map") is { } map)
        {
            rule.Map = json.StringMap(map, path + ".map");
        }

        if (JsonWalker.Property(element, "negate_when") is { } negate)
        {
            Only(json, path + ".negate_when", spec, spec.Type is FieldType.Money or FieldType.Quantity, "money and quantity fields");
            json.Object(negate, path + ".negate_when", ["column", "equals"]);
            rule.NegateColumn = json.RequiredString(negate, path + ".negate_when", "column");
            rule.NegateValues = json.RequiredStrings(negate, path + ".negate_when", "equals");
        }

        // Arithmetic applies to plain numbers; a duration rule has its own units.
        var arithmetic = numeric && rule.Duration == DurationFormat.None;
        const string ArithmeticFields = "money, quantity and whole-number fields (not with duration)";
        if (JsonWalker.Property(element, "multiply") is { } multiply)
        {
            Only(json, path + ".multiply", spec, arithmetic, ArithmeticFields);
            rule.Multiply = multiply.ValueKind == JsonValueKind.Number && multiply.TryGetDecimal(out var factor)
                ? factor
                : throw json.Error(path + ".multiply", "is not a number", "a decimal factor, e.g. 0.01");
        }

        if (JsonWalker.Property(element, "divide") is { } divide)
        {
            Only(json, path + ".divide", spec, arithmetic, ArithmeticFields);
            rule.Divide = divide.ValueKind == JsonValueKind.Number && divide.TryGetDecimal(out var divisor) && divisor != 0
                ? divisor
                : throw json.Error(path + ".divide", divide.ValueKind == JsonValueKind.Number ? "is zero" : "is not a number", "a decimal divisor other than 0, e.g. 1024");
        }

        if (json.OptionalCount(element, path, "round") is { } round)
        {
            Only(json, path + ".round", spec, arithmetic, ArithmeticFields);
            rule.Round = round <= 6 ? round : throw json.Error(path + ".round", "is more than 6 decimals", "0 to 6");
        }

        foreach (var name in new[] { "decimal_separator", "thousands_separator", "strip" })
        {
            if (JsonWalker.Property(element, name) is not null)
            {
                Only(json, $"{path}.{name}", spec, numeric, "number fields");
            }
        }

        if (rule.ThousandsSeparator == rule.DecimalSeparator)
        {
            throw json.Error(path + ".thousands_separator", "is the same character as decimal_separator", "two different characters, e.g. \".\" and \",\"");
        }

        if (spec.Type == FieldType.Timestamp && rule.Formats.Count > 0 && rule.Constant is null && rule.Zone is null &&
            rule.Formats.Any(f => !HasOffset(f)))
        {
            throw json.Error(path, "reads local times (its format has no offset) but no time zone is given",
                "\"time_zone\": \"Europe/London\" on the field or the profile (an IANA name)");
        }

        return rule;
    }

    /// <summary>
    /// Parses a template: literal text with <c>{column}</c> placeholders (a source column by header name) and
    /// <c>{#line}</c> (the row's line number in the file); <c>{{</c> and <c>}}</c> are literal braces. Nothing else
    /// is evaluated: a template only joins text.
    /// </summary>
    private static (List<TemplatePart> Parts, List<string> Columns) Template(JsonWalker json, string path, string template)
    {
        var parts = new List<TemplatePart>();
        var columns = new List<string>();
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                throw json.Error(path, string.Create(CultureInfo.InvariantCulture, $"has a '}}' at character {i + 1} that closes nothing"), "{column} placeholders; '}}' for a literal brace");
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            var end = template.IndexOf('}', i + 1);
            var name = end < 0 ? string.Empty : template[(i + 1)..end].Trim();
            if (name.Length == 0)
            {
                throw json.Error(path, string.Create(CultureInfo.InvariantCulture, $"has a placeholder at character {i + 1} with no column name or no closing '}}'"),
                    "{column} or {#line}; '{{' for a literal brace");
            }

            if (literal.Length > 0)
            {
                parts.Add(new TemplatePart(literal.ToString(), -1, Line: false));
                literal.Clear();
            }

            if (name.StartsWith('#'))
            {
                parts.Add(name == "#line" ? new TemplatePart(null, -1, Line: true)
                    : throw json.Error(path, $"has the placeholder {{{name}}}, which is not one the profile format knows", "{#line} (the source line number) or {column}"));
            }
            else
            {
                var index = columns.FindIndex(x => string.Equals(x, name, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    columns.Add(name);
                    index = columns.Count - 1;
                }

                parts.Add(new TemplatePart(null, index, Line: false));
            }

            i = end;
        }

        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(literal.ToString(), -1, Line: false));
        }

        return (parts, columns);
    }

    /// <summary>Whether a .NET custom date/time format parses a UTC offset (<c>z</c>, <c>zz</c>, <c>zzz</c>, <c>K</c>).</summary>
    internal static bool HasOffset(string format) => format.Contains('z', StringComparison.Ordinal) || format.Contains('K', StringComparison.Ordinal);

    private static void Only(JsonWalker json, string path, FieldSpec spec, bool allowed, string what)
    {
        if (!allowed)
        {
            throw json.Error(path, $"does not apply to '{spec.Name}' ({spec.Type.ToString().ToLowerInvariant()})", $"it only on {what}");
        }
    }

    private static TimeZoneInfo Zone(JsonWalker json, string path, string id) =>
        (id.Contains('/', StringComparison.Ordinal) || id == "UTC") && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : throw json.Error(path, $"'{id}' is not a time zone the tz database knows", "an IANA name such as Europe/London or America/New_York");

    private static AmbiguousTimePolicy Ambiguous(JsonWalker json, JsonElement element, string path) =>
        json.OptionalString(element, path, "ambiguous_time") switch
        {
            null or "reject" => AmbiguousTimePolicy.Reject,
            "earlier" => AmbiguousTimePolicy.Earlier,
            "later" => AmbiguousTimePolicy.Later,
            var other => throw json.Error(path + ".ambiguous_time", $"'{other}' is not a policy", "reject, earlier or later"),
        };

    /// <summary>Whether the header (names trimmed, case-insensitive) has every <see cref="DetectHeaders"/> column.</summary>
    public bool MatchesHeader(IEnumerable<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var names = new HashSet<string>(header.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        return DetectHeaders.All(names.Contains);
    }

    /// <summary>
    /// Whether a file's first bytes are this profile's: decoded with the profile's encoding, past its leading lines,
    /// the header row (split with its separator, quotes honoured) has every <see cref="DetectHeaders"/> column.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> head)
    {
        var bytes = Encoding is null ? head : Encoding.UTF8.GetBytes(Encoding.GetString(head));
        for (var skipped = 0; skipped < LeadingLines; skipped++)
        {
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                return false;
            }

            bytes = bytes[(end + 1)..];
        }

        using var reader = new CsvRecordReader(new MemoryStream(bytes.ToArray()), firstLine: 1, length: long.MaxValue, separator: Separator);
        if (!reader.Read() || reader.Problem != RecordProblem.None)
        {
            return false;
        }

        return MatchesHeader(Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader.Field(i))));
    }

    /// <summary>Walks a JSON profile, checking every object's properties and types, with errors naming the JSON path.</summary>
    private sealed class JsonWalker(string source)
    {
        public string Source { get; } = source;

        public InputDataException Error(string path, string problem, string expected) =>
            new(new SourceLocation(Source), $"{path} {problem}", expected);

        public void Object(JsonElement element, string path, IReadOnlyCollection<string> allowed, string? expectedKey = null)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, $"is {Describe(element)}", "a JSON object");
            }

            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    var near = allowed.Select(a => (Name: a, Distance: Distance(a, property.Name))).Where(x => x.Distance <= 2)
                        .OrderBy(x => x.Distance).Select(x => x.Name).FirstOrDefault();
                    throw new InputDataException(new SourceLocation(Source), $"{path}.{property.Name} is not a property the profile format knows",
                        expectedKey ?? "one of " + string.Join(", ", allowed), near is null ? null : $"did you mean '{near}'?");
                }
            }
        }

        public static JsonElement? Property(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        public string RequiredString(JsonElement element, string path, string name) =>
            OptionalString(element, path, name) ?? throw Error($"{path}.{name}", "is missing", "a non-empty string");

        public string? OptionalString(JsonElement element, string path, string name)
        {
            if (Property(element, name) is not { } value)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : throw Error($"{path}.{name}", $"is {Describe(value)}", "a non-empty string");
        }

        public char? OptionalChar(JsonElement element, string path, string name) =>
            OptionalString(element, path, name) is not { } text ? null
            : text.Length == 1 ? text[0]
            : throw Error($"{path}.{name}", $"is '{text}'", "a single character, e.g. \",\"");

        public int? OptionalCount(JsonElement element, string path, string name)
        {
            if (Property(element, name) is not { } value)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0
                ? count
                : throw Error($"{path}.{name}", $"is {Describe(value)}", "a whole number, 0 or more");
        }

        public List<string> RequiredStrings(JsonElement element, string path, string name)
        {
            var value = Property(element, name) ?? throw Error($"{path}.{name}", "is missing", "an array of strings");
            var list = new List<string>();
            foreach (var (item, itemPath) in Array(value, $"{path}.{name}"))
            {
                list.Add(item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } text
                    ? text
                    : throw Error(itemPath, $"is {Describe(item)}", "a non-empty string"));
            }

            return list.Count > 0 ? list : throw Error($"{path}.{name}", "is empty", "at least one string");
        }

        public IEnumerable<(JsonElement Item, string Path)> Array(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Error(path, $"is {Describe(value)}", "a JSON array");
            }

            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                yield return (item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"));
            }
        }

        public Dictionary<string, string> StringMap(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, $"is {Describe(value)}", "an object of \"source value\": \"canonical value\"");
            }

            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in value.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw Error($"{path}.{property.Name}", $"is {Describe(property.Value)}", "a string");
                }

                if (!map.TryAdd(property.Name.Trim(), property.Value.GetString()!))
                {
                    throw Error($"{path}.{property.Name}", "is mapped twice (keys are compared ignoring case and spaces)", "each source value once");
                }
            }

            return map;
        }

        /// <summary>Edit distance (insertions, deletions, substitutions; case-insensitive) between two property names.</summary>
        private static int Distance(string a, string b)
        {
            a = a.ToUpperInvariant();
            b = b.ToUpperInvariant();
            var previous = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var current = new int[b.Length + 1];
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }

                previous = current;
            }

            return previous[b.Length];
        }

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{element.GetString()}\"",
            JsonValueKind.Number => $"the number {element.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
    }
}
