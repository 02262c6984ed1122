using Tem.Core;

namespace Tem.Reports;

/// <summary>Found money of one currency: identified (every finding not <c>resolved</c>) and realised (<c>recovered</c>).</summary>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="Identified">Totals of the findings whose status is not <c>resolved</c> (open, disputed, recovered, rejected, closed).</param>
/// <param name="Realised">Totals of the findings whose status is <c>recovered</c>.</param>
public sealed record CurrencyFoundMoney(CurrencyCode Currency, FoundMoneyTotal Identified, FoundMoneyTotal Realised);

/// <summary>What <see cref="ReportWriter.Write"/> wrote.</summary>
public sealed record ReportResult
{
    /// <summary>Every file written (absolute paths), tenant sets included, in the order written.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The main set's <c>report.html</c> (absolute path).</summary>
    public required string ReportPath { get; init; }

    /// <summary>Found money of the main set (the tenant's when a tenant was asked for), per currency, ordered by code.</summary>
    public required IReadOnlyList<CurrencyFoundMoney> Totals { get; init; }

    /// <summary>The party ids a tenant set was written for (under <c>tenants/</c>, or the one asked for).</summary>
    public required IReadOnlyList<string> Tenants { get; init; }

    /// <summary>Things a person should know: a logo that could not be read, a proposal without exchange rates.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
