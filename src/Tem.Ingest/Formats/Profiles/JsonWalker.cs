using System.Globalization;
using System.Text.Json;
using Tem.Core;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>Walks a JSON profile, checking every object's properties and types, with errors naming the JSON path.</summary>
internal sealed class JsonWalker(string source)
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
