using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Tem.Ingest.Text;

namespace Tem.Ingest.Formats.Edi;

/// <summary>The delimiters of one X12 interchange, as its ISA segment declares them.</summary>
/// <param name="Element">Element separator: the byte right after <c>ISA</c> (byte 4).</param>
/// <param name="Component">Component (sub-element) separator: ISA16 (byte 105).</param>
/// <param name="Segment">Segment terminator: the byte after ISA16 (byte 106).</param>
/// <param name="Repetition">Repetition separator (ISA11 from version 00402 on, e.g. <c>^</c>), or null.</param>
public readonly record struct X12Separators(byte Element, byte Component, byte Segment, byte? Repetition);

/// <summary>
/// Splits an ANSI X12 interchange into segments and elements, taking the delimiters from each ISA segment (a file
/// may hold several interchanges, each with its own). Line breaks after a terminator are skipped, and line breaks
/// inside a segment (files wrapped at 80 columns) are removed. Every segment is located for messages:
/// <see cref="Line"/> is the physical line the segment starts on when the file puts line breaks between segments,
/// otherwise the segment's number in the file (ISA = 1); an element's column is its position (<c>IT104</c> = 4).
/// A file that cannot be split (no ISA, an ISA that is not 106 bytes, a segment id that is not one, a segment
/// over 1 MiB) stops the reader with a <see cref="Problem"/> that says what and gives a hint.
/// </summary>
public sealed class X12SegmentReader : IDisposable
{
    /// <summary>A segment longer than this (1 MiB) means the terminator is not the one ISA declares.</summary>
    public const int MaxSegmentBytes = 1 << 20;

    /// <summary>Length of the fixed-width ISA segment including its terminator.</summary>
    public const int IsaLength = 106;

    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    // Offsets of the 16 element separators in an ISA segment, and the fixed width of each ISA element.
    private static readonly int[] IsaSeparatorOffsets = [3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103];
    private static readonly int[] IsaWidths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

    private readonly List<(int Start, int Length)> _elements = new(32);
    private readonly Dictionary<int, string> _ids = [];
    private RefillBuffer _input;
    private byte[] _segment = new byte[4096];
    private int _segmentLength;
    private bool _started;
    private bool? _physicalLines;
    private long _physicalLine = 1;

