using System.Globalization;
using System.Text;
using Tem.Audit;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Reports.Tests;

/// <summary>
/// The shape of a random channel: distributors, dealers under them (or at the top), sub-dealers under dealers,
/// optionally two dealers that name each other as parent (a cycle), and customers under any of them or direct.
/// Each customer's account is first invoiced to itself, the lessor or any channel party (not necessarily its own);
/// <paramref name="Seed"/> then draws the histories (<see cref="WorldDraft.FromShape"/>).
/// </summary>
public sealed record WorldShape(int Distributors, int[] DealerParents, int[] SubDealerParents, int[] CustomerParents, int[] BillTo, bool Cycle, int Seed)
{
    public override string ToString() =>
        $"dist={Distributors} dealers=[{string.Join(',', DealerParents)}] subs=[{string.Join(',', SubDealerParents)}] customers=[{string.Join(',', CustomerParents)}] billTo=[{string.Join(',', BillTo)}] cycle={Cycle} seed={Seed}";
}

/// <summary>
/// One version of a party (parties.csv row): its parent from <c>From</c> (inclusive; null: always) to <c>To</c>
/// (exclusive; null: open). With <c>ToLeftToIngest</c> the file leaves <c>valid_to</c> empty and the ingest ends the
/// version where the next begins (<c>To</c> is that day).
/// </summary>
public sealed record PartyVersion(string PartyId, string Kind, string? ParentId, DateOnly? From, DateOnly? To, bool ToLeftToIngest = false);

/// <summary>One version of an account's relationships (accounts.csv row), dated like <see cref="PartyVersion"/>.</summary>
public sealed record AccountVersion(
    string Carrier, string AccountId, string CustomerId, string BillToId, string? ResellerId, string Currency, DateOnly? From, DateOnly? To,
    bool ToLeftToIngest = false)
{
    public override string ToString() =>
        $"{AccountId} [{From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "..."}, {To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "..."}) customer {CustomerId} bill-to {BillToId} reseller {ResellerId ?? "-"}";
}

/// <summary>A customer of a world: its token (in every id and name of its rows, and nowhere else) and its one account.</summary>
public sealed record WorldCustomer(string Id, string Token, string Carrier, string Currency)
{
    public string AccountId => "ACC-" + Token;

    public string Service(int n) => $"SVC-{Token}-{n.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>An invoice line (one per service and a tax line per account-month).</summary>
public sealed record InvoiceLine(string Carrier, string AccountId, string InvoiceId, int LineNo, string? ServiceId, string ChargeType, string Month, decimal Amount, string Currency);

/// <summary>A usage record with its price.</summary>
public sealed record UsageRecord(string RecordId, string Carrier, string AccountId, string ServiceId, string Month, string InvoiceId, decimal BilledAmount);

/// <summary>A credits_due.csv row: a credit the carrier owes on an account (the file has no carrier; <paramref name="Carrier"/> is the account's).</summary>
public sealed record CreditDue(string CreditId, string Carrier, string AccountId, string Month, decimal Amount);

/// <summary>A resale.csv line: what <paramref name="ResellerId"/> bills <paramref name="CustomerId"/> for a service in a month.</summary>
public sealed record ResaleLine(string ResellerId, string CustomerId, string ServiceId, string Period, decimal Amount, string Currency);

/// <summary>An upgrade.csv line: one provider's item of a customer's deal, priced once, with its margin.</summary>
public sealed record UpgradeLine(string DealId, string CustomerId, string Item, string Provider, string Role, decimal OneTimeCost, decimal MarginPct, string Currency, string Retires)
{
    /// <summary>The margin amount the proposal shows for this line (its provider's only line in the deal): price x pct / 100.</summary>
    public decimal Margin => OneTimeCost * MarginPct / 100m;

    /// <summary>The provider's cost: price less margin.</summary>
    public decimal Cost => OneTimeCost - Margin;
}

/// <summary>
/// A whole channel world, 2026-01 to 2026-04: dated party and account versions, and every money row. Every money
/// figure is distinct and traceable (<see cref="WorldDraft.Figure"/>), so a figure that turns up in a file says which
/// row leaked; every row of a customer carries its token.
/// </summary>
public sealed class WorldModel
{
    public static IReadOnlyList<string> Months { get; } = ["2026-01", "2026-02", "2026-03", "2026-04"];

