using Tem.DuckDb;
using System.Text.RegularExpressions;
using Tem.Core;
using Tem.Lake.Layouts;
using static Tem.Audit.Tests.Rating.HandCaseDeck;

namespace Tem.Audit.Tests.Rating;

// What rated_usage is made of: which records, which columns and types, and what the script defines.
public sealed partial class RatedUsageShapeTests
{
    private static readonly (string Name, string Type)[] RatingColumns =
    [
        ("time_zone", "VARCHAR"), ("currency", "VARCHAR"), ("local_start", "TIMESTAMP"), ("usage_month", "VARCHAR"), ("call_band", "VARCHAR"),
        ("rate_prefix", "VARCHAR"), ("rate_band", "VARCHAR"), ("rate_destination", "VARCHAR"), ("rate_per_minute", "DECIMAL(18,4)"),
        ("connect_fee", "DECIMAL(18,4)"), ("billable_s", "BIGINT"), ("contract_cost", "DECIMAL(18,4)"),
    ];

    [Fact]
    public void RatedUsage_Columns_AreTheUsageColumnsThenTheRatingColumns()
    {
        using var db = new RatingDatabase();

        var expected = RatingDatabase.LakeColumns(CanonicalLayouts.Usage).Append(("called_digits", "VARCHAR")).Concat(RatingColumns)
            .Select(((string Name, string Type) c) => (c.Name, c.Type == "TIMESTAMPTZ" ? "TIMESTAMP WITH TIME ZONE" : c.Type));

        Assert.Equal(expected, db.Columns("rated_usage"));
    }

    [Fact]
    public void RatedUsage_MixedUsageAndMalformedReferenceData_OneRowPerVoiceRecord()
    {
        using var db = new RatingDatabase();
        // Every entry twice (a deck pasted twice) and the account listed twice: neither may multiply a call.
        db.AddRates(Entries);
        db.AddRates(Entries);
        var account = new RatingAccount(Carrier, "A1", "Europe/London", Deck);
        db.AddAccounts([account, account with { TimeZone = "America/New_York" }]);
        var start = At("2026-05-04T10:00:00+01:00");
        string[] numbers = ["+447700900123", "+442079460123", "+4930123456", "+61291234567", "+12125550123", "+18005550100", "4"];
        var calls = numbers.SelectMany((n, i) => new[]
        {
            new RatingCall($"v{i}", Carrier, "A1", start.AddMinutes(i), i * 7, n),
            new RatingCall($"v{i}-again", Carrier, "A1", start.AddMinutes(i), i * 7, n),
            new RatingCall($"s{i}", Carrier, "A1", start.AddMinutes(i), null, n, "sms"),
            new RatingCall($"d{i}", Carrier, "A1", start.AddMinutes(i), null, null, "data"),
        }).ToList();
        db.AddCalls(calls);

        var rows = db.Rated();

        Assert.Equal(numbers.Length * 2, db.Scalar<long>("SELECT count(*) FROM rated_usage"));
        Assert.Equal(db.Scalar<long>("SELECT count(*) FROM usage WHERE usage_type = 'voice'"), rows.Count);
        Assert.Equal(calls.Where(c => c.UsageType == "voice").Select(c => c.RecordId).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.All(rows.Values, r => Assert.Equal("voice", r.UsageType));
        Assert.All(rows.Values, r => Assert.Equal("Europe/London", r.TimeZone));
        Assert.Equal(0m, rows["v0"].ContractCost);
        Assert.Equal(0.025m, rows["v1"].ContractCost); // 7 s on 44 at 30/6 and 0.05 a minute
    }

    [Fact]
    public void RatedUsage_EmptyLake_HasNoRows()
    {
        using var db = new RatingDatabase();

        Assert.Equal(0L, db.Scalar<long>("SELECT count(*) FROM rated_usage"));
    }

    [Fact]
    public void RatingScript_RunAgain_ReplacesItsObjects()
    {
        using var db = new RatingDatabase();
        db.AddRates(Entries);
        db.AddAccounts([new RatingAccount(Carrier, "A1", "Europe/London", Deck)]);
        db.AddCalls([new RatingCall("c1", Carrier, "A1", At("2026-05-04T10:00:00+01:00"), 60, "+447700900123")]);

        db.Connection.Execute(RatingDatabase.RatingScript);

        Assert.Equal(0.12m, Assert.Single(db.Rated().Values).ContractCost);
    }

    [Fact]
    public void RatingScript_DefinesOnlyRatedUsageAndRatingHelpers()
    {
        var names = CreatedObject().Matches(RatingDatabase.RatingScript).Select(m => m.Groups["name"].Value).ToList();

        Assert.Contains("rated_usage", names);
        Assert.All(names, n => Assert.True(n == "rated_usage" || n.StartsWith("rating_", StringComparison.Ordinal), n));
        Assert.DoesNotContain("CREATE TABLE", RatingDatabase.RatingScript, StringComparison.OrdinalIgnoreCase);
    }

    // The engine's own ROUND on DECIMAL, checked once: half away from zero, like Rounding.HalfAwayFromZero. rating.sql
    // rounds in integers instead (DuckDB's DECIMAL / INTEGER gives a DOUBLE), and contract_cost never passes through DOUBLE.
    [Theory]
    [InlineData("0.00005", "0.0001")]
    [InlineData("-0.00005", "-0.0001")]
    [InlineData("2.34565", "2.3457")]
    [InlineData("2.34575", "2.3458")]
    [InlineData("0.00015", "0.0002")]
    [InlineData("0.00025", "0.0003")]
    public void DuckDbRound_DecimalMidpoint_RoundsHalfAwayFromZero(string value, string expected)
    {
        using var db = new RatingDatabase();

        var rounded = db.Scalar<decimal>($"SELECT round(CAST('{value}' AS DECIMAL(18,5)), 4)");

        Assert.Equal(Money(expected), rounded);
        Assert.Equal(Rounding.HalfAwayFromZero(Money(value), 4), rounded);
    }

    [GeneratedRegex(@"CREATE\s+OR\s+REPLACE\s+(?:VIEW|MACRO|TABLE|TEMP\s+TABLE)\s+(?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreatedObject();
}
