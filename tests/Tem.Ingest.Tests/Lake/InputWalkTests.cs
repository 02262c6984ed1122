namespace Tem.Ingest.Tests.Lake;

/// <summary>
/// Walking the folders given to ingest: links are resolved to real paths and each real folder and file is visited once,
/// broken links are reported once, and files are named by their path relative to the folder given.
/// </summary>
public sealed class InputWalkTests
{
    private const string UsageHeader = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id";

    [Fact]
    public void Expand_FolderLinkLoops_VisitEachRealFolderOnce()
    {
        using var lake = new ScratchLake();
        lake.Write("a/usage.csv", "x");
        Directory.CreateSymbolicLink(Path.Combine(lake.Inbox, "a", "back"), lake.Inbox);
        Directory.CreateSymbolicLink(Path.Combine(lake.Inbox, "b"), Path.Combine(lake.Inbox, "a"));
        Directory.CreateSymbolicLink(Path.Combine(lake.Inbox, "a", "up"), "..");

        var found = InputWalk.Expand([lake.Inbox]);

        Assert.Equal(["a/usage.csv"], found.Where(f => f.Error is null && f.Skip is null).Select(f => f.Name));
        Assert.DoesNotContain(found, f => f.Error is not null);
        Assert.Equal(["a/back", "a/up", "b"], found.Where(f => f.Skip is not null).Select(f => f.Name));
        Assert.All(found.Where(f => f.Skip is not null), f => Assert.Contains("a link to a folder already walked", f.Skip, StringComparison.Ordinal));
    }

    [Fact]
    public void Expand_DanglingLinkInsideALoop_IsReportedOnce()
    {
        using var lake = new ScratchLake();
        lake.Write("usage.csv", "x");
        File.CreateSymbolicLink(Path.Combine(lake.Inbox, "gone.csv"), Path.Combine(lake.Inbox, "missing.csv"));
        Directory.CreateSymbolicLink(Path.Combine(lake.Inbox, "loop"), lake.Inbox);
        File.CreateSymbolicLink(Path.Combine(lake.Inbox, "self.csv"), Path.Combine(lake.Inbox, "self.csv"));
        File.CreateSymbolicLink(Path.Combine(lake.Inbox, "twice.csv"), Path.Combine(lake.Inbox, "usage.csv"));

        var found = InputWalk.Expand([lake.Inbox]);

        var errors = found.Where(f => f.Error is not null).ToList();
        Assert.Equal(["gone.csv", "self.csv"], errors.Select(f => f.Name));
        Assert.Contains("gone.csv: a link to", errors[0].Error, StringComparison.Ordinal);
        Assert.Contains("which does not exist", errors[0].Error, StringComparison.Ordinal);
        Assert.Contains("self.csv: a link loop", errors[1].Error, StringComparison.Ordinal);

        // usage.csv and the link to it are one real file: read once.
        Assert.Equal(["usage.csv"], found.Where(f => f.Error is null && f.Skip is null).Select(f => f.Name));
    }

    [Fact]
    public void RealPath_ResolvesLinksInEveryComponentAndDotDotAfterThem()
    {
        using var lake = new ScratchLake();
        var deep = Path.Combine(lake.Folder, "x", "y");
        Directory.CreateDirectory(deep);
        Directory.CreateSymbolicLink(Path.Combine(lake.Folder, "link"), deep);

        Assert.Equal(InputWalk.RealPath(deep), InputWalk.RealPath(Path.Combine(lake.Folder, "link")));
        Assert.Equal(InputWalk.RealPath(Path.Combine(lake.Folder, "x")), InputWalk.RealPath(Path.Combine(lake.Folder, "link", "..")));
    }

    [Fact]
    public void IngestFiles_TwoUsageCsvInDifferentFolders_AreNamedByTheirPathUnderTheRoot()
    {
        using var lake = new ScratchLake();
        const string Row = "R{0},Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+442079460000,,0.10,INV1\n";
        lake.Write("north/usage.csv", UsageHeader + "\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Row, 1));
        lake.Write("south/usage.csv", UsageHeader + "\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Row, 2) + "R3,bad\n");

        var reports = new List<FileReport>();
        new Ingestor(lake.Lake, ScratchLake.Clock, new IngestOptions()).IngestFiles(InputWalk.Expand([lake.Inbox]), "run-test", (_, r) => reports.Add(r));

        Assert.Equal(1, lake.Count("usage", "source_file = 'north/usage.csv' AND record_id = 'R1'"));
        Assert.Equal(1, lake.Count("usage", "source_file = 'south/usage.csv' AND record_id = 'R2'"));
        Assert.StartsWith("south/usage.csv:3: ", Assert.Single(lake.Rejects()).Message, StringComparison.Ordinal);
        Assert.Equal(["north/usage.csv: usage: read 1", "south/usage.csv: usage: read 2"], reports.Select(r => r.Message[..r.Message.IndexOf(" /", StringComparison.Ordinal)]));
    }
}
