using Tem.Core;

namespace Tem.SampleData;

/// <summary>A carrier of the sample world, with the conventions of its bills.</summary>
internal sealed record CarrierDef(
    string Name,
    string Code,
    string PartyId,
    string LegalName,
    CurrencyCode Currency,
    decimal TaxRate,
    string TaxName,
    int InvoiceDelayDays,
    decimal ActivationFee,
    decimal SurchargePerService,
    string DeckForFixed);

/// <summary>A kind of called number: the stems it starts with and its total length in digits (E.164 without <c>+</c>).</summary>
internal sealed record Destination(string Name, double Weight, string[] Stems, int Length);

/// <summary>The fixed catalogue of the sample world: carriers, plans, rate decks and the numbers people call.</summary>
internal static class Catalog
{
    public static readonly CarrierDef Northwind = new(
        "Northwind", "NW", "PRV-NORTHWIND", "Northwind Communications Inc.", CurrencyCode.Parse("USD"),
        0.08875m, "Sales and use tax 8.875%", 4, 25.00m, 1.49m, "NW-STD");

    public static readonly CarrierDef Albion = new(
        "Albion", "AL", "PRV-ALBION", "Albion Telecom plc", CurrencyCode.Parse("GBP"),
        0.20m, "VAT 20%", 6, 20.00m, 0m, "AL-BIZ");

    public static readonly CarrierDef Rhenus = new(
        "Rhenus", "RH", "PRV-RHENUS", "Rhenus Netz GmbH", CurrencyCode.Parse("EUR"),
        0.19m, "USt 19%", 3, 19.90m, 0m, "RH-VOIP");

    public static readonly IReadOnlyList<CarrierDef> Carriers = [Northwind, Albion, Rhenus];

    /// <summary>Mobile plan sizes, cheapest first: S, M, L, XL (ids end with these).</summary>
    public static readonly IReadOnlyList<string> MobileSizes = ["S", "M", "L", "XL"];

    // Called numbers by country. Stems are chosen so that the deck's longest prefix is the intended destination.
    public static readonly string[] UsLand = ["1212", "1312", "1415", "1617", "1202", "1713", "1305", "1404"];
    public static readonly string[] UkLand = ["4420", "44161", "44121", "44131", "44117", "44113"];
    public static readonly string[] UkMobile = ["447700", "447911", "447456", "447825"];
    public static readonly string[] DeLand = ["4930", "4989", "4940", "49221", "4969", "49711"];
    public static readonly string[] DeMobile = ["49151", "49160", "49170", "49176"];
    public static readonly string[] Premium882 = ["88216"];
    public static readonly string[] Cuba = ["537"];

    /// <summary>
    /// Plans of every carrier, open-ended from <paramref name="from"/>, plus one cheap Northwind mobile plan valid only from
    /// <paramref name="retiredFrom"/> to <paramref name="retiredTo"/> (before the window: never a right-sizing target).
    /// </summary>
    public static IReadOnlyList<Plan> Plans(DateOnly from, DateOnly retiredFrom, DateOnly retiredTo)
    {
        var plans = new List<Plan>();
        AddCarrierPlans(plans, Northwind, from, [20.00m, 35.00m, 55.00m, 80.00m], [29.95m, 39.95m], [120.00m, 300.00m], [450.00m, 890.00m, 1450.00m], [89.00m, 149.00m]);
        plans.Add(new Plan
        {
            PlanId = "NW-MOB-PROMO23",
            Carrier = Northwind.Name,
            ServiceType = ServiceType.Mobile,
            Name = "Mobile Promo 2023 (retired)",
            MonthlyFee = 12.00m,
            IncludedMinutes = 2000,
            IncludedSms = null,
            IncludedDataMb = 5120,
            OveragePerMinute = 0.10m,
            OveragePerSms = 0.05m,
            OveragePerMb = 0.01m,
            EffectiveFrom = retiredFrom,
            EffectiveTo = retiredTo,
        });
        AddCarrierPlans(plans, Albion, from, [12.00m, 20.00m, 30.00m, 45.00m], [18.50m, 24.00m], [85.00m, 210.00m], [320.00m, 640.00m, 1100.00m], [45.00m, 85.00m]);
        AddCarrierPlans(plans, Rhenus, from, [14.99m, 24.99m, 39.99m, 59.99m], [19.90m, 29.90m], [95.00m, 240.00m], [390.00m, 760.00m, 1250.00m], [49.90m, 89.90m]);
        return plans;
    }

