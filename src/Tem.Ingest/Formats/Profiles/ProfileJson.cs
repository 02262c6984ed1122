using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Lake.Layouts;
using static Tem.Ingest.Formats.Profiles.FieldRuleJson;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>
/// Reads a profile's JSON into a <see cref="CarrierProfile"/>: the top level (name, kind, separator, encoding, skip,
/// the profile-wide number and time conventions), the <c>fields</c>, the <c>routes</c> and their conditions, and
/// <c>detect</c>. Strict: an unknown property, a wrong type or a mapping the kind cannot take is an
/// <see cref="InputDataException"/> naming the file and the JSON path. One field's rule is read by <see cref="FieldRuleJson"/>.
/// </summary>
internal static class ProfileJson
{
    internal static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static readonly string[] TopProperties =
        ["$schema", "name", "description", "kind", "detect", "separator", "encoding", "skip", "time_zone", "ambiguous_time", "decimal_separator",
         "thousands_separator", "strip", "fields", "routes"];

    private static readonly string[] ConditionTests = ["equals", "matches", "number"];

    /// <summary>Builds the profile from its parsed JSON, checking every property; errors name the JSON path.</summary>
    public static CarrierProfile Build(JsonWalker json, JsonElement root)
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
}
