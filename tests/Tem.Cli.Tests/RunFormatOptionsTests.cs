using static Tem.Cli.Tests.Cli;
namespace Tem.Cli.Tests;

/// <summary>tem run and tem schedule take tem ingest's format options (--profile, --pbx-*, --edi-*).</summary>
public sealed class RunFormatOptionsTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-cli-run-formats");



    private static long Scalar(string lake, string sql)
    {
        var (code, output, error) = Run("sql", "--lake", lake, "--format", "csv", sql);
        Assert.True(code == TemApp.Ok, error);
        return long.Parse(output.Trim().Split('\n')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Run_SampleDataAndProfileCsvWithProfile_BothLandInTheLake()
    {
        var inbox = Directory.CreateDirectory(_temp.Sub("inbox")).FullName;
        foreach (var file in Directory.GetFiles(Repo("sample-data"), "*.csv").Where(f => Path.GetFileName(f) != "answer_key.csv"))
        {
            File.Copy(file, Path.Combine(inbox, Path.GetFileName(file)));
        }

        var detail = Repo("profiles", "samples", "lakeshore-invoice-detail-2026-11.csv");
        File.Copy(detail, Path.Combine(inbox, "lakeshore-detail.csv"));
        var lake = _temp.Sub("lake");

        var (code, output, error) = Run("run", "--inbox", inbox, "--lake", lake, "--out", _temp.Sub("out"), "--profile", Repo("profiles"));

        Assert.True(code == TemApp.Ok, error + output);
        Assert.Contains("lakeshore-detail.csv: profile -> charges", output, StringComparison.Ordinal);

        // The sample's invoice lines (one per data row) and the profile's lines (header and the total row are not lines).
        var sampleLines = File.ReadAllLines(Repo("sample-data", "invoices.csv")).Length - 1;
        var profileLines = File.ReadAllLines(detail).Length - 2;
        Assert.Equal(profileLines, Scalar(lake, "SELECT count(*) AS n FROM charges WHERE carrier = 'Lakeshore Telecom'"));
        Assert.Equal(sampleLines, Scalar(lake, "SELECT count(*) AS n FROM charges WHERE carrier <> 'Lakeshore Telecom'"));
        Assert.Equal(File.ReadAllLines(Repo("sample-data", "usage.csv")).Length - 1, Scalar(lake, "SELECT count(*) AS n FROM usage"));
        Assert.Equal(0, Scalar(lake, "SELECT count(*) AS n FROM rejects"));
    }

    [Fact]
    public void Run_ProfileCsvWithoutProfile_IsSkippedAndNotStored()
    {
        var inbox = Directory.CreateDirectory(_temp.Sub("inbox")).FullName;
        File.Copy(Repo("profiles", "samples", "lakeshore-invoice-detail-2026-11.csv"), Path.Combine(inbox, "lakeshore-detail.csv"));
        var lake = _temp.Sub("lake");

        var (code, output, error) = Run("run", "--inbox", inbox, "--lake", lake, "--out", _temp.Sub("out"));

        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("lakeshore-detail.csv: skipped: its header", output + error, StringComparison.Ordinal);
        Assert.Equal(0, Scalar(lake, "SELECT count(*) AS n FROM charges"));
    }

    [Fact]
    public void Run_UnknownPbxTimeZone_IsUsageErrorTwoNamingTheOption()
    {
        var (code, _, error) = Run("run", "--inbox", _temp.Path, "--lake", _temp.Sub("lake"), "--pbx-time-zone", "Mars/Olympus_Mons");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("tem run: --pbx-time-zone 'Mars/Olympus_Mons' is not a time zone", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingProfile_ExitsOneAndDoesNotCreateTheLake()
    {
        var lake = _temp.Sub("lake");
        var (code, _, error) = Run("run", "--inbox", _temp.Path, "--lake", lake, "--profile", _temp.Sub("no-such-profile.json"));
        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("tem run: profile: ", error, StringComparison.Ordinal);
        Assert.Contains("no-such-profile.json", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(lake));
    }

    [Fact]
    public void Schedule_CronWithEdiChargeCode_CheckPrintsTheIngestSettings()
    {
        var (code, output, error) = Run("schedule", "--cron", "0 0 2 * * ?", "--inbox", _temp.Path, "--lake", _temp.Sub("lake"),
            "--edi-charge-code", "BASIC=recurring", "--edi-carrier", "Acme", "--check", "--json");
        Assert.True(code == TemApp.Ok, error);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var ingest = doc.RootElement.GetProperty("pipelines")[0].GetProperty("ingest");
        Assert.Equal("Acme", ingest.GetProperty("edi_carrier").GetString());
        Assert.Equal("recurring", ingest.GetProperty("edi_charge_codes").GetProperty("BASIC").GetString());
    }

    [Fact]
    public void Schedule_ConfigWithIngestOption_IsUsageErrorPointingToTheFile()
    {
        var file = _temp.Sub("schedule.json");
        File.WriteAllText(file, """{ "pipelines": [ { "name": "n", "cron": "0 0 2 * * ?", "inbox": "i", "lake": "l", "out": "o" } ] }""");
        var (code, _, error) = Run("schedule", "--config", file, "--edi-carrier", "Acme", "--check");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("\"ingest\" section", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
