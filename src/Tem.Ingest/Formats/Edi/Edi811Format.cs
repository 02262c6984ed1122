namespace Tem.Ingest.Formats.Edi;

/// <summary>ANSI X12 EDI 811 telecom invoices: a file whose first segment is an ISA.</summary>
public sealed class Edi811Format : IFormat
{
    /// <summary>The <c>--kind</c> name.</summary>
    public const string FormatName = "edi811";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public string Description => "ANSI X12 EDI 811 consolidated service invoice (004010/005010) -> charges";

    /// <inheritdoc />
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);

        // Any X12 interchange is claimed: one that holds no 811 then fails with a message saying what it holds.
        return Edi811Reader.LooksLikeX12(head.Bytes.Span) ? FormatMatch.Yes : FormatMatch.No;
    }

    /// <inheritdoc />
    public IFormatReader Open(string path, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Edi811Reader(FormatInput.Open(path, options), options.Edi811);
    }
}
