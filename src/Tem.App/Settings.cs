using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tem.Audit;
using Tem.Core;
using Tem.Lake;
using Tem.Reports;

namespace Tem.App;

/// <summary>
/// The settings of a lake's runs as the settings file <c>tem.json</c> holds them (JSON, camelCase). Every value is
/// optional: what a file leaves out comes from the layer below it (the defaults, or the lake's own file under a
/// pipeline's). The same shape is what every run records as the settings it used.
/// <code>
/// { "memoryLimit": "1GB",
///   "audit": { "rules": "my-rules", "set": { "rate_overcharge.min_amount": 0.05, "credit_match.tolerance": 0.01 } },
///   "report": { "proposalCurrency": "USD", "fx": { "EUR": 1.08, "GBP": 1.27 }, "tenants": true,
///               "contingencyFee": 30, "followUpDays": 30 } }
/// </code>
/// </summary>
public sealed record TemSettings
{
    /// <summary>DuckDB's memory limit for ingest and audit (<c>--memory-limit</c>; default 1GB).</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>What <c>tem audit</c> takes.</summary>
    public AuditSettings? Audit { get; init; }

    /// <summary>What <c>tem report</c> takes.</summary>
    public ReportSettings? Report { get; init; }
}

/// <summary>The <c>audit</c> section of <see cref="TemSettings"/>.</summary>
public sealed record AuditSettings
{
    /// <summary>A folder of the analyst's own rule files (<c>--rules</c>); in a file, relative to the file.</summary>
    public string? Rules { get; init; }

    /// <summary>Rule settings, <c>rule.setting</c> to a number (<c>--set rule.setting=value</c>).</summary>
    public IReadOnlyDictionary<string, decimal>? Set { get; init; }
}

/// <summary>The <c>report</c> section of <see cref="TemSettings"/>.</summary>
public sealed record ReportSettings
{
    /// <summary>Currency of upgrade.csv's prices (<c>--proposal-currency</c>).</summary>
    public string? ProposalCurrency { get; init; }

    /// <summary>Exchange rates into the proposal currency, currency to rate (<c>--fx CUR=RATE</c>).</summary>
    public IReadOnlyDictionary<string, decimal>? Fx { get; init; }

    /// <summary>Write the per-tenant sets under <c>tenants/</c> (default true; <c>--no-tenants</c>).</summary>
    public bool? Tenants { get; init; }

    /// <summary>The contingency fee, percent of realised savings (<c>--contingency-fee</c>; default 0).</summary>
    public decimal? ContingencyFee { get; init; }

    /// <summary>Days after which a submitted claim is overdue (<c>--follow-up-days</c>; default 30).</summary>
    public int? FollowUpDays { get; init; }

    /// <summary>Also print every page of the set to PDF beside it (<c>--pdf</c>; default false: it needs a Chromium-family browser).</summary>
    public bool? Pdf { get; init; }
}

/// <summary>One layer of settings and where it came from (<c>default</c>, a file's path, <c>flag</c>, a pipeline).</summary>
/// <param name="Source">Where the values came from, as <c>tem config show</c> prints it.</param>
/// <param name="Settings">The values; null ones leave the layer below in force.</param>
public sealed record SettingsLayer(string Source, TemSettings Settings);

/// <summary>One problem with a settings value: its JSON path in a file, the command-line option that sets it, and what is wrong.</summary>
/// <param name="Path">The key's JSON path, e.g. <c>$.report.fx.EUR</c>.</param>
/// <param name="Option">The option that sets it, e.g. <c>--fx</c>.</param>
/// <param name="Message">What is wrong and what was expected.</param>
/// <param name="KeyProblem">True when the key itself is wrong (an unknown rule setting), not its value.</param>
public sealed record SettingsProblem(string Path, string Option, string Message, bool KeyProblem = false);

/// <summary>
/// The settings file of a lake, <c>LAKE/tem.json</c>: read (unknown keys and bad values are
/// <see cref="InputDataException"/>s naming the file, line, column and JSON path), checked and written.
/// </summary>
public static class SettingsFile
{
    /// <summary>The file's name in the lake folder.</summary>
    public const string FileName = "tem.json";

    private const string Hint = "README, 'Settings', lists every key";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private static readonly JsonSerializerOptions Write = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    private static readonly JsonSerializerOptions WriteCompact = new(Write) { WriteIndented = false };

