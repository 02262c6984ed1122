using System.Globalization;
using System.Text;
using Tem.Core;
using Tem.DuckDb;
using Tem.Ingest.Formats.Profiles;

namespace Tem.Ingest.Tests.Formats.Profiles;

/// <summary>
/// Conditional routing, several date formats and derived values, on an itemised mobile bill whose one
/// <c>duration</c> column means seconds, megabytes or a message count depending on <c>item</c>.
/// </summary>
public sealed class ItemisedBillTests
{
    private static string Bill(string name) => ProfileTestFiles.Fixture(Path.Combine("itemised-bill", name));

    private static CarrierProfile Profile() => CarrierProfile.Load(Bill("itemised-mobile-bill.json"));

    private static (List<ProfileRow> Rows, long Skipped) ReadBill()
    {
        var (rows, skipped, problem) = ProfileTestFiles.Read(Profile(), Bill("itemised-bill.csv"));
        Assert.Null(problem);
        return (rows, skipped);
    }

    [Fact]
    public void Read_ItemisedBill_EveryWellFormedRowRoutedByItem()
    {
        var (rows, skipped) = ReadBill();
        Assert.Equal(0, skipped);
        Assert.Equal(19, rows.Count);
        var good = rows.Where(r => r.Line <= 12).ToList();
        Assert.Equal(11, good.Count);
        Assert.All(good, r => Assert.Null(r.Reject));

        string[] fields = ["usage_type", "start_time", "duration_s", "data_mb"];
        var actual = good.Select(r => (r.Line, string.Join(" | ", fields.Select(f => r[f])))).ToList();
        Assert.Equal(
        [
            (2L, "data | 2014-10-15T06:58:00+01:00 |  | 34.429"),
            (3L, "voice | 2014-10-15T06:58:00+01:00 | 13 | "),
            (4L, "voice | 2014-10-15T14:46:00+01:00 | 23 | "),
            (5L, "sms | 2014-10-15T18:55:00+01:00 |  | "),
            (6L, "sms | 2014-10-16T00:03:00+01:00 |  | "),
            (7L, "voice | 2014-10-26T21:30:00+00:00 | 7 | "),
            (8L, "data | 2014-11-01T06:58:00+00:00 |  | 34.429"),
            (9L, "sms | 2014-11-01T09:02:00+00:00 |  | "),
            (10L, "voice | 2014-11-03T10:15:00+00:00 | 1302 | "),
            (11L, "voice | 2014-11-13T22:07:00+00:00 | 5 | "),
            (12L, "voice | 2014-11-15T07:40:00+00:00 | 0 | "),
        ], actual);

        // Derived values: the record id from the billing month and the line, the invoice from the billing month.
        Assert.Equal(("2014-11-2", "bill-2014-11"), (good[0]["record_id"], good[0]["invoice_id"]));
        Assert.Equal(("2014-12-12", "bill-2014-12"), (good[^1]["record_id"], good[^1]["invoice_id"]));
        Assert.Equal(("", "+353871234501", "+442079460000"), (good[0]["called_number"], good[1]["called_number"], good[^1]["called_number"]));
        Assert.All(good, r => Assert.Equal(("Liffey Mobile", "LM-ACCT-0042", "+353851234567", "0"),
            (r["carrier"], r["account_id"], r["service_id"], r["billed_amount"])));
    }

    [Fact]
    public void Read_ItemisedBill_EachBadRowRejectedAtItsSourceColumnWithTheReason()
    {
        var (rows, _) = ReadBill();
        var rejects = rows.Where(r => r.Reject is not null).Select(r => (r.Line, r.Reject!.Value)).ToList();
        Assert.Equal(
        [
            (13L, 3, "item", RejectReason.BadEnum), (14L, 1, "date", RejectReason.BadTimestamp), (15L, 2, "duration", RejectReason.BadNumber),
            (16L, 2, "duration", RejectReason.BadNumber), (17L, 2, "duration", RejectReason.Other), (18L, 0, null, RejectReason.ShortRow),
            (20L, 1, "date", RejectReason.AmbiguousTime),
        ], rejects.Select(r => (r.Line, r.Value.Column, r.Value.ColumnName, r.Value.Reason)));

        var messages = rejects.ToDictionary(r => r.Line, r => r.Value.Message);
        Assert.Equal(
            "'mms' (with duration '1.0') matches none of the routes of profile 'Itemised mobile bill (date, duration, item)'; " +
            "expected item = call or item = data or (item = sms and duration = 1) or item = sms (hint: add a route for it, or an \"otherwise\" route)",
            messages[13]);
        Assert.Equal("(start_time) '2014-11-04 08:00' is not a date and time in the format dd/MM/yy HH:mm or d/M/yyyy H:mm", messages[14]);
        Assert.Equal("(duration_s) '12.5' is not a whole number of the field's unit; expected e.g. 125 (add \"round\": 0 to the field's rule to round it)", messages[15]);
        Assert.StartsWith("(data_mb) 'n/a' is not a number", messages[16], StringComparison.Ordinal);
        Assert.StartsWith("'3.0' is rejected by the profile's route $.routes[3] (item = sms): is a count of messages other than 1", messages[17], StringComparison.Ordinal);
        Assert.Equal("3 columns, expected 7 as in the header", messages[18]);
        Assert.Contains("happened twice in Europe/Dublin", messages[20], StringComparison.Ordinal);

        // A negative volume is a number: the profile passes it on and the ingest's own check rejects it (see below).
        Assert.Equal(("data", "-1.5"), (rows.Single(r => r.Line == 19)["usage_type"], rows.Single(r => r.Line == 19)["data_mb"]));
    }

