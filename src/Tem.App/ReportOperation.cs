using Tem.Core;
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
    /// <param name="lake">The lake folder.</param>
    /// <param name="outDir">The report folder.</param>
    /// <param name="options">The report's settings.</param>
    /// <param name="progress">Receives one report per file written (see <see cref="ReportWriter.Write"/>).</param>
    public ReportResult Write(string lake, string outDir, ReportOptions options, IProgress<WorkProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(lake);
        return ReportWriter.Write(TemLake.OpenExisting(lake), outDir, options, time, progress);
    }

    /// <summary>The report step of a run, from the lake the run holds.</summary>
    internal ReportResult Write(TemLake lake, string outDir, ReportOptions options, IProgress<WorkProgress>? progress) =>
        ReportWriter.Write(lake, outDir, options, time, progress);
}