    /// <summary>What each key holds, by JSON path without <c>$.</c> (<c>*</c>: any name), for messages.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = "an object with memoryLimit, audit, report",
        ["*"] = "memoryLimit, audit, report",
        ["audit.*"] = "rules, set",
        ["report.*"] = "proposalCurrency, fx, tenants, contingencyFee, followUpDays, pdf",
        ["memoryLimit"] = "a size such as 1GB or 500MB",
        ["audit"] = "an object with rules, set",
        ["audit.rules"] = "a folder of rule files (*.sql), relative to the settings file",
        ["audit.set"] = "an object of rule.setting to a number, e.g. { \"rate_overcharge.min_amount\": 0.05 }",
        ["audit.set.*"] = "a number with '.' as the decimal point, e.g. 0.05 (tem audit --list-rules shows every setting)",
        ["report"] = "an object with proposalCurrency, fx, tenants, contingencyFee, followUpDays, pdf",
        ["report.proposalCurrency"] = "a currency code, e.g. \"USD\"",
        ["report.fx"] = "an object of currency to rate, e.g. { \"EUR\": 1.08 }",
        ["report.fx.*"] = "a positive number: 1 CUR = RATE in the proposal currency, e.g. 1.08",
        ["report.tenants"] = "true or false",
        ["report.contingencyFee"] = "a percentage from 0 to 100",
        ["report.followUpDays"] = "a whole number of days, 0 or more",
        ["report.pdf"] = "true or false",
    };

    /// <summary>The settings file of a lake folder.</summary>
    public static string PathIn(string lake)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        return System.IO.Path.Combine(System.IO.Path.GetFullPath(lake), FileName);
    }

    /// <summary>Reads and checks a settings file, or null when it does not exist. A relative <c>audit.rules</c> is resolved against the file's folder.</summary>
    /// <exception cref="InputDataException">The file is not valid JSON, has an unknown key or a bad value.</exception>
    public static TemSettings? Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return null;
        }

        var full = System.IO.Path.GetFullPath(path);
        var text = File.ReadAllText(full);
        return Parse(text, full, "$", text, System.IO.Path.GetDirectoryName(full)!);
    }

    /// <summary>
    /// Reads settings embedded in another JSON file (a scheduled pipeline's <c>settings</c> object) and checks them;
    /// messages name <paramref name="file"/>, the line in it and the full JSON path.
    /// </summary>
    /// <param name="fileText">The whole text of the file holding the object (for line numbers).</param>
    /// <param name="file">The file's path.</param>
    /// <param name="prefix">The object's JSON path in the file, e.g. <c>$.pipelines[0].settings</c>.</param>
    /// <param name="json">The object's own text.</param>
    /// <exception cref="InputDataException">An unknown key or a bad value.</exception>
    public static TemSettings ParseEmbedded(string fileText, string file, string prefix, string json)
    {
        ArgumentNullException.ThrowIfNull(fileText);
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(json);
        return Parse(json, file, prefix, fileText, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file))!);
    }

    private static TemSettings Parse(string json, string file, string prefix, string fileText, string baseDir)
    {
        var name = System.IO.Path.GetFileName(file);
        TemSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<TemSettings>(json, Json);
        }
        catch (JsonException e)
        {
            var relative = e.Path ?? "$";
            var path = Join(prefix, relative);
            var key = Key(relative);
            var unknown = e.Message.Contains("could not be mapped", StringComparison.Ordinal);
            var converted = e.Message.Contains("could not be converted", StringComparison.Ordinal);

            // A key or value the serializer refused is located at its key; a syntax error where the reader stopped.
            var (line, column) = unknown || converted || prefix != "$"
                ? Locate(fileText, path)
                : (checked((int)(e.LineNumber ?? 0) + 1), checked((int)(e.BytePositionInLine ?? 0) + 1));
            var problem = unknown
                ? $"unknown key '{UnknownName(e.Message)}'"
                : converted
                    ? "not a value this key takes"
                    : FirstSentence(e.Message);
            var expected = unknown ? "one of " + Expected[(key.LastIndexOf('.') is var dot and > 0 ? key[..dot] + "." : string.Empty) + "*"] : ExpectedFor(key);
            throw new InputDataException(new SourceLocation(name, line, column, path), problem, expected, Hint, e);
        }

        if (settings is null)
        {
            throw new InputDataException(new SourceLocation(name, 1, 1, prefix), "the file holds null", ExpectedFor(string.Empty));
        }

        if (settings.Audit?.Rules is { } rules)
        {
            settings = settings with { Audit = settings.Audit with { Rules = System.IO.Path.GetFullPath(rules, baseDir) } };
        }

        if (Validate(settings) is [var first, ..])
        {
            var path = Join(prefix, first.Path);
            var (line, column) = Locate(fileText, path);
            // Each check's message says what was expected.
            throw new InputDataException(new SourceLocation(name, line, column, path), first.Message, null,
                first.KeyProblem ? "tem audit --list-rules lists every rule setting" : null);
        }

        return settings;
    }

    /// <summary>
    /// Checks the values of one layer (a file or the command line's flags): sizes, currencies, rates, ranges, and that
    /// every rule setting exists (the rules of <see cref="AuditSettings.Rules"/> included) with a value in range.
    /// </summary>
    /// <param name="settings">The layer.</param>
    /// <param name="rulesFolder">The rules folder in force when the layer names none (a file's, under the command line's <c>--set</c>).</param>
    public static IReadOnlyList<SettingsProblem> Validate(TemSettings settings, string? rulesFolder = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<SettingsProblem>();
        if (settings.MemoryLimit is { } memory && !LakeSession.IsMemorySize(memory))
        {
            problems.Add(new("$.memoryLimit", "--memory-limit", $"'{memory}' is not a size such as 1GB or 500MB"));
        }

        if (settings.Audit is { } audit)
        {
            RuleList? rules = null;
            if (audit.Rules is { } folder && !Directory.Exists(folder))
            {
                problems.Add(new("$.audit.rules", "--rules", $"the folder {folder} does not exist"));
            }
            else if ((audit.Rules ?? rulesFolder) is var effective && (effective is null || Directory.Exists(effective)))
            {
                rules = AuditOperation.ListRules(effective);
            }

            foreach (var (key, value) in audit.Set ?? new Dictionary<string, decimal>())
            {
                var path = $"$.audit.set['{key}']";
                if (rules is not null && KnownSetting(rules, key) is { } unknown)
                {
                    problems.Add(new(path, "--set", unknown, KeyProblem: true));
                    continue;
                }

                try
                {
                    AuditOperation.ValidateSettings(new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value.ToString(CultureInfo.InvariantCulture) });
                }
                catch (ArgumentException e)
                {
                    problems.Add(new(path, "--set", e.Message));
                }
            }
        }

        if (settings.Report is { } report)
        {
            if (report.ProposalCurrency is { } currency && !CurrencyCode.TryParse(currency, out _))
            {
                problems.Add(new("$.report.proposalCurrency", "--proposal-currency", $"'{currency}' is not a currency code"));
            }

            foreach (var (code, rate) in report.Fx ?? new Dictionary<string, decimal>())
            {
                if (!CurrencyCode.TryParse(code, out var parsed))
                {
                    problems.Add(new($"$.report.fx.{code}", "--fx", $"'{code}' is not a currency code"));
                }
                else if (parsed.Code != code)
                {
                    // One spelling per currency, so that a rate given by a flag (upper case) replaces it instead of
                    // standing beside it.
                    problems.Add(new($"$.report.fx.{code}", "--fx", $"'{code}': write the currency code as {parsed.Code}"));
                }
                else if (rate <= 0)
                {
                    problems.Add(new($"$.report.fx.{code}", "--fx", string.Create(CultureInfo.InvariantCulture, $"{code} {rate} is not a positive rate")));
                }
            }

            if (report.ContingencyFee is < 0 or > 100)
            {
                problems.Add(new("$.report.contingencyFee", "--contingency-fee", string.Create(CultureInfo.InvariantCulture, $"{report.ContingencyFee} is not a percentage from 0 to 100")));
            }

            if (report.FollowUpDays is < 0)
            {
                problems.Add(new("$.report.followUpDays", "--follow-up-days", string.Create(CultureInfo.InvariantCulture, $"{report.FollowUpDays} is not 0 or more days")));
            }
        }

        return problems;
    }

    /// <summary>
    /// Writes <paramref name="settings"/> over the lake's settings file (key by key: what they leave out stays as it
    /// was), aside and then renamed. Comments in the file are not kept. Returns the file's path.
    /// </summary>
    /// <exception cref="InputDataException">The existing file cannot be read.</exception>
    public static string Save(string lake, TemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = PathIn(lake);
        var merged = Merge(Load(path) ?? new TemSettings(), settings);
        if (merged.Report is { ProposalCurrency: null, Fx: null, Tenants: null, ContingencyFee: null, FollowUpDays: null, Pdf: null })
        {
            merged = merged with { Report = null };
        }

        if (merged.Audit is { Rules: null, Set: null })
        {
            merged = merged with { Audit = null };
        }

        if (merged.Audit?.Rules is { } rules)
        {
            // Kept relative to the file when it lies below it, so that a lake moved with its rules keeps working.
            var relative = System.IO.Path.GetRelativePath(System.IO.Path.GetDirectoryName(path)!, rules);
            merged = merged with { Audit = merged.Audit with { Rules = relative.StartsWith("..", StringComparison.Ordinal) ? rules : relative } };
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp"; // two saves at once must not share a file
        File.WriteAllText(temporary, ToJson(merged) + "\n", new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>The settings as the file's JSON (camelCase, nulls left out; indented unless <paramref name="indented"/> is false).</summary>
    public static string ToJson(TemSettings settings, bool indented = true) => JsonSerializer.Serialize(settings, indented ? Write : WriteCompact);

    /// <summary>Reads <see cref="ToJson"/>'s text back (no checks: for text Tem wrote itself).</summary>
    public static TemSettings FromJson(string json) => JsonSerializer.Deserialize<TemSettings>(json, Json) ?? new TemSettings();

    /// <summary><paramref name="over"/> laid over <paramref name="under"/>, key by key (rule settings and rates one by one).</summary>
    public static TemSettings Merge(TemSettings under, TemSettings over)
    {
        ArgumentNullException.ThrowIfNull(under);
        ArgumentNullException.ThrowIfNull(over);
        static IReadOnlyDictionary<string, decimal>? Both(IReadOnlyDictionary<string, decimal>? a, IReadOnlyDictionary<string, decimal>? b)
        {
            if (a is null || b is null)
            {
                return b ?? a;
            }

            var d = new SortedDictionary<string, decimal>(a.ToDictionary(), StringComparer.Ordinal);
            foreach (var (k, v) in b)
            {
                d[k] = v;
            }

            return d;
        }

        return new TemSettings
        {
            MemoryLimit = over.MemoryLimit ?? under.MemoryLimit,
            Audit = under.Audit is null && over.Audit is null ? null : new AuditSettings
            {
                Rules = over.Audit?.Rules ?? under.Audit?.Rules,
                Set = Both(under.Audit?.Set, over.Audit?.Set),
            },
            Report = under.Report is null && over.Report is null ? null : new ReportSettings
            {
                ProposalCurrency = over.Report?.ProposalCurrency ?? under.Report?.ProposalCurrency,
                Fx = Both(under.Report?.Fx, over.Report?.Fx),
                Tenants = over.Report?.Tenants ?? under.Report?.Tenants,
                ContingencyFee = over.Report?.ContingencyFee ?? under.Report?.ContingencyFee,
                FollowUpDays = over.Report?.FollowUpDays ?? under.Report?.FollowUpDays,
                Pdf = over.Report?.Pdf ?? under.Report?.Pdf,
            },
        };
    }

    private static string? KnownSetting(RuleList rules, string key)
    {
        if (key == Tem.Audit.Disputes.BillReconciler.ToleranceKey)
        {
            return null;
        }

        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return $"'{key}' is not rule.setting";
        }

        var rule = rules.Rules.FirstOrDefault(r => r.Id == key[..dot]);
        if (rule is null)
        {
            return $"there is no rule '{key[..dot]}'";
        }

        return rule.Settings.Any(s => s.Name == key[(dot + 1)..])
            ? null
            : $"{key} is not a setting of {rule.Id}; its settings are {(rule.Settings.Count == 0 ? "none" : string.Join(", ", rule.Settings.Select(s => s.Name)))}";
    }

    private static string ExpectedFor(string key)
    {
        if (Expected.TryGetValue(key, out var e))
        {
            return e;
        }

        var parent = key.LastIndexOf('.') is var dot and > 0 ? key[..dot] : string.Empty;
        if (Expected.ContainsKey(parent + ".*"))
        {
            return Expected[parent + ".*"];
        }

        // An unknown key: the keys its section has.
        return Expected.TryGetValue(parent, out var section) ? section : Expected[string.Empty];
    }

    /// <summary>A JSON path as a key of <see cref="Expected"/>: <c>$.audit.set['a.b']</c> -> <c>audit.set.*</c>.</summary>
    private static string Key(string path)
    {
        var segments = Segments(path);
        var map = segments.Count == 3 && (segments[0], segments[1]) is ("audit", "set") or ("report", "fx");
        return map ? $"{segments[0]}.{segments[1]}.*" : string.Join('.', segments);
    }

    private static string UnknownName(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : "?";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }

    private static string Join(string prefix, string relative) => prefix + (relative.Length > 1 ? relative[1..] : string.Empty);

    /// <summary>The names and indexes of a JSON path such as <c>$.pipelines[0].settings.audit.set['a.b']</c>.</summary>
    private static List<string> Segments(string path)
    {
        var list = new List<string>();
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                list.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                list.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                list.Add(path[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                i++;
            }
        }

        return list;
    }

    /// <summary>The line and column (1-based) of the key at <paramref name="path"/> in a JSON text, or of its nearest ancestor found.</summary>
    private static (int Line, int Column) Locate(string text, string path)
    {
        var want = Segments(path);
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var stack = new List<string>();
        var containers = new Stack<(bool Array, int Index)>();
        var best = (Depth: -1, Offset: 0L);
        void At(int level, string segment, long offset)
        {
            if (stack.Count > level)
            {
                stack.RemoveRange(level, stack.Count - level);
            }

            stack.Add(segment);
            var matched = Matched(stack, want);
            if (matched > best.Depth)
            {
                best = (matched, offset);
            }
        }

        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        At(reader.CurrentDepth - 1, reader.GetString()!, reader.TokenStartIndex);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (containers.Count > 0 && containers.Peek().Array)
                        {
                            // An element of an array: its index is a path segment.
                            var (_, index) = containers.Pop();
                            containers.Push((true, index + 1));
                            At(reader.CurrentDepth - 1, (index + 1).ToString(CultureInfo.InvariantCulture), reader.TokenStartIndex);
                        }

                        containers.Push((reader.TokenType == JsonTokenType.StartArray, -1));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A text the serializer read has no syntax error; a partial walk still locates what it passed.
        }

        return best.Depth < 0 ? (1, 1) : LineAndColumn(bytes, best.Offset);
    }

    private static int Matched(List<string> stack, List<string> want)
    {
        if (stack.Count > want.Count)
        {
            return -1;
        }

        for (var i = 0; i < stack.Count; i++)
        {
            if (!string.Equals(stack[i], want[i], StringComparison.OrdinalIgnoreCase))
            {
                return -1;
            }
        }

        return stack.Count;
    }

    private static (int Line, int Column) LineAndColumn(byte[] bytes, long offset)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return (line, column);
    }
}

