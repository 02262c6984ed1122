using Tem.Core;

namespace Tem.Audit;

/// <summary>The rules an audit runs: the built-in catalogue (embedded SQL files) plus an analyst's folder of <c>*.sql</c>.</summary>
public static class RuleCatalog
{
    /// <summary>Where a rule from an analyst's folder is defined, for a reader of the report.</summary>
    internal const string AnalystRule = "an analyst's rule (tem audit --rules DIR)";

    private const string Prefix = "Tem.Audit.Rules.";

    /// <summary>The built-in rules, in id order.</summary>
    public static IReadOnlyList<RuleDefinition> BuiltIn { get; } = LoadBuiltIn();

    /// <summary>
    /// The built-in rules plus the <c>*.sql</c> files of <paramref name="folder"/>. A user rule with a built-in id
    /// replaces it. A user file that cannot be parsed is returned in <paramref name="broken"/> and left out.
    /// </summary>
    public static IReadOnlyList<RuleDefinition> Load(string? folder, out IReadOnlyList<(string File, string Error)> broken)
    {
        var rules = BuiltIn.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var errors = new List<(string, string)>();
        if (folder is not null)
        {
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"{folder}: no such rules folder.");
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.sql").Order(StringComparer.Ordinal))
            {
                try
                {
                    var rule = RuleDefinition.Parse(File.ReadAllText(file), file);
                    rules[rule.Id] = rule;
                }
                catch (InputDataException e)
                {
                    errors.Add((file, e.Message));
                }
            }
        }

        broken = errors;
        return [.. rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>The rules implemented by models in code, in the order they run (after the SQL rules).</summary>
    public static IReadOnlyList<IAuditRule> Models { get; } = [new Anomaly.SpendAnomalyRule(), new Anomaly.UsageAnomalyRule()];

    /// <summary>
    /// Every rule an audit runs, in order: the SQL rules of <see cref="Load"/> (built-in and the folder's, by id), the
    /// <see cref="Models"/>, then <paramref name="added"/>.
    /// </summary>
    public static IReadOnlyList<IAuditRule> LoadAll(string? folder, out IReadOnlyList<(string File, string Error)> broken, IEnumerable<IAuditRule>? added = null) =>
        [.. Load(folder, out broken), .. Models, .. added ?? []];

    /// <summary>
    /// Where the rule <paramref name="ruleId"/> of a finding is defined, for a reader of the report: a model's folder, a
    /// built-in rule's file, else an analyst's rule.
    /// </summary>
    public static string DefinedIn(string ruleId) =>
        (Models.FirstOrDefault(r => r.Id == ruleId) ?? BuiltIn.FirstOrDefault(r => r.Id == ruleId))?.DefinedIn ?? AnalystRule;

    /// <summary>An embedded SQL script of the audit (e.g. <c>base.sql</c>, <c>rating.sql</c>).</summary>
    internal static string Script(string name)
    {
        using var stream = typeof(RuleCatalog).Assembly.GetManifestResourceStream("Tem.Audit.Sql." + name)
            ?? throw new InvalidOperationException($"The audit script {name} is not embedded in Tem.Audit.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static List<RuleDefinition> LoadBuiltIn()
    {
        var assembly = typeof(RuleCatalog).Assembly;
        var list = new List<RuleDefinition>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add(RuleDefinition.Parse(reader.ReadToEnd(), "built-in " + name[Prefix.Length..]));
        }

        return list;
    }
}
