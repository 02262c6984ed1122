using System.Text;

namespace Tem.Cli;

/// <summary>
/// The prompt's history: one entry per statement (or dot command) as it was typed, its line breaks kept; the last
/// 1000 kept, saved after every entry. In the file each entry is one line, a line break written as <c>\n</c> and a
/// backslash as <c>\\</c> (an entry of an older file, one line without escapes, reads back as it was unless it held
/// a backslash followed by <c>n</c> or another backslash).
/// </summary>
internal sealed class LineHistory
{
    private const int Keep = 1000;
    private readonly string? _path;
    private readonly List<string> _entries;

    /// <summary>Loads the history at <paramref name="path"/> (none when null or unreadable).</summary>
    public LineHistory(string? path)
    {
        _path = path;
        try
        {
            _entries = path is not null && File.Exists(path) ? [.. File.ReadLines(path).Where(l => l.Length > 0).TakeLast(Keep).Select(Decode)] : [];
        }
        catch (IOException)
        {
            _entries = [];
        }
        catch (UnauthorizedAccessException)
        {
            _entries = [];
        }
    }

    /// <summary>The entries, oldest first.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Adds an entry (not a blank one, nor the same as the last) and saves the file.</summary>
    public void Add(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry = entry.Trim();
        if (entry.Length == 0 || (_entries.Count > 0 && _entries[^1] == entry))
        {
            return;
        }

        _entries.Add(entry);
        if (_entries.Count > Keep)
        {
            _entries.RemoveAt(0);
        }

        if (_path is null)
        {
            return;
        }

        try
        {
            File.WriteAllLines(_path, _entries.Select(Encode));
        }
        catch (IOException)
        {
            // History is a convenience; a read-only home must not stop the session.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal static string Encode(string entry) =>
        entry.Replace("\\", "\\\\", StringComparison.Ordinal).ReplaceLineEndings("\n").Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string Decode(string line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is 'n' or '\\')
            {
                text.Append(line[++i] == 'n' ? '\n' : '\\');
            }
            else
            {
                text.Append(line[i]);
            }
        }

        return text.ToString();
    }
}
