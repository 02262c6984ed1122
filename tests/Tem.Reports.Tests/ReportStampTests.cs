using System.IO.Compression;
using Tem.Audit;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Reports.Tests;

/// <summary>
/// The "generated" stamp is the lake's latest audit, not the clock: two writes of the report _temp.Path from the same lake
/// state, with the clock moved between them, are byte for byte the same.
/// </summary>
public sealed class ReportStampTests : IDisposable
{
    private static readonly DateTimeOffset Audited = new(2026, 10, 14, 21, 7, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new("tem-stamp-tests");

    [Fact]
    public void Write_SameLakeTwice_ClockMoved_EveryFileByteIdentical()
    {
        var lake = AuditedSampleLake();
        RecordRun(lake, "run-audit", "audit", Audited, findings: 36);
        var first = _temp.Sub("first");
        var second = _temp.Sub("second");
        ReportWriter.Write(lake, first, new ReportOptions(), new FixedClock(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero)));
        ReportWriter.Write(lake, second, new ReportOptions(), new FixedClock(new DateTimeOffset(2027, 3, 9, 17, 45, 12, TimeSpan.Zero)));

        var files = Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.EnumerateFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order(StringComparer.Ordinal));
        Assert.Contains("report.xlsx", files);
        Assert.Contains(files, f => f.StartsWith("disputes", StringComparison.Ordinal) && f.EndsWith(".html", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("tenants", StringComparison.Ordinal));
        foreach (var file in files)
        {
            if (Path.GetFileName(file) == "report.xlsx")
            {
                // System.IO.Packaging names the core-properties part and the relationship ids at random, so the package
                // differs from write to write (the workbook's determinism is its own change); its sheets must not.
                Assert.Equal(SheetEntries(Path.Combine(first, file)), SheetEntries(Path.Combine(second, file)));
                continue;
            }

            Assert.True(File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))), $"{file} differs between the two writes");
        }

        // The stamp on the pages and the letters is the audit's time.
        Assert.Contains("Generated 2026-10-14 21:07 UTC", File.ReadAllText(Path.Combine(first, "report.html")), StringComparison.Ordinal);
        var letter = Directory.EnumerateFiles(Path.Combine(first, "disputes"), "*.html").First();
        Assert.Contains("<div>14 October 2026</div>", File.ReadAllText(letter), StringComparison.Ordinal);
    }

    [Fact]
    public void Of_RunsWithAndWithoutAudit_LatestAuditStartWins()
    {
        var lake = TemLake.Open(_temp.Sub("lake"));
        var now = new FixedClock(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(now.GetUtcNow(), ReportStamp.Of(lake, now));

        RecordRun(lake, "run-a", "audit", Audited, findings: 3);
        // An ingest (no findings count) later than the audit, and an unfinished run that stored no finding, do not move it.
        RecordRun(lake, "run-b", "ingest", Audited.AddDays(1), findings: null);
        lake.Catalog.StartRun("run-c", "audit", Audited.AddDays(2));
        Assert.Equal(Audited, ReportStamp.Of(lake, now));

        RecordRun(lake, "run-d", "run", Audited.AddDays(3), findings: 0);
        Assert.Equal(Audited.AddDays(3), ReportStamp.Of(lake, now));
    }

    [Fact]
    public void Of_RunStillInProgress_ItsAuditStampsTheReport()
    {
        // tem run audits, then writes the report, then finishes: the findings it stored name it before it finishes.
        var lake = AuditedSampleLake();
        lake.Catalog.StartRun("run-audit", "run", Audited);
        Assert.Equal(Audited, ReportStamp.Of(lake, new FixedClock(Audited.AddHours(5))));
    }

    public void Dispose() => _temp.Dispose();

    private static List<(string Name, string Text)> SheetEntries(string xlsx)
    {
        using var zip = ZipFile.OpenRead(xlsx);
        var entries = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) || e.FullName == "xl/sharedStrings.xml")
            .OrderBy(e => e.FullName, StringComparer.Ordinal)
            .Select(e =>
            {
                using var r = new StreamReader(e.Open());
                return (e.FullName, r.ReadToEnd());
            }).ToList();
        Assert.NotEmpty(entries);
        return entries;
    }

    private static void RecordRun(TemLake lake, string runId, string command, DateTimeOffset started, int? findings)
    {
        lake.Catalog.StartRun(runId, command, started);
        lake.Catalog.FinishRun(runId, started.AddMinutes(3), RunOutcome.Ok, 0, 0, 0, 0, null, findings);
    }

    private TemLake AuditedSampleLake()
    {
        var clock = new FixedClock(Audited.AddMinutes(-5));
        var lake = TemLake.Open(_temp.Sub("lake"));
        TestLake.IngestAll(lake, clock, RepoPaths.SampleData);

        new AuditEngine(lake, clock).Run(new AuditOptions(), "run-audit");
        return lake;
    }
}
