using System.Globalization;
using Tem.Audit.Anomaly;
using Tem.SampleData;
using Xunit.Abstractions;

namespace Tem.Audit.Tests.Anomaly;

/// <summary>
/// The comparison behind usage_anomaly's choice of model (docs/spec/audit.md): the isolation forest beside ML.NET's
/// RandomizedPca on the planted toll fraud of generated sample sets, and on the labelled series of eval-anomaly. The
/// tables are written to the test output; reproduce with
/// <c>dotnet test tests/Tem.Audit.Tests --filter FullyQualifiedName~UsageModelComparisonTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class UsageModelComparisonTests(ITestOutputHelper output)
{
    /// <summary>The planted toll fraud: the generator sends no other call to +882 16 (premium) or +53 7 (Cuba).</summary>
    private const string PlantedFraud = "c.called_number LIKE '+88216%' OR c.called_number LIKE '+537%'";

    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    [InlineData(2026)]
    public void Compare_PlantedTollFraud_ForestFindsItAndPcaDoesNotBeatIt(int seed)
    {
        using var scratch = new AuditScratch(new SampleDataOptions { Seed = seed });

        var scores = UsageModelComparison.Compare(scratch.Lake, AnomalySettings.Default, PlantedFraud);

        output.WriteLine("| seed | model | calls | planted | flagged | true | precision | recall | F1 | recall in top planted |");
        foreach (var s in scores)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {seed} | {s.Model} | {s.Calls} | {s.Labelled} | {s.Flagged} | {s.TruePositives} | {s.Precision:0.000} | {s.Recall:0.000} | {s.F1:0.000} | {s.TopRecall:0.000} |"));
        }

        var forest = scores[0];
        var pca = scores[1];
        Assert.True(forest.Labelled > 0);
        Assert.Equal(forest.Labelled, forest.TruePositives);
        Assert.True(forest.F1 > pca.F1, $"forest F1 {forest.F1}, PCA F1 {pca.F1}");
    }

    [Fact]
    public void CompareOnSeries_LabelledDailySpend_ScoresBothModelsByEvents()
    {
        var series = LabeledSeries.Read(ExampleFixtureTests.FixturePath);

        var results = UsageModelComparison.CompareOnSeries(series, 8, 3, AnomalySettings.Default);

        output.WriteLine("| model (lag windows of 8) | scored | flagged | alarms | true | events found | precision | recall | F1 |");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Detector} | {r.Scored} | {r.FlaggedPoints} | {r.Alarms} | {r.TrueAlarms} | {r.Detected}/{r.Events} | {r.Precision:0.000} | {r.Recall:0.000} | {r.F1:0.000} |"));
        }

        Assert.Equal(["isolation forest", "RandomizedPca"], results.Select(r => r.Detector));
        Assert.All(results, r => Assert.Equal(series.Values.Count - 7, r.Scored));
        Assert.All(results, r => Assert.True(r.Events > 0));
    }
}
