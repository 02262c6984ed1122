using System.Text;
using Tem.Core;
using Tem.Ingest.Formats.Profiles;

namespace Tem.Ingest.Tests.Formats.Profiles;

public sealed class ProfileReaderTests
{
    [Fact]
    public void Read_NordwindSample_TranslatesEveryCallSmsAndDataRow()
    {
        var (rows, skipped, problem) = ProfileTestFiles.Read(ProfileTestFiles.Load(ProfileTestFiles.Nordwind),
            ProfileTestFiles.Shipped(ProfileTestFiles.NordwindSample));
        Assert.Null(problem);
        Assert.All(rows, r => Assert.Null(r.Reject));

        // Six data rows; two subtotals and the grand total are skipped. The header is line 4 (three title lines above).
        Assert.Equal(6, rows.Count);
        Assert.Equal(3, skipped);
        Assert.Equal([5L, 6, 7, 8, 10, 11], rows.Select(r => r.Line));

        var call = rows[0];
        Assert.Equal("NW-2026-10-001-1", call["record_id"]);
        Assert.Equal(("Nordwind Mobil", "DE-88001", "+491701234567", "voice"), (call["carrier"], call["account_id"], call["service_id"], call["usage_type"]));
        Assert.Equal("2026-10-03T14:22:05+02:00", call["start_time"]);
        Assert.Equal(("245", "+4930123456", "", "0.49", "NW-2026-10-001"), (call["duration_s"], call["called_number"], call["data_mb"], call["billed_amount"], call["invoice_id"]));

        Assert.Equal(("sms", "", "0.09"), (rows[1]["usage_type"], rows[1]["duration_s"], rows[1]["billed_amount"]));
        Assert.Equal(("data", "1.5", "0"), (rows[2]["usage_type"], rows[2]["data_mb"], rows[2]["billed_amount"]));

        // After the change back to CET on 25 October the offset is +01:00.
        Assert.Equal(("2026-10-27T07:45:10+01:00", "voice", "720", "3.24"), (rows[3]["start_time"], rows[3]["usage_type"], rows[3]["duration_s"], rows[3]["billed_amount"]));
        Assert.Equal("3723", rows[4]["duration_s"]);
        Assert.Equal(("2048", "12.5"), (rows[5]["data_mb"], rows[5]["billed_amount"]));
    }

