using DuckDB.NET.Data;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Tem.Audit;
using Tem.DuckDb;
using Tem.Ingest;
using Tem.Lake;
using Tem.Reports;
using Tem.SampleData;

namespace Tem.Benchmarks;

/// <summary>
/// Channel-truth issue: the whole report of a channel of 50 tenants over 3,000 services and 12 months. One operation
/// = one <see cref="ReportWriter.Write"/> without a tenant, as <c>tem report</c> and the nightly run call it: the
/// full set and one set for each of the 50 tenants, every set read through its own month-by-month scope. Baseline in
/// the same run: DuckDB alone, for the full lake and each of the 50 tenants, summing the carrier charges of the
/// accounts invoiced to the tenant's subtree, its resale and its findings per currency (the core aggregates of a
/// set, with the channel walked once and no dates).
/// </summary>
/// <remarks>
/// Data, generated once in <c>[GlobalSetup]</c>: <c>tem sample-data --services 3000 --months 12</c> (84 accounts,
/// 48.7 k invoice lines, 1.57 M usage records), whose channel is replaced by 2 distributors and 48 dealers (the 50
/// tenants) and one customer per account: a third of the accounts direct, a third invoiced to their dealer, a third
/// sold by it as agent; 4 of the dealer-invoiced accounts move to the next dealer after six months (dated versions).
/// resale.csv is rebuilt: each dealer bills its customer the carrier's recurring and usage charges plus 15 % for
/// every month it is invoiced. Ingested, audited once. Set <c>TEM_BENCH_KEEP</c> to keep the folder (its
/// <c>data/</c> is an inbox for <c>tem run</c>).
/// </remarks>
public class ReportBenchmarks
{
    public const int Services = 3000;
    public const int Months = 12;
    public const int Distributors = 2;
    public const int Dealers = 48;

    private string _folder = string.Empty;
    private TemLake _lake = null!;
    private List<(string Party, List<string> Subtree)> _tenants = [];
    private int _run;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tem-bench-report-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(_folder, "data");
        Generate(data);
        _lake = TemLake.Open(Path.Combine(_folder, "lake"));
        var ingestor = new Ingestor(_lake, TimeProvider.System, new IngestOptions());
        foreach (var file in Ingestor.ExpandPaths([data]).Where(f => !f.Name.StartsWith("answer_key", StringComparison.Ordinal)))
        {
            var report = ingestor.IngestFile(file, "bench-setup");
            if (report.Outcome == FileOutcome.Failed || report.RowsRejected > 0)
            {
                throw new InvalidOperationException(report.Message);
            }
        }

        new AuditEngine(_lake, TimeProvider.System).Run(new AuditOptions(), "bench-audit");
        var probe = Path.Combine(_folder, "out-probe");
        var tenants = ReportWriter.Write(_lake, probe, new ReportOptions(), TimeProvider.System).Tenants;
        Directory.Delete(probe, recursive: true);
        if (tenants.Count != Distributors + Dealers)
        {
            throw new InvalidOperationException($"expected {Distributors + Dealers} tenants, the lake has {tenants.Count}");
        }

        _tenants = [.. tenants.Select(t => (t, Subtree(t)))];
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        if (Environment.GetEnvironmentVariable("TEM_BENCH_KEEP") is null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(Description = "Tem: full report + 50 tenant sets")]
    [BenchmarkCategory("report")]
    public int TemReport()
    {
        var outDir = Path.Combine(_folder, "out-" + _run++.ToString(CultureInfo.InvariantCulture));
        var result = ReportWriter.Write(_lake, outDir, new ReportOptions(), TimeProvider.System);
        var files = result.Files.Count;
        Directory.Delete(outDir, recursive: true);
        return files;
    }

    [Benchmark(Baseline = true, Description = "DuckDB: 51 scoped sums")]
    [BenchmarkCategory("report")]
    public decimal DuckDbScopedSums()
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        _lake.CreateViews(db);
        decimal total = 0;
        foreach (var subtree in _tenants.Select(t => t.Subtree).Prepend(null))
        {
            var scope = subtree is null ? "true" : "a.bill_to_id IN (" + string.Join(", ", subtree.Select(SqlQuote.Literal)) + ")";
            var resale = subtree is null ? "true" : "r.reseller_id IN (" + string.Join(", ", subtree.Select(SqlQuote.Literal)) + ")";
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"""
                SELECT coalesce(sum(x), 0) FROM (
                    SELECT sum(c.amount) AS x FROM charges c JOIN accounts a ON a.carrier = c.carrier AND a.account_id = c.account_id WHERE {scope} GROUP BY c.currency
                    UNION ALL SELECT sum(r.amount) FROM resale r WHERE {resale} GROUP BY r.currency
                    UNION ALL SELECT sum(f.one_time_amount) FROM findings f JOIN accounts a ON a.carrier = f.carrier AND a.account_id = f.account_id WHERE {scope} GROUP BY f.currency)
                """;
            total += Convert.ToDecimal(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return total;
    }

    private List<string> Subtree(string party)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        _lake.CreateViews(db);
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            WITH RECURSIVE below(party_id) AS (
                SELECT {SqlQuote.Literal(party)} UNION SELECT p.party_id FROM parties p JOIN below b ON p.parent_id = b.party_id)
            SELECT party_id FROM below
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    /// <summary>Writes the benchmark's inbox into <paramref name="dir"/>.</summary>
    public static void Generate(string dir)
    {
        SampleDataGenerator.Generate(new SampleDataOptions { Services = Services, Months = Months }, dir);
        var accounts = File.ReadAllLines(Path.Combine(dir, "accounts.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        var firstMonth = DateOnly.ParseExact(db.Scalar<string>(
            $"SELECT strftime(min(period_start::DATE), '%Y-%m-%d') FROM read_csv({SqlQuote.Literal(Path.Combine(dir, "invoices.csv"))}, header = true, all_varchar = true)"),
            "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var transfer = firstMonth.AddMonths(Months / 2);

        static string Dealer(int i) => string.Create(CultureInfo.InvariantCulture, $"DLR-{(i % Dealers) + 1:00}");
        var parties = new StringBuilder("party_id,name,kind,parent_id,brand_name,brand_color,logo_file\n");
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "parties.csv")).Skip(1).Where(l => l.Contains(",provider,", StringComparison.Ordinal) || l.Contains(",lessor,", StringComparison.Ordinal)))
        {
            parties.Append(line).Append('\n');
        }

