using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>
/// The committed sample-data/ (every file but the answer keys) ingested and audited into a scratch lake through the
/// CLI, shared by the tests of a class: its channel (DIST-01 > DLR-01 > CUS-01...) is what tenant scopes are about.
/// </summary>
public sealed class SampleLakeFixture : IDisposable
{
    public SampleLakeFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "tem-cli-sample-" + Guid.NewGuid().ToString("N"));
        var files = Directory.GetFiles(Repo("sample-data"), "*.csv")
            .Where(f => !Path.GetFileName(f).StartsWith("answer_key", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Ingest = Run(["ingest", .. files, "--lake", Lake]);
        Audit = Run("audit", "--lake", Lake);
    }

    public string Root { get; }

    public string Lake => Path.Combine(Root, "lake");

    public (int Code, string Out, string Err) Ingest { get; }

    public (int Code, string Out, string Err) Audit { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
