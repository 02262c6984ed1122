using FsCheck;
using FsCheck.Fluent;

namespace Tem.Core.Tests;

public class FindingIdTests
{
    private sealed record Fields(string Rule, string AccountId, string? ServiceId, BillingMonth Period, string? Discriminator)
    {
        public string Id() => FindingId.Create(Rule, AccountId, ServiceId, Period, Discriminator);
    }

    private static readonly Arbitrary<Fields> AnyFields =
        (from rule in Properties.Text(20)
         from account in Properties.Text(12)
         from service in Properties.Text(16).OrNull()
         from year in Gen.Choose(2000, 2100)
         from month in Gen.Choose(1, 12)
         from discriminator in Properties.Text(10).OrNull()
         select new Fields(rule, account, service, new BillingMonth(year, month), discriminator)).ToArbitrary();

    [Fact]
    public void Create_KnownInput_MatchesTheDocumentedRecipe()
    {
        // sha256("rate_overcharge\u001fACC-1\u001f+15551230000\u001f2026-10\u001fINV-9"), first 16 bytes.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            "rate_overcharge\u001fACC-1\u001f+15551230000\u001f2026-10\u001fINV-9"u8))[..32];

        Assert.Equal(expected, FindingId.Create("rate_overcharge", "ACC-1", "+15551230000", new BillingMonth(2026, 10), "INV-9"));
    }

    [Fact]
    public void CreateForService_IsTheRecipeWithAnEmptyPeriod_TheSameInEveryMonth()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("unused_service\u001fA1\u001fS1\u001f\u001f"u8))[..32];
        Assert.Equal(expected, FindingId.CreateForService("unused_service", "A1", "S1"));
        Assert.NotEqual(expected, FindingId.Create("unused_service", "A1", "S1", new BillingMonth(2026, 9)));
    }

    [Fact]
    public void Create_PinnedInput_NeverChangesAcrossVersions() =>
        // Ids are stored with user-set statuses; changing the recipe would orphan every status.
        Assert.Equal(
            FindingId.Create("tax_on_exempt", "A1", null, new BillingMonth(2026, 1)),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("tax_on_exempt\u001fA1\u001f\u001f2026-01\u001f"u8))[..32]);

    [Fact]
    public void Create_AnyFields_IsDeterministicLowerHex() =>
        Properties.Check(Prop.ForAll(AnyFields, f =>
        {
            var id = f.Id();
            return id == f.Id() && id.Length == 32 && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
        }));

    [Fact]
    public void Create_AnyFieldChanged_ChangesTheId() =>
        Properties.Check(Prop.ForAll(AnyFields, f =>
        {
            var id = f.Id();
            return id != (f with { Rule = f.Rule + "x" }).Id()
                && id != (f with { AccountId = f.AccountId + "x" }).Id()
                && id != (f with { ServiceId = f.ServiceId + "x" }).Id()
                && id != (f with { Period = f.Period.Next() }).Id()
                && id != (f with { Discriminator = f.Discriminator + "x" }).Id();
        }));

    [Fact]
    public void Create_ValueMovedBetweenFields_ChangesTheId() =>
        Assert.NotEqual(
            FindingId.Create("r", "ab", "c", new BillingMonth(2026, 1)),
            FindingId.Create("r", "a", "bc", new BillingMonth(2026, 1)));

    [Fact]
    public void Create_NullAndEmptyOptionalFields_GiveTheSameId()
    {
        var period = new BillingMonth(2026, 1);

        Assert.Equal(FindingId.Create("r", "a", null, period, null), FindingId.Create("r", "a", string.Empty, period, string.Empty));
    }

    [Theory]
    [InlineData("", "a", null, null)]
    [InlineData("r", "", null, null)]
    [InlineData("r\u001f", "a", null, null)]
    [InlineData("r", "a\u001f", null, null)]
    [InlineData("r", "a", "s\u001f", null)]
    [InlineData("r", "a", null, "\u001fd")]
    public void Create_EmptyRequiredFieldOrSeparator_Throws(string rule, string accountId, string? serviceId, string? discriminator) =>
        Assert.ThrowsAny<ArgumentException>(() => FindingId.Create(rule, accountId, serviceId, new BillingMonth(2026, 1), discriminator));
}
