using System.Globalization;
using System.Text.RegularExpressions;
using Tem.Core;

namespace Tem.Audit;

/// <summary>A named, documented threshold of a rule, substituted into its SQL as <c>{{name}}</c>.</summary>
/// <param name="Name">Setting name, e.g. <c>min_amount</c>.</param>
/// <param name="Default">The default as written in the rule file (a number).</param>
/// <param name="Description">What it means, with its unit.</param>
public sealed record RuleSetting(string Name, string Default, string Description);

/// <summary>
/// One audit rule: a SQL file with a metadata header of <c>-- key: value</c> lines, for example
/// <code>
/// -- rule: tax_on_exempt
/// -- title: Tax charged on a tax-exempt account
/// -- severity: high
/// -- action: dispute
/// -- confidence: 1.0
/// -- money: validated
/// -- setting: min_amount = 0.01   Smallest amount that fires, in the account's currency.
/// -- description: A tax line on an account with tax_exempt = true.
/// SELECT carrier, account_id, NULL AS service_id, month AS period, sum(amount) AS one_time_amount, ...
/// </code>
/// The SELECT returns one row per finding with the columns <c>carrier, account_id, service_id, period,
/// one_time_amount, monthly_savings, detail, evidence</c> and optionally <c>discriminator, recommended_plan_id,
/// confidence, currency</c>. Settings appear in the SQL as <c>{{name}}</c>.
/// <para>
/// A rule that judges only where its data exists declares what it leaves out: a header line
/// <c>-- not_judged: no resale data for {subject}</c> and, after the rule's SELECT, a line <c>-- not judged</c>
/// followed by a second SELECT returning <c>subject, period, service_id</c>, one row per service and month the rule
/// could not judge. The run reports each subject once (<c>no resale data for DLR-02 in 2026-05..10: 12 services not
/// judged</c>) instead of a finding per service.
/// </para>
/// </summary>
public sealed partial record RuleDefinition
{
    /// <summary>Rule id, e.g. <c>rate_overcharge</c> (lower case, digits and underscores).</summary>
    public required string Id { get; init; }

    /// <summary>One line for a person.</summary>
    public required string Title { get; init; }

    /// <summary>How much it matters.</summary>
    public required Severity Severity { get; init; }

    /// <summary>What to do about a finding.</summary>
    public required RecommendedAction Action { get; init; }

    /// <summary>
    /// Which kind of money its findings are (header <c>-- money: validated|potential|reseller</c>); without the line,
    /// potential for action investigate and validated for every other action.
    /// </summary>
    public MoneyKind Money { get; init; }

    /// <summary>
    /// Whether a finding is one per service whatever the month (header <c>-- identity: service</c>): its id leaves the
    /// period out (<see cref="FindingId.CreateForService"/>), so a recurring saving keeps its id, and its dispute, as
    /// months go by. Default: one finding per period (<c>-- identity: period</c>).
    /// </summary>
    public bool IdentityByService { get; init; }

    /// <summary>Confidence of a finding, 0..1, unless the query gives one per row.</summary>
    public decimal Confidence { get; init; } = 1m;

    /// <summary>Longer explanation (audit.md's "fires when").</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Named thresholds with defaults.</summary>
    public IReadOnlyList<RuleSetting> Settings { get; init; } = [];

    /// <summary>The SQL after the header (up to the <c>-- not judged</c> line, when there is one).</summary>
    public required string Sql { get; init; }

    /// <summary>
    /// What the rule leaves unjudged, as the start of a sentence with <c>{subject}</c> in it (header
    /// <c>-- not_judged:</c>); null when the rule judges everything it sees.
    /// </summary>
    public string? NotJudged { get; init; }

    /// <summary>The SELECT after the <c>-- not judged</c> line: <c>subject, period, service_id</c> rows; null without one.</summary>
    public string? NotJudgedSql { get; init; }

    /// <summary>
    /// Tables or views the rule needs rows in (header <c>-- requires: pbx_calls</c>, comma-separated): when one of them is
    /// empty the rule is not run and finds nothing, at the cost of one look at that table (<c>pbx_unmatched</c> on a lake
    /// without PBX data cost 3 s of scanning usage for nothing).
    /// </summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary>Where the rule came from: <c>built-in</c> or the file's path.</summary>
    public required string Source { get; init; }

