using Tem.DuckDb;
using Tem.Ingest.Csv;
using Tem.Ingest.Rejects;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Staging;

/// <summary>
/// The rows of one canonical CSV file for DuckDB's COPY: slices of the file are handed out to the scanning threads,
/// each parsed by its own reader; rejected rows go to the file's <see cref="RejectWriter"/> (shared, under a lock).
/// </summary>
internal sealed class CsvFileScan(
    string path, IReadOnlyList<CsvSlice> slices, CsvRecordReader headerReader, Func<RowWriter> newWriter, RejectWriter rejects,
    RowReject? fatal, ByteMeter? meter)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _pending = new(Enumerable.Range(0, slices.Count));
    private readonly bool _continuesHeader = slices[0].Offset == headerReader.BytesRead;
    private readonly bool[] _linedUp = [.. slices.Select(_ => true)];
    private readonly System.Collections.Concurrent.ConcurrentBag<SliceSource> _sources = [];
    private long _rejected;

    /// <summary>Rows read; valid once the COPY has finished.</summary>
    public long Read => _sources.Sum(s => s.RowsRead);

    /// <summary>Rows stored; valid once the COPY has finished.</summary>
    public long Stored => _sources.Sum(s => s.RowsStored);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>True when every slice but the last ended exactly where the next began.</summary>
    public bool SlicesLinedUp => _linedUp.All(x => x);

    public IDuckDbRowSource OpenSource()
    {
        var source = new SliceSource(this);
        _sources.Add(source);
        return source;
    }

    private RowWriter NewWriter() => newWriter();

    private RowReject? Fatal => fatal;

    public void Close() => rejects.Close();

    private CsvRecordReader OpenSlice(int index)
    {
        var slice = slices[index];
        if (IsHeaderReader(index))
        {
            // The first slice continues the reader that read the header.
            headerReader.StopAt = slice.Offset + slice.Length;
            return headerReader;
        }

        var stream = File.OpenRead(path);
        stream.Position = slice.Offset;
        return new CsvRecordReader(MeteredStream.Wrap(stream, meter), slice.FirstLine, slice.Length);
    }

    private void Finished(int index, CsvRecordReader reader)
    {
        var slice = slices[index];
        var consumed = IsHeaderReader(index) ? reader.BytesRead : reader.BytesRead + slice.Offset;
        if (index < slices.Count - 1 && consumed != slice.Offset + slice.Length)
        {
            _linedUp[index] = false;
        }

        if (!IsHeaderReader(index))
        {
            reader.Dispose();
        }
    }

    /// <summary>
    /// True for the slice read by the reader that read the header: the first one, when the data follows the header
    /// (a grown file's first slice starts where its earlier version ended, with a reader of its own).
    /// </summary>
    private bool IsHeaderReader(int index) => index == 0 && _continuesHeader;

    private void Reject(CsvRecordReader reader, RowReject reject)
    {
        Interlocked.Increment(ref _rejected);
        rejects.Write(reader.LineNumber, reader.RawText(), reject);
    }

    private sealed class SliceSource(CsvFileScan scan) : IDuckDbRowSource
    {
        private int _index = -1;
        private CsvRecordReader? _reader;
        private RowWriter? _writer;

        // Counted per thread and summed at the end: shared counters bumped per row would bounce between cores.
        private long _read;
        private long _stored;

        public long RowsRead => _read;

        public long RowsStored => _stored;

        public bool Fill(DuckDbRowSink sink)
        {
            while (!sink.IsChunkFull)
            {
                if (_reader is null)
                {
                    if (!scan._pending.TryDequeue(out _index))
                    {
                        return false;
                    }

                    _reader = scan.OpenSlice(_index);
                    _writer = scan.NewWriter();
                }

                if (!_reader.Read())
                {
                    scan.Finished(_index, _reader);
                    _reader = null;
                    continue;
                }

                _read++;
                RowReject reject;
                if (scan.Fatal is { } f)
                {
                    reject = f with { Message = "file rejected: " + f.Message };
                }
                else if (_writer!.TryWrite(_reader, sink, out reject))
                {
                    _stored++;
                    continue;
                }

                scan.Reject(_reader, reject);
            }

            return true;
        }

        public void Dispose()
        {
            if (_reader is not null && !scan.IsHeaderReader(_index))
            {
                _reader.Dispose();
            }
        }
    }
}