    [Fact]
    public void Ingest_ItemisedBill_ReadEqualsStoredPlusRejectedAndRejectsPointAtTheSource()
    {
        using var lake = new ScratchLake();
        var options = new IngestOptions { Profiles = [Profile()] };
        var report = lake.Ingest(lake.Write("bill.csv", File.ReadAllBytes(Bill("itemised-bill.csv"))), options);
        var rejects = lake.Rejects();
        Assert.Equal(
            [(13L, 3, "bad_enum"), (14L, 1, "bad_timestamp"), (15L, 2, "bad_number"), (16L, 2, "bad_number"), (17L, 2, "other"), (18L, 0, "short_row"),
             (19L, 2, "negative_value"), (20L, 1, "ambiguous_time")],
            rejects.Select(r => (r.Line, r.Column, r.Reason)));
        Assert.Equal(FileOutcome.Stored, report.Outcome);
        Assert.Equal((19L, 11L, 8L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Equal(report.RowsRead, report.RowsStored + report.RowsRejected);
        Assert.StartsWith("bill.csv:15:2: duration (duration_s) '12.5' is not a whole number", rejects[2].Message, StringComparison.Ordinal);
        Assert.StartsWith("bill.csv:19:2: data_mb ", rejects[6].Message, StringComparison.Ordinal);

        using var c = lake.Query();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT usage_type, count(*), sum(duration_s), sum(data_mb) FROM usage GROUP BY usage_type ORDER BY usage_type";
        using var r = cmd.ExecuteReader();
        var totals = new List<string>();
        while (r.Read())
        {
            totals.Add(string.Create(CultureInfo.InvariantCulture, $"{r.GetString(0)} {r.GetInt64(1)} {r.GetValueOrNull(2)} {r.GetValueOrNull(3)}"));
        }

        Assert.Equal(["data 2  68.858", "sms 3  ", "voice 6 1350 "], totals);
    }

    [Fact]
    public void Ingest_OnlyThePublicSixColumns_DataStoredCallsAndTextsRejectedForTheirMissingDestination()
    {
        // The public dataset's layout has no called number; usage needs one for voice and SMS records.
        var csv = string.Join('\n', File.ReadAllLines(Bill("itemised-bill.csv")).Take(12).Select(l => l[..l.LastIndexOf(',')])) + "\n";
        var json = File.ReadAllText(Bill("itemised-mobile-bill.json")).Replace("\"called_number\": \"number\",", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("called_number", json, StringComparison.Ordinal);
        using var lake = new ScratchLake();
        var options = new IngestOptions { Profiles = [CarrierProfile.Parse(Encoding.UTF8.GetBytes(json), "six.json")] };
        var report = lake.Ingest(lake.Write("six.csv", csv), options);
        Assert.Equal((11L, 2L, 9L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.All(lake.Rejects(), r => Assert.Equal("required", r.Reason));
        Assert.All(lake.Rejects(), r => Assert.Contains("called_number is empty", r.Message, StringComparison.Ordinal));
        Assert.Equal(2, lake.Count("usage", "usage_type = 'data'"));
    }

    [Fact]
    public void Read_DublinSkippedAndRepeatedHours_FoundThoughTheZoneUsesNegativeDaylightSaving()
    {
        var json = File.ReadAllText(Bill("itemised-mobile-bill.json"));
        var csv = "date,duration,item,month,network,network_type,number\n" +
            "30/03/14 01:30,1.0,sms,2014-04,Three,mobile,+353831234504\n" +
            "30/03/14 02:30,1.0,sms,2014-04,Three,mobile,+353831234504\n" +
            "26/10/2014 1:30,1.0,sms,2014-11,Three,mobile,+353831234504\n";
        var (rows, _, _) = ProfileTestFiles.Read(CarrierProfile.Parse(Encoding.UTF8.GetBytes(json), "bill.json"), Encoding.UTF8.GetBytes(csv));
        Assert.Equal(RejectReason.NonexistentTime, rows[0].Reject!.Value.Reason);
        Assert.Equal("2014-03-30T02:30:00+01:00", rows[1]["start_time"]);
        var repeated = rows[2].Reject!.Value;
        Assert.Equal((1, RejectReason.AmbiguousTime), (repeated.Column, repeated.Reason));
        Assert.Contains("(offsets +01:00 and +00:00", repeated.Message, StringComparison.Ordinal);

        var later = CarrierProfile.Parse(Encoding.UTF8.GetBytes(json.Replace("\"time_zone\": \"Europe/Dublin\",",
            "\"time_zone\": \"Europe/Dublin\", \"ambiguous_time\": \"later\",", StringComparison.Ordinal)), "bill.json");
        Assert.Equal("2014-10-26T01:30:00+00:00", ProfileTestFiles.Read(later, Encoding.UTF8.GetBytes(csv)).Rows[2]["start_time"]);
    }

    [Fact]
    public void Read_MutatedItemisedBill_NeverThrowsAndEveryAcceptedRowFitsItsRoute()
    {
        var profile = Profile();
        var original = File.ReadAllBytes(Bill("itemised-bill.csv"));
        var noise = "\n,./:0123456789 -smcalldt"u8.ToArray();
        var random = new Random(811);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = original.ToList();
            ByteMutation.MutateOnce(bytes, random, noise);

            var (rows, _, problem) = ProfileTestFiles.Read(profile, [.. bytes]);
            if (problem is not null)
            {
                Assert.Empty(rows);
                continue;
            }

            // An empty value passes the reader: the ingest's own check rejects it as required (start_time, and
            // duration_s / data_mb by usage type).
            foreach (var row in rows.Where(r => r.Reject is null))
            {
                Assert.Matches(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?$", row["start_time"]);
                switch (row["usage_type"])
                {
                    case "voice":
                        Assert.Matches(@"^(-?\d+)?$", row["duration_s"]);
                        Assert.Equal("", row["data_mb"]);
                        break;
                    case "data":
                        Assert.True(row["data_mb"].Length == 0 || decimal.TryParse(row["data_mb"], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _), row["data_mb"]);
                        Assert.Equal("", row["duration_s"]);
                        break;
                    default:
                        Assert.Equal(("sms", "", ""), (row["usage_type"], row["duration_s"], row["data_mb"]));
                        break;
                }
            }
        }
    }

    private const string Routed = """
        {
          "name": "Routed",
          "kind": "usage",
          "time_zone": "UTC",
          "fields": {
            "record_id": { "template": "r{{{#line}}}" }, "carrier": { "constant": "C" }, "account_id": { "constant": "A" },
            "service_id": "Number", "start_time": { "column": "When", "format": ["dd/MM/yyyy HH:mm", "MM/dd/yyyy HH:mm"] },
            "billed_amount": { "column": "Cost", "divide": 100 }
          },
          "routes": [
            { "when": { "column": "Kind", "equals": ["Voice", "call"] },
              "fields": { "usage_type": { "constant": "voice" }, "duration_s": { "column": "Amount", "multiply": 60 } } },
            { "when": { "column": "Kind", "matches": "^(GPRS|LTE)$" },
              "fields": { "usage_type": { "constant": "data" }, "data_mb": { "column": "Amount", "divide": 1000 } } },
            { "otherwise": true, "reject": "has no home in usage" }
          ]
        }
        """;

    private static List<ProfileRow> ReadRouted(string csv, string json = Routed)
    {
        var profile = CarrierProfile.Parse(Encoding.UTF8.GetBytes(json), "routed.json");
        var (rows, _, problem) = ProfileTestFiles.Read(profile, Encoding.UTF8.GetBytes(csv));
        Assert.Null(problem);
        return rows;
    }

    [Fact]
    public void Read_DividedValueWithMoreDecimalsThanKept_RejectedNamingTheRoundFix()
    {
        var rows = ReadRouted("""
            Number,When,Kind,Amount,Cost
            +15550001,13/10/2026 09:05,LTE,34.4291,7
            """);

        // 34.4291 / 1000 = 0.0344291 MB: 7 decimals where data_mb keeps 6; the profile says how to round, Tem does not guess.
        var reject = Assert.Single(rows).Reject!.Value;
        Assert.Equal((4, "Amount", RejectReason.BadNumber), (reject.Column, reject.ColumnName, reject.Reason));
        Assert.Equal(
            "(data_mb) '34.4291' gives 0.0344291 once multiplied or divided as the profile says, more than the 6 decimals data_mb keeps; add \"round\": 6 to the field's rule to round it",
            reject.Message);
    }

    [Fact]
    public void Read_RoutesWithOneOfRegexAndOtherwise_DerivedValuesComputedExactly()
    {
        var rows = ReadRouted("""
            Number,When,Kind,Amount,Cost
            +15550001,13/10/2026 09:00,CALL,2.5,125
            +15550001,13/10/2026 09:05,LTE,1536,7
            +15550001,13/10/2026 09:06,gprs,1,0
            +15550001,13/10/2026 09:07,MMS,1,30
            +15550001,13/10/2026 09:08,call,2.51,1
            """);
        Assert.Equal(5, rows.Count);
        Assert.Equal(("r{2}", "voice", "150", "1.25"), (rows[0]["record_id"], rows[0]["usage_type"], rows[0]["duration_s"], rows[0]["billed_amount"]));
        Assert.Equal(("data", "1.536", "0.07"), (rows[1]["usage_type"], rows[1]["data_mb"], rows[1]["billed_amount"]));

        // The regex is case-sensitive as written: gprs is not GPRS, so the otherwise route rejects it.
        var gprs = rows[2].Reject!.Value;
        Assert.Equal((3, "Kind", RejectReason.Other), (gprs.Column, gprs.ColumnName, gprs.Reason));
        Assert.Equal("'gprs' is rejected by the profile's route $.routes[2] (otherwise): has no home in usage", gprs.Message);
        Assert.Equal(RejectReason.Other, rows[3].Reject!.Value.Reason);

        // 2.51 minutes is 150.6 seconds: not whole, rejected at the Amount column rather than rounded.
        var fraction = rows[4].Reject!.Value;
        Assert.Equal((4, "Amount", RejectReason.BadNumber), (fraction.Column, fraction.ColumnName, fraction.Reason));
        Assert.Equal("(duration_s) '2.51' gives 150.6 once multiplied or divided as the profile says, more than the 0 decimals duration_s keeps; add \"round\": 0 to the field's rule to round it", fraction.Message);
    }

    [Fact]
    public void Read_DateTwoFormatsReadDifferently_RejectedAsAmbiguousNamingBoth()
    {
        var rows = ReadRouted("""
            Number,When,Kind,Amount,Cost
            +15550001,01/02/2026 09:00,call,1,0
            +15550001,13/02/2026 09:00,call,1,0
            """);
        var ambiguous = rows[0].Reject!.Value;
        Assert.Equal((2, "When", RejectReason.BadTimestamp), (ambiguous.Column, ambiguous.ColumnName, ambiguous.Reason));
        Assert.Equal(
            "(start_time) '01/02/2026 09:00' is ambiguous: dd/MM/yyyy HH:mm reads it as 2026-02-01T09:00:00+00:00 but MM/dd/yyyy HH:mm reads it as " +
            "2026-01-02T09:00:00+00:00; expected a value only one of the profile's formats reads (hint: order cannot settle it; drop the format that misreads it)",
            ambiguous.Message);
        Assert.Null(rows[1].Reject);
        Assert.Equal("2026-02-13T09:00:00+00:00", rows[1]["start_time"]);
    }

    [Fact]
    public void Read_NoRouteTakesTheRow_RejectedNamingTheColumnAndValue()
    {
        var json = Routed.Replace("""
            ,
                { "otherwise": true, "reject": "has no home in usage" }
            """.ReplaceLineEndings("\n"), string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("otherwise", json, StringComparison.Ordinal);
        var rows = ReadRouted("Number,When,Kind,Amount,Cost\n+15550001,13/10/2026 09:00,Fax,1,0\n", json);
        var reject = Assert.Single(rows).Reject!.Value;
        Assert.Equal((3, "Kind", RejectReason.BadEnum), (reject.Column, reject.ColumnName, reject.Reason));
        Assert.StartsWith("'Fax' matches none of the routes of profile 'Routed'; expected Kind one of (Voice, call) or Kind matches ^(GPRS|LTE)$",
            reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherwiseRouteWithFields_TakesEveryRowTheOthersDoNot()
    {
        const string From = """{ "otherwise": true, "reject": "has no home in usage" }""";
        Assert.Contains(From, Routed, StringComparison.Ordinal);
        var json = Routed.Replace(From, """{ "otherwise": true, "fields": { "usage_type": { "constant": "sms" } } }""", StringComparison.Ordinal);
        var rows = ReadRouted("Number,When,Kind,Amount,Cost\n+15550001,13/10/2026 09:00,MMS,1,30\n+15550001,13/10/2026 09:01,call,1,0\n", json);
        Assert.All(rows, r => Assert.Null(r.Reject));
        Assert.Equal([("sms", "", "0.3"), ("voice", "60", "0")], rows.Select(r => (r["usage_type"], r["duration_s"], r["billed_amount"])));
    }

    [Fact]
    public void Read_HeaderWithoutARouteColumn_FileFailsNamingTheColumnAndItsUse()
    {
        var profile = CarrierProfile.Parse(Encoding.UTF8.GetBytes(Routed), "routed.json");
        var (rows, _, problem) = ProfileTestFiles.Read(profile, Encoding.UTF8.GetBytes("Number,When,Type,Amount,Cost\n+15550001,13/10/2026 09:00,call,1,0\n"));
        Assert.Empty(rows);
        Assert.NotNull(problem);
        Assert.Equal(RejectReason.MissingColumn, problem.Reason);
        Assert.StartsWith("the header has no column 'Kind', which profile 'Routed' (routed.json) reads for a route condition", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultDetection_IncludesRouteColumns()
    {
        var profile = CarrierProfile.Parse(Encoding.UTF8.GetBytes(Routed), "routed.json");
        Assert.Equal(["Number", "When", "Cost", "Amount", "Kind"], profile.DetectHeaders);
        Assert.Equal(3, profile.Routes.Count);
        Assert.True(profile.Routes[2].Otherwise);
    }

    private static string Fails(string json) =>
        Assert.Throws<InputDataException>(() => CarrierProfile.Parse(Encoding.UTF8.GetBytes(json), "routed.json")).Message;

    [Theory]
    [InlineData("""{ "otherwise": true, "reject": "has no home in usage" }""",
        """{ "otherwise": true, "reject": "x" }, { "when": { "column": "Kind", "equals": "sms" }, "reject": "y" }""",
        "routed.json: $.routes[3] comes after the otherwise route, so it could never take a row")]
    [InlineData("""{ "otherwise": true, "reject": "has no home in usage" }""",
        """{ "when": { "column": "Kind", "equals": "sms" }, "reject": "x", "fields": {} }""",
        "routed.json: $.routes[2] has both fields and reject")]
    [InlineData("""{ "otherwise": true, "reject": "has no home in usage" }""",
        """{ "when": { "column": "Kind", "equals": "sms" }, "fields": {} }""",
        "routed.json: $.routes[2].fields has no rule for 'usage_type', which every usage row requires")]
    [InlineData("""{ "otherwise": true, "reject": "has no home in usage" }""",
        """{ "when": { "column": "Kind", "equal": "sms" }, "reject": "x" }""",
        "routed.json: $.routes[2].when.equal is not a property the profile format knows")]
    [InlineData("""{ "otherwise": true, "reject": "has no home in usage" }""",
        """{ "when": { "column": "Kind", "equals": "sms", "number": 1 }, "reject": "x" }""",
        "routed.json: $.routes[2].when has more than one of equals, matches and number")]
    [InlineData("""{ "otherwise": true, "reject": "has no home in usage" }""",
        """{ "when": { "column": "Kind", "matches": "(" }, "reject": "x" }""",
        "routed.json: $.routes[2].when.matches '(' is not a valid regular expression")]
    [InlineData("\"r{{{#line}}}\"", "\"r{#row}\"", "routed.json: $.fields.record_id.template has the placeholder {#row}, which is not one the profile format knows")]
    [InlineData("\"r{{{#line}}}\"", "\"r{line\"", "routed.json: $.fields.record_id.template has a placeholder at character 2 with no column name or no closing '}'")]
    [InlineData("\"divide\": 100 }", "\"divide\": 0 }", "routed.json: $.fields.billed_amount.divide is zero")]
    [InlineData("\"multiply\": 60", "\"multiply\": 60, \"duration\": \"seconds\"",
        "routed.json: $.routes[0].fields.duration_s.multiply does not apply to 'duration_s' (wholenumber)")]
    public void Parse_MalformedRoutesAndDerivedValues_ErrorNamesTheJsonPath(string from, string to, string expected)
    {
        Assert.Contains(from, Routed, StringComparison.Ordinal);
        Assert.StartsWith(expected, Fails(Routed.Replace(from, to, StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
