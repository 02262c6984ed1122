using Tem.Core;
using Tem.Lake;
using Tem.Reports.Files;
using Tem.Reports.Query;

namespace Tem.Reports.Tests;

/// <summary>
/// How a deal is funded, on hand-made data: the spend it retires, validated money only (potential never, reseller
/// revenue never), a retired service's saving not counted twice, one proposal per deal, a tenant's deals only.
/// </summary>
public sealed class ProposalBuildTests
{
    private static readonly CurrencyCode Usd = CurrencyCode.Parse("USD");

    private static StoredFinding F(
        string rule, string? service, decimal oneTime, decimal monthly, MoneyKind kind = MoneyKind.Validated, FindingStatus status = FindingStatus.Open, string customer = "C1") =>
        new(new Finding
        {
            FindingId = FindingId.Create(rule, "A1", service, new BillingMonth(2026, 9)),
            Rule = rule,
            Severity = Severity.High,
            Carrier = "Telco",
            AccountId = "A1",
            ServiceId = service,
            CustomerId = customer,
            Period = new BillingMonth(2026, 9),
            OneTimeAmount = oneTime,
            MonthlySavings = monthly,
            Currency = Usd,
            Confidence = 1m,
            Title = "t",
            Detail = "d",
            Evidence = "e",
            RecommendedAction = kind == MoneyKind.Potential ? RecommendedAction.Investigate : RecommendedAction.Dispute,
            MoneyKind = kind,
        }, status, null, "r", "r");

    private static ReportData Data(IReadOnlyList<StoredFinding> findings, IReadOnlyList<UpgradeItem> upgrade, string? tenant = null) => new()
    {
        Brand = new Brand("Tem", "#1F4E79", null, null),
        Tenant = tenant,
        Findings = findings,
        Parties = new Dictionary<string, PartyInfo>(),
        Accounts = [new AccountInfo("Telco", "A1", "C1", "C1", null, "USD")],
        Services = [new ServiceInfo("S1", "A1", "voice_line", null, null), new ServiceInfo("S2", "A1", "voice_line", null, null), new ServiceInfo("S3", "A1", "circuit", null, null)],
        Spend = [],
        AccountSpend = [],
        CostCentreSpend = [],
        Disputes = [],
        Upgrade = upgrade,
        ServiceRunRate =
        [
            new ServiceSpend("Telco", "A1", "S1", Usd, new BillingMonth(2026, 9), 40m),
            new ServiceSpend("Telco", "A1", "S2", Usd, new BillingMonth(2026, 9), 60m),
            new ServiceSpend("Telco", "A1", "S3", Usd, new BillingMonth(2026, 9), 500m),
        ],
        Margin = [],
        Credits = [],
        Customers = ["C1"],
        Window = (new BillingMonth(2026, 6), new BillingMonth(2026, 9)),
    };

    private static UpgradeItem Item(decimal oneTime, decimal monthly, string? deal = "D1", string? retires = null, string? customer = "C1") =>
        new("item", "P1", "integrator", oneTime, monthly, 20m, deal, customer, "USD", retires?.Split(';') ?? []);

    private static IReadOnlyList<ProposalModel> Build(ReportData d, List<string>? warnings = null) =>
        Proposal.Build(new ReportFigures(d), new ReportOptions { ProposalCurrency = "USD" }, warnings ?? []);

    [Fact]
    public void RetiredSpend_FundsTheMonthlyCost_PaybackFromValidatedOneTimeOnly()
    {
        // New spend 450 a month retires S3 (500): 50 a month better. One-time 1000 against 400 validated: 600 to make up,
        // 12 months. The 5000 of potential money would pay it at once, but never funds it.
        var d = Data(
            [F("duplicate_recurring", "S1", 400m, 0m), F("spend_anomaly", "S2", 5000m, 0m, MoneyKind.Potential)],
            [Item(1000m, 450m, retires: "S3")]);
        var p = Assert.Single(Build(d));
        Assert.Equal((500m, 400m, 0m, 5000m), (p.RetiredMonthly, p.FoundOneTime, p.FoundMonthly, p.PotentialOneTime));
        Assert.Equal(-50m, p.Cash.NetMonthlyChange);
        Assert.Equal(12, p.Cash.PaybackMonth);
        Assert.Equal("proposal-D1.html", p.FileName);
    }

    [Fact]
    public void NothingRetired_TheNewCostComesOnTop_NeverPaysBack()
    {
        var p = Assert.Single(Build(Data([F("duplicate_recurring", "S1", 400m, 0m)], [Item(1000m, 450m)])));
        Assert.Empty(p.Retired);
        Assert.Null(p.Cash.PaybackMonth);
        Assert.Equal(450m, p.Cash.NetMonthlyChange);
    }

