using Tem.DuckDb;
using System.Globalization;

namespace Tem.Ingest.Tests.Formats;

/// <summary>Reading pbx_calls back for the format tests.</summary>
internal static class PbxLake
{
    /// <summary>One stored PBX call, the columns the tests look at.</summary>
    internal sealed record Call(
        string Pbx, string SourceFormat, string? RecordId, string? CallId, DateTimeOffset Start, DateTimeOffset? Answer, DateTimeOffset? End,
        long Duration, long Billsec, string? Calling, string? Called, string? OriginalCalled, string Disposition, long? Cause,
        string? Channel, string? DstChannel, string? AccountCode, string? OrigIp, string? DestIp, int OffsetMinutes, string Month, long Line);

    /// <summary>Every stored call, by source line.</summary>
    internal static List<Call> Calls(ScratchLake lake)
    {
        using var c = lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT pbx, source_format, record_id, call_id, start_time, answer_time, end_time, duration_s, billsec_s, calling_number,
                   called_number, original_called_number, disposition, cause_code, channel, dst_channel, account_code, orig_ip, dest_ip,
                   start_offset_min, month, source_line
            FROM pbx_calls ORDER BY source_line
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<Call>();
        while (r.Read())
        {
            list.Add(new Call(
                r.GetString(0), r.GetString(1), r.GetStringOrNull(2), r.GetStringOrNull(3), r.GetFieldValue<DateTimeOffset>(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
                r.GetInt64(7), r.GetInt64(8), r.GetStringOrNull(9), r.GetStringOrNull(10), r.GetStringOrNull(11),
                r.GetString(12), r.IsDBNull(13) ? null : r.GetInt64(13), r.GetStringOrNull(14), r.GetStringOrNull(15),
                r.GetStringOrNull(16), r.GetStringOrNull(17), r.GetStringOrNull(18), r.GetInt32(19), r.GetString(20),
                r.GetInt64(21)));
        }

        return list;
    }

    /// <summary>A UTC instant from <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    internal static DateTimeOffset Utc(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
