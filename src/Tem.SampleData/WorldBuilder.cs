using System.Globalization;
using Bogus;
using Tem.Core;
using Tem.Core.Rating;

namespace Tem.SampleData;

/// <summary>
/// Builds the parties, accounts, services, plans, decks and credits of a sample world. The first 12 accounts and
/// 33 services are fixed (they carry the planted errors); the rest is drawn from the seed.
/// </summary>
internal sealed class WorldBuilder
{
    internal const int CoreServiceCount = SampleDataOptions.MinimumServices;

    private static readonly string[] CostCenters =
        ["1000 Administration", "1100 Sales", "1200 Operations", "1300 IT", "1400 Logistics", "1500 Finance"];

    private readonly SampleDataOptions _options;
    private readonly Random _rng;
    private readonly Dictionary<string, Faker> _fakers;
    private readonly BillingMonth[] _months;
    private readonly IReadOnlyList<Plan> _plans;
    private readonly List<AccountDef> _accounts = [];
    private readonly List<ServiceDef> _services = [];
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    private WorldBuilder(SampleDataOptions options)
    {
        _options = options;
        _rng = new Random(Seeds.Derive(options.Seed, 1));
        _fakers = new Dictionary<string, Faker>(StringComparer.Ordinal)
        {
            ["NW"] = new Faker("en_US") { Random = new Randomizer(Seeds.Derive(options.Seed, 2, 1)) },
            ["AL"] = new Faker("en_GB") { Random = new Randomizer(Seeds.Derive(options.Seed, 2, 2)) },
            ["RH"] = new Faker("de") { Random = new Randomizer(Seeds.Derive(options.Seed, 2, 3)) },
        };
        _months = Enumerable.Range(0, options.Months).Select(options.FirstMonth.AddMonths).ToArray();
        var first = options.FirstMonth.First;
        _plans = Catalog.Plans(first.AddYears(-3), first.AddYears(-3), first.AddDays(-1));
    }

    private int Last => _months.Length - 1;

    public static World Build(SampleDataOptions options)
    {
        var builder = new WorldBuilder(options);
        return builder.BuildWorld();
    }

    private World BuildWorld()
    {
        var first = _options.FirstMonth.First;
        var change = _options.FirstMonth.AddMonths(_options.Months / 2).First;
        var rates = Catalog.Decks(first.AddYears(-1), change);

        var core = BuildCore();
        BuildExtras();

        return new World
        {
            Options = _options,
            Months = _months,
            Parties = Parties(),
            Accounts = _accounts,
            Services = _services,
            Plans = _plans,
            Rates = rates,
            Rater = new ReferenceRater(rates),
            RateChangeDate = change,
            Credits = Credits(core),
            UnknownCharges = UnknownCharges(core),
            Disputes = Disputes(core),
            Named = core.Named,
            TaxOnExempt = new Dictionary<AccountDef, int[]>
            {
                [core.Accounts["A03"]] = [Last - 1, Last],
                [core.Accounts["A11"]] = [Last],
            },
        };
    }

    private static List<Party> Parties() =>
    [
        Party("PRV-NORTHWIND", "Northwind", PartyKind.Provider),
        Party("PRV-ALBION", "Albion", PartyKind.Provider),
        Party("PRV-RHENUS", "Rhenus", PartyKind.Provider),
        Party("PRV-NEXUS", "Nexus Integration Partners", PartyKind.Provider),
        Party("PRV-CLOUDOPS", "CloudOps Managed Services", PartyKind.Provider),
        Party("PRV-TEMPO", "Tempo Expense Audit", PartyKind.Provider),
        Party("AGT-01", "Bridgeway Channel Advisors", PartyKind.Provider),
        Party("DIST-01", "Meridian Distribution", PartyKind.Distributor),
        Party("DLR-01", "Harbor Communications LLC", PartyKind.Dealer, "DIST-01", "Harbor Connect", "#0B6E4F", "logos/harbor-connect.svg"),
        Party("DLR-02", "Summit Telekom Partner GmbH", PartyKind.Dealer, "DIST-01", "Summit Partner Portal", "#7A1F5C"),
        Party("CUS-01", "Bluewater Logistics Inc.", PartyKind.Customer, "DLR-01"),
        Party("CUS-02", "Cedar Health Partners", PartyKind.Customer, "DLR-01"),
        Party("CUS-03", "Kessler Maschinenbau GmbH", PartyKind.Customer, "DLR-02"),
        Party("CUS-04", "Northgate Retail Group", PartyKind.Customer),
        Party("CUS-05", "St. Aldric Foundation", PartyKind.Customer),
        Party("CUS-06", "Orion Freight, Ltd.", PartyKind.Customer),
        Party("LES-01", "Keystone Equipment Leasing", PartyKind.Lessor),
    ];

