namespace Tem.Lake;

/// <summary>
/// A folder named as a lake holds none. Only the commands that make lakes (<c>tem ingest</c>, <c>tem run</c>,
/// <c>tem demo</c>, a scheduled pipeline) create one; every other command stops with this, so that a typo in
/// <c>--lake</c> never leaves an empty lake behind or reports "0 findings" for a folder that was never audited.
/// </summary>
public sealed class NotALakeException : DirectoryNotFoundException
{
    /// <summary>Creates the exception for <paramref name="root"/>, suggesting the nearest lake when there is one.</summary>
    /// <param name="root">The folder named as a lake.</param>
    public NotALakeException(string root)
        : this(System.IO.Path.GetFullPath(root), LakeFolders.Suggest(root))
    {
    }

    private NotALakeException(string fullPath, string? suggestion)
        : base(suggestion is null
            ? $"{fullPath} is not a lake (run 'tem ingest' or 'tem run' to make one)"
            : $"{fullPath} is not a lake (did you mean {suggestion}?)")
    {
        Path = fullPath;
        Suggestion = suggestion;
    }

    /// <summary>Creates the exception with a plain message (for serializers and tests).</summary>
    public NotALakeException()
        : base("not a lake")
    {
        Path = string.Empty;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NotALakeException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    /// <summary>The folder named as a lake (absolute).</summary>
    public string Path { get; }

    /// <summary>The nearest lake, as the user would type it (relative to the working folder when inside it), or null.</summary>
    public string? Suggestion { get; }
}

/// <summary>Which folders are lakes, and which lake a mistyped path most likely meant.</summary>
public static class LakeFolders
{
    /// <summary>True when <paramref name="root"/> holds a lake (its catalog <c>_tem/catalog.duckdb</c>).</summary>
    public static bool IsLake(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        return File.Exists(Path.Combine(root, "_tem", "catalog.duckdb"));
    }

    /// <summary>Throws <see cref="NotALakeException"/> unless <paramref name="root"/> holds a lake.</summary>
    /// <exception cref="NotALakeException">It holds none.</exception>
    public static void Require(string root)
    {
        if (!IsLake(root))
        {
            throw new NotALakeException(root);
        }
    }

    /// <summary>
    /// The lake <paramref name="root"/> most likely meant: among the lakes in its parent folder, in the working folder
    /// and one level below it, the only one, or the one whose path is nearest by edit distance if that distance is
    /// small for the length (a typo, not another name). Returned as the user would type it: relative to the working folder when
    /// inside it.
    /// </summary>
    public static string? Suggest(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var cwd = Directory.GetCurrentDirectory();
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        // Bounded, so that a typo in a home folder or on a network share answers at once: at most 2,000 folders looked at.
        const int MostFolders = 2000;
        foreach (var folder in new[] { Path.GetDirectoryName(full), cwd }.OfType<string>())
        {
            foreach (var dir in SubFolders(folder))
            {
                candidates.Add(dir);
                if (folder == cwd && candidates.Count < MostFolders)
                {
                    candidates.UnionWith(SubFolders(dir).Take(MostFolders - candidates.Count));
                }
            }
        }

        var typed = Shown(full, cwd);
        var lakes = candidates.Where(c => c != full && IsLake(c))
            .Select(c => (Path: Shown(c, cwd), Distance: EditDistance(typed, Shown(c, cwd))))
            .OrderBy(c => c.Distance).ThenBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        // A typo is within a third of the length ("tem-demo/lak" -> "tem-demo/lake"); the only lake nearby is meant
        // too (plain "tem audit" looks in tem-lake/ while "tem demo" made tem-demo/lake/). An unrelated name among
        // several lakes suggests none.
        return lakes.Count == 1 || (lakes.Count > 1 && lakes[0].Distance <= Math.Max(2, typed.Length / 3)) ? lakes[0].Path : null;
    }

    private static List<string> SubFolders(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? [.. Directory.EnumerateDirectories(folder).Take(500)] : [];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return [];
        }
    }

    private static string Shown(string path, string cwd)
    {
        var relative = Path.GetRelativePath(cwd, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    // Levenshtein distance, hand-written: a dozen lines for one suggestion do not justify a package (no served
    // string-distance library is kept better than this loop).
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