    /// <summary>
    /// The four rate decks. <c>NW-STD</c> prefix 44 changes price on <paramref name="change"/>: 0.05 up to and including
    /// the day before, 0.04 from that day.
    /// </summary>
    public static IReadOnlyList<RateEntry> Decks(DateOnly from, DateOnly change)
    {
        var e = new List<RateEntry>();
        const string nw = "NW-STD";
        Add(e, nw, "1", "United States, Canada", TimeBand.Peak, 0.0250m, 0m, 60, 60, from);
        Add(e, nw, "1", "United States, Canada", TimeBand.Offpeak, 0.0150m, 0m, 60, 60, from);
        Add(e, nw, "1800", "US toll-free", TimeBand.Any, 0m, 0m, 60, 60, from);
        Add(e, nw, "1888", "US toll-free", TimeBand.Any, 0m, 0m, 60, 60, from);
        Add(e, nw, "44", "United Kingdom", TimeBand.Any, 0.0500m, 0m, 30, 6, from, change.AddDays(-1));
        Add(e, nw, "44", "United Kingdom", TimeBand.Any, 0.0400m, 0m, 30, 6, change);
        Add(e, nw, "447", "United Kingdom mobile", TimeBand.Any, 0.1200m, 0m, 30, 6, from);
        Add(e, nw, "49", "Germany", TimeBand.Any, 0.0600m, 0m, 30, 6, from);
        Add(e, nw, "4915", "Germany mobile", TimeBand.Any, 0.1500m, 0m, 30, 6, from);
        Add(e, nw, "4916", "Germany mobile", TimeBand.Any, 0.1500m, 0m, 30, 6, from);
        Add(e, nw, "4917", "Germany mobile", TimeBand.Any, 0.1500m, 0m, 30, 6, from);
        Add(e, nw, "33", "France", TimeBand.Any, 0.0600m, 0m, 30, 6, from);
        Add(e, nw, "52", "Mexico", TimeBand.Any, 0.0800m, 0.0200m, 1, 1, from);
        Add(e, nw, "91", "India", TimeBand.Any, 0.0900m, 0.0500m, 1, 1, from);
        Add(e, nw, "53", "Cuba", TimeBand.Any, 0.9500m, 0.1000m, 60, 60, from);
        Add(e, nw, "882", "International Networks (premium)", TimeBand.Any, 2.5000m, 0.5000m, 60, 60, from);

        const string ent = "NW-ENT";
        Add(e, ent, "1", "United States, Canada", TimeBand.Any, 0.0120m, 0m, 6, 6, from);
        Add(e, ent, "1800", "US toll-free", TimeBand.Any, 0m, 0m, 6, 6, from);
        Add(e, ent, "1888", "US toll-free", TimeBand.Any, 0m, 0m, 6, 6, from);
        Add(e, ent, "44", "United Kingdom", TimeBand.Any, 0.0350m, 0m, 6, 6, from);
        Add(e, ent, "447", "United Kingdom mobile", TimeBand.Any, 0.0900m, 0m, 6, 6, from);
        Add(e, ent, "49", "Germany", TimeBand.Any, 0.0450m, 0m, 6, 6, from);
        Add(e, ent, "4915", "Germany mobile", TimeBand.Any, 0.1100m, 0m, 6, 6, from);
        Add(e, ent, "4916", "Germany mobile", TimeBand.Any, 0.1100m, 0m, 6, 6, from);
        Add(e, ent, "4917", "Germany mobile", TimeBand.Any, 0.1100m, 0m, 6, 6, from);
        Add(e, ent, "33", "France", TimeBand.Any, 0.0450m, 0m, 6, 6, from);
        Add(e, ent, "52", "Mexico", TimeBand.Any, 0.0650m, 0.0100m, 6, 6, from);
        Add(e, ent, "91", "India", TimeBand.Any, 0.0700m, 0.0300m, 6, 6, from);
        Add(e, ent, "53", "Cuba", TimeBand.Any, 0.8500m, 0.1000m, 60, 60, from);
        Add(e, ent, "882", "International Networks (premium)", TimeBand.Any, 2.2500m, 0.4000m, 60, 60, from);

        const string al = "AL-BIZ";
        Add(e, al, "44", "United Kingdom", TimeBand.Peak, 0.0200m, 0m, 60, 60, from);
        Add(e, al, "44", "United Kingdom", TimeBand.Offpeak, 0.0100m, 0m, 60, 60, from);
        Add(e, al, "447", "United Kingdom mobile", TimeBand.Peak, 0.0600m, 0m, 1, 1, from);
        Add(e, al, "447", "United Kingdom mobile", TimeBand.Offpeak, 0.0400m, 0m, 1, 1, from);
        Add(e, al, "4480", "UK freephone", TimeBand.Any, 0m, 0m, 60, 60, from);
        Add(e, al, "449", "UK premium rate", TimeBand.Any, 1.5000m, 0.1000m, 60, 60, from);
        Add(e, al, "1", "USA, Canada", TimeBand.Any, 0.0300m, 0m, 30, 6, from);
        Add(e, al, "353", "Ireland", TimeBand.Any, 0.0300m, 0m, 30, 6, from);
        Add(e, al, "33", "France", TimeBand.Any, 0.0400m, 0m, 30, 6, from);
        Add(e, al, "49", "Germany", TimeBand.Any, 0.0400m, 0m, 30, 6, from);
        Add(e, al, "91", "India", TimeBand.Any, 0.0800m, 0.0300m, 1, 1, from);
        Add(e, al, "882", "International Networks (premium)", TimeBand.Any, 3.0000m, 0.4000m, 60, 60, from);

        const string rh = "RH-VOIP";
        Add(e, rh, "49", "Deutschland Festnetz", TimeBand.Peak, 0.0190m, 0m, 60, 1, from);
        Add(e, rh, "49", "Deutschland Festnetz", TimeBand.Offpeak, 0.0090m, 0m, 60, 1, from);
        Add(e, rh, "4915", "Deutschland Mobilfunk", TimeBand.Any, 0.0790m, 0m, 1, 1, from);
        Add(e, rh, "4916", "Deutschland Mobilfunk", TimeBand.Any, 0.0790m, 0m, 1, 1, from);
        Add(e, rh, "4917", "Deutschland Mobilfunk", TimeBand.Any, 0.0790m, 0m, 1, 1, from);
        Add(e, rh, "49800", "Deutschland Service 0800", TimeBand.Any, 0m, 0m, 60, 60, from);
        Add(e, rh, "49900", "Deutschland Premium 0900", TimeBand.Any, 1.9900m, 0.1500m, 60, 60, from);
        Add(e, rh, "43", "Österreich", TimeBand.Any, 0.0500m, 0m, 30, 6, from);
        Add(e, rh, "41", "Schweiz", TimeBand.Any, 0.0700m, 0m, 30, 6, from);
        Add(e, rh, "44", "Vereinigtes Königreich", TimeBand.Any, 0.0500m, 0m, 30, 6, from);
        Add(e, rh, "1", "USA, Kanada", TimeBand.Any, 0.0300m, 0m, 30, 6, from);
        Add(e, rh, "882", "International Networks (Premium)", TimeBand.Any, 2.9000m, 0.4500m, 60, 60, from);
        return e;
    }

