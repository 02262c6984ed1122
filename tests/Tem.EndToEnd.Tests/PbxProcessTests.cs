namespace Tem.EndToEnd.Tests;

/// <summary><c>tem ingest</c> of PBX call records with their options, as a process.</summary>
public sealed class PbxProcessTests : IDisposable
{
    private const string Master =
        "\"\",\"2001\",\"02079460000\",\"from-internal\",\"\"\"Smith, John\"\" <2001>\",\"SIP/2001-01\",\"SIP/trunk-02\",\"Dial\",\"SIP/trunk/02079460000,60\"," +
        "\"2026-06-10 14:22:05\",\"2026-06-10 14:22:11\",\"2026-06-10 14:24:16\",131,125,\"ANSWERED\",\"DOCUMENTATION\",\"1781097725.1\",\"\"\n";

    private readonly TempFolder _temp = new("tem-e2e-pbx");

    public void Dispose() => _temp.Dispose();

    private string Write(string text)
    {
        var path = _temp.Sub("Master.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Ingest_AsteriskWithZone_StoresTheCallAsAnInstant()
    {
        var lake = _temp.Sub("lake");
        var result = TemProcess.Run("ingest", Write(Master), "--lake", lake, "--pbx-time-zone", "Europe/London", "--pbx-name", "hq");
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("Master.csv: asterisk -> pbx_calls: read 1 / stored 1 / rejected 0", result.Out, StringComparison.Ordinal);

        var query = TemProcess.Run("sql", "--lake", lake, "--format", "csv",
            "SELECT pbx, strftime(start_time AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') AS utc, billsec_s, called_digits FROM pbx_calls");
        Assert.Equal("pbx,utc,billsec_s,called_digits\nhq,2026-06-10 13:22:05,125,02079460000\n", query.Out.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Ingest_AsteriskWithoutZone_ExitsOneWithTheHint()
    {
        var result = TemProcess.Run("ingest", Write(Master), "--lake", _temp.Sub("lake"));
        Assert.Equal(1, result.Code);
        Assert.Contains("--pbx-time-zone", result.Err, StringComparison.Ordinal);
        Assert.Contains("all 1 rows rejected", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_UnknownZoneOption_IsAUsageError()
    {
        var result = TemProcess.Run("ingest", Write(Master), "--lake", _temp.Sub("lake"), "--pbx-time-zone", "Mars/Olympus");
        Assert.Equal(2, result.Code);
        Assert.Contains("--pbx-time-zone 'Mars/Olympus' is not a time zone", result.Err, StringComparison.Ordinal);
    }
}