    [Fact]
    public void Read_LakeshoreSample_NegatesCreditsMapsCodesAndParsesUsDates()
    {
        var (rows, skipped, problem) = ProfileTestFiles.Read(ProfileTestFiles.Load(ProfileTestFiles.Lakeshore),
            ProfileTestFiles.Shipped(ProfileTestFiles.LakeshoreSample));
        Assert.Null(problem);
        Assert.All(rows, r => Assert.Null(r.Reject));
        Assert.Equal(7, rows.Count);
        Assert.Equal(1, skipped);

        Assert.Equal(["recurring", "recurring", "usage", "credit", "tax", "surcharge", "late_fee"], rows.Select(r => r["charge_type"]));
        Assert.Equal(["1045", "39.99", "12.48", "-50", "33.1", "18.27", "25"], rows.Select(r => r["amount"]));
        Assert.All(rows, r => Assert.Equal(("2026-11-01", "2026-10-01", "2026-10-31"), (r["invoice_date"], r["period_start"], r["period_end"])));
        Assert.All(rows, r => Assert.Equal(("LT-100234", "Lakeshore Telecom", "ACCT-5501", "USD"), (r["invoice_id"], r["carrier"], r["account_id"], r["currency"])));
        Assert.Equal(("312", "0.04"), (rows[2]["quantity"], rows[2]["unit_price"]));
        Assert.Equal(("1045", "1"), (rows[0]["unit_price"], rows[0]["quantity"]));
        Assert.Equal("Late payment charge, invoice LT-099871", rows[6]["description"]);
        Assert.Equal(("", "7"), (rows[6]["service_id"], rows[6]["line_no"]));
        Assert.Equal(1123.84m, rows.Sum(r => decimal.Parse(r["amount"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Read_RowsThatCannotBeTranslated_AreRejectedAtTheirSourceColumn()
    {
        var (rows, skipped, problem) = ProfileTestFiles.Read(ProfileTestFiles.Load(ProfileTestFiles.Lakeshore),
            ProfileTestFiles.Fixture("lakeshore-bad-rows.csv"));
        Assert.Null(problem);
        Assert.Equal(6, rows.Count);
        Assert.Equal(1, skipped);
        var rejects = rows.Where(r => r.Reject is not null).Select(r => (r.Line, r.Reject!.Value)).ToList();
        Assert.Equal(3, rejects.Count);

        var (line, badDate) = rejects[0];
        Assert.Equal((3L, 3, "Invoice Date", RejectReason.BadDate), (line, badDate.Column, badDate.ColumnName, badDate.Reason));
        Assert.Equal("(invoice_date) '13/45/2026' is not a date in the format MM/dd/yyyy", badDate.Message);

        var (line2, badMoney) = rejects[1];
        Assert.Equal((4L, 12, "Amount", RejectReason.BadMoney), (line2, badMoney.Column, badMoney.ColumnName, badMoney.Reason));
        Assert.Contains("'$12.34.5' has the decimal separator '.' more than once", badMoney.Message, StringComparison.Ordinal);

        var (line3, shortRow) = rejects[2];
        Assert.Equal((6L, 0, RejectReason.ShortRow), (line3, shortRow.Column, shortRow.Reason));
        Assert.Equal("7 columns, expected 13 as in the header", shortRow.Message);

        // An unmapped code passes unchanged: the ingest's own check rejects it as bad_enum, at the Charge Type column.
        Assert.Equal("XYZ", rows.Single(r => r.Line == 5)["charge_type"]);
        Assert.Equal("-10", rows.Single(r => r.Line == 7)["amount"]);
    }

    [Fact]
    public void Read_LocalTimesAroundDaylightSavingChanges_GapRejectedOverlapRejectedByDefault()
    {
        var (rows, skipped, problem) = ProfileTestFiles.Read(ProfileTestFiles.Load(ProfileTestFiles.Nordwind), ProfileTestFiles.Fixture("nordwind-dst.csv"));
        Assert.Null(problem);
        Assert.Equal(5, rows.Count);
        Assert.Equal(1, skipped);

        var gap = rows[0].Reject!.Value;
        Assert.Equal((4, "Datum", RejectReason.NonexistentTime), (gap.Column, gap.ColumnName, gap.Reason));
        Assert.StartsWith("(start_time) '29.03.2026 02:30:00' does not exist in Europe/Berlin", gap.Message, StringComparison.Ordinal);

        var overlap = rows[1].Reject!.Value;
        Assert.Equal((4, RejectReason.AmbiguousTime), (overlap.Column, overlap.Reason));
        Assert.Contains("happened twice in Europe/Berlin (offsets +02:00 and +01:00", overlap.Message, StringComparison.Ordinal);
        Assert.Contains("\"ambiguous_time\": \"earlier\"", overlap.Message, StringComparison.Ordinal);

        Assert.Equal("2026-10-25T03:30:00+01:00", rows[2]["start_time"]);
        Assert.Equal("2026-03-29T03:30:00+02:00", rows[3]["start_time"]);

        var duration = rows[4].Reject!.Value;
        Assert.Equal((8, "Dauer", RejectReason.BadNumber), (duration.Column, duration.ColumnName, duration.Reason));
        Assert.Contains("'4:05' is not a duration H:MM:SS", duration.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("earlier", "2026-10-25T02:30:00+02:00")]
    [InlineData("later", "2026-10-25T02:30:00+01:00")]
    public void Read_AmbiguousTimeWithAPolicy_TakesTheChosenOccurrence(string policy, string expected)
    {
        var json = File.ReadAllText(ProfileTestFiles.Shipped(ProfileTestFiles.Nordwind))
            .Replace("\"time_zone\": \"Europe/Berlin\",", $"\"time_zone\": \"Europe/Berlin\", \"ambiguous_time\": \"{policy}\",", StringComparison.Ordinal);
        var profile = CarrierProfile.Parse(Encoding.UTF8.GetBytes(json), "nordwind.json");
        var (rows, _, _) = ProfileTestFiles.Read(profile, ProfileTestFiles.Fixture("nordwind-dst.csv"));
        Assert.Equal(expected, rows[1]["start_time"]);
        Assert.Equal(RejectReason.NonexistentTime, rows[0].Reject!.Value.Reason);
    }

    [Fact]
    public void Read_HeaderLacksAColumnTheProfileReads_FileProblemNamesItAndTheProfile()
    {
        var text = File.ReadAllText(ProfileTestFiles.Shipped(ProfileTestFiles.LakeshoreSample)).Replace("Dr/Cr", "Debit/Credit", StringComparison.Ordinal);
        var (rows, _, problem) = ProfileTestFiles.Read(ProfileTestFiles.Load(ProfileTestFiles.Lakeshore), Encoding.UTF8.GetBytes(text));
        Assert.Empty(rows);
        Assert.Equal((1L, RejectReason.MissingColumn), (problem!.Line, problem.Reason));
        Assert.Contains("the header has no column 'Dr/Cr', which profile 'Lakeshore Telecom invoice detail' (lakeshore-invoice-detail.json) reads for amount",
            problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.234,56", ",", ".", "1234.56")]
    [InlineData("1,234.56", ".", ",", "1234.56")]
    [InlineData("(12.50)", ".", null, "-12.5")]
    [InlineData("12.50-", ".", null, "-12.5")]
    [InlineData("€ 1 234,5", ",", " ", "1234.5")]
    [InlineData("-0,40", ",", null, "-0.4")]
    public void TryNumber_CarrierConventions_GiveCanonicalNumbers(string text, string decimalSeparator, string? thousands, string expected)
    {
        var rule = new FieldRule(new Tem.Lake.Layouts.FieldSpec("amount", Tem.Lake.Layouts.FieldType.Money))
        {
            DecimalSeparator = decimalSeparator[0], ThousandsSeparator = thousands?[0], Strip = "€",
        };
        Assert.True(ProfileValues.TryNumber(text, rule, negate: false, out var result, out var error), error);
        Assert.Equal(expected, result);
    }

    [Fact]
    public void TryNumber_DecimalCommaWithoutSettings_RejectedWithAHint()
    {
        var rule = new FieldRule(new Tem.Lake.Layouts.FieldSpec("amount", Tem.Lake.Layouts.FieldType.Money));
        Assert.False(ProfileValues.TryNumber("1,20", rule, negate: false, out _, out var error));
        Assert.Contains("set decimal_separator / thousands_separator", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("minutes", "2.5", "150")]
    [InlineData("mm:ss", "124:05", "7445")]
    [InlineData("seconds", "61", "61")]
    [InlineData("hh:mm:ss", "25:00:01", "90001")]
    public void TryDuration_Formats_GiveWholeSeconds(string format, string text, string expected)
    {
        var rule = new FieldRule(new Tem.Lake.Layouts.FieldSpec("duration_s", Tem.Lake.Layouts.FieldType.WholeNumber))
        {
            Duration = format switch { "minutes" => DurationFormat.Minutes, "mm:ss" => DurationFormat.MinutesSeconds, "seconds" => DurationFormat.Seconds, _ => DurationFormat.HoursMinutesSeconds },
        };
        Assert.True(ProfileValues.TryDuration(text, rule, out var result, out var error), error);
        Assert.Equal(expected, result);
    }

    [Fact]
    public void TryDuration_MinutesNotWholeSeconds_Rejected()
    {
        var rule = new FieldRule(new Tem.Lake.Layouts.FieldSpec("duration_s", Tem.Lake.Layouts.FieldType.WholeNumber)) { Duration = DurationFormat.Minutes };
        Assert.False(ProfileValues.TryDuration("2.51", rule, out _, out var error));
        Assert.Contains("is 150.6 seconds", error, StringComparison.Ordinal);
    }
}
