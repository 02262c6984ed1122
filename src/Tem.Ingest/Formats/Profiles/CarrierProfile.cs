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
/// positive amounts), value maps and durations. Loading is strict: an unknown property, a wrong type or a mapping
/// the kind cannot take is an <see cref="InputDataException"/> naming the file and the JSON path.
/// </summary>
public sealed class CarrierProfile
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static readonly string[] TopProperties =
        ["$schema", "name", "description", "kind", "detect", "separator", "encoding", "skip", "time_zone", "ambiguous_time", "decimal_separator",
         "thousands_separator", "strip", "fields"];

    private static readonly string[] FieldProperties =
        ["column", "columns", "join", "constant", "format", "time_zone", "ambiguous_time", "duration", "map", "negate_when", "multiply", "round",
         "decimal_separator", "thousands_separator", "strip"];

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
        json.Object(fields, "$.fields", [.. layout.Fields.Select(f => f.Name)],
            $"one of the {layout.Kind} fields ({string.Join(", ", layout.Fields.Select(f => f.Name))})");
        var rules2 = new FieldRule?[layout.Fields.Count];
        for (var i = 0; i < layout.Fields.Count; i++)
        {
            var spec = layout.Fields[i];
            if (JsonWalker.Property(fields, spec.Name) is { } element)
            {
                rules2[i] = FieldRuleFrom(json, element, "$.fields." + spec.Name, spec, defaults);
            }
            else if (spec.Required)
            {
                throw json.Error("$.fields", $"has no rule for '{spec.Name}', which every {layout.Kind} row requires",
                    $"\"{spec.Name}\": {{\"column\": \"...\"}} or {{\"constant\": \"...\"}}");
            }
        }

        profile.Fields = rules2;
        if (JsonWalker.Property(root, "detect") is { } detect)
        {
            json.Object(detect, "$.detect", ["headers"]);
            profile.DetectHeaders = json.RequiredStrings(detect, "$.detect", "headers");
        }
        else
        {
            // By default a file is this profile's when its header has every column the profile reads.
            profile.DetectHeaders = [.. rules2.Where(r => r is not null).SelectMany(r => r!.Columns.Concat(r.NegateColumn is null ? [] : [r.NegateColumn]))
                .Concat(profile.SkipRows.Select(s => s.Column)).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        if (profile.DetectHeaders.Count == 0)
        {
            throw json.Error("$.detect.headers", "is empty, so no file could be recognised", "the names of header columns that identify the layout");
        }

        return profile;
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
        var sources = (column is null ? 0 : 1) + (columns is null ? 0 : 1) + (rule.Constant is null ? 0 : 1);
        if (sources != 1)
        {
            throw json.Error(path, sources == 0 ? "says neither where the value comes from nor what it is" : "has more than one of column, columns and constant",
                "exactly one of \"column\": \"Header\", \"columns\": [\"A\", \"B\"] or \"constant\": \"value\"");
        }

        rule.Columns = column is not null ? [column] : columns ?? [];
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

        if (JsonWalker.Property(element, "multiply") is { } multiply)
        {
            Only(json, path + ".multiply", spec, spec.Type is FieldType.Money or FieldType.Quantity, "money and quantity fields");
            rule.Multiply = multiply.ValueKind == JsonValueKind.Number && multiply.TryGetDecimal(out var factor)
                ? factor
                : throw json.Error(path + ".multiply", "is not a number", "a decimal factor, e.g. 0.01");
        }

        if (json.OptionalCount(element, path, "round") is { } round)
        {
            Only(json, path + ".round", spec, spec.Type is FieldType.Money or FieldType.Quantity, "money and quantity fields");
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
