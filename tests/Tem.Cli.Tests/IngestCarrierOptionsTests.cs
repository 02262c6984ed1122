using static Tem.Cli.Tests.Cli;
namespace Tem.Cli.Tests;

/// <summary>tem ingest's options for carrier bills: --profile and the --edi-* settings.</summary>
public sealed class IngestCarrierOptionsTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-cli-carrier");



    [Fact]
    public void Ingest_TextEncoding_DecodesTextFieldsWithIt_AndSaysSoOnce()
    {
        var inbox = Directory.CreateDirectory(_temp.Sub("inbox")).FullName;
        // 0xA4 is the euro sign in ISO-8859-15 and a currency sign in windows-1252 (the default fallback).
        var text = "party_id,name,kind,parent_id\nCUS-1,Caf\u00e9 \u00a4 Bar,customer,\n";
        File.WriteAllBytes(Path.Combine(inbox, "parties.csv"), System.Text.Encoding.Latin1.GetBytes(text));
        var lake = _temp.Sub("lake");

        var (code, output, error) = Run("ingest", inbox, "--lake", lake, "--text-encoding", "iso-8859-15");

        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("parties.csv: parties: read 1 / stored 1 / rejected 0; 1 text field was not UTF-8; read as iso-8859-15", output, StringComparison.Ordinal);
        var (_, table, _) = Run("sql", "--lake", lake, "--format", "csv", "SELECT name FROM parties");
        Assert.Equal(["name", "Caf\u00e9 \u20ac Bar"], table.Trim().Split('\n').Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public void Ingest_UnknownTextEncoding_IsUsageErrorTwoNamingTheOption()
    {
        var (code, _, error) = Run("ingest", _temp.Path, "--lake", _temp.Sub("lake"), "--text-encoding", "klingon-8");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--text-encoding 'klingon-8' is not an encoding .NET knows", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_EdiChargeCodeWithoutType_IsUsageErrorTwo()
    {
        var (code, _, error) = Run("ingest", _temp.Path, "--lake", _temp.Sub("lake"), "--edi-charge-code", "BASIC=monthly");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("--edi-charge-code 'BASIC=monthly' is not CODE=TYPE", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_MalformedProfile_ExitsOneNamingTheFileAndThePath()
    {
        var profile = _temp.Sub("carrier.json");
        File.WriteAllText(profile, """{ "name": "X", "kind": "usage", "separater": ";" }""");
        var (code, _, error) = Run("ingest", _temp.Path, "--lake", _temp.Sub("lake"), "--profile", profile);
        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("carrier.json: $.separater is not a property the profile format knows", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'separator'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_ProfileFolderAndEdiCarrier_FilesAreReadWithThem()
    {
        var inbox = Directory.CreateDirectory(_temp.Sub("inbox")).FullName;
        File.Copy(Repo("profiles", "samples", "lakeshore-invoice-detail-2026-11.csv"), Path.Combine(inbox, "detail.csv"));
        File.Copy(Repo("tests", "Tem.Ingest.Tests", "Formats", "Edi", "Fixtures", "acme-004010.edi"), Path.Combine(inbox, "acme.edi"));
        var lake = _temp.Sub("lake");
        var (code, output, error) = Run("ingest", inbox, "--lake", lake, "--profile", Repo("profiles"), "--edi-carrier", "Acme");
        Assert.True(code == TemApp.Ok, error);
        Assert.Contains("acme.edi: edi811 -> charges: read 8 / stored 8 / rejected 0", output, StringComparison.Ordinal);
        Assert.Contains("detail.csv: profile -> charges: read 7 / stored 7 / rejected 0 (skipped 1 row as the profile says)", output, StringComparison.Ordinal);

        var (_, table, _) = Run("sql", "--lake", lake, "--format", "csv", "SELECT carrier, count(*) AS n, sum(amount) AS total FROM charges GROUP BY carrier ORDER BY carrier");
        Assert.Equal(["carrier,n,total", "Acme,8,226.5500", "Lakeshore Telecom,7,1123.8400"], table.Trim().Split('\n').Select(l => l.TrimEnd('\r')));
    }

    public void Dispose() => _temp.Dispose();
}
