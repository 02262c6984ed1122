using Tem.App;
using Tem.Core;
using Tem.Lake;
using Tem.SampleData;

namespace Tem.Scheduler.Tests;

/// <summary>The pipeline shared by tem run, tem demo and the scheduler's job: run history, the write lock, crash leftovers.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempFolder _dir = new("tem-pipeline");

    public void Dispose() => _dir.Dispose();

    private PipelineOptions Options(string name = "run") => new()
    {
        Inbox = _dir.Sub("inbox"), Lake = _dir.Sub("lake"), Out = _dir.Sub("out"), Name = name,
    };

    [Fact]
    public void Run_OnSampleInbox_RecordsTheRunWithFilesRowsAndFindings()
    {
        var sample = SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 5 }, _dir.Sub("inbox"));

        var result = new Pipeline(TimeProvider.System).Run(Options());

        Assert.Equal(RunOutcome.Ok, result.Outcome);
        var run = Assert.Single(TemLake.OpenExisting(_dir.Sub("lake")).Catalog.Runs());
        Assert.Equal(result.RunId, run.RunId);
        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.NotNull(run.FinishedAt);
        // Every CSV of the inbox is looked at; the dispute log is not lake data: it is applied after the audit. The set's
        // README and logo are not data: listed, not looked at.
        Assert.Equal(Directory.GetFiles(_dir.Sub("inbox"), "*.csv", SearchOption.AllDirectories).Length - 1, run.Files);
        Assert.Equal(["README.md", "logos/harbor-connect.svg"], result.NotData);
        Assert.Equal("disputes.csv", Assert.Single(result.Audit!.DisputeLogs).File);
        Assert.Equal(sample.Rows.Where(r => !r.Key.Contains("answer", StringComparison.Ordinal) && r.Key != "disputes.csv").Sum(r => r.Value), run.RowsRead);
        Assert.Equal(run.RowsRead, run.RowsStored + run.RowsRejected);
        Assert.Equal(result.OpenFindings, run.Findings);
        Assert.True(run.Findings > 0);
        Assert.True(File.Exists(result.ReportPath));
    }

    /// <summary>An Asterisk call record with no time zone given: the whole file fails (never guessed as UTC).</summary>
    private const string MasterCsvWithoutZone =
        "\"\",\"2001\",\"02079460000\",\"from-internal\",\"\"\"Smith, John\"\" <2001>\",\"SIP/2001-00000001\",\"SIP/trunk-00000002\",\"Dial\"," +
        "\"SIP/trunk/02079460000,60,tT\",\"2026-06-10 14:22:05\",\"2026-06-10 14:22:11\",\"2026-06-10 14:24:16\",131,125,\"ANSWERED\",\"DOCUMENTATION\",\"1781097725.1\",\"\"\n";

    [Fact]
    public void Run_WhenAFileFailsToIngest_SkipsAuditAndReport_AndKeepsTheLastCompleteFindings()
    {
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 5 }, _dir.Sub("inbox"));
        var first = new Pipeline(TimeProvider.System).Run(Options());
        Assert.Equal(RunOutcome.Ok, first.Outcome);
        var findingsFile = FindingsFile.PathIn(_dir.Sub("lake"));
        var before = File.ReadAllBytes(findingsFile);
        var report = Path.Combine(_dir.Sub("out"), "report.html");
        File.Delete(report);

        File.WriteAllText(Path.Combine(_dir.Sub("inbox"), "Master.csv"), MasterCsvWithoutZone);
        var second = new Pipeline(TimeProvider.System).Run(Options());

        Assert.Equal(RunOutcome.Failed, second.Outcome);
        Assert.Null(second.Audit);
        Assert.Null(second.ReportPath);
        Assert.Contains("1 files failed to ingest, so the audit and the report did not run", second.Message, StringComparison.Ordinal);
        Assert.Contains("Master.csv", second.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(findingsFile));
        Assert.False(File.Exists(report), "no report may be written from a lake that misses part of the run's files");
        Assert.Equal(RunOutcome.Failed, TemLake.OpenExisting(_dir.Sub("lake")).Catalog.Runs().Single(r => r.RunId == second.RunId).Outcome);
    }

    [Fact]
    public void Run_WhenAFileFailsToIngest_AuditAfterFailedIngest_AuditsAndReportsButStillFails()
    {
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 5 }, _dir.Sub("inbox"));
        File.WriteAllText(Path.Combine(_dir.Sub("inbox"), "Master.csv"), MasterCsvWithoutZone);

        var result = new Pipeline(TimeProvider.System).Run(Options() with { AuditAfterFailedIngest = true });

        Assert.Equal(RunOutcome.Failed, result.Outcome);
        Assert.NotNull(result.Audit);
        Assert.True(File.Exists(result.ReportPath));
        Assert.Contains("1 files failed", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WhileAnotherWriterHoldsTheLake_IsLockedAndChangesNothing()
    {
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 5 }, _dir.Sub("inbox"));
        using (var held = LakeWriteLock.TryAcquire(_dir.Sub("lake"), "another host", TimeSpan.Zero, TimeProvider.System, out _))
        {
            Assert.NotNull(held);
            var result = new Pipeline(TimeProvider.System).Run(Options());
            Assert.Equal(RunOutcome.Locked, result.Outcome);
            Assert.Contains("another host", result.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Path.Combine(_dir.Sub("lake"), "_tem", "catalog.duckdb")), "a locked-out run must not touch the lake");
        Assert.Equal(RunOutcome.Ok, new Pipeline(TimeProvider.System).Run(Options()).Outcome);
    }

    [Fact]
    public void Run_AfterARunThatNeverFinished_ClosesItAsInterruptedAndIngestsNothingTwice()
    {
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 5 }, _dir.Sub("inbox"));
        var first = new Pipeline(TimeProvider.System).Run(Options());
        var lake = TemLake.Open(_dir.Sub("lake"));

        // A run whose process died: started, never finished.
        lake.Catalog.StartRun("run-dead", "run", DateTimeOffset.UtcNow);
        var second = new Pipeline(TimeProvider.System).Run(Options());

        Assert.Equal(["run-dead"], second.InterruptedRuns);
        var dead = lake.Catalog.Runs().Single(r => r.RunId == "run-dead");
        Assert.Equal(RunOutcome.Interrupted, dead.Outcome);
        Assert.Contains(second.RunId, dead.Message, StringComparison.Ordinal);
        Assert.Equal(0, second.Ingest.Stored);
        Assert.Equal(first.OpenFindings, second.OpenFindings);
        var active = lake.Catalog.Files().Where(f => f.State is FileState.Active or FileState.Superseded).ToList();
        Assert.Equal(active.Count, active.Select(f => f.Sha256).Distinct().Count());
    }

    [Fact]
    public void Run_MissingInbox_FailsWithTheFolderInTheMessageAndRecordsIt()
    {
        var result = new Pipeline(TimeProvider.System).Run(Options());

        Assert.Equal(RunOutcome.Failed, result.Outcome);
        Assert.Contains(_dir.Sub("inbox"), result.Message, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Failed, Assert.Single(TemLake.OpenExisting(_dir.Sub("lake")).Catalog.Runs()).Outcome);
    }

    [Fact]
    public void WriteLock_SecondHolderInTheSameProcess_IsRefusedUntilTheFirstReleases()
    {
        var lake = _dir.Sub("lake");
        using var first = LakeWriteLock.TryAcquire(lake, "first", TimeSpan.Zero, TimeProvider.System, out _);
        Assert.NotNull(first);
        Assert.Null(LakeWriteLock.TryAcquire(lake, "second", TimeSpan.Zero, TimeProvider.System, out var holder));
        Assert.Equal("first", holder);
        first.Dispose();
        using var again = LakeWriteLock.TryAcquire(lake, "second", TimeSpan.Zero, TimeProvider.System, out _);
        Assert.NotNull(again);
    }
}
