using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Tem.Ingest.Text;

namespace Tem.Ingest.Csv;

/// <summary>What went wrong with one record's structure (fields are checked later, against the layout).</summary>
public enum RecordProblem
{
    /// <summary>Well formed.</summary>
    None,

    /// <summary>A quoted field is still open at the end of the file.</summary>
    UnterminatedQuote,

    /// <summary>Characters follow a closing quote before the next separator.</summary>
    BadQuote,

    /// <summary>
    /// A field's bytes are not valid UTF-8 where Tem needs them to be (a number, time or id). The reader never sets it:
    /// it only tells (<see cref="CsvRecordReader.HasInvalidUtf8"/>); free text is decoded with a fallback
    /// (<see cref="TextFallback"/>), and the validation rejects the other fields with this problem.
    /// </summary>
    BadEncoding,

    /// <summary>The record is longer than <see cref="CsvRecordReader.MaxRecordBytes"/>; its fields were not kept.</summary>
    TooLong,

    /// <summary>A field holds a C0 control character other than tab, CR or LF (e.g. a NUL byte from a damaged copy).</summary>
    ControlCharacter,
}

/// <summary>
/// Streams RFC 4180 records from UTF-8 bytes (text that is not UTF-8 is told, not refused: <see cref="Text"/>) with the physical line each starts on, so that any error can name
/// file, line and column. Tolerates a BOM, CRLF, LF or lone CR line ends, quoted separators and line breaks,
/// and a missing final line break. Empty lines are skipped (they are not rows). Fields are byte slices of an
/// internal buffer, valid until the next <see cref="Read"/>. Memory stays bounded: the buffer grows only to
/// hold one record, and records over <see cref="MaxRecordBytes"/> are skipped.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    /// <summary>Records longer than this (16 MiB) are reported as <see cref="RecordProblem.TooLong"/> and skipped.</summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    private const int KeptRawBytes = 4096;
    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private static readonly SearchValues<byte> InQuotesSpecial = SearchValues.Create("\"\r\n"u8);

    /// <summary>C0 control bytes that never belong in a value: all but tab, LF and CR (those are layout, inside quotes).</summary>
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private readonly byte _separator;
    private readonly SearchValues<byte> _unquotedSpecial;
    private readonly List<FieldSlice> _fields = new(32);
    private RefillBuffer _input;
    private byte[] _scratch;
    private bool _started;
    private long _line = 1;
    private int _recordStart;
    private int _recordLength;
    private byte[]? _truncatedRaw;
    private bool[] _fallbackCounted = [];

    /// <summary>Reads from <paramref name="stream"/>, which the reader disposes.</summary>
    public CsvRecordReader(Stream stream, byte separator = (byte)',', int bufferSize = 1 << 20)
    {
        _separator = separator;
        _unquotedSpecial = SearchValues.Create([separator, Quote, Cr, Lf]);
        _input = new RefillBuffer(stream, bufferSize);
        _scratch = ArrayPool<byte>.Shared.Rent(4096);
    }

    /// <summary>
    /// Reads a slice of a file that starts at a record boundary: no BOM is looked for, lines are counted from
    /// <paramref name="firstLine"/>, and reading stops once <paramref name="length"/> bytes are consumed.
    /// </summary>
    public CsvRecordReader(Stream stream, long firstLine, long length, byte separator = (byte)',')
        : this(stream, separator)
    {
        _started = true;
        _line = firstLine;
        StopAt = length;
    }

    /// <summary>No record starts at or after this many bytes of the stream (for reading a slice); unlimited by default.</summary>
    public long StopAt { get; set; } = long.MaxValue;

    /// <summary>1-based physical line on which the current record starts.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes consumed so far, including the current record.</summary>
    public long BytesRead => _input.Consumed;

    /// <summary>The current record's structural problem, if any.</summary>
    public RecordProblem Problem { get; private set; }

    /// <summary>For encoding and quoting problems: the 1-based field where it is (0 = the whole record).</summary>
    public int ProblemField { get; private set; }

    /// <summary>Number of fields in the current record.</summary>
    public int FieldCount => _fields.Count;

    /// <summary>
    /// True when some bytes of the current record are not valid UTF-8 (e.g. a Latin-1 display name). Not a problem of
    /// the record: <see cref="Text"/> decodes such a field with <see cref="TextFallback"/>, and a field that must be
    /// UTF-8 is refused by whoever reads it (<see cref="IsUtf8"/>).
    /// </summary>
    public bool HasInvalidUtf8 { get; private set; }

    /// <summary>How <see cref="Text"/> decodes a field that is not UTF-8, and the count of those it did (windows-1252 by default).</summary>
    public TextFallback TextFallback { get; set; } = new();

    /// <summary>Whether field <paramref name="index"/> (0-based) is valid UTF-8.</summary>
    public bool IsUtf8(int index) => !HasInvalidUtf8 || Utf8.IsValid(Field(index));

    /// <summary>
    /// The text of field <paramref name="index"/> (0-based): UTF-8, or decoded with <see cref="TextFallback"/> when it is
    /// not (counted once per field and record, however often it is asked for).
    /// </summary>
    public string Text(int index)
    {
        var bytes = Field(index);
        if (!HasInvalidUtf8 || Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        if (_fallbackCounted.Length <= index)
        {
            Array.Resize(ref _fallbackCounted, Math.Max(index + 1, _fields.Count));
        }

        if (!_fallbackCounted[index])
        {
            _fallbackCounted[index] = true;
            TextFallback.Count();
        }

        return TextFallback.Encoding.GetString(bytes);
    }

    /// <summary>The raw bytes of the current record without its line end (the first 4 KiB of an over-long one).</summary>
    public ReadOnlySpan<byte> RawRecord => _truncatedRaw ?? _input.Bytes.AsSpan(_recordStart, _recordLength);

    /// <summary>The current record as text for a person: UTF-8, or Latin-1 when it is not valid UTF-8; cut at 4096 characters.</summary>
    public string RawText()
    {
        var raw = RawRecord;
        if (raw.Length > 4 * KeptRawBytes)
        {
            raw = raw[..(4 * KeptRawBytes)];
        }

        var text = Utf8.IsValid(raw) ? Encoding.UTF8.GetString(raw) : Encoding.Latin1.GetString(raw);
        return text.Length > KeptRawBytes ? string.Concat(text.AsSpan(0, KeptRawBytes), "…") : text;
    }

    /// <summary>The bytes of field <paramref name="index"/> (0-based), quotes removed and <c>""</c> unescaped.</summary>
    public ReadOnlySpan<byte> Field(int index)
    {
        var f = _fields[index];
        var raw = _input.Bytes.AsSpan(_recordStart + f.Start, f.Length);
        if (!f.HasEscapedQuotes)
        {
            return raw;
        }

        if (_scratch.Length < raw.Length)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(raw.Length);
        }

        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            _scratch[n++] = raw[i];
            if (raw[i] == Quote)
            {
                i++;
            }
        }

        return _scratch.AsSpan(0, n);
    }

    /// <summary>Whether field <paramref name="index"/> was quoted (quoted text is kept exactly, never trimmed).</summary>
    public bool IsQuoted(int index) => _fields[index].Quoted;

    /// <summary>Moves to the next record; false at the end of the input.</summary>
    public bool Read()
    {
        _truncatedRaw = null;
        if (!_started)
        {
            _started = true;
            if (_input.Available(3) >= 3 && _input[0] == 0xEF && _input[1] == 0xBB && _input[2] == 0xBF)
            {
                _input.Consume(3);
            }
        }

        while (true)
        {
            if (BytesRead >= StopAt || _input.Available(1) == 0)
            {
                return false;
            }

            var b = _input[0];
            if (b is not (Lf or Cr))
            {
                ParseRecord();
                return true;
            }

            // Blank lines are not rows.
            _input.Consume(b == Cr && _input.Available(2) >= 2 && _input[1] == Lf ? 2 : 1);
            _line++;
        }
    }

    private void ParseRecord()
    {
        _fields.Clear();
        Problem = RecordProblem.None;
        ProblemField = 0;
        LineNumber = _line;
        if (HasInvalidUtf8)
        {
            Array.Clear(_fallbackCounted);
            HasInvalidUtf8 = false;
        }

        // Positions are offsets from _input.Start, which stays the record's first byte while the buffer is refilled.
        var p = 0;
        var fieldStart = 0;
        var inQuotes = false;
        var quoted = false;
        var escaped = false;
        var closed = false;
        while (true)
        {
            if (p >= _input.Count && _input.Available(p + 1) <= p)
            {
                if (inQuotes)
                {
                    SetProblem(RecordProblem.UnterminatedQuote, _fields.Count + 1);
                }

                AddField(fieldStart, p, quoted, escaped, closed);
                FinishRecord(p, p);
                return;
            }

            if (p > MaxRecordBytes)
            {
                SkipTooLong(p, inQuotes);
                return;
            }

            // Jump to the next byte that matters (vectorised); everything before it is field content.
            var rest = _input.From(p);
            var skip = rest.IndexOfAny(inQuotes ? InQuotesSpecial : _unquotedSpecial);
            if (skip < 0)
            {
                if (closed && !inQuotes && rest.Length > 0)
                {
                    SetProblem(RecordProblem.BadQuote, _fields.Count + 1);
                }

                p += rest.Length;
                continue;
            }

            if (skip > 0)
            {
                if (closed && !inQuotes)
                {
                    SetProblem(RecordProblem.BadQuote, _fields.Count + 1);
                }

                p += skip;
            }

            var c = _input[p];
            if (inQuotes)
            {
                if (c == Quote)
                {
                    if (_input.Available(p + 2) >= p + 2 && _input[p + 1] == Quote)
                    {
                        escaped = true;
                        p += 2;
                        continue;
                    }

                    inQuotes = false;
                    closed = true;
                    p++;
                    continue;
                }

                if (c == Lf || (c == Cr && !(_input.Available(p + 2) >= p + 2 && _input[p + 1] == Lf)))
                {
                    _line++;
                }

                p++;
                continue;
            }

            if (c == _separator)
            {
                AddField(fieldStart, p, quoted, escaped, closed);
                p++;
                fieldStart = p;
                quoted = escaped = closed = false;
                continue;
            }

            if (c is Lf or Cr)
            {
                AddField(fieldStart, p, quoted, escaped, closed);
                var next = p + (c == Cr && _input.Available(p + 2) >= p + 2 && _input[p + 1] == Lf ? 2 : 1);
                _line++;
                FinishRecord(p, next);
                return;
            }

            // A quote: it opens a quoted field at the field's start; elsewhere it is a literal (12" screen).
            if (p == fieldStart)
            {
                inQuotes = true;
                quoted = true;
            }
            else if (closed)
            {
                SetProblem(RecordProblem.BadQuote, _fields.Count + 1);
            }

            p++;
        }
    }

    private void SetProblem(RecordProblem problem, int field)
    {
        if (Problem == RecordProblem.None)
        {
            Problem = problem;
            ProblemField = field;
        }
    }

    private void AddField(int start, int end, bool quoted, bool escaped, bool closed)
    {
        if (!quoted)
        {
            _fields.Add(new FieldSlice(start, end - start, false, false));
            return;
        }

        // Content runs from after the opening quote to the closing quote (junk after it is a BadQuote problem).
        var contentStart = start + 1;
        var contentEnd = end;
        if (closed)
        {
            for (var i = contentStart; i < end; i++)
            {
                if (_input[i] != Quote)
                {
                    continue;
                }

                if (i + 1 < end && _input[i + 1] == Quote)
                {
                    i++;
                    continue;
                }

                contentEnd = i;
                break;
            }
        }

        _fields.Add(new FieldSlice(contentStart, contentEnd - contentStart, true, escaped));
    }

    private void FinishRecord(int contentEnd, int next)
    {
        _recordStart = _input.Start;
        _recordLength = contentEnd;
        _input.Consume(next);
        // Not a problem of the record: only a field that must be UTF-8 makes one (see HasInvalidUtf8).
        HasInvalidUtf8 = !Utf8.IsValid(RawRecord);

        if (Problem == RecordProblem.None && RawRecord.ContainsAny(ControlBytes))
        {
            SetProblem(RecordProblem.ControlCharacter, FieldWith(ControlBytes));
        }
    }

    /// <summary>The 1-based number of the first field holding one of <paramref name="bytes"/>, or 0 when none does.</summary>
    private int FieldWith(SearchValues<byte> bytes)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (_input.Bytes.AsSpan(_recordStart + _fields[i].Start, _fields[i].Length).ContainsAny(bytes))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Skips the rest of an over-long record (its lines still counted), keeping its first 4 KiB.</summary>
    private void SkipTooLong(int p, bool inQuotes)
    {
        _fields.Clear();
        SetProblem(RecordProblem.TooLong, 0);
        var kept = _input.Bytes.AsSpan(_input.Start, KeptRawBytes).ToArray();
        while (true)
        {
            if (p >= _input.Count)
            {
                _input.Consume(p);
                p = 0;
                if (_input.Available(1) == 0)
                {
                    break;
                }
            }

            var c = _input[p++];
            if (c == Quote)
            {
                inQuotes = !inQuotes;
            }
            else if (c == Lf)
            {
                _line++;
                if (!inQuotes)
                {
                    break;
                }
            }
        }

        _input.Consume(p);
        _recordStart = 0;
        _recordLength = 0;
        _truncatedRaw = kept;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _input.Dispose();
        ArrayPool<byte>.Shared.Return(_scratch);
    }

    private readonly record struct FieldSlice(int Start, int Length, bool Quoted, bool HasEscapedQuotes);
}
