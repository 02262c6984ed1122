using Tem.Lake;

namespace Tem.Reports;

/// <summary>What <see cref="ReportWriter.Write"/> wrote.</summary>
public sealed record ReportResult
{
    /// <summary>Every file written (absolute paths), tenant sets included, in the order written.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The main set's <c>report.html</c> (absolute path).</summary>
    public required string ReportPath { get; init; }

    /// <summary>Validated, potential, reseller and realised money of the main set (the tenant's when a tenant was asked for), per currency, ordered by code.</summary>
    public required IReadOnlyList<CurrencyMoney> Totals { get; init; }

    /// <summary>The party ids a tenant set was written for (under <c>tenants/</c>, or the one asked for).</summary>
    public required IReadOnlyList<string> Tenants { get; init; }

    /// <summary>The main set's proposals, one per deal of upgrade.csv (none without one).</summary>
    public IReadOnlyList<ProposalSummary> Proposals { get; init; } = [];

    /// <summary>Things a person should know: a logo that could not be read, a proposal without exchange rates.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}

/// <summary>A carrier's dispute pack as written.</summary>
/// <param name="Files">The CSV and the letters.</param>
/// <param name="Items">The claims in it.</param>
public sealed record DisputePackResult(IReadOnlyList<string> Files, IReadOnlyList<StoredFinding> Items);

/// <summary>One deal's proposal in figures (amounts in <paramref name="Currency"/>; see the proposal's footnote for how each is made).</summary>
/// <param name="DealId">The deal; null for an upgrade.csv without deal ids.</param>
/// <param name="CustomerId">The client the deal is for; null when it names none.</param>
/// <param name="Currency">The prices' currency.</param>
/// <param name="File">The proposal's HTML file.</param>
/// <param name="UpgradeOneTime">One-time price of the upgrade.</param>
/// <param name="UpgradeMonthly">Monthly price of the upgrade (the new spend).</param>
/// <param name="RetiredMonthly">Current spend the upgrade retires, a month.</param>
/// <param name="FoundOneTime">Validated one-time found money counted.</param>
/// <param name="FoundMonthly">Validated monthly savings counted (retired services aside).</param>
/// <param name="PotentialOneTime">Potential one-time money (shown, not counted).</param>
/// <param name="PotentialMonthly">Potential monthly money (shown, not counted).</param>
/// <param name="NetMonthlyChange">New spend - spend retired - savings (negative: the bill falls).</param>
/// <param name="PaybackMonth">First month the cumulative cash is &gt;= 0 and stays so; null: never.</param>
public sealed record ProposalSummary(
    string? DealId, string? CustomerId, string Currency, string File, decimal UpgradeOneTime, decimal UpgradeMonthly, decimal RetiredMonthly,
    decimal FoundOneTime, decimal FoundMonthly, decimal PotentialOneTime, decimal PotentialMonthly, decimal NetMonthlyChange, int? PaybackMonth);
