using static Tem.Cli.Tests.Cli;
using System.Globalization;
using System.Text;

namespace Tem.Cli.Tests;

public sealed class EvalAnomalyCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tem-eval-" + Guid.NewGuid().ToString("N"));

    public EvalAnomalyCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }


    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// 140 noise-free days from a Monday (weekdays 40, weekends 6): tripled weekdays at 30, 51, 72 and 100 (labeled),
    /// a labeled day 86 with an ordinary value, an unlabeled tripled day 115 and an unlabeled weekday at 0 on day 122.
    /// Without noise the seasonal baseline's band is expected ± 50 % (its spread floor, 0.1 × expected, times 5), so
    /// with direction up it finds 4 of the 5 events and raises 1 false alarm (day 115): precision = recall = F1 = 0.8.
    /// </summary>
    private string ConstructedSeries()
    {
        var text = new StringBuilder("timestamp,value,label\n");
        var monday = new DateOnly(2026, 1, 5);
        for (var i = 0; i < 140; i++)
        {
            var value = i % 7 >= 5 ? 6.0 : 40.0;
            var label = i is 30 or 51 or 72 or 100 or 86;
            value *= i is 30 or 51 or 72 or 100 or 115 ? 3 : 1;
            value = i == 122 ? 0 : value;
            text.Append(CultureInfo.InvariantCulture, $"{monday.AddDays(i):yyyy-MM-dd},{value},{(label ? 1 : 0)}\n");
        }

        return Write("constructed.csv", text.ToString());
    }

    [Fact]
    public void EvalAnomaly_ConstructedSeries_PrintsTheCountsItWasBuiltFor()
    {
        var (code, output, error) = Run("eval-anomaly", "--series", ConstructedSeries(), "--direction", "up", "--tolerance", "2");

        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("140 points, 5 labeled events (5 anomalous points); period 7 (from the spacing), tolerance 2 points, direction up", output, StringComparison.Ordinal);
        var line = output.Split('\n').Single(l => l.StartsWith("seasonal_baseline", StringComparison.Ordinal));
        var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // detector, scored, flagged, alarms, true, false, found/events, precision, recall, F1
        Assert.Equal(["seasonal_baseline", "112", "5", "5", "4", "1", "4/5", "0.800", "0.800", "0.800"], cells);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("spectral_residual", StringComparison.Ordinal));
        Assert.Contains(output.Split('\n'), l => l.StartsWith("level_shift", StringComparison.Ordinal));
        Assert.Contains(output.Split('\n'), l => l.StartsWith("any (union)", StringComparison.Ordinal));
    }

    [Fact]
    public void EvalAnomaly_DirectionBoth_CountsTheDipAsASecondFalseAlarm()
    {
        var (code, output, _) = Run("eval-anomaly", "--series", ConstructedSeries(), "--tolerance", "2");

        Assert.Equal(TemApp.Ok, code);
        var cells = output.Split('\n').Single(l => l.StartsWith("seasonal_baseline", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["6", "6", "4", "2", "4/5", "0.667", "0.800"], cells[2..9]);
    }

    [Fact]
    public void EvalAnomaly_BadRow_ExitsOneNamingFileLineAndColumn()
    {
        var path = Write("bad.csv", "timestamp,value,label\n2026-01-01,1.0,0\n2026-01-02,\"1,5\",0\n");

        var (code, _, error) = Run("eval-anomaly", "--series", path);

        Assert.Equal(TemApp.Failure, code);
        Assert.Contains($"{path}:3:2: value: '1,5' is not a number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalAnomaly_MissingFileOrBadSetting_FailsWithAMessage()
    {
        var missing = Run("eval-anomaly", "--series", Path.Combine(_folder, "none.csv"));
        Assert.Equal(TemApp.Failure, missing.Code);
        Assert.Contains("none.csv", missing.Err, StringComparison.Ordinal);

        var setting = Run("eval-anomaly", "--series", ConstructedSeries(), "--set", "spend_anomaly.sr_threshold=x");
        Assert.Equal(TemApp.UsageError, setting.Code);
        Assert.Contains("spend_anomaly.sr_threshold = 'x' is not a number", setting.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_ListRules_ShowsTheModelRulesAndTheirSettings()
    {
        var (code, output, _) = Run("audit", "--list-rules");

        Assert.Equal(TemApp.Ok, code);
        Assert.Contains("spend_anomaly              medium investigate Spend or usage far above its own history (model)", output, StringComparison.Ordinal);
        Assert.Contains("setting min_amount = 50: ", output, StringComparison.Ordinal);
        Assert.Contains("usage_anomaly              high   investigate Calls that look like toll fraud (model)", output, StringComparison.Ordinal);
        Assert.Contains("setting min_score = 0.70: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_UnknownModelSetting_IsAUsageError()
    {
        var (code, _, error) = Run("audit", "--lake", Path.Combine(_folder, "lake"), "--set", "spend_anomaly.nope=1");

        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("spend_anomaly.nope is not a setting of spend_anomaly", error, StringComparison.Ordinal);
    }
}
