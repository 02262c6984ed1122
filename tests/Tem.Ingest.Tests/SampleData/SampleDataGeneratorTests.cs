using System.Security.Cryptography;
using System.Text;
using Tem.Core;
using Tem.SampleData;

namespace Tem.Ingest.Tests.SampleData;

[CollectionDefinition(Name)]
public sealed class SampleDataCollection : ICollectionFixture<SampleDataFixture>
{
    public const string Name = "SampleData";
}

[Collection(SampleDataCollection.Name)]
public class SampleDataGeneratorTests(SampleDataFixture fixture)
{
    // The canonical layouts of formats.md, column for column, plus the answer key of the brief.
    public static readonly TheoryData<string, string> CanonicalHeaders = new()
    {
        { "parties.csv", "party_id,name,kind,parent_id,brand_name,brand_color,logo_file" },
        { "accounts.csv", "account_id,carrier,customer_id,bill_to_id,reseller_id,currency,time_zone,tax_exempt,rate_plan_id" },
        { "services.csv", "service_id,account_id,service_type,plan_id,status,activated_on,disconnected_on,cost_center,user_name" },
        {
            "plans.csv",
            "plan_id,carrier,service_type,name,monthly_fee,included_minutes,included_sms,included_data_mb,overage_per_minute,overage_per_sms,overage_per_mb,bandwidth_mbps,effective_from,effective_to"
        },
        { "rates.csv", "rate_plan_id,prefix,destination,time_band,rate_per_minute,connect_fee,initial_increment_s,subsequent_increment_s,effective_from,effective_to" },
        { "invoices.csv", "invoice_id,carrier,account_id,invoice_date,period_start,period_end,line_no,service_id,charge_type,description,quantity,unit_price,amount,currency" },
        { "usage.csv", "record_id,carrier,account_id,service_id,usage_type,start_time,duration_s,called_number,data_mb,billed_amount,invoice_id" },
        { "credits_due.csv", "credit_id,account_id,service_id,reason,amount,due_by_period" },
        { "resale.csv", "reseller_id,customer_id,service_id,period,amount,currency" },
        { "upgrade.csv", "item,provider,role,one_time_cost,monthly_cost,provider_margin_pct,deal_id,customer_id,currency,retires" },
        { "answer_key.csv", "rule,carrier,account_id,service_id,period,one_time_amount,monthly_savings,currency,note" },
        { "disputes.csv", "rule,carrier,account_id,service_id,period,status,submitted_on,reference,amount_claimed,amount_credited,credited_on,resolved_on,note" },
        { "answer_key_money.csv", "item,deal_id,currency,value,note" },
    };

    [Fact]
    public void Generate_SameSeedTwice_WritesByteIdenticalFiles()
    {
        var options = new SampleDataOptions { Services = 45, Months = 5, Seed = 99 };
        var a = Path.Combine(fixture.Root, "same-a");
        var b = Path.Combine(fixture.Root, "same-b");

        SampleDataGenerator.Generate(options, a);
        SampleDataGenerator.Generate(options, b);

        var hashesA = Hashes(a);
        Assert.Equal(15, hashesA.Count);
        Assert.Equal(hashesA, Hashes(b));
    }

