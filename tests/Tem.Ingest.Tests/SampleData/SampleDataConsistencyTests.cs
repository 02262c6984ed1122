using Tem.Core;

namespace Tem.Ingest.Tests.SampleData;

/// <summary>The generated world is consistent with itself and with the contract, except where the answer key says otherwise.</summary>
[Collection(SampleDataCollection.Name)]
public class SampleDataConsistencyTests(SampleDataFixture fixture)
{
    public static readonly TheoryData<string> Sets = new() { SampleDataFixture.Default, SampleDataFixture.Minimal, SampleDataFixture.Larger };

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_UsageAndInvoiceLines_NameKnownServicesExceptPlantedUnknown(string name)
    {
        var set = fixture.Set(name);
        var plantedUnknown = set.Expected("unknown_service").Select(k => k.ServiceId).ToHashSet(StringComparer.Ordinal);

        Assert.All(set.Usage.All, u =>
        {
            Assert.True(set.ServiceById.TryGetValue(u["service_id"], out var s), $"usage.csv:{u.Line}");
            Assert.Equal(s["account_id"], u["account_id"]);
        });
        var unknown = set.Invoices.All.Where(l => l.Opt("service_id") is { } id && !set.ServiceById.ContainsKey(id)).Select(l => l["service_id"]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(plantedUnknown.Order(StringComparer.Ordinal), unknown.Order(StringComparer.Ordinal));
        Assert.NotEmpty(unknown);
        Assert.All(set.Invoices.All, l => Assert.True(set.AccountById.ContainsKey(l["account_id"]), $"invoices.csv:{l.Line}"));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_AccountsAndParties_ReferenceExistingParties(string name)
    {
        var set = fixture.Set(name);
        var parties = set.Parties.All.ToDictionary(p => p["party_id"], StringComparer.Ordinal);
        var decks = set.Rates.All.Select(r => r["rate_plan_id"]).ToHashSet(StringComparer.Ordinal);
        var plans = set.Plans.All.ToDictionary(p => p["plan_id"], StringComparer.Ordinal);

        Assert.All(set.Parties.All, p => Assert.True(p.Opt("parent_id") is null || parties.ContainsKey(p["parent_id"]), $"parties.csv:{p.Line}"));
        Assert.All(set.Accounts.All, a =>
        {
            Assert.Equal("customer", parties[a["customer_id"]]["kind"]);
            Assert.True(parties.ContainsKey(a["bill_to_id"]), $"accounts.csv:{a.Line} bill_to_id");
            Assert.True(a.Opt("reseller_id") is null || parties[a["reseller_id"]]["kind"] == "dealer", $"accounts.csv:{a.Line} reseller_id");
            Assert.True(a.Opt("rate_plan_id") is null || decks.Contains(a["rate_plan_id"]), $"accounts.csv:{a.Line} rate_plan_id");
            Assert.Contains(a["tax_exempt"], new[] { "true", "false" });
        });
        Assert.All(set.Services.All, s =>
        {
            var account = set.AccountById[s["account_id"]];
            var plan = plans[s["plan_id"]];
            Assert.Equal(account["carrier"], plan["carrier"]);
            Assert.Equal(s["service_type"], plan["service_type"]);
            Assert.Equal(s["status"] == "disconnected", s.Opt("disconnected_on") is not null);
            if (s["service_type"] is "voice_line" or "sip_trunk")
            {
                Assert.NotNull(account.Opt("rate_plan_id"));
            }
        });
        Assert.All(set.Resale.All, r =>
        {
            var account = set.AccountById[set.ServiceById[r["service_id"]]["account_id"]];
            Assert.Equal(account["bill_to_id"], r["reseller_id"]);
            Assert.Equal(account["customer_id"], r["customer_id"]);
            Assert.Equal(account["currency"], r["currency"]);
        });
    }

    [Fact]
    public void Generate_DefaultWorld_HasTheShapeOfTheBrief()
    {
        var set = fixture.Set(SampleDataFixture.Default);
        var kinds = set.Parties.All.GroupBy(p => p["kind"]).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Assert.Equal(2, kinds["dealer"]);
        Assert.Equal(1, kinds["distributor"]);
        Assert.Equal(6, kinds["customer"]);
        Assert.Equal(1, kinds["lessor"]);
        Assert.All(set.Parties.All.Where(p => p["kind"] == "dealer"), d => Assert.Matches("^#[0-9A-F]{6}$", d["brand_color"]));
        Assert.Equal(3, set.Accounts.All.Select(a => a["carrier"]).Distinct().Count());
        Assert.Equal(["EUR", "GBP", "USD"], set.Accounts.All.Select(a => a["currency"]).Distinct().Order(StringComparer.Ordinal));
        Assert.True(set.Accounts.All.Select(a => a["time_zone"]).Distinct().Count() >= 4);
        Assert.Contains(set.Accounts.All, a => a["tax_exempt"] == "true");
        Assert.Contains(set.Accounts.All, a => a.Opt("reseller_id") is { } r && a["bill_to_id"] == r);
        Assert.Contains(set.Accounts.All, a => a["bill_to_id"] == "LES-01");
        Assert.Equal(["active", "disconnected", "suspended"], set.Services.All.Select(s => s["status"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["circuit", "internet", "mobile", "sip_trunk", "voice_line"], set.Services.All.Select(s => s["service_type"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["any", "offpeak", "peak"], set.Rates.All.Select(r => r["time_band"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(set.Rates.All, r => r.Opt("effective_to") is not null);
        Assert.Contains(set.Rates.All, r => r.Dec("connect_fee") > 0);
        Assert.Equal(2, set.Upgrade.All.Select(u => u["deal_id"]).Distinct().Count());
        Assert.Equal(["agent", "carrier", "integrator", "msp", "tem", "var"], set.Upgrade.All.Select(u => u["role"]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(set.Upgrade.All, u => Assert.False(string.IsNullOrEmpty(u["retires"])));
        Assert.Equal(["credit", "one_time", "recurring", "surcharge", "tax", "usage"], set.Invoices.All.Select(l => l["charge_type"]).Distinct().Order(StringComparer.Ordinal));
        var called = set.Usage.All.Where(u => u["usage_type"] == "voice").Select(u => u["called_number"]).ToList();
        Assert.Contains(called, c => c.StartsWith('+'));
        Assert.Contains(called, c => c.StartsWith("00", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_Invoices_OnePerAccountAndMonthDatedAfterPeriodEnd(string name)
    {
        var set = fixture.Set(name);

        foreach (var invoice in set.Invoices.All.GroupBy(l => l["invoice_id"]))
        {
            Assert.Single(invoice.Select(l => (l["account_id"], l["invoice_date"], l["currency"])).Distinct());
            Assert.Equal(Enumerable.Range(1, invoice.Count()), invoice.Select(l => l.Int("line_no")));
            var date = invoice.First().Date("invoice_date");
            Assert.All(invoice, l => Assert.InRange(date.DayNumber - l.Date("period_end").DayNumber, 1, 40));
        }

        Assert.All(set.Invoices.All.GroupBy(l => l["account_id"]), account =>
            Assert.Equal(account.Select(l => l["invoice_id"]).Distinct().Count(), account.Select(l => l.Date("invoice_date")).Distinct().Count()));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_FullMonthRecurringLines_EqualPlanFeeExceptPlanted(string name)
    {
        var set = fixture.Set(name);
        var fees = set.Plans.All.ToDictionary(p => p["plan_id"], p => p.Dec("monthly_fee"), StringComparer.Ordinal);
        var planted = set.Expected("recurring_above_contract").Select(k => (k.ServiceId, k.Period)).ToHashSet();

        var checkedLines = 0;
        foreach (var l in set.Invoices.All.Where(l => l["charge_type"] == "recurring" && set.ServiceById.ContainsKey(l["service_id"])))
        {
            var month = BillingMonth.FromDate(l.Date("period_start"));
            var fee = fees[set.ServiceById[l["service_id"]]["plan_id"]];
            if (l.Date("period_start") == month.First && l.Date("period_end") == month.Last)
            {
                checkedLines++;
                if (planted.Contains((l["service_id"], month.ToString())))
                {
                    Assert.True(l.Dec("amount") - fee > 0.01m, $"invoices.csv:{l.Line} planted above contract");
                }
                else
                {
                    Assert.True(fee == l.Dec("amount"), $"invoices.csv:{l.Line}: {l["amount"]} <> fee {fee}");
                }
            }
            else
            {
                // Pro rata: the fee times the days in service over the days in the month, to the cent.
                var days = l.Date("period_end").DayNumber - l.Date("period_start").DayNumber + 1;
                var expected = Math.Round(fee * days / DateTime.DaysInMonth(month.Year, month.Month), 2, MidpointRounding.AwayFromZero);
                Assert.True(expected == l.Dec("amount"), $"invoices.csv:{l.Line}: pro rata {l["amount"]} <> {expected}");
                Assert.True(l.Dec("amount") < fee);
            }
        }

        Assert.True(checkedLines > 50);
        Assert.NotEmpty(planted);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_UsageLines_EqualUsageRecordTotalsExceptPlanted(string name)
    {
        var set = fixture.Set(name);
        var records = set.Usage.All.GroupBy(u => (u["invoice_id"], u["service_id"])).ToDictionary(g => g.Key, g => g.Sum(u => u.Dec("billed_amount")));
        var lines = set.Invoices.All.Where(l => l["charge_type"] == "usage").GroupBy(l => (l["invoice_id"], l["service_id"])).ToDictionary(g => g.Key, g => g.Sum(l => l.Dec("amount")));
        var planted = set.Expected("usage_mismatch").Select(k => k.ServiceId).ToHashSet(StringComparer.Ordinal);

        foreach (var key in records.Keys.Union(lines.Keys))
        {
            var billed = records.GetValueOrDefault(key);
            var invoiced = lines.GetValueOrDefault(key);
            if (billed != invoiced)
            {
                Assert.Contains(key.Item2, planted);
            }
        }

        Assert.Equal(2, planted.Count);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_RatedVoiceRecords_BilledAtReferenceCostExceptPlantedOvercharges(string name)
    {
        var set = fixture.Set(name);
        var planted = set.Expected("rate_overcharge").Select(k => (k.ServiceId, k.Period)).ToHashSet();

        var rated = 0;
        foreach (var u in set.Usage.All.Where(u => u["usage_type"] == "voice" && set.ServiceById[u["service_id"]]["service_type"] is "voice_line" or "sip_trunk"))
        {
            var cost = set.CostOf(u);
            Assert.True(cost is not null, $"usage.csv:{u.Line}: {u["called_number"]} matches no rate");
            rated++;
            if (cost != u.Dec("billed_amount"))
            {
                Assert.Contains((u["service_id"], set.MonthOf(u).ToString()), planted);
                Assert.True(u.Dec("billed_amount") > cost);
            }
        }

        Assert.True(rated > 100);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_UnratedUsage_IsBilledZero(string name)
    {
        var set = fixture.Set(name);

        Assert.All(
            set.Usage.All.Where(u => set.ServiceById[u["service_id"]]["service_type"] is not ("voice_line" or "sip_trunk")),
            u => Assert.Equal(0m, u.Dec("billed_amount")));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_UsageRecords_FallInTheServicesActiveDaysAndTheirInvoiceMonth(string name)
    {
        var set = fixture.Set(name);

        Assert.All(set.Usage.All, u =>
        {
            var s = set.ServiceById[u["service_id"]];
            var local = TimeZoneInfo.ConvertTime(u.Instant("start_time"), set.Zones[u["account_id"]]);
            var day = DateOnly.FromDateTime(local.DateTime);
            Assert.True(day >= s.Date("activated_on") && (s.OptDate("disconnected_on") is not { } gone || day <= gone), $"usage.csv:{u.Line}");
            Assert.EndsWith(set.MonthOf(u).ToString().Replace("-", string.Empty, StringComparison.Ordinal), u["invoice_id"], StringComparison.Ordinal);
            if (!u["start_time"].EndsWith('Z'))
            {
                Assert.Equal(local.Offset, u.Instant("start_time").Offset);
            }
        });
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Generate_ActiveServices_HaveUsageEveryMonthExceptPlantedUnused(string name)
    {
        var set = fixture.Set(name);
        var unused = set.Expected("unused_service").Select(k => k.ServiceId).ToHashSet(StringComparer.Ordinal);
        var months = set.Usage.All.Select(u => (u["service_id"], set.MonthOf(u).ToString())).ToHashSet();
        var latest = SpecAuditor.LatestMonth(set);

        foreach (var s in set.Services.All.Where(s => s["status"] == "active" && !unused.Contains(s["service_id"])))
        {
            var first = BillingMonth.FromDate(s.Date("activated_on"));
            for (var m = latest.AddMonths(-2); m <= latest; m = m.Next())
            {
                if (m >= first)
                {
                    Assert.True(months.Contains((s["service_id"], m.ToString())), $"{s["service_id"]} has no usage in {m}");
                }
            }
        }
    }

    [Fact]
    public void Generate_AmountsAndDates_UseInvariantForms()
    {
        var set = fixture.Set(SampleDataFixture.Default);

        Assert.All(set.Invoices.All, l =>
        {
            Assert.Matches(@"^-?\d+\.\d{2,4}$", l["amount"]);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", l["invoice_date"]);
        });
        Assert.All(set.Usage.All, u => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$", u["start_time"]));
        Assert.All(set.Usage.All.Where(u => u["usage_type"] != "data"), u => Assert.Matches(@"^(\+|00)?[1-9]\d{6,14}$", u["called_number"]));
        Assert.Contains(set.Parties.All, p => p["name"].Contains(',', StringComparison.Ordinal));
        Assert.Contains(set.Plans.All, p => p["name"].Contains('"', StringComparison.Ordinal));
        Assert.Contains(set.Accounts.All, a => a["account_id"].StartsWith('0'));
    }
}
