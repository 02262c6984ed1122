using DuckDB.NET.Data;
using System.Diagnostics;
using Tem.Audit.Disputes;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Audit;

/// <summary>Settings of an audit.</summary>
public sealed record AuditOptions
{
    /// <summary>A folder of the analyst's own rule files, added to (or replacing) the built-in ones.</summary>
    public string? RulesFolder { get; init; }

    /// <summary>Setting overrides as <c>rule.setting</c> = number, e.g. <c>rate_overcharge.min_amount</c> = <c>0.05</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The audit's memory: DuckDB's buffers get <see cref="DuckDbShare"/> of it (the queries and the rated calls; beyond it
    /// DuckDB spills to the lake's <c>_tem/tmp</c>), the rest is for the models' values (a chunk of series, the forest,
    /// the outliers) and the .NET runtime. With the default 1GB, an audit of 10 M records peaks under 1 GB.
    /// </summary>
    public string MemoryLimit { get; init; } = "1GB";

    /// <summary>DuckDB's share of <see cref="MemoryLimit"/>.</summary>
    public const double DuckDbShare = 0.5;

    /// <summary>Dispute logs (path, name for messages) applied to the findings after the rules and before the bills are reconciled (see <see cref="DisputeLog"/>).</summary>
    public IReadOnlyList<(string Path, string Name)> DisputeLogs { get; init; } = [];

    /// <summary>Rules in code run after the built-in ones and the folder's (see <see cref="RuleCatalog.LoadAll"/>); none by default.</summary>
    public IReadOnlyList<IAuditRule> AddedRules { get; init; } = [];
}

/// <summary>How one rule went.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Source">Built-in or the file it came from.</param>
/// <param name="Findings">Findings it produced.</param>
/// <param name="Elapsed">Time it took.</param>
/// <param name="Error">Why it failed (the other rules still ran); null when it ran.</param>
/// <param name="Skipped">Rows that could not become findings (no currency known for their account).</param>
/// <param name="SkippedReason">Why, for the first of them.</param>
public sealed record RuleRun(string RuleId, string Source, int Findings, TimeSpan Elapsed, string? Error, int Skipped = 0, string? SkippedReason = null)
{
    /// <summary>
    /// What the rule did not judge, one sentence per subject (<c>no resale data for DLR-02 in 2026-05..10: 12 services not
    /// judged</c>; see <see cref="IAuditRule.NotJudgedIn"/>); empty when it judged everything.
    /// </summary>
    public IReadOnlyList<string> NotJudged { get; init; } = [];
}

/// <summary>The result of an audit: findings (current, with lifecycle status) and how each rule went.</summary>
/// <param name="Findings">Every stored finding after the audit and the reconciliation with the bills.</param>
/// <param name="Rules">How each rule went.</param>
/// <param name="BrokenRuleFiles">Rule files that could not be read.</param>
/// <param name="Reconciled">Credits matched to claims and savings confirmed by the bills in this run.</param>
public sealed record AuditResult(
    IReadOnlyList<StoredFinding> Findings, IReadOnlyList<RuleRun> Rules, IReadOnlyList<(string File, string Error)> BrokenRuleFiles, ReconcileResult Reconciled)
{
    /// <summary>The dispute logs applied, with their counts and rejected rows.</summary>
    public IReadOnlyList<DisputeLogResult> DisputeLogs { get; init; } = [];

    /// <summary>Validated, potential, reseller and realised money per currency (see <see cref="MoneyTotals"/>).</summary>
    public IReadOnlyList<CurrencyMoney> Totals => MoneyTotals.Of(Findings);

    /// <summary>
    /// The audit's work outside the rules, in order, with the time each took: the lake's views, the shared tables
    /// (<c>base.sql</c>, <c>rating.sql</c>), the accounts, each shared setup (the models' features), storing the findings,
    /// the dispute logs and the reconciliation with the bills. With <see cref="Rules"/> it accounts for the whole run.
    /// </summary>
    public IReadOnlyList<AuditStep> Steps { get; init; } = [];
}

/// <summary>One step of an audit outside its rules (see <see cref="AuditResult.Steps"/>).</summary>
/// <param name="Name">What was done.</param>
/// <param name="Elapsed">Time it took.</param>
public sealed record AuditStep(string Name, TimeSpan Elapsed);

