namespace Tem.EndToEnd.Tests;

/// <summary>tem run (ingest + audit + findings.csv), tem audit and tem findings as processes.</summary>
public sealed class AuditProcessTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-e2e-audit");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Run_OnGeneratedInbox_WritesFindingsCsvWithEveryPlantedRule_StatusSurvivesTheNextRun()
    {
        var inbox = _temp.Sub("inbox");
        var lake = _temp.Sub("lake");
        var output = _temp.Sub("out");
        Assert.Equal(0, TemProcess.Run("sample-data", "--out", inbox, "--services", "40", "--months", "5", "--seed", "11").Code);

        var run = TemProcess.Run("run", "--inbox", inbox, "--lake", lake, "--out", output);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("found money", run.Out, StringComparison.Ordinal);
        var csv = File.ReadAllLines(Path.Combine(output, "findings.csv"));
        Assert.StartsWith("finding_id,rule,severity,carrier,account_id,service_id,customer_id,bill_to_id,reseller_id,period,one_time_amount,monthly_savings,currency", csv[0], StringComparison.Ordinal);
        var planted = File.ReadLines(Path.Combine(inbox, "answer_key.csv")).Skip(1).Select(l => l.Split(',')[0])
            .Where(r => r is not ("spend_anomaly" or "usage_anomaly")).ToHashSet();
        var found = csv.Skip(1).Select(l => l.Split(',')[1]).ToHashSet();
        Assert.Subset(found, planted);

        var id = csv[1].Split(',')[0];
        Assert.Equal(0, TemProcess.Run("findings", "set-status", id[..12], "disputed", "--note", "ticket 4411", "--lake", lake).Code);
        var again = TemProcess.Run("run", "--inbox", inbox, "--lake", lake, "--out", output);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("already ingested", again.Out, StringComparison.Ordinal);
        var line = File.ReadLines(Path.Combine(output, "findings.csv")).Single(l => l.StartsWith(id, StringComparison.Ordinal));
        // 'disputed' is recorded as the lifecycle's 'submitted', dated, with the finding's one-time amount claimed.
        Assert.Contains(",submitted,ticket 4411,", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_ListRules_PrintsEveryRuleWithSettings()
    {
        var list = TemProcess.Run("audit", "--list-rules");
        Assert.Equal(0, list.Code);
        Assert.Contains("rate_overcharge", list.Out, StringComparison.Ordinal);
        Assert.Contains("setting min_amount = 0.01", list.Out, StringComparison.Ordinal);
        Assert.Equal(2, TemProcess.Run("audit", "--set", "nonsense").Code);
    }
}
