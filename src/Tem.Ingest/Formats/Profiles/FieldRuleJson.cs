using System.Globalization;
using System.Text;
using System.Text.Json;
using Tem.Core;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>
/// Reads one field's rule of a profile (<c>"amount": {"column": "Cost", "multiply": 0.01}</c>): where the value comes
/// from (column, columns, constant or template), its formats, zone, duration, map, sign and arithmetic, each checked
/// against the type of the canonical field it fills.
/// </summary>
internal static class FieldRuleJson
{
    private static readonly string[] FieldProperties =
        ["column", "columns", "join", "constant", "template", "format", "time_zone", "ambiguous_time", "duration", "map", "negate_when", "multiply",
         "divide", "round", "decimal_separator", "thousands_separator", "strip"];

    /// <summary>One field's rule (<c>$.fields.NAME</c> or a route's), with the profile-wide conventions as defaults.</summary>
    public static FieldRule FieldRuleFrom(JsonWalker json, JsonElement element, string path, FieldSpec spec, FieldRule defaults)
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
    public static bool HasOffset(string format) => format.Contains('z', StringComparison.Ordinal) || format.Contains('K', StringComparison.Ordinal);

    private static void Only(JsonWalker json, string path, FieldSpec spec, bool allowed, string what)
    {
        if (!allowed)
        {
            throw json.Error(path, $"does not apply to '{spec.Name}' ({spec.Type.ToString().ToLowerInvariant()})", $"it only on {what}");
        }
    }

    /// <summary>The time zone of an IANA name.</summary>
    public static TimeZoneInfo Zone(JsonWalker json, string path, string id) =>
        (id.Contains('/', StringComparison.Ordinal) || id == "UTC") && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : throw json.Error(path, $"'{id}' is not a time zone the tz database knows", "an IANA name such as Europe/London or America/New_York");

    /// <summary>The <c>ambiguous_time</c> policy of an object (default: reject).</summary>
    public static AmbiguousTimePolicy Ambiguous(JsonWalker json, JsonElement element, string path) =>
        json.OptionalString(element, path, "ambiguous_time") switch
        {
            null or "reject" => AmbiguousTimePolicy.Reject,
            "earlier" => AmbiguousTimePolicy.Earlier,
            "later" => AmbiguousTimePolicy.Later,
            var other => throw json.Error(path + ".ambiguous_time", $"'{other}' is not a policy", "reject, earlier or later"),
        };
}
