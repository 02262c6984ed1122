using System.Globalization;
using Tem.Core;
using Tem.Ingest.Formats.Edi;

namespace Tem.Ingest.Tests.Formats.Edi;

public sealed class Edi811ReaderTests
{
    private static decimal Amount(EdiLine line) => decimal.Parse(line["amount"], CultureInfo.InvariantCulture);

    [Fact]
    public void Read_Valid004010_EveryChargeTaxAndAllowanceIsALineWithItsAccountAndService()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("acme-004010.edi");
        Assert.Null(problem);
        Assert.All(lines, l => Assert.Null(l.Reject));

        // The fixture's lines, in file order: (service, charge_type, description, quantity, unit_price, amount, account).
        var expected = new (string Service, string Type, string Description, string Quantity, string Price, string Amount, string Account)[]
        {
            ("+15125550101", "recurring", "Business Unlimited plan", "1", "45", "45", "ACCT-1001"),
            ("+15125550101", "tax", "State sales tax (TX)", "", "", "3.71", "ACCT-1001"),
            ("+15125550101", "usage", "Long distance minutes", "245", "0.05", "12.25", "ACCT-1001"),
            ("+15125550101", "credit", "Loyalty discount", "", "", "-5", "ACCT-1001"),
            ("+15125550102", "recurring", "Business Unlimited plan", "1", "45", "45", "ACCT-1001"),
            ("+15125550102", "surcharge", "Regulatory recovery fee", "", "", "1.99", "ACCT-1001"),
            ("", "recurring", "SIP trunk 10 channels", "1", "120", "120", "ACCT-1002"),
            ("", "tax", "Federal excise tax", "", "", "3.6", "ACCT-1002"),
        };
        Assert.Equal(expected.Length, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var (service, type, description, quantity, price, amount, account) = expected[i];
            var line = lines[i];
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), line["line_no"]);
            Assert.Equal(service, line["service_id"]);
            Assert.Equal(type, line["charge_type"]);
            Assert.Equal(description, line["description"]);
            Assert.Equal(quantity, line["quantity"]);
            Assert.Equal(price, line["unit_price"]);
            Assert.Equal(amount, line["amount"]);
            Assert.Equal(account, line["account_id"]);
            Assert.Equal("INV-2026-11-0042", line["invoice_id"]);
            Assert.Equal("Acme Telecom", line["carrier"]);
            Assert.Equal("2026-11-01", line["invoice_date"]);
            Assert.Equal("2026-10-01", line["period_start"]);
            Assert.Equal("2026-10-31", line["period_end"]);
            Assert.Equal("USD", line["currency"]);
        }

        // TDS*22655 carries 2 implied decimals.
        Assert.Equal(226.55m, lines.Sum(Amount));
    }

    [Fact]
    public void Read_Valid004010_RecordsPointAtTheirSegmentLineAndElements()
    {
        var (lines, _) = EdiTestFiles.ReadFile("acme-004010.edi");
        Assert.Equal([15L, 17, 18, 20, 23, 25, 28, 30], lines.Select(l => l.Line));
        Assert.Equal("IT1*1*1*EA*45.00**SV*MRC", lines[0].Raw);
        Assert.Equal("SAC*A*C310***500**********Loyalty discount", lines[3].Raw);

        // amount (layout field 12) comes from IT104, TXI02 and SAC05; charge_type (8) from IT107.
        Assert.Equal(4, lines[0].SourceColumn[12]);
        Assert.Equal(7, lines[0].SourceColumn[8]);
        Assert.Equal(2, lines[1].SourceColumn[12]);
        Assert.Equal(5, lines[3].SourceColumn[12]);
        Assert.Equal(0, lines[0].SourceColumn[0]);
    }

    [Fact]
    public void Read_005010SeveralTransactionsAndGroups_OneInvoicePerTransaction()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("bravo-005010.edi");
        Assert.Null(problem);
        Assert.All(lines, l => Assert.Null(l.Reject));
        Assert.Equal(["B-77001", "B-77002", "B-77003"], lines.Select(l => l["invoice_id"]).Distinct());

        var first = lines.Where(l => l["invoice_id"] == "B-77001").ToList();
        Assert.Equal(["recurring", "usage", "one_time", "tax"], first.Select(l => l["charge_type"]));
        Assert.All(first, l => Assert.Equal("88-1234-01", l["account_id"]));
        Assert.All(first, l => Assert.Equal("+13125550111", l["service_id"]));
        Assert.All(first, l => Assert.Equal("Bravo Networks", l["carrier"]));
        Assert.All(first, l => Assert.Equal(("2026-10-01", "2026-10-31"), (l["period_start"], l["period_end"])));
        Assert.Equal(("12", "0.1", "1.2"), (first[1]["quantity"], first[1]["unit_price"], first[1]["amount"]));
        Assert.Equal(("SIM replacement", "2.5"), (first[2]["description"], first[2]["amount"]));
        Assert.Equal(35.85m, first.Sum(Amount));

        // Segment numbers: ISA=1, GS=2, ST=3, BIG=4, REF=5, DTM=6, N1=7, HL=8, HL=9, SI=10, IT1=11.
        Assert.Equal(11, first[0].Line);

        var second = lines.Where(l => l["invoice_id"] == "B-77002").ToList();
        Assert.All(second, l => Assert.Equal("BRAVONET", l["carrier"]));
        Assert.Equal(("100", "0.02", "2", "Domestic minutes"), (second[0]["quantity"], second[0]["unit_price"], second[0]["amount"], second[0]["description"]));
        Assert.Equal(("credit", "-10", "Promotional credit"), (second[2]["charge_type"], second[2]["amount"], second[2]["description"]));
        Assert.All(second, l => Assert.Equal("88-1234-02", l["account_id"]));

        var third = lines.Where(l => l["invoice_id"] == "B-77003").ToList();
        Assert.Equal(["1", "2"], third.Select(l => l["line_no"]));
        Assert.Equal(("surcharge", "2.5", "88-1234-03", ""), (third[1]["charge_type"], third[1]["amount"], third[1]["account_id"], third[1]["service_id"]));
        Assert.Equal("2026-11-02", third[0]["invoice_date"]);
    }

    [Fact]
    public void Read_OptionsNameTheCarrierAndMapCodes_LinesFollowThem()
    {
        var options = new Edi811Options
        {
            Carrier = "Bravo",
            ChargeCodes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["F050"] = "late_fee" },
        };
        var (lines, problem) = EdiTestFiles.ReadFile("bravo-005010.edi", options);
        Assert.Null(problem);
        Assert.All(lines, l => Assert.Equal("Bravo", l["carrier"]));
        Assert.Equal("late_fee", lines[^1]["charge_type"]);
    }

    [Fact]
    public void Read_NoCurrencySegment_UsesTheDefault()
    {
        var (lines, _) = EdiTestFiles.ReadFile("bravo-005010.edi", new Edi811Options { DefaultCurrency = "CAD" });
        Assert.All(lines.Where(l => l["invoice_id"] != "B-77003"), l => Assert.Equal("CAD", l["currency"]));
        Assert.All(lines.Where(l => l["invoice_id"] == "B-77003"), l => Assert.Equal("USD", l["currency"]));
    }

    [Fact]
    public void Read_WrongSe01_ProblemAtSeNamesExpectedAndFound()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("bad-se-count.edi");
        Assert.Equal(8, lines.Count);
        Assert.NotNull(problem);
        Assert.Equal((33L, 1), (problem.Line, problem.Column));
        Assert.Contains("SE01 says '30', but there are 31 segments in transaction 0001", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongCtt_ProblemAtCtt()
    {
        var (_, problem) = EdiTestFiles.ReadFile("bad-ctt.edi");
        Assert.NotNull(problem);
        Assert.Equal((32L, 1), (problem.Line, problem.Column));
        Assert.Contains("CTT01 says '5', but there are 4 line items (IT1 segments)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TdsNotTheSumOfTheLines_ProblemAtTdsWithBothTotals()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("bad-tds.edi");
        Assert.Equal(8, lines.Count);
        Assert.NotNull(problem);
        Assert.Equal((31L, 1), (problem.Line, problem.Column));
        Assert.Contains("TDS01 says the invoice totals 227.55 (22755 with 2 implied decimals)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("add up to 226.55 (difference 1.00)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedInterchange_LinesReadSoFarAreHandedOutAndTheFileHasAProblem()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("truncated.edi");
        Assert.Equal(5, lines.Count);
        Assert.NotNull(problem);
        Assert.Equal(23, problem.Line);
        Assert.Contains("ends inside transaction 0001 (ST at line 3): no SE, GE or IEA follow", problem.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IEA*1*000000101~\n", "the file ends without the IEA that closes the interchange opened by ISA at line 1")]
    [InlineData("GE*1*101~\nIEA*1*000000101~\n", "the file ends inside the group opened by GS at line 2: no GE or IEA follow")]
    public void Read_MissingTrailers_ProblemSaysWhichOne(string cut, string expected)
    {
        var text = EdiTestFiles.Text("acme-004010.edi");
        var (lines, problem) = EdiTestFiles.ReadText(text[..^cut.Length]);
        Assert.Equal(8, lines.Count);
        Assert.Contains(expected, problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MismatchedControlNumbers_FirstProblemAtSeAndTheOtherCounted()
    {
        var (_, problem) = EdiTestFiles.ReadFile("bad-control-numbers.edi");
        Assert.NotNull(problem);
        Assert.Equal((33L, 2), (problem.Line, problem.Column));
        Assert.Contains("SE02 is control number '0002', but the ST02 at line 3 it closes says '0001'", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("(and 1 more problem after it)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IeaControlNumberDiffers_ProblemAtIea()
    {
        var text = EdiTestFiles.Text("acme-004010.edi").Replace("IEA*1*000000101~", "IEA*1*000000102~", StringComparison.Ordinal);
        var (_, problem) = EdiTestFiles.ReadText(text);
        Assert.Equal((35L, 2), (problem!.Line, problem.Column));
        Assert.Contains("IEA02 is control number '000000102', but the ISA13 at line 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GroupCountWrong_ProblemAtGe()
    {
        var text = EdiTestFiles.Text("acme-004010.edi").Replace("GE*1*101~", "GE*2*101~", StringComparison.Ordinal);
        var (_, problem) = EdiTestFiles.ReadText(text);
        Assert.Equal((34L, 1), (problem!.Line, problem.Column));
        Assert.Contains("GE01 says '2', but there are 1 transaction sets", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonNumericAmount_RowRejectAtTheElementAndNoFileProblem()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("bad-amount.edi");
        Assert.Null(problem);
        Assert.Equal(8, lines.Count);
        var rejected = Assert.Single(lines, l => l.Reject is not null);
        Assert.Equal(23, rejected.Line);
        var reject = rejected.Reject!.Value;
        Assert.Equal((4, "IT104", RejectReason.BadMoney), (reject.Column, reject.ColumnName, reject.Reason));
        Assert.Contains("'45.O0' is not a number", reject.Message, StringComparison.Ordinal);
        Assert.Equal("IT1*3*1*EA*45.O0**SV*MRC", rejected.Raw);
    }

    [Fact]
    public void Read_UnknownHlParent_ProblemAtHl02()
    {
        var (_, problem) = EdiTestFiles.ReadFile("unknown-hl-parent.edi");
        Assert.NotNull(problem);
        Assert.Equal((21L, 2), (problem.Line, problem.Column));
        Assert.Contains("HL02 names parent '9', which is not the HL01 of an earlier HL", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownChargeCode_RowRejectAtTheCodeWithAHint()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("unknown-charge-code.edi");
        Assert.Null(problem);
        var rejected = Assert.Single(lines, l => l.Reject is not null);
        var reject = rejected.Reject!.Value;
        Assert.Equal((18L, 7, "IT107", RejectReason.BadEnum), (rejected.Line, reject.Column, reject.ColumnName, reject.Reason));
        Assert.Contains("'XYZ' is not a known charge code", reject.Message, StringComparison.Ordinal);
        Assert.Contains("XYZ=recurring", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownChargeCodeMappedByOption_IsAccepted()
    {
        var options = new Edi811Options { ChargeCodes = new Dictionary<string, string> { ["XYZ"] = "usage" } };
        var (lines, problem) = EdiTestFiles.ReadFile("unknown-charge-code.edi", options);
        Assert.Null(problem);
        Assert.All(lines, l => Assert.Null(l.Reject));
        Assert.Equal("usage", lines[2]["charge_type"]);
    }

    [Fact]
    public void Read_SacAmountWithDecimalPoint_RejectSaysTheDecimalsAreImplied()
    {
        var text = EdiTestFiles.Text("acme-004010.edi").Replace("SAC*A*C310***500*", "SAC*A*C310***5.00*", StringComparison.Ordinal);
        var (lines, problem) = EdiTestFiles.ReadText(text);
        Assert.Null(problem);
        var reject = Assert.Single(lines, l => l.Reject is not null).Reject!.Value;
        Assert.Equal((5, "SAC05"), (reject.Column, reject.ColumnName));
        Assert.Contains("2 implied decimals", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoBillingPeriod_EveryLineRejectedWithAHint()
    {
        var text = EdiTestFiles.Text("acme-004010.edi")
            .Replace("DTM*186*20261001~\nDTM*187*20261031~\n", string.Empty, StringComparison.Ordinal)
            .Replace("SE*31*0001~", "SE*29*0001~", StringComparison.Ordinal);
        var (lines, problem) = EdiTestFiles.ReadText(text);
        Assert.Null(problem);
        Assert.Equal(8, lines.Count);
        Assert.All(lines, l => Assert.Equal((RejectReason.Required, "period_start"), (l.Reject!.Value.Reason, l.Reject.Value.ColumnName)));
        Assert.Contains("DTM*186", lines[0].Reject!.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ItemPeriodInItsLoop_OverridesTheInvoicePeriod()
    {
        var text = EdiTestFiles.Text("acme-004010.edi")
            .Replace("PID*F****SIP trunk 10 channels~\n", "PID*F****SIP trunk 10 channels~\nDTM*150*20261015~\n", StringComparison.Ordinal)
            .Replace("SE*31*0001~", "SE*32*0001~", StringComparison.Ordinal);
        var (lines, problem) = EdiTestFiles.ReadText(text);
        Assert.Null(problem);
        var trunk = lines.Single(l => l["description"] == "SIP trunk 10 channels");
        Assert.Equal(("2026-10-15", "2026-10-31"), (trunk["period_start"], trunk["period_end"]));
        Assert.All(lines.Where(l => l != trunk), l => Assert.Equal("2026-10-01", l["period_start"]));
    }

    [Fact]
    public void Read_NotAn811_StopsWithAProblem()
    {
        var text = EdiTestFiles.Text("acme-004010.edi").Replace("ST*811*0001~", "ST*810*0001~", StringComparison.Ordinal);
        var (lines, problem) = EdiTestFiles.ReadText(text);
        Assert.Empty(lines);
        Assert.Equal((3L, 1), (problem!.Line, problem.Column));
        Assert.Contains("ST01 is transaction set '810'", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("more problem", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SegmentBeforeAnyGroup_StopsWithWhatWasExpected()
    {
        var text = EdiTestFiles.Text("acme-004010.edi").Replace("GS*CI*ACMETEL*CONTOSO*20261102*0900*101*X*004010~\n", string.Empty, StringComparison.Ordinal);
        var (_, problem) = EdiTestFiles.ReadText(text);
        Assert.Equal(2, problem!.Line);
        Assert.Contains("ST comes between groups (after ISA or GE)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongSeparators_NoLinesAndAProblem()
    {
        var (lines, problem) = EdiTestFiles.ReadFile("wrong-separators.edi");
        Assert.Empty(lines);
        Assert.Equal(2, problem!.Line);
    }

    [Fact]
    public void Read_EmptyFile_Problem()
    {
        var (lines, problem) = EdiTestFiles.ReadText(string.Empty);
        Assert.Empty(lines);
        Assert.StartsWith("the file is empty", problem!.Message, StringComparison.Ordinal);
    }
}
