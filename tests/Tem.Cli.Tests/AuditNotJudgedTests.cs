using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tem.Cli.Tests;

/// <summary><c>tem audit</c> says once per reseller which months <c>unbilled_resale</c> could not judge.</summary>
public sealed partial class AuditNotJudgedTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-cli-notjudged");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Audit_NoResaleFile_NoUnbilledFindingsAndOneLinePerReseller()
    {
        var inbox = _temp.Sub("inbox");
        var lake = _temp.Sub("lake");
        Assert.Equal(0, Cli.Run("sample-data", "--out", inbox, "--services", "60", "--months", "4", "--seed", "5").Code);
        var resale = Directory.GetFiles(inbox, "resale*.csv", SearchOption.AllDirectories);
        Assert.NotEmpty(resale);
        foreach (var file in resale)
        {
            File.Delete(file);
        }

        Assert.Equal(0, Cli.Run("ingest", inbox, "--lake", lake).Code);
        var (code, output, _) = Cli.Run("audit", "--lake", lake);

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^unbilled_resale\s+0 findings", output);
        var lines = NotJudgedLine().Matches(output).Select(m => m.Value).ToList();
        Assert.NotEmpty(lines);
        Assert.Equal(lines.Count, lines.Select(l => NotJudgedLine().Match(l).Groups["reseller"].Value).Distinct().Count());

        var json = JsonDocument.Parse(Cli.Run("audit", "--lake", lake, "--json").Out).RootElement;
        var rule = json.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "unbilled_resale");
        Assert.Equal(lines.Select(l => NotJudgedLine().Match(l).Groups["sentence"].Value),
            rule.GetProperty("not_judged").EnumerateArray().Select(s => s.GetString()));
    }

    [GeneratedRegex(@"(?m)^unbilled_resale\s+(?<sentence>no resale data for (?<reseller>\S+) in [0-9., -]+: [0-9]+ services? not judged)$")]
    private static partial Regex NotJudgedLine();
}