    private static Party Party(
        string id, string name, PartyKind kind, string? parent = null, string? brand = null, string? color = null, string? logo = null) =>
        new() { PartyId = id, Name = name, Kind = kind, ParentId = parent, BrandName = brand, BrandColor = color, LogoFile = logo };

    private sealed record Core(Dictionary<string, AccountDef> Accounts, Dictionary<Plant, ServiceDef> Plants, Dictionary<string, ServiceDef> Named);

    private Core BuildCore()
    {
        var nw = Catalog.Northwind;
        var al = Catalog.Albion;
        var rh = Catalog.Rhenus;
        var a = new Dictionary<string, AccountDef>(StringComparer.Ordinal)
        {
            ["A01"] = Account("0551004417", nw, "CUS-04", "CUS-04", null, "America/New_York", false, null, AccountKind.Mobile),
            ["A02"] = Account("0551004425", nw, "CUS-04", "CUS-04", null, "America/New_York", false, "NW-STD", AccountKind.Fixed),
            ["A03"] = Account("0551009930", nw, "CUS-05", "CUS-05", null, "America/Chicago", true, "NW-ENT", AccountKind.Fixed),
            ["A04"] = Account("0552207781", nw, "CUS-01", "DLR-01", "DLR-01", "America/Los_Angeles", false, null, AccountKind.Mobile),
            ["A05"] = Account("0552207799", nw, "CUS-01", "DLR-01", "DLR-01", "America/New_York", false, "NW-STD", AccountKind.Fixed),
            ["A06"] = Account("ALB-300117", al, "CUS-02", "CUS-02", "DLR-01", "Europe/London", false, null, AccountKind.Mobile),
            ["A07"] = Account("ALB-300125", al, "CUS-04", "CUS-04", null, "Europe/London", false, "AL-BIZ", AccountKind.Fixed),
            ["A08"] = Account("ALB-300133", al, "CUS-06", "LES-01", null, "Europe/London", false, "AL-BIZ", AccountKind.Fixed),
            ["A09"] = Account("RH4711002", rh, "CUS-03", "DLR-02", "DLR-02", "Europe/Berlin", false, "RH-VOIP", AccountKind.Fixed),
            ["A10"] = Account("RH4711010", rh, "CUS-03", "DLR-02", "DLR-02", "Europe/Berlin", false, null, AccountKind.Mobile),
            ["A11"] = Account("RH4711028", rh, "CUS-05", "CUS-05", null, "Europe/Berlin", true, "RH-VOIP", AccountKind.Fixed),
            ["A12"] = Account("RH4711036", rh, "CUS-06", "CUS-06", null, "Europe/Berlin", false, null, AccountKind.Mobile),
        };

        var plants = new Dictionary<Plant, ServiceDef>();
        var named = new Dictionary<string, ServiceDef>(StringComparer.Ordinal);
        var disconnectMid = _months[Last - 3].First.AddDays(14);
        var disconnectEnd = _months[Last - 2].Last;
        (string Key, string Account, ServiceType Type, string Plan, Plant Plant)[] specs =
        [
            ("s1", "A01", ServiceType.Mobile, "NW-MOB-M", Plant.DuplicateRecurringSameInvoice),
            ("s2", "A01", ServiceType.Mobile, "NW-MOB-L", Plant.OversizedToSmall),
            ("s3", "A01", ServiceType.Mobile, "NW-MOB-M", Plant.UsageMismatchMobile),
            ("s4", "A01", ServiceType.Mobile, "NW-MOB-S", Plant.None),
            ("s5", "A02", ServiceType.VoiceLine, "NW-VL-BASIC", Plant.RateOverchargeOldRate),
            ("s6", "A02", ServiceType.VoiceLine, "NW-VL-PLUS", Plant.DuplicateUsageTwoCalls),
            ("s7", "A02", ServiceType.VoiceLine, "NW-VL-BASIC", Plant.DisconnectedMidMonth),
            ("s8", "A02", ServiceType.VoiceLine, "NW-VL-BASIC", Plant.UnusedVoiceLine),
            ("s9", "A02", ServiceType.SipTrunk, "NW-SIP-10", Plant.TollFraud),
            ("s10", "A02", ServiceType.Circuit, "NW-CKT-200", Plant.None),
            ("s11", "A02", ServiceType.VoiceLine, "NW-VL-PLUS", Plant.EdgeCalls),
            ("s12", "A03", ServiceType.Circuit, "NW-CKT-50", Plant.AboveContractThreeMonths),
            ("s13", "A03", ServiceType.VoiceLine, "NW-VL-BASIC", Plant.None),
            ("s14", "A04", ServiceType.Mobile, "NW-MOB-M", Plant.ResoldBelowFee),
            ("s15", "A04", ServiceType.Mobile, "NW-MOB-S", Plant.None),
            ("s16", "A05", ServiceType.VoiceLine, "NW-VL-BASIC", Plant.UnbilledResaleEarlier),
            ("s17", "A05", ServiceType.Internet, "NW-INT-300", Plant.None),
            ("s18", "A06", ServiceType.Mobile, "AL-MOB-XL", Plant.OversizedToMedium),
            ("s19", "A06", ServiceType.Mobile, "AL-MOB-M", Plant.AboveContractLatest),
            ("s20", "A07", ServiceType.VoiceLine, "AL-VL-BASIC", Plant.RateOverchargePeakForOffpeak),
            ("s21", "A07", ServiceType.SipTrunk, "AL-SIP-10", Plant.DuplicateUsageThreeCopies),
            ("s22", "A07", ServiceType.Internet, "AL-INT-300", Plant.DisconnectedMonthEnd),
            ("s23", "A07", ServiceType.VoiceLine, "AL-VL-PLUS", Plant.UsageMismatchRated),
            ("s24", "A08", ServiceType.VoiceLine, "AL-VL-BASIC", Plant.None),
            ("s25", "A08", ServiceType.Circuit, "AL-CKT-200", Plant.None),
            ("s26", "A09", ServiceType.SipTrunk, "RH-SIP-10", Plant.ResoldAtPlanFee),
            ("s27", "A09", ServiceType.VoiceLine, "RH-VL-BASIC", Plant.None),
            ("s28", "A10", ServiceType.Mobile, "RH-MOB-M", Plant.UnbilledResaleLatest),
            ("s29", "A10", ServiceType.Mobile, "RH-MOB-S", Plant.None),
            ("s30", "A11", ServiceType.SipTrunk, "RH-SIP-30", Plant.SpendSpike),
            ("s31", "A11", ServiceType.VoiceLine, "RH-VL-BASIC", Plant.None),
            ("s32", "A12", ServiceType.Mobile, "RH-MOB-L", Plant.UnusedMobile),
            ("s33", "A12", ServiceType.Mobile, "RH-MOB-M", Plant.DuplicateRecurringNextInvoice),
        ];

        if (specs.Length != CoreServiceCount)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Generator bug: {specs.Length} core services, SampleDataOptions.MinimumServices says {CoreServiceCount}."));
        }