    /// <summary>Distributors and dealers (sub-dealers and the cycle included), in creation order.</summary>
    public required IReadOnlyList<string> Channel { get; init; }

    public required IReadOnlyList<PartyVersion> Parties { get; init; }

    public required IReadOnlyList<WorldCustomer> Customers { get; init; }

    public required IReadOnlyList<AccountVersion> Accounts { get; init; }

    public required IReadOnlyList<InvoiceLine> Lines { get; init; }

    public required IReadOnlyList<UsageRecord> Usage { get; init; }

    public required IReadOnlyList<CreditDue> CreditsDue { get; init; }

    public required IReadOnlyList<ResaleLine> Resale { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public required IReadOnlyList<UpgradeLine> Upgrade { get; init; }

    /// <summary>Every party id, in file order.</summary>
    public IReadOnlyList<string> PartyIds => [.. Parties.Select(p => p.PartyId).Distinct(StringComparer.Ordinal)];

    /// <summary>The lake's rule (<see cref="TemLake.InForceMacro"/>): a version is in force in a month when it is on the month's first day.</summary>
    public static bool InForce(DateOnly? from, DateOnly? to, string month)
    {
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (from is null || from <= first) && (to is null || to > first);
    }

    /// <summary>The world's relationships, for a failure message.</summary>
    public string Describe()
    {
        var b = new StringBuilder("\nparties:\n");
        foreach (var p in Parties)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {p.PartyId} ({p.Kind}) parent {p.ParentId ?? "-"} [{D(p.From)}, {D(p.To)})\n");
        }

        b.Append("accounts:\n");
        foreach (var a in Accounts)
        {
            b.Append("  ").Append(a).Append('\n');
        }

        b.Append("resale:\n");
        foreach (var r in Resale)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {r.ResellerId} -> {r.CustomerId} {r.ServiceId} {r.Period} {r.Amount}\n");
        }

        b.Append("deals:\n");
        foreach (var u in Upgrade)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {u.DealId} ({u.CustomerId}) {u.Provider} {u.Role} margin {u.MarginPct}% = {u.Margin}\n");
        }

        return b.ToString();

        static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "...";
    }
}

/// <summary>
/// Builds a <see cref="WorldModel"/>: parties, customers, account versions, resale lines and deals are added (at
/// random by <see cref="FromShape"/>, or by hand); <see cref="ToModel"/> then gives every account-month its invoice
/// lines, usage records and findings. All money figures come from <see cref="Figure"/>.
/// </summary>
public sealed class WorldDraft(int seed)
{
    public const string Lessor = "LES-1";

    public const string Provider = "PRV-1";

    private static readonly string[] Carriers = ["Telco One", "Telco/Two"];

    private readonly HashSet<long> _cents = [];
    private readonly HashSet<long> _pcts = [];

    public Random Random { get; } = new(seed);

    public List<string> Channel { get; } = [];

    public List<PartyVersion> Parties { get; } = [new(Provider, "provider", null, null, null), new(Lessor, "lessor", null, null, null)];

    public List<WorldCustomer> Customers { get; } = [];

    public List<AccountVersion> Accounts { get; } = [];

    public List<ResaleLine> Resale { get; } = [];

    public List<UpgradeLine> Upgrade { get; } = [];

    /// <summary>
    /// A money figure no other row has: <c>c#,###,###.##</c> with the category digit <paramref name="category"/> in
    /// front (1 invoice lines, 2 usage, 3 findings, 4 resale, 5 credits due), ten random digits in all (a sum, difference
    /// or cash-view value printed beside them lands on one of them about once in 10^9) and a last digit that is not 0
    /// (so that every printed form, 2 or 4 decimals, shows both cents).
    /// </summary>
    public decimal Figure(int category)
    {
        while (true)
        {
            var cents = (category * 1_000_000_000L) + Random.NextInt64(0, 1_000_000_000L);
            if (cents % 10 != 0 && _cents.Add(cents))
            {
                return cents / 100m;
            }
        }
    }

