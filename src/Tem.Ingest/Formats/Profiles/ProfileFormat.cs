using Tem.Ingest.Csv;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>
/// Carrier CSV layouts described by the profiles of <see cref="IngestOptions.Profiles"/>: a file is claimed by the
/// first profile whose header columns it has. Forced with <c>--kind profile</c>, a file that no profile recognises is
/// read with the only profile given, if there is just one.
/// </summary>
public sealed class ProfileFormat : IFormat
{
    /// <summary>The <c>--kind</c> name.</summary>
    public const string FormatName = "profile";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public string Description => "a carrier CSV layout described by a profile (--profile FILE) -> its canonical kind";

    /// <inheritdoc />
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        return Choose(head, options) is null ? FormatMatch.No : FormatMatch.Yes;
    }

    /// <inheritdoc />
    public IFormatReader Open(string path, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = Choose(FileHead.Read(path), options) ?? (options.Profiles.Count == 1 ? options.Profiles[0] : null);
        if (profile is null)
        {
            return new Unreadable(new FileProblem(0, 0, options.Profiles.Count == 0
                ? "no carrier profile is loaded; expected --profile FILE naming the profile of this layout"
                : $"its header matches none of the loaded profiles ({string.Join(", ", options.Profiles.Select(p => $"'{p.Name}'"))}); " +
                  "expected the header columns one of them detects (hint: name one profile with --profile to force it)"));
        }

        // The ingest checked the encoding's name before opening any file (Ingestor), so Named does not throw here.
        return new ProfileReader(FormatInput.Open(path, options), profile, TextFallback.Named(options.TextEncoding, "the text encoding"));
    }

    private static CarrierProfile? Choose(FileHead head, IngestOptions options) =>
        options.Profiles.FirstOrDefault(p => p.Matches(head.Bytes.Span));

    /// <summary>A reader with no records and a file problem.</summary>
    private sealed class Unreadable(FileProblem problem) : IFormatReader
    {
        public Layout Layout => CanonicalLayouts.Invoices;

        public string Format => FormatName;

        public TranslatedRecord Record { get; } = new();

        public FileProblem? Problem => problem;

        public bool Read(out RowReject? reject)
        {
            reject = null;
            return false;
        }

        public void Dispose()
        {
        }
    }
}
