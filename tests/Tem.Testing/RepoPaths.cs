namespace Tem.Testing;

/// <summary>Files of the repository the tests run from: found by walking up from the test binaries to the folder holding Tem.sln.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>The repository root: the folder holding Tem.sln above the test binaries.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>The committed sample set, <c>sample-data/</c>.</summary>
    public static string SampleData => Combine("sample-data");

    /// <summary>A path in the repository, e.g. <c>Combine("docs", "formats.md")</c>.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tem.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Tem.sln not found above " + AppContext.BaseDirectory);
    }
}
