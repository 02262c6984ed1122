using System.Diagnostics;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest.Lake;

namespace Tem.Audit;

/// <summary>Settings of an audit.</summary>
public sealed record AuditOptions
{
    /// <summary>A folder of the analyst's own rule files, added to (or replacing) the built-in ones.</summary>
    public string? RulesFolder { get; init; }

    /// <summary>Setting overrides as <c>rule.setting</c> = number, e.g. <c>rate_overcharge.min_amount</c> = <c>0.05</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>How one rule went.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Source">Built-in or the file it came from.</param>
/// <param name="Findings">Findings it produced.</param>
/// <param name="Elapsed">Time it took.</param>
/// <param name="Error">Why it failed (the other rules still ran); null when it ran.</param>
/// <param name="Skipped">Rows that could not become findings (no currency known for their account).</param>
/// <param name="SkippedReason">Why, for the first of them.</param>
public sealed record RuleRun(string RuleId, string Source, int Findings, TimeSpan Elapsed, string? Error, int Skipped = 0, string? SkippedReason = null);

/// <summary>The result of an audit: findings (current, with lifecycle status) and how each rule went.</summary>
public sealed record AuditResult(IReadOnlyList<StoredFinding> Findings, IReadOnlyList<RuleRun> Rules, IReadOnlyList<(string File, string Error)> BrokenRuleFiles)
{
    /// <summary>Found money of the open findings per currency: one-time + 12 x monthly, never summed across currencies.</summary>
    public IReadOnlyList<FoundMoneyTotal> Totals => FoundMoney.Totals(Findings.Where(f => f.Status != FindingStatus.Resolved).Select(f => f.Finding));
}

/// <summary>
/// Runs the rule catalogue over a lake: the lake's tables become views, the shared SQL (<c>base.sql</c>) and the
/// contract rerating (<c>rating.sql</c>) are defined, each rule's SELECT runs with its settings, and every row
/// becomes a <see cref="Finding"/> with a deterministic id. A rule that fails is reported by name; the others run.
/// </summary>
public sealed class AuditEngine(TemLake lake, TimeProvider time)
{
    /// <summary>Runs every rule and stores the findings (see <see cref="FindingStore"/>).</summary>
    public AuditResult Run(AuditOptions options, string runId)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = RuleCatalog.Load(options.RulesFolder, out var broken);
        using var db = new DuckDbConnection();
        db.Open();
        lake.CreateViews(db);
        db.Execute(RuleCatalog.Script("base.sql"));
        db.Execute(RuleCatalog.Script("rating.sql"));
        var accounts = LoadAccounts(db);

        var runs = new List<RuleRun>();
        var findings = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var (produced, skipped, reason) = RunRule(db, rule, options.Settings, accounts);
                foreach (var f in produced)
                {
                    findings[f.FindingId] = findings.TryGetValue(f.FindingId, out var same) ? Merge(same, f) : f;
                }

