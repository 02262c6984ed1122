using System.Globalization;
using Tem.Ingest.Csv;
using Tem.Ingest.Formats;
using Tem.Ingest.Rejects;
using Tem.Ingest.Validation;
using Tem.Lake;

namespace Tem.Ingest.Staging;

/// <summary>
/// Stages a file read through a format reader: its records, translated into the reader's canonical layout, are checked
/// and stored exactly like canonical rows (one thread: format files are small next to carrier usage). When the
/// reader reports a whole-file problem at the end, nothing is stored and the file is read again to reject every record.
/// </summary>
internal sealed class FormatStager(TemLake lake, ParquetStaging staging)
{
    /// <summary>
    /// Stages the records of <paramref name="reader"/> (opened on the file with <paramref name="bounded"/>, which
    /// <paramref name="format"/> opens it with again to reject every record of a file that fails as a whole).
    /// </summary>
    public StagedFile Stage(IngestJob job, IFormat format, IFormatReader reader, IngestOptions bounded, RejectStore rejects)
    {
        var (name, fileId) = (job.Name, job.FileId);
        var layout = reader.Layout;
        var (stageDir, tableDir) = staging.Prepare(fileId, layout);

        // A grown file's records before its earlier version's end were ingested then: they are read past, not again.
        var fromLine = job.Lineage.Resume(lake, layout)?.Line ?? 1;
        var scan = new FormatScan(reader, new RowWriter(layout, [.. Enumerable.Range(0, layout.Fields.Count)], layout.Fields.Count),
            rejects.Writer(fileId, job.RunId, name, format.Name), fromLine);
        try
        {
            staging.CopyToParquet(name, fileId, layout, tableDir, scan.OpenSource, threads: 1);
        }
        finally
        {
            scan.Rejects.Close();
        }

        var readNote = reader is IReportsTextFallback { TextFallback.Note: { } note } ? "; " + note : string.Empty;
        var staged = new StagedFile(job, format.Name, layout, stageDir, tableDir, fromLine) { ReadNote = readNote };
        if (reader.Problem is not { } problem)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"{name}: {format.Name} -> {layout.Table}: read {scan.Read} / stored {scan.Stored} / rejected {scan.Rejected}") +
                (reader is ISkipsRows { RowsSkipped: > 0 and var skipped } ? string.Create(CultureInfo.InvariantCulture, $" (skipped {skipped} row{(skipped == 1 ? "" : "s")} as the profile says)") : string.Empty) +
                readNote;
            return staged with { Read = scan.Read, Stored = scan.Stored, Rejected = scan.Rejected, Message = message };
        }

        // The file fails as a whole: drop what was staged and reject every record with the file's problem.
        Directory.Delete(tableDir, recursive: true);
        rejects.Clear();
        var where = problem.Line > 0
            ? problem.Column > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{name}:{problem.Line}:{problem.Column}")
                : string.Create(CultureInfo.InvariantCulture, $"{name}:{problem.Line}")
            : name;
        var failure = $"{where}: {problem.Message}";
        var all = rejects.Writer(fileId, job.RunId, name, format.Name);
        long read;
        try
        {
            using var again = format.Open(job.Path, bounded);
            read = RejectAll(again, all, new RowReject(0, null, problem.Reason, "file rejected: " + failure));
        }
        finally
        {
            all.Close();
        }

        return staged with
        {
            FromLine = 1, Read = read, Stored = 0, Rejected = read, Failure = failure, Message = $"{failure}; all {read} rows rejected",
        };
    }

    private static long RejectAll(IFormatReader reader, RejectWriter rejects, RowReject reject)
    {
        long read = 0;
        while (reader.Read(out _))
        {
            read++;
            rejects.Write(reader.Record.Line, reader.Record.Raw, reject);
        }

        return read;
    }
}
