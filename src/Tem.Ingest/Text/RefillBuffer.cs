using System.Buffers;
using System.Runtime.CompilerServices;

namespace Tem.Ingest.Text;

/// <summary>
/// The read-ahead window of a byte reader over a stream (<see cref="Csv.CsvRecordReader"/>, <see cref="Formats.Edi.X12SegmentReader"/>):
/// a pooled buffer whose <see cref="Count"/> bytes from <see cref="Start"/> on are read but not yet consumed. A reader
/// asks for as many bytes as it must look at (<see cref="Available"/>): the window is then compacted to the front,
/// grown (doubled) when it is full, and refilled from the stream. Positions the reader keeps are offsets from
/// <see cref="Start"/>, which stays put while the window refills; only <see cref="Consume"/> moves it.
/// </summary>
/// <remarks>
/// A mutable struct on purpose: the readers hold it in a (non-readonly) field, so the hot loops index the buffer
/// with no extra object in between. Never copy it: a copy shares the pooled array and would return it twice.
/// </remarks>
internal struct RefillBuffer : IDisposable
{
    private readonly Stream _stream;
    private byte[] _bytes;
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Reads from <paramref name="stream"/> (disposed with the buffer) into a pooled buffer of at least <paramref name="size"/> bytes.</summary>
    public RefillBuffer(Stream stream, int size)
    {
        _stream = stream;
        _bytes = ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>The whole buffer; the same array until the next <see cref="Available"/> (which may swap it for a bigger one).</summary>
    public readonly byte[] Bytes => _bytes;

    /// <summary>Index in <see cref="Bytes"/> of the first byte not consumed.</summary>
    public readonly int Start => _start;

    /// <summary>Bytes read and not consumed (from <see cref="Start"/>), without reading more.</summary>
    public readonly int Count => _end - _start;

    /// <summary>Bytes consumed since the start of the stream.</summary>
    public long Consumed { readonly get; private set; }

    /// <summary>The byte at <paramref name="offset"/> from <see cref="Start"/> (it must be available).</summary>
    public readonly byte this[int offset] => _bytes[_start + offset];

    /// <summary>The bytes read and not consumed, from <paramref name="offset"/> after <see cref="Start"/> on.</summary>
    public readonly Span<byte> From(int offset) => _bytes.AsSpan(_start + offset, _end - _start - offset);

    /// <summary>Moves <see cref="Start"/> past <paramref name="count"/> bytes.</summary>
    public void Consume(int count)
    {
        _start += count;
        Consumed += count;
    }

    /// <summary>
    /// Makes at least <paramref name="needed"/> bytes available from <see cref="Start"/> when the input has them,
    /// compacting or growing the buffer, and returns how many are available.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Available(int needed) => _end - _start >= needed || _eof ? _end - _start : Refill(needed);

    private int Refill(int needed)
    {
        while (_end - _start < needed && !_eof)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_bytes, _start, _bytes, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _bytes.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_bytes.Length * 2);
                Buffer.BlockCopy(_bytes, 0, bigger, 0, _end);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = bigger;
            }

            var n = _stream.Read(_bytes, _end, _bytes.Length - _end);
            if (n == 0)
            {
                _eof = true;
            }

            _end += n;
        }

        return _end - _start;
    }

    /// <summary>Disposes the stream and returns the buffer to the pool.</summary>
    public readonly void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_bytes);
    }
}
