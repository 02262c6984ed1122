namespace Tem.Ingest;

/// <summary>
/// The common part of the read-only streams Tem puts around an input file (<see cref="MeteredStream"/>, the bounded
/// view of <see cref="Formats.FormatInput"/>): no writing, nothing to flush, and the wrapped stream disposed with it.
/// A subclass says how it reads (<see cref="Read(Span{byte})"/>), seeks and how long it is.
/// </summary>
/// <param name="inner">The stream read through this one; disposed with it.</param>
internal abstract class ReadOnlyStreamWrapper(Stream inner) : Stream
{
    /// <summary>The wrapped stream.</summary>
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanWrite => false;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
