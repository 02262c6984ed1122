namespace Tem.Ingest.Formats;

/// <summary>
/// Asterisk's <c>cdr_csv</c> <c>Master.csv</c>, every version in use: 16 to 21 fields <c>accountcode, src, dst, dcontext,
/// clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags[, uniqueid][,
/// userfield][, peeraccount, linkedid, sequence]</c> (<see cref="AsteriskColumns.CsvByCount"/>), with or without a header
/// line of those names; times are the PBX's local <c>YYYY-MM-DD HH:MM:SS</c> without an offset. Recognised by that shape.
/// </summary>
public sealed class AsteriskFormat : IFormat
{
    /// <summary>Fewest fields of a cdr_csv record (up to amaflags).</summary>
    public const int MinFields = AsteriskColumns.CsvMin;

    /// <summary>Most fields of a cdr_csv record (with uniqueid, userfield and the newcdrcolumns peeraccount, linkedid, sequence).</summary>
    public const int MaxFields = AsteriskColumns.CsvMax;

    /// <summary>The format's name.</summary>
    public const string FormatName = "asterisk";

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public string Description => "Asterisk cdr_csv Master.csv (16 to 21 fields, header or not, local times in the PBX's zone)";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        var shape = AsteriskShape.Detect(head, options, (byte)',') ?? AsteriskShape.Detect(head, options, (byte)';');
        return shape?.Format == FormatName ? FormatMatch.Yes : FormatMatch.No;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new AsteriskReader(path, options, FormatName);

    /// <summary>The first record is a cdr_csv record (16 to 21 fields, local times where start and end belong).</summary>
    internal static bool LooksLikeAsterisk(FileHead head, byte separator) =>
        AsteriskShape.Detect(head, new IngestOptions(), separator) is not null;
}

/// <summary>
/// Asterisk's <c>cdr_custom</c> (<c>cdr-custom/Master.csv</c>): with its default mapping (19 fields, every one quoted,
/// <c>clid</c> first and <c>start</c> 9th; <see cref="AsteriskColumns.CustomDefault"/>) recognised by that shape, with a
/// header line of CDR variable names in another order, or with the mapping the PBX declares in <c>cdr_custom.conf</c>,
/// given as <c>"cdr_custom"</c> in the folder's <c>tem-pbx.json</c>. Its own format name, so that <c>source_format</c>
/// and <c>--kind asterisk-custom</c> say which Asterisk module wrote the file; read by the same reader as cdr_csv.
/// </summary>
public sealed class AsteriskCustomFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "asterisk-custom";

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public string Description => "Asterisk cdr_custom (default mapping, a header of CDR names, or the mapping given in tem-pbx.json)";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        return AsteriskShape.Detect(head, options, (byte)',')?.Format == FormatName ? FormatMatch.Yes : FormatMatch.No;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new AsteriskReader(path, options, FormatName);
}