    /// <summary>Where the calls of a rated service go, by deck; premium and Cuba are left to the planted fraud.</summary>
    public static IReadOnlyList<Destination> CallMix(string deckId) => deckId switch
    {
        "NW-STD" or "NW-ENT" =>
        [
            new("US", 0.74, UsLand, 11),
            new("US toll-free", 0.05, ["1800", "1888"], 11),
            new("UK", 0.05, UkLand, 12),
            new("UK mobile", 0.03, UkMobile, 12),
            new("Germany", 0.03, DeLand, 12),
            new("Germany mobile", 0.02, DeMobile, 13),
            new("France", 0.02, ["331", "334", "335"], 11),
            new("Mexico", 0.04, ["5255", "5281", "5233"], 12),
            new("India", 0.02, ["9122", "9180", "9111"], 12),
        ],
        "AL-BIZ" =>
        [
            new("UK", 0.55, UkLand, 12),
            new("UK mobile", 0.22, UkMobile, 12),
            new("UK freephone", 0.04, ["44800"], 12),
            new("US", 0.07, UsLand, 11),
            new("Ireland", 0.04, ["3531", "35321"], 11),
            new("France", 0.03, ["331", "334", "335"], 11),
            new("Germany", 0.03, DeLand, 12),
            new("India", 0.02, ["9122", "9180", "9111"], 12),
        ],
        "RH-VOIP" =>
        [
            new("Germany", 0.58, DeLand, 12),
            new("Germany mobile", 0.22, DeMobile, 13),
            new("Germany 0800", 0.04, ["49800"], 13),
            new("Austria", 0.05, ["431", "43662"], 12),
            new("Switzerland", 0.04, ["4144", "4122"], 11),
            new("UK", 0.04, UkLand, 12),
            new("US", 0.03, UsLand, 11),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(deckId), deckId, "No call mix for this deck."),
    };