    /// <summary>A margin percentage no other upgrade line has: 10.0000 to 49.9999 with 4 decimals, the last not 0.</summary>
    public decimal MarginPct()
    {
        while (true)
        {
            var ten = Random.NextInt64(100_000, 500_000);
            if (ten % 10 != 0 && _pcts.Add(ten))
            {
                return ten / 10_000m;
            }
        }
    }

    public void Party(string id, string kind, params (string? Parent, DateOnly? From)[] versions)
    {
        if (kind is not "customer")
        {
            Channel.Add(id);
        }

        for (var i = 0; i < versions.Length; i++)
        {
            var to = i + 1 < versions.Length ? versions[i + 1].From : null;
            Parties.Add(new PartyVersion(id, kind, versions[i].Parent, versions[i].From, to, to is not null && Random.Next(2) == 0));
        }
    }

    public WorldCustomer Customer(string token, params (string? Parent, DateOnly? From)[] versions)
    {
        var n = Customers.Count;
        var c = new WorldCustomer("CUS-" + token, token, Carriers[n % 2], n % 2 == 0 ? "USD" : "EUR");
        Customers.Add(c);
        Party(c.Id, "customer", versions);
        return c;
    }

    /// <summary>The account's versions: bill-to and reseller from each version's start (the last open, unless <paramref name="until"/>).</summary>
    public void Account(WorldCustomer c, DateOnly? until, params (string BillTo, string? Reseller, DateOnly? From)[] versions)
    {
        for (var i = 0; i < versions.Length; i++)
        {
            var to = i + 1 < versions.Length ? versions[i + 1].From : until;
            Accounts.Add(new AccountVersion(c.Carrier, c.AccountId, c.Id, versions[i].BillTo, versions[i].Reseller, c.Currency, versions[i].From, to,
                to is not null && i + 1 < versions.Length && Random.Next(2) == 0));
        }
    }

    public void Sell(string reseller, WorldCustomer c, int service, string period) =>
        Resale.Add(new ResaleLine(reseller, c.Id, c.Service(service), period, Figure(4), c.Currency));

    /// <summary>A deal of <paramref name="c"/>: one line per provider, each priced 10,000,000.00 once with its own margin, retiring the customer's first service.</summary>
    public void Deal(WorldCustomer c, params (string Provider, string Role)[] lines)
    {
        foreach (var (provider, role) in lines)
        {
            Upgrade.Add(new UpgradeLine("DEAL-" + c.Token, c.Id, $"{role} item {c.Token} from {provider}", provider, role, 10_000_000m, MarginPct(), c.Currency, c.Service(1)));
        }
    }

