namespace Tem.Audit.Tests.Anomaly;

/// <summary>The labeled example series shipped for <c>tem eval-anomaly</c> is the generator's output, byte for byte.</summary>
public sealed class ExampleFixtureTests
{
    public static string FixturePath => RepoPaths.Combine("tests", "Tem.Audit.Tests", "Anomaly", "Fixtures", "labeled-daily-spend.csv");

    [Fact]
    public void ExampleFixture_Committed_MatchesTheGenerator()
    {
        // Committed; a stale copy fails here (regenerate with scripts/regen-fixtures.sh).
        var expected = SyntheticSeries.ExampleDailySpend().ToCsv();
        Assert.Equal(expected, File.ReadAllText(FixturePath));
    }

    [Fact]
    public void ExampleSeries_HasSevenEventsAndUnlabeledHolidays()
    {
        var example = SyntheticSeries.ExampleDailySpend();
        var events = 0;
        for (var i = 0; i < example.Labels.Length; i++)
        {
            events += example.Labels[i] && (i == 0 || !example.Labels[i - 1]) ? 1 : 0;
        }

        Assert.Equal(7, events);
        Assert.All(SyntheticSeries.Holidays2026, h => Assert.False(example.Labels[h.DayNumber - example.Start.DayNumber]));
    }
}
