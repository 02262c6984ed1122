using System.Text;
using Tem.Ingest.Formats.Edi;

namespace Tem.Ingest.Tests.Formats.Edi;

public sealed class X12SegmentReaderTests
{
    private static List<(string Id, long Line, string Raw)> Segments(X12SegmentReader reader)
    {
        var list = new List<(string, long, string)>();
        while (reader.Read())
        {
            list.Add((reader.Id, reader.Line, reader.RawText()));
        }

        return list;
    }

    private static X12SegmentReader Open(string text) => new(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize: 256);

    [Fact]
    public void Read_004010Isa_SeparatorsComeFromIsaAndThereIsNoRepetitionSeparator()
    {
        using var reader = new X12SegmentReader(File.OpenRead(EdiTestFiles.Path("acme-004010.edi")));
        Assert.True(reader.Read());
        Assert.Equal(new X12Separators((byte)'*', (byte)':', (byte)'~', null), reader.Separators);
        Assert.Equal("ACMETEL", reader.Text(6));
        Assert.Equal("000000101", reader.Text(13));
    }

    [Fact]
    public void Read_005010Isa_RepetitionSeparatorIsIsa11()
    {
        using var reader = new X12SegmentReader(File.OpenRead(EdiTestFiles.Path("bravo-005010.edi")));
        Assert.True(reader.Read());
        Assert.Equal(new X12Separators((byte)'|', (byte)'>', (byte)'~', (byte)'^'), reader.Separators);
    }

    [Fact]
    public void Read_OneSegmentPerLine_LinesArePhysicalLinesAndElementsArePositions()
    {
        var text = EdiTestFiles.Text("acme-004010.edi").Replace("ST*811*0001~\n", "ST*811*0001~\n\n\n", StringComparison.Ordinal);
        using var reader = Open(text);
        var segments = Segments(reader);
        Assert.True(reader.PhysicalLines);
        Assert.Null(reader.Problem);
        Assert.Equal(3, segments.Single(s => s.Id == "ST").Line);

        // Two blank lines after ST push BIG from line 4 to line 6.
        Assert.Equal(6, segments.Single(s => s.Id == "BIG").Line);
        Assert.Equal("IT1*1*1*EA*45.00**SV*MRC", segments.First(s => s.Id == "IT1").Raw);
    }

    [Fact]
    public void Element_PositionsAreOneBasedAndMissingOnesAreEmpty()
    {
        using var reader = Open(EdiTestFiles.Text("acme-004010.edi"));
        while (reader.Read() && reader.Id != "IT1")
        {
        }

        Assert.Equal("45.00", reader.Text(4));
        Assert.Equal("MRC", reader.Text(7));
        Assert.Equal(string.Empty, reader.Text(5));
        Assert.Equal(string.Empty, reader.Text(40));
        Assert.Equal(7, reader.ElementCount);
    }

    [Fact]
    public void Read_NoLineBreaks_LineIsTheSegmentNumber()
    {
        using var reader = new X12SegmentReader(File.OpenRead(EdiTestFiles.Path("bravo-005010.edi")));
        var segments = Segments(reader);
        Assert.False(reader.PhysicalLines);
        Assert.Equal(Enumerable.Range(1, segments.Count).Select(i => (long)i), segments.Select(s => s.Line));
        Assert.Equal("BIG", segments[3].Id);
        Assert.Equal("IEA", segments[^1].Id);
    }

    [Fact]
    public void Read_SegmentWrappedAcrossLines_LineBreaksInsideAreRemoved()
    {
        var text = EdiTestFiles.Text("acme-004010.edi").Replace("PID*F****Business Unlimited plan~\nTXI", "PID*F****Business Un\nlimited plan~\nTXI", StringComparison.Ordinal);
        using var reader = Open(text);
        var segments = Segments(reader);
        Assert.Null(reader.Problem);
        var pid = segments.First(s => s.Id == "PID");
        Assert.Equal("PID*F****Business Unlimited plan", pid.Raw);
        Assert.Equal(16, pid.Line);
        Assert.Equal(18, segments.First(s => s.Id == "TXI").Line);
    }

    [Fact]
    public void Read_IsaElementTooNarrow_ProblemNamesTheElementAndTheFixedLayout()
    {
        using var reader = new X12SegmentReader(File.OpenRead(EdiTestFiles.Path("isa-short.edi")));
        Assert.False(reader.Read());
        var problem = reader.Problem!;
        Assert.Equal(1, problem.Line);
        Assert.Contains("ISA06 is 7 characters wide where the ISA layout requires 15", problem.Message, StringComparison.Ordinal);
        Assert.Contains("exactly 106 characters", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BodyUsesAnotherElementSeparator_ProblemAtTheFirstSegmentWithAHint()
    {
        using var reader = new X12SegmentReader(File.OpenRead(EdiTestFiles.Path("wrong-separators.edi")));
        var segments = Segments(reader);
        Assert.Equal(["ISA"], segments.Select(s => s.Id));
        var problem = reader.Problem!;
        Assert.Equal(2, problem.Line);
        Assert.Contains("'GS|CI|ACMETEL", problem.Message, StringComparison.Ordinal);
        Assert.Contains("element separator '*'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("other separators than its ISA says", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BodyEndsSegmentsWithLineBreaksOnly_ProblemSaysTheTerminatorIsNotTheDeclaredOne()
    {
        using var reader = new X12SegmentReader(File.OpenRead(EdiTestFiles.Path("wrong-terminator.edi")));
        var segments = Segments(reader);
        Assert.Equal(["ISA"], segments.Select(s => s.Id));
        var problem = reader.Problem!;
        Assert.Equal(2, problem.Line);
        Assert.Contains("followed by what looks like a new segment 'ST'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("terminator '~'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotAnInterchange_ProblemAtLineOne()
    {
        using var reader = Open("invoice_id,carrier\nA,B\n");
        Assert.False(reader.Read());
        Assert.Equal(1, reader.Problem!.Line);
        Assert.Contains("does not start with an ISA segment", reader.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IsaWithLetterAsTerminator_IsAProblem()
    {
        var isa = EdiTestFiles.Text("acme-004010.edi")[..106];
        using var reader = Open(isa[..105] + "X" + "GS*CI~");
        Assert.False(reader.Read());
        Assert.Contains("segment terminator 'X'", reader.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoInterchangesWithDifferentSeparators_EachUsesItsOwn()
    {
        var text = EdiTestFiles.Text("acme-004010.edi") + "\n" + EdiTestFiles.Text("bravo-005010.edi");
        using var reader = Open(text);
        var ids = Segments(reader).Select(s => s.Id).ToList();
        Assert.Null(reader.Problem);
        Assert.Equal(2, ids.Count(i => i == "ISA"));
        Assert.Equal(4, ids.Count(i => i == "ST"));
        Assert.Equal((byte)'|', reader.Separators.Element);
    }

    [Fact]
    public void LooksLikeX12_IsaAfterBomAndSpaces_YesCsvNo()
    {
        Assert.True(Edi811Reader.LooksLikeX12([0xEF, 0xBB, 0xBF, .. "\r\nISA*00*"u8]));
        Assert.True(Edi811Reader.LooksLikeX12("ISA|00|"u8));
        Assert.False(Edi811Reader.LooksLikeX12("ISAAC,NEWTON\n"u8));
        Assert.False(Edi811Reader.LooksLikeX12("invoice_id,carrier\n"u8));
    }
}
