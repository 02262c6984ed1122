using System.Text;
using Tem.Ingest.Csv;

namespace Tem.Ingest.Tests.Lake;

/// <summary>
/// The bad-input corpus: every case shows the clear error (reason, line, column, message) and that the counts
/// add up: read = stored + rejected, with exactly that many rows in the lake table and in rejects.
/// </summary>
public sealed class BadInputCorpusTests
{
    private const string UsageHeader = "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id";
    private const string GoodUsage = "R1,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05+01:00,125,+442079460000,,0.1234,INV1";
    private const string InvoiceHeader = "invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency";
    private const string GoodInvoice = "INV1,Carrier A,ACC1,2026-11-05,2026-10-01,2026-10-31,1,+447700900001,recurring,Plan L,1,25.00,25.00,GBP";

    public static TheoryData<string, string, int, int, string, string> RowCases => new()
    {
        // name, data line (after the usage header), expected column, ..., reason, message fragment
        { "short row", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,1", 0, 0, "short_row", "7 columns, expected 11" },
        { "long row", GoodUsage + ",surplus", 0, 0, "long_row", "12 columns, expected 11" },
        { "bad date", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-32T14:22:05Z,1,+44207,,0.1,INV1", 6, 6, "bad_timestamp", "not a real calendar date" },
        { "no offset", "R2,Carrier A,ACC1,+447700900001,voice,2026-03-29T01:30:00,1,+44207,,0.1,INV1", 6, 6, "bad_timestamp", "no UTC offset" },
        { "negative duration", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,-60,+44207,,0.1,INV1", 7, 7, "negative_value", "'-60' is negative" },
        { "decimal comma", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+44207,,\"1,20\",INV1", 10, 10, "bad_money", "uses ','" },
        { "too many decimals", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+44207,,0.12345,INV1", 10, 10, "bad_money", "has 5 decimals" },
        { "unknown enum", "R2,Carrier A,ACC1,+447700900001,video,2026-10-03T14:22:05Z,60,+44207,,0.1,INV1", 5, 5, "bad_enum", "is not one of: voice, sms, data" },
        { "letters in phone", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+44 CALL ME,,0.1,INV1", 8, 8, "bad_phone_number", "is not a phone number" },
        { "empty required", "R2,Carrier A,,+447700900001,voice,2026-10-03T14:22:05Z,60,+44207,,0.1,INV1", 3, 3, "required", "account_id is empty" },
        { "voice without duration", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,,+44207,,0.1,INV1", 7, 7, "required", "duration_s is empty" },
        { "fractional seconds count", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,12.5,+44207,,0.1,INV1", 7, 7, "bad_number", "has a fraction" },
        { "text after quote", "R2,Carrier A,ACC1,\"+4477\"00,voice,2026-10-03T14:22:05Z,60,+44207,,0.1,INV1", 4, 4, "bad_quote", "text follows a closing quote" },
        { "huge field", "R2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,60,+44207,,0.1," + new string('I', 5000), 11, 11, "too_long", "5000 bytes long" },
    };

    [Theory]
    [MemberData(nameof(RowCases))]
    public void Ingest_BadRowBetweenGoodOnes_IsRejectedWithReasonLineAndColumn(
        string name, string badLine, int column, int expectedColumn, string reason, string fragment)
    {
        using var lake = new ScratchLake();
        var path = lake.Write("usage.csv", $"{UsageHeader}\n{GoodUsage}\n{badLine}\n{GoodUsage.Replace("R1", "R3", StringComparison.Ordinal)}\n");
        var report = lake.Ingest(path);

        Assert.Equal(FileOutcome.Stored, report.Outcome);
        AssertCounts(lake, report, read: 3, stored: 2, rejected: 1);
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(3, reject.Line);
        Assert.Equal(expectedColumn, reject.Column);
        Assert.Equal(reason, reject.Reason);
        Assert.Contains(fragment, reject.Message, StringComparison.Ordinal);
        Assert.StartsWith(column > 0 ? $"usage.csv:3:{column}: " : "usage.csv:3: ", reject.Message, StringComparison.Ordinal);
        Assert.Equal(badLine.Length > 4096 ? badLine[..4096] + "…" : badLine, reject.Raw);
        _ = name;
    }

    [Theory]
    [InlineData("2026-10-32", "is not a real calendar date")]
    [InlineData("2026-02-29", "is not a real calendar date")]
    [InlineData("03/10/2026", "expected YYYY-MM-DD")]
    public void Ingest_BadDateInDateColumn_IsRejectedAsBadDate(string date, string fragment)
    {
        using var lake = new ScratchLake();
        var bad = GoodInvoice.Replace("2026-10-01,2026-10-31,1,", $"{date},2026-10-31,2,", StringComparison.Ordinal);
        var report = lake.Ingest(lake.Write("bill.csv", $"{InvoiceHeader}\n{GoodInvoice}\n{bad}\n"));
        AssertCounts(lake, report, 2, 1, 1, table: "charges");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("bad_date", 5, "period_start", 3L), (reject.Reason, reject.Column, reject.ColumnName, reject.Line));
        Assert.Contains(fragment, reject.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("EST5")]
    [InlineData("GMT+1")]
    public void Ingest_UnknownTimeZone_IsRejectedNamingTheColumn(string zone)
    {
        using var lake = new ScratchLake();
        var text = "account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id\n" +
                   "A1,C,CUS1,CUS1,,USD,America/New_York,false,\n" +
                   $"A2,C,CUS1,CUS1,,USD,{zone},false,\n";
        var report = lake.Ingest(lake.Write("accounts.csv", text));
        AssertCounts(lake, report, 2, 1, 1, table: "accounts");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("bad_enum", 7, "time_zone", 3L), (reject.Reason, reject.Column, reject.ColumnName, reject.Line));
        Assert.Contains("not a known IANA time zone", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_EmptyFile_FailsWithClearMessageAndNoRows()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("usage.csv", string.Empty));
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("empty file; expected a header row", report.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 0L), (report.RowsRead, report.RowsStored, report.RowsRejected));
    }

    [Fact]
    public void Ingest_HeaderOnly_StoresNothingAndSucceeds()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("usage.csv", UsageHeader + "\n"));
        Assert.Equal(FileOutcome.Stored, report.Outcome);
        AssertCounts(lake, report, 0, 0, 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("invoices")]
    public void Ingest_MissingRequiredColumn_FailsNamingItAndRejectsEveryRow_WithOrWithoutKind(string? kind)
    {
        using var lake = new ScratchLake();
        var text = InvoiceHeader.Replace(",amount", string.Empty, StringComparison.Ordinal) + "\n" +
                   GoodInvoice.Replace(",25.00,GBP", ",GBP", StringComparison.Ordinal) + "\n";
        var failed = lake.Ingest(lake.Write("bill.csv", text), new IngestOptions { Kind = kind });
        Assert.Equal(FileOutcome.Failed, failed.Outcome);
        AssertCounts(lake, failed, read: 1, stored: 0, rejected: 1, table: "charges");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("missing_column", "amount"), (reject.Reason, reject.ColumnName));
        Assert.Contains("no 'amount' column, which a invoices file requires", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_HeaderMissingSeveralColumns_NamesThemAll()
    {
        using var lake = new ScratchLake();
        var header = UsageHeader.Replace(",start_time", string.Empty, StringComparison.Ordinal).Replace(",billed_amount", string.Empty, StringComparison.Ordinal);
        var report = lake.Ingest(lake.Write("usage.csv", header + "\nR1,Carrier A,ACC1,+447700900001,voice,125,+442079460000,,INV1\n"));
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("no 'start_time', 'billed_amount' columns, which a usage file requires; all 1 rows rejected", report.Message, StringComparison.Ordinal);
        AssertCounts(lake, report, read: 1, stored: 0, rejected: 1);
    }

    [Fact]
    public void Ingest_SemicolonSeparatedUsage_FailsWithASeparatorHintAndRejectsEveryRow()
    {
        using var lake = new ScratchLake();
        var text = UsageHeader.Replace(',', ';') + "\n" + "R1;Carrier A;ACC1;+447700900001;voice;2026-10-03T14:22:05+01:00;125;+442079460000;;0,1234;INV1\n";
        var report = lake.Ingest(lake.Write("usage.csv", text));
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("separated by ';'", report.Message, StringComparison.Ordinal);
        Assert.Contains("\"separator\": \";\"", report.Message, StringComparison.Ordinal);
        AssertCounts(lake, report, read: 1, stored: 0, rejected: 1);
        Assert.Equal("bad_file", Assert.Single(lake.Rejects()).Reason);
    }

    [Fact]
    public void Ingest_DuplicateHeaderName_FailsTheFileAndRejectsEveryRow()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("bill.csv", InvoiceHeader + ",amount\n" + GoodInvoice + ",26.00\n" + GoodInvoice.Replace(",1,", ",2,", StringComparison.Ordinal) + ",27.00\n");
        var report = lake.Ingest(path);
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        AssertCounts(lake, report, read: 2, stored: 0, rejected: 2, table: "charges");
        Assert.All(lake.Rejects(), r => Assert.Equal("duplicate_header", r.Reason));
        Assert.Contains("columns 13 and 15", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_ExtraColumns_AreIgnoredAndReportedOnce()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("usage.csv", $"{UsageHeader},cell_id,imsi\n{GoodUsage},C9,2341\n"));
        Assert.Equal(["cell_id", "imsi"], report.IgnoredColumns);
        AssertCounts(lake, report, 1, 1, 0);
    }

    [Fact]
    public void Ingest_BomCrlfAndCaseInsensitiveHeader_AreAccepted()
    {
        using var lake = new ScratchLake();
        var text = UsageHeader.ToUpperInvariant() + "\r\n" + GoodUsage + "\r\n" + GoodUsage.Replace("R1", "R2", StringComparison.Ordinal) + ",\r\n";
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var report = lake.Ingest(lake.Write("usage.csv", bytes));
        AssertCounts(lake, report, read: 2, stored: 1, rejected: 1);
        Assert.Equal(3, Assert.Single(lake.Rejects()).Line);
        Assert.Equal(1, lake.Count("usage", "record_id = 'R1' AND called_number = '+442079460000' AND source_line = 2"));
    }

    [Fact]
    public void Ingest_QuotedCommasAndNewlines_KeepTextExactAndLineNumbersRight()
    {
        using var lake = new ScratchLake();
        var text = $"{InvoiceHeader}\n" +
                   "INV1,Carrier A,ACC1,2026-11-05,2026-10-01,2026-10-31,1,,one_time,\"Install, site B\nsecond line \"\"quoted\"\"\",1,99.5,99.5,GBP\n" +
                   "INV1,Carrier A,ACC1,2026-11-05,2026-10-01,2026-10-31,2,,tax,VAT,,,19.90,gbp\n";
        var report = lake.Ingest(lake.Write("bill.csv", text));
        AssertCounts(lake, report, 2, 2, 0, table: "charges");
        Assert.Equal(1, lake.Count("charges", "description = 'Install, site B\nsecond line \"quoted\"' AND source_line = 2"));
        Assert.Equal(1, lake.Count("charges", "charge_type = 'tax' AND source_line = 4 AND currency = 'GBP' AND month = '2026-10'"));
    }

    [Fact]
    public void Ingest_Latin1TextField_IsStoredDecodedAndSaidOnce()
    {
        using var lake = new ScratchLake();
        var bytes = Encoding.UTF8.GetBytes($"{InvoiceHeader}\n{GoodInvoice}\n")
            .Concat(Encoding.Latin1.GetBytes("INV1,Carrier A,ACC1,2026-11-05,2026-10-01,2026-10-31,2,,one_time,Gebühr,1,5,5,EUR\n")).ToArray();
        var report = lake.Ingest(lake.Write("bill.csv", bytes));
        AssertCounts(lake, report, 2, 2, 0, table: "charges");
        Assert.Equal(1, lake.Count("charges", "description = 'Gebühr' AND source_line = 3"));
        Assert.EndsWith("; 1 text field was not UTF-8; read as windows-1252", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_Latin1BytesInAFieldTemComputesOn_AreRejectedAsBadEncodingNamingTheColumn()
    {
        using var lake = new ScratchLake();
        var bytes = Encoding.UTF8.GetBytes($"{InvoiceHeader}\n{GoodInvoice}\n")
            .Concat(Encoding.Latin1.GetBytes("INV1,Carrier A,ACC1,2026-11-05,2026-10-01,2026-10-31,2,,one_time,Fee,1,5,5²,EUR\n")).ToArray();
        var report = lake.Ingest(lake.Write("bill.csv", bytes));
        AssertCounts(lake, report, 2, 1, 1, table: "charges");
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("bad_encoding", 13, 3L), (reject.Reason, reject.Column, reject.Line));
        Assert.StartsWith($"bill.csv:3:13: {reject.ColumnName} is not valid UTF-8", reject.Message, StringComparison.Ordinal);
        Assert.Contains("5²", reject.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("not UTF-8; read as", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_TruncatedLastLine_CompleteRowIsStored_PartialRowIsShort_OpenQuoteIsUnterminated()
    {
        using var lake = new ScratchLake();
        var complete = lake.Ingest(lake.Write("a.csv", $"{UsageHeader}\n{GoodUsage}"));
        AssertCounts(lake, complete, 1, 1, 0);

        using var lake2 = new ScratchLake();
        var partial = lake2.Ingest(lake2.Write("b.csv", $"{UsageHeader}\n{GoodUsage}\nR2,Carrier A,ACC1,+4477009"));
        AssertCounts(lake2, partial, 2, 1, 1);
        Assert.Equal("short_row", Assert.Single(lake2.Rejects()).Reason);

        using var lake3 = new ScratchLake();
        var open = lake3.Ingest(lake3.Write("c.csv", $"{UsageHeader}\n{GoodUsage}\nR2,\"Carrier A,ACC1\n{GoodUsage}\n"));
        AssertCounts(lake3, open, 2, 1, 1);
        var reject = Assert.Single(lake3.Rejects());
        Assert.Equal(("unterminated_quote", 3L, 2), (reject.Reason, reject.Line, reject.Column));
    }

    [Fact]
    public void Ingest_TimestampWithOffsetInDstGap_IsStoredAsTheInstantItStates()
    {
        // 02:30 does not exist in New York on 2026-03-08, but with its offset the instant is unambiguous.
        using var lake = new ScratchLake();
        var line = GoodUsage.Replace("2026-10-03T14:22:05+01:00", "2026-03-08T02:30:00-05:00", StringComparison.Ordinal);
        var report = lake.Ingest(lake.Write("usage.csv", $"{UsageHeader}\n{line}\n"));
        AssertCounts(lake, report, 1, 1, 0);
        Assert.Equal(1, lake.Count("usage", "start_time = TIMESTAMPTZ '2026-03-08 07:30:00+00' AND start_offset_min = -300 AND month = '2026-03'"));
    }

    [Fact]
    public void Ingest_RecordOverSixteenMiB_IsRejectedAndReadingGoesOn()
    {
        using var lake = new ScratchLake();
        var huge = new string('x', CsvRecordReader.MaxRecordBytes + 1);
        var report = lake.Ingest(lake.Write("usage.csv", $"{UsageHeader}\n{GoodUsage}\nR2,\"{huge}\"\n{GoodUsage.Replace("R1", "R3", StringComparison.Ordinal)}\n"));
        AssertCounts(lake, report, 3, 2, 1);
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("too_long", 3L), (reject.Reason, reject.Line));
        Assert.True(reject.Raw.Length <= 4097);
    }

    [Fact]
    public void Ingest_UnknownFile_IsSkippedNotGuessed()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("notes.csv", "colour,shape\nred,circle\n"));
        Assert.Equal(FileOutcome.Unrecognised, report.Outcome);
        Assert.Equal((0L, 0L, 0L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Empty(lake.Lake.Catalog.Files());
    }

    [Fact]
    public void Ingest_SpacesAroundValues_AreTrimmedExceptInsideQuotedText()
    {
        using var lake = new ScratchLake();
        var text = $"{InvoiceHeader}\n INV1 , Carrier A ,ACC1, 2026-11-05 ,2026-10-01,2026-10-31, 1 ,, RECURRING ,\"  padded  \", 1 , 25.00 , 25.00 , gbp \n";
        var report = lake.Ingest(lake.Write("bill.csv", text));
        AssertCounts(lake, report, 1, 1, 0, table: "charges");
        Assert.Equal(1, lake.Count("charges", "invoice_id = 'INV1' AND carrier = 'Carrier A' AND charge_type = 'recurring' AND description = '  padded  ' AND amount = 25"));
    }

    [Fact]
    public void Ingest_NulByteInsideAField_IsRejectedAsAControlCharacterNamingTheColumn()
    {
        using var lake = new ScratchLake();
        var bad = "R2,Carrier A,ACC1,+4477009\0" + "00002,voice,2026-10-03T14:22:05Z,60,+44207,,0.1,INV1";
        var report = lake.Ingest(lake.Write("usage.csv", $"{UsageHeader}\n{GoodUsage}\n{bad}\n"));
        AssertCounts(lake, report, read: 2, stored: 1, rejected: 1);
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("control_character", 4, "service_id", 3L), (reject.Reason, reject.Column, reject.ColumnName, reject.Line));
        Assert.Contains("usage.csv:3:4: service_id holds a control character", reject.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12345678901234567890", "is out of range: 20 digits, and a whole number here has at most 18")]
    [InlineData("-1234567890123456789", "is out of range: 19 digits")]
    [InlineData("12345678901234567.50", "is not a whole number")]
    public void Ingest_HugeWholeNumber_SaysOutOfRangeNotNotANumber(string duration, string fragment)
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("usage.csv",
            $"{UsageHeader}\nR2,Carrier A,ACC1,+447700900001,voice,2026-10-03T14:22:05Z,{duration},+44207,,0.1,INV1\n"));
        AssertCounts(lake, report, read: 1, stored: 0, rejected: 1);
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal(("bad_number", 7, "duration_s"), (reject.Reason, reject.Column, reject.ColumnName));
        Assert.Contains(fragment, reject.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00 }, "this is a gzip file; decompress it")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14 }, "this is a zip archive or an Excel .xlsx workbook")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x72, 0x00 }, "this is UTF-16 text; save it as UTF-8")]
    public void Ingest_CompressedOrBinaryFile_IsNamedForWhatItIs(byte[] head, string fragment)
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("usage.csv.gz", [.. head, .. Encoding.UTF8.GetBytes(UsageHeader)]));
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.StartsWith("usage.csv.gz: " + fragment, report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BadEncoding", report.Message, StringComparison.Ordinal);
    }

    internal static void AssertCounts(ScratchLake lake, FileReport report, long read, long stored, long rejected, string table = "usage")
    {
        Assert.Equal((read, stored, rejected), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Equal(report.RowsRead, report.RowsStored + report.RowsRejected);
        Assert.Equal(stored, lake.Count(table));
        Assert.Equal(rejected, lake.Count("rejects"));
    }
}
