using static Tem.Cli.Tests.Cli;
namespace Tem.Cli.Tests;

/// <summary>tem ingest's options for carrier bills: --profile and the --edi-* settings.</summary>
public sealed class IngestCarrierOptionsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tem-cli-carrier-" + Guid.NewGuid().ToString("N"));

    public IngestCarrierOptionsTests() => Directory.CreateDirectory(_folder);



    [Fact]
    public void Ingest_EdiChargeCodeWithoutType_IsUsageErrorTwo()
    {
        var (code, _, error) = Run("ingest", _folder, "--lake", Path.Combine(_folder, "lake"), "--edi-charge-code", "BASIC=monthly");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--edi-charge-code 'BASIC=monthly' is not CODE=TYPE", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_MalformedProfile_ExitsOneNamingTheFileAndThePath()
    {
        var profile = Path.Combine(_folder, "carrier.json");
        File.WriteAllText(profile, """{ "name": "X", "kind": "usage", "separater": ";" }""");
        var (code, _, error) = Run("ingest", _folder, "--lake", Path.Combine(_folder, "lake"), "--profile", profile);
        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("carrier.json: $.separater is not a property the profile format knows", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'separator'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_ProfileFolderAndEdiCarrier_FilesAreReadWithThem()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_folder, "inbox")).FullName;
        File.Copy(Repo("profiles", "samples", "lakeshore-invoice-detail-2026-11.csv"), Path.Combine(inbox, "detail.csv"));
        File.Copy(Repo("tests", "Tem.Ingest.Tests", "Formats", "Edi", "Fixtures", "acme-004010.edi"), Path.Combine(inbox, "acme.edi"));
        var lake = Path.Combine(_folder, "lake");
        var (code, output, error) = Run("ingest", inbox, "--lake", lake, "--profile", Repo("profiles"), "--edi-carrier", "Acme");
        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("acme.edi: edi811 -> charges: read 8 / stored 8 / rejected 0", output, StringComparison.Ordinal);
        Assert.Contains("detail.csv: profile -> charges: read 7 / stored 7 / rejected 0 (skipped 1 row as the profile says)", output, StringComparison.Ordinal);

        var (_, table, _) = Run("sql", "--lake", lake, "--format", "csv", "SELECT carrier, count(*) AS n, sum(amount) AS total FROM charges GROUP BY carrier ORDER BY carrier");
        Assert.Equal(["carrier,n,total", "Acme,8,226.5500", "Lakeshore Telecom,7,1123.8400"], table.Trim().Split('\n').Select(l => l.TrimEnd('\r')));
    }

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
}