    /// <summary>The world: per customer account and month three invoice lines, two usage records and its findings; a credit due in one month.</summary>
    public WorldModel ToModel()
    {
        var lines = new List<InvoiceLine>();
        var usage = new List<UsageRecord>();
        var findings = new List<Finding>();
        var credits = new List<CreditDue>();
        foreach (var c in Customers)
        {
            credits.Add(new CreditDue("CR-" + c.Token, c.Carrier, c.AccountId, WorldModel.Months[Random.Next(WorldModel.Months.Count)], Figure(5)));
            foreach (var month in WorldModel.Months)
            {
                var invoice = $"INV-{c.Token}-{month[5..]}";
                lines.Add(new InvoiceLine(c.Carrier, c.AccountId, invoice, 1, c.Service(1), "recurring", month, Figure(1), c.Currency));
                lines.Add(new InvoiceLine(c.Carrier, c.AccountId, invoice, 2, c.Service(2), "recurring", month, Figure(1), c.Currency));
                var tax = new InvoiceLine(c.Carrier, c.AccountId, invoice, 3, null, "tax", month, Figure(1), c.Currency);
                lines.Add(tax);
                for (var s = 1; s <= 2; s++)
                {
                    usage.Add(new UsageRecord($"U-{c.Token}-{month[5..]}-{s.ToString(CultureInfo.InvariantCulture)}", c.Carrier, c.AccountId, c.Service(s), month, invoice, Figure(2)));
                }

                // The parties of the version in force that month, as the audit records them (none without one).
                var v = Accounts.SingleOrDefault(a => a.AccountId == c.AccountId && WorldModel.InForce(a.From, a.To, month));
                Finding F(string rule, string? service, decimal oneTime, decimal monthly, RecommendedAction action, MoneyKind kind) => new()
                {
                    FindingId = FindingId.Create(rule, c.AccountId, service, BillingMonth.Parse(month)),
                    Rule = rule,
                    Severity = Severity.Medium,
                    Carrier = c.Carrier,
                    AccountId = c.AccountId,
                    ServiceId = service,
                    CustomerId = v?.CustomerId,
                    BillToId = v?.BillToId,
                    ResellerId = v?.ResellerId,
                    Period = BillingMonth.Parse(month),
                    OneTimeAmount = oneTime,
                    MonthlySavings = monthly,
                    Currency = CurrencyCode.Parse(c.Currency),
                    Confidence = 0.9m,
                    Title = "Finding " + rule,
                    Detail = $"detail for {c.Token}",
                    Evidence = $"{invoice}#{(service is null ? 3 : service.EndsWith("-1", StringComparison.Ordinal) ? 1 : 2).ToString(CultureInfo.InvariantCulture)} (invoices.csv) {c.Token}",
                    RecommendedAction = action,
                    MoneyKind = kind,
                };

                // The tax finding claims the tax line itself: that line's figure is in every set that may see it.
                findings.Add(F("tax_on_exempt", null, tax.Amount, 0m, RecommendedAction.Dispute, MoneyKind.Validated));
                findings.Add(F("unused_service", c.Service(2), 0m, Figure(3), RecommendedAction.Cancel, MoneyKind.Validated));
                findings.Add(F("spend_anomaly", c.Service(1), Figure(3), 0m, RecommendedAction.Investigate, MoneyKind.Potential));
                if (v?.ResellerId is not null)
                {
                    findings.Add(F("unbilled_resale", c.Service(2), Figure(3), 0m, RecommendedAction.Investigate, MoneyKind.Reseller));
                }
            }
        }

        return new WorldModel
        {
            Channel = [.. Channel],
            Parties = [.. Parties],
            Customers = [.. Customers],
            Accounts = [.. Accounts],
            Lines = lines,
            Usage = usage,
            CreditsDue = credits,
            Resale = [.. Resale],
            Findings = findings,
            Upgrade = [.. Upgrade],
        };
    }

    private static readonly DateOnly[] ChangeDays =
    [
        new(2025, 12, 15), new(2026, 2, 1), new(2026, 2, 1), new(2026, 2, 15), new(2026, 3, 1), new(2026, 3, 1), new(2026, 3, 20),
        new(2026, 4, 1), new(2026, 4, 1), new(2026, 5, 1),
    ];

