using Tem.App;
using Tem.Audit;
using Tem.Core;

namespace Tem.Cli.Tests;

/// <summary>A rule in code added through <see cref="IAuditRule"/> is listed and its settings checked like the built-in ones.</summary>
public sealed class AuditRuleListTests
{
    [Fact]
    public void ListRules_AddedRule_ListedAfterTheModelsWithItsSettings()
    {
        var list = AuditOperation.ListRules(null, [new AddedRule()]);

        var rule = list.Rules[^1];
        Assert.Equal(("added_rule", Severity.Low, RecommendedAction.Investigate, "An added rule", false), (rule.Id, rule.Severity, rule.Action, rule.Title, rule.IsModel));
        Assert.Equal([("min_amount", "5")], rule.Settings.Select(s => (s.Name, s.Default)));
        Assert.Equal(["spend_anomaly", "usage_anomaly"], list.Rules.Where(r => r.IsModel).Select(r => r.Id));
    }

    [Fact]
    public void ValidateSettings_AddedRuleRejectsAValue_ThrowsItsMessage()
    {
        var bad = new Dictionary<string, string>(StringComparer.Ordinal) { ["added_rule.min_amount"] = "-1" };

        AuditOperation.ValidateSettings(bad);
        var e = Assert.Throws<ArgumentException>(() => AuditOperation.ValidateSettings(bad, [new AddedRule()]));
        Assert.Equal("added_rule.min_amount must be 0 or more.", e.Message);
    }

    private sealed class AddedRule : IAuditRule
    {
        public string Id => "added_rule";

        public string Title => "An added rule";

        public Severity Severity => Severity.Low;

        public RecommendedAction Action => RecommendedAction.Investigate;

        public MoneyKind Money => MoneyKind.Potential;

        public bool IdentityByService => false;

        public string Description => "Finds nothing.";

        public IReadOnlyList<RuleSetting> Settings { get; } = [new("min_amount", "5", "Smallest amount.")];

        public string? NotJudged => null;

        public string Source => "test";

        public string DefinedIn => "a test";

        public bool IsModel => false;

        public bool MergesSameId => true;

        public SharedSetup? Setup => null;

        public void CheckSettings(IReadOnlyDictionary<string, string> settings)
        {
            if (settings.TryGetValue("added_rule.min_amount", out var v) && v.StartsWith('-'))
            {
                throw new ArgumentException("added_rule.min_amount must be 0 or more.");
            }
        }

        public IReadOnlyList<RuleRow> Find(AuditContext context) => [];

        public IReadOnlyList<string> NotJudgedIn(AuditContext context) => [];
    }
}
