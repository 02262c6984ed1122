using Tem.Audit.Anomaly;

namespace Tem.Audit.Tests.Anomaly;

public sealed class AnomalySettingsTests
{
    [Fact]
    public void Default_DailyDetectorsAndForest_AreTheDetectorsOwnDefaults()
    {
        var d = AnomalySettings.Default;

        // tem eval-anomaly runs the detectors "at their default settings": the audit's and the classes' must agree.
        Assert.Equal(new SeasonalBaselineOptions(), d.Daily);
        Assert.Equal(new SpectralResidualOptions(), d.SpectralResidual);
        Assert.Equal(new LevelShiftOptions(), d.DailyShift);
        Assert.Equal(new IsolationForestOptions(), d.Forest);
        Assert.Equal(50m, d.MinAmount);
    }

    [Fact]
    public void Rules_ListBothModelsWithDocumentedNumericDefaults()
    {
        Assert.Equal(["spend_anomaly", "usage_anomaly"], AnomalySettings.Rules.Select(r => r.Id));
        Assert.All(AnomalySettings.Rules.SelectMany(r => r.Settings), s =>
        {
            Assert.NotEmpty(s.Description);
            Assert.True(decimal.TryParse(s.Default, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _), s.Name);
        });
    }

    [Fact]
    public void Resolve_Overrides_ApplyAndOtherRulesKeysAreIgnored()
    {
        var s = AnomalySettings.Resolve(new Dictionary<string, string>
        {
            ["spend_anomaly.daily_threshold"] = "3.5",
            ["spend_anomaly.min_amount"] = "10.25",
            ["usage_anomaly.seed"] = "7",
            ["rate_overcharge.min_amount"] = "99",
        });

        Assert.Equal(3.5, s.Daily.Threshold);
        Assert.Equal(10.25m, s.MinAmount);
        Assert.Equal(7UL, s.Forest.Seed);
    }

    [Theory]
    [InlineData("spend_anomaly.nope", "1", "spend_anomaly.nope is not a setting of spend_anomaly; its settings are min_amount")]
    [InlineData("usage_anomaly.trees", "1.5", "Setting usage_anomaly.trees = 1.5 is out of range: expected a whole number")]
    [InlineData("usage_anomaly.min_score", "abc", "Setting usage_anomaly.min_score = 'abc' is not a number")]
    [InlineData("spend_anomaly.sr_averaging", "4", "The anomaly settings do not fit together: Averaging = 4")]
    public void Resolve_BadOverride_SaysWhichAndWhy(string key, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => AnomalySettings.Resolve(new Dictionary<string, string> { [key] = value }));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
