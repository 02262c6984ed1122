using Tem.Lake;
using Tem.Reports;

namespace Tem.App;

/// <summary>Writes the report folder from a lake, reading only (no lock, no recovery, no catalog write).</summary>
public sealed class ReportOperation(TimeProvider time)
{
    /// <summary>
    /// Writes the report set (report.html, workbook, CSVs, dispute packs, proposal, tenant sets) into <paramref name="outDir"/>.
    /// Throws <see cref="DirectoryNotFoundException"/> when <paramref name="lake"/> holds no lake, and
    /// <see cref="ArgumentException"/> (parameter <c>options</c>) for options the lake cannot satisfy (an unknown tenant).
    /// </summary>
    public ReportResult Write(string lake, string outDir, ReportOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        return ReportWriter.Write(TemLake.OpenExisting(lake), outDir, options, time);
    }

    /// <summary>The report step of a run, from the lake the run holds.</summary>
    internal ReportResult Write(TemLake lake, string outDir, ReportOptions options) => ReportWriter.Write(lake, outDir, options, time);
}
