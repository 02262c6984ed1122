using Tem.Ingest.Formats;

namespace Tem.Ingest;

/// <summary>
/// One entry found by walking the paths given to ingest: a file to read, or an entry that cannot be read and is
/// reported instead (<see cref="Error"/>, which fails the file) or deliberately passed over (<see cref="Skip"/>).
/// </summary>
/// <param name="Path">The file as found under the path given.</param>
/// <param name="Name">
/// How messages, rejects and findings' evidence name it: its path relative to the folder that was given, with <c>/</c>
/// separators (two <c>usage.csv</c> in different subfolders stay apart), or its file name when the file itself was given.
/// </param>
/// <param name="Error">Why it cannot be read (an unreadable folder, a dangling link, a link loop); null when it can.</param>
/// <param name="Skip">Why it is passed over without harm (a link back to a folder already walked); null when it is read.</param>
public sealed record InputFile(string Path, string Name, string? Error = null, string? Skip = null)
{
    /// <summary>A file given by itself: named by its file name.</summary>
    public static InputFile Of(string path) => new(path, System.IO.Path.GetFileName(path));
}

/// <summary>
/// Expands the files and folders given to ingest into <see cref="InputFile"/>s: folders are walked recursively, sorted,
/// skipping hidden entries (<c>.name</c>), the lake's own <c>_tem</c> folders and <c>tem-pbx.json</c> settings. The walk
/// never throws for what it finds inside a folder: an unreadable subfolder or a dangling link becomes one entry with an
/// <see cref="InputFile.Error"/>, and links are resolved to real paths so that each real folder and file is visited
/// once (a link loop ends at the first repeat instead of being followed until the OS gives up).
/// </summary>
public static class InputWalk
{
    /// <summary>Links followed while resolving one path before it counts as a loop (Linux's own limit).</summary>
    private const int MaxLinkHops = 40;

