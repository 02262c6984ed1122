using System.Text.Json;
using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>
/// <c>tem disputes</c> on the demo's lake (its dispute log applied, the carriers' credits matched): listing with aging,
/// the steps and what they refuse, the pack of items not yet submitted, importing a log with bad rows.
/// </summary>
public sealed class DisputesCommandTests(DemoLakeFixture demo) : IClassFixture<DemoLakeFixture>
{
    private List<JsonElement> Disputes(params string[] extra)
    {
        var result = Run(["disputes", "--lake", demo.Lake, "--json", .. extra]);
        Assert.True(result.Code == TemApp.Ok, result.Err);
        return [.. JsonDocument.Parse(result.Out).RootElement.GetProperty("disputes").EnumerateArray()];
    }

    [Fact]
    public void Disputes_Json_TheSampleLogAndTheBillsCredits_WithAmountsAndAging()
    {
        Assert.True(demo.Code == 0, demo.Err);
        var all = Disputes();
        var partial = Assert.Single(all, d => d.GetProperty("reference").GetString() == "NW-CASE-24017");
        Assert.Equal("partially_credited", partial.GetProperty("status").GetString());
        Assert.Equal(35.00m, partial.GetProperty("amount_claimed").GetDecimal());
        Assert.Equal(21.00m, partial.GetProperty("amount_credited").GetDecimal());
        Assert.Equal(14.00m, partial.GetProperty("outstanding").GetDecimal());
        Assert.True(partial.GetProperty("age_days").GetInt32() > 30);
        var credited = Assert.Single(all, d => d.GetProperty("reference").GetString() == "RH-ST-88231");
        Assert.Equal(("credited", 24.99m), (credited.GetProperty("status").GetString(), credited.GetProperty("amount_credited").GetDecimal()));
        Assert.Contains(all, d => d.GetProperty("status").GetString() == "rejected");
        Assert.Contains(all, d => d.GetProperty("status").GetString() == "closed");

        // Overdue: waiting for the carrier with no news for 30 days; the credited and rejected ones are not waiting.
        var overdue = Disputes("--overdue");
        Assert.NotEmpty(overdue);
        Assert.All(overdue, d => Assert.Contains(d.GetProperty("status").GetString(), new[] { "submitted", "partially_credited" }));
        Assert.All(overdue, d => Assert.True(d.GetProperty("days_waiting").GetInt32() >= 30));
        Assert.Empty(Disputes("--overdue", "--follow-up-days", "100000"));
    }

