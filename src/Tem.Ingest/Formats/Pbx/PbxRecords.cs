using System.Globalization;
using System.Text;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats;

/// <summary>Helpers shared by the PBX readers: CSV structure problems, field texts, and the pbx_calls field order.</summary>
internal static class PbxRecords
{
    /// <summary>Positions of the pbx_calls fields, in layout order.</summary>
    internal enum Field
    {
        Pbx,
        SourceFormat,
        RecordId,
        CallId,
        StartTime,
        AnswerTime,
        EndTime,
        DurationS,
        BillsecS,
        CallingNumber,
        CalledNumber,
        OriginalCalledNumber,
        Disposition,
        CauseCode,
        Channel,
        DstChannel,
        Context,
        AccountCode,
        OrigIp,
        DestIp,
        BilledMs,
    }

    /// <summary>Number of pbx_calls fields.</summary>
    internal const int FieldCount = (int)Field.BilledMs + 1;

    /// <summary>Fills <paramref name="record"/> with <paramref name="values"/> (indexed by <see cref="Field"/>).</summary>
    internal static void Fill(TranslatedRecord record, string?[] values)
    {
        foreach (var value in values)
        {
            record.Add(value);
        }
    }

    /// <summary>The reject for a CSV record's structural problem, or null when it has none.</summary>
    internal static RowReject? StructureReject(CsvRecordReader csv) => RecordProblems.Reject(csv.Problem, csv.ProblemField, null);

    /// <summary>
    /// A free-text field's text, trimmed of spaces and tabs: UTF-8, or decoded with the reader's
    /// <see cref="CsvRecordReader.TextFallback"/> (counted, reported once per file) when it is not.
    /// </summary>
    internal static string Text(CsvRecordReader csv, int index) => csv.Text(index).Trim(' ', '\t');

    /// <summary>
    /// The reject of a field Tem computes on (a number, time, id, disposition) that is not valid UTF-8, naming the
    /// column; null when it is UTF-8. Free text never needs this (<see cref="Text"/> decodes it).
    /// </summary>
    internal static RowReject? EncodingReject(CsvRecordReader csv, int index, string columnName) =>
        csv.IsUtf8(index) ? null : RecordProblems.Reject(RecordProblem.BadEncoding, index + 1, columnName);

    /// <summary>
    /// The reject of the first of <paramref name="computedOn"/> (0-based index and name, found once per file) that is not
    /// valid UTF-8; null at once for a record that is all UTF-8.
    /// </summary>
    internal static RowReject? EncodingReject(CsvRecordReader csv, IReadOnlyList<(int Index, string Name)> computedOn)
    {
        if (!csv.HasInvalidUtf8)
        {
            return null;
        }

        foreach (var (index, name) in computedOn)
        {
            if (EncodingReject(csv, index, name) is { } reject)
            {
                return reject;
            }
        }

        return null;
    }

    /// <summary>An instant as canonical text: ISO 8601 with the offset it was recorded with.</summary>
    internal static string Iso(DateTimeOffset instant) =>
        instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A value quoted for a message, cut at 80 characters.</summary>
    internal static string Quote(string value) => "'" + (value.Length > 80 ? value[..80] + "…" : value) + "'";
}
