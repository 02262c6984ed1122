using DuckDB.NET.Data;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Tem.DuckDb;
using Tem.Ingest.Formats.Edi;
using Tem.Ingest.Formats.Profiles;

namespace Tem.Benchmarks;

/// <summary>
/// Real-world formats issue: the EDI 811 reader and a carrier profile reader translating N invoice lines / call rows
/// from memory, next to DuckDB's <c>read_csv</c> splitting the same bytes (EDI: segments on <c>~</c> into fields on
/// <c>*</c>; profile CSV: the same <c>;</c>, decimal comma and Windows-1252 file). One operation = N lines or rows;
/// the readers' records are counted, not stored (storing is the ingest benchmark's business).
/// </summary>
public class CarrierFormatBenchmarks
{
    /// <summary>Bytes of the generated 811 per invoice line (measured by the setup, which fails if it changes).</summary>
    public const int EdiBytesPerLine = 50;

    /// <summary>Bytes of the generated itemised-calls CSV per row (measured by the setup, which fails if it changes).</summary>
    public const int CsvBytesPerRow = 102;

    private const string EdiCategory = "EDI 811";
    private const string ProfileCategory = "Carrier profile";

    private byte[] _edi = [];
    private byte[] _csv = [];
    private string _folder = string.Empty;
    private string _ediPath = string.Empty;
    private string _csvPath = string.Empty;
    private CarrierProfile _profile = null!;
    private DuckDBConnection _db = null!;

    /// <summary>Invoice lines (EDI) or call rows (CSV) per operation.</summary>
    [Params(200_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tem-bench-formats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _edi = Edi(N);
        _csv = Csv(N);
        _ediPath = Path.Combine(_folder, "bench.edi");
        _csvPath = Path.Combine(_folder, "bench.csv");
        File.WriteAllBytes(_ediPath, _edi);
        File.WriteAllBytes(_csvPath, _csv);
        _profile = CarrierProfile.Parse(Encoding.UTF8.GetBytes(Profile), "bench.json");
        _db = new DuckDBConnection("DataSource=:memory:");
        _db.Open();

        Check(EdiBytesPerLine, _edi.Length, "EDI");
        Check(CsvBytesPerRow, _csv.Length, "CSV");
        if (Edi811_Reader() != N || CarrierProfile_Reader() != N)
        {
            throw new InvalidOperationException("The readers did not translate every generated line without a problem.");
        }
    }

    private void Check(int expected, int bytes, string what)
    {
        var perRow = (int)Math.Round((double)bytes / N);
        if (perRow != expected)
        {
            throw new InvalidOperationException($"{what}: {perRow} bytes per row; update the constant used by [Throughput].");
        }
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    [BenchmarkCategory(EdiCategory)]
    [Throughput(14, EdiBytesPerLine)]
    public long Edi811_Reader()
    {
        using var reader = new Edi811Reader(new MemoryStream(_edi));
        long n = 0;
        while (reader.Read(out var reject))
        {
            n += reject is null ? 1 : 0;
        }

        return reader.Problem is null ? n : -1;
    }

    [Benchmark]
    [BenchmarkCategory(EdiCategory)]
    [Throughput(14, EdiBytesPerLine)]
    public long X12_Tokenizer()
    {
        using var reader = new X12SegmentReader(new MemoryStream(_edi));
        long n = 0;
        while (reader.Read())
        {
            n += reader.ElementCount;
        }

        return n;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(EdiCategory)]
    [Throughput(14, EdiBytesPerLine)]
    public long DuckDbBaseline_SplitEdi()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM read_csv('{_ediPath}', delim = '*', quote = '', escape = '', header = false, null_padding = true, all_varchar = true, new_line = '\\n')";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [Benchmark]
    [BenchmarkCategory(ProfileCategory)]
    [Throughput(11, CsvBytesPerRow)]
    public long CarrierProfile_Reader()
    {
        using var reader = new ProfileReader(new MemoryStream(_csv), _profile);
        long n = 0;
        while (reader.Read(out var reject))
        {
            n += reject is null ? 1 : 0;
        }

        return reader.Problem is null ? n : -1;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ProfileCategory)]
    [Throughput(11, CsvBytesPerRow)]
    public long DuckDbBaseline_ReadCsv()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $$"""
            SELECT count(*), sum("Betrag") FROM read_csv('{{_csvPath}}', delim = ';', decimal_separator = ',', header = true, encoding = 'latin-1',
                columns = {'Nr': 'BIGINT', 'Konto': 'VARCHAR', 'Rufnummer': 'VARCHAR', 'Datum': 'DATE', 'Uhrzeit': 'TIME', 'Ziel': 'VARCHAR',
                           'Art': 'VARCHAR', 'Dauer': 'VARCHAR', 'Betrag': 'DECIMAL(18,4)', 'Rechnung': 'VARCHAR'}, dateformat = '%d.%m.%Y')
            """;
        using var r = cmd.ExecuteReader();
        r.Read();
        return r.GetInt64(0);
    }

