using System.Globalization;
using System.Text;
using Tem.Core;

namespace Tem.Ingest.Tests.Lake;

/// <summary>
/// Ingest progress counts bytes, as the readers take them from their streams: it grows while a big file is read (not
/// only when a file ends), never goes back, and ends at the total length of the files; documents and images are not data.
/// </summary>
public sealed class IngestProgressTests
{
    private const string UsageHeader = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id";

    [Fact]
    public void IngestFiles_Progress_IsMonotonicInBytesAndEndsAtTheTotalLength()
    {
        using var lake = new ScratchLake();
        var big = new StringBuilder(UsageHeader).Append('\n');
        for (var i = 0; i < 60_000; i++)
        {
            big.Append(CultureInfo.InvariantCulture,
                $"R{i},Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,{i % 600},+442079460000,,0.1000,INV1\n");
        }

        lake.Write("a-usage.csv", big.ToString());
        lake.Write("b-usage.csv", UsageHeader + "\nS1,Carrier A,ACC1,+447700900001,voice,2026-10-04T09:00:00Z,60,+442079460000,,0.10,INV1\n");
        var files = InputWalk.Expand([lake.Inbox]);
        var lengths = files.ToDictionary(f => f.Name, f => new FileInfo(f.Path).Length);
        var total = lengths.Values.Sum();

        var events = new List<WorkProgress>();
        new Ingestor(lake.Lake, ScratchLake.Clock, new IngestOptions { Threads = 2 })
            .IngestFiles(files, "run-test", progress: new SynchronousProgress<WorkProgress>(p =>
            {
                lock (events)
                {
                    events.Add(p);
                }
            }));

        Assert.All(events, e => Assert.Equal(WorkUnit.Bytes, e.Unit));
        Assert.All(events, e => Assert.Equal(total, e.Total));
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.Second.Done >= pair.First.Done, $"{pair.First.Done} then {pair.Second.Done}"));
        Assert.Equal(total, events[^1].Done);

        // The big file reports while it is read, from the readers' positions, not only when it is done.
        var during = events.Where(e => e.Item == "a-usage.csv" && e.Done > 0 && e.Done < lengths["a-usage.csv"]).ToList();
        Assert.True(during.Count >= 3, $"{during.Count} reports while a-usage.csv ({lengths["a-usage.csv"]} bytes) was read");
        Assert.Equal(["a-usage.csv", "b-usage.csv"], events.Select(e => e.Item).Distinct());
        Assert.Equal(60_001, lake.Count("usage"));
    }

    [Fact]
    public void IngestFiles_FileAlreadyIngested_CountsItsBytesWithoutReadingIt()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", UsageHeader + "\nS1,Carrier A,ACC1,+447700900001,voice,2026-10-04T09:00:00Z,60,+442079460000,,0.10,INV1\n");
        var files = InputWalk.Expand([lake.Inbox]);
        var ingestor = new Ingestor(lake.Lake, ScratchLake.Clock, new IngestOptions());
        ingestor.IngestFiles(files, "run-1");

        var events = new List<WorkProgress>();
        var totals = ingestor.IngestFiles(files, "run-2", progress: new SynchronousProgress<WorkProgress>(events.Add));

        Assert.Equal(0, totals.Read);
        Assert.Equal(new FileInfo(path).Length, events[^1].Done);
        Assert.Equal(events[^1].Total, events[^1].Done);
    }

    [Theory]
    [InlineData("README.md", true)]
    [InlineData("logos/harbor-connect.svg", true)]
    [InlineData("logos/Acme.PNG", true)]
    [InlineData("scans/bill-2026-10.pdf", false)]
    [InlineData("invoice.html", false)]
    [InlineData("README", true)]
    [InlineData("readme.txt", true)]
    [InlineData("usage.csv", false)]
    [InlineData("answer_key.csv", false)]
    [InlineData("att-811-2026-10.txt", false)]
    [InlineData("cdr_StandAloneCluster_01_202610031422_1234", false)]
    [InlineData("bill.xlsx", false)]
    public void IsNotData_ByName_NotesAndImagesOnly(string name, bool notData) =>
        Assert.Equal(notData, InputWalk.IsNotData(name));
}
