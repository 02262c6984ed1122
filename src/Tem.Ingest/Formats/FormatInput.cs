namespace Tem.Ingest.Formats;

/// <summary>
/// Opens an input file for a format reader: shared for reading while a PBX may still append to it, and cut at
/// <see cref="IngestOptions.ReadLimit"/> (the length the ingest hashed), so that what is stored is exactly the content the
/// catalog records and a later ingest of the grown file starts where this one ended.
/// </summary>
internal static class FormatInput
{
    public static Stream Open(string path, IngestOptions options)
    {
        var stream = MeteredStream.Wrap(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16), options.Meter);
        return options.ReadLimit is { } limit ? new Bounded(stream, limit) : stream;
    }

    /// <summary>A read-only view of the first bytes of a stream (.NET has no public sub-stream type).</summary>
    private sealed class Bounded(Stream inner, long limit) : ReadOnlyStreamWrapper(inner)
    {
        private long _position;

        public override bool CanSeek => false;

        public override long Length => Math.Min(limit, Inner.Length);

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            var left = limit - _position;
            if (left <= 0)
            {
                return 0;
            }

            var n = Inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    }
}