    /// <summary>Where the calls of a mobile line go: domestic landlines and mobiles of the carrier's country.</summary>
    public static IReadOnlyList<Destination> MobileMix(CarrierDef carrier) => carrier.Code switch
    {
        "NW" => [new("US", 1.0, UsLand, 11)],
        "AL" => [new("UK", 0.5, UkLand, 12), new("UK mobile", 0.5, UkMobile, 12)],
        _ => [new("Germany", 0.5, DeLand, 12), new("Germany mobile", 0.5, DeMobile, 13)],
    };

    /// <summary>The mobiles a line texts.</summary>
    public static Destination SmsTargets(CarrierDef carrier) => carrier.Code switch
    {
        "NW" => new("US", 1.0, UsLand, 11),
        "AL" => new("UK mobile", 1.0, UkMobile, 12),
        _ => new("Germany mobile", 1.0, DeMobile, 13),
    };

    private static void AddCarrierPlans(
        List<Plan> plans, CarrierDef c, DateOnly from, decimal[] mobile, decimal[] line, decimal[] sip, decimal[] circuit, decimal[] internet)
    {
        // Mobile: S 300 min / 500 SMS / 2 GB, M 1000 min / unlimited SMS / 10 GB, L unlimited voice and SMS / 30 GB, XL unlimited.
        decimal?[] minutes = [300, 1000, null, null];
        long?[] sms = [500, null, null, null];
        decimal?[] data = [2048, 10240, 30720, null];
        string[] names = ["Mobile S 2GB", "Mobile M 10GB", "Mobile L 30GB", "Mobile XL Unlimited"];
        for (var i = 0; i < 4; i++)
        {
            plans.Add(new Plan
            {
                PlanId = $"{c.Code}-MOB-{MobileSizes[i]}",
                Carrier = c.Name,
                ServiceType = ServiceType.Mobile,
                Name = names[i],
                MonthlyFee = mobile[i],
                IncludedMinutes = minutes[i],
                IncludedSms = sms[i],
                IncludedDataMb = data[i],
                OveragePerMinute = 0.10m,
                OveragePerSms = 0.05m,
                OveragePerMb = 0.01m,
                EffectiveFrom = from,
            });
        }

        plans.Add(Fixed(c, "VL-BASIC", ServiceType.VoiceLine, "Business Line", line[0], null, from));
        plans.Add(Fixed(c, "VL-PLUS", ServiceType.VoiceLine, "Business Line Plus", line[1], null, from));
        plans.Add(Fixed(c, "SIP-10", ServiceType.SipTrunk, "SIP Trunk 10 channels", sip[0], null, from));
        plans.Add(Fixed(c, "SIP-30", ServiceType.SipTrunk, "SIP Trunk 30 channels", sip[1], null, from));
        plans.Add(Fixed(c, "CKT-50", ServiceType.Circuit, "Ethernet 50 Mbps \"Gold\" SLA", circuit[0], 50, from));
        plans.Add(Fixed(c, "CKT-200", ServiceType.Circuit, "Ethernet 200 Mbps \"Gold\" SLA", circuit[1], 200, from));
        plans.Add(Fixed(c, "CKT-1000", ServiceType.Circuit, "Ethernet 1 Gbps \"Platinum\" SLA", circuit[2], 1000, from));
        plans.Add(Fixed(c, "INT-300", ServiceType.Internet, "Fibre 300", internet[0], 300, from));
        plans.Add(Fixed(c, "INT-1000", ServiceType.Internet, "Fibre 1000", internet[1], 1000, from));
    }

    // Fixed services include nothing: calls are rated per call by the account's deck, data is unlimited.
    private static Plan Fixed(CarrierDef c, string suffix, ServiceType type, string name, decimal fee, decimal? bandwidth, DateOnly from) => new()
    {
        PlanId = $"{c.Code}-{suffix}",
        Carrier = c.Name,
        ServiceType = type,
        Name = name,
        MonthlyFee = fee,
        IncludedMinutes = 0,
        IncludedSms = 0,
        IncludedDataMb = type is ServiceType.Circuit or ServiceType.Internet ? null : 0,
        BandwidthMbps = bandwidth,
        EffectiveFrom = from,
    };

    private static void Add(
        List<RateEntry> entries, string deck, string prefix, string destination, TimeBand band, decimal rate, decimal connect,
        int initial, int subsequent, DateOnly from, DateOnly? to = null) =>
        entries.Add(new RateEntry
        {
            RatePlanId = deck,
            Prefix = prefix,
            Destination = destination,
            TimeBand = band,
            RatePerMinute = rate,
            ConnectFee = connect,
            InitialIncrementS = initial,
            SubsequentIncrementS = subsequent,
            EffectiveFrom = from,
            EffectiveTo = to,
        });
}
