using System.Globalization;
using Tem.Core;

namespace Tem.Reports.Tests;

/// <summary>What a set must do with a traced figure.</summary>
public enum Expect
{
    /// <summary>The set may print it or not (a visible row no file lists one by one).</summary>
    Either,

    /// <summary>The set must print it: its own visible figure.</summary>
    Shown,

    /// <summary>The set must not print it: another party's money.</summary>
    Hidden,
}

/// <summary>A traced figure with what a set must do with it and why.</summary>
public sealed record Traced(decimal Value, Expect Expect, string Why);

/// <summary>
/// What one party may see of a <see cref="WorldModel"/>, computed in C# straight from the rules in the remarks of
/// <c>Tem.Lake.TenantScope</c>, month by month with the versions in force: the reference the scope's SQL and the
/// report files are checked against. Nothing here reads the lake.
/// </summary>
public sealed class TenantReference(WorldModel world)
{
    private readonly Dictionary<(string Tenant, string Month), IReadOnlyDictionary<string, bool>> _scopes = [];

    /// <summary>
    /// S(m) with "own": the tenant and every party below it by the parent links in force in <paramref name="month"/>;
    /// own when reached from a customer tenant through customers only. Empty when the tenant has no version that month.
    /// </summary>
    public IReadOnlyDictionary<string, bool> Scope(string tenant, string month)
    {
        if (_scopes.TryGetValue((tenant, month), out var cached))
        {
            return cached;
        }

        var inForce = world.Parties.Where(p => WorldModel.InForce(p.From, p.To, month)).ToList();
        var scope = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (inForce.FirstOrDefault(p => p.PartyId == tenant) is { } self)
        {
            scope[tenant] = self.Kind == "customer";
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var p in inForce)
                {
                    if (p.ParentId is { } parent && scope.TryGetValue(parent, out var parentOwn))
                    {
                        // Reached twice (a cycle back to the tenant): own if any way is.
                        var own = parentOwn && p.Kind == "customer";
                        if (!scope.TryGetValue(p.PartyId, out var had) || (own && !had))
                        {
                            scope[p.PartyId] = own || had;
                            changed = true;
                        }
                    }
                }
            }
        }

        _scopes[(tenant, month)] = scope;
        return scope;
    }

    /// <summary>Whether <paramref name="party"/> is in the tenant's scope in some month (undated rows: deals and their margins).</summary>
    public bool InScopeAnyMonth(string tenant, string party) => WorldModel.Months.Any(m => Scope(tenant, m).ContainsKey(party));

    /// <summary>An account-month of the tenant: the version in force, whether its carrier cost is the tenant's to see, whether its seller is in scope.</summary>
    public sealed record Access(AccountVersion Version, bool CostVisible, bool SoldInScope);

    /// <summary>
    /// The tenant's view of an account in a month, null when the account-month is not the tenant's: it is when the
    /// bill-to or the reseller is in S(m), or the customer is and the account has no reseller or the customer is own.
    /// Its cost is visible when the bill-to is in S(m), or the reseller is and sold it as agent (bill-to = customer).
    /// </summary>
    public Access? AccountMonth(string tenant, string carrier, string account, string month)
    {
        var v = world.Accounts.SingleOrDefault(a => a.Carrier == carrier && a.AccountId == account && WorldModel.InForce(a.From, a.To, month));
        if (v is null)
        {
            return null;
        }

        var s = Scope(tenant, month);
        var billTo = s.ContainsKey(v.BillToId);
        var seller = v.ResellerId is { } r && s.ContainsKey(r);
        var customer = s.TryGetValue(v.CustomerId, out var own);
        return billTo || seller || (customer && (v.ResellerId is null || own))
            ? new Access(v, billTo || (seller && v.BillToId == v.CustomerId), seller)
            : null;
    }

    /// <summary>A finding: in a cost-visible account-month of its period; a reseller's money only when the seller is in scope.</summary>
    public bool Sees(string tenant, Finding f) =>
        AccountMonth(tenant, f.Carrier, f.AccountId, f.Period.ToString()) is { CostVisible: true } a
        && (f.MoneyKind != MoneyKind.Reseller || a.SoldInScope);

    /// <summary>A resale line: the seller's when it is in S(period), the buyer's own spend when the customer is own.</summary>
    public bool Sees(string tenant, ResaleLine r) => SellsIt(tenant, r) || (Scope(tenant, r.Period).TryGetValue(r.CustomerId, out var own) && own);

    /// <summary>Whether the line's seller is in S(period): its margin report shows the line.</summary>
    public bool SellsIt(string tenant, ResaleLine r) => Scope(tenant, r.Period).ContainsKey(r.ResellerId);

    public static string Amount(decimal v) => v.ToString("0.00##", CultureInfo.InvariantCulture);

    public static string ChargeKey(string carrier, string account, string invoice, long line, decimal amount) =>
        string.Join('|', carrier, account, invoice, line.ToString(CultureInfo.InvariantCulture), Amount(amount));

    public static string UsageKey(string record, decimal? billed) => record + "|" + (billed is { } b ? Amount(b) : "NULL");

    public static string ResaleKey(string seller, string customer, string service, string period, decimal amount) =>
        string.Join('|', seller, customer, service, period, Amount(amount));

    public static string UpgradeKey(string deal, string provider, decimal? pct) => string.Join('|', deal, provider, pct is { } p ? Amount(p) : "NULL");

    public static string VersionKey(string carrier, string account, DateOnly? from) =>
        string.Join('|', carrier, account, from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "NULL");

    /// <summary>rpt.charges: the lines of cost-visible account-months.</summary>
    public IEnumerable<string> Charges(string tenant) =>
        world.Lines.Where(l => AccountMonth(tenant, l.Carrier, l.AccountId, l.Month) is { CostVisible: true })
            .Select(l => ChargeKey(l.Carrier, l.AccountId, l.InvoiceId, l.LineNo, l.Amount));

    /// <summary>rpt.usage: the records of the tenant's account-months, priced only where the cost is visible.</summary>
    public IEnumerable<string> Usage(string tenant) =>
        world.Usage.Select(u => (u, a: AccountMonth(tenant, u.Carrier, u.AccountId, u.Month))).Where(x => x.a is not null)
            .Select(x => UsageKey(x.u.RecordId, x.a!.CostVisible ? x.u.BilledAmount : null));

    /// <summary>rpt.credits_due: credits owed in cost-visible account-months (every account id of the world is its carrier's only).</summary>
    public IEnumerable<string> CreditsDue(string tenant) =>
        world.CreditsDue.Where(d => AccountMonth(tenant, d.Carrier, d.AccountId, d.Month) is { CostVisible: true }).Select(d => d.CreditId + "|" + Amount(d.Amount));

    public IEnumerable<string> Findings(string tenant) => world.Findings.Where(f => Sees(tenant, f)).Select(f => f.FindingId);

    public IEnumerable<string> Resale(string tenant) =>
        world.Resale.Where(r => Sees(tenant, r)).Select(r => ResaleKey(r.ResellerId, r.CustomerId, r.ServiceId, r.Period, r.Amount));

    /// <summary>rpt.upgrade: the deals of customers in scope, a provider's margin only when the provider is in scope.</summary>
    public IEnumerable<string> Upgrade(string tenant) =>
        world.Upgrade.Where(u => InScopeAnyMonth(tenant, u.CustomerId))
            .Select(u => UpgradeKey(u.DealId, u.Provider, InScopeAnyMonth(tenant, u.Provider) ? u.MarginPct : null));

    /// <summary>rpt.account_versions: the versions in force in one of the tenant's account-months.</summary>
    public IEnumerable<string> AccountVersions(string tenant) =>
        world.Accounts.Where(v => WorldModel.Months.Any(m => AccountMonth(tenant, v.Carrier, v.AccountId, m)?.Version == v))
            .Select(v => VersionKey(v.Carrier, v.AccountId, v.From));

    /// <summary>rpt.services: the inventory of every account the tenant has a month of.</summary>
    public IEnumerable<string> Services(string tenant) =>
        world.Customers.Where(c => WorldModel.Months.Any(m => AccountMonth(tenant, c.Carrier, c.AccountId, m) is not null))
            .SelectMany(c => new[] { c.Service(1), c.Service(2) }.Select(s => s + "|" + c.AccountId));

    /// <summary>The customers a set covers (its summary lists them): customers of its account-months and of the resale lines it sees.</summary>
    public IReadOnlySet<string> Customers(string tenant) =>
        world.Accounts.Where(v => WorldModel.Months.Any(m => AccountMonth(tenant, v.Carrier, v.AccountId, m) is not null)).Select(v => v.CustomerId)
            .Concat(world.Resale.Where(r => Sees(tenant, r)).Select(r => r.CustomerId))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every party a set may name: the tenant, its customers, and the parties of the account versions, resale lines and findings it sees.</summary>
    public IReadOnlySet<string> Named(string tenant)
    {
        var named = new HashSet<string>(Customers(tenant), StringComparer.Ordinal) { tenant };
        foreach (var m in WorldModel.Months)
        {
            foreach (var c in world.Customers)
            {
                if (AccountMonth(tenant, c.Carrier, c.AccountId, m) is { } a)
                {
                    named.UnionWith(new[] { a.Version.CustomerId, a.Version.BillToId, a.Version.ResellerId }.OfType<string>());
                }
            }
        }

        named.UnionWith(world.Resale.Where(r => Sees(tenant, r)).SelectMany(r => new[] { r.ResellerId, r.CustomerId }));
        named.UnionWith(world.Findings.Where(f => Sees(tenant, f)).SelectMany(f => new[] { f.CustomerId, f.BillToId, f.ResellerId }).OfType<string>());
        return named;
    }

    /// <summary>
    /// Every traced figure with what the set of <paramref name="tenant"/> (null: the full set) must do with it:
    /// carrier cost (invoice lines, usage prices, credits due, findings) of an account-month whose cost is not the tenant's, resale
    /// lines it may not see and the margins of providers outside its scope are hidden; its findings, the resale lines it
    /// sells, its own margins on the proposals it gets and each account's cost-visible spend are shown.
    /// </summary>
    public IReadOnlyDictionary<decimal, Traced> Figures(string? tenant)
    {
        var figures = new Dictionary<decimal, Traced>();
        void Add(decimal value, Expect expect, string why)
        {
            if (value == 0)
            {
                return;
            }

            if (figures.TryGetValue(value, out var had) && had.Expect != expect && had.Expect != Expect.Either && expect != Expect.Either)
            {
                throw new InvalidOperationException($"{value}: {had.Why} / {why}: the reference contradicts itself");
            }

            if (!figures.TryGetValue(value, out had) || had.Expect == Expect.Either)
            {
                figures[value] = new Traced(value, expect, why);
            }
        }

        bool Cost(string carrier, string account, string month) => tenant is null || AccountMonth(tenant, carrier, account, month) is { CostVisible: true };
        foreach (var l in world.Lines)
        {
            Add(l.Amount, Cost(l.Carrier, l.AccountId, l.Month) ? Expect.Either : Expect.Hidden,
                $"invoice line {l.InvoiceId}#{l.LineNo} of {l.AccountId} {l.Month} ({Whose(l.AccountId, l.Month)})");
        }

        foreach (var u in world.Usage)
        {
            Add(u.BilledAmount, Cost(u.Carrier, u.AccountId, u.Month) ? Expect.Either : Expect.Hidden,
                $"usage price of {u.RecordId} ({Whose(u.AccountId, u.Month)})");
        }

        foreach (var d in world.CreditsDue)
        {
            Add(d.Amount, Cost(d.Carrier, d.AccountId, d.Month) ? Expect.Either : Expect.Hidden, $"credit due {d.CreditId} on {d.AccountId} {d.Month} ({Whose(d.AccountId, d.Month)})");
        }

        foreach (var f in world.Findings)
        {
            var shown = tenant is null || Sees(tenant, f);
            var why = $"{f.Rule} finding {f.FindingId} ({WireNames.ToWire(f.MoneyKind)}) of {f.AccountId} {f.Period} ({Whose(f.AccountId, f.Period.ToString())})";
            Add(f.OneTimeAmount, shown ? Expect.Shown : Expect.Hidden, why + " one-time");
            Add(f.MonthlySavings, shown ? Expect.Shown : Expect.Hidden, why + " monthly");
        }

        foreach (var r in world.Resale)
        {
            var expect = tenant is null || SellsIt(tenant, r) ? Expect.Shown : Sees(tenant, r) ? Expect.Either : Expect.Hidden;
            Add(r.Amount, expect, $"resale of {r.ResellerId} to {r.CustomerId} for {r.ServiceId} in {r.Period}");
        }

        var customers = tenant is null ? null : Customers(tenant);
        foreach (var u in world.Upgrade)
        {
            // A deal's proposal is written for a set that covers its customer; a margin is shown only for providers in scope.
            var dealSeen = tenant is null || InScopeAnyMonth(tenant, u.CustomerId);
            var written = tenant is null || (dealSeen && customers!.Contains(u.CustomerId));
            var own = tenant is null || InScopeAnyMonth(tenant, u.Provider);
            var expect = !(dealSeen && own) ? Expect.Hidden : written ? Expect.Shown : Expect.Either;
            var why = $"margin of {u.Provider} ({u.MarginPct}%) on {u.DealId} of {u.CustomerId}";
            Add(u.Margin, expect, why);
            Add(u.Cost, expect, "cost behind the " + why);
            Add(u.MarginPct, expect == Expect.Shown ? Expect.Either : expect, "percentage of the " + why);
        }

        foreach (var account in world.Lines.GroupBy(l => (l.Carrier, l.AccountId)))
        {
            var seen = account.Where(l => Cost(l.Carrier, l.AccountId, l.Month)).ToList();
            if (seen.Count > 0)
            {
                Add(seen.Sum(l => l.Amount), Expect.Shown,
                    $"spend of {account.Key.AccountId} in {string.Join(", ", seen.Select(l => l.Month).Distinct())}");
            }
        }

        return figures;
    }

    private string Whose(string account, string month) =>
        world.Accounts.SingleOrDefault(a => a.AccountId == account && WorldModel.InForce(a.From, a.To, month)) is { } v
            ? $"bill-to {v.BillToId}, reseller {v.ResellerId ?? "-"}, customer {v.CustomerId}"
            : "no version in force";
}
