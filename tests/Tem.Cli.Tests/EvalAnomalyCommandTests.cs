using static Tem.Cli.Tests.Cli;
using System.Globalization;
using System.Text;

namespace Tem.Cli.Tests;

public sealed class EvalAnomalyCommandTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-eval");

    public void Dispose() => _temp.Dispose();


    private string Write(string name, string text)
    {
        var path = _temp.Sub(name);
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
        var (code, output, error) = Run("eval-anomaly", "--series", ConstructedSeries(), "--direction", "up", "--tolerance", "2", "--calibrate", "0", "--top-share", "0");

        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("140 points, 5 labeled events (5 anomalous points); period 7 (weekly, from 1-day spacing; autocorrelation ", output, StringComparison.Ordinal);
        Assert.Contains("), tolerance 2 points, direction up", output, StringComparison.Ordinal);
        Assert.Contains("thresholds: the detectors' own (no calibration)", output, StringComparison.Ordinal);
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
        var (code, output, _) = Run("eval-anomaly", "--series", ConstructedSeries(), "--tolerance", "2", "--calibrate", "0", "--top-share", "0");

        Assert.Equal(TemApp.Ok, code);
        var cells = output.Split('\n').Single(l => l.StartsWith("seasonal_baseline", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["6", "6", "4", "2", "4/5", "0.667", "0.800"], cells[2..9]);
    }

    [Fact]
    public void EvalAnomaly_DefaultCalibration_DropsTheDipThatIsNotInTheTopTwoPercent()
    {
        // Noise-free: the usual |z| is 0, so median + 5 sigma passes every event; the dip (|z| 10) is below the tripled
        // days' |z| (20) already seen, so it is not in the detector's top 2 % and is no longer flagged.
        var (code, output, _) = Run("eval-anomaly", "--series", ConstructedSeries(), "--tolerance", "2");

        Assert.Equal(TemApp.Ok, code);
        Assert.Contains("a flag must exceed median + 5 robust standard deviations of the detector's earlier scores and be in their top 2 %", output, StringComparison.Ordinal);
        var cells = output.Split('\n').Single(l => l.StartsWith("seasonal_baseline", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["5", "5", "4", "1", "4/5"], cells[2..7]);
    }

    [Fact]
    public void EvalAnomaly_RepeatedTimestamps_AreAggregatedAndReported()
    {
        var text = new StringBuilder("timestamp,value,label\n");
        var start = new DateTime(2026, 10, 20, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 96; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(30 * i):yyyy-MM-dd HH:mm:ss},{10 + (i % 5)},0\n");
            if (i is 40 or 41)
            {
                text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(30 * i):yyyy-MM-dd HH:mm:ss},100,{(i == 41 ? 1 : 0)}\n");
            }
        }

        var (code, output, error) = Run("eval-anomaly", "--series", Write("dup.csv", text.ToString()), "--duplicates", "max");

        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("dup.csv: 96 points, 1 labeled events (1 anomalous points); period 1 (no cycle: autocorrelation ", output, StringComparison.Ordinal);
        Assert.Contains("read: 2 repeated timestamps aggregated by max (2 rows merged)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalAnomaly_SeriesAndNab_OneOfThemIsRequired()
    {
        Assert.Equal(TemApp.UsageError, Run("eval-anomaly").Code);
        Assert.Equal(TemApp.UsageError, Run("eval-anomaly", "--series", ConstructedSeries(), "--nab", _temp.Path).Code);
    }

    /// <summary>
    /// A folder in the Numenta Anomaly Benchmark's layout (data/GROUP/*.csv with timestamp,value; labels/combined_windows.json),
    /// written here: two 30-minute series with a daily cycle, one with a spike inside its window, one with no window.
    /// </summary>
    private string NabFolder()
    {
        var root = _temp.Sub("nab");
        Directory.CreateDirectory(Path.Combine(root, "data", "grp"));
        Directory.CreateDirectory(Path.Combine(root, "labels"));
        var start = new DateTime(2014, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var name in new[] { "spike.csv", "quiet.csv" })
        {
            var rng = new Random(name.Length);
            var text = new StringBuilder("timestamp,value\n");
            for (var i = 0; i < 48 * 20; i++)
            {
                var value = 50 + (10 * Math.Sin(2 * Math.PI * i / 48)) + rng.NextDouble() + (name == "spike.csv" && i == 700 ? 80 : 0);
                text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(30 * i):yyyy-MM-dd HH:mm:ss},{value:0.000}\n");
            }

            File.WriteAllText(Path.Combine(root, "data", "grp", name), text.ToString());
        }

        File.WriteAllText(Path.Combine(root, "labels", "combined_windows.json"),
            "{\"grp/spike.csv\": [[\"2014-04-15 12:00:00.000000\", \"2014-04-15 16:00:00.000000\"]], \"grp/quiet.csv\": []}");
        return root;
    }

    [Fact]
    public void EvalAnomaly_Nab_PrintsEachSeriesAndTheMeans()
    {
        var (code, output, error) = Run("eval-anomaly", "--nab", NabFolder(), "--group", "grp");

        Assert.True(code == TemApp.Ok, error);
        var spike = output.Split('\n').Single(l => l.StartsWith("grp/spike.csv", StringComparison.Ordinal));
        var cells = spike.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["grp/spike.csv", "960", "48", "daily"], cells[..4]);
        Assert.Equal("1.000/1.000/1.000", cells[5]); // the seasonal baseline at its defaults: the spike (14 days 14 hours in), nothing else
        Assert.Contains(output.Split('\n'), l => l.StartsWith("grp/quiet.csv", StringComparison.Ordinal));
        Assert.Contains("means over the 1 series with windows; F1 at the defaults: seasonal_baseline 1.000", output, StringComparison.Ordinal);
        Assert.Contains("mean best F1 (detector, threshold, k and share chosen per series, on the labels: an upper bound): 1.000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalAnomaly_SeriesWithNabWindows_LabelsFromTheEntryEndingItsPath()
    {
        var root = NabFolder();

        var (code, output, error) = Run("eval-anomaly", "--series", Path.Combine(root, "data", "grp", "spike.csv"), "--windows", Path.Combine(root, "labels", "combined_windows.json"));

        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("spike.csv: 960 points, 1 labeled events (9 anomalous points); period 48 (daily, from 30-minute spacing; autocorrelation", output, StringComparison.Ordinal);
        Assert.Contains("tolerance 0 points", output, StringComparison.Ordinal);
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
        var missing = Run("eval-anomaly", "--series", _temp.Sub("none.csv"));
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
        var (code, _, error) = Run("audit", "--lake", _temp.Sub("lake"), "--set", "spend_anomaly.nope=1");

        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("spend_anomaly.nope is not a setting of spend_anomaly", error, StringComparison.Ordinal);
    }
}
