using System.Text;
using System.Text.Unicode;

namespace Tem.Ingest.Formats;

/// <summary>
/// A real-world input format (Asterisk Master.csv, Cisco CUCM CDR, EDI 811, a carrier profile...): recognises its
/// files from their first bytes and opens a reader that translates them into a canonical layout. Registered in
/// <see cref="FormatRegistry"/>; canonical CSV is not a format here, it is what a file is when no format claims it.
/// </summary>
public interface IFormat
{
    /// <summary>The format's name: the <c>--kind</c> value that forces it, e.g. <c>asterisk</c>, <c>cucm-cdr</c>.</summary>
    string Name { get; }

    /// <summary>One line for help texts, e.g. <c>Asterisk cdr_csv Master.csv (headerless, local times)</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Whether <paramref name="head"/> is the start of a file in this format. A sniff must only claim files that
    /// carry the format's own signature (a canonical CSV must never match), because formats are tried before the
    /// canonical header recognition. <see cref="FormatMatch.Skip"/> recognises a file that is deliberately not
    /// ingested (e.g. Cisco CMR quality records) and says why.
    /// </summary>
    FormatMatch Sniff(FileHead head, IngestOptions options);

    /// <summary>
    /// Opens a reader over the file. Problems with the data (including missing settings such as a PBX's time zone)
    /// are reported through the reader (<see cref="IFormatReader.Problem"/>, row rejects), not thrown; an
    /// <see cref="IOException"/> means the file cannot be read.
    /// </summary>
    IFormatReader Open(string path, IngestOptions options);
}

/// <summary>What a sniff decided about a file.</summary>
public enum SniffVerdict
{
    /// <summary>Not this format.</summary>
    No,

    /// <summary>This format: ingest the file with it.</summary>
    Yes,

    /// <summary>This format's family, but not something to store (the message says why); the file is skipped.</summary>
    Skip,
}

/// <summary>The result of <see cref="IFormat.Sniff"/>.</summary>
/// <param name="Verdict">No, yes, or skip.</param>
/// <param name="Message">For <see cref="SniffVerdict.Skip"/>: why the file is not ingested, for a person.</param>
public readonly record struct FormatMatch(SniffVerdict Verdict, string? Message = null)
{
    /// <summary>Not this format.</summary>
    public static FormatMatch No => default;

    /// <summary>This format.</summary>
    public static FormatMatch Yes => new(SniffVerdict.Yes);

    /// <summary>This format's family, skipped with a message.</summary>
    public static FormatMatch Skip(string message) => new(SniffVerdict.Skip, message);
}

/// <summary>The first bytes of a file, for sniffing its format.</summary>
public sealed class FileHead
{
    /// <summary>How many bytes are read for sniffing (64 KiB).</summary>
    public const int Size = 64 * 1024;

    private FileHead(string path, byte[] bytes, bool complete)
    {
        Path = path;
        Bytes = bytes;
        IsComplete = complete;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The file's name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The first bytes of the file (at most <see cref="Size"/>), without a UTF-8 BOM.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>True when <see cref="Bytes"/> holds the whole file.</summary>
    public bool IsComplete { get; }

    /// <summary>Reads the head of a file.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FileHead Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        var buffer = new byte[Size];
        var n = stream.ReadAtLeast(buffer, Size, throwOnEndOfStream: false);
        var complete = n < Size || stream.ReadByte() < 0;
        var start = n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
        return new FileHead(path, buffer[start..n], complete);
    }

    /// <summary>A head over bytes already in memory (tests, or a caller that has the file).</summary>
    public static FileHead FromBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        var body = bytes[start..];
        return body.Length > Size ? new FileHead(path, body[..Size].ToArray(), false) : new FileHead(path, body.ToArray(), true);
    }

    /// <summary>
    /// Up to <paramref name="max"/> complete lines of the head as text (UTF-8, or Latin-1 when not valid UTF-8),
    /// without line ends; the last line is left out when the head cuts it. Lines are physical lines, so a quoted
    /// field holding a line break spans two of them.
    /// </summary>
    public IReadOnlyList<string> Lines(int max)
    {
        var lines = new List<string>();
        var span = Bytes.Span;
        while (lines.Count < max && !span.IsEmpty)
        {
            var end = span.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0 && !IsComplete)
            {
                break;
            }

            var line = end < 0 ? span : span[..end];
            lines.Add(Utf8.IsValid(line) ? Encoding.UTF8.GetString(line) : Encoding.Latin1.GetString(line));
            if (end < 0)
            {
                break;
            }

            var next = end + 1;
            if (span[end] == (byte)'\r' && next < span.Length && span[next] == (byte)'\n')
            {
                next++;
            }

            span = span[next..];
        }

        return lines;
    }
}