        foreach (var spec in specs)
        {
            var account = a[spec.Account];
            var (status, disconnected) = spec.Plant switch
            {
                Plant.DisconnectedMidMonth => (ServiceStatus.Disconnected, (DateOnly?)disconnectMid),
                Plant.DisconnectedMonthEnd => (ServiceStatus.Disconnected, disconnectEnd),
                _ => (ServiceStatus.Active, null),
            };
            var service = NewService(
                account,
                spec.Type,
                _plans.First(p => p.PlanId == spec.Plan),
                status,
                ActivatedBeforeWindow(),
                disconnected,
                spec.Plant,
                spec.Plant switch
                {
                    Plant.OversizedToSmall => MobileFit.FitsSmall,
                    Plant.OversizedToMedium => MobileFit.FitsMedium,
                    _ => MobileFit.OwnPlan,
                },
                silentFrom: spec.Plant is Plant.UnusedMobile or Plant.UnusedVoiceLine ? Last - 2 : null);
            named.Add(spec.Key, service);
            if (spec.Plant != Plant.None)
            {
                plants.Add(spec.Plant, service);
            }
        }

        return new Core(a, plants, named);
    }

    private void BuildExtras()
    {
        // Templates for accounts beyond the core twelve; none carries a planted error.
        (CarrierDef Carrier, string Customer, string BillTo, string? Reseller, string Zone, bool Exempt, string? Deck, AccountKind Kind)[] templates =
        [
            (Catalog.Northwind, "CUS-04", "CUS-04", null, "America/New_York", false, null, AccountKind.Mobile),
            (Catalog.Northwind, "CUS-01", "DLR-01", "DLR-01", "America/Chicago", false, "NW-STD", AccountKind.Fixed),
            (Catalog.Albion, "CUS-04", "CUS-04", null, "Europe/London", false, "AL-BIZ", AccountKind.Fixed),
            (Catalog.Albion, "CUS-02", "CUS-02", "DLR-01", "Europe/London", false, null, AccountKind.Mobile),
            (Catalog.Rhenus, "CUS-03", "DLR-02", "DLR-02", "Europe/Berlin", false, "RH-VOIP", AccountKind.Fixed),
            (Catalog.Rhenus, "CUS-06", "CUS-06", null, "Europe/Berlin", false, null, AccountKind.Mobile),
            (Catalog.Northwind, "CUS-05", "CUS-05", null, "America/Los_Angeles", true, "NW-ENT", AccountKind.Fixed),
            (Catalog.Albion, "CUS-06", "LES-01", null, "Europe/London", false, "AL-BIZ", AccountKind.Fixed),
        ];

        var extraServices = _options.Services - CoreServiceCount;
        var extraAccounts = Math.Max(0, (_options.Services - 100) / 40);
        for (var i = 0; i < extraAccounts; i++)
        {
            var t = templates[i % templates.Length];
            var id = t.Carrier.Code switch
            {
                "NW" => "0559" + Next("acct-NW").ToString("D6", CultureInfo.InvariantCulture),
                "AL" => "ALB-4" + Next("acct-AL").ToString("D5", CultureInfo.InvariantCulture),
                _ => "RH48" + Next("acct-RH").ToString("D5", CultureInfo.InvariantCulture),
            };
            Account(id, t.Carrier, t.Customer, t.BillTo, t.Reseller, t.Zone, t.Exempt, t.Deck, t.Kind);
        }

        var first = _options.FirstMonth.First;
        for (var j = 0; j < extraServices; j++)
        {
            var account = _accounts[_rng.Next(_accounts.Count)];
            var type = account.Kind == AccountKind.Mobile
                ? ServiceType.Mobile
                : Pick(_rng.NextDouble(), (0.45, ServiceType.VoiceLine), (0.20, ServiceType.SipTrunk), (0.15, ServiceType.Circuit), (0.20, ServiceType.Internet));
            var suffix = type switch
            {
                ServiceType.Mobile => "MOB-" + Pick(_rng.NextDouble(), (0.35, "S"), (0.40, "M"), (0.18, "L"), (0.07, "XL")),
                ServiceType.VoiceLine => Pick(_rng.NextDouble(), (0.7, "VL-BASIC"), (0.3, "VL-PLUS")),
                ServiceType.SipTrunk => Pick(_rng.NextDouble(), (0.75, "SIP-10"), (0.25, "SIP-30")),
                ServiceType.Circuit => Pick(_rng.NextDouble(), (0.5, "CKT-50"), (0.35, "CKT-200"), (0.15, "CKT-1000")),
                _ => Pick(_rng.NextDouble(), (0.6, "INT-300"), (0.4, "INT-1000")),
            };
            var plan = _plans.First(p => p.PlanId == account.Carrier.Code + "-" + suffix);

            // The first four extras show one of each lifecycle; the rest are drawn.
            var lifecycle = j < 4 ? j : Pick(_rng.NextDouble(), (0.06, 0), (0.04, 1), (0.03, 2), (0.02, 3), (0.85, 4));
            switch (lifecycle)
            {
                case 0:
                {
                    // Activated during the window, at least a day before the end of a month before the last.
                    var month = _months[1 + _rng.Next(Last - 1)];
                    var activated = month.First.AddDays(_rng.Next(DaysIn(month) - 1));
                    NewService(account, type, plan, ServiceStatus.Active, activated, null, Plant.None, MobileFit.OwnPlan, null);
                    break;
                }

                case 1:
                {
                    var month = _months[1 + _rng.Next(Last - 1)];
                    var disconnected = month.First.AddDays(_rng.Next(DaysIn(month)));
                    NewService(account, type, plan, ServiceStatus.Disconnected, ActivatedBeforeWindow(), disconnected, Plant.None, MobileFit.OwnPlan, null);
                    break;
                }

                case 2:
                    // Suspended in the last month: still billed, silent since.
                    NewService(account, type, plan, ServiceStatus.Suspended, ActivatedBeforeWindow(), null, Plant.None, MobileFit.OwnPlan, Last);
                    break;

                case 3:
                {
                    var activated = ActivatedBeforeWindow().AddDays(-200);
                    var disconnected = first.AddDays(-1 - _rng.Next(120));
                    NewService(account, type, plan, ServiceStatus.Disconnected, activated, disconnected, Plant.None, MobileFit.OwnPlan, null);
                    break;
                }

                default:
                    NewService(account, type, plan, ServiceStatus.Active, ActivatedBeforeWindow(), null, Plant.None, MobileFit.OwnPlan, null);
                    break;
            }
        }
    }

    private List<CreditDue> Credits(Core core)
    {
        var named = core.Named;
        var a = core.Accounts;
        var last = _months[Last];
        return
        [
            // Honoured on time: each appears as a credit line on the invoice of the month before its due month,
            // which is dated in the due month.
            new("CR-0001", a["A01"], null, "Promotional credit: new lines", 30.00m, _months[1], 0),
            new("CR-0002", a["A08"], named["s25"], "SLA credit: circuit outage 9h", 120.00m, _months[3], 2),
            new("CR-0003", a["A11"], named["s31"], "Störungsgutschrift: line outage 2 days", 45.00m, _months[Last - 1], Last - 2),

            // Planted missing_credit: never credited, and later invoices exist.
            new("CR-0004", a["A02"], named["s10"], "SLA credit: circuit outage 14h", 150.00m, _months[Last - 2], null),
            new("CR-0005", a["A07"], null, "Loyalty credit agreed in renewal", 75.00m, _months[Last - 1], null),

            // Not yet due: no invoice is dated after its due month, so it must not be reported.
            new("CR-0006", a["A12"], null, "Device return credit", 20.00m, last.Next(), null),
        ];
    }

    /// <summary>
    /// One dispute in each state a person records: submitted and answered by a partial credit on a later bill that
    /// quotes the case (matched automatically), submitted and credited in full by a later bill that does not quote it
    /// (matched by its amount), submitted and still waiting (overdue), credited by hand, rejected, closed.
    /// </summary>
    private List<PlantedDispute> Disputes(Core core)
    {
        var n = core.Named;
        DateOnly Invoiced(string key, int month) => n[key].Account.InvoiceDate(_months[month]);
        var change = _options.Months / 2;
        var partial = Math.Round(n["s1"].Plan.MonthlyFee * 0.6m, 2, MidpointRounding.AwayFromZero);
        return
        [
            new(n["s1"], "duplicate_recurring", FindingStatus.Submitted, Invoiced("s1", Last - 1).AddDays(5), "NW-CASE-24017", null,
                "monthly fee billed twice on one invoice", new BillCredit(Last, partial, "Partial credit, case NW-CASE-24017: duplicate monthly fee"), null),
            new(n["s33"], "duplicate_recurring", FindingStatus.Submitted, Invoiced("s33", Last - 1).AddDays(4), "RH-ST-88231", null,
                "Grundgebühr doppelt berechnet", new BillCredit(Last, n["s33"].Plan.MonthlyFee, "Gutschrift Abrechnungskorrektur"), null),
            new(n["s5"], "rate_overcharge", FindingStatus.Submitted, Invoiced("s5", change).AddDays(6), "NW-CASE-23950", null,
                "UK calls billed at the old rate after the price change", null, null),
            new(n["s7"], "billed_after_disconnect", FindingStatus.Credited, Invoiced("s7", Last - 1).AddDays(3), "NW-CASE-24102", null,
                "credit note CN-5521 received by e-mail", null, Invoiced("s7", Last).AddDays(12)),
            new(n["s3"], "usage_mismatch", FindingStatus.Rejected, Invoiced("s3", Last - 1).AddDays(5), "NW-CASE-24018", Invoiced("s3", Last).AddDays(2),
                "carrier: roaming usage confirmed by network records", null, null),
            new(n["s23"], "usage_mismatch", FindingStatus.Closed, null, null, Invoiced("s23", Last).AddDays(9),
                "below the client's dispute threshold", null, null),
        ];
    }

    private List<UnknownCharge> UnknownCharges(Core core) =>
    [
        new(core.Accounts["A03"], "NW/ETH/X90017", Last - 1, ChargeType.Recurring, "Ethernet 100 Mbps - monthly", 350.00m),
        new(core.Accounts["A03"], "NW/ETH/X90017", Last, ChargeType.Recurring, "Ethernet 100 Mbps - monthly", 350.00m),
        new(core.Accounts["A12"], "+4915299998871", Last, ChargeType.Recurring, "Mobil M 10GB - monatlich", 24.99m),
        new(core.Accounts["A12"], "+4915299998871", Last, ChargeType.OneTime, "SIM card and activation", 49.00m),
    ];

    private AccountDef Account(
        string id, CarrierDef carrier, string customer, string billTo, string? reseller, string zone, bool exempt, string? deck, AccountKind kind)
    {
        var account = new AccountDef
        {
            Index = _accounts.Count,
            AccountId = id,
            Carrier = carrier,
            CustomerId = customer,
            BillToId = billTo,
            ResellerId = reseller,
            ZoneId = zone,
            Zone = TimeZoneInfo.FindSystemTimeZoneById(zone),
            TaxExempt = exempt,
            DeckId = deck,
            Kind = kind,
        };
        _accounts.Add(account);
        return account;
    }

    private ServiceDef NewService(
        AccountDef account, ServiceType type, Plan plan, ServiceStatus status, DateOnly activated, DateOnly? disconnected,
        Plant plant, MobileFit fit, int? silentFrom)
    {
        var c = account.Carrier.Code;
        var n = Next(c + "-" + WireNames.ToWire(type));
        var id = (c, type) switch
        {
            ("NW", ServiceType.Mobile) => "+1646" + (2_000_000 + n).ToString("D7", CultureInfo.InvariantCulture),
            ("NW", ServiceType.VoiceLine) => "+1212" + (5_000_000 + n).ToString("D7", CultureInfo.InvariantCulture),
            ("NW", ServiceType.SipTrunk) => "NW-SIP-" + n.ToString("D6", CultureInfo.InvariantCulture),
            ("NW", ServiceType.Circuit) => "NW/ETH/" + n.ToString("D6", CultureInfo.InvariantCulture),
            ("NW", _) => "NW-FIB-" + n.ToString("D6", CultureInfo.InvariantCulture),
            ("AL", ServiceType.Mobile) => "+447" + (700_000_000 + n).ToString("D9", CultureInfo.InvariantCulture),
            ("AL", ServiceType.VoiceLine) => "+4420" + (70_000_000 + n).ToString("D8", CultureInfo.InvariantCulture),
            ("AL", ServiceType.SipTrunk) => "ALB-SIP-" + n.ToString("D6", CultureInfo.InvariantCulture),
            ("AL", ServiceType.Circuit) => "ALB/EPL/" + n.ToString("D6", CultureInfo.InvariantCulture),
            ("AL", _) => "ALB-FTTP-" + n.ToString("D6", CultureInfo.InvariantCulture),
            (_, ServiceType.Mobile) => "+49151" + (20_000_000 + n).ToString("D8", CultureInfo.InvariantCulture),
            (_, ServiceType.VoiceLine) => "+4930" + (40_000_000 + n).ToString("D8", CultureInfo.InvariantCulture),
            (_, ServiceType.SipTrunk) => "RH.SIP." + n.ToString("D6", CultureInfo.InvariantCulture),
            (_, ServiceType.Circuit) => "RH.DCX." + n.ToString("D6", CultureInfo.InvariantCulture),
            _ => "RH.GF." + n.ToString("D6", CultureInfo.InvariantCulture),
        };

        string[] cities = c switch
        {
            "NW" => ["New York", "Chicago", "Boston", "Atlanta", "Dallas", "Denver", "Seattle", "Newark"],
            "AL" => ["London", "Manchester", "Leeds", "Bristol", "Glasgow", "Birmingham"],
            _ => ["Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart"],
        };
        var city = cities[_rng.Next(cities.Length)];
        var user = type switch
        {
            ServiceType.Mobile or ServiceType.VoiceLine => _fakers[c].Name.FullName(),
            ServiceType.SipTrunk => "PBX " + city,
            ServiceType.Circuit => city + " office",
            _ => city + " branch",
        };

        var service = new ServiceDef
        {
            Index = _services.Count,
            ServiceId = id,
            Account = account,
            Type = type,
            Plan = plan,
            Status = status,
            ActivatedOn = activated,
            DisconnectedOn = disconnected,
            CostCenter = CostCenters[_rng.Next(CostCenters.Length)],
            UserName = user,
            Plant = plant,
            Fit = fit,
            Intensity = 0.7 + (_rng.NextDouble() * 0.6),
            ResaleMargin = account.IsResold ? 0.15m + (_rng.Next(0, 21) / 100m) : 0m,
            SilentFromMonth = silentFrom,
        };
        _services.Add(service);
        account.Services.Add(service);
        return service;
    }

    private DateOnly ActivatedBeforeWindow() => _options.FirstMonth.First.AddDays(-120 - _rng.Next(780));

    private int Next(string counter)
    {
        _counters.TryGetValue(counter, out var n);
        _counters[counter] = n + 1;
        return n + 1;
    }

    private static int DaysIn(BillingMonth month) => DateTime.DaysInMonth(month.Year, month.Month);

    private static T Pick<T>(double r, params (double Weight, T Value)[] choices)
    {
        foreach (var (weight, value) in choices)
        {
            if (r < weight)
            {
                return value;
            }

            r -= weight;
        }

        return choices[^1].Value;
    }
}
