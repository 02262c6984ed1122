using System.Reflection;

namespace Tem.Core.Tests;

public class WireNamesTests
{
    // Every public enum of Tem.Core, found by reflection so a new enum is covered without editing this file.
    private static readonly Type[] EnumTypes =
        [.. typeof(WireNames).Assembly.GetExportedTypes().Where(t => t.IsEnum).OrderBy(t => t.Name, StringComparer.Ordinal)];

    public static TheoryData<Type> AllEnums() => new(EnumTypes);

    [Fact]
    public void AllEnums_CoreAssembly_IncludesEveryDomainEnum()
    {
        var names = EnumTypes.Select(t => t.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "PartyKind", "ServiceType", "ServiceStatus", "ChargeType", "UsageType", "TimeBand", "Severity",
                "RecommendedAction", "FindingStatus", "ProviderRole", "RejectReason", "CallDisposition", "RunOutcome",
            },
            names);
    }

    [Theory]
    [MemberData(nameof(AllEnums))]
    public void ToWireAndTryParse_EveryMember_RoundTrip(Type enumType) =>
        typeof(WireNamesTests).GetMethod(nameof(AssertRoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(enumType)
            .Invoke(null, null);

    [Theory]
    [InlineData(ServiceType.VoiceLine, "voice_line")]
    [InlineData(ServiceType.SipTrunk, "sip_trunk")]
    [InlineData(ChargeType.OneTime, "one_time")]
    [InlineData(ChargeType.LateFee, "late_fee")]
    [InlineData(TimeBand.Offpeak, "offpeak")]
    [InlineData(PartyKind.Lessor, "lessor")]
    [InlineData(RunOutcome.Ok, "ok")]
    [InlineData(RunOutcome.Failed, "failed")]
    [InlineData(RunOutcome.Locked, "locked")]
    [InlineData(RunOutcome.Cancelled, "cancelled")]
    [InlineData(RunOutcome.Interrupted, "interrupted")]
    [InlineData(ProviderRole.Msp, "msp")]
    [InlineData(FindingStatus.Resolved, "resolved")]
    [InlineData(RecommendedAction.Renegotiate, "renegotiate")]
    [InlineData(RejectReason.BadPhoneNumber, "bad_phone_number")]
    [InlineData(RejectReason.UnterminatedQuote, "unterminated_quote")]
    public void ToWire_PascalCaseMember_IsSnakeCase(object member, string expected) =>
        Assert.Equal(expected, ToWireBoxed(member));

    [Fact]
    public void All_ServiceType_ListsSpecValuesInOrder() =>
        Assert.Equal(["mobile", "voice_line", "sip_trunk", "circuit", "internet"], WireNames.All<ServiceType>());

    [Fact]
    public void All_RejectReason_ListsTheIngestCodes() =>
        Assert.Equal(
            [
                "missing_column", "extra_columns", "short_row", "long_row", "bad_date", "bad_timestamp", "bad_number",
                "bad_money", "bad_enum", "bad_phone_number", "negative_value", "required", "too_long", "bad_encoding",
                "duplicate_header", "unterminated_quote", "bad_quote", "nonexistent_time", "ambiguous_time", "bad_file", "control_character", "duplicate_version", "overlapping_version", "empty_validity", "other",
            ],
            WireNames.All<RejectReason>());

    [Theory]
    [InlineData("VOICE_LINE")]
    [InlineData("Voice_Line")]
    [InlineData("voice_line")]
    public void TryParse_AnyCase_Parses(string text)
    {
        Assert.True(WireNames.TryParse<ServiceType>(text, out var value));
        Assert.Equal(ServiceType.VoiceLine, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("VoiceLine")]
    [InlineData("voiceline")]
    [InlineData(" voice_line")]
    [InlineData("voice_line ")]
    [InlineData("voice-line")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("landline")]
    public void TryParse_UnknownOrLooseText_ReturnsFalse(string? text)
    {
        Assert.False(WireNames.TryParse<ServiceType>(text, out var value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void Parse_Unknown_ThrowsListingExpectedValues()
    {
        var ex = Assert.Throws<FormatException>(() => WireNames.Parse<ServiceStatus>("cancelled"));

        Assert.Equal("'cancelled' is not a ServiceStatus, expected one of active, suspended, disconnected.", ex.Message);
    }

    [Fact]
    public void Expected_TimeBand_ListsValues() =>
        Assert.Equal("one of any, peak, offpeak", WireNames.Expected<TimeBand>());

    [Fact]
    public void ToWire_UndeclaredValue_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.ToWire((Severity)42));

    private static string ToWireBoxed(object member) =>
        (string)typeof(WireNames).GetMethod(nameof(WireNames.ToWire))!.MakeGenericMethod(member.GetType()).Invoke(null, [member])!;

    private static void AssertRoundTrip<TEnum>()
        where TEnum : struct, Enum
    {
        var members = Enum.GetValues<TEnum>();
        var wire = members.Select(WireNames.ToWire).ToArray();

        Assert.NotEmpty(members);
        Assert.Equal(wire, WireNames.All<TEnum>());
        Assert.Equal(wire.Length, wire.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var (member, name) in members.Zip(wire))
        {
            Assert.Matches("^[a-z]+(_[a-z]+)*$", name);
            Assert.Equal(member.ToString(), name.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);
            Assert.True(WireNames.TryParse<TEnum>(name, out var parsed));
            Assert.Equal(member, parsed);
            Assert.Equal(member, WireNames.Parse<TEnum>(name.ToUpperInvariant()));
        }
    }
}
