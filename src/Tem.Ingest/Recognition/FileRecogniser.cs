using Tem.Ingest.Formats;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Recognition;

/// <summary>What a file's first bytes say it is: a binary file (<see cref="Binary"/>), a format's file, or neither (canonical CSV).</summary>
/// <param name="Format">The format that reads it (recognised or forced with <see cref="IngestOptions.Kind"/>), or null.</param>
/// <param name="Match">The format's verdict (a forced format may still skip the file).</param>
/// <param name="Binary">What kind of compressed or binary file it is, or null.</param>
internal readonly record struct HeadVerdict(IFormat? Format, FormatMatch Match, string? Binary);

/// <summary>Recognises a file by its head: binary files, then a forced format, then the formats of <see cref="FormatRegistry"/>.</summary>
internal static class FileRecogniser
{
    /// <summary>Reads the head of the file at <paramref name="path"/> and says what it is; IO errors are the caller's.</summary>
    public static HeadVerdict ReadHead(string path, IngestOptions options)
    {
        var head = FileHead.Read(path);
        if (BinaryFiles.Describe(head.Bytes.Span) is { } binary)
        {
            return new HeadVerdict(null, FormatMatch.No, binary);
        }

        if (options.Kind is { } forced && CanonicalLayouts.ByKind(forced) is null)
        {
            var format = FormatRegistry.ByName(forced)
                ?? throw new ArgumentException($"Unknown kind '{forced}'; expected one of: {string.Join(", ", FormatRegistry.KindNames)}.");

            // A forced format still gets to say that this file is one it skips (e.g. a CMR file read as cucm-cdr).
            return new HeadVerdict(format, format.Sniff(head, options), null);
        }

        if (options.Kind is null && FormatRegistry.Detect(head, options) is { } detected)
        {
            return new HeadVerdict(detected.Format, detected.Match, null);
        }

        return new HeadVerdict(null, FormatMatch.No, null);
    }
}
