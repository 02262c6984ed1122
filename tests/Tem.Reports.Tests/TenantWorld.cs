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
/// Each customer is invoiced to itself, the lessor or any channel party (not necessarily its own).
/// </summary>
public sealed record WorldShape(int Distributors, int[] DealerParents, int[] SubDealerParents, int[] CustomerParents, int[] BillTo, bool Cycle, int Seed)
{
    public override string ToString() =>
        $"dist={Distributors} dealers=[{string.Join(',', DealerParents)}] subs=[{string.Join(',', SubDealerParents)}] customers=[{string.Join(',', CustomerParents)}] billTo=[{string.Join(',', BillTo)}] cycle={Cycle} seed={Seed}";
}

/// <summary>
/// A lake built from a <see cref="WorldShape"/>: parties, accounts, services, invoices, resale and upgrade ingested,
/// and findings stored for every account. Every row of a customer carries that customer's token (an id no other
/// text contains), so a leak of any of its rows into another party's files can be found by searching for it.
/// </summary>
public sealed class TenantWorld : IDisposable
{
    private static readonly TimeProvider Clock = SampleReportFixture.Clock;

    public TenantWorld(WorldShape shape)
    {
        Folder = Path.Combine(Path.GetTempPath(), "tem-tenant-world-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var random = new Random(shape.Seed);
        Channel = [];
        Parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < shape.Distributors; i++)
        {
            Add($"DIST-{i}", null);
        }

        for (var i = 0; i < shape.DealerParents.Length; i++)
        {
            Add($"DLR-{i}", shape.DealerParents[i] < 0 ? null : $"DIST-{shape.DealerParents[i] % shape.Distributors}");
        }

        for (var i = 0; i < shape.SubDealerParents.Length && shape.DealerParents.Length > 0; i++)
        {
            Add($"SUB-{i}", $"DLR-{shape.SubDealerParents[i] % shape.DealerParents.Length}");
        }

        if (shape.Cycle)
        {
            Add("CYC-A", "CYC-B");
            Add("CYC-B", "CYC-A");
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        Customers = [];
        for (var i = 0; i < shape.CustomerParents.Length; i++)
        {
            string token;
            do
            {
                token = "QZ" + new string([.. Enumerable.Range(0, 6).Select(_ => (char)('A' + random.Next(26)))]);
            }
            while (!used.Add(token));

            var parent = shape.CustomerParents[i] < 0 ? null : Channel[shape.CustomerParents[i] % Channel.Count];
            var billTo = shape.BillTo[i] switch
            {
                0 => "CUS-" + token,
                1 => "LES-1",
                var b => Channel[(b - 2) % Channel.Count],
            };
            Customers.Add(new WorldCustomer("CUS-" + token, token, parent, billTo, i % 2 == 0 ? "USD" : "EUR", i % 2 == 0 ? "Telco One" : "Telco/Two"));
            Parents["CUS-" + token] = parent;
        }

        Lake = TemLake.Open(Path.Combine(Folder, "lake"));
        Ingest("parties.csv", Parties());
        Ingest("accounts.csv", Accounts());
        Ingest("services.csv", Services());
        Ingest("invoices.csv", Invoices());
        Ingest("resale.csv", Resale());
        Ingest("upgrade.csv", "item,provider,role,one_time_cost,monthly_cost,provider_margin_pct\nEdge router,PRV-1,integrator,100.00,10.00,20\n");
        new FindingStore(Lake, Clock).Save(Findings(), "run-1");
    }

    public string Folder { get; }

    public TemLake Lake { get; }

    /// <summary>Distributors and dealers (sub-dealers and the cycle included), in creation order.</summary>
    public List<string> Channel { get; }

    public Dictionary<string, string?> Parents { get; }

    public List<WorldCustomer> Customers { get; }

    /// <summary>The party and everything below it, walked in C# (the reference for the SQL scope).</summary>
    public HashSet<string> Subtree(string party)
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { party };
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (child, parent) in Parents)
            {
                if (parent is not null && set.Contains(parent) && set.Add(child))
                {
                    changed = true;
                }
            }
        }

        return set;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Add(string id, string? parent)
    {
        Channel.Add(id);
        Parents[id] = parent;
    }

    private static bool IsChannel(string party) => !party.StartsWith("CUS-", StringComparison.Ordinal) && party != "LES-1";

    private string Parties()
    {
        var b = new StringBuilder("party_id,name,kind,parent_id,brand_name,brand_color,logo_file\n");
        b.Append("PRV-1,Telco One,provider,,,,\nLES-1,Lessor Leasing,lessor,,,,\n");
        foreach (var id in Channel)
        {
            var kind = id.StartsWith("DIST", StringComparison.Ordinal) ? "distributor" : "dealer";
            b.Append(CultureInfo.InvariantCulture, $"{id},Partner {id},{kind},{Parents[id]},Brand {id},#336699,\n");
        }

        foreach (var c in Customers)
        {
            b.Append(CultureInfo.InvariantCulture, $"{c.Id},Customer {c.Token} Ltd,customer,{c.Parent},,,\n");
        }

        return b.ToString();
    }

    private string Accounts()
    {
        var b = new StringBuilder("account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id\n");
        foreach (var c in Customers)
        {
            b.Append(CultureInfo.InvariantCulture, $"ACC-{c.Token},{c.Carrier},{c.Id},{c.BillTo},{Reseller(c)},{c.Currency},Europe/London,false,\n");
        }

        return b.ToString();
    }

    private static string Reseller(WorldCustomer c) => IsChannel(c.BillTo) ? c.BillTo : c.Parent ?? string.Empty;

    private string Services()
    {
        var b = new StringBuilder("service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center,user_name\n");
        foreach (var c in Customers)
        {
            for (var s = 1; s <= 2; s++)
            {
                b.Append(CultureInfo.InvariantCulture, $"SVC-{c.Token}-{s},ACC-{c.Token},mobile,,active,2025-01-01,,CC {c.Token},User {c.Token}\n");
            }
        }

        return b.ToString();
    }

    private string Invoices()
    {
        var b = new StringBuilder("invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency\n");
        foreach (var c in Customers)
        {
            foreach (var m in new[] { "01", "02" })
            {
                var last = m == "01" ? "31" : "28";
                b.Append(CultureInfo.InvariantCulture, $"INV-{c.Token}-{m},{c.Carrier},ACC-{c.Token},2026-{m}-{last},2026-{m}-01,2026-{m}-{last},1,SVC-{c.Token}-1,recurring,Plan {c.Token},1,20.00,20.00,{c.Currency}\n");
                b.Append(CultureInfo.InvariantCulture, $"INV-{c.Token}-{m},{c.Carrier},ACC-{c.Token},2026-{m}-{last},2026-{m}-01,2026-{m}-{last},2,SVC-{c.Token}-2,recurring,Plan {c.Token},1,30.00,30.00,{c.Currency}\n");
                b.Append(CultureInfo.InvariantCulture, $"INV-{c.Token}-{m},{c.Carrier},ACC-{c.Token},2026-{m}-{last},2026-{m}-01,2026-{m}-{last},3,,tax,Tax {c.Token},1,5.00,5.00,{c.Currency}\n");
            }
        }

        return b.ToString();
    }

    private string Resale()
    {
        var b = new StringBuilder("reseller_id,customer_id,service_id,period,amount,currency\n");
        foreach (var c in Customers.Where(c => IsChannel(c.BillTo)))
        {
            b.Append(CultureInfo.InvariantCulture, $"{c.BillTo},{c.Id},SVC-{c.Token}-1,2026-01,25.00,{c.Currency}\n");
            b.Append(CultureInfo.InvariantCulture, $"{c.BillTo},{c.Id},SVC-{c.Token}-1,2026-02,25.00,{c.Currency}\n");
            b.Append(CultureInfo.InvariantCulture, $"{c.BillTo},{c.Id},SVC-{c.Token}-2,2026-01,28.00,{c.Currency}\n");
        }

        return b.ToString();
    }

    private List<Finding> Findings()
    {
        var list = new List<Finding>();
        foreach (var c in Customers)
        {
            Finding F(string rule, string? service, string period, decimal oneTime, decimal monthly, RecommendedAction action, string evidence) => new()
            {
                FindingId = FindingId.Create(rule, "ACC-" + c.Token, service, BillingMonth.Parse(period), null),
                Rule = rule,
                Severity = Severity.Medium,
                Carrier = c.Carrier,
                AccountId = "ACC-" + c.Token,
                ServiceId = service,
                CustomerId = c.Id,
                BillToId = c.BillTo,
                ResellerId = Reseller(c) is { Length: > 0 } r ? r : null,
                Period = BillingMonth.Parse(period),
                OneTimeAmount = oneTime,
                MonthlySavings = monthly,
                Currency = CurrencyCode.Parse(c.Currency),
                Confidence = 0.9m,
                Title = "Finding " + rule,
                Detail = $"detail for {c.Token}",
                Evidence = evidence,
                RecommendedAction = action,
            };

            list.Add(F("tax_on_exempt", null, "2026-02", 5m, 0m, RecommendedAction.Dispute, $"INV-{c.Token}-02#3 (invoices.csv:7) tax {c.Token}"));
            list.Add(F("unused_service", $"SVC-{c.Token}-2", "2026-02", 0m, 30m, RecommendedAction.Cancel, $"services services.csv:2 {c.Token}"));
            list.Add(F("spend_anomaly", $"SVC-{c.Token}-1", "2026-02", 12.5m, 0m, RecommendedAction.Investigate, $"INV-{c.Token}-02#1 (invoices.csv:5)"));
            if (IsChannel(c.BillTo))
            {
                list.Add(F("unbilled_resale", $"SVC-{c.Token}-2", "2026-02", 30m, 0m, RecommendedAction.Investigate, $"INV-{c.Token}-02#2 (invoices.csv:6)"));
            }
        }

        return list;
    }

    private void Ingest(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        var report = new Ingestor(Lake, Clock, new IngestOptions { Threads = 1 }).IngestFile(path, "world");
        Assert.True(report.RowsRejected == 0 && report.Outcome == FileOutcome.Stored, $"{name}: {report.Message}");
    }
}

/// <summary>A customer of a <see cref="TenantWorld"/>.</summary>
public sealed record WorldCustomer(string Id, string Token, string? Parent, string BillTo, string Currency, string Carrier);
