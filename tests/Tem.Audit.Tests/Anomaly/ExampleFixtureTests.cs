namespace Tem.Audit.Tests.Anomaly;

/// <summary>The labeled example series shipped for <c>tem eval-anomaly</c> is the generator's output, byte for byte.</summary>
public sealed class ExampleFixtureTests
{
    public static string FixturePath => Path.Combine(RepoRoot(), "tests", "Tem.Audit.Tests", "Anomaly", "Fixtures", "labeled-daily-spend.csv");

    [Fact]
    public void ExampleFixture_Committed_MatchesTheGenerator()
    {
        var expected = SyntheticSeries.ExampleDailySpend().ToCsv();
        if (Environment.GetEnvironmentVariable("TEM_WRITE_FIXTURE") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FixturePath)!);
            File.WriteAllText(FixturePath, expected);
        }

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

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tem.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Tem.sln not found above " + AppContext.BaseDirectory);
    }
}
