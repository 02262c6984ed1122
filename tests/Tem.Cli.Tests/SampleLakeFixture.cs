using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>
/// The committed sample-data/ (every file but the answer keys) ingested and audited into a scratch lake through the
/// CLI, shared by the tests of a class: its channel (DIST-01 > DLR-01 > CUS-01...) is what tenant scopes are about.
/// </summary>
public sealed class SampleLakeFixture : IDisposable
{
    private readonly TempFolder _temp = new("tem-cli-sample");

    public SampleLakeFixture()
    {
        Root = _temp.Path;
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

    public void Dispose() => _temp.Dispose();
}
