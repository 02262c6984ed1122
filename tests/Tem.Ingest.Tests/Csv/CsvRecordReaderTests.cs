using System.Text;
using Tem.Ingest.Csv;

namespace Tem.Ingest.Tests.Csv;

public sealed class CsvRecordReaderTests
{
    private static List<(long Line, string[] Fields, RecordProblem Problem)> ReadAll(byte[] bytes, int bufferSize = 1 << 20)
    {
        using var reader = new CsvRecordReader(new MemoryStream(bytes), bufferSize: bufferSize);
        var list = new List<(long, string[], RecordProblem)>();
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader.Field(i))).ToArray();
            list.Add((reader.LineNumber, fields, reader.Problem));
        }

        return list;
    }

    private static List<(long Line, string[] Fields, RecordProblem Problem)> ReadAll(string text) => ReadAll(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Read_QuotedSeparatorsAndNewlines_KeepFieldsAndCountLines()
    {
        var rows = ReadAll("a,b,c\n\"x,1\",\"line1\nline2\",\"say \"\"hi\"\"\"\nlast,row,here\n");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["x,1", "line1\nline2", "say \"hi\""], rows[1].Fields);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal(4, rows[2].Line);
    }

    [Fact]
    public void Read_BomCrlfAndMissingFinalNewline_AreTolerated()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("h1,h2\r\n1,2\r\n3,4")).ToArray();
        var rows = ReadAll(bytes);
        Assert.Equal(["h1", "h2"], rows[0].Fields);
        Assert.Equal(["3", "4"], rows[2].Fields);
        Assert.Equal(3, rows[2].Line);
        Assert.All(rows, r => Assert.Equal(RecordProblem.None, r.Problem));
    }

    [Fact]
    public void Read_BlankLines_AreSkippedButCounted()
    {
        var rows = ReadAll("h\n\n\r\n1\n\n2\n");
        Assert.Equal([1L, 4L, 6L], rows.Select(r => r.Line));
    }

    [Fact]
    public void Read_UnterminatedQuoteAtEnd_IsReportedOnTheRecordsFirstLine()
    {
        var rows = ReadAll("h1,h2\n1,\"open\nstill open\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal(RecordProblem.UnterminatedQuote, rows[1].Problem);
        Assert.Equal(2, rows[1].Line);
    }

    [Fact]
    public void Read_TextAfterClosingQuote_IsBadQuote_LiteralQuoteInsideField_IsKept()
    {
        var rows = ReadAll("h1,h2\n\"ab\"c,x\n12\" screen,y\n");
        Assert.Equal(RecordProblem.BadQuote, rows[1].Problem);
        Assert.Equal(RecordProblem.None, rows[2].Problem);
        Assert.Equal("12\" screen", rows[2].Fields[0]);
    }

    [Fact]
    public void Read_Latin1Bytes_AreToldNotRefused_TextDecodesThemWithTheFallbackCountingEachFieldOnce()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b,c\nok,").Concat(new byte[] { 0x5A, 0xFC, 0x72 }).Concat(Encoding.UTF8.GetBytes(",x\nplain,y,z\n")).ToArray();
        using var reader = new CsvRecordReader(new MemoryStream(bytes));
        Assert.True(reader.Read());
        Assert.False(reader.HasInvalidUtf8);
        Assert.True(reader.Read());
        Assert.Equal(RecordProblem.None, reader.Problem);
        Assert.True(reader.HasInvalidUtf8);
        Assert.Equal((true, false, true), (reader.IsUtf8(0), reader.IsUtf8(1), reader.IsUtf8(2)));
        Assert.Equal(("ok", "Zür", "Zür", "x"), (reader.Text(0), reader.Text(1), reader.Text(1), reader.Text(2)));
        Assert.Equal(1, reader.TextFallback.Fields);
        Assert.Equal("ok,Zür,x", reader.RawText());
        Assert.True(reader.Read());
        Assert.False(reader.HasInvalidUtf8);
        Assert.Equal("1 text field was not UTF-8; read as windows-1252", reader.TextFallback.Note);
    }

    [Fact]
    public void Read_RecordOverTheLimit_IsSkippedAsTooLongAndTheNextRecordIsRead()
    {
        var huge = new string('x', CsvRecordReader.MaxRecordBytes + 10);
        var rows = ReadAll(Encoding.UTF8.GetBytes($"h1,h2\n1,\"{huge}\n{huge}\"\n2,ok\n"));
        Assert.Equal(3, rows.Count);
        Assert.Equal(RecordProblem.TooLong, rows[1].Problem);
        Assert.Equal(["2", "ok"], rows[2].Fields);
        Assert.Equal(4, rows[2].Line);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Read_RandomRecordsThroughTinyAndLargeBuffers_RoundTripWithExactLines(int seed)
    {
        var random = new Random(seed);
        var alphabet = "ab,\"\n\r xé☎0+";
        var records = new List<string[]>();
        var text = new StringBuilder();
        var lines = new List<long>();
        long line = 1;
        for (var r = 0; r < 300; r++)
        {
            var count = random.Next(1, 6);
            var fields = new string[count];
            for (var f = 0; f < count; f++)
            {
                var len = random.Next(0, 8);
                var chars = new char[len];
                for (var k = 0; k < len; k++)
                {
                    chars[k] = alphabet[random.Next(alphabet.Length)];
                }

                fields[f] = new string(chars).Replace("\r", "\r\n", StringComparison.Ordinal);
            }

            if (count == 1 && fields[0].Length == 0)
            {
                fields[0] = "z";
            }

            lines.Add(line);
            records.Add(fields);
            var encoded = fields.Select(f => f.AsSpan().IndexOfAny(",\"\r\n") >= 0 || f.StartsWith(' ') ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f);
            var recordText = string.Join(",", encoded);
            line += recordText.Count(ch => ch == '\n') + 1;
            text.Append(recordText).Append(random.Next(2) == 0 ? "\n" : "\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        foreach (var bufferSize in new[] { 16, 1 << 20 })
        {
            var rows = ReadAll(bytes, bufferSize);
            Assert.Equal(records.Count, rows.Count);
            for (var i = 0; i < records.Count; i++)
            {
                Assert.Equal(records[i], rows[i].Fields);
                Assert.Equal(lines[i], rows[i].Line);
                Assert.Equal(RecordProblem.None, rows[i].Problem);
            }
        }
    }

    [Fact]
    public void Read_EmptyInput_HasNoRecords()
    {
        Assert.Empty(ReadAll(string.Empty));
        Assert.Empty(ReadAll(new byte[] { 0xEF, 0xBB, 0xBF }));
    }
}
