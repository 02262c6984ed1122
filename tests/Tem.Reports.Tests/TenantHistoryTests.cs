using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Tem.Lake;

namespace Tem.Reports.Tests;

/// <summary>
/// Tenant scope over random channel histories (<see cref="TenantWorld"/>): the rows of <see cref="TenantScope"/>
/// against the C# reference (<see cref="TenantReference"/>), and every file of every party's report set searched for
/// the world's traced money figures and customer tokens. Hand-made lakes pin the rules down on examples.
/// </summary>
public sealed partial class TenantHistoryTests
{
    private static readonly TimeProvider Clock = SampleReportFixture.Clock;

    private static readonly DateOnly Feb15 = new(2026, 2, 15);

    private static readonly DateOnly Mar1 = new(2026, 3, 1);

    private static readonly Gen<WorldShape> Shapes =
        from distributors in Gen.Choose(1, 2)
        from dealers in Gen.Choose(0, 3)
        from dealerParents in Gen.ArrayOf(Gen.Choose(-1, 1), dealers)
        from subs in Gen.Choose(0, 2)
        from subParents in Gen.ArrayOf(Gen.Choose(0, 2), subs)
        from customers in Gen.Choose(2, 6)
        from customerParents in Gen.ArrayOf(Gen.Choose(-1, 8), customers)
        from billTo in Gen.ArrayOf(Gen.Choose(0, 6), customers)
        from cycle in Gen.Elements(false, false, true)
        from seed in Gen.Choose(0, 1_000_000)
        select new WorldShape(distributors, dealerParents, subParents, customerParents, billTo, cycle, seed);

