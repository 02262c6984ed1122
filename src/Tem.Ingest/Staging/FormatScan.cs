using System.Globalization;
using Tem.DuckDb;
using Tem.Ingest.Formats;
using Tem.Ingest.Rejects;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Staging;

/// <summary>The records of a format reader for DuckDB's COPY, on one thread.</summary>
internal sealed class FormatScan(IFormatReader reader, RowWriter writer, RejectWriter rejects, long fromLine)
{
    private int _opened;

    public RejectWriter Rejects => rejects;

    public long Read { get; private set; }

    public long Stored { get; private set; }

    public long Rejected { get; private set; }

    public IDuckDbRowSource OpenSource() =>
        Interlocked.Exchange(ref _opened, 1) == 0 ? new Source(this) : new Source(null);

    private bool Fill(DuckDbRowSink sink)
    {
        var expected = reader.Layout.Fields.Count;
        while (!sink.IsChunkFull)
        {
            if (!reader.Read(out var refused))
            {
                return false;
            }

            var record = reader.Record;
            if (record.Line < fromLine)
            {
                continue;
            }

            Read++;
            if (refused is null)
            {
                if (record.FieldCount != expected)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Format reader {reader.Format} handed out {record.FieldCount} fields for line {record.Line}; layout {reader.Layout.Kind} has {expected}."));
                }

                if (writer.TryWrite(new TranslatedFieldRecord(record), sink, out var reject))
                {
                    Stored++;
                    continue;
                }

                refused = reject;
            }

            Rejected++;
            rejects.Write(record.Line, record.Raw, refused.Value);
        }

        return true;
    }

    private sealed class Source(FormatScan? scan) : IDuckDbRowSource
    {
        public bool Fill(DuckDbRowSink sink) => scan is not null && scan.Fill(sink);

        public void Dispose()
        {
        }
    }
}
