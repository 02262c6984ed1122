namespace Tem.Core;

/// <summary>A carrier billing account: one row of accounts.csv.</summary>
public sealed record Account
{
    /// <summary>The carrier's account number, unique per carrier (<c>account_id</c>).</summary>
    public required string AccountId { get; init; }

    /// <summary>Carrier name (<c>carrier</c>).</summary>
    public required string Carrier { get; init; }

    /// <summary>Party the services are for, the business counterparty (<c>customer_id</c>).</summary>
    public required string CustomerId { get; init; }

    /// <summary>Party the carrier invoices, the financial counterparty: the customer, a reseller or a lessor (<c>bill_to_id</c>).</summary>
    public required string BillToId { get; init; }

    /// <summary>Party that sold the services; null for direct (<c>reseller_id</c>).</summary>
    public string? ResellerId { get; init; }

    /// <summary>Currency of the account's invoices, usage and plan prices (<c>currency</c>).</summary>
    public required CurrencyCode Currency { get; init; }

    /// <summary>IANA time zone id, e.g. <c>America/Chicago</c>, for time-of-day rating and month boundaries (<c>time_zone</c>).</summary>
    public required string TimeZone { get; init; }

    /// <summary>Whether the account is exempt from tax (<c>tax_exempt</c>).</summary>
    public required bool TaxExempt { get; init; }

    /// <summary>Usage rate deck (rates.csv) for per-call billed services; null when none (<c>rate_plan_id</c>).</summary>
    public string? RatePlanId { get; init; }
}
