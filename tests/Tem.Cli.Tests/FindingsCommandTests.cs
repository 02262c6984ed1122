using System.Text.RegularExpressions;
using System.Globalization;
using System.Text.Json;
using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary><c>tem findings</c> as a person reads it: a header, filters, amounts in the currency's minor units.</summary>
public sealed class FindingsCommandTests(JsonLakeFixture lake) : IClassFixture<JsonLakeFixture>
{
    private List<JsonElement> All() =>
        [.. JsonDocument.Parse(Run("findings", "--lake", lake.Lake, "--json").Out).RootElement.GetProperty("findings").EnumerateArray()];

    private string[] Table(params string[] filters)
    {
        var (code, output, error) = Run(["findings", "--lake", lake.Lake, .. filters]);
        Assert.True(code == TemApp.Ok, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static decimal Found(JsonElement f) => f.GetProperty("one_time_amount").GetDecimal() + (12 * f.GetProperty("monthly_savings").GetDecimal());

    [Fact]
    public void Findings_Table_HasAHeaderAndOneRowPerFindingWithMinorUnitAmounts()
    {
        var all = All();
        Assert.NotEmpty(all);

        var lines = Table();

        Assert.Matches(@"^ID\s+STATUS\s+MONEY\s+RULE\s+CARRIER\s+ACCOUNT\s+SERVICE\s+PERIOD\s+ONE-TIME\s+MONTHLY\s+FOUND\s+CUR$", lines[0]);
        Assert.Equal($"({all.Count} findings)", lines[^1]);
        Assert.Equal(all.Count, lines.Length - 2);
        foreach (var f in all)
        {
            var row = Assert.Single(lines, l => l.StartsWith(f.GetProperty("finding_id").GetString()![..12], StringComparison.Ordinal));
            // USD, EUR and GBP have two minor digits: the stored 4-decimal amount is shown rounded to cents.
            var oneTime = Math.Round(f.GetProperty("one_time_amount").GetDecimal(), 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
            var found = Math.Round(Found(f), 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
            Assert.Matches($@"\s{Regex.Escape(oneTime)}\s+\S+\s+{Regex.Escape(found)}\s+{f.GetProperty("currency").GetString()}$", row);
            Assert.DoesNotMatch(@"\d\.\d{3}", row);
        }
    }

    [Fact]
    public void Findings_Filters_ListOnlyTheMatchingFindingsAndCountThem()
    {
        var all = All();
        // The filters of one open finding: it is listed, with whatever else matches all four.
        var target = all.First(f => f.GetProperty("status").GetString() == "open" && Found(f) > 0);
        var rule = target.GetProperty("rule").GetString()!;
        var carrier = target.GetProperty("carrier").GetString()!;
        var threshold = Found(target);
        var expected = all.Count(f => f.GetProperty("rule").GetString() == rule && f.GetProperty("carrier").GetString() == carrier
                                      && f.GetProperty("status").GetString() == "open" && Found(f) >= threshold);

        var lines = Table("--rule", rule, "--carrier", carrier.ToUpperInvariant(), "--status", "open", "--min-amount", threshold.ToString(CultureInfo.InvariantCulture));

        Assert.InRange(expected, 1, all.Count - 1);
        Assert.Equal($"({expected} of {all.Count} findings)", lines[^1]);
        var rows = lines.Skip(1).SkipLast(1).ToList();
        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.Matches($@"\sopen\s.*\s{Regex.Escape(rule)}\s+{Regex.Escape(carrier)}\s", r));
    }

    [Fact]
    public void Findings_SeveralRulesCommaSeparatedOrRepeated_ListTheUnion()
    {
        var all = All();
        var rules = all.Select(f => f.GetProperty("rule").GetString()!).Distinct().Take(2).ToList();
        var expected = all.Count(f => rules.Contains(f.GetProperty("rule").GetString()!));

        Assert.Equal($"({expected} of {all.Count} findings)", Table("--rule", string.Join(',', rules))[^1]);
        Assert.Equal($"({expected} of {all.Count} findings)", Table("--rule", rules[0], "--rule", rules[1])[^1]);
    }

    [Fact]
    public void Findings_UnknownStatus_IsAUsageErrorNamingTheChoices()
    {
        var (code, _, error) = Run("findings", "--lake", lake.Lake, "--status", "nope");

        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--status nope: expected one of open, submitted", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_MinAmountUnderAGermanCulture_IsReadWithADecimalPoint()
    {
        var all = All();
        var threshold = all.Select(Found).Where(a => a > 1).Order().First() - 0.5m; // a fraction: misread as ten times more under de-DE
        var expected = all.Count(f => Math.Round(Found(f), 2, MidpointRounding.AwayFromZero) >= threshold);
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var lines = Table("--min-amount", threshold.ToString(CultureInfo.InvariantCulture));

            Assert.Equal($"({expected} of {all.Count} findings)", lines[^1]);
            Assert.Equal("de-DE", CultureInfo.CurrentCulture.Name); // the caller's culture is given back
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Findings_UnknownRule_IsAUsageErrorListingTheRules()
    {
        var (code, _, error) = Run("findings", "--lake", lake.Lake, "--rule", "rate_overcharg");

        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--rule rate_overcharg: no such rule; the rules are ", error, StringComparison.Ordinal);
        Assert.Contains("rate_overcharge", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_CarrierWithoutFindings_SaysSoAndListsThoseWithFindings()
    {
        var carrier = All()[0].GetProperty("carrier").GetString()!;

        var (code, output, error) = Run("findings", "--lake", lake.Lake, "--carrier", "Nobody");

        Assert.Equal(TemApp.Ok, code);
        Assert.Contains($"(0 of {All().Count} findings)", output, StringComparison.Ordinal);
        Assert.Contains("no finding has carrier 'Nobody'; carriers with findings: ", error, StringComparison.Ordinal);
        Assert.Contains(carrier, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_MinAmountNotANumber_SaysSoWithoutATypeName()
    {
        var (code, _, error) = Run("findings", "--lake", lake.Lake, "--min-amount", "abc");

        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--min-amount: 'abc' is not an amount (e.g. 20 or 12.50)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_ByChance_ListsTheOpenFindingsWithAChanceEach_AndSaysWhatItRanksBy()
    {
        var open = All().Where(f => f.GetProperty("status").GetString() == "open").ToList();
        Assert.NotEmpty(open);

        var (code, output, error) = Run("findings", "--lake", lake.Lake, "--by-chance", "--json");

        Assert.True(code == TemApp.Ok, error);
        var doc = JsonDocument.Parse(output).RootElement;
        var ranked = doc.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(open.Select(f => f.GetProperty("finding_id").GetString()).Order(StringComparer.Ordinal), ranked.Select(f => f.GetProperty("finding_id").GetString()).Order(StringComparer.Ordinal));
        var chances = ranked.Select(f => f.GetProperty("credit_chance").GetDecimal()).ToList();
        Assert.All(chances, c => Assert.InRange(c, 0m, 1m));
        Assert.Equal(chances.OrderDescending(), chances);
        Assert.All(ranked, f => Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("credit_reasons").GetString())));
        Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty("credit_ranking").GetString()));
    }

    [Fact]
    public void Findings_ByChanceWithAnotherStatus_IsAUsageErrorNotAnEmptyList()
    {
        var (code, output, error) = Run("findings", "--lake", lake.Lake, "--by-chance", "--status", "credited");

        Assert.Equal(TemApp.UsageError, code);
        Assert.Empty(output);
        Assert.Contains("--by-chance ranks the open findings only; --status credited lists none of them", error, StringComparison.Ordinal);
    }
}
