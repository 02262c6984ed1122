using Tem.Ingest.Csv;
using Tem.Ingest.Validation;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Formats;

/// <summary>
/// What every PBX reader shares: records go to <c>pbx_calls</c>; the PBX's settings come from the command line and the
/// <c>tem-pbx.json</c> next to the file (<see cref="PbxSettings"/>); a whole-file problem found on opening (bad settings,
/// no time zone...) rejects every record with its message; otherwise each record is translated by the format. A new
/// PBX format subclasses <see cref="PbxCsvReader"/> (a CSV file) or this class, and writes only its layout's part.
/// </summary>
internal abstract class PbxReader : IFormatReader
{
    protected PbxReader(string path, IngestOptions options, string format)
    {
        Settings = PbxSettings.For(path, options);
        Format = format;
    }

    /// <inheritdoc/>
    public Layout Layout => CanonicalLayouts.PbxCalls;

    /// <inheritdoc/>
    public string Format { get; }

    /// <inheritdoc/>
    public TranslatedRecord Record { get; } = new();

    /// <inheritdoc/>
    public FileProblem? Problem { get; protected set; }

    /// <summary>The PBX's settings: options first, then its folder's <c>tem-pbx.json</c>.</summary>
    protected PbxSettings Settings { get; }

    /// <summary>The translated fields of the current record, indexed by <see cref="PbxRecords.Field"/>.</summary>
    protected string?[] Values { get; } = new string?[PbxRecords.FieldCount];

    /// <summary>The settings file's problem as a whole-file message, or null.</summary>
    protected string? SettingsProblem =>
        Settings.Problem is { } bad ? $"{bad} (it sits next to the file and holds the PBX's settings)" : null;

    /// <inheritdoc/>
    public bool Read(out RowReject? reject)
    {
        reject = null;
        if (!Next(out var line, out var raw))
        {
            return false;
        }

        Record.Clear();
        Record.Line = line;
        Record.Raw = raw;
        reject = Problem is { } problem ? new RowReject(0, null, problem.Reason, problem.Message) : Translate();
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Advances to the next source record: false at the end; else its 1-based line and raw text.</summary>
    protected abstract bool Next(out long line, out string raw);

    /// <summary>Translates the current record into <see cref="Record"/>, or says why it cannot be stored.</summary>
    protected abstract RowReject? Translate();

    /// <summary>Releases the input.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>
    /// The PBX's zone (<see cref="PbxSettings.TimeZone"/>); null when none is set, or with <paramref name="problem"/>
    /// when it is not an IANA zone the tz database knows.
    /// </summary>
    protected TimeZoneInfo? Zone(out string? problem)
    {
        problem = null;
        if (Settings.TimeZone is not { } id)
        {
            return null;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || (!id.Contains('/', StringComparison.Ordinal) && id != "UTC"))
        {
            problem = $"the PBX time zone '{id}' is not an IANA zone the tz database knows; expected e.g. Europe/London or America/New_York";
            return null;
        }

        return zone;
    }
}

/// <summary>
/// A PBX reader of a CSV file: the input opened bounded and metered (<see cref="FormatInput"/>), text fields that are
/// not UTF-8 decoded with the PBX's fallback encoding (reported once per file), and each record checked in turn for
/// its CSV structure, its field count (<see cref="CountReject"/>), bytes that are not UTF-8 in a column Tem computes on
/// (<see cref="EncodingReject"/>), then translated by the layout (<see cref="TranslateFields"/>).
/// </summary>
internal abstract class PbxCsvReader : PbxReader, IReportsTextFallback
{
    protected PbxCsvReader(string path, IngestOptions options, string format)
        : base(path, options, format)
    {
        TextFallback = new TextFallback(TextFallback.Resolve(Settings.TextEncoding));
        Csv = new CsvRecordReader(FormatInput.Open(path, options)) { TextFallback = TextFallback };
    }

    /// <inheritdoc/>
    public TextFallback TextFallback { get; }

    /// <summary>The file's records.</summary>
    protected CsvRecordReader Csv { get; }

    /// <summary>
    /// The columns Tem computes on (0-based index and name, found once per file): a byte that is not UTF-8 in one of them
    /// rejects the record (<c>bad_encoding</c>, naming it); every other column is free text, decoded with the fallback.
    /// </summary>
    protected (int Index, string Name)[] ComputedOn { get; set; } = [];

    /// <summary>Moves <see cref="Csv"/> to the next record (a layout may skip a header or replay a line).</summary>
    protected virtual bool Advance() => Csv.Read();

    /// <inheritdoc/>
    protected sealed override bool Next(out long line, out string raw)
    {
        (line, raw) = (0, string.Empty);
        if (!Advance())
        {
            return false;
        }

        (line, raw) = (Csv.LineNumber, Csv.RawText());
        return true;
    }

    /// <inheritdoc/>
    protected sealed override RowReject? Translate() =>
        PbxRecords.StructureReject(Csv) ?? CountReject(Csv.FieldCount) ?? EncodingReject() ?? TranslateFields();

    /// <summary>The reject of a record with the wrong number of fields for the layout, or null.</summary>
    protected abstract RowReject? CountReject(int count);

    /// <summary>The reject of the first column Tem computes on that is not UTF-8 (<see cref="ComputedOn"/>), or null.</summary>
    protected virtual RowReject? EncodingReject() => PbxRecords.EncodingReject(Csv, ComputedOn);

    /// <summary>Translates a well-formed record of the right field count into <see cref="PbxReader.Record"/>, or rejects it.</summary>
    protected abstract RowReject? TranslateFields();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Csv.Dispose();
        }

        base.Dispose(disposing);
    }
}
