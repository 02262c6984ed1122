using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Csv;

/// <summary>How a record's structural problem is told: the one wording every reader's rejects and header errors use.</summary>
public static class RecordProblems
{
    /// <summary>
    /// The reject for a record's <paramref name="problem"/> in field <paramref name="field"/> (1-based; 0 = the row),
    /// named <paramref name="columnName"/> when the header gives one; null for <see cref="RecordProblem.None"/>.
    /// </summary>
    public static RowReject? Reject(RecordProblem problem, int field, string? columnName) => problem switch
    {
        RecordProblem.None => null,
        RecordProblem.UnterminatedQuote => new RowReject(field, columnName, RejectReason.UnterminatedQuote,
            "a quoted field is never closed; the rest of the file was read as this one row"),
        RecordProblem.BadQuote => new RowReject(field, columnName, RejectReason.BadQuote,
            "text follows a closing quote; a quoted field must end right before a comma or the line end"),
        RecordProblem.BadEncoding => new RowReject(field, columnName, RejectReason.BadEncoding,
            "is not valid UTF-8, and Tem computes on this field (a number, time, id or code), so it cannot be guessed; " +
            "free text in another encoding is read with a fallback, but this field must be plain UTF-8 (a damaged copy?)"),
        RecordProblem.ControlCharacter => new RowReject(field, columnName, RejectReason.ControlCharacter,
            "holds a control character (a NUL byte or similar): binary data or a damaged copy of the file, not a value"),
        _ => new RowReject(0, null, RejectReason.TooLong, $"the row is longer than {CsvRecordReader.MaxRecordBytes / (1024 * 1024)} MiB"),
    };

    /// <summary>Why a header row cannot be read, in words (never an enum name).</summary>
    public static string Describe(RecordProblem problem) => problem switch
    {
        RecordProblem.UnterminatedQuote => "a quoted name is never closed",
        RecordProblem.BadQuote => "text follows a closing quote",
        RecordProblem.BadEncoding => "it is not valid UTF-8",
        RecordProblem.None => "it is well formed",
        RecordProblem.ControlCharacter => "it holds control characters (binary data?)",
        RecordProblem.TooLong => $"it is longer than {CsvRecordReader.MaxRecordBytes / (1024 * 1024)} MiB",
        _ => "it cannot be read",
    };

    /// <summary>Why a header row cannot be read, or null when it can: a structural problem, or names that are not UTF-8.</summary>
    public static string? HeaderProblem(CsvRecordReader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Problem != RecordProblem.None ? Describe(header.Problem)
            : header.HasInvalidUtf8 ? Describe(RecordProblem.BadEncoding)
            : null;
    }
}
