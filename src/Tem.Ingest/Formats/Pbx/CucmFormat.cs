using Tem.Ingest.Csv;

namespace Tem.Ingest.Formats;

/// <summary>
/// Cisco Unified CM CDR flat files (<c>cdr_&lt;cluster&gt;_&lt;node&gt;_&lt;yyyyMMddHHmm&gt;_&lt;seq&gt;</c>): a line of
/// column names, a line of column types (which a spreadsheet or collector may have stripped: the types are then those of
/// <see cref="CucmColumns"/>), then one call leg per line with times as UTC epoch seconds. Recognised by
/// the names line (<c>cdrRecordType</c>, <c>globalCallID_callId</c>, <c>dateTimeOrigination</c>). CMR files (call
/// management records: voice-quality counters per leg, same family) are recognised and skipped: they are not calls.
/// </summary>
public sealed class CucmFormat : IFormat
{
    /// <inheritdoc/>
    public string Name => "cucm-cdr";

    /// <inheritdoc/>
    public string Description => "Cisco CUCM CDR flat file, releases 6.x to 15 (names line, types line or none, UTC epoch seconds); CMR files are skipped";

    /// <inheritdoc/>
    public FormatMatch Sniff(FileHead head, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        using var csv = new CsvRecordReader(new MemoryStream(head.Bytes.ToArray()), (byte)',', 64 * 1024);
        if (!csv.Read() || csv.Problem != RecordProblem.None || csv.FieldCount < 2)
        {
            return FormatMatch.No;
        }

        var names = new HashSet<string>(Enumerable.Range(0, csv.FieldCount).Select(i => PbxRecords.Text(csv, i)), StringComparer.OrdinalIgnoreCase);
        if (!names.Contains("cdrRecordType") || !names.Contains("globalCallID_callId"))
        {
            return FormatMatch.No;
        }

        if (names.Contains("dateTimeOrigination"))
        {
            return FormatMatch.Yes;
        }

        return names.Contains("varVQMetrics") || names.Contains("numberPacketsSent") || names.Contains("directoryNum")
            ? FormatMatch.Skip(
                "a Cisco CUCM CMR file (call management records: voice-quality counters per call leg, not calls); " +
                "CMRs are not stored, the calls are in the matching cdr_ file")
            : FormatMatch.Yes;
    }

    /// <inheritdoc/>
    public IFormatReader Open(string path, IngestOptions options) => new CucmReader(path, options);
}