                runs.Add(new RuleRun(rule.Id, rule.Source, produced.Count, clock.Elapsed, null, skipped, reason));
            }
            catch (Exception e) when (e is DuckDbException or InvalidOperationException or ArgumentException or InvalidCastException or OverflowException)
            {
                runs.Add(new RuleRun(rule.Id, rule.Source, 0, clock.Elapsed, e.Message));
            }
        }

        var stored = new FindingStore(lake, time).Save([.. findings.Values.OrderBy(f => f.FindingId, StringComparer.Ordinal)], runId);
        return new AuditResult(stored, runs, broken);
    }

    private static (List<Finding> Findings, int Skipped, string? Reason) RunRule(
        DuckDbConnection db, RuleDefinition rule, IReadOnlyDictionary<string, string> settings, Accounts accounts)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = rule.BoundSql(settings);
        using var r = cmd.ExecuteReader();
        var names = Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var required in new[] { "carrier", "account_id", "service_id", "period", "one_time_amount", "monthly_savings", "detail", "evidence" })
        {
            if (!names.Contains(required))
            {
                throw new InvalidOperationException($"Rule {rule.Id} ({rule.Source}) returns no '{required}' column.");
            }
        }

        string? Text(string name) => names.Contains(name) && !r.IsDBNull(r.GetOrdinal(name)) ? Convert.ToString(r.GetValue(r.GetOrdinal(name)), System.Globalization.CultureInfo.InvariantCulture) : null;
        decimal Amount(string name) => r.IsDBNull(r.GetOrdinal(name)) ? 0m : r.GetDecimal(r.GetOrdinal(name));

        var list = new List<Finding>();
        var skipped = 0;
        string? reason = null;
        while (r.Read())
        {
            var account = Text("account_id") ?? throw new InvalidOperationException($"Rule {rule.Id} returned a row without account_id.");
            var info = accounts.Find(Text("carrier"), account);
            var carrier = Text("carrier") ?? info?.Carrier ?? string.Empty;
            var service = Text("service_id");
            var period = BillingMonth.Parse(Text("period") ?? throw new InvalidOperationException($"Rule {rule.Id} returned a row without period."));
            var currency = Text("currency") ?? info?.Currency;
            if (currency is null)
            {
                skipped++;
                reason ??= $"account {account} of carrier '{carrier}' is in neither accounts.csv nor any invoice, so its currency is unknown";
                continue;
            }

            list.Add(new Finding
            {
                FindingId = FindingId.Create(rule.Id, account, service, period, Text("discriminator")),
                Rule = rule.Id,
                Severity = rule.Severity,
                Carrier = carrier,
                AccountId = account,
                ServiceId = service,
                CustomerId = info?.CustomerId,
                BillToId = info?.BillToId,
                ResellerId = info?.ResellerId,
                Period = period,
                OneTimeAmount = Amount("one_time_amount"),
                MonthlySavings = Amount("monthly_savings"),
                Currency = CurrencyCode.Parse(currency),
                Confidence = names.Contains("confidence") && !r.IsDBNull(r.GetOrdinal("confidence")) ? r.GetDecimal(r.GetOrdinal("confidence")) : rule.Confidence,
                Title = rule.Title,
                Detail = Text("detail") ?? string.Empty,
                Evidence = Text("evidence") ?? string.Empty,
                RecommendedAction = rule.Action,
                RecommendedPlanId = Text("recommended_plan_id"),
            });
        }

        return (list, skipped, reason);
    }

    private static Finding Merge(Finding a, Finding b) => a with
    {
        OneTimeAmount = a.OneTimeAmount + b.OneTimeAmount,
        MonthlySavings = a.MonthlySavings + b.MonthlySavings,
        Detail = a.Detail + "; " + b.Detail,
        Evidence = a.Evidence + "; " + b.Evidence,
    };

    private sealed record AccountInfo(string Carrier, string? CustomerId, string? BillToId, string? ResellerId, string Currency);

    /// <summary>
    /// Accounts by (carrier, account id) from accounts.csv; an account missing there is known by its invoice lines
    /// (carrier and currency, no parties), so that findings about it still carry a currency.
    /// </summary>
    private sealed class Accounts(Dictionary<(string, string), AccountInfo> listed, Dictionary<string, AccountInfo> fromInvoices)
    {
        public AccountInfo? Find(string? carrier, string account)
        {
            if (carrier is not null && listed.TryGetValue((carrier, account), out var info))
            {
                return info;
            }

            // A rule without the carrier (credits_due has none) matches the account number alone.
            var byNumber = carrier is null ? listed.Where(kv => kv.Key.Item2 == account).Select(kv => kv.Value).FirstOrDefault() : null;
            return byNumber ?? fromInvoices.GetValueOrDefault(account);
        }
    }

    private static Accounts LoadAccounts(DuckDbConnection db)
    {
        var listed = new Dictionary<(string, string), AccountInfo>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT carrier, account_id, customer_id, bill_to_id, reseller_id, currency FROM accounts";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                listed.TryAdd((r.GetString(0), r.GetString(1)), new AccountInfo(
                    r.GetString(0), r.GetFieldValue<string?>(2), r.GetFieldValue<string?>(3), r.GetFieldValue<string?>(4), r.GetString(5)));
            }
        }

        var fromInvoices = new Dictionary<string, AccountInfo>(StringComparer.Ordinal);
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT account_id, first(carrier ORDER BY invoice_date), first(currency ORDER BY invoice_date) FROM charges GROUP BY account_id";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                fromInvoices[r.GetString(0)] = new AccountInfo(r.GetString(1), null, null, null, r.GetString(2));
            }
        }

        return new Accounts(listed, fromInvoices);
    }
}