/// <summary>
/// The settings a command runs with: the defaults, then the lake's <c>tem.json</c>, then a scheduled pipeline's own
/// settings, then the command line, each key from the last layer that sets it. <see cref="Sources"/> says which.
/// </summary>
public sealed class EffectiveSettings
{
    /// <summary>The defaults: what a command runs with when nothing is set.</summary>
    public static TemSettings Defaults { get; } = new()
    {
        MemoryLimit = "1GB",
        Audit = new AuditSettings { Set = new Dictionary<string, decimal>() },
        Report = new ReportSettings { Fx = new Dictionary<string, decimal>(), Tenants = true, ContingencyFee = 0, FollowUpDays = 30, Pdf = false },
    };

    private EffectiveSettings(TemSettings values, IReadOnlyDictionary<string, string> sources)
    {
        Values = values;
        Sources = sources;
    }

    /// <summary>Every value in force (rule settings: only those set; the rest are the rules' own defaults).</summary>
    public TemSettings Values { get; }

    /// <summary>Where each value came from, by key (<c>memoryLimit</c>, <c>audit.set.rate_overcharge.min_amount</c>, <c>report.fx.EUR</c>...).</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>The settings of a lake: <see cref="Defaults"/>, its <c>tem.json</c> when there is one, then <paramref name="over"/> in order.</summary>
    /// <exception cref="InputDataException">The lake's settings file cannot be used.</exception>
    public static EffectiveSettings ForLake(string lake, params SettingsLayer[] over)
    {
        ArgumentNullException.ThrowIfNull(over);
        var path = SettingsFile.PathIn(lake);
        var layers = new List<SettingsLayer> { new("default", Defaults) };
        if (SettingsFile.Load(path) is { } file)
        {
            layers.Add(new SettingsLayer(path, file));
        }

        layers.AddRange(over);
        return Resolve(layers);
    }

