using System.Globalization;
using Tem.Core;
using Tem.Core.Rating;

namespace Tem.SampleData;

internal enum AccountKind
{
    Mobile,
    Fixed,
}

/// <summary>What a service is planted with. <see cref="None"/> services are the clean background.</summary>
internal enum Plant
{
    None,
    RateOverchargeOldRate,
    RateOverchargePeakForOffpeak,
    DuplicateUsageTwoCalls,
    DuplicateUsageThreeCopies,
    DuplicateRecurringSameInvoice,
    DuplicateRecurringNextInvoice,
    DisconnectedMidMonth,
    DisconnectedMonthEnd,
    AboveContractThreeMonths,
    AboveContractLatest,
    UsageMismatchRated,
    UsageMismatchMobile,
    UnusedMobile,
    UnusedVoiceLine,
    OversizedToSmall,
    OversizedToMedium,
    UnbilledResaleEarlier,
    UnbilledResaleLatest,
    ResoldAtPlanFee,
    ResoldBelowFee,
    SpendSpike,
    TollFraud,
    EdgeCalls,
}

/// <summary>How a mobile line's usage is sized: to its own plan (the clean case) or to fit a smaller one.</summary>
internal enum MobileFit
{
    OwnPlan,
    FitsSmall,
    FitsMedium,
}

internal sealed class AccountDef
{
    public required int Index { get; init; }

    public required string AccountId { get; init; }

    public required CarrierDef Carrier { get; init; }

    public required string CustomerId { get; init; }

    public required string BillToId { get; init; }

    public string? ResellerId { get; init; }

    public required string ZoneId { get; init; }

    public required TimeZoneInfo Zone { get; init; }

    public required bool TaxExempt { get; init; }

    public string? DeckId { get; init; }

    public required AccountKind Kind { get; init; }

    public List<ServiceDef> Services { get; } = [];

    /// <summary>Billed by the carrier to the reseller that sold it (bill_to = reseller): the reseller bills the customer (resale.csv).</summary>
    public bool IsResold => ResellerId is not null && BillToId == ResellerId;

    /// <summary>Billed to the customer with no reseller: the only accounts with service-level one-time charges and credits.</summary>
    public bool IsDirect => ResellerId is null && BillToId == CustomerId;

    public string InvoiceId(BillingMonth month) =>
        string.Create(CultureInfo.InvariantCulture, $"{Carrier.Code}-{AccountId}-{month.Year:D4}{month.Month:D2}");

    public DateOnly InvoiceDate(BillingMonth month) => month.Last.AddDays(Carrier.InvoiceDelayDays);
}

internal sealed class ServiceDef
{
    public required int Index { get; init; }

    public required string ServiceId { get; init; }

    public required AccountDef Account { get; init; }

    public required ServiceType Type { get; init; }

    public required Plan Plan { get; init; }

    public required ServiceStatus Status { get; init; }

    public required DateOnly ActivatedOn { get; init; }

    public DateOnly? DisconnectedOn { get; init; }

    public required string CostCenter { get; init; }

    public string? UserName { get; init; }

    public Plant Plant { get; init; }

    public MobileFit Fit { get; init; }

    /// <summary>Scales the amount of usage, around 1.</summary>
    public double Intensity { get; init; } = 1.0;

    /// <summary>Margin of the reseller over the carrier's charges, for resold services (0.15 = 15 %).</summary>
    public decimal ResaleMargin { get; init; }

    /// <summary>Month index from which the service makes no usage at all (suspended or unused lines); null = never stops.</summary>
    public int? SilentFromMonth { get; init; }

    public bool IsRated => Type is ServiceType.VoiceLine or ServiceType.SipTrunk;
}

/// <summary>A credit the carrier owes (credits_due.csv), and the invoice month that honours it, if any.</summary>
internal sealed record CreditDue(
    string CreditId, AccountDef Account, ServiceDef? Service, string Reason, decimal Amount, BillingMonth DueBy, int? HonouredOnInvoiceMonth);

/// <summary>
/// A dispute the sample's consultant already keeps (disputes.csv), about the planted finding of <paramref name="Rule"/>
/// on <paramref name="Service"/> (its earliest period), and the credit the carrier later put on a bill for it, if any.
/// </summary>
internal sealed record PlantedDispute(
    ServiceDef Service, string Rule, FindingStatus Status, DateOnly? SubmittedOn, string? Reference, DateOnly? ResolvedOn, string Note, BillCredit? Credit,
    DateOnly? CreditedByHandOn);

/// <summary>A credit line on the invoice of month index <paramref name="InvoiceMonth"/> for a dispute's service.</summary>
internal sealed record BillCredit(int InvoiceMonth, decimal Amount, string Description);

/// <summary>An invoice line for a service the inventory does not know.</summary>
internal sealed record UnknownCharge(AccountDef Account, string ServiceId, int Month, ChargeType Type, string Description, decimal Amount);

/// <summary>The whole generated world before any usage or bill is drawn.</summary>
internal sealed class World
{
    public required SampleDataOptions Options { get; init; }

    public required IReadOnlyList<BillingMonth> Months { get; init; }

    public required IReadOnlyList<Party> Parties { get; init; }

    public required IReadOnlyList<AccountDef> Accounts { get; init; }

    public required IReadOnlyList<ServiceDef> Services { get; init; }

    public required IReadOnlyList<Plan> Plans { get; init; }

    public required IReadOnlyList<RateEntry> Rates { get; init; }

    public required ReferenceRater Rater { get; init; }

    /// <summary>The day the NW-STD price for prefix 44 drops from 0.05 to 0.04.</summary>
    public required DateOnly RateChangeDate { get; init; }

    public required IReadOnlyList<CreditDue> Credits { get; init; }

    public required IReadOnlyList<UnknownCharge> UnknownCharges { get; init; }

    /// <summary>The disputes of disputes.csv, one per lifecycle state.</summary>
    public required IReadOnlyList<PlantedDispute> Disputes { get; init; }

    /// <summary>The core services by their key (s1..s33).</summary>
    public required IReadOnlyDictionary<string, ServiceDef> Named { get; init; }

    /// <summary>Accounts with a planted tax line, and the month indexes.</summary>
    public required IReadOnlyDictionary<AccountDef, int[]> TaxOnExempt { get; init; }

    public int Last => Months.Count - 1;

    /// <summary>Month index of the NW-STD price change.</summary>
    public int ChangeMonth => Options.Months / 2;
}

/// <summary>Deterministic seeds for independent random streams (SplitMix64), stable across runs and machines.</summary>
internal static class Seeds
{
    public static int Derive(int seed, int stream, int a = 0, int b = 0)
    {
        unchecked
        {
            var x = ((ulong)(uint)seed << 32) ^ (uint)stream;
            x = Mix(x);
            x = Mix(x ^ (uint)a);
            x = Mix(x ^ ((ulong)(uint)b << 17));
            return (int)(x >> 33);
        }
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
