using System.Globalization;
using Tem.Ingest.Csv;
using Tem.Ingest.Recognition;
using Tem.Ingest.Rejects;
using Tem.Ingest.Validation;
using Tem.Lake;

namespace Tem.Ingest.Staging;

/// <summary>
/// Stages a canonical CSV file: its rows are read on parallel slices (<see cref="CsvFileScan"/>), checked field by
/// field (<see cref="RowWriter"/>), the good ones copied to Parquet in staging and the others written to the file's rejects.
/// </summary>
internal sealed class CsvStager(TemLake lake, ParquetStaging staging, IngestOptions options, ByteMeter? meter)
{
    /// <summary>
    /// Stages the rows after the header <paramref name="reader"/> has read. <paramref name="rejects"/> is emptied
    /// first when the file must be read again in one pass.
    /// </summary>
    public StagedFile Stage(IngestJob job, CsvRecordReader reader, CsvHeader header, RejectStore rejects, bool sequential = false)
    {
        var (layout, fatal) = (header.Layout, header.Fatal);
        var (path, name, fileId, bytes) = (job.Path, job.Name, job.FileId, job.Lineage.Bytes);
        var (stageDir, tableDir) = staging.Prepare(fileId, layout);

        // A grown file is read from where its earlier version ended; any other from the line after the header.
        var (dataStart, dataLine) = job.Lineage.Resume(lake, layout) is { } resume && fatal is null
            ? resume
            : (reader.BytesRead, reader.LineNumber + 1);

        var threads = fatal is null && !sequential ? Math.Max(1, options.Threads ?? Environment.ProcessorCount) : 1;
        var slices = threads > 1
            ? CsvSplitter.Plan(path, dataStart, dataLine, 2 * threads, bytes)
            : [new CsvSlice(dataStart, bytes - dataStart, dataLine)];
        var textFallback = TextFallback.Named(options.TextEncoding, "the text encoding");
        var scan = new CsvFileScan(path, slices, reader, () => new RowWriter(layout, header.ColumnOf, header.FieldCount, textFallback),
            rejects.Writer(fileId, job.RunId, name, layout.Kind), fatal, meter);

        try
        {
            staging.CopyToParquet(name, fileId, layout, tableDir, scan.OpenSource, threads);
        }
        finally
        {
            scan.Close();
        }

        if (!scan.SlicesLinedUp)
        {
            // A literal quote fooled the split: the slices did not meet at record boundaries. Redo it in one pass.
            Directory.Delete(stageDir, recursive: true);
            rejects.Clear();
            using var again = new CsvRecordReader(MeteredStream.Wrap(File.OpenRead(path), meter));
            again.Read();
            return Stage(job, again, header, rejects, sequential: true);
        }

        var (read, stored, rejected) = (scan.Read, scan.Stored, scan.Rejected);
        var readNote = textFallback.Note is { } note ? "; " + note : string.Empty;
        var message = fatal is { } fatalReject
            ? $"{name}: {fatalReject.Message}; all {read} rows rejected"
            : string.Create(CultureInfo.InvariantCulture, $"{name}: {layout.Kind}: read {read} / stored {stored} / rejected {rejected}") + readNote;
        return new StagedFile(job, layout.Kind, layout, stageDir, tableDir, fatal is null ? dataLine : 1)
        {
            ReadNote = readNote, Read = read, Stored = stored, Rejected = rejected, Failure = fatal?.Message, Message = message,
            Ignored = header.Ignored,
        };
    }
}
