using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Benchmarks;

/// <summary>
/// Real-world formats issue: an Asterisk Master.csv of N calls (18 fields, quoted, London local times) into
/// pbx_calls through the format-reader path (one thread: sniff, translate each record to canonical text, local
/// time to instant with the zone, RowWriter checks, ZSTD Parquet, catalog commit).
/// </summary>
public class PbxIngestBenchmarks
{
    /// <summary>UTF-8 bytes of one generated Master.csv line, on average.</summary>
    public const int BytesPerRow = 260;

    private string _folder = string.Empty;
    private string _master = string.Empty;
    private string _lake = string.Empty;

    /// <summary>Calls in the file.</summary>
    [Params(500_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tem-bench-pbx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _master = Path.Combine(_folder, "Master.csv");
        using var writer = new StreamWriter(_master, false, new UTF8Encoding(false));
        var start = new DateTime(2026, 4, 1, 8, 0, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < N; i++)
        {
            var t = start.AddSeconds(i * 29L);
            var talk = i % 7 == 0 ? 0 : 5 + (i % 900);
            var dst = "0207946" + (i % 10000).ToString("D4", CultureInfo.InvariantCulture);
            var answer = talk == 0 ? string.Empty : t.AddSeconds(6).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\"\",\"{2000 + (i % 300)}\",\"{dst}\",\"from-internal\",\"\"\"Desk {i % 300}\"\" <{2000 + (i % 300)}>\",\"SIP/{2000 + (i % 300)}-{i:x8}\",\"SIP/trunk-{i:x8}\",\"Dial\",\"SIP/trunk/{dst},60,tT\"," +
                $"\"{t:yyyy-MM-dd HH:mm:ss}\",\"{answer}\",\"{t.AddSeconds(6 + talk):yyyy-MM-dd HH:mm:ss}\",{6 + talk},{talk},\"{(talk == 0 ? "NO ANSWER" : "ANSWERED")}\",\"DOCUMENTATION\",\"1775030400.{i}\",\"\"\n"));
        }
    }

    [IterationSetup]
    public void NewLake() => _lake = Path.Combine(_folder, "lake-" + Guid.NewGuid().ToString("N"));

    [IterationCleanup]
    public void DropLake() => Directory.Delete(_lake, recursive: true);

    [Benchmark]
    [Throughput(18, BytesPerRow)]
    public long Tem_IngestAsterisk()
    {
        var options = new IngestOptions { PbxTimeZone = "Europe/London", PbxName = "bench" };
        var report = new Ingestor(TemLake.Open(_lake), TimeProvider.System, options).IngestFile(_master, "bench");
        return report.RowsStored == N ? report.RowsStored : throw new InvalidOperationException(report.Message);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Directory.Delete(_folder, recursive: true);
}
