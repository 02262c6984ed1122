namespace Tem.Testing;

/// <summary>
/// A new folder under the system temp folder (<c>PREFIX-GUID</c>), removed with everything in it when disposed. A
/// folder that cannot be removed (a file still open on Windows, a failed setup that never created it) is left behind
/// rather than failing the test that owned it.
/// </summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder <c>PREFIX-GUID</c> under the system temp folder.</summary>
    /// <param name="prefix">The start of the folder's name, e.g. <c>tem-audit-edges</c>; it names the test in a leftover.</param>
    public TempFolder(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path below the folder (not created).</summary>
    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Removes the folder and everything in it; an <see cref="IOException"/> leaves it behind.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // DirectoryNotFoundException (removed already, or a test moved it) included: nothing to clean.
        }
    }

    /// <summary>A path under the system temp folder that does not exist (<c>PREFIX-GUID</c>), for a folder a test expects not to be made.</summary>
    public static string NewPath(string prefix) => System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
}
