using System.Text;
using Tem.Core;
using Tem.Ingest.Formats;
using Tem.Ingest.Formats.Profiles;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Tests.Formats.Profiles;

public sealed class CarrierProfileTests
{
    private const string MinimalInvoices = """
        {
          "name": "Minimal",
          "kind": "invoices",
          "fields": {
            "invoice_id": "Invoice", "carrier": { "constant": "X" }, "account_id": "Account", "invoice_date": "Date",
            "period_start": "From", "period_end": "To", "line_no": "Line", "charge_type": "Type", "amount": "Amount",
            "currency": { "constant": "EUR" }
          }
        }
        """;

    private static InputDataException Fails(string json) =>
        Assert.Throws<InputDataException>(() => CarrierProfile.Parse(Encoding.UTF8.GetBytes(json), "carrier.json"));

    [Fact]
    public void Load_ShippedProfiles_LoadWithTheirKindsAndDetection()
    {
        var profiles = CarrierProfile.LoadAll([Path.Combine(AppContext.BaseDirectory, "profiles")]);
        Assert.Equal(["Lakeshore Telecom invoice detail", "Nordwind Mobil itemised calls"], profiles.Select(p => p.Name));
        Assert.Equal([CanonicalLayouts.Invoices, CanonicalLayouts.Usage], profiles.Select(p => p.Layout));
        var nordwind = profiles[1];
        Assert.Equal((byte)';', nordwind.Separator);
        Assert.Equal(1252, nordwind.Encoding!.CodePage);
        Assert.Equal((3, 1), (nordwind.LeadingLines, nordwind.TrailingRows));
        Assert.Contains("Betrag (€)", nordwind.DetectHeaders);
    }

    [Fact]
    public void Parse_NoDetectSection_DetectsByEveryColumnTheProfileReads()
    {
        var profile = ProfileTestFiles.Load(ProfileTestFiles.Lakeshore);
        Assert.Equal(13, profile.DetectHeaders.Count);
        Assert.Contains("Dr/Cr", profile.DetectHeaders);
        Assert.True(profile.MatchesHeader(["invoice number", " Account Number ", "Invoice Date", "Bill Period Start", "Bill Period End", "Line",
            "Service Number", "Charge Type", "Description", "Qty", "Rate", "Amount", "Dr/Cr", "Extra"]));
        Assert.False(profile.MatchesHeader(["Invoice Number", "Account Number"]));
    }

