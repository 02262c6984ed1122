using Tem.DuckDb;
using System.Globalization;
using Tem.Ingest.Formats.Edi;
using Tem.Ingest.Formats.Profiles;
using Tem.Ingest.Tests.Formats.Edi;
using Tem.Ingest.Tests.Formats.Profiles;

namespace Tem.Ingest.Tests.Formats;

/// <summary>EDI 811 files and carrier CSVs read through a profile, ingested end to end into the lake.</summary>
public sealed class CarrierBillIngestTests
{
    private static IngestOptions WithProfiles() => new()
    {
        Profiles = CarrierProfile.LoadAll([Path.Combine(AppContext.BaseDirectory, "profiles")]),
    };

    private static List<object?[]> Rows(ScratchLake lake, string sql)
    {
        using var c = lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = r.GetValueOrNull(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public void Ingest_Edi811_IsRecognisedAndEveryLineLandsInCharges()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("acme-2026-11.edi", File.ReadAllBytes(EdiTestFiles.Path("acme-004010.edi")));
        var report = lake.Ingest(path);
        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal((8L, 8L, 0L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Equal("acme-2026-11.edi: edi811 -> charges: read 8 / stored 8 / rejected 0", report.Message);
        Assert.Equal("edi811", Assert.Single(lake.Lake.Catalog.Files()).Kind);

        var sums = Rows(lake, "SELECT account_id, sum(amount), count(*) FROM charges GROUP BY account_id ORDER BY account_id");
        Assert.Equal(("ACCT-1001", 102.95m, 6L), ((string)sums[0][0]!, (decimal)sums[0][1]!, (long)sums[0][2]!));
        Assert.Equal(("ACCT-1002", 123.60m, 2L), ((string)sums[1][0]!, (decimal)sums[1][1]!, (long)sums[1][2]!));

        var credit = Assert.Single(Rows(lake, "SELECT invoice_id, carrier, service_id, charge_type, amount, month, source_line, invoice_date FROM charges WHERE line_no = 4"));
        Assert.Equal(("INV-2026-11-0042", "Acme Telecom", "+15125550101", "credit", -5m, "2026-10", 20L),
            ((string)credit[0]!, (string)credit[1]!, (string)credit[2]!, (string)credit[3]!, (decimal)credit[4]!, (string)credit[5]!, (long)credit[6]!));
        Assert.Equal(new DateOnly(2026, 11, 1), (DateOnly)credit[7]!);
    }

    [Fact]
    public void Ingest_Edi811WithEdiOptions_CarrierAndCodesFollowThem()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("bravo.edi", File.ReadAllBytes(EdiTestFiles.Path("bravo-005010.edi")));
        var options = new IngestOptions
        {
            Edi811 = new Edi811Options { Carrier = "Bravo", ChargeCodes = new Dictionary<string, string> { ["F050"] = "late_fee" } },
        };
        var report = lake.Ingest(path, options);
        Assert.Equal((9L, 9L), (report.RowsRead, report.RowsStored));
        Assert.Equal(9, lake.Count("charges", "carrier = 'Bravo'"));
        Assert.Equal(1, lake.Count("charges", "charge_type = 'late_fee' AND amount = 2.50 AND invoice_id = 'B-77003'"));
    }

    [Fact]
    public void Ingest_Edi811TotalDoesNotAddUp_FileFailsAndEveryLineIsRejectedWithTheProblem()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("bad-tds.edi", File.ReadAllBytes(EdiTestFiles.Path("bad-tds.edi")));
        var report = lake.Ingest(path);
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Equal((8L, 0L, 8L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.StartsWith("bad-tds.edi:31:1: TDS01 says the invoice totals 227.55", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, lake.Count("charges"));
        var rejects = lake.Rejects();
        Assert.Equal(8, rejects.Count);
        Assert.All(rejects, r => Assert.Equal(("bad_file", 0), (r.Reason, r.Column)));
        Assert.Equal([15L, 17, 18, 20, 23, 25, 28, 30], rejects.Select(r => r.Line));
        Assert.Contains("file rejected: bad-tds.edi:31:1: TDS01", rejects[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_Edi811NonNumericAmount_OneRejectAtTheElementTheOthersStored()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("bad-amount.edi", File.ReadAllBytes(EdiTestFiles.Path("bad-amount.edi"))));
        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal((8L, 7L, 1L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((23L, 4, "IT104", "bad_money"), (reject.Line, reject.Column, reject.ColumnName, reject.Reason));
        Assert.StartsWith("bad-amount.edi:23:4: IT104 (unit_price) '45.O0' is not a number", reject.Message, StringComparison.Ordinal);
        Assert.Equal("IT1*3*1*EA*45.O0**SV*MRC", reject.Raw);
    }

    [Fact]
    public void Ingest_Edi811UnknownChargeCode_RejectedAtIt107()
    {
        using var lake = new ScratchLake();
        lake.Ingest(lake.Write("code.edi", File.ReadAllBytes(EdiTestFiles.Path("unknown-charge-code.edi"))));
        var reject = Assert.Single(lake.Rejects());
        Assert.Equal((18L, 7, "IT107", "bad_enum"), (reject.Line, reject.Column, reject.ColumnName, reject.Reason));
    }

    [Fact]
    public void Ingest_NordwindCsvWithProfiles_IsDetectedAndStoredAsUsageWithInstants()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("EVN_Oktober.csv", File.ReadAllBytes(ProfileTestFiles.Shipped(ProfileTestFiles.NordwindSample)));
        var report = lake.Ingest(path, WithProfiles());
        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal("EVN_Oktober.csv: profile -> usage: read 6 / stored 6 / rejected 0 (skipped 3 rows as the profile says)", report.Message);

        var rows = Rows(lake, "SELECT record_id, start_time, start_offset_min, duration_s, data_mb, billed_amount, month, source_line FROM usage ORDER BY source_line");
        Assert.Equal(6, rows.Count);
        var roaming = rows[3];
        Assert.Equal("NW-2026-10-001-4", roaming[0]);
        Assert.Equal(new DateTimeOffset(2026, 10, 27, 6, 45, 10, TimeSpan.Zero), ((DateTimeOffset)roaming[1]!).ToUniversalTime());
        Assert.Equal((60, 720L, 3.24m, "2026-10", 8L), ((int)roaming[2]!, (long)roaming[3]!, (decimal)roaming[5]!, (string)roaming[6]!, (long)roaming[7]!));
        Assert.Equal(120, (int)rows[0][2]!);
        Assert.Equal(2048m, (decimal)rows[5][4]!);
        Assert.Equal(18.18m, rows.Sum(r => (decimal)r[5]!));
    }

    [Fact]
    public void Ingest_LakeshoreCsvWithBadRows_ReadEqualsStoredPlusRejectedAndRejectsPointAtTheSource()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("detail.csv", File.ReadAllBytes(ProfileTestFiles.Fixture("lakeshore-bad-rows.csv"))), WithProfiles());
        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal((6L, 2L, 4L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Equal(report.RowsRead, report.RowsStored + report.RowsRejected);

        var rejects = lake.Rejects().Select(r => (r.Line, r.Column, r.ColumnName, r.Reason)).ToList();
        Assert.Equal(
            [(3L, 3, "Invoice Date", "bad_date"), (4L, 12, "Amount", "bad_money"), (5L, 8, "charge_type", "bad_enum"), (6L, 0, null, "short_row")],
            rejects);
        Assert.StartsWith("detail.csv:5:8: charge_type 'XYZ' is not one of", lake.Rejects()[2].Message, StringComparison.Ordinal);
        Assert.Equal(-10m, (decimal)Assert.Single(Rows(lake, "SELECT amount FROM charges WHERE charge_type = 'credit'"))[0]!);
    }

    [Fact]
    public void Ingest_LakeshoreSample_StoresTheInvoiceTotal()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("lakeshore.csv", File.ReadAllBytes(ProfileTestFiles.Shipped(ProfileTestFiles.LakeshoreSample))), WithProfiles());
        Assert.Equal((7L, 7L, 0L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        var total = Assert.Single(Rows(lake, "SELECT sum(amount), count(DISTINCT month), min(carrier) FROM charges"));
        Assert.Equal((1123.84m, 1L, "Lakeshore Telecom"), ((decimal)total[0]!, (long)total[1]!, (string)total[2]!));
    }

    [Fact]
    public void Ingest_ProfileFileWithoutProfiles_IsNotGuessed()
    {
        using var lake = new ScratchLake();
        var report = lake.Ingest(lake.Write("lakeshore.csv", File.ReadAllBytes(ProfileTestFiles.Shipped(ProfileTestFiles.LakeshoreSample))));
        Assert.Equal(FileOutcome.Unrecognised, report.Outcome);
    }

    [Fact]
    public void Ingest_KindProfileWithOneProfileThatDoesNotFit_FailsNamingTheMissingColumn()
    {
        using var lake = new ScratchLake();
        var options = new IngestOptions { Kind = "profile", Profiles = [ProfileTestFiles.Load(ProfileTestFiles.Lakeshore)] };
        var report = lake.Ingest(lake.Write("other.csv", "Invoice,Amount\nX,1.00\n"), options);
        Assert.Equal(FileOutcome.Failed, report.Outcome);
        Assert.Contains("other.csv:1: the header has no column 'Invoice Number'", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, report.RowsRead);
    }
}