    /// <summary>Reads from <paramref name="stream"/>, which the reader disposes.</summary>
    public X12SegmentReader(Stream stream, int bufferSize = 1 << 16)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _input = new RefillBuffer(stream, Math.Max(bufferSize, 2 * IsaLength));
    }

    /// <summary>The current interchange's delimiters (valid once an ISA has been read).</summary>
    public X12Separators Separators { get; private set; }

    /// <summary>True when lines are physical lines of the file; false when they are segment numbers.</summary>
    public bool PhysicalLines => _physicalLines ?? true;

    /// <summary>Where the current segment is: its physical line, or its number when the file has no line breaks.</summary>
    public long Line { get; private set; }

    /// <summary>1-based number of the current segment in the file.</summary>
    public long Ordinal { get; private set; }

    /// <summary>Bytes consumed so far.</summary>
    public long BytesRead => _input.Consumed;

    /// <summary>Why the file cannot be split into segments; null while it can. Reading stops once it is set.</summary>
    public FileProblem? Problem { get; private set; }

    /// <summary>The current segment's id, e.g. <c>IT1</c>.</summary>
    public string Id { get; private set; } = string.Empty;

    /// <summary>Number of elements after the id (trailing empty elements included as sent).</summary>
    public int ElementCount => _elements.Count - 1;

    /// <summary>The element at <paramref name="position"/> (1-based, as in <c>IT104</c>); empty when absent.</summary>
    public ReadOnlySpan<byte> Element(int position)
    {
        if (position < 1 || position >= _elements.Count)
        {
            return default;
        }

        var (start, length) = _elements[position];
        return _segment.AsSpan(start, length);
    }

    /// <summary>The element at <paramref name="position"/> as trimmed text; empty when absent.</summary>
    public string Text(int position)
    {
        var value = Element(position);
        return value.IsEmpty ? string.Empty : Decode(value).Trim();
    }

    /// <summary>
    /// The first component of the element's first repetition (X12 composites such as <c>EA&gt;1</c> and repeated
    /// elements keep their first value here).
    /// </summary>
    public string FirstComponent(int position)
    {
        var value = Element(position);
        var cut = value.IndexOfAny(Separators.Component, Separators.Repetition ?? Separators.Component);
        return Decode(cut < 0 ? value : value[..cut]).Trim();
    }

    /// <summary>The current segment's text without its terminator (line breaks inside it removed).</summary>
    public string RawText() => Decode(_segment.AsSpan(0, _segmentLength));

    /// <summary>Moves to the next segment; false at the end of the input or once <see cref="Problem"/> is set.</summary>
    public bool Read()
    {
        if (Problem is not null)
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            if (_input.Available(3) >= 3 && _input[0] == 0xEF && _input[1] == 0xBB && _input[2] == 0xBF)
            {
                _input.Consume(3);
            }
        }

        SkipWhitespace();
        if (_input.Available(1) == 0)
        {
            return false;
        }

        Ordinal++;
        var startLine = _physicalLine;
        if (_input.Available(3) >= 3 && _input[0] == (byte)'I' && _input[1] == (byte)'S' && _input[2] == (byte)'A')
        {
            return ReadIsa(startLine);
        }

        if (Ordinal == 1)
        {
            Fail(1, 0, $"the file does not start with an ISA segment (it starts with '{Preview(_input.From(0)[..Math.Min(20, _input.Count)])}'); " +
                "expected an ANSI X12 interchange beginning with ISA, e.g. ISA*00*          *00*...");
            return false;
        }

        return ReadSegment(startLine);
    }

    private bool ReadIsa(long startLine)
    {
        var available = _input.Available(IsaLength + 2);
        var isa = _input.From(0)[..Math.Min(available, IsaLength)];
        var separator = isa.Length > 3 ? isa[3] : (byte)0;
        if (isa.Length < IsaLength || !IsaSeparatorsInPlace(isa, separator))
        {
            Fail(LineFor(startLine), 0, IsaShapeProblem(_input.From(0)[..Math.Min(available, 200)], separator));
            return false;
        }

        var component = isa[104];
        var terminator = isa[105];
        if (char.IsAsciiLetterOrDigit((char)separator) || char.IsAsciiLetterOrDigit((char)terminator) || char.IsAsciiLetterOrDigit((char)component) ||
            separator == component || separator == terminator || component == terminator || separator == (byte)' ')
        {
            Fail(LineFor(startLine), 16,
                $"the ISA declares element separator {Show(separator)}, component separator {Show(component)} (ISA16) and segment terminator {Show(terminator)} " +
                "(the byte after ISA16); expected three different characters that are neither letters, digits nor spaces (hint: is the ISA cut short or padded?)");
            return false;
        }

        var version = Encoding.ASCII.GetString(isa.Slice(84, 5));
        var repetitionByte = isa[82];
        byte? repetition = string.CompareOrdinal(version, "00402") >= 0 && !char.IsAsciiLetterOrDigit((char)repetitionByte) && repetitionByte != (byte)' '
            ? repetitionByte
            : null;
        Separators = new X12Separators(separator, component, terminator, repetition);

        EnsureSegmentCapacity(IsaLength);
        isa[..(IsaLength - 1)].CopyTo(_segment);
        _segmentLength = IsaLength - 1;
        _elements.Clear();
        _elements.Add((0, 3));
        for (var i = 0; i < IsaSeparatorOffsets.Length; i++)
        {
            _elements.Add((IsaSeparatorOffsets[i] + 1, IsaWidths[i]));
        }

        Id = "ISA";
        _input.Consume(IsaLength);
        if (_physicalLines is null)
        {
            // Decided once, on the first ISA: a line break after its terminator means one segment per line.
            _physicalLines = terminator is Cr or Lf || (_input.Available(1) > 0 && _input[0] is Cr or Lf);
        }

        Line = LineFor(startLine);
        return true;
    }

    private bool ReadSegment(long startLine)
    {
        var terminator = Separators.Segment;
        var scanned = 0;
        int length;
        while (true)
        {
            var found = _input.From(scanned).IndexOf(terminator);
            if (found >= 0)
            {
                length = scanned + found;
                break;
            }

            scanned = _input.Count;
            if (scanned > MaxSegmentBytes)
            {
                Fail(LineFor(startLine), 0,
                    $"no segment terminator {Show(terminator)} within {MaxSegmentBytes / (1024 * 1024)} MiB; expected the terminator the ISA declares (the byte after ISA16) " +
                    "(hint: does the file use another terminator than its ISA says?)");
                return false;
            }

            if (_input.Available(scanned + 1) <= scanned)
            {
                // The last segment may lack its terminator; a truncated interchange is caught by its missing trailers.
                length = scanned;
                break;
            }
        }

        EnsureSegmentCapacity(length);
        _segmentLength = 0;
        _elements.Clear();
        var raw = _input.From(0)[..length];
        var element = Separators.Element;
        var fieldStart = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c is Cr or Lf)
            {
                if (c == Lf || i + 1 >= raw.Length || raw[i + 1] != Lf)
                {
                    _physicalLine++;
                }

                if (LooksLikeSegmentStart(raw[(i + 1)..], element, out var id))
                {
                    Fail(LineFor(startLine), 0,
                        $"a line break inside segment '{Preview(raw[..Math.Min(i, 20)])}' is followed by what looks like a new segment '{id}'; " +
                        $"expected every segment to end with the terminator {Show(terminator)} that the ISA declares (hint: the file may end its segments " +
                        "with line breaks while its ISA says otherwise)");
                    return false;
                }

                continue;
            }

            if (c == element)
            {
                _elements.Add((fieldStart, _segmentLength - fieldStart));
                fieldStart = _segmentLength + 1;
            }

            _segment[_segmentLength++] = c;
        }

        _elements.Add((fieldStart, _segmentLength - fieldStart));
        _input.Consume(Math.Min(length + 1, _input.Count));
        Line = LineFor(startLine);
        var idBytes = _segment.AsSpan(_elements[0].Start, _elements[0].Length);
        if (!IsSegmentId(idBytes))
        {
            Fail(Line, 0,
                $"'{Preview(_segment.AsSpan(0, Math.Min(_segmentLength, 24)))}' does not start with a segment id; expected 2 or 3 letters or digits followed by " +
                $"the element separator {Show(element)} that the ISA declares (byte 4) (hint: the file may use other separators than its ISA says)");
            return false;
        }

        Id = SegmentId(idBytes);
        return true;
    }

    private static bool LooksLikeSegmentStart(ReadOnlySpan<byte> rest, byte element, out string id)
    {
        id = string.Empty;
        var n = 0;
        while (n < rest.Length && n < 3 && char.IsAsciiLetterOrDigit((char)rest[n]))
        {
            n++;
        }

        if (n < 2 || n >= rest.Length || rest[n] != element || !char.IsAsciiLetterUpper((char)rest[0]))
        {
            return false;
        }

        id = Encoding.ASCII.GetString(rest[..n]);
        return true;
    }

    private static bool IsSegmentId(ReadOnlySpan<byte> id)
    {
        if (id.Length is < 2 or > 3 || !char.IsAsciiLetterUpper((char)id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterUpper((char)c) && !char.IsAsciiDigit((char)c))
            {
                return false;
            }
        }

        return true;
    }

    private string SegmentId(ReadOnlySpan<byte> id)
    {
        var key = id[0] | (id[1] << 8) | (id.Length == 3 ? id[2] << 16 : 0);
        if (!_ids.TryGetValue(key, out var text))
        {
            text = Encoding.ASCII.GetString(id);
            _ids[key] = text;
        }

        return text;
    }

    private static bool IsaSeparatorsInPlace(ReadOnlySpan<byte> isa, byte separator)
    {
        foreach (var offset in IsaSeparatorOffsets)
        {
            if (isa[offset] != separator)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Says which ISA element breaks the fixed 106-byte layout.</summary>
    private static string IsaShapeProblem(ReadOnlySpan<byte> head, byte separator)
    {
        const string Layout = "expected a fixed-width ISA of exactly 106 characters (ISA02 and ISA04 10 wide, ISA06 and ISA08 15 wide, padded with spaces; " +
            "the element separator right after 'ISA'; ISA16 the component separator; then the segment terminator)";
        if (head.Length < 4)
        {
            return $"the ISA segment is cut short ({head.Length} bytes); {Layout}";
        }

        var widths = new List<int>(15);
        var elementStart = 4;
        for (var i = 4; i < head.Length && widths.Count < 15; i++)
        {
            if (head[i] == separator)
            {
                widths.Add(i - elementStart);
                elementStart = i + 1;
            }
        }

        for (var p = 0; p < widths.Count; p++)
        {
            if (widths[p] != IsaWidths[p])
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"ISA{p + 1:D2} is {widths[p]} characters wide where the ISA layout requires {IsaWidths[p]} (element separator {Show(separator)}); {Layout}");
            }
        }

        if (widths.Count < 15)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the ISA has {widths.Count + 1} elements separated by {Show(separator)} where it requires 16; {Layout}");
        }

        return $"the ISA segment is shorter than 106 characters; {Layout}";
    }

    private void SkipWhitespace()
    {
        while (_input.Available(1) > 0)
        {
            var c = _input[0];
            if (c == Lf || (c == Cr && !(_input.Available(2) >= 2 && _input[1] == Lf)))
            {
                _physicalLine++;
            }
            else if (c is not (Cr or (byte)' ' or (byte)'\t'))
            {
                return;
            }

            _input.Consume(1);
        }
    }

    private long LineFor(long physical) => _physicalLines == false ? Ordinal : physical;

    private void Fail(long line, int column, string message) => Problem ??= new FileProblem(line, column, message);

    private void EnsureSegmentCapacity(int length)
    {
        if (_segment.Length < length)
        {
            _segment = new byte[Math.Max(length, _segment.Length * 2)];
        }
    }

    internal static string Show(byte b) => b switch
    {
        Cr => "CR",
        Lf => "LF",
        (byte)' ' => "' ' (space)",
        < 32 or > 126 => string.Create(CultureInfo.InvariantCulture, $"0x{b:X2}"),
        _ => $"'{(char)b}'",
    };

    private static string Preview(ReadOnlySpan<byte> bytes) =>
        Decode(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Decode(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    /// <inheritdoc />
    public void Dispose()
    {
        _input.Dispose();
    }
}
