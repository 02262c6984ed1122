using System.Security.Cryptography;
using Tem.Lake;

namespace Tem.Ingest;

/// <summary>
/// An input file that is an earlier ingested file grown in place (Asterisk appends to <c>Master.csv</c>; a carrier
/// re-sends a month with late records at the end): the earlier file's bytes are exactly this file's first bytes.
/// </summary>
/// <param name="Earlier">The earlier file (the longest one whose content is a prefix of this one).</param>
/// <param name="Offset">
/// Where the earlier content's last whole line ends: its end when it ended with a line break, else the start of the
/// line it cut short (a copy taken while the PBX wrote, or a file without a final line break).
/// </param>
/// <param name="Line">The physical line that starts at <paramref name="Offset"/>.</param>
/// <param name="CutLineEnd">When the earlier content cut line <paramref name="Line"/> short: where that line ends in this file (the next line's start); else null.</param>
public sealed record GrownFile(CatalogFile Earlier, long Offset, long Line, long? CutLineEnd);

/// <summary>
/// Hashes an input file (SHA-256, its identity in the catalog) and, in the same single pass, the hash of every
/// prefix whose length is that of an active file of the lake: an equal hash means the file grew from that one.
/// </summary>
public static class FileVersions
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// The file's SHA-256 (lower-case hex) over its first <c>Bytes</c> (its length when hashing began; what a writer
    /// appends meanwhile is left for the next ingest) and, when one of <paramref name="earlier"/> is a prefix of it,
    /// the longest such one. Only files shorter than this one can be prefixes; others are ignored.
    /// </summary>
    public static (string Sha256, long Bytes, GrownFile? Grown) Hash(string path, IReadOnlyList<CatalogFile> earlier)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(earlier);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var length = stream.Length;
        var byLength = earlier.Where(f => f.Bytes > 0 && f.Bytes < length).GroupBy(f => f.Bytes).OrderBy(g => g.Key).ToList();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        var hash = new byte[32];
        long position = 0, lineFeeds = 0, lastLineFeed = -1;
        var next = 0;
        GrownFile? grown = null;
        int n;
        // Only the bytes there when hashing began: a file a PBX keeps writing to is taken as it was then.
        while (position < length && (n = stream.Read(buffer.AsSpan(0, (int)Math.Min(BufferSize, length - position)))) > 0)
        {
            var start = 0;

            // Feed the hash up to each candidate length inside this buffer, and compare the prefix's hash there.
            while (next < byLength.Count && byLength[next].Key <= position + n)
            {
                var cut = (int)(byLength[next].Key - position);
                Feed(start, cut);
                start = cut;
                sha.GetCurrentHash(hash);
                var hex = Convert.ToHexStringLower(hash);
                if (byLength[next].FirstOrDefault(f => f.Sha256 == hex) is { } match)
                {
                    // Resume at the end of the prefix when it ends a line; else at the start of the line it cut short
                    // (a copy taken while the PBX was writing); a prefix without a whole line is no earlier version.
                    if (buffer[cut - 1] == (byte)'\n')
                    {
                        grown = new GrownFile(match, match.Bytes, lineFeeds + 1, null);
                    }
                    else if (lastLineFeed >= 0)
                    {
                        grown = new GrownFile(match, lastLineFeed + 1, lineFeeds + 1, -1);
                    }
                }

                next++;
            }

            Feed(start, n);
            position += n;
        }

        if (grown is { CutLineEnd: -1 })
        {
            // The cut line ends at the first line break after the earlier content (or at the end of the file).
            stream.Position = grown.Earlier.Bytes;
            long at = grown.Earlier.Bytes;
            long end = length;
            while (at < length && (n = stream.Read(buffer.AsSpan(0, (int)Math.Min(BufferSize, length - at)))) > 0)
            {
                if (buffer.AsSpan(0, n).IndexOf((byte)'\n') is >= 0 and var lf)
                {
                    end = at + lf + 1;
                    break;
                }

                at += n;
            }

            grown = grown with { CutLineEnd = end };
        }

        sha.GetCurrentHash(hash);
        return (Convert.ToHexStringLower(hash), position, grown);

        // Hashes buffer[from..to]; counts its line feeds while a prefix may still come (a file with no shorter earlier
        // version pays nothing for that).
        void Feed(int from, int to)
        {
            var bytes = buffer.AsSpan(from, to - from);
            sha.AppendData(bytes);
            if (next < byLength.Count)
            {
                lineFeeds += bytes.Count((byte)'\n');
                if (bytes.LastIndexOf((byte)'\n') is >= 0 and var last)
                {
                    lastLineFeed = position + from + last;
                }
            }
        }
    }
}