/// <summary>
/// Runs the rule catalogue over a lake: the lake's tables become views, the shared SQL (<c>base.sql</c>) and the
/// contract rerating (<c>rating.sql</c>) are defined, the rated calls built once (<c>calls.sql</c>), each rule (<see cref="IAuditRule"/>: a SQL file's SELECT with its
/// settings, or a model) runs in turn on one <see cref="AuditContext"/>, and every row becomes a <see cref="Finding"/>
/// with a deterministic id. A rule that fails is reported by name; the others run.
/// </summary>
public sealed class AuditEngine(TemLake lake, TimeProvider time)
{
    /// <summary>Runs every rule and stores the findings (see <see cref="FindingStore"/>).</summary>
    /// <param name="options">Rules folder, settings, memory limit, dispute logs.</param>
    /// <param name="runId">The run the findings are recorded under.</param>
    /// <param name="progress">
    /// Receives rule i of n (<see cref="WorkUnit.Rules"/>: the rules of <see cref="RuleCatalog.LoadAll"/>, SQL rules first,
    /// then the anomaly models) as each starts, with the rule's id as the item, and n of n once the last one is done.
    /// </param>
    public AuditResult Run(AuditOptions options, string runId, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = RuleCatalog.LoadAll(options.RulesFolder, out var broken, options.AddedRules);
        var total = rules.Count;
        Directory.CreateDirectory(lake.TempDirectory);
        var steps = new List<AuditStep>();
        var step = Stopwatch.StartNew();
        void Done(string name)
        {
            steps.Add(new AuditStep(name, step.Elapsed));
            step.Restart();
        }

        using var db = LakeSession.InMemory(new SessionOptions
        {
            MemoryLimit = LakeSession.Share(options.MemoryLimit, AuditOptions.DuckDbShare), TempDirectory = lake.TempDirectory,
        });
        lake.CreateViews(db);
        Done("lake views");
        db.Execute(RuleCatalog.Script("base.sql"));
        Done("shared tables (base.sql)");
        db.Execute(RuleCatalog.Script("rating.sql"));
        Done("rating views (rating.sql)");
        db.Execute(RuleCatalog.Script("calls.sql"));
        Done("rated calls (calls.sql)");
        var accounts = LoadAccounts(db);
        Done("accounts");
        var context = new AuditContext(db, options.Settings);

        var runs = new List<RuleRun>();
        var findings = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var failedSetups = new Dictionary<SharedSetup, (TimeSpan Elapsed, string Error)>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];

            // A rule whose shared setup failed is not started: it fails with the setup's message, as the first rule did.
            if (rule.Setup is { } failed && failedSetups.TryGetValue(failed, out var why))
            {
                runs.Add(new RuleRun(rule.Id, rule.Source, 0, why.Elapsed, why.Error));
                continue;
            }

            progress?.Report(new WorkProgress(WorkUnit.Rules, i, total, rule.Id));
            if (rule.Setup is { } setup && !context.IsPrepared(setup))
            {
                // A step of its own, before the first rule that needs it.
                step.Restart();
                try
                {
                    context.Prepare(setup);
                    Done(setup.Name);
                }
                catch (Exception e) when (e is DuckDBException or ArgumentException or InvalidOperationException)
                {
                    failedSetups[setup] = (step.Elapsed, e.Message);
                    runs.Add(new RuleRun(rule.Id, rule.Source, 0, step.Elapsed, e.Message));
                    Done(setup.Name + " (failed)");
                    continue;
                }
            }

            var clock = Stopwatch.StartNew();