    [Fact]
    public void Load_UnknownProperty_ErrorNamesTheFileTheJsonPathAndTheNearestName()
    {
        var path = ProfileTestFiles.Fixture("bad-property.json");
        var e = Assert.Throws<InputDataException>(() => CarrierProfile.Load(path));
        Assert.Equal(path, e.Location.File);
        Assert.Contains("$.fields.amount.decimal_seperator is not a property the profile format knows", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'decimal_separator'?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongType_ErrorNamesThePathAndWhatWasFound()
    {
        var e = Fails(MinimalInvoices.Replace("\"kind\": \"invoices\",", "\"kind\": \"invoices\", \"skip\": { \"leading_lines\": \"3\" },", StringComparison.Ordinal));
        Assert.StartsWith("carrier.json: $.skip.leading_lines is the string \"3\", expected a whole number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_ErrorListsTheKindsFields()
    {
        var e = Fails(MinimalInvoices.Replace("\"amount\": \"Amount\"", "\"amount\": \"Amount\", \"total\": \"Total\"", StringComparison.Ordinal));
        Assert.Contains("$.fields.total is not a property", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected one of the invoices fields (invoice_id, carrier,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RequiredFieldWithoutRule_ErrorSaysWhichAndHow()
    {
        var e = Fails(MinimalInvoices.Replace("\"line_no\": \"Line\",", string.Empty, StringComparison.Ordinal));
        Assert.Contains("$.fields has no rule for 'line_no', which every invoices row requires", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKind_ErrorListsTheKinds()
    {
        var e = Fails(MinimalInvoices.Replace("\"kind\": \"invoices\"", "\"kind\": \"bills\"", StringComparison.Ordinal));
        Assert.Contains("$.kind 'bills' is not a canonical kind, expected parties, accounts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FormatOnATextField_IsRefused()
    {
        var e = Fails(MinimalInvoices.Replace("\"line_no\": \"Line\"", "\"line_no\": \"Line\", \"description\": { \"column\": \"D\", \"format\": \"dd/MM/yyyy\" }", StringComparison.Ordinal));
        Assert.Contains("$.fields.description.format does not apply to 'description' (text)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LocalTimestampWithoutZone_IsRefused()
    {
        var json = File.ReadAllText(ProfileTestFiles.Shipped(ProfileTestFiles.Nordwind)).Replace("\"time_zone\": \"Europe/Berlin\",", string.Empty, StringComparison.Ordinal);
        var e = Fails(json);
        Assert.Contains("$.fields.start_time reads local times (its format has no offset) but no time zone is given", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownZoneAndBadRegex_AreRefusedWithTheirPaths()
    {
        var nordwind = File.ReadAllText(ProfileTestFiles.Shipped(ProfileTestFiles.Nordwind));
        Assert.Contains("$.time_zone 'CET+1' is not a time zone the tz database knows",
            Fails(nordwind.Replace("\"Europe/Berlin\"", "\"CET+1\"", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Contains("$.skip.rows_where[0].matches '^(Zwischensumme' is not a valid regular expression",
            Fails(nordwind.Replace("\"^Zwischensumme\"", "\"^(Zwischensumme\"", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BothColumnAndConstant_IsRefused()
    {
        var e = Fails(MinimalInvoices.Replace("{ \"constant\": \"X\" }", "{ \"constant\": \"X\", \"column\": \"C\" }", StringComparison.Ordinal));
        Assert.Contains("$.fields.carrier has more than one of column, columns, constant and template", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidJson_ErrorHasLineAndColumn()
    {
        var e = Fails("{\n  \"name\": \"X\",\n  \"kind\": invoices\n}");
        Assert.Equal((3L, 11), (e.Location.Line, e.Location.Column));
        Assert.StartsWith("carrier.json:3:11: is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_Windows1252HeaderAfterLeadingLines_IsRecognised()
    {
        var nordwind = ProfileTestFiles.Load(ProfileTestFiles.Nordwind);
        var sample = File.ReadAllBytes(ProfileTestFiles.Shipped(ProfileTestFiles.NordwindSample));
        Assert.True(nordwind.Matches(sample));
        Assert.False(nordwind.Matches(File.ReadAllBytes(ProfileTestFiles.Shipped(ProfileTestFiles.LakeshoreSample))));

        // The same header saved as UTF-8 does not decode as Windows-1252 to the same '€'.
        Assert.False(nordwind.Matches(Encoding.UTF8.GetBytes(CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(sample))));
    }

    [Fact]
    public void Matches_CanonicalInvoicesCsv_IsNotAProfileFile()
    {
        var lakeshore = ProfileTestFiles.Load(ProfileTestFiles.Lakeshore);
        Assert.False(lakeshore.Matches("invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency\n"u8));
    }

    [Fact]
    public void Sniff_ThroughTheRegistry_PicksTheProfileFormatOnlyWhenAProfileIsLoaded()
    {
        var head = FileHead.Read(ProfileTestFiles.Shipped(ProfileTestFiles.LakeshoreSample));
        Assert.Null(FormatRegistry.Detect(head, new IngestOptions()));
        var options = new IngestOptions { Profiles = [ProfileTestFiles.Load(ProfileTestFiles.Nordwind), ProfileTestFiles.Load(ProfileTestFiles.Lakeshore)] };
        Assert.Equal(ProfileFormat.FormatName, FormatRegistry.Detect(head, options)!.Value.Format.Name);
    }
}