    /// <summary>Parses a rule file. Throws <see cref="InputDataException"/> naming the file and line of a bad header.</summary>
    public static RuleDefinition Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var meta = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        var settings = new List<RuleSetting>();
        var body = 0;
        for (; body < lines.Length; body++)
        {
            var match = HeaderLine().Match(lines[body]);
            if (!match.Success)
            {
                if (lines[body].Trim().Length == 0 || lines[body].TrimStart().StartsWith("--", StringComparison.Ordinal))
                {
                    continue;
                }

                break;
            }

            var key = match.Groups[1].Value.ToLowerInvariant();
            var value = match.Groups[2].Value.Trim();
            if (key == "setting")
            {
                var setting = SettingLine().Match(value);
                if (!setting.Success || !decimal.TryParse(setting.Groups[2].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
                {
                    throw Bad(source, body + 1, $"setting '{value}'", "'name = number   description'");
                }

                settings.Add(new RuleSetting(setting.Groups[1].Value, setting.Groups[2].Value, setting.Groups[3].Value.Trim()));
            }
            else
            {
                meta[key] = (value, body + 1);
            }
        }

        string Need(string key) => meta.TryGetValue(key, out var v) && v.Value.Length > 0
            ? v.Value
            : throw Bad(source, 1, $"no '-- {key}:' line", $"a '-- {key}: ...' line in the header");

        var id = Need("rule");
        if (!RuleId().IsMatch(id))
        {
            throw Bad(source, meta["rule"].Line, $"rule id '{id}'", "lower case letters, digits and underscores");
        }

        if (!WireNames.TryParse<Severity>(Need("severity"), out var severity))
        {
            throw Bad(source, meta["severity"].Line, $"severity '{meta["severity"].Value}'", WireNames.Expected<Severity>());
        }

        if (!WireNames.TryParse<RecommendedAction>(Need("action"), out var action))
        {
            throw Bad(source, meta["action"].Line, $"action '{meta["action"].Value}'", WireNames.Expected<RecommendedAction>());
        }

        var confidence = 1m;
        if (meta.TryGetValue("confidence", out var c) &&
            (!decimal.TryParse(c.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out confidence) || confidence is < 0 or > 1))
        {
            throw Bad(source, c.Line, $"confidence '{c.Value}'", "a number from 0 to 1");
        }

        var money = DefaultMoney(action);
        if (meta.TryGetValue("money", out var m) && !WireNames.TryParse(m.Value, out money))
        {
            throw Bad(source, m.Line, $"money '{m.Value}'", WireNames.Expected<MoneyKind>());
        }

        var byService = false;
        if (meta.TryGetValue("identity", out var idn))
        {
            byService = idn.Value.ToLowerInvariant() switch
            {
                "service" => true,
                "period" => false,
                _ => throw Bad(source, idn.Line, $"identity '{idn.Value}'", "service or period"),
            };
        }

        var requires = new List<string>();
        if (meta.TryGetValue("requires", out var req))
        {
            foreach (var table in req.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                requires.Add(RuleId().IsMatch(table)
                    ? table
                    : throw Bad(source, req.Line, $"requires '{table}'", "table or view names (lower case letters, digits and underscores), comma-separated"));
            }
        }

        var rest = lines.Skip(body).ToList();
        var marker = rest.FindIndex(l => NotJudgedLine().IsMatch(l));
        var sql = string.Join('\n', marker < 0 ? rest : rest.Take(marker)).Trim().TrimEnd(';');
        if (sql.Length == 0)
        {
            throw Bad(source, lines.Length, "no SQL after the header", "a SELECT returning one row per finding");
        }

        string? notJudged = null, notJudgedSql = null;
        if (meta.TryGetValue("not_judged", out var nj))
        {
            notJudged = nj.Value;
            if (!notJudged.Contains("{subject}", StringComparison.Ordinal))
            {
                throw Bad(source, nj.Line, $"not_judged '{nj.Value}'", "a sentence with {subject} in it, e.g. 'no resale data for {subject}'");
            }

            notJudgedSql = marker < 0 ? null : string.Join('\n', rest.Skip(marker + 1)).Trim().TrimEnd(';');
            if (string.IsNullOrEmpty(notJudgedSql))
            {
                throw Bad(source, marker < 0 ? lines.Length : body + marker + 1, "a '-- not_judged:' header but no SELECT after a '-- not judged' line",
                    "a line '-- not judged' after the rule's SELECT, then a SELECT returning subject, period, service_id");
            }
        }
        else if (marker >= 0)
        {
            throw Bad(source, body + marker + 1, "a '-- not judged' line but no '-- not_judged:' header", "a '-- not_judged: ... {subject} ...' line in the header");
        }

        return new RuleDefinition
        {
            Id = id,
            Title = Need("title"),
            Severity = severity,
            Action = action,
            Money = money,
            IdentityByService = byService,
            Confidence = confidence,
            Description = meta.TryGetValue("description", out var d) ? d.Value : string.Empty,
            Settings = settings,
            Sql = sql,
            NotJudged = notJudged,
            NotJudgedSql = notJudgedSql,
            Requires = requires,
            Source = source,
        };
    }

    /// <summary>The kind of money of a rule that does not say: potential when a person must investigate, else validated.</summary>
    public static MoneyKind DefaultMoney(RecommendedAction action) =>
        action == RecommendedAction.Investigate ? MoneyKind.Potential : MoneyKind.Validated;

    /// <summary>The SQL with every <c>{{setting}}</c> replaced by its value (overrides first, then defaults).</summary>
    public string BoundSql(IReadOnlyDictionary<string, string>? overrides = null) => Bind(Sql, overrides);

    /// <summary>The not-judged SELECT with its settings bound, or null when the rule has none.</summary>
    public string? BoundNotJudgedSql(IReadOnlyDictionary<string, string>? overrides = null) =>
        NotJudgedSql is null ? null : Bind(NotJudgedSql, overrides);

    private string Bind(string sql, IReadOnlyDictionary<string, string>? overrides)
    {
        foreach (var s in Settings)
        {
            var value = overrides is not null && overrides.TryGetValue($"{Id}.{s.Name}", out var v) ? v : s.Default;
            if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            {
                throw new ArgumentException($"Setting {Id}.{s.Name} = '{value}' is not a number.", nameof(overrides));
            }

            sql = sql.Replace("{{" + s.Name + "}}", number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        var left = Placeholder().Match(sql);
        return left.Success
            ? throw new InvalidOperationException($"Rule {Id} ({Source}) uses {left.Value} but declares no such setting.")
            : sql;
    }

    private static InputDataException Bad(string source, int line, string problem, string expected) =>
        new(new SourceLocation(source, line, 0, null), problem, expected);

    [GeneratedRegex(@"^\s*--\s*([A-Za-z_]+)\s*:\s*(.*)$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^\s*--\s*not judged\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex NotJudgedLine();

    [GeneratedRegex(@"^([a-z][a-z0-9_]*)\s*=\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*(.*)$")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*$")]
    private static partial Regex RuleId();

    [GeneratedRegex(@"\{\{[^}]*\}\}")]
    private static partial Regex Placeholder();
}
