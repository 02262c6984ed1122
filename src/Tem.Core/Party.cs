namespace Tem.Core;

/// <summary>Who is who in the channel: one row of parties.csv.</summary>
public sealed record Party
{
    /// <summary>Unique id (<c>party_id</c>).</summary>
    public required string PartyId { get; init; }

    /// <summary>Display name (<c>name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Role in the channel (<c>kind</c>).</summary>
    public required PartyKind Kind { get; init; }

    /// <summary>The party above it in the channel (dealer -&gt; distributor, customer -&gt; dealer); null at the top (<c>parent_id</c>).</summary>
    public string? ParentId { get; init; }

    /// <summary>Name printed on reports made for this party (white label); null = <see cref="Name"/> (<c>brand_name</c>).</summary>
    public string? BrandName { get; init; }

    /// <summary>Brand colour as <c>#RRGGBB</c>, optional (<c>brand_color</c>).</summary>
    public string? BrandColor { get; init; }

    /// <summary>Path of a PNG/SVG logo relative to parties.csv, optional (<c>logo_file</c>).</summary>
    public string? LogoFile { get; init; }

    /// <summary>The name to print on reports: <see cref="BrandName"/> when set, else <see cref="Name"/>.</summary>
    public string ReportName => string.IsNullOrEmpty(BrandName) ? Name : BrandName;
}
