using Tem.Core;
using DuckDB.NET.Data;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Ingest.Tests.Lake;

[Collection(CrashHookCollection.Name)]
public sealed class LakeTests
{
    private const string ServicesHeader = "service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center";
    private const string UsageHeader = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id";

    [Fact]
    public void Ingest_SameFileTwice_SecondIsANoOpThatSaysSo()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", $"{UsageHeader}\nR1,C,A,S,sms,2026-10-01T10:00:00Z,,+4420,,0.05,I\n");
        Assert.Equal(FileOutcome.Stored, lake.Ingest(path).Outcome);
        var copy = lake.Write("usage-copy.csv", File.ReadAllBytes(path));
        var again = lake.Ingest(copy);
        Assert.Equal(FileOutcome.AlreadyIngested, again.Outcome);
        Assert.Contains("already ingested as", again.Message, StringComparison.Ordinal);
        Assert.Contains("usage.csv", again.Message, StringComparison.Ordinal);
        Assert.Equal(1, lake.Count("usage"));
        Assert.Single(lake.Lake.Catalog.Files());
    }

    [Fact]
    public void Ingest_NewerReferenceFile_ReplacesTheTable_KeepsHistoryInCatalog()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("services-1.csv", $"{ServicesHeader}\nS1,A,mobile,P1,active,2026-01-01,,CC1\nS2,A,mobile,P1,active,2026-01-01,,CC1\n"));
        lake.Ingest(lake.Write("services-2.csv", $"{ServicesHeader}\nS1,A,mobile,P2,active,2026-01-01,,CC1\n"));
        Assert.Equal(1, lake.Count("services"));
        Assert.Equal(1, lake.Count("services", "plan_id = 'P2'"));
        var files = lake.Lake.Catalog.Files();
        Assert.Equal([FileState.Superseded, FileState.Active], files.Select(f => f.State));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(lake.Lake.Root, "services"), "*.parquet"));
    }

    [Fact]
    public void Ingest_AppendKind_AddsRowsAcrossFilesAndPartitionsByCarrierAndMonth()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("u1.csv", $"{UsageHeader}\nR1,BT/Openreach,A,S,sms,2026-09-30T23:30:00-05:00,,+4420,,0.05,I\n"));
        lake.Ingest(lake.Write("u2.csv", $"{UsageHeader}\nR2,BT/Openreach,A,S,sms,2026-10-01T04:30:00Z,,+4420,,0.05,I\n"));
        Assert.Equal(2, lake.Count("usage"));
        Assert.True(Directory.Exists(Path.Combine(lake.Lake.Root, "usage", "carrier=BT%2FOpenreach", "month=2026-09")));
        Assert.True(Directory.Exists(Path.Combine(lake.Lake.Root, "usage", "carrier=BT%2FOpenreach", "month=2026-10")));
    }

    [Fact]
    public void Readers_SeeTheManifestOfTheLastCommit_AndNeverOpenTheCatalog()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("u1.csv", $"{UsageHeader}\nR1,Carrier A,A,S,sms,2026-10-01T10:00:00Z,,+4420,,0.05,I\n"));
        lake.Ingest(lake.Write("u2.csv", $"{UsageHeader}\nR2,Carrier A,A,S,sms,2026-10-02T10:00:00Z,,+4420,,0.05,I\n"));
        var manifest = LakeManifest.Read(lake.Lake.Root);
        Assert.NotNull(manifest);
        Assert.Equal(2, manifest.Paths("usage").Count);
        Assert.All(manifest.Paths("usage"), p => Assert.True(File.Exists(Path.Combine(lake.Lake.Root, p)), p));

        // A reader that needed the catalog would fail now: its file is unreadable while the views still work.
        var catalog = Path.Combine(lake.Lake.Root, "_tem", "catalog.duckdb");
        var saved = File.ReadAllBytes(catalog);
        try
        {
            File.WriteAllBytes(catalog, [.. Enumerable.Repeat((byte)0x5A, 4096)]);
            Assert.Throws<InfrastructureException>(() => lake.Lake.Catalog.Connect(readOnly: true).Dispose());
            Assert.Equal(2, lake.Count("usage"));
        }
        finally
        {
            File.WriteAllBytes(catalog, saved);
        }
    }

    [Fact]
    public void ReplaceKind_NewVersion_ManifestMovesToItAndTheOldFilesGoAfterwards()
    {
        using var lake = new ScratchLake();
        const string Parties = "party_id,name,kind,parent_id\n";
        lake.Ingest(lake.Write("p1.csv", Parties + "P1,One,customer,\n"));
        var old = LakeManifest.Read(lake.Lake.Root)!.Paths("parties");
        lake.Ingest(lake.Write("p2.csv", Parties + "P1,One,customer,\nP2,Two,customer,\n"));
        var now = LakeManifest.Read(lake.Lake.Root)!.Paths("parties");
        Assert.Single(now);
        Assert.DoesNotContain(now[0], old);
        Assert.All(old, p => Assert.False(File.Exists(Path.Combine(lake.Lake.Root, p)), p));
        Assert.Equal(2, lake.Count("parties"));
    }

    [Fact]
    public void Lake_IsReadableByPlainDuckDbWithoutTem()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("usage.csv", $"{UsageHeader}\nR1,Carrier A,A,S,voice,2026-10-01T10:00:00+02:00,61,0044207,,0.1200,I\n"));
        using var plain = new DuckDBConnection("DataSource=:memory:");
        plain.Open();
        using var cmd = plain.CreateCommand();
        cmd.CommandText = $"SELECT carrier, month, record_id, billed_amount, called_number, typeof(billed_amount) FROM read_parquet('{lake.Lake.Root}/usage/**/*.parquet', hive_partitioning = true)";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal("Carrier A", r.GetString(0));
        Assert.Equal("2026-10", r.GetString(1));
        Assert.Equal(0.12m, r.GetDecimal(3));
        Assert.Equal("0044207", r.GetString(4));
        Assert.Equal("DECIMAL(18,4)", r.GetString(5));
    }

    [Fact]
    public void Commit_CrashAfterCatalogRecord_PreviousStateReadable_NextOpenCompletesIt()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("u1.csv", $"{UsageHeader}\nR1,C,A,S,sms,2026-10-01T10:00:00Z,,+4420,,0.05,I\n"));
        TemLake.AfterCommitRecorded[lake.Lake.Root] = _ => throw new IOException("simulated crash");
        try
        {
            Assert.Throws<IOException>(() => lake.Ingest(lake.Write("u2.csv", $"{UsageHeader}\nR2,C,A,S,sms,2026-10-02T10:00:00Z,,+4420,,0.05,I\n")));
        }
        finally
        {
            TemLake.AfterCommitRecorded.TryRemove(lake.Lake.Root, out _);
        }

        // The interrupted file is not visible yet: the lake reads as before.
        Assert.Equal(1, lake.Count("usage"));
        Assert.Equal(1, lake.Lake.Catalog.Files().Count(f => f.State == FileState.Committing));

        lake.Reopen();
        Assert.Equal(2, lake.Count("usage"));
        Assert.All(lake.Lake.Catalog.Files(), f => Assert.Equal(FileState.Active, f.State));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(lake.Lake.Root, "_tem", "staging")));
    }

    [Fact]
    public void ExpandPaths_Folder_WalksSortedAndSkipsHiddenAndLakeInternals()
    {
        using var lake = new ScratchLake();
        lake.Write("b.csv", "x");
        lake.Write("a.csv", "x");
        Directory.CreateDirectory(Path.Combine(lake.Inbox, "sub"));
        File.WriteAllText(Path.Combine(lake.Inbox, "sub", "c.csv"), "x");
        Directory.CreateDirectory(Path.Combine(lake.Inbox, ".git"));
        File.WriteAllText(Path.Combine(lake.Inbox, ".git", "config"), "x");
        var files = Ingestor.ExpandPaths([lake.Inbox]).Select(f => f.Name).ToList();
        Assert.Equal(["a.csv", "b.csv", "sub/c.csv"], files);
        Assert.Throws<FileNotFoundException>(() => Ingestor.ExpandPaths([Path.Combine(lake.Inbox, "missing.csv")]));
    }
}

/// <summary>The crash test sets a static hook; tests of this collection do not run in parallel with each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashHookCollection
{
    public const string Name = "crash-hook";
}