    private static Config Replayed(int cases) =>
        Config.QuickThrowOnFailure.WithMaxTest(cases).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20261015), FSharpOption<int>.None)));

    /// <summary>
    /// Charges, usage (prices masked), credits due, findings, resale, deals (margins masked), account versions and
    /// services of every party's scope are exactly the reference's rows. MaxTest 8: opening a scope costs about half a
    /// second of CPU, so 8 seeded worlds with every party a tenant (88 scopes) take about 25 s on this 2-core machine
    /// while other builds run.
    /// </summary>
    [Fact]
    public void TenantScope_RandomChannelHistories_RowsEqualTheReference()
    {
        Check.One(Replayed(8), Prop.ForAll(Shapes.ToArbitrary(), shape =>
        {
            using var world = new TenantWorld(shape);
            var reference = new TenantReference(world.Model);
            foreach (var tenant in world.Model.PartyIds)
            {
                AssertScope(world, reference, tenant, shape.ToString());
            }
        }));
    }

    /// <summary>
    /// For every party of the world as tenant (channel parties in the full report's tenants/ folders, customers, the
    /// lessor and the carrier with --tenant), every file of its set, workbooks unzipped: no figure it may not see
    /// (another payer's carrier cost, another seller's resale, another provider's margin), every figure of its own
    /// (each finding it sees, each resale line it sells, each account's spend it pays, its margins on the proposals
    /// it gets), and the tokens of exactly the customers it deals with. MaxTest 4: a set costs about a second, so 4
    /// seeded worlds (a full report and one set per customer, lessor and carrier each: 48 sets) take about 30 s on this
    /// 2-core machine while other builds run.
    /// </summary>
    [Fact]
    public void TenantSets_RandomChannelHistories_EachSetShowsItsOwnFiguresAndNoOneElses()
    {
        Check.One(Replayed(4), Prop.ForAll(Shapes.ToArbitrary(), shape =>
        {
            using var world = new TenantWorld(shape);
            var reference = new TenantReference(world.Model);
            var output = Path.Combine(world.Folder, "out");
            var result = ReportWriter.Write(world.Lake, output, new ReportOptions(), Clock);

            // Every distributor and dealer gets a set, whether or not it has customers.
            Assert.Equal(world.Model.Channel.Order(StringComparer.Ordinal), result.Tenants);
            Assert.NotEqual(0, AssertSet(world, reference, null, output, shape.ToString()));
            var shown = 0;
            foreach (var tenant in world.Model.PartyIds)
            {
                var dir = Path.Combine(output, "tenants", tenant);
                if (!world.Model.Channel.Contains(tenant))
                {
                    dir = Path.Combine(world.Folder, "single", tenant);
                    ReportWriter.Write(world.Lake, dir, new ReportOptions { Tenant = tenant }, Clock);
                }

                shown += AssertSet(world, reference, tenant, dir, shape.ToString());
            }

            // Not vacuous: some tenant set was required to show figures of its own, and did.
            Assert.True(shown > 0, $"{shape}: no tenant set has a figure of its own to show");
        }));
    }

    /// <summary>
    /// A customer moves from one dealer to another on 1 March with its account (sold and invoiced by each in turn); a
    /// sub-dealer moves between the same dealers on 1 March, keeping its customer; a direct customer's account goes to
    /// a lessor on 15 February (in force from March). Each dealer sees its own months only, the distributor above both
    /// all four, the customers their usage without the prices they do not pay, the lessor the months it is invoiced.
    /// </summary>
    [Fact]
    public void TenantScope_TransfersAndLessor_EachPartySeesItsOwnMonths()
    {
        var (model, mover, leased, subbed) = Handmade();
        using var world = new TenantWorld(model);
        string[] Months(string? tenant, string sql)
        {
            using var db = TenantScope.Open(world.Lake, tenant);
            return [.. Rows(db, sql).Select(r => (string)r[0]!)];
        }

        string Charged(WorldCustomer c) => $"SELECT DISTINCT month FROM charges WHERE account_id = '{c.AccountId}' ORDER BY 1";
        string Unpriced(WorldCustomer c) => $"SELECT DISTINCT month FROM usage WHERE account_id = '{c.AccountId}' AND billed_amount IS NULL ORDER BY 1";
        string[] janFeb = ["2026-01", "2026-02"], marApr = ["2026-03", "2026-04"];

        Assert.Equal(janFeb, Months("DLR-A", Charged(mover)));
        Assert.Equal(marApr, Months("DLR-B", Charged(mover)));
        Assert.Equal(WorldModel.Months, Months("DIST-0", Charged(mover)));
        Assert.Empty(Months(mover.Id, Charged(mover)));
        Assert.Equal(WorldModel.Months, Months(mover.Id, Unpriced(mover)));
        Assert.Equal(janFeb, Months("DLR-A", "SELECT DISTINCT period FROM findings WHERE rule = 'unbilled_resale' ORDER BY 1"));
        Assert.Equal(marApr, Months("DLR-B", "SELECT DISTINCT period FROM findings WHERE rule = 'unbilled_resale' ORDER BY 1"));

        Assert.Equal(WorldModel.Months, Months("SUB-X", Charged(subbed)));
        Assert.Equal(janFeb, Months("DLR-A", Charged(subbed)));
        Assert.Equal(marApr, Months("DLR-B", Charged(subbed)));
        Assert.Equal(["2026-01"], Months("DLR-A", "SELECT period FROM resale WHERE reseller_id = 'SUB-X'"));
        Assert.Equal(["2026-04"], Months("DLR-B", "SELECT period FROM resale WHERE reseller_id = 'SUB-X'"));

        Assert.Equal(janFeb, Months(leased.Id, Charged(leased)));
        Assert.Equal(marApr, Months(WorldDraft.Lessor, Charged(leased)));
        Assert.Equal(marApr, Months(leased.Id, Unpriced(leased)));
        Assert.Empty(Months("DLR-A", Charged(leased)));

        var reference = new TenantReference(world.Model);
        foreach (var tenant in world.Model.PartyIds)
        {
            AssertScope(world, reference, tenant, "hand-made world");
        }
    }

    /// <summary>
    /// The moved customer's deal has the carrier's line and its new dealer's: the dealer's set shows its own margin and
    /// the carrier's price, never the carrier's margin (the scope gives it as NULL).
    /// </summary>
    [Fact]
    public void Write_DealerTenantWithTheCarriersLineInItsCustomersDeal_ShowsItsOwnMarginOnly()
    {
        var (model, mover, _, _) = Handmade();
        using var world = new TenantWorld(model);
        var dir = Path.Combine(world.Folder, "dlr-b");
        ReportWriter.Write(world.Lake, dir, new ReportOptions { Tenant = "DLR-B" }, Clock);

        var numbers = Numbers(File.ReadAllText(Path.Combine(dir, $"proposal-DEAL-{mover.Token}.html")));
        var own = world.Model.Upgrade.Single(u => u.Provider == "DLR-B");
        var carrier = world.Model.Upgrade.Single(u => u.Provider == WorldDraft.Provider);
        Assert.Contains(own.Margin, numbers);
        Assert.DoesNotContain(carrier.Margin, numbers);
        Assert.DoesNotContain(carrier.Cost, numbers);
    }

    /// <summary>
    /// credits_due.csv has no carrier. Account 1001 is at two carriers, both sold by DLR-1: at Telco One its customer
    /// pays the carrier (DLR-1 is its agent and sees that cost), at Telco/Two the lessor pays (that cost is the
    /// lessor's alone). A credit due on 1001 cannot be told apart, so, as the scope's rule for rows without a carrier
    /// says and as it does for the lessor, it stays out of the sets that pay only one of the two.
    /// </summary>
    [Fact]
    public void TenantScope_CreditDueOnAnAccountIdTwoCarriersShare_StaysOutOfTheSetsThatPayOnlyOneOfThem()
    {
        using var temp = new TempFolder("tem-tenant-credit");
        var folder = temp.Path;
        var lake = TemLake.Open(Path.Combine(folder, "lake"));
        void Ingest(string name, string text)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            var report = new Tem.Ingest.Ingestor(lake, Clock, new Tem.Ingest.IngestOptions { Threads = 1 }).IngestFile(path, "credit");
            Assert.True(report.RowsRejected == 0 && report.Outcome == Tem.Ingest.FileOutcome.Stored, $"{name}: {report.Message}");
        }

        Ingest("parties.csv", "party_id,name,kind,parent_id\nDLR-1,Dealer,dealer,\nCUS-A,Customer A,customer,DLR-1\nLES-1,Lessor,lessor,\n");
        Ingest("accounts.csv", "account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id\n"
                               + "1001,Telco One,CUS-A,CUS-A,DLR-1,USD,Europe/London,false,\n1001,Telco/Two,CUS-A,LES-1,DLR-1,USD,Europe/London,false,\n");
        Ingest("credits_due.csv", "credit_id,account_id,service_id,reason,amount,due_by_period\nCR-1,1001,,overbilled,123.45,2026-01\n");

        string[] Credits(string tenant)
        {
            using var db = TenantScope.Open(lake, tenant);
            return [.. Rows(db, "SELECT credit_id FROM credits_due").Select(r => (string)r[0]!)];
        }

        Assert.All(new[] { "LES-1", "CUS-A", "DLR-1" }, tenant => Assert.True(Credits(tenant).Length == 0, $"{tenant} sees credit CR-1 of account 1001"));
    }

    /// <summary>
    /// DIST-0 over DLR-A and DLR-B; a customer moving from DLR-A to DLR-B on 1 March with its account; SUB-X moving
    /// from under DLR-A to under DLR-B on 1 March with the customer it sells and invoices; a direct customer leased
    /// from 15 February.
    /// </summary>
    private static (WorldModel Model, WorldCustomer Mover, WorldCustomer Leased, WorldCustomer Subbed) Handmade()
    {
        var d = new WorldDraft(20261207);
        d.Party("DIST-0", "distributor", (null, null));
        d.Party("DLR-A", "dealer", ("DIST-0", null));
        d.Party("DLR-B", "dealer", ("DIST-0", null));
        d.Party("SUB-X", "dealer", ("DLR-A", null), ("DLR-B", Mar1));
        var mover = d.Customer("QZMOVERS", ("DLR-A", null), ("DLR-B", Mar1));
        d.Account(mover, null, ("DLR-A", "DLR-A", null), ("DLR-B", "DLR-B", Mar1));
        var subbed = d.Customer("QZSUBBED", ("SUB-X", null));
        d.Account(subbed, null, ("SUB-X", "SUB-X", null));
        var leased = d.Customer("QZLEASED", (null, null));
        d.Account(leased, null, (leased.Id, null, null), (WorldDraft.Lessor, null, Feb15));
        d.Sell("DLR-A", mover, 1, "2026-02");
        d.Sell("DLR-B", mover, 1, "2026-03");
        d.Sell("SUB-X", subbed, 1, "2026-01");
        d.Sell("SUB-X", subbed, 2, "2026-04");
        d.Deal(mover, (WorldDraft.Provider, "carrier"), ("DLR-B", "var"));
        return (d.ToModel(), mover, leased, subbed);
    }

    private static void AssertScope(TenantWorld world, TenantReference reference, string tenant, string context)
    {
        using var db = TenantScope.Open(world.Lake, tenant);
        var failures = new List<string>();
        void Same(string table, IEnumerable<string> expected, string sql, Func<object?[], string> key)
        {
            var want = expected.Order(StringComparer.Ordinal).ToList();
            var got = Rows(db, sql).Select(key).Order(StringComparer.Ordinal).ToList();
            var extra = got.ToList();
            var missing = new List<string>();
            foreach (var row in want)
            {
                if (!extra.Remove(row))
                {
                    missing.Add(row);
                }
            }

            if (extra.Count > 0 || missing.Count > 0)
            {
                failures.Add($"{table}: {extra.Count} row(s) not in the reference [{string.Join("; ", extra.Take(8))}], {missing.Count} missing [{string.Join("; ", missing.Take(8))}]");
            }
        }

        Same("charges", reference.Charges(tenant), "SELECT carrier, account_id, invoice_id, line_no, amount FROM charges",
            r => TenantReference.ChargeKey((string)r[0]!, (string)r[1]!, (string)r[2]!, Convert.ToInt64(r[3], CultureInfo.InvariantCulture), (decimal)r[4]!));
        Same("usage", reference.Usage(tenant), "SELECT record_id, billed_amount FROM usage", r => TenantReference.UsageKey((string)r[0]!, (decimal?)r[1]));
        Same("credits_due", reference.CreditsDue(tenant), "SELECT credit_id, amount FROM credits_due", r => (string)r[0]! + "|" + TenantReference.Amount((decimal)r[1]!));
        Same("findings", reference.Findings(tenant), "SELECT finding_id FROM findings", r => (string)r[0]!);
        Same("resale", reference.Resale(tenant), "SELECT reseller_id, customer_id, service_id, period, amount FROM resale",
            r => TenantReference.ResaleKey((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (decimal)r[4]!));
        Same("upgrade", reference.Upgrade(tenant), "SELECT deal_id, provider, provider_margin_pct FROM upgrade",
            r => TenantReference.UpgradeKey((string)r[0]!, (string)r[1]!, (decimal?)r[2]));
        Same("account_versions", reference.AccountVersions(tenant), "SELECT carrier, account_id, strftime(valid_from, '%Y-%m-%d') FROM account_versions",
            r => TenantReference.VersionKey((string)r[0]!, (string)r[1]!, r[2] is string s ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null));
        Same("services", reference.Services(tenant), "SELECT service_id, account_id FROM services", r => (string)r[0]! + "|" + (string)r[1]!);
        Assert.True(failures.Count == 0, $"{context}: scope of {tenant}:\n  {string.Join("\n  ", failures)}\n{world.Model.Describe()}");
    }

    /// <summary>
    /// Checks one set's files against the reference's traced figures and the customers' tokens (<paramref name="tenant"/>
    /// null: the full set); returns how many figures it was required to show.
    /// </summary>
    private static int AssertSet(TenantWorld world, TenantReference reference, string? tenant, string dir, string context)
    {
        var text = TenantTests.AllText(dir);
        var numbers = Numbers(text);
        var failures = new List<string>();
        var figures = reference.Figures(tenant);
        foreach (var f in figures.Values.OrderBy(f => f.Value))
        {
            var shown = numbers.Contains(f.Value);
            if (f.Expect == Expect.Hidden && shown)
            {
                failures.Add($"shows {F(f.Value)}, {f.Why}, which is not its to see");
            }
            else if (f.Expect == Expect.Shown && !shown)
            {
                failures.Add($"lacks {F(f.Value)}, {f.Why}, which is its own");
            }
        }

        var customers = tenant is null ? null : reference.Customers(tenant);
        var named = tenant is null ? null : reference.Named(tenant);
        foreach (var c in world.Model.Customers)
        {
            var appears = text.Contains(c.Token, StringComparison.Ordinal);
            if (!appears && (tenant is null || tenant == c.Id || customers!.Contains(c.Id)))
            {
                failures.Add($"lacks customer {c.Id}, which it covers");
            }
            else if (appears && tenant is not null && !named!.Contains(c.Id))
            {
                failures.Add($"names customer {c.Id}, with which it has nothing to do");
            }
        }

        Assert.True(failures.Count == 0,
            $"{context}: the set of {tenant ?? "the lake (full set)"} ({dir}):\n  {string.Join("\n  ", failures.Take(20))}{(failures.Count > 20 ? $"\n  ... {failures.Count - 20} more" : string.Empty)}\n{world.Model.Describe()}");

        return figures.Values.Count(f => f.Expect == Expect.Shown);

        static string F(decimal v) => v.ToString("#,##0.00##", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Every number with decimals in the text, as printed (<c>12345678.9100</c> in CSV and workbook cells,
    /// <c>12,345,678.91</c> in HTML): both readings of a digit run, so a CSV field before an amount cannot hide it.
    /// </summary>
    internal static HashSet<decimal> Numbers(string text)
    {
        var set = new HashSet<decimal>();
        foreach (var regex in new[] { Grouped(), Plain() })
        {
            foreach (Match m in regex.Matches(text))
            {
                if (decimal.TryParse(m.Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v))
                {
                    set.Add(v);
                }
            }
        }

        return set;
    }

    [GeneratedRegex(@"(?<![0-9.,])[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();

    [GeneratedRegex(@"(?<![0-9.])[0-9]+\.[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();

    private static List<object?[]> Rows(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            rows.Add([.. Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetValue(i))]);
        }

        return rows;
    }
}