    private const string Profile = """
        {
          "name": "bench", "kind": "usage", "separator": ";", "encoding": "windows-1252", "decimal_separator": ",",
          "time_zone": "Europe/Berlin", "ambiguous_time": "earlier",
          "fields": {
            "record_id": { "columns": ["Rechnung", "Nr"], "join": "-" }, "carrier": { "constant": "Nordwind" }, "account_id": "Konto",
            "service_id": "Rufnummer", "usage_type": { "column": "Art", "map": { "Telefonie": "voice", "SMS": "sms" } },
            "start_time": { "columns": ["Datum", "Uhrzeit"], "format": "dd.MM.yyyy HH:mm:ss" }, "duration_s": { "column": "Dauer", "duration": "hh:mm:ss" },
            "called_number": "Ziel", "billed_amount": "Betrag", "invoice_id": "Rechnung"
          }
        }
        """;

    /// <summary>An interchange of 811s: 200 lines per invoice (100 services, each a monthly charge and its tax).</summary>
    private static byte[] Edi(int lines)
    {
        var text = new StringBuilder();
        text.Append("ISA*00*          *00*          *ZZ*BENCHTEL       *ZZ*CUSTOMER       *261102*0900*U*00401*000000001*0*P*:~\n");
        text.Append("GS*CI*BENCHTEL*CUSTOMER*20261102*0900*1*X*004010~\n");
        var invoices = 0;
        for (var done = 0; done < lines; invoices++)
        {
            var segments = new StringBuilder();
            var count = 0;
            void Segment(string s)
            {
                segments.Append(s).Append("~\n");
                count++;
            }

            Segment(string.Create(CultureInfo.InvariantCulture, $"ST*811*{invoices + 1:D4}"));
            Segment(string.Create(CultureInfo.InvariantCulture, $"BIG*20261101*B-{invoices:D7}"));
            Segment("DTM*186*20261001");
            Segment("DTM*187*20261031");
            Segment("HL*1**2*1");
            Segment(string.Create(CultureInfo.InvariantCulture, $"REF*12*ACC-{invoices:D6}"));
            var cents = 0L;
            var items = 0;
            for (var s = 0; s < 100 && done < lines; s++, done += 2)
            {
                Segment(string.Create(CultureInfo.InvariantCulture, $"HL*{s + 2}*1*4*0"));
                Segment(string.Create(CultureInfo.InvariantCulture, $"SI*TI*TN*+1512555{s:D4}"));
                Segment("IT1*1*1*EA*45.00**SV*MRC");
                Segment("PID*F****Business plan");
                Segment("TXI*ST*3.71");
                cents += 4500 + 371;
                items++;
            }

            Segment(string.Create(CultureInfo.InvariantCulture, $"TDS*{cents}"));
            Segment(string.Create(CultureInfo.InvariantCulture, $"CTT*{items}"));
            Segment(string.Create(CultureInfo.InvariantCulture, $"SE*{count + 1}*{invoices + 1:D4}"));
            text.Append(segments);
        }

        text.Append(string.Create(CultureInfo.InvariantCulture, $"GE*{invoices}*1~\nIEA*1*000000001~\n"));
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>An itemised-calls export in Windows-1252 with decimal commas and local times.</summary>
    private static byte[] Csv(int rows)
    {
        var text = new StringBuilder("Nr;Konto;Rufnummer;Datum;Uhrzeit;Ziel;Art;Dauer;Betrag;Rechnung\r\n");
        for (var i = 0; i < rows; i++)
        {
            var sms = i % 10 == 0;
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{i + 1:D7};DE-88001;+49170{i % 100_000:D7};{1 + (i % 28):D2}.10.2026;{i % 24:D2}:{i % 60:D2}:{(i * 7) % 60:D2};+4930{i % 1_000_000:D6};") +
                (sms ? "SMS;;0,09;" : string.Create(CultureInfo.InvariantCulture, $"Telefonie;00:{i % 60:D2}:{(i * 13) % 60:D2};{i % 10},{i % 100:D2};")) +
                "NW-2026-10-001\r\n");
        }

        return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(text.ToString());
    }
}
