namespace Tem.Core;

/// <summary>
/// A finding: money that can be claimed back (a one-time amount), saved every month, or both. One row of the
/// lake table <c>findings</c> and of <c>findings.csv</c>; property names are the PascalCase of its columns (audit.md).
/// All amounts are in <see cref="Currency"/>, unrounded as the rule computed them.
/// </summary>
public sealed record Finding
{
    /// <summary>Deterministic id: the same input gives the same id on every run (see <see cref="Core.FindingId.Create"/>).</summary>
    public required string FindingId { get; init; }

    /// <summary>Rule id, e.g. <c>rate_overcharge</c>.</summary>
    public required string Rule { get; init; }

    /// <summary>How urgent the finding is.</summary>
    public required Severity Severity { get; init; }

    /// <summary>Carrier name.</summary>
    public required string Carrier { get; init; }

    /// <summary>Carrier account number.</summary>
    public required string AccountId { get; init; }

    /// <summary>Service id; null for account-level findings.</summary>
    public string? ServiceId { get; init; }

    /// <summary>Customer party, from accounts.csv; null when the account is not in the inventory.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Party invoiced by the carrier, from accounts.csv; null when the account is not in the inventory.</summary>
    public string? BillToId { get; init; }

    /// <summary>Reseller party, from accounts.csv; null for direct accounts.</summary>
    public string? ResellerId { get; init; }

    /// <summary>Billing month for invoice findings, latest month in the lake for savings findings.</summary>
    public required BillingMonth Period { get; init; }

    /// <summary>Recoverable amount in <see cref="Currency"/>, &gt;= 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public required decimal OneTimeAmount
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>Recurring saving per calendar month in <see cref="Currency"/>, &gt;= 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public required decimal MonthlySavings
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>ISO 4217 currency of the amounts.</summary>
    public required CurrencyCode Currency { get; init; }

    /// <summary>Confidence that the finding is real, 0 to 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0..1.</exception>
    public required decimal Confidence
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1m);
            field = value;
        }
    }

    /// <summary>One line for a person.</summary>
    public required string Title { get; init; }

    /// <summary>The numbers behind the finding.</summary>
    public required string Detail { get; init; }

    /// <summary>References to the source rows: <c>file:line</c> and/or record or invoice line ids.</summary>
    public required string Evidence { get; init; }

    /// <summary>What to do about it.</summary>
    public required RecommendedAction RecommendedAction { get; init; }

    /// <summary>
    /// Which kind of money it is, from its rule: validated (counted as found, may fund a proposal), potential (to
    /// investigate, never counted) or reseller (a reseller's own revenue, never the client's saving).
    /// </summary>
    public MoneyKind MoneyKind { get; init; }

    /// <summary>The plan to move to, for <see cref="RecommendedAction.Downgrade"/>; otherwise null.</summary>
    public string? RecommendedPlanId { get; init; }

    /// <summary>
    /// Found money in <see cref="Currency"/>: <see cref="OneTimeAmount"/> + 12 x <see cref="MonthlySavings"/>
    /// (a year of savings), unrounded.
    /// </summary>
    public decimal FoundMoney => OneTimeAmount + (12 * MonthlySavings);
}