    /// <summary>
    /// A random world of the shape's hierarchy with histories drawn from its seed: dealers and sub-dealers that move to
    /// another parent, customers that move (to another dealer, a group customer, or direct), accounts with up to three
    /// versions (transfers between dealers, a lessor taking over or letting go, bill-to moving between dealer and
    /// customer, a group customer paying), some opened after January or closed before April; changes on the first of a
    /// month, mid-month (in force from the next month), before the window or after it. Resale lines at most one per
    /// seller and service (so each amount is printed on its own), some from a seller that does not sell the account;
    /// deals with the carrier's line and one or two channel parties'.
    /// </summary>
    public static WorldModel FromShape(WorldShape shape)
    {
        var d = new WorldDraft(shape.Seed);
        var r = d.Random;
        for (var i = 0; i < shape.Distributors; i++)
        {
            d.Party($"DIST-{i}", "distributor", (null, null));
        }

        string? DealerParent(int p) => p < 0 ? null : $"DIST-{p % shape.Distributors}";
        for (var i = 0; i < shape.DealerParents.Length; i++)
        {
            d.Party($"DLR-{i}", "dealer", d.History(DealerParent(shape.DealerParents[i]), () => DealerParent(r.Next(-1, 2))));
        }

        for (var i = 0; i < shape.SubDealerParents.Length && shape.DealerParents.Length > 0; i++)
        {
            d.Party($"SUB-{i}", "dealer", d.History($"DLR-{shape.SubDealerParents[i] % shape.DealerParents.Length}", () => $"DLR-{r.Next(shape.DealerParents.Length)}"));
        }

        if (shape.Cycle)
        {
            d.Party("CYC-A", "dealer", ("CYC-B", null));
            d.Party("CYC-B", "dealer", ("CYC-A", null));
        }

        var channel = d.Channel.ToList();
        string AnyChannel() => channel[r.Next(channel.Count)];
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < shape.CustomerParents.Length; i++)
        {
            string token;
            do
            {
                token = "QZ" + new string([.. Enumerable.Range(0, 6).Select(_ => (char)('A' + r.Next(26)))]);
            }
            while (!used.Add(token));

            // A customer sits under a channel party, under a group customer (a subsidiary), or at the top.
            var earlier = d.Customers.ToList();
            string? ParentChoice() => r.Next(5) switch
            {
                0 when earlier.Count > 0 => earlier[r.Next(earlier.Count)].Id,
                1 => null,
                _ => AnyChannel(),
            };
            var parent = shape.CustomerParents[i] < 0 ? null
                : earlier.Count > 0 && r.Next(5) == 0 ? earlier[r.Next(earlier.Count)].Id
                : channel[shape.CustomerParents[i] % channel.Count];
            var c = d.Customer(token, d.History(parent, ParentChoice));

            // The first version as the shape says (bill-to itself, the lessor, or a channel party selling it); the
            // reseller of a self- or lessor-billed account is its parent when that is a channel party (an agent).
            var agent = parent is not null && channel.Contains(parent) ? parent : null;
            (string, string?) first = shape.BillTo[i] switch
            {
                0 => (c.Id, agent),
                1 => (Lessor, agent),
                var b => (channel[(b - 2) % channel.Count], channel[(b - 2) % channel.Count]),
            };
            (string, string?) Later()
            {
                var seller = AnyChannel();
                return r.Next(7) switch
                {
                    0 => (c.Id, null),
                    1 => (c.Id, seller),
                    2 or 3 => (seller, seller),
                    4 => (Lessor, r.Next(2) == 0 ? seller : null),
                    5 => (AnyChannel(), seller),
                    _ => earlier.Count > 0 ? (earlier[r.Next(earlier.Count)].Id, r.Next(2) == 0 ? seller : null) : (seller, seller),
                };
            }

            var days = d.Days(r.Next(10) switch { < 4 => 0, < 8 => 1, _ => 2 });
            DateOnly? opened = r.Next(10) == 0 && days.All(x => x > new DateOnly(2026, 2, 1)) ? new DateOnly(2026, 2, 1) : null;
            DateOnly? closed = r.Next(10) == 0 && days.All(x => x < new DateOnly(2026, 4, 1)) ? new DateOnly(2026, 4, 1) : null;
            var versions = new List<(string, string?, DateOnly?)> { (first.Item1, first.Item2, opened) };
            versions.AddRange(days.Select(day => { var (b, s) = Later(); return (b, s, (DateOnly?)day); }));
            d.Account(c, closed, [.. versions]);
        }

        d.SellAtRandom();
        for (var i = 0; i < d.Customers.Count; i++)
        {
            if (i == 0 || r.Next(2) == 0)
            {
                var partner = AnyChannel();
                var lines = new List<(string, string)> { (Provider, "carrier"), (partner, "var") };
                var others = channel.Where(x => x != partner).ToList();
                if (others.Count > 0 && r.Next(2) == 0)
                {
                    lines.Add((others[r.Next(others.Count)], "msp"));
                }

                d.Deal(d.Customers[i], [.. lines]);
            }
        }

