using Tem.Core;

namespace Tem.DuckDb.Tests;

/// <summary>Recipes that Tem.Core documents for SQL, checked against DuckDB itself.</summary>
[Collection(DuckDbCollection.Name)]
public sealed class CoreInteropTests
{
    [Theory]
    [InlineData("rate_overcharge", "ACC-1", "+442079460000", 2026, 10, null)]
    [InlineData("tax_on_exempt", "ACC-2", null, 2026, 1, "INV-77")]
    [InlineData("unused_service", "Zürich-9", "0044", 2025, 12, "")]
    public void FindingId_SqlRecipeInDocs_MatchesCSharp(string rule, string account, string? service, int year, int month, string? discriminator)
    {
        using var c = DuckDbFixture.OpenInMemory();
        var period = new BillingMonth(year, month);
        var sql = c.Scalar<string>(
            "SELECT left(sha256(concat_ws(chr(31), $1, $2, coalesce($3, ''), $4, coalesce($5, ''))), 32)",
            rule, account, service, period.ToString(), discriminator);
        Assert.Equal(FindingId.Create(rule, account, service, period, discriminator), sql);
    }

    [Theory]
    [InlineData("2.34565", "2.3457")]
    [InlineData("-2.34565", "-2.3457")]
    [InlineData("0.00005", "0.0001")]
    [InlineData("-0.00005", "-0.0001")]
    [InlineData("1.00004999", "1.0000")]
    public void Rounding_HalfAwayFromZero_AgreesWithDuckDbRoundOnDecimals(string value, string expected)
    {
        using var c = DuckDbFixture.OpenInMemory();
        var input = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var duck = c.Scalar<decimal>("SELECT round($1::DECIMAL(18,8), 4)", input);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), duck);
        Assert.Equal(duck, Rounding.HalfAwayFromZero(input, 4));
    }
}
