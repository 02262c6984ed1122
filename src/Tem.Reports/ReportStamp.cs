using Tem.Lake;

namespace Tem.Reports;

/// <summary>
/// The "generated" stamp of a report set (its pages, the workbook, the letters' date): the time the lake's latest
/// audit finished, so two writes from the same lake state are byte for byte the same. The clock only stands in for a
/// lake that was never audited.
/// </summary>
public static class ReportStamp
{
    /// <summary>
    /// The finish time of the latest run that audited <paramref name="lake"/> (a run that recorded its findings count:
    /// <c>tem audit</c>, <c>tem run</c>, <c>tem demo</c>, a scheduled pipeline), or <paramref name="time"/>'s now
    /// when none did.
    /// </summary>
    public static DateTimeOffset Of(TemLake lake, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(time);
        return lake.Catalog.Runs().Where(r => r.Findings is not null && r.FinishedAt is not null).Select(r => r.FinishedAt!.Value).DefaultIfEmpty(time.GetUtcNow()).Max();
    }
}
