using System.Text;

namespace Tem.Reports.Files;

/// <summary>File names made from data (carrier names, party ids) and atomic file writes.</summary>
internal static class FileNames
{
    /// <summary>
    /// A name safe on every file system: letters, digits, <c>-</c>, <c>_</c> and <c>.</c> kept, anything else as
    /// <c>_</c>; never empty, never starting with a dot.
    /// </summary>
    public static string Safe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var b = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
        {
            b.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var s = b.ToString().TrimStart('.');
        return s.Length == 0 ? "_" : s;
    }

    /// <summary>Writes through a temporary file renamed over the target, so a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            write(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
