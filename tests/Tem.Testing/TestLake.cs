using System.Globalization;
using Tem.Ingest;
using Tem.Lake;
using Tem.SampleData;
using Xunit;

namespace Tem.Testing;

/// <summary>
/// A lake in its own temp folder (<c>lake/</c> below it), removed with it: the committed sample set or a generated one
/// ingested into it, or hand-written files one at a time. Audit, report and CLI tests build their worlds on it.
/// </summary>
public sealed class TestLake : IDisposable
{
    private readonly TempFolder _folder;
    private int _file;

    /// <summary>An empty lake in a new temp folder named <c>PREFIX-GUID</c>.</summary>
    /// <param name="prefix">The start of the temp folder's name.</param>
    /// <param name="clock">The clock ingests stamp with.</param>
    public TestLake(string prefix, TimeProvider clock)
    {
        _folder = new TempFolder(prefix);
        Clock = clock;
        Lake = TemLake.Open(_folder.Sub("lake"));
    }

    /// <summary>The temp folder holding the lake and any file written for it.</summary>
    public string Folder => _folder.Path;

    /// <summary>The lake, at <c>FOLDER/lake</c>.</summary>
    public TemLake Lake { get; }

    /// <summary>The clock ingests stamp with.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The committed <c>sample-data/</c> ingested (run <c>run-setup</c>) into a new lake.</summary>
    public static TestLake OfCommittedSample(string prefix, TimeProvider clock)
    {
        var lake = new TestLake(prefix, clock);
        lake.IngestAll(RepoPaths.SampleData);
        return lake;
    }

    /// <summary>A sample set generated with <paramref name="options"/> into <c>FOLDER/data</c> and ingested (run <c>run-setup</c>) into a new lake.</summary>
    public static TestLake OfGeneratedSample(string prefix, TimeProvider clock, SampleDataOptions options)
    {
        var lake = new TestLake(prefix, clock);
        SampleDataGenerator.Generate(options, lake.Data);
        lake.IngestAll(lake.Data);
        return lake;
    }

    /// <summary>Where <see cref="OfGeneratedSample"/> writes the generated set: <c>FOLDER/data</c>.</summary>
    public string Data => _folder.Sub("data");

    /// <summary>Ingests every file below <paramref name="folder"/>, in <see cref="Ingestor.ExpandPaths"/> order, in one run.</summary>
    public void IngestAll(string folder, string runId = "run-setup", IngestOptions? options = null) =>
        IngestAll(Lake, Clock, folder, runId, options);

    /// <summary>
    /// Ingests every file below <paramref name="folder"/> into <paramref name="lake"/>, in <see cref="Ingestor.ExpandPaths"/>
    /// order, in one run: for a test that keeps its lake in a folder of its own.
    /// </summary>
    public static void IngestAll(TemLake lake, TimeProvider clock, string folder, string runId = "run-setup", IngestOptions? options = null)
    {
        var ingestor = new Ingestor(lake, clock, options ?? new IngestOptions());
        foreach (var file in Ingestor.ExpandPaths([folder]))
        {
            ingestor.IngestFile(file, runId);
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> (line ends made <c>\n</c>, leading blanks trimmed, a last newline added, UTF-8 without
    /// BOM) to <c>FOLDER/NNN-NAME</c>, numbered in order, ingests it and asserts it was stored whole (no reject).
    /// </summary>
    public FileReport IngestText(string name, string text, string runId, IngestOptions? options = null)
    {
        var path = _folder.Sub((++_file).ToString("D3", CultureInfo.InvariantCulture) + "-" + name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n").TrimStart() + (text.EndsWith('\n') ? string.Empty : "\n"));
        var report = new Ingestor(Lake, Clock, options ?? new IngestOptions()).IngestFile(path, runId);
        Assert.True(report.RowsRejected == 0 && report.Outcome == FileOutcome.Stored, report.Message);
        return report;
    }

    /// <summary>Removes the temp folder and the lake in it.</summary>
    public void Dispose() => _folder.Dispose();
}