    /// <summary>Lays the layers over each other, first at the bottom.</summary>
    public static EffectiveSettings Resolve(IEnumerable<SettingsLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var values = new TemSettings();
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, s) in layers)
        {
            values = SettingsFile.Merge(values, s);
            void Mark(string key, object? value)
            {
                if (value is not null)
                {
                    sources[key] = source;
                }
            }

            Mark("memoryLimit", s.MemoryLimit);
            Mark("audit.rules", s.Audit?.Rules);
            foreach (var key in s.Audit?.Set?.Keys ?? [])
            {
                sources["audit.set." + key] = source;
            }

            Mark("report.proposalCurrency", s.Report?.ProposalCurrency);
            foreach (var key in s.Report?.Fx?.Keys ?? [])
            {
                sources["report.fx." + key] = source;
            }

            Mark("report.tenants", s.Report?.Tenants);
            Mark("report.contingencyFee", s.Report?.ContingencyFee);
            Mark("report.followUpDays", s.Report?.FollowUpDays);
            Mark("report.pdf", s.Report?.Pdf);
        }

        return new EffectiveSettings(values, sources);
    }

    /// <summary>DuckDB's memory limit.</summary>
    public string MemoryLimit => Values.MemoryLimit ?? "1GB";

    /// <summary>Every key with its value (null: not set) and where it came from, in the file's order, for <c>tem config show</c>.</summary>
    public IReadOnlyList<(string Key, string? Value, string Source)> Entries
    {
        get
        {
            static string? Text(object? v) => v switch
            {
                null => null,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            };

            var list = new List<(string, object?)> { ("memoryLimit", Values.MemoryLimit), ("audit.rules", Values.Audit?.Rules) };
            list.AddRange((Values.Audit?.Set ?? new Dictionary<string, decimal>()).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => ("audit.set." + k.Key, (object?)k.Value)));
            list.Add(("report.proposalCurrency", Values.Report?.ProposalCurrency));
            list.AddRange((Values.Report?.Fx ?? new Dictionary<string, decimal>()).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => ("report.fx." + k.Key, (object?)k.Value)));
            list.Add(("report.tenants", Values.Report?.Tenants));
            list.Add(("report.contingencyFee", Values.Report?.ContingencyFee));
            list.Add(("report.followUpDays", Values.Report?.FollowUpDays));
            list.Add(("report.pdf", Values.Report?.Pdf));
            return [.. list.Select(e => (e.Item1, Text(e.Item2), Sources.TryGetValue(e.Item1, out var source) ? source : "default"))];
        }
    }

    /// <summary>The audit's options (rules folder, rule settings, memory limit).</summary>
    public AuditOptions ToAuditOptions() => new()
    {
        RulesFolder = Values.Audit?.Rules,
        Settings = (Values.Audit?.Set ?? new Dictionary<string, decimal>())
            .ToDictionary(s => s.Key, s => s.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
        MemoryLimit = MemoryLimit,
    };

    /// <summary>The report's options (all tenant sets unless <c>report.tenants</c> is false).</summary>
    public ReportOptions ToReportOptions() => new()
    {
        ProposalCurrency = Values.Report?.ProposalCurrency is { } c ? CurrencyCode.Parse(c).Code : null,
        ExchangeRates = (Values.Report?.Fx ?? new Dictionary<string, decimal>()).ToDictionary(r => CurrencyCode.Parse(r.Key).Code, r => r.Value, StringComparer.Ordinal),
        WriteTenantSets = Values.Report?.Tenants ?? true,
        ContingencyFeePct = Values.Report?.ContingencyFee ?? 0,
        FollowUpDays = Values.Report?.FollowUpDays ?? 30,
        Pdf = Values.Report?.Pdf ?? false,
    };

    /// <summary>The settings as recorded with a run (<c>runs.settings</c>): the settings file's JSON on one line, so it can be copied into one.</summary>
    public string ToJson() => SettingsFile.ToJson(Values, indented: false);

    /// <summary>The settings as an object for <c>--json</c> output (the file's names and shape).</summary>
    public JsonElement ToJsonElement()
    {
        using var document = JsonDocument.Parse(ToJson());
        return document.RootElement.Clone();
    }
}
