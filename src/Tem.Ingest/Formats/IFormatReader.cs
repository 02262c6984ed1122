using System.Text;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats;

/// <summary>
/// Reads a file in a real-world format (Asterisk Master.csv, CUCM CDR, EDI 811, a carrier CSV through a
/// profile...) and hands out its records already translated into the fields of one canonical
/// <see cref="Layout"/>, as the text a canonical CSV would hold (e.g. timestamps as ISO 8601 with an offset,
/// amounts with <c>.</c>). The ingest then checks and stores them exactly like a canonical file's rows, so a
/// translated record is held to the same rules; a record the translation itself cannot make sense of is
/// refused here with a <see cref="RowReject"/> that points at the source file's line and column.
/// </summary>
public interface IFormatReader : IDisposable
{
    /// <summary>The canonical layout the records are translated into (decides the lake table).</summary>
    Layout Layout { get; }

    /// <summary>Short name of the source format for messages and the catalog, e.g. <c>asterisk</c>, <c>edi811</c>.</summary>
    string Format { get; }

    /// <summary>
    /// Advances to the next record. Returns false at the end of the file. When it returns true, either
    /// <paramref name="reject"/> is null and <see cref="Record"/> holds the translated fields, or
    /// <paramref name="reject"/> says why this source record cannot be stored (it is then counted as read and
    /// rejected, with <see cref="Record"/>'s <see cref="TranslatedRecord.Line"/> and raw text as its location).
    /// </summary>
    bool Read(out RowReject? reject);

    /// <summary>The current record; valid until the next <see cref="Read"/>.</summary>
    TranslatedRecord Record { get; }

    /// <summary>
    /// A problem with the file as a whole found while reading (e.g. an EDI control count that does not add up,
    /// a truncated interchange); null when none. Checked after the last <see cref="Read"/>: when set, the file
    /// fails and every record read from it is rejected with this message.
    /// </summary>
    FileProblem? Problem { get; }
}

/// <summary>A whole-file problem: where (1-based line, 0 if none) and what.</summary>
/// <param name="Line">1-based line (segment line for EDI) at fault, 0 when the whole file is.</param>
/// <param name="Column">1-based column (element position for EDI), 0 when not one column.</param>
/// <param name="Message">What was wrong, what was expected, and a hint.</param>
public sealed record FileProblem(long Line, int Column, string Message)
{
    /// <summary>The reason code every row of the file is rejected with; <c>bad_file</c> unless a more precise one applies.</summary>
    public Tem.Core.RejectReason Reason { get; init; } = Tem.Core.RejectReason.BadFile;
}

/// <summary>
/// One source record translated into a canonical layout's fields (in the layout's field order). Field texts
/// are UTF-8 bytes; a null or empty field is an empty value. Reused between records to spare allocations.
/// </summary>
public sealed class TranslatedRecord
{
    private readonly List<byte[]?> _fields = [];

    /// <summary>1-based line of the source file where the record starts (for EDI: the line of its first segment).</summary>
    public long Line { get; set; }

    /// <summary>The source record's text as it appears in the file (kept with a rejected row).</summary>
    public string Raw { get; set; } = string.Empty;

    /// <summary>
    /// For each layout field, the 1-based column (EDI: element position) of the source it came from, or 0 when it
    /// was computed or constant; used to point a validation error at the source rather than the layout.
    /// </summary>
    public int[] SourceColumn { get; set; } = [];

    /// <summary>Number of fields set.</summary>
    public int FieldCount => _fields.Count;

    /// <summary>Empties the record for the next one.</summary>
    public void Clear()
    {
        _fields.Clear();
        Raw = string.Empty;
        Line = 0;
    }

    /// <summary>Appends the next layout field's text (null = empty).</summary>
    public void Add(string? text) => _fields.Add(text is null ? null : Encoding.UTF8.GetBytes(text));

    /// <summary>Appends the next layout field's UTF-8 bytes.</summary>
    public void Add(ReadOnlySpan<byte> utf8) => _fields.Add(utf8.ToArray());

    /// <summary>The field at a layout position.</summary>
    public ReadOnlySpan<byte> Field(int index) => _fields[index];
}
