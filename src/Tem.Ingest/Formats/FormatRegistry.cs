using Tem.Lake.Layouts;

namespace Tem.Ingest.Formats;

/// <summary>
/// The real-world formats the ingest knows. A file is offered to each format's sniff in this order; the first that
/// claims it reads it; a file no format claims is canonical CSV, recognised from its header as before.
/// <c>--kind NAME</c> forces a format (or a canonical kind) without sniffing.
/// </summary>
public static class FormatRegistry
{
    /// <summary>Every registered format, in sniffing order.</summary>
    public static IReadOnlyList<IFormat> All { get; } =
    [
        // PBX call records (lake table pbx_calls).
        .. PbxFormats.All,

        // Carrier bills: EDI 811 and carrier CSV profiles register here, one line each.
        new Edi.Edi811Format(),
        new Profiles.ProfileFormat(),
    ];

    /// <summary>The format of a name (case-insensitive), or null.</summary>
    public static IFormat? ByName(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every value <c>--kind</c> accepts: the canonical kinds, then the format names.</summary>
    public static IReadOnlyList<string> KindNames => [.. CanonicalLayouts.All.Select(l => l.Kind), .. All.Select(f => f.Name)];

    /// <summary>The first format whose sniff claims (or skips) the file, with its verdict; null for canonical CSV.</summary>
    public static (IFormat Format, FormatMatch Match)? Detect(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var format in All)
        {
            var match = format.Sniff(head, options);
            if (match.Verdict != SniffVerdict.No)
            {
                return (format, match);
            }
        }

        return null;
    }
}