        for (var d = 1; d <= Distributors; d++)
        {
            parties.Append(CultureInfo.InvariantCulture, $"DIST-{d},Distributor {d},distributor,,,,\n");
        }

        for (var d = 0; d < Dealers; d++)
        {
            parties.Append(CultureInfo.InvariantCulture, $"{Dealer(d)},Dealer {d + 1},dealer,DIST-{(d % Distributors) + 1},Dealer {d + 1} Connect,#0B6E4F,\n");
        }

        var rows = new StringBuilder("account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id,valid_from,valid_to\n");
        var transfers = 0;
        for (var n = 0; n < accounts.Count; n++)
        {
            var a = accounts[n];
            var customer = string.Create(CultureInfo.InvariantCulture, $"CUS-{n:000}");
            var dealer = Dealer(n);
            var (billTo, reseller) = (n % 3) switch
            {
                0 => (customer, string.Empty),
                1 => (dealer, dealer),
                _ => (customer, dealer),
            };
            parties.Append(CultureInfo.InvariantCulture, $"{customer},Customer {n},customer,{reseller},,,\n");
            string Row(string bill, string sold, string from, string to) =>
                $"{a[0]},{a[1]},{customer},{bill},{sold},{a[5]},{a[6]},{a[7]},{a[8]},{from},{to}\n";
            if (n % 3 == 1 && transfers < 4)
            {
                transfers++;
                var next = Dealer(n + 1);
                var at = transfer.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                rows.Append(Row(billTo, reseller, string.Empty, at)).Append(Row(next, next, at, string.Empty));
            }
            else
            {
                rows.Append(Row(billTo, reseller, string.Empty, string.Empty));
            }
        }

        File.WriteAllText(Path.Combine(dir, "parties.csv"), parties.ToString());
        var accountsPath = Path.Combine(dir, "accounts.csv");
        File.WriteAllText(accountsPath, rows.ToString());
        var upgrade = Path.Combine(dir, "upgrade.csv");
        File.WriteAllText(upgrade, File.ReadAllText(upgrade).Replace(",CUS-04,", ",CUS-001,", StringComparison.Ordinal).Replace(",CUS-03,", ",CUS-004,", StringComparison.Ordinal));

        // Resale: the invoiced dealer bills its customer the recurring and usage charges + 15 % every month it is invoiced.
        db.Execute($"""
            COPY (
                SELECT a.reseller_id, a.customer_id, c.service_id, strftime(c.period_start, '%Y-%m') AS period,
                       round(sum(c.amount) * 1.15, 2)::DECIMAL(18,2) AS amount, c.currency
                FROM read_csv({SqlQuote.Literal(Path.Combine(dir, "invoices.csv"))}, header = true, all_varchar = true) s,
                     LATERAL (SELECT s.carrier, s.account_id, s.service_id, s.charge_type, s.currency, s.period_start::DATE AS period_start, s.amount::DECIMAL(18,4) AS amount) c
                JOIN read_csv({SqlQuote.Literal(accountsPath)}, header = true, all_varchar = true) a
                  ON a.carrier = c.carrier AND a.account_id = c.account_id
                 AND (a.valid_from IS NULL OR a.valid_from::DATE <= c.period_start) AND (a.valid_to IS NULL OR a.valid_to::DATE > c.period_start)
                WHERE a.reseller_id IS NOT NULL AND a.bill_to_id = a.reseller_id AND c.service_id IS NOT NULL AND c.charge_type IN ('recurring', 'usage')
                GROUP BY ALL ORDER BY ALL)
            TO {SqlQuote.Literal(Path.Combine(dir, "resale.csv"))} (HEADER)
            """);
        File.Delete(Path.Combine(dir, "disputes.csv"));
    }
}
