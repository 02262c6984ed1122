using System.Globalization;
using Tem.Core;

namespace Tem.SampleData;

/// <summary>How big a sample world <see cref="SampleDataGenerator.Generate"/> makes, over which months, from which seed.</summary>
public sealed record SampleDataOptions
{
    /// <summary>The fewest services a set can have: the 33 services that carry the planted errors and their clean neighbours.</summary>
    public const int MinimumServices = 33;

    /// <summary>The fewest months: the rules look back 3 full months before the latest one.</summary>
    public const int MinimumMonths = 4;

    /// <summary>The most months (10 years).</summary>
    public const int MaximumMonths = 120;

    /// <summary>Number of services in the inventory, <see cref="MinimumServices"/> or more; 60 by default.</summary>
    /// <remarks>Beyond 100 services, one more account is added per 40 services; usage grows linearly with services x months.</remarks>
    public int Services { get; init; } = 60;

    /// <summary>Number of billing months, <see cref="MinimumMonths"/> to <see cref="MaximumMonths"/>; 6 by default.</summary>
    public int Months { get; init; } = 6;

    /// <summary>Seed of every random draw: the same options give byte-identical files. 42 by default.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// The first billing month, 2000-01 to 2090-12; 2026-04 by default. Months are calendar months in each account's
    /// own time zone.
    /// </summary>
    public BillingMonth FirstMonth { get; init; } = new(2026, 4);

    /// <summary>The last billing month: <see cref="FirstMonth"/> plus <see cref="Months"/> - 1.</summary>
    public BillingMonth LastMonth => FirstMonth.AddMonths(Months - 1);

    /// <summary>Checks the ranges documented on each property.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message gives the allowed range.</exception>
    public void Validate()
    {
        if (Services < MinimumServices)
        {
            throw new ArgumentOutOfRangeException(nameof(Services), Services, string.Create(CultureInfo.InvariantCulture, $"A sample set needs at least {MinimumServices} services (the ones carrying the planted errors)."));
        }

        if (Months is < MinimumMonths or > MaximumMonths)
        {
            throw new ArgumentOutOfRangeException(nameof(Months), Months, string.Create(CultureInfo.InvariantCulture, $"Months must be {MinimumMonths} to {MaximumMonths}: the rules look back 3 full months before the latest."));
        }

        if (FirstMonth < new BillingMonth(2000, 1) || FirstMonth > new BillingMonth(2090, 12))
        {
            throw new ArgumentOutOfRangeException(nameof(FirstMonth), FirstMonth, "The first month must be 2000-01 to 2090-12.");
        }
    }
}

/// <summary>What <see cref="SampleDataGenerator.Generate"/> wrote.</summary>
/// <param name="OutputDirectory">The full path of the folder written.</param>
/// <param name="Rows">Data rows (header excluded) per CSV file name, e.g. <c>usage.csv</c>.</param>
/// <param name="PlantedFindings">Rows of <c>answer_key.csv</c>: the findings a correct audit must report.</param>
public sealed record SampleDataSummary(string OutputDirectory, IReadOnlyDictionary<string, long> Rows, int PlantedFindings);
