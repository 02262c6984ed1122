using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Tem.Benchmarks;

// `--write-report-data DIR` writes the inbox ReportBenchmarks uses (a 50-tenant channel over 3,000 services and 12
// months), to time `tem run` / `tem report` on it by hand.
if (args.Length == 2 && args[0] == "--write-report-data")
{
    ReportBenchmarks.Generate(args[1]);
    return 0;
}

// `--scale-chart DIR [MILLIONS,...]` measures the whole audit at each size against a DuckDB baseline (ScaleChart);
// `--audit-once LAKE` and `--duckdb-once LAKE` are its child processes.
if (args.Length >= 2 && args[0] == "--scale-chart")
{
    var sizes = args.Length > 2 ? args[2].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList()
        : [0.1, 0.5, 1, 2, 5, 10, 20];
    return ScaleChart.Run(args[1], sizes);
}

if (args.Length == 2 && args[0] == "--audit-once")
{
    return ScaleChart.AuditOnce(args[1]);
}

if (args.Length == 2 && args[0] == "--duckdb-once")
{
    return ScaleChart.DuckDbOnce(args[1]);
}

var config = DefaultConfig.Instance
    .AddColumn(ThroughputColumn.Rows, ThroughputColumn.Values, ThroughputColumn.MegaBytes, ThroughputColumn.Goal)
    .AddColumn(CategoriesColumn.Default)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);

// Sized for a 2-core CI-class machine: one launch, 2 warmup and 5 measured iterations keep the suite to a few
// minutes. BenchmarkDotNet runs a job given with --job next to the config's jobs, not instead of them, so the
// default job is only added when the command line names none (options such as --iterationCount still apply to it).
var jobOnCommandLine = args.Any(a => a.StartsWith("--job", StringComparison.OrdinalIgnoreCase) || a == "-j");
if (!jobOnCommandLine)
{
    config = config.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithId("2-core"));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
