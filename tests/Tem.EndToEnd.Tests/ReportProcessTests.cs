namespace Tem.EndToEnd.Tests;

/// <summary>tem report as a process: the full set with tenants, one tenant, and its usage errors.</summary>
public sealed class ReportProcessTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-e2e-report");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Report_AfterRun_WritesTheSetAndTenants_OneTenantOnRequest_BadOptionsRefused()
    {
        var inbox = _temp.Sub("inbox");
        var lake = _temp.Sub("lake");
        Assert.Equal(0, TemProcess.Run("sample-data", "--out", inbox, "--services", "40", "--months", "5", "--seed", "5").Code);
        Assert.Equal(0, TemProcess.Run("run", "--inbox", inbox, "--lake", lake, "--out", _temp.Sub("run-out")).Code);

        var output = _temp.Sub("out");
        var report = TemProcess.Run("report", "--lake", lake, "--out", output, "--fx", "EUR=1.08", "--fx", "GBP=1.27");
        Assert.True(report.Code == 0, report.Err);
        Assert.Contains("found money", report.Out, StringComparison.Ordinal);
        Assert.Contains("tenants: DIST-01, DLR-01, DLR-02", report.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("not counted", report.Err, StringComparison.Ordinal);
        foreach (var file in new[] { "report.html", "report.xlsx", "findings.csv", "proposal-NG-2026-SDWAN.html", "margin.html", Path.Combine("tenants", "DLR-01", "report.html") })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "disputes"), "*.csv"));

        var one = _temp.Sub("one");
        var tenant = TemProcess.Run("report", "--lake", lake, "--out", one, "--tenant", "DLR-02");
        Assert.True(tenant.Code == 0, tenant.Err);
        Assert.Contains("tenants: DLR-02", tenant.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(one, "tenants")));
        Assert.Contains("Summit Partner Portal", File.ReadAllText(Path.Combine(one, "report.html")), StringComparison.Ordinal);

        var unknown = TemProcess.Run("report", "--lake", lake, "--out", one, "--tenant", "NOPE");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("No party 'NOPE'", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(2, TemProcess.Run("report", "--lake", lake, "--out", one, "--fx", "EUR").Code);
        Assert.Equal(1, TemProcess.Run("report", "--lake", _temp.Sub("no-lake"), "--out", one).Code);
    }
}