    [Fact]
    public void RuleRetirement_RetiresTheServicesItsFindingsName_AndTheirSavingIsNotCountedTwice()
    {
        // unused_service on S1 (saving 40 = its whole fee), oversized_plan on S2 (saving 15). Retiring rule:unused_service
        // retires S1's 40 of spend; its own saving is then not counted again; S2's saving still is.
        var d = Data(
            [F("unused_service", "S1", 0m, 40m), F("oversized_plan", "S2", 0m, 15m)],
            [Item(300m, 20m, retires: "rule:unused_service")]);
        var p = Assert.Single(Build(d));
        Assert.Equal(("S1", "rule:unused_service"), (Assert.Single(p.Retired).ServiceId, p.Retired[0].Because));
        Assert.Equal((40m, 15m), (p.RetiredMonthly, p.FoundMonthly));
        Assert.Equal(-35m, p.Cash.NetMonthlyChange);
        Assert.Equal(9, p.Cash.PaybackMonth);
    }

    [Fact]
    public void RejectedClosedAndResellerMoney_FundNothing_CreditedStillCounts()
    {
        var d = Data(
        [
            F("duplicate_recurring", "S1", 100m, 0m, status: FindingStatus.Rejected),
            F("tax_on_exempt", null, 50m, 0m, status: FindingStatus.Closed),
            F("unbilled_resale", "S2", 70m, 0m, MoneyKind.Reseller),
            F("billed_after_disconnect", "S3", 30m, 0m, status: FindingStatus.Credited),
        ],
        [Item(10m, 0m)]);
        var p = Assert.Single(Build(d));
        Assert.Equal(30m, p.FoundOneTime);
        Assert.Equal(0m, p.PotentialOneTime);
    }

    [Fact]
    public void SeveralDeals_OneProposalEach_ATenantSeesOnlyTheDealsOfItsCustomers()
    {
        var upgrade = new[] { Item(100m, 10m, "D1", "S1"), Item(200m, 10m, "D2", "S2", customer: "C9"), Item(5m, 1m, null, null, customer: null) };
        var all = Build(Data([], upgrade));
        Assert.Equal(["proposal.html", "proposal-D1.html", "proposal-D2.html"], all.Select(p => p.FileName));
        var tenant = Build(Data([], upgrade, tenant: "DLR"));
        Assert.Equal(["proposal-D1.html"], tenant.Select(p => p.FileName));
    }

    [Fact]
    public void UnknownRetiredService_IsReportedAndRetiresNothing()
    {
        var warnings = new List<string>();
        var p = Assert.Single(Build(Data([], [Item(100m, 10m, retires: "S404")]), warnings));
        Assert.Equal(0m, p.RetiredMonthly);
        Assert.Contains(warnings, w => w.Contains("S404", StringComparison.Ordinal) && w.Contains("not in the inventory", StringComparison.Ordinal));
    }

    [Fact]
    public void Split_MarginHidden_PriceStaysCostAndMarginAreNull_CashAndPricesUnchanged()
    {
        // The scope masks P2's margin: its price still counts in full, nothing of its cost or margin is known, and the
        // deal's prices, funding and payback are those of the same deal with the margin given.
        var findings = new[] { F("duplicate_recurring", "S1", 400m, 0m) };
        var p1 = Item(1000m, 450m, retires: "S3");
        var p2 = p1 with { Item = "seats", Provider = "P2", Role = "var", OneTimeCost = 200m, MonthlyCost = 20m, MarginPct = null };
        var given = Assert.Single(Build(Data(findings, [p1, p2 with { MarginPct = 30m }])));
        var masked = Assert.Single(Build(Data(findings, [p1, p2])));

        var hidden = masked.Shares.Single(s => s.Provider == "P2");
        Assert.Equal(200m + (36 * 20m), hidden.Value);
        Assert.Equal((200m, 20m), (hidden.OneTime, hidden.Monthly));
        Assert.False(hidden.MarginShown);
        Assert.Null(hidden.Margin);
        Assert.Null(hidden.MarginPct);
        Assert.Null(hidden.Cost);
        Assert.Equal(["P1"], masked.SharesShown.Select(s => s.Provider));
        Assert.Equal(given.Shares.Single(s => s.Provider == "P1").Margin, masked.SharesShown[0].Margin);
        Assert.Equal(given.Shares.Select(s => (s.Provider, s.Value)), masked.Shares.Select(s => (s.Provider, s.Value)));

        // 1200 one-time against 400 found: 800 to make up at 500 retired - 470 new = 30 a month, i.e. month 27.
        Assert.Equal((1200m, 470m, 500m, 400m, 27), (masked.UpgradeOneTime, masked.UpgradeMonthly, masked.RetiredMonthly, masked.FoundOneTime, masked.Cash.PaybackMonth));
        Assert.Equal((given.UpgradeOneTime, given.UpgradeMonthly, given.Cash.PaybackMonth, given.Cash.NetMonthlyChange), (masked.UpgradeOneTime, masked.UpgradeMonthly, masked.Cash.PaybackMonth, masked.Cash.NetMonthlyChange));
        Assert.Equal(given.Cash.Cumulative, masked.Cash.Cumulative);
    }

    [Fact]
    public void Split_EachPartysPriceCostAndMargin_AddUp()
    {
        var p = Assert.Single(Build(Data([], [Item(1000m, 100m)])));
        var share = Assert.Single(p.Shares);
        Assert.Equal(1000m + (36 * 100m), share.Value);
        Assert.Equal(share.Value * 0.2m, share.Margin);
        Assert.Equal(share.Value - share.Margin, share.Cost);
    }
}
