using System.Globalization;
using Tem.Core;

namespace Tem.Audit;

/// <summary>A rule file as an <see cref="IAuditRule"/>: its SELECT's rows become findings, its not-judged SELECT's rows sentences.</summary>
public sealed partial record RuleDefinition : IAuditRule
{
    private static readonly string[] RequiredColumns = ["carrier", "account_id", "service_id", "period", "one_time_amount", "monthly_savings", "detail", "evidence"];

    /// <inheritdoc/>
    public string DefinedIn => Source.StartsWith("built-in ", StringComparison.Ordinal) ? $"src/Tem.Audit/Rules/{Id}.sql" : RuleCatalog.AnalystRule;

    /// <inheritdoc/>
    public bool IsModel => false;

    /// <inheritdoc/>
    public bool MergesSameId => true;

    /// <inheritdoc/>
    public SharedSetup? Setup => null;

    /// <summary>Nothing to check before the run: a value that is not a number fails the rule when its SQL is bound (<see cref="BoundSql"/>).</summary>
    public void CheckSettings(IReadOnlyDictionary<string, string> settings)
    {
    }

    /// <summary>Runs the rule's SELECT with its settings bound; one row per finding.</summary>
    /// <exception cref="InvalidOperationException">The SELECT lacks a required column, or a row lacks its account or period.</exception>
    public IReadOnlyList<RuleRow> Find(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (MissingInput(context) is not null)
        {
            return [];
        }

        using var cmd = context.Db.CreateCommand();
        cmd.CommandText = BoundSql(context.Settings);
        using var r = cmd.ExecuteReader();
        var names = Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var required in RequiredColumns)
        {
            if (!names.Contains(required))
            {
                throw new InvalidOperationException($"Rule {Id} ({Source}) returns no '{required}' column.");
            }
        }

        string? Text(string name) => names.Contains(name) && !r.IsDBNull(r.GetOrdinal(name)) ? Convert.ToString(r.GetValue(r.GetOrdinal(name)), CultureInfo.InvariantCulture) : null;
        decimal Amount(string name) => r.IsDBNull(r.GetOrdinal(name)) ? 0m : r.GetDecimal(r.GetOrdinal(name));

        var list = new List<RuleRow>();
        while (r.Read())
        {
            var account = Text("account_id") ?? throw new InvalidOperationException($"Rule {Id} returned a row without account_id.");
            var period = BillingMonth.Parse(Text("period") ?? throw new InvalidOperationException($"Rule {Id} returned a row without period."));
            list.Add(new RuleRow(Text("carrier"), account, Text("service_id"), period, Title)
            {
                OneTime = Amount("one_time_amount"),
                Monthly = Amount("monthly_savings"),
                Currency = Text("currency"),
                Confidence = names.Contains("confidence") && !r.IsDBNull(r.GetOrdinal("confidence")) ? r.GetDecimal(r.GetOrdinal("confidence")) : Confidence,
                Detail = Text("detail") ?? string.Empty,
                Evidence = Text("evidence") ?? string.Empty,
                Discriminator = Text("discriminator"),
                PlanId = Text("recommended_plan_id"),
            });
        }

        return list;
    }

    /// <summary>The rule's not-judged sentences: its not-judged rows grouped by subject, months as ranges, services counted.</summary>
    public IReadOnlyList<string> NotJudgedIn(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (NotJudged is null || BoundNotJudgedSql(context.Settings) is not { } sql || MissingInput(context) is not null)
        {
            return [];
        }

        using var cmd = context.Db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var bySubject = new SortedDictionary<string, (SortedSet<BillingMonth> Months, HashSet<string> Services)>(StringComparer.Ordinal);
        while (r.Read())
        {
            var subject = Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture) ?? string.Empty;
            var month = BillingMonth.Parse(Convert.ToString(r.GetValue(1), CultureInfo.InvariantCulture) ?? string.Empty);
            if (!bySubject.TryGetValue(subject, out var gap))
            {
                bySubject[subject] = gap = ([], new HashSet<string>(StringComparer.Ordinal));
            }

            gap.Months.Add(month);
            gap.Services.Add(r.IsDBNull(2) ? string.Empty : Convert.ToString(r.GetValue(2), CultureInfo.InvariantCulture) ?? string.Empty);
        }

        return [.. bySubject.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{NotJudged.Replace("{subject}", g.Key, StringComparison.Ordinal)} in {BillingMonth.Ranges(g.Value.Months)}: {g.Value.Services.Count} {(g.Value.Services.Count == 1 ? "service" : "services")} not judged"))];
    }

    /// <summary>The first of <see cref="Requires"/> with no rows, or null when each has some.</summary>
    private string? MissingInput(AuditContext context)
    {
        foreach (var table in Requires)
        {
            using var cmd = context.Db.CreateCommand();
            cmd.CommandText = $"SELECT NOT EXISTS (SELECT 1 FROM \"{table}\")";
            if (cmd.ExecuteScalar() is true)
            {
                return table;
            }
        }

        return null;
    }
}
