namespace Tem.Core.Tests;

public class PartyTests
{
    private static readonly Party Dealer = new() { PartyId = "D1", Name = "Northwind Comms", Kind = PartyKind.Dealer, ParentId = "DIST1" };

    [Fact]
    public void ReportName_NoBrandName_IsName() => Assert.Equal("Northwind Comms", Dealer.ReportName);

    [Fact]
    public void ReportName_EmptyBrandName_IsName() => Assert.Equal("Northwind Comms", (Dealer with { BrandName = string.Empty }).ReportName);

    [Fact]
    public void ReportName_BrandName_IsBrandName() => Assert.Equal("Northwind Telecom Audit", (Dealer with { BrandName = "Northwind Telecom Audit" }).ReportName);
}