        return d.ToModel();
    }

    /// <summary>Up to two sorted distinct change days.</summary>
    private List<DateOnly> Days(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => ChangeDays[Random.Next(ChangeDays.Length)]).Distinct().Order()];

    /// <summary>A party's versions: <paramref name="first"/> as parent, then, for one in two, one or two moves.</summary>
    private (string? Parent, DateOnly? From)[] History(string? first, Func<string?> next)
    {
        var moves = Random.Next(2) == 0 ? Days(Random.Next(1, 3)) : [];
        return [(first, null), .. moves.Select(day => (next(), (DateOnly?)day))];
    }

    /// <summary>
    /// Resale lines: per account version with a reseller and service, often one line in one of its months; now and
    /// then a line from a channel party that does not sell the account (a former dealer still billing, a stray line).
    /// At most one line per seller and service.
    /// </summary>
    private void SellAtRandom()
    {
        var sold = new HashSet<(string, string)>();
        void Try(string seller, WorldCustomer c, int service, string month)
        {
            if (sold.Add((seller, c.Service(service))))
            {
                Sell(seller, c, service, month);
            }
        }

        foreach (var c in Customers)
        {
            foreach (var v in Accounts.Where(a => a.AccountId == c.AccountId && a.ResellerId is not null))
            {
                var months = WorldModel.Months.Where(m => WorldModel.InForce(v.From, v.To, m)).ToList();
                for (var s = 1; s <= 2 && months.Count > 0; s++)
                {
                    if (Random.Next(10) < 7)
                    {
                        Try(v.ResellerId!, c, s, months[Random.Next(months.Count)]);
                    }
                }
            }

            if (Random.Next(10) < 3)
            {
                Try(Channel[Random.Next(Channel.Count)], c, Random.Next(1, 3), WorldModel.Months[Random.Next(WorldModel.Months.Count)]);
            }
        }
    }
}

/// <summary>
/// A lake built from a <see cref="WorldModel"/>: parties and accounts with their dated versions, services, invoices,
/// usage, credits due, resale and upgrade ingested, and the findings stored.
/// </summary>
public sealed class TenantWorld : IDisposable
{
    private readonly TempFolder _temp = new("tem-tenant-world");

    private static readonly TimeProvider Clock = SampleReportFixture.Clock;

    public TenantWorld(WorldShape shape)
        : this(WorldDraft.FromShape(shape))
    {
    }

    public TenantWorld(WorldModel model)
    {
        Model = model;
        Folder = _temp.Path;
        Lake = TemLake.Open(Path.Combine(Folder, "lake"));

        // One catalog instance for the whole build, as a run holds it (an open per file otherwise).
        using var hold = Lake.Catalog.Hold();
        Ingest("parties.csv", Parties());
        Ingest("accounts.csv", Accounts());
        Ingest("services.csv", Services());
        Ingest("invoices.csv", Invoices());
        Ingest("usage.csv", Usage());
        Ingest("credits_due.csv", CreditsDue());
        if (model.Resale.Count > 0)
        {
            Ingest("resale.csv", Resale());
        }

        if (model.Upgrade.Count > 0)
        {
            Ingest("upgrade.csv", Upgrade());
        }

        new FindingStore(Lake, Clock).Save(model.Findings, "run-1");
    }

    public WorldModel Model { get; }

    public string Folder { get; }

    public TemLake Lake { get; }

    public void Dispose() => _temp.Dispose();

    private static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string M(decimal v) => v.ToString("0.00##", CultureInfo.InvariantCulture);

    private string Parties()
    {
        var b = new StringBuilder("party_id,name,kind,parent_id,brand_name,brand_color,logo_file,valid_from,valid_to\n");
        var tokens = Model.Customers.ToDictionary(c => c.Id, c => c.Token, StringComparer.Ordinal);
        foreach (var p in Model.Parties)
        {
            var (name, brand) = p.Kind switch
            {
                "customer" => ($"Customer {tokens[p.PartyId]} Ltd", string.Empty),
                "provider" => ("Carrier Provider", string.Empty),
                "lessor" => ("Lessor Leasing", string.Empty),
                _ => ($"Partner {p.PartyId}", $"Brand {p.PartyId}"),
            };
            var color = brand.Length > 0 ? "#336699" : string.Empty;
            b.Append(CultureInfo.InvariantCulture, $"{p.PartyId},{name},{p.Kind},{p.ParentId},{brand},{color},,{D(p.From)},{(p.ToLeftToIngest ? string.Empty : D(p.To))}\n");
        }

        return b.ToString();
    }

