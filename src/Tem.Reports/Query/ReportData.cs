using Tem.Lake;
using Tem.Audit;
using Tem.Core;

namespace Tem.Reports.Query;

/// <summary>A party as a report names it.</summary>
internal sealed record PartyInfo(string PartyId, string Name, string Kind, string? ParentId, string? BrandName, string? BrandColor, string? LogoFile)
{
    public string ReportName => string.IsNullOrEmpty(BrandName) ? Name : BrandName;
}

/// <summary>A carrier account: who the services are for (customer) and who is invoiced (bill-to).</summary>
internal sealed record AccountInfo(string Carrier, string AccountId, string? CustomerId, string? BillToId, string? ResellerId, string? Currency);

/// <summary>A service of the inventory.</summary>
internal sealed record ServiceInfo(string ServiceId, string AccountId, string ServiceType, string? CostCentre, string? UserName);

/// <summary>Carrier charges of one carrier, currency and billing month (every charge type, credits negative).</summary>
internal sealed record MonthlySpend(string Carrier, CurrencyCode Currency, BillingMonth Month, decimal Amount);

/// <summary>Carrier charges of one account over the lake's months.</summary>
internal sealed record AccountSpend(string Carrier, string AccountId, CurrencyCode Currency, decimal Amount);

/// <summary>Carrier charges per cost centre and currency over the lake's months.</summary>
internal sealed record CostCentreSpend(string CostCentre, CurrencyCode Currency, int Services, decimal Amount);

/// <summary>A finding to claim from its carrier, with the invoice lines it is about (<c>invoice#line</c>).</summary>
internal sealed record DisputeItem(StoredFinding Item, IReadOnlyList<string> InvoiceLines)
{
    /// <summary>What the carrier is asked for now: the one-time amount of an open claim, what a submitted one still waits for.</summary>
    public decimal Claimed => Item.ClaimedNow;
}

/// <summary>
/// One line of upgrade.csv; <paramref name="Retires"/> holds its <c>retires</c> entries (service ids and <c>rule:&lt;id&gt;</c>).
/// <paramref name="MarginPct"/> is <c>provider_margin_pct</c> (percent of the provider's price, 0..100), which the lake
/// requires; null when the set may not show it: a tenant sees only its own and its sub-parties' margins (<see cref="TenantScope"/>).
/// </summary>
internal sealed record UpgradeItem(
    string Item, string Provider, string Role, decimal OneTimeCost, decimal MonthlyCost, decimal? MarginPct, string? DealId = null, string? CustomerId = null,
    string? Currency = null, IReadOnlyList<string>? Retires = null);

/// <summary>What a service cost in the latest month its account was billed: every charge but one-time charges and credits.</summary>
internal sealed record ServiceSpend(string Carrier, string AccountId, string ServiceId, CurrencyCode Currency, BillingMonth Month, decimal Amount);

/// <summary>A reseller's carrier cost and resale billing for one service (or account-level charges) and month.</summary>
internal sealed record MarginMonth(
    string ResellerId, string CustomerId, string? Carrier, string? AccountId, string? ServiceId, CurrencyCode Currency, BillingMonth Month,
    decimal CarrierCost, decimal Resale, bool HasResaleLine);

/// <summary>A credit received for a finding (from its dispute history), in the month of the credit's date.</summary>
internal sealed record CreditReceived(string FindingId, string? CustomerId, CurrencyCode Currency, BillingMonth Month, decimal Amount);

/// <summary>The brand a set is printed with (public only because the page layout component, public as every Razor component is, takes it).</summary>
/// <param name="Name">The name in the masthead.</param>
/// <param name="Color">The brand colour, <c>#RRGGBB</c> (validated: it goes into CSS).</param>
/// <param name="LogoDataUri">The logo as a data URI, or null for a monogram.</param>
/// <param name="PartyId">The party the brand is of, or null for Tem's own.</param>
public sealed record Brand(string Name, string Color, string? LogoDataUri, string? PartyId);

/// <summary>
/// Everything one report set shows, read from the lake through the scope of <see cref="TenantScope"/>: writers
/// never query the lake themselves, so a tenant set can only contain what the scoped queries returned.
/// </summary>
internal sealed record ReportData
{
    public required Brand Brand { get; init; }

    public required string? Tenant { get; init; }

    public required IReadOnlyList<StoredFinding> Findings { get; init; }

    public required IReadOnlyDictionary<string, PartyInfo> Parties { get; init; }

    public required IReadOnlyList<AccountInfo> Accounts { get; init; }

    public required IReadOnlyList<ServiceInfo> Services { get; init; }

    public required IReadOnlyList<MonthlySpend> Spend { get; init; }

    public required IReadOnlyList<AccountSpend> AccountSpend { get; init; }

    public required IReadOnlyList<CostCentreSpend> CostCentreSpend { get; init; }

    public required IReadOnlyList<DisputeItem> Disputes { get; init; }

    public required IReadOnlyList<UpgradeItem> Upgrade { get; init; }

    /// <summary>Each service's run rate: its charges in the latest month its account was billed (what retiring it saves).</summary>
    public required IReadOnlyList<ServiceSpend> ServiceRunRate { get; init; }

    public required IReadOnlyList<MarginMonth> Margin { get; init; }

    /// <summary>Every credit received for a finding in scope, from the dispute history.</summary>
    public required IReadOnlyList<CreditReceived> Credits { get; init; }

    /// <summary>The customers the set covers (parties named as customer of an in-scope account or resale line), ordered by id.</summary>
    public required IReadOnlyList<string> Customers { get; init; }

    /// <summary>First and latest billing month of the charges in scope; null when there are none.</summary>
    public required (BillingMonth First, BillingMonth Latest)? Window { get; init; }

    /// <summary>MRR and cost per seller, customer and month, and the parent links for the distributor rollup (channel.html).</summary>
    public ChannelData Channel { get; init; } = ChannelData.Empty;

    /// <summary>Findings a report lists: every status but <c>resolved</c> (rejected and closed ones too, for the record).</summary>
    public IEnumerable<StoredFinding> Current => Findings.Where(f => f.Status != FindingStatus.Resolved);

    public string PartyName(string? id) =>
        id is null ? "-" : Parties.TryGetValue(id, out var p) ? p.Name : id;

    public AccountInfo? Account(string carrier, string accountId) =>
        Accounts.FirstOrDefault(a => a.Carrier == carrier && a.AccountId == accountId);

    /// <summary>Validated, potential, reseller and realised money per currency (<see cref="MoneyTotals"/>).</summary>
    public IReadOnlyList<CurrencyMoney> Totals() => MoneyTotals.Of(Findings);
}
