using System.Text;
using Tem.Ingest.Formats;
using Tem.Ingest.Tests.Lake;
using static Tem.Ingest.Tests.Formats.PbxLake;

namespace Tem.Ingest.Tests.Formats;

/// <summary>
/// CUCM and FreeSWITCH CSV, like Asterisk: a text field that is not UTF-8 (a device name, a caller name, a context)
/// never rejects a leg: it is decoded with the fallback encoding, said once per file; a byte that is not UTF-8 in a
/// column Tem computes on (a time, a duration) rejects the leg as bad_encoding naming the column.
/// </summary>
public sealed class PbxTextEncodingTests
{
    private const string CucmFile = "cdr_StandAloneCluster_01_202606101400_12345";

    [Fact]
    public void Cucm_LatinOneDeviceName_StoredDecoded_BadByteInDuration_RejectedNamingIt()
    {
        using var lake = new ScratchLake();
        var named = CucmTests.Answered();
        named["origDeviceName"] = "SEP-Büro-Zürich";
        var broken = CucmTests.Answered();
        broken["globalCallID_callId"] = "101002";
        broken["pkid"] = "6a9d2b6e-1c3f-4b7e-9a52-0f4c7d2e8b12";
        broken["duration"] = "12\u00b9";
        var bytes = Encoding.Latin1.GetBytes(CucmTests.File(CucmColumns.Cdr, named, broken));

        var report = lake.Ingest(lake.Write(CucmFile, bytes));

        BadInputCorpusTests.AssertCounts(lake, report, read: 2, stored: 1, rejected: 1, table: "pbx_calls");
        Assert.Equal("SEP-Büro-Zürich", Calls(lake)[0].Channel);
        Assert.EndsWith("; 1 text field was not UTF-8; read as windows-1252", report.Message, StringComparison.Ordinal);
        var column = CucmColumns.Cdr.Select(c => c.Name).ToList().IndexOf("duration") + 1;
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((4L, column, "duration", "bad_encoding"), (reject.Line, reject.Column, reject.ColumnName, reject.Reason));
    }

    [Fact]
    public void FreeSwitchCsv_LatinOneCallerAndContext_StoredDecoded_BadByteInBillsec_RejectedNamingIt()
    {
        using var lake = new ScratchLake();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Formats", "Fixtures", "FreeSwitch", "default-template.csv"));
        Assert.StartsWith("\"Bob Example\",", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"25\",\"0\",", lines[2], StringComparison.Ordinal);
        lines[2] = lines[2].Replace("\"Bob Example\"", "\"Björn Müller\"", StringComparison.Ordinal)
            .Replace("\"default\"", "\"büro\"", StringComparison.Ordinal);
        lines[3] = lines[3].Replace("\",\"0\",\"", "\",\"0\u00b9\",\"", StringComparison.Ordinal);
        var bytes = Encoding.Latin1.GetBytes(string.Join('\n', lines) + "\n");

        var report = lake.Ingest(lake.Write("Master.csv", bytes), new IngestOptions { PbxTimeZone = "Europe/Berlin" });

        BadInputCorpusTests.AssertCounts(lake, report, read: lines.Length, stored: lines.Length - 1, rejected: 1, table: "pbx_calls");
        using (var c = lake.Query())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT context FROM pbx_calls WHERE source_line = 3";
            Assert.Equal("büro", cmd.ExecuteScalar());
        }

        // The caller's name has no column in pbx_calls, so only the context is read and decoded.
        Assert.EndsWith("; 1 text field was not UTF-8; read as windows-1252", report.Message, StringComparison.Ordinal);
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((4L, "bad_encoding"), (reject.Line, reject.Reason));
        Assert.Equal(("billsec", 9), (reject.ColumnName, reject.Column));
    }
}
