using Tem.Core;

namespace Tem.Ingest;

/// <summary>
/// Counts the bytes the readers of an ingest take from their streams and reports them as <see cref="WorkProgress"/> in
/// <see cref="WorkUnit.Bytes"/>: the files before the current one count whole, the current one as far as its readers
/// got. Readers add from any thread (one per slice of a big file); reports are throttled to about every
/// <see cref="Step"/> bytes, so that a gigabyte costs a few hundred calls, and never go back.
/// </summary>
internal sealed class ByteMeter
{
    private readonly IProgress<WorkProgress> _progress;
    private readonly long _total;
    private readonly object _gate = new();
    private long _fileStart;
    private long _fileSize;
    private string _item = string.Empty;
    private long _inFile;
    private long _nextReport;
    private long _reported = -1;

    public ByteMeter(IProgress<WorkProgress> progress, long total)
    {
        _progress = progress;
        _total = total;

        // About 500 reports over the whole ingest, none more often than every MiB.
        Step = Math.Max(1 << 20, total / 500);
    }

    /// <summary>Bytes between two reports.</summary>
    public long Step { get; }

    /// <summary>A file begins: <paramref name="size"/> bytes (its length when the ingest started) under <paramref name="name"/>.</summary>
    public void StartFile(string name, long size)
    {
        lock (_gate)
        {
            _item = name;
            _fileSize = Math.Max(0, size);
            Interlocked.Exchange(ref _inFile, 0);
            Interlocked.Exchange(ref _nextReport, Step);
            Report(_fileStart);
        }
    }

    /// <summary>Readers took <paramref name="bytes"/> more bytes of the current file (thread-safe).</summary>
    public void Add(long bytes)
    {
        var now = Interlocked.Add(ref _inFile, bytes);
        var next = Interlocked.Read(ref _nextReport);
        if (now < next || Interlocked.CompareExchange(ref _nextReport, now + Step, next) != next)
        {
            return;
        }

        lock (_gate)
        {
            // A slice reads a little past its end and a re-read starts over: the file never counts more than its size.
            Report(_fileStart + Math.Min(now, _fileSize));
        }
    }

    /// <summary>The current file is done, whatever its readers read (a file already ingested is not read again).</summary>
    public void EndFile()
    {
        lock (_gate)
        {
            _fileStart += _fileSize;
            _fileSize = 0;
            Report(_fileStart);
        }
    }

    private void Report(long done)
    {
        done = Math.Min(done, _total);
        if (done <= _reported)
        {
            return;
        }

        _reported = done;
        _progress.Report(new WorkProgress(WorkUnit.Bytes, done, _total, _item));
    }

    /// <summary>The input length of each file to read (0 for an entry that cannot be read), for the total.</summary>
    public static long SizeOf(InputFile file)
    {
        if (file.Error is not null || file.Skip is not null)
        {
            return 0;
        }

        try
        {
            return new FileInfo(file.Path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

/// <summary>A read-only stream that tells a <see cref="ByteMeter"/> how many bytes were read through it.</summary>
internal sealed class MeteredStream(Stream inner, ByteMeter meter) : ReadOnlyStreamWrapper(inner)
{
    public override bool CanSeek => Inner.CanSeek;

    public override long Length => Inner.Length;

    public override long Position
    {
        get => Inner.Position;
        set => Inner.Position = value;
    }

    /// <summary>Wraps <paramref name="stream"/> when there is a meter; returns it as it is otherwise.</summary>
    public static Stream Wrap(Stream stream, ByteMeter? meter) => meter is null ? stream : new MeteredStream(stream, meter);

    public override int Read(Span<byte> buffer)
    {
        var n = Inner.Read(buffer);
        meter.Add(n);
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => Inner.Seek(offset, origin);
}
