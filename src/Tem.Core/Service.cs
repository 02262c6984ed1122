namespace Tem.Core;

/// <summary>A line, circuit or licence in the inventory: one row of services.csv.</summary>
public sealed record Service
{
    /// <summary>Phone number (as a string, never an integer), circuit id or licence id; unique per carrier (<c>service_id</c>).</summary>
    public required string ServiceId { get; init; }

    /// <summary>Owning account (<c>account_id</c>).</summary>
    public required string AccountId { get; init; }

    /// <summary>Kind of service (<c>service_type</c>).</summary>
    public required ServiceType ServiceType { get; init; }

    /// <summary>Contracted plan in plans.csv (<c>plan_id</c>).</summary>
    public required string PlanId { get; init; }

    /// <summary>State (<c>status</c>).</summary>
    public required ServiceStatus Status { get; init; }

    /// <summary>Activation date, local to the account's time zone (<c>activated_on</c>).</summary>
    public required DateOnly ActivatedOn { get; init; }

    /// <summary>Disconnection date, local to the account's time zone; null unless disconnected (<c>disconnected_on</c>).</summary>
    public DateOnly? DisconnectedOn { get; init; }

    /// <summary>The client's cost centre, optional (<c>cost_center</c>).</summary>
    public string? CostCenter { get; init; }

    /// <summary>Who uses it, optional (<c>user_name</c>).</summary>
    public string? UserName { get; init; }
}