    [Fact]
    public void Steps_SubmitCreditReject_RecordAmounts_AndRefuseWhatTheLifecycleDoesNotAllow()
    {
        // The open tax_on_exempt claim of RH4711028, whose bills carry a credit line (an SLA credit).
        var open = Disputes("--status", "open").First(d => d.GetProperty("account_id").GetString() == "RH4711028");
        var id = open.GetProperty("finding_id").GetString()!;
        var claim = open.GetProperty("one_time_amount").GetDecimal();
        var sql = Run("sql", "--lake", demo.Lake, "--format", "csv", "SELECT invoice_id || '#0' || line_no::VARCHAR FROM charges WHERE account_id = 'RH4711028' AND charge_type = 'credit' ORDER BY ALL LIMIT 1");
        Assert.True(sql.Code == TemApp.Ok, sql.Err);
        var line = sql.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim();

        var submit = Run("disputes", "submit", id[..12], "--lake", demo.Lake, "--on", "2026-10-02", "--reference", "T-1", "--json");
        Assert.True(submit.Code == TemApp.Ok, submit.Err);

        // A credit line must be one of the account's credit lines on the bills ('#07' is line 7); then it is never used again.
        var bogus = Run("disputes", "credit", id[..12], "--lake", demo.Lake, "--amount", "1.00", "--line", "NO-SUCH-INVOICE#1");
        Assert.Equal(TemApp.Failure, bogus.Code);
        Assert.Contains("no credit line", bogus.Err, StringComparison.Ordinal);
        var credit = Run("disputes", "credit", id[..12], "--lake", demo.Lake, "--amount", "1.00", "--on", "2026-11-30", "--line", line);
        Assert.True(credit.Code == TemApp.Ok, credit.Err);
        var after = Assert.Single(Disputes(), d => d.GetProperty("finding_id").GetString() == id);
        Assert.Equal(("partially_credited", "T-1", claim, 1.00m), (after.GetProperty("status").GetString(), after.GetProperty("reference").GetString(),
            after.GetProperty("amount_claimed").GetDecimal(), after.GetProperty("amount_credited").GetDecimal()));
        var twice = Run("disputes", "credit", id[..12], "--lake", demo.Lake, "--amount", "0.01", "--line", line.Replace("#0", "#", StringComparison.Ordinal));
        Assert.Equal(TemApp.Failure, twice.Code);
        Assert.Contains("already applied", twice.Err, StringComparison.Ordinal);

        // More than the claim, a submission of a submitted claim: refused, nothing changes.
        var tooMuch = Run("disputes", "credit", id[..12], "--lake", demo.Lake, "--amount", (claim + 5m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TemApp.Failure, tooMuch.Code);
        Assert.Contains("claimed", tooMuch.Err, StringComparison.Ordinal);
        Assert.Equal(TemApp.Failure, Run("disputes", "submit", id[..12], "--lake", demo.Lake).Code);
        Assert.Equal(1.00m, Assert.Single(Disputes(), d => d.GetProperty("finding_id").GetString() == id).GetProperty("amount_credited").GetDecimal());

        Assert.Equal(TemApp.Ok, Run("disputes", "reject", id[..12], "--lake", demo.Lake, "--note", "carrier says no").Code);
        var rejected = Assert.Single(Disputes(), d => d.GetProperty("finding_id").GetString() == id);
        Assert.Equal(("rejected", 1.00m), (rejected.GetProperty("status").GetString(), rejected.GetProperty("amount_credited").GetDecimal()));
        Assert.Equal(TemApp.UsageError, Run("disputes", "submit", id[..12], "--lake", demo.Lake, "--on", "2026-13-01").Code);
        Assert.Equal(TemApp.UsageError, Run("disputes", "close", id[..12], "--lake", demo.Lake, "--on", DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Code);
    }

    [Fact]
    public void Pack_OneCarrier_OnlyTheItemsNotYetSubmitted_OrWithTheWaitingOnes()
    {
        var dir = Path.Combine(demo.Root, "pack-open");
        var result = Run("disputes", "pack", "--lake", demo.Lake, "--carrier", "Northwind", "--out", dir, "--json");
        Assert.True(result.Code == TemApp.Ok, result.Err);
        var rows = CsvFile.Read(Path.Combine(dir, "Northwind.csv"));
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("open", r["status"]));
        Assert.DoesNotContain(rows, r => r["reference"] == "NW-CASE-24017");

        var reminder = Path.Combine(demo.Root, "pack-all");
        Assert.Equal(TemApp.Ok, Run("disputes", "pack", "--lake", demo.Lake, "--carrier", "Northwind", "--out", reminder, "--include-submitted").Code);
        var waiting = Assert.Single(CsvFile.Read(Path.Combine(reminder, "Northwind.csv")), r => r["reference"] == "NW-CASE-24017");
        Assert.Equal(("partially_credited", "14.0000"), (waiting["status"], waiting["outstanding"]));

        var unknown = Run("disputes", "pack", "--lake", demo.Lake, "--carrier", "Nobody", "--out", dir);
        Assert.Equal(TemApp.Failure, unknown.Code);
        Assert.Contains("Northwind", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_BadRows_AreRejectedWithLineAndColumn_TheCountsAddUp_AndALogAppliesOnce()
    {
        var open = Disputes("--status", "open").First(d => d.GetProperty("carrier").GetString() == "Albion");
        var log = Path.Combine(demo.Root, "my-disputes.csv");
        File.WriteAllText(log, string.Join('\n',
            "rule,carrier,account_id,service_id,period,status,submitted_on,reference,amount_claimed,amount_credited,credited_on,resolved_on,note",
            $"{open.GetProperty("rule").GetString()},Albion,{open.GetProperty("account_id").GetString()},{open.GetProperty("service_id").GetString()},{open.GetProperty("period").GetString()},submitted,2026-10-20,AL-77,,,,,sent",
            "duplicate_usage,Albion,NOPE,,2026-09,submitted,2026-10-20,,,,,,",
            "duplicate_usage,Albion,ALB-300125,,2026-09,submitted,20/10/2026,,,,,,") + "\n");

        var first = Run("disputes", "import", log, "--lake", demo.Lake);
        Assert.Equal(TemApp.Failure, first.Code);
        Assert.Contains("my-disputes.csv: dispute log: read 3 / applied 1 / already recorded 0 / rejected 2", first.Out, StringComparison.Ordinal);
        Assert.Contains("my-disputes.csv:3:1", first.Err, StringComparison.Ordinal);
        Assert.Contains("my-disputes.csv:4:7", first.Err, StringComparison.Ordinal);
        var applied = Assert.Single(Disputes(), d => d.GetProperty("finding_id").GetString() == open.GetProperty("finding_id").GetString());
        Assert.Equal(("submitted", "AL-77"), (applied.GetProperty("status").GetString(), applied.GetProperty("reference").GetString()));

        var again = Run("disputes", "import", log, "--lake", demo.Lake);
        Assert.Contains("read 3 / applied 0 / already recorded 1 / rejected 2", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_Json_ListsWhatTheLastRunProposed()
    {
        var result = Run("disputes", "matches", "--lake", demo.Lake, "--json");
        Assert.True(result.Code == TemApp.Ok, result.Err);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(json.GetProperty("count").GetInt32(), json.GetProperty("matches").GetArrayLength());
    }
}