    [Fact]
    public void Generate_DifferentSeeds_WriteDifferentUsageAndSameReferenceFiles()
    {
        var a = Path.Combine(fixture.Root, "seed-a");
        var b = Path.Combine(fixture.Root, "seed-b");

        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 1 }, a);
        SampleDataGenerator.Generate(new SampleDataOptions { Services = 40, Months = 4, Seed = 2 }, b);

        var hashesA = Hashes(a);
        var hashesB = Hashes(b);
        Assert.NotEqual(hashesA["usage.csv"], hashesB["usage.csv"]);
        Assert.NotEqual(hashesA["invoices.csv"], hashesB["invoices.csv"]);
        Assert.Equal(hashesA["rates.csv"], hashesB["rates.csv"]);
        Assert.Equal(hashesA["parties.csv"], hashesB["parties.csv"]);
    }

    [Theory]
    [MemberData(nameof(CanonicalHeaders))]
    public void Generate_EveryCsv_HasCanonicalHeaderRow(string file, string header)
    {
        var text = File.ReadAllText(Path.Combine(fixture.Set(SampleDataFixture.Default).Dir, file), Encoding.UTF8);

        Assert.Equal(header, text[..text.IndexOf('\n', StringComparison.Ordinal)]);
    }

    [Theory]
    [MemberData(nameof(CanonicalHeaders))]
    public void Generate_EveryCsv_IsUtf8WithoutBomAndRectangular(string file, string header)
    {
        var path = Path.Combine(fixture.Set(SampleDataFixture.Default).Dir, file);
        var bytes = File.ReadAllBytes(path);

        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "no BOM");
        Assert.DoesNotContain((byte)'\r', bytes);
        var table = CsvTable.Load(path);
        var columns = header.Split(',').Length;
        Assert.NotEmpty(table.Rows);
        Assert.All(table.Rows, r => Assert.Equal(columns, r.Length));
    }

    [Fact]
    public void Generate_Summary_CountsTheRowsOfEveryFile()
    {
        var summary = fixture.Summary(SampleDataFixture.Default);
        var set = fixture.Set(SampleDataFixture.Default);

        Assert.Equal(13, summary.Rows.Count);
        Assert.Equal(set.Usage.Rows.Count, summary.Rows["usage.csv"]);
        Assert.Equal(set.Invoices.Rows.Count, summary.Rows["invoices.csv"]);
        Assert.Equal(set.Services.Rows.Count, summary.Rows["services.csv"]);
        Assert.Equal(set.AnswerKey.Rows.Count, summary.PlantedFindings);
        Assert.Equal(60, set.Services.Rows.Count);
        Assert.True(File.Exists(Path.Combine(set.Dir, "README.md")));
        Assert.True(File.Exists(Path.Combine(set.Dir, "logos", "harbor-connect.svg")));
    }

    [Fact]
    public void Generate_DefaultOptions_StaysUnderThreeMegabytes()
    {
        var dir = fixture.Set(SampleDataFixture.Default).Dir;

        var bytes = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        Assert.InRange(bytes, 200_000, 3_000_000);
    }

    [Fact]
    public void Generate_Readme_ListsEveryPlantedRuleAndFile()
    {
        var readme = File.ReadAllText(Path.Combine(fixture.Set(SampleDataFixture.Default).Dir, "README.md"));

        Assert.All(SampleDataGenerator.PlantedRules, rule => Assert.Contains("`" + rule + "`", readme, StringComparison.Ordinal));
        Assert.All(CanonicalHeaders.Select(row => (string)row[0]), file => Assert.Contains("`" + file + "`", readme, StringComparison.Ordinal));
        Assert.Contains("--services 60 --months 6 --seed 42", readme, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SampleDataOptions.MinimumServices - 1, 6)]
    [InlineData(60, SampleDataOptions.MinimumMonths - 1)]
    [InlineData(60, SampleDataOptions.MaximumMonths + 1)]
    public void Generate_OptionsOutOfRange_ThrowsBeforeWriting(int services, int months)
    {
        var dir = Path.Combine(fixture.Root, "never-" + services + "-" + months);

        Assert.Throws<ArgumentOutOfRangeException>(() => SampleDataGenerator.Generate(new SampleDataOptions { Services = services, Months = months }, dir));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Generate_FirstMonthOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SampleDataGenerator.Generate(new SampleDataOptions { FirstMonth = new BillingMonth(1999, 12) }, Path.Combine(fixture.Root, "never-1999")));

    [Fact]
    public void Generate_NullOptions_Throws() =>
        Assert.Throws<ArgumentNullException>(() => SampleDataGenerator.Generate(null!, fixture.Root));

    [Fact]
    public void CommittedSample_MatchesTheGeneratorWithDefaultOptions()
    {
        // sample-data/ is committed: a missing or stale file fails here (regenerate with scripts/regen-fixtures.sh).
        var committed = RepoPaths.SampleData;
        var fresh = Hashes(fixture.Set(SampleDataFixture.Default).Dir);

        Assert.Equal(fresh, Hashes(committed));
    }

    private static SortedDictionary<string, string> Hashes(string dir) =>
        new(
            Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
            StringComparer.Ordinal);
}