    private string Accounts()
    {
        var b = new StringBuilder("account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id,valid_from,valid_to\n");
        foreach (var a in Model.Accounts)
        {
            b.Append(CultureInfo.InvariantCulture,
                $"{a.AccountId},{a.Carrier},{a.CustomerId},{a.BillToId},{a.ResellerId},{a.Currency},Europe/London,false,,{D(a.From)},{(a.ToLeftToIngest ? string.Empty : D(a.To))}\n");
        }

        return b.ToString();
    }

    private string Services()
    {
        var b = new StringBuilder("service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center,user_name\n");
        foreach (var c in Model.Customers)
        {
            for (var s = 1; s <= 2; s++)
            {
                b.Append(CultureInfo.InvariantCulture, $"{c.Service(s)},{c.AccountId},mobile,,active,2025-01-01,,CC {c.Token},User {c.Token}\n");
            }
        }

        return b.ToString();
    }

    private string Invoices()
    {
        var b = new StringBuilder("invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency\n");
        foreach (var l in Model.Lines)
        {
            var first = DateOnly.ParseExact(l.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var last = first.AddMonths(1).AddDays(-1);
            var token = l.AccountId["ACC-".Length..];
            b.Append(CultureInfo.InvariantCulture,
                $"{l.InvoiceId},{l.Carrier},{l.AccountId},{D(last)},{D(first)},{D(last)},{l.LineNo},{l.ServiceId},{l.ChargeType},Line {l.LineNo} {token},1,{M(l.Amount)},{M(l.Amount)},{l.Currency}\n");
        }

        return b.ToString();
    }

    private string Usage()
    {
        var b = new StringBuilder("record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id\n");
        foreach (var u in Model.Usage)
        {
            b.Append(CultureInfo.InvariantCulture, $"{u.RecordId},{u.Carrier},{u.AccountId},{u.ServiceId},voice,{u.Month}-15T10:00:00+00:00,60,+442071234567,0,{M(u.BilledAmount)},{u.InvoiceId}\n");
        }

        return b.ToString();
    }

    private string CreditsDue()
    {
        var b = new StringBuilder("credit_id,account_id,service_id,reason,amount,due_by_period\n");
        foreach (var d in Model.CreditsDue)
        {
            b.Append(CultureInfo.InvariantCulture, $"{d.CreditId},{d.AccountId},,overbilled,{M(d.Amount)},{d.Month}\n");
        }

        return b.ToString();
    }

    private string Resale()
    {
        var b = new StringBuilder("reseller_id,customer_id,service_id,period,amount,currency\n");
        foreach (var r in Model.Resale)
        {
            b.Append(CultureInfo.InvariantCulture, $"{r.ResellerId},{r.CustomerId},{r.ServiceId},{r.Period},{M(r.Amount)},{r.Currency}\n");
        }

        return b.ToString();
    }

    private string Upgrade()
    {
        var b = new StringBuilder("item,provider,role,one_time_cost,monthly_cost,provider_margin_pct,deal_id,customer_id,currency,retires\n");
        foreach (var u in Model.Upgrade)
        {
            b.Append(CultureInfo.InvariantCulture,
                $"{u.Item},{u.Provider},{u.Role},{M(u.OneTimeCost)},0.00,{u.MarginPct.ToString("0.0000", CultureInfo.InvariantCulture)},{u.DealId},{u.CustomerId},{u.Currency},{u.Retires}\n");
        }

        return b.ToString();
    }

    private void Ingest(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        var report = new Ingestor(Lake, Clock, new IngestOptions { Threads = 1 }).IngestFile(path, "world");
        Assert.True(report.RowsRejected == 0 && report.Outcome == FileOutcome.Stored, $"{name}: {report.Message}");
    }
}
