using System.Globalization;
using Tem.Audit.Outcomes;
using Tem.Core;
using Tem.Lake;

namespace Tem.Audit.Tests.Outcomes;

/// <summary>Learning from outcomes: FastTree on credited and rejected findings ranks the open ones.</summary>
public sealed class CreditChanceModelTests : IDisposable
{
    private readonly TempFolder _folder = new("tem-credit-chance");

    private readonly string _lake;

    public CreditChanceModelTests() => _lake = _folder.Path;

    public void Dispose() => _folder.Dispose();

    private static StoredFinding Stored(int n, string carrier, FindingStatus status, string rule = "rate_overcharge", decimal amount = 100m)
    {
        var account = "ACC-" + n.ToString(CultureInfo.InvariantCulture);
        var period = new BillingMonth(2026, 1 + (n % 6));
        var finding = new Finding
        {
            FindingId = FindingId.Create(rule, account, null, period),
            Rule = rule,
            Severity = Severity.High,
            Carrier = carrier,
            AccountId = account,
            Period = period,
            OneTimeAmount = amount + n,
            MonthlySavings = 0m,
            Currency = CurrencyCode.Parse("USD"),
            Confidence = 0.9m,
            Title = "t",
            Detail = "d",
            Evidence = "e",
            RecommendedAction = RecommendedAction.Dispute,
        };
        return new StoredFinding(finding, status, null, "run-1", "run-1");
    }

    /// <summary>North always credits, South always rejects; amounts and months vary alike for both; two open findings of each.</summary>
    private static List<StoredFinding> History(int outcomesPerCarrier)
    {
        var list = new List<StoredFinding>();
        for (var i = 0; i < outcomesPerCarrier; i++)
        {
            list.Add(Stored(i, "North", FindingStatus.Credited));
            list.Add(Stored(100 + i, "South", FindingStatus.Rejected));
        }

        list.Add(Stored(1000, "South", FindingStatus.Open));
        list.Add(Stored(1001, "North", FindingStatus.Open));
        list.Add(Stored(1002, "South", FindingStatus.Open));
        list.Add(Stored(1003, "North", FindingStatus.Open));
        return list;
    }

    [Fact]
    public void Rank_OneCarrierAlwaysCredits_RanksItsOpenFindingsFirstWithTheCarrierAsReason()
    {
        var history = History(15);
        var path = CreditChanceModel.PathFor(_lake, "audit-20261015T020000000Z");

        Assert.True(CreditChanceModel.Train(history, path));
        var ranking = CreditChanceModel.Rank(history, path);

        var carriers = ranking.Chances.Select(c => history.Single(h => h.Finding.FindingId == c.FindingId).Finding.Carrier).ToList();
        Assert.Equal(["North", "North", "South", "South"], carriers);
        Assert.True(ranking.Chances[1].Chance > ranking.Chances[2].Chance);
        Assert.All(ranking.Chances, c => Assert.Contains("carrier.", c.Reasons, StringComparison.Ordinal));
        Assert.Equal(Path.GetFileName(path), ranking.Model);
    }

    [Fact]
    public void Train_BelowTheMinimum_WritesNoModelAndRankSaysItUsesPriors()
    {
        var history = History(5);
        var path = CreditChanceModel.PathFor(_lake, "audit-20261015T020000000Z");

        Assert.False(CreditChanceModel.Train(history, path));
        var ranking = CreditChanceModel.Rank(history, CreditChanceModel.Latest(_lake));

        Assert.False(File.Exists(path));
        Assert.Null(ranking.Model);
        Assert.StartsWith("ranked by rule priors: 5 credited and 5 rejected outcomes", ranking.Basis, StringComparison.Ordinal);
        Assert.All(ranking.Chances, c => Assert.Equal(0.8, c.Chance));
        Assert.All(ranking.Chances, c => Assert.Equal("rule prior: severity high", c.Reasons));
    }

    [Fact]
    public void Prior_InvestigateFinding_IsHalfItsSeverityPrior()
    {
        var dispute = Stored(1, "North", FindingStatus.Open).Finding;
        var investigate = dispute with { RecommendedAction = RecommendedAction.Investigate, Severity = Severity.Medium };

        Assert.Equal(0.8, CreditChanceModel.Prior(dispute));
        Assert.Equal(0.3, CreditChanceModel.Prior(investigate), 10);
    }

    [Fact]
    public void Rank_SameModelFileTwice_GivesTheSameRanking()
    {
        var history = History(15);
        var path = CreditChanceModel.PathFor(_lake, "audit-20261015T020000000Z");
        CreditChanceModel.Train(history, path);

        var first = CreditChanceModel.Rank(history, path);
        var second = CreditChanceModel.Rank(history, path);

        Assert.Equal(first.Chances, second.Chances);
    }

    [Fact]
    public void Latest_ModelPerTrainingRun_IsTheNewestRunsFile()
    {
        var history = History(15);
        var older = CreditChanceModel.PathFor(_lake, "pipeline-20261015T020000000Z");
        var newer = CreditChanceModel.PathFor(_lake, "audit-20261016T020000000Z");

        CreditChanceModel.Train(history, older);
        CreditChanceModel.Train(history, newer);

        Assert.True(File.Exists(older));
        Assert.True(File.Exists(newer));
        Assert.Equal(newer, CreditChanceModel.Latest(_lake));
        Assert.Equal(Path.Combine(_lake, "_tem", "models"), Path.GetDirectoryName(newer));
    }
}
