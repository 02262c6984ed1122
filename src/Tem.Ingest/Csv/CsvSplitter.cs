namespace Tem.Ingest.Csv;

/// <summary>A slice of a CSV file that starts at a record boundary.</summary>
/// <param name="Offset">Byte offset of the slice's first record.</param>
/// <param name="Length">Bytes in the slice.</param>
/// <param name="FirstLine">1-based physical line on which the slice starts.</param>
public readonly record struct CsvSlice(long Offset, long Length, long FirstLine);

/// <summary>
/// Cuts a CSV file into slices that can be parsed in parallel. A cut is placed after a line feed that lies
/// outside quotes, judged by the parity of the quote characters before it (vectorised counting, no parsing).
/// A literal quote inside an unquoted field can fool that parity, so the parse of each slice must end exactly
/// at the next cut; callers check it and fall back to one sequential pass when it does not.
/// </summary>
public static class CsvSplitter
{
    private const int Block = 4 << 20;

    /// <summary>
    /// Plans up to <paramref name="parts"/> slices of the data after the header (which ends at
    /// <paramref name="dataStart"/>, on line <paramref name="dataLine"/>). Returns one slice when the file is
    /// small or has carriage returns without line feeds (lines would be counted differently). Only the first
    /// <paramref name="size"/> bytes are planned (what was hashed; a writer may be appending to the file).
    /// </summary>
    public static IReadOnlyList<CsvSlice> Plan(string path, long dataStart, long dataLine, int parts, long size, long minSliceBytes = 16 << 20)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var whole = new[] { new CsvSlice(dataStart, size - dataStart, dataLine) };
        if (parts < 2 || size - dataStart < 2 * minSliceBytes)
        {
            return whole;
        }

        var slices = new List<CsvSlice>();
        var buffer = new byte[Block];
        using var stream = File.OpenRead(path);
        long position = 0, quotes = 0, lineFeeds = 0, carriageReturns = 0, crlf = 0;
        var previous = (byte)0;
        var sliceStart = dataStart;
        var sliceLine = dataLine;
        for (var k = 1; k < parts; k++)
        {
            var target = dataStart + ((size - dataStart) * k / parts);
            long cut = -1;
            while (cut < 0)
            {
                if (position >= size)
                {
                    break;
                }

                stream.Position = position;
                var n = stream.Read(buffer, 0, Block);
                if (n == 0)
                {
                    break;
                }

                var span = buffer.AsSpan(0, n);

                // Count up to the target in bulk; past it, look for the first line feed outside quotes.
                var bulk = (int)Math.Clamp(target - position, 0, n);
                if (bulk > 0)
                {
                    var part = span[..bulk];
                    quotes += part.Count((byte)'"');
                    lineFeeds += part.Count((byte)'\n');
                    carriageReturns += part.Count((byte)'\r');
                    crlf += part.Count("\r\n"u8) + (previous == (byte)'\r' && part[0] == (byte)'\n' ? 1 : 0);
                    previous = part[^1];
                    position += bulk;
                    continue;
                }

                for (var i = 0; i < n; i++)
                {
                    var c = span[i];
                    if (c == (byte)'"')
                    {
                        quotes++;
                    }
                    else if (c == (byte)'\r')
                    {
                        carriageReturns++;
                    }
                    else if (c == (byte)'\n')
                    {
                        lineFeeds++;
                        if (previous == (byte)'\r')
                        {
                            crlf++;
                        }

                        if (quotes % 2 == 0)
                        {
                            cut = position + i + 1;
                            previous = c;
                            break;
                        }
                    }

                    previous = c;
                }

                position = cut >= 0 ? cut : position + n;
            }

            if (cut < 0 || cut >= size)
            {
                break;
            }

            if (carriageReturns != crlf)
            {
                return whole;
            }

            slices.Add(new CsvSlice(sliceStart, cut - sliceStart, sliceLine));
            sliceStart = cut;
            sliceLine = 1 + lineFeeds;
        }

        slices.Add(new CsvSlice(sliceStart, size - sliceStart, sliceLine));
        return slices;
    }
}