    /// <summary>
    /// Extensions of files that are never data: notes and images a folder of data often carries (a README, the logos
    /// parties.csv points at). Not <c>.txt</c> (EDI 811 files often have it), nor PDFs, office documents, HTML,
    /// spreadsheets or archives: a bill in one of those is data the consultant expects to be read, and ingest must say
    /// that Tem cannot read it (a PDF bill fails with "ask the carrier for the bill's data file").
    /// </summary>
    private static readonly HashSet<string> NotDataExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".markdown", ".rst", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico",
    };

    /// <summary>
    /// True for a file that is not data by its name: notes or an image (<c>README.md</c>, <c>logos/acme.svg</c>), or a
    /// <c>README</c>/<c>LICENSE</c> text. Ingest lists such files once instead of reading them.
    /// </summary>
    public static bool IsNotData(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var file = System.IO.Path.GetFileName(name);
        var extension = System.IO.Path.GetExtension(file);
        if (NotDataExtensions.Contains(extension))
        {
            return true;
        }

        var stem = System.IO.Path.GetFileNameWithoutExtension(file);
        return (extension.Length == 0 || extension.Equals(".txt", StringComparison.OrdinalIgnoreCase))
               && (stem.Equals("README", StringComparison.OrdinalIgnoreCase) || stem.Equals("LICENSE", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Walks <paramref name="paths"/>; throws <see cref="FileNotFoundException"/> for a path given that does not exist.</summary>
    public static IReadOnlyList<InputFile> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = new List<InputFile>();
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                var found = new List<InputFile>();
                var seenFolders = new HashSet<string>(StringComparer.Ordinal);
                string root;
                try
                {
                    root = RealPath(p);
                }
                catch (IOException e)
                {
                    list.Add(new InputFile(p, p, Error: $"{p}: cannot be walked: {e.Message}"));
                    continue;
                }

                Walk(p, root, string.Empty, found, seenFolders, seenFiles);
                list.AddRange(found.OrderBy(f => f.Name, StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                if (seenFiles.Add(RealPathOrSelf(p)))
                {
                    list.Add(InputFile.Of(p));
                }
            }
            else if (new FileInfo(p).LinkTarget is { } target)
            {
                list.Add(new InputFile(p, System.IO.Path.GetFileName(p), Error: $"{p}: a link to {target}, which does not exist"));
            }
            else
            {
                throw new FileNotFoundException($"{p}: no such file or folder.", p);
            }
        }

        return list;
    }

    /// <summary>Walks one folder: <paramref name="folder"/> as found, <paramref name="real"/> its real path, <paramref name="prefix"/> its name relative to the root given.</summary>
    private static void Walk(string folder, string real, string prefix, List<InputFile> found, HashSet<string> seenFolders, HashSet<string> seenFiles)
    {
        seenFolders.Add(real);
        List<FileSystemInfo> entries;
        try
        {
            // Not recursive: .NET's own recursion follows folder links without noticing loops, and one unreadable
            // subfolder ends the whole enumeration with an exception.
            // Real entries before links, so that a folder is named by its own path rather than a link's.
            entries = [.. new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions
            {
                RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false,
            }).OrderBy(e => e.LinkTarget is not null).ThenBy(e => e.Name, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var name = prefix.Length == 0 ? folder : prefix.TrimEnd('/');
            found.Add(new InputFile(folder, name, Error: $"{name}/: the folder cannot be read ({e.Message}); its files were not ingested"));
            return;
        }

        foreach (var entry in entries)
        {
            if (entry.Name.StartsWith('.') || entry.Name == "_tem" || PbxSettings.IsSettingsFile(entry.Name))
            {
                continue;
            }

            var name = prefix + entry.Name;
            string target;
            if (entry.LinkTarget is { } link)
            {
                try
                {
                    target = RealPath(entry.FullName);
                }
                catch (IOException)
                {
                    found.Add(new InputFile(entry.FullName, name, Error: $"{name}: a link loop (-> {link}); nothing to read"));
                    continue;
                }

                if (!Path.Exists(target))
                {
                    found.Add(new InputFile(entry.FullName, name, Error: $"{name}: a link to {link}, which does not exist"));
                    continue;
                }
            }
            else
            {
                // The folder's real path plus a name that is no link is a real path too.
                target = System.IO.Path.Combine(real, entry.Name);
            }

            if (Directory.Exists(target))
            {
                if (seenFolders.Contains(target))
                {
                    found.Add(new InputFile(entry.FullName, name, Skip: $"{name}: a link to a folder already walked ({target}); not walked again"));
                    continue;
                }

                Walk(entry.FullName, target, name + "/", found, seenFolders, seenFiles);
            }
            else if (seenFiles.Add(target))
            {
                found.Add(new InputFile(entry.FullName, name));
            }
        }
    }

    private static string RealPathOrSelf(string path)
    {
        try
        {
            return RealPath(path);
        }
        catch (IOException)
        {
            return System.IO.Path.GetFullPath(path);
        }
    }

    /// <summary>
    /// The path with every link resolved, component by component, as POSIX <c>realpath</c> does (.NET has no such
    /// call: <see cref="FileSystemInfo.ResolveLinkTarget"/> resolves the last component only); <c>..</c> is applied
    /// after the links before it, like the OS does. Throws <see cref="IOException"/> after <see cref="MaxLinkHops"/> links.
    /// </summary>
    public static string RealPath(string path)
    {
        // Not GetFullPath: it applies ".." to the text, before the links in front of it are resolved.
        var full = System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(Directory.GetCurrentDirectory(), path);
        var current = System.IO.Path.GetPathRoot(full)!;
        var pending = new LinkedList<string>(Split(full[current.Length..]));
        var hops = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var part = first.Value;
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = System.IO.Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = System.IO.Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"more than {MaxLinkHops} links while resolving {path}: a link loop");
            }

            if (System.IO.Path.IsPathRooted(target))
            {
                current = System.IO.Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }

            foreach (var t in Split(target).Reverse())
            {
                pending.AddFirst(t);
            }
        }

        return current;
    }

    private static string[] Split(string path) =>
        path.Split([System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
