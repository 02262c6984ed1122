using Tem.Ingest.Formats;

namespace Tem.Ingest;

/// <summary>Settings of an ingest run.</summary>
public sealed record IngestOptions
{
    /// <summary>
    /// Read every file as this kind instead of recognising it: a canonical kind (<c>usage</c>...) or a format name
    /// (<c>asterisk</c>, <c>cucm-cdr</c>...; see <see cref="FormatRegistry"/>).
    /// </summary>
    public string? Kind { get; init; }

    /// <summary>
    /// IANA time zone of the PBX whose records hold local times without an offset (Asterisk Master.csv), e.g.
    /// <c>Europe/London</c>; beats <c>time_zone</c> of a <c>tem-pbx.json</c> next to the file.
    /// </summary>
    public string? PbxTimeZone { get; init; }

    /// <summary>Name stored in <c>pbx_calls.pbx</c> for PBX records; beats <c>pbx</c> of a <c>tem-pbx.json</c> next to the file.</summary>
    public string? PbxName { get; init; }

    /// <summary>
    /// The encoding text fields that are not valid UTF-8 are read with (e.g. <c>windows-1252</c>, <c>iso-8859-1</c>);
    /// null = windows-1252 (<see cref="Csv.TextFallback"/>). Beats <c>text_encoding</c> of a <c>tem-pbx.json</c>.
    /// </summary>
    public string? TextEncoding { get; init; }

    /// <summary>How EDI 811 invoices map onto invoice lines (carrier name, default currency, charge codes...).</summary>
    public Formats.Edi.Edi811Options Edi811 { get; init; } = new();

    /// <summary>
    /// Carrier profiles (<see cref="Formats.Profiles.CarrierProfile.LoadAll"/>): a CSV whose header has a profile's
    /// detection columns is read through that profile.
    /// </summary>
    public IReadOnlyList<Formats.Profiles.CarrierProfile> Profiles { get; init; } = [];

    /// <summary>Threads that parse and write in parallel (slices of one file); null = one per core.</summary>
    public int? Threads { get; init; }

    /// <summary>DuckDB's memory limit while staging; beyond it DuckDB spills to <c>_tem/tmp</c>.</summary>
    public string MemoryLimit { get; init; } = "1GB";

    /// <summary>
    /// A file that changed since it was ingested from the same path (not grown: its first bytes differ, and records
    /// repeat that version's) replaces that version instead of failing as a conflict (<c>tem ingest --replace</c>).
    /// </summary>
    public bool ReplaceChanged { get; init; }

    /// <summary>Set by the ingestor for each file: format readers read only this many bytes (the length hashed).</summary>
    internal long? ReadLimit { get; init; }

    /// <summary>Set by the ingestor when progress is wanted: format readers' streams count their bytes into it.</summary>
    internal ByteMeter? Meter { get; init; }
}
