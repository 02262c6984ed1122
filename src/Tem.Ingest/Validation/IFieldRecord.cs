using System.Runtime.CompilerServices;
using Tem.Ingest.Csv;
using Tem.Ingest.Formats;

namespace Tem.Ingest.Validation;

/// <summary>
/// A read-only view of one input record for <see cref="RowWriter"/>: its fields by column, where it is in its file,
/// and any structural problem. Implemented by structs (<see cref="CsvFieldRecord"/>, <see cref="TranslatedFieldRecord"/>)
/// so that <see cref="RowWriter.TryWrite{TRecord}"/> is compiled once per record kind and the calls inline: the
/// canonical CSV path pays nothing for the abstraction.
/// </summary>
public interface IFieldRecord
{
    /// <summary>1-based line of the source file where the record starts.</summary>
    long LineNumber { get; }

    /// <summary>The record's structural problem, if any (only CSV records have them).</summary>
    RecordProblem Problem { get; }

    /// <summary>For <see cref="Problem"/>: the 1-based source column at fault, 0 for the whole record.</summary>
    int ProblemField { get; }

    /// <summary>Number of fields.</summary>
    int FieldCount { get; }

    /// <summary>True when some field may not be valid UTF-8 (then each field is checked; text is decoded with the fallback).</summary>
    bool HasInvalidUtf8 { get; }

    /// <summary>The UTF-8 bytes of field <paramref name="index"/> (0-based).</summary>
    ReadOnlySpan<byte> Field(int index);

    /// <summary>Whether the field's text is to be kept exactly (a quoted CSV field; every translated field).</summary>
    bool IsQuoted(int index);

    /// <summary>The 1-based column of the source file to name in a reject about field <paramref name="index"/>; 0 for none.</summary>
    int SourceColumn(int index);
}

/// <summary>A canonical CSV record: the reader's current record, columns as in the file.</summary>
/// <param name="Reader">The reader positioned on the record.</param>
public readonly record struct CsvFieldRecord(CsvRecordReader Reader) : IFieldRecord
{
    /// <inheritdoc/>
    public long LineNumber
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Reader.LineNumber;
    }

    /// <inheritdoc/>
    public RecordProblem Problem
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Reader.Problem;
    }

    /// <inheritdoc/>
    public int ProblemField => Reader.ProblemField;

    /// <inheritdoc/>
    public bool HasInvalidUtf8
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Reader.HasInvalidUtf8;
    }

    /// <inheritdoc/>
    public int FieldCount
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Reader.FieldCount;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Field(int index) => Reader.Field(index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsQuoted(int index) => Reader.IsQuoted(index);

    /// <inheritdoc/>
    public int SourceColumn(int index) => index + 1;
}

/// <summary>
/// A record a format reader translated into a layout's fields: field <c>i</c> is layout field <c>i</c>; rejects
/// name the source column the field came from (<see cref="TranslatedRecord.SourceColumn"/>).
/// </summary>
/// <param name="Record">The translated record.</param>
public readonly record struct TranslatedFieldRecord(TranslatedRecord Record) : IFieldRecord
{
    /// <inheritdoc/>
    public long LineNumber => Record.Line;

    /// <inheritdoc/>
    public RecordProblem Problem => RecordProblem.None;

    /// <inheritdoc/>
    public int ProblemField => 0;

    /// <inheritdoc/>
    public bool HasInvalidUtf8 => false;

    /// <inheritdoc/>
    public int FieldCount => Record.FieldCount;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Field(int index) => Record.Field(index);

    /// <inheritdoc/>
    public bool IsQuoted(int index) => true;

    /// <inheritdoc/>
    public int SourceColumn(int index) =>
        (uint)index < (uint)Record.SourceColumn.Length ? Record.SourceColumn[index] : 0;
}
