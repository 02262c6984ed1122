using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Tem.Audit;
using Tem.Ingest;
using Tem.Lake;
using Tem.SampleData;

namespace Tem.Benchmarks;

/// <summary>
/// How the whole audit's cost grows with the data: <c>--scale-chart DIR [MILLIONS,...]</c> generates the sample world at
/// each size (seed 42, 12 months, about 521 usage records per service), ingests it, and runs in a child process of its
/// own, one at a time, (1) the whole audit with the default settings (every rule and both models, memoryLimit 1GB) and
/// (2) the DuckDB baseline: one aggregation over the same lake's usage (every record read once, grouped by service and
/// month) in a DuckDB session with the same memory the audit gives DuckDB. Each child's wall time and peak resident
/// memory (VmHWM, polled) are measured from outside; the figures go to <c>DIR/scale.csv</c> and the chart to
/// <c>DIR/scale.png</c> (records against seconds and peak MB). Not a BenchmarkDotNet benchmark: peak memory is a
/// property of a process, and one run per size already takes up to a few minutes at 20 M records.
/// </summary>
internal static class ScaleChart
{
    /// <summary>Usage records the generator writes per service over 12 months (9,905,376 for 19,000 services).</summary>
    private const double RecordsPerService = 521.3;

    public static int Run(string folder, IReadOnlyList<double> millions)
    {
        Directory.CreateDirectory(folder);
        var rows = new List<(long Records, double AuditS, long AuditMb, double DuckDbS, long DuckDbMb, int Findings)>();
        Console.WriteLine($"// machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 30} GiB, {Environment.OSVersion}");
        foreach (var m in millions)
        {
            var services = Math.Max(33, (int)Math.Round(m * 1_000_000 / RecordsPerService));
            var data = Path.Combine(folder, $"data-{services}");
            var lakeFolder = Path.Combine(folder, $"lake-{services}");
            if (!Directory.Exists(lakeFolder))
            {
                SampleDataGenerator.Generate(new SampleDataOptions { Services = services, Months = 12, Seed = 42 }, data);
                var lake = TemLake.Open(lakeFolder);
                var ingestor = new Ingestor(lake, TimeProvider.System, new IngestOptions());
                foreach (var file in Ingestor.ExpandPaths([data]))
                {
                    ingestor.IngestFile(file, "scale-setup");
                }

                Directory.Delete(data, recursive: true);
            }

            var (auditS, auditMb, auditOut) = Child("--audit-once", lakeFolder);
            var (duckS, duckMb, duckOut) = Child("--duckdb-once", lakeFolder);
            var records = long.Parse(duckOut.Trim(), CultureInfo.InvariantCulture);
            var findings = int.Parse(auditOut.Trim(), CultureInfo.InvariantCulture);
            rows.Add((records, auditS, auditMb, duckS, duckMb, findings));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{records,11} records ({services} services): audit {auditS,6:0.0} s {auditMb,5} MB ({findings} findings); DuckDB baseline {duckS,5:0.0} s {duckMb,5} MB"));
        }

        var csv = Path.Combine(folder, "scale.csv");
        File.WriteAllLines(csv, new[] { "usage_records,audit_s,audit_peak_mb,duckdb_baseline_s,duckdb_baseline_peak_mb,findings" }
            .Concat(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Records},{r.AuditS:0.00},{r.AuditMb},{r.DuckDbS:0.00},{r.DuckDbMb},{r.Findings}"))));
        Draw(rows.Select(r => (r.Records, r.AuditS, r.AuditMb, r.DuckDbS, r.DuckDbMb)).ToList(), Path.Combine(folder, "scale.png"));
        Console.WriteLine($"// {csv}, {Path.Combine(folder, "scale.png")}");
        return 0;
    }

    /// <summary>The child of <c>--audit-once LAKE</c>: the whole audit with the default settings; prints the findings' count.</summary>
    public static int AuditOnce(string lakeFolder)
    {
        var result = new AuditEngine(TemLake.Open(lakeFolder), TimeProvider.System).Run(new AuditOptions(), "scale-" + Guid.NewGuid().ToString("N"));
        var failed = result.Rules.FirstOrDefault(r => r.Error is not null);
        if (failed is not null)
        {
            Console.Error.WriteLine($"{failed.RuleId}: {failed.Error}");
            return 1;
        }

        Console.WriteLine(result.Findings.Count.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>
    /// The child of <c>--duckdb-once LAKE</c>: DuckDB alone reading every usage record once (spend, minutes and records
    /// per service and month), with the memory the audit gives DuckDB; prints the records read.
    /// </summary>
    public static int DuckDbOnce(string lakeFolder)
    {
        Console.WriteLine(ReadUsageOnce(TemLake.Open(lakeFolder)).ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>
    /// The audit benchmarks' DuckDB baseline: DuckDB alone reading every usage record of <paramref name="lake"/> once
    /// (records, spend and seconds per service and month) with the memory the audit gives DuckDB; returns the records read.
    /// </summary>
    public static long ReadUsageOnce(TemLake lake)
    {
        using var db = LakeSession.InMemory(new SessionOptions
        {
            MemoryLimit = LakeSession.Share(new AuditOptions().MemoryLimit, AuditOptions.DuckDbShare), TempDirectory = lake.TempDirectory,
        });
        lake.CreateViews(db);
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT CAST(sum(n) AS BIGINT) FROM (
                SELECT carrier, account_id, service_id, month, count(*) AS n, sum(billed_amount) AS spend, sum(duration_s) AS seconds
                FROM usage GROUP BY ALL)
            """;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs this program with <paramref name="mode"/> on <paramref name="lake"/>: wall seconds, peak resident MB, standard output.</summary>
    private static (double Seconds, long PeakMb, string Output) Child(string mode, string lake)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ScaleChart).Assembly.Location);
        }

        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(lake);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var peak = 0L;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakOf(process));
        }

        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{mode} {lake} failed with exit code {process.ExitCode}.");
        }

        return (seconds, peak >> 20, output.Result);
    }

    /// <summary>The process's peak resident set so far (Linux: VmHWM of /proc/PID/status), or 0 once it has exited.</summary>
    private static long PeakOf(Process process)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                    }
                }

                return 0;
            }

            process.Refresh();
            return process.PeakWorkingSet64;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static void Draw(List<(long Records, double AuditS, long AuditMb, double DuckDbS, long DuckDbMb)> rows, string png)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set(OperatingSystem.IsWindows() ? "Arial" : OperatingSystem.IsMacOS() ? "Helvetica" : "DejaVu Sans");
        double[] x = [.. rows.Select(r => r.Records / 1e6)];
        var audit = plot.Add.Scatter(x, rows.Select(r => r.AuditS).ToArray());
        audit.LegendText = "tem audit: seconds";
        var duck = plot.Add.Scatter(x, rows.Select(r => r.DuckDbS).ToArray());
        duck.LegendText = "DuckDB reading usage once: seconds";
        duck.LinePattern = ScottPlot.LinePattern.Dashed;
        var memory = plot.Add.Scatter(x, rows.Select(r => (double)r.AuditMb).ToArray());
        memory.LegendText = "tem audit: peak MB (right)";
        memory.Axes.YAxis = plot.Axes.Right;
        memory.MarkerShape = ScottPlot.MarkerShape.FilledSquare;
        var duckMemory = plot.Add.Scatter(x, rows.Select(r => (double)r.DuckDbMb).ToArray());
        duckMemory.LegendText = "DuckDB reading usage once: peak MB (right)";
        duckMemory.LinePattern = ScottPlot.LinePattern.Dashed;
        duckMemory.Axes.YAxis = plot.Axes.Right;
        duckMemory.MarkerShape = ScottPlot.MarkerShape.FilledSquare;
        plot.Axes.Bottom.Label.Text = "usage records (millions)";
        plot.Axes.Left.Label.Text = "seconds";
        plot.Axes.Right.Label.Text = "peak resident memory (MB)";
        plot.Axes.SetLimitsY(0, rows.Max(r => Math.Max(r.AuditS, r.DuckDbS)) * 1.1, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, rows.Max(r => Math.Max(r.AuditMb, r.DuckDbMb)) * 1.1, plot.Axes.Right);
        plot.Title("Whole audit (13 rules, rerating, 2 models) by size, 2 cores, default memoryLimit 1GB");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(png, 1000, 560);
    }
}