            try
            {
                var (produced, skipped, reason) = Build(rule, rule.Find(context), accounts);
                foreach (var f in produced)
                {
                    findings[f.FindingId] = rule.MergesSameId && findings.TryGetValue(f.FindingId, out var same) ? Merge(same, f) : f;
                }

                var notJudged = rule.NotJudgedIn(context);
                runs.Add(new RuleRun(rule.Id, rule.Source, produced.Count, clock.Elapsed, null, skipped, reason) { NotJudged = notJudged });
            }
            catch (Exception e) when (e is DuckDBException or InvalidOperationException or ArgumentException or InvalidCastException or OverflowException)
            {
                runs.Add(new RuleRun(rule.Id, rule.Source, 0, clock.Elapsed, e.Message));
            }
        }

        progress?.Report(new WorkProgress(WorkUnit.Rules, total, total, "storing the findings"));

        step.Restart();
        var store = new FindingStore(lake, time);
        var stored = store.Save([.. findings.Values.OrderBy(f => f.FindingId, StringComparer.Ordinal)], runId);
        Done("storing the findings");
        var tolerance = BillReconciler.Tolerance(options.Settings);
        var logs = options.DisputeLogs.Select(l => DisputeLog.Apply(lake, store, l.Path, l.Name, tolerance, runId, time)).ToList();
        if (logs.Count > 0)
        {
            Done("dispute logs");
        }

        // The findings as Save wrote them, unless a dispute log changed them since.
        var reconciled = BillReconciler.Run(db, lake, store, tolerance, runId, time, logs.Any(l => l.Applied > 0) ? null : stored);
        Done("reconciling with the bills");
        return new AuditResult(reconciled.Findings, runs, broken, reconciled) { DisputeLogs = logs, Steps = steps };
    }

    /// <summary>The findings of a rule's rows; rows whose account's currency is unknown are skipped (counted, the first reason kept).</summary>
    private static (List<Finding> Findings, int Skipped, string? Reason) Build(IAuditRule rule, IReadOnlyList<RuleRow> rows, Accounts accounts)
    {
        var list = new List<Finding>();
        var skipped = 0;
        string? reason = null;
        foreach (var row in rows)
        {
            if (Build(rule, row, accounts, out var why) is { } finding)
            {
                list.Add(finding);
            }
            else
            {
                skipped++;
                reason ??= why;
            }
        }

        return (list, skipped, reason);
    }

    /// <summary>The finding of a row, or null (with the reason) when its account's currency is unknown.</summary>
    private static Finding? Build(IAuditRule rule, RuleRow row, Accounts accounts, out string? skipReason)
    {
        var info = accounts.Find(row.Carrier, row.Account, row.Period);
        var carrier = row.Carrier ?? info?.Carrier ?? string.Empty;
        var currency = row.Currency ?? info?.Currency;
        if (currency is null)
        {
            skipReason = $"account {row.Account} of carrier '{carrier}' is in neither accounts.csv nor any invoice, so its currency is unknown";
            return null;
        }

        skipReason = null;
        var code = CurrencyCode.Parse(currency);
        return new Finding
        {
            FindingId = rule.IdentityByService
                ? FindingId.CreateForService(rule.Id, row.Account, row.Service, row.Discriminator)
                : FindingId.Create(rule.Id, row.Account, row.Service, row.Period, row.Discriminator),
            Rule = rule.Id,
            Severity = rule.Severity,
            Carrier = carrier,
            AccountId = row.Account,
            ServiceId = row.Service,
            CustomerId = info?.CustomerId,
            BillToId = info?.BillToId,
            ResellerId = info?.ResellerId,
            Period = row.Period,
            OneTimeAmount = row.OneTime,
            MonthlySavings = row.Monthly,
            Currency = code,
            Confidence = row.Confidence,
            Title = MoneyText.Resolve(row.Title, code, prices: false),
            Detail = MoneyText.Resolve(row.Detail, code, prices: false),
            Evidence = MoneyText.Resolve(row.Evidence, code, prices: true),
            RecommendedAction = rule.Action,
            RecommendedPlanId = row.PlanId,
            MoneyKind = rule.Money,
        };
    }

    private static Finding Merge(Finding a, Finding b) => a with
    {
        OneTimeAmount = a.OneTimeAmount + b.OneTimeAmount,
        MonthlySavings = a.MonthlySavings + b.MonthlySavings,
        Detail = a.Detail + "; " + b.Detail,
        Evidence = a.Evidence + "; " + b.Evidence,
    };

    private sealed record AccountInfo(string Carrier, string? CustomerId, string? BillToId, string? ResellerId, string Currency);

    /// <summary>One version of an account (accounts.csv keeps them by date: docs/channel.md).</summary>
    private sealed record AccountVersion(DateOnly? From, DateOnly? To, AccountInfo Info)
    {
        public bool InForce(DateOnly day) => (From is null || From <= day) && (To is null || To > day);
    }

    /// <summary>
    /// Accounts by (carrier, account id) from accounts.csv, every version; an account missing there is known by its
    /// invoice lines (carrier and currency, no parties), so that findings about it still carry a currency.
    /// </summary>
    private sealed class Accounts(Dictionary<(string, string), List<AccountVersion>> listed, Dictionary<string, AccountInfo> fromInvoices)
    {
        /// <summary>
        /// The account as it was in the billing month <paramref name="period"/>: the version in force on its first day
        /// (the customer, bill-to and reseller of that month), else its latest version.
        /// </summary>
        public AccountInfo? Find(string? carrier, string account, BillingMonth period)
        {
            // A rule without the carrier (credits_due has none) matches the account number alone.
            var versions = carrier is not null && listed.TryGetValue((carrier, account), out var list)
                ? list
                : carrier is null ? listed.Where(kv => kv.Key.Item2 == account).Select(kv => kv.Value).FirstOrDefault() : null;
            if (versions is null)
            {
                return fromInvoices.GetValueOrDefault(account);
            }

            return (versions.FirstOrDefault(v => v.InForce(period.First)) ?? versions[^1]).Info;
        }
    }

    private static Accounts LoadAccounts(DuckDBConnection db)
    {
        var listed = new Dictionary<(string, string), List<AccountVersion>>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT carrier, account_id, customer_id, bill_to_id, reseller_id, currency, valid_from, valid_to
                FROM account_versions ORDER BY carrier, account_id, valid_from NULLS FIRST
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var key = (r.GetString(0), r.GetString(1));
                if (!listed.TryGetValue(key, out var versions))
                {
                    listed[key] = versions = [];
                }

                versions.Add(new AccountVersion(
                    r.IsDBNull(6) ? null : DateOnly.FromDateTime(r.GetDateTime(6)), r.IsDBNull(7) ? null : DateOnly.FromDateTime(r.GetDateTime(7)),
                    new AccountInfo(r.GetString(0), r.GetStringOrNull(2), r.GetStringOrNull(3), r.GetStringOrNull(4), r.GetString(5))));
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
