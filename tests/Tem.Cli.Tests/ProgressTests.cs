using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Tem.App;
using Tem.Audit;
using Tem.Core;
using Tem.Lake;
using Tem.Lake.Layouts;
using Tem.Reports;

namespace Tem.Cli.Tests;

/// <summary>
/// Progress that progresses: the audit reports rule i of n by name, the report one event per file, plain output prints
/// a few milestones and no flood, and the demo neither warns about its own non-data files nor contradicts its counts.
/// </summary>
public sealed partial class ProgressTests(DemoLakeFixture demo) : IClassFixture<DemoLakeFixture>
{
    [Fact]
    public void Demo_SampleInbox_NoWordOnItsOwnNonDataFilesAndCountsAgreeWithTheLake()
    {
        Assert.True(demo.Code == 0, demo.Err);

        // The answer keys and the set's README are beside the inbox, not in it; the logo parties.csv points at is listed once.
        Assert.True(File.Exists(Path.Combine(demo.Root, "answer_key.csv")));
        Assert.False(File.Exists(Path.Combine(demo.Root, "inbox", "answer_key.csv")));
        foreach (var own in new[] { "README.md", "answer_key", "harbor-connect.svg" })
        {
            Assert.DoesNotContain(own, demo.Err, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("matches no known layout", demo.Out, StringComparison.Ordinal);
        Assert.Single(demo.Out.Split('\n'), l => l.Contains("harbor-connect.svg", StringComparison.Ordinal));
        Assert.Contains("skipped 1 file that is not data: logos/harbor-connect.svg", demo.Out, StringComparison.Ordinal);

        var sample = SampleLine().Match(demo.Out);
        var ingest = IngestLine().Match(demo.Out);
        Assert.True(sample.Success, demo.Out);
        Assert.True(ingest.Success, demo.Out);
        long N(Match m, string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

        // Every stored row carries its file's name; the lake says how many files and rows were read (all stored here).
        var (files, rows) = FilesAndRowsInLake(demo.Lake);
        Assert.Equal(0, N(ingest, "rejected"));
        Assert.Equal(files, N(sample, "files"));
        Assert.Equal(files, N(ingest, "files"));
        Assert.Equal(rows, N(sample, "rows"));
        Assert.Equal(rows, N(ingest, "read"));
        Assert.Equal(rows, N(ingest, "stored"));

        // The dispute log's own line counts what the sample line says it holds.
        Assert.Contains($"disputes.csv: dispute log: read {N(sample, "disputes")} /", demo.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_Again_SaysItsFilesWereAlreadyIngestedInsteadOfReadingNone()
    {
        var again = Cli.Run("demo", "--out", demo.Root);
        Assert.True(again.Code == 0, again.Err);
        var sample = SampleLine().Match(again.Out);
        Assert.True(sample.Success, again.Out);
        var files = sample.Groups["files"].Value;
        Assert.Contains($"{files} files: read 0 / stored 0 / rejected 0 rows; {files} already ingested (same SHA-256), not read again", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_Progress_ReportsEachRuleByNameInOrderThenAllDone()
    {
        var events = new List<WorkProgress>();
        var result = new AuditOperation(TimeProvider.System).Run(demo.Lake, new AuditOptions(), progress: new SynchronousProgress<WorkProgress>(events.Add));
        Assert.True(result.Run.Succeeded, result.Run.Message);

        var rules = AuditOperation.ListRules(null).Rules.Select(r => r.Id).ToList();
        var starting = events.Where(e => e.Done < e.Total).ToList();
        Assert.Equal(rules, starting.Select(e => e.Item));
        Assert.Equal(Enumerable.Range(0, rules.Count).Select(i => (long)i), starting.Select(e => e.Done));
        Assert.All(events, e => Assert.Equal(WorkUnit.Rules, e.Unit));
        Assert.All(events, e => Assert.Equal(rules.Count, e.Total));
        Assert.Equal(rules.Count, events[^1].Done);
        Assert.Equal(result.Run.Value!.Rules.Select(r => r.RuleId), rules);
    }

    [Fact]
    public void Report_Progress_OneEventPerFileWrittenInOrder()
    {
        var outDir = Path.Combine(demo.Root, "report-progress");
        var events = new List<WorkProgress>();
        var result = new ReportOperation(TimeProvider.System).Write(demo.Lake, outDir, new ReportOptions(), new SynchronousProgress<WorkProgress>(events.Add));

        Assert.Equal(result.Files.Count, events.Count);
        Assert.Equal(result.Files.Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')), events.Select(e => e.Item));
        Assert.Equal(Enumerable.Range(1, result.Files.Count).Select(i => (long)i), events.Select(e => e.Done));
        Assert.All(events, e => Assert.True(File.Exists(Path.Combine(outDir, e.Item)), e.Item));

        // The share (sets written of the main set and the tenants' sets) only grows and reaches the last set.
        Assert.All(events.Zip(events.Skip(1)), p => Assert.True(p.Second.Fraction >= p.First.Fraction));
        Assert.NotEmpty(result.Tenants);
        Assert.Equal((double)result.Tenants.Count / (result.Tenants.Count + 1), events[^1].Fraction, 6);
    }

    [Fact]
    public void WithProgress_PlainLargeIngest_PrintsThreeMilestonesNotAFlood()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new CliOutput(output, error, quiet: false, json: false, interactive: false);
        const long Total = 200_000_000;
        cli.WithProgress("ingest", board =>
        {
            for (long done = 0; done <= Total; done += 1_000_000)
            {
                board.Report("ingest", new WorkProgress(WorkUnit.Bytes, done, Total, "usage.csv"));
            }

            // Rules and report files never print milestones: their lines say enough.
            for (var i = 0; i <= 20; i++)
            {
                board.Report("audit", new WorkProgress(WorkUnit.Rules, i, 20, "rule"));
            }

            return 0;
        });

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines.Zip(new[] { 25, 50, 75 }), l => Assert.StartsWith($"ingest: {l.Second}% of 200.0 MB read (usage.csv), about ", l.First, StringComparison.Ordinal));
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData(false, true, 10_000_000)]
    [InlineData(true, false, 200_000_000)]
    [InlineData(false, false, 10_000_000)]
    public void WithProgress_QuietJsonOrSmallIngest_PrintsNoMilestone(bool quiet, bool json, long total)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new CliOutput(output, error, quiet, json, interactive: false);
        cli.WithProgress("ingest", board =>
        {
            for (long done = 0; done <= total; done += total / 100)
            {
                board.Report("ingest", new WorkProgress(WorkUnit.Bytes, done, total, "usage.csv"));
            }

            return 0;
        });

        Assert.Empty(output.ToString());
    }

    private static (long Files, long Rows) FilesAndRowsInLake(string lakePath)
    {
        var lake = TemLake.OpenExisting(lakePath);
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        lake.CreateViews(db);
        var tables = CanonicalLayouts.All.Select(l => l.VersionsTable ?? l.Table).Distinct(StringComparer.Ordinal);
        var union = string.Join(" UNION ALL ", tables.Select(t => $"SELECT source_file FROM \"{t}\""));
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT count(DISTINCT source_file), count(*) FROM ({union})";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    [GeneratedRegex(@"sample data: (?<rows>\d+) rows in (?<files>\d+) files and (?<disputes>\d+) disputes")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?m)^(?<files>\d+) files: read (?<read>\d+) / stored (?<stored>\d+) / rejected (?<rejected>\d+) rows")]
    private static partial Regex IngestLine();
}
