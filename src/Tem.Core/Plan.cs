namespace Tem.Core;

/// <summary>
/// A contracted plan: one row of plans.csv, also the menu for right-sizing. Prices are in the currency of the
/// accounts on the plan (plans.csv has no currency column), unrounded as given.
/// </summary>
public sealed record Plan
{
    /// <summary>Plan id (<c>plan_id</c>).</summary>
    public required string PlanId { get; init; }

    /// <summary>Carrier name (<c>carrier</c>).</summary>
    public required string Carrier { get; init; }

    /// <summary>Kind of service the plan is for (<c>service_type</c>).</summary>
    public required ServiceType ServiceType { get; init; }

    /// <summary>Plan name (<c>name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Contracted recurring price for a full calendar month (<c>monthly_fee</c>).</summary>
    public required decimal MonthlyFee { get; init; }

    /// <summary>Included voice minutes per month; null = unlimited (<c>included_minutes</c>).</summary>
    public decimal? IncludedMinutes { get; init; }

    /// <summary>Included text messages per month; null = unlimited (<c>included_sms</c>).</summary>
    public long? IncludedSms { get; init; }

    /// <summary>Included data per month in MB; null = unlimited (<c>included_data_mb</c>).</summary>
    public decimal? IncludedDataMb { get; init; }

    /// <summary>Price per minute beyond the allowance; null when not given (<c>overage_per_minute</c>).</summary>
    public decimal? OveragePerMinute { get; init; }

    /// <summary>Price per text message beyond the allowance; null when not given (<c>overage_per_sms</c>).</summary>
    public decimal? OveragePerSms { get; init; }

    /// <summary>Price per MB beyond the allowance; null when not given (<c>overage_per_mb</c>).</summary>
    public decimal? OveragePerMb { get; init; }

    /// <summary>Bandwidth in Mbit/s, for circuits; optional (<c>bandwidth_mbps</c>).</summary>
    public decimal? BandwidthMbps { get; init; }

    /// <summary>First date of validity (<c>effective_from</c>).</summary>
    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>End of validity as given in plans.csv; null = open-ended (<c>effective_to</c>).</summary>
    public DateOnly? EffectiveTo { get; init; }
}
