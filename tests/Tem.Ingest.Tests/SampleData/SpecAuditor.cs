using Tem.Core;
using Tem.Core.Rating;

namespace Tem.Ingest.Tests.SampleData;

/// <summary>An expected or found finding, reduced to what the answer key states.</summary>
internal sealed record KeyRow(string Rule, string AccountId, string ServiceId, string Period, decimal OneTime, decimal Monthly, string Currency)
{
    public override string ToString() =>
        FormattableString.Invariant($"{Rule} {AccountId} {ServiceId} {Period} one_time={OneTime} monthly={Monthly} {Currency}");
}

/// <summary>A generated set loaded back from disk.</summary>
internal sealed class SampleSet
{
    public SampleSet(string dir)
    {
        Dir = dir;
        Parties = CsvTable.Load(Path.Combine(dir, "parties.csv"));
        Accounts = CsvTable.Load(Path.Combine(dir, "accounts.csv"));
        Services = CsvTable.Load(Path.Combine(dir, "services.csv"));
        Plans = CsvTable.Load(Path.Combine(dir, "plans.csv"));
        Rates = CsvTable.Load(Path.Combine(dir, "rates.csv"));
        Invoices = CsvTable.Load(Path.Combine(dir, "invoices.csv"));
        Usage = CsvTable.Load(Path.Combine(dir, "usage.csv"));
        CreditsDue = CsvTable.Load(Path.Combine(dir, "credits_due.csv"));
        Resale = CsvTable.Load(Path.Combine(dir, "resale.csv"));
        Upgrade = CsvTable.Load(Path.Combine(dir, "upgrade.csv"));
        AnswerKey = CsvTable.Load(Path.Combine(dir, "answer_key.csv"));
        AccountById = Accounts.All.ToDictionary(a => a["account_id"], StringComparer.Ordinal);
        ServiceById = Services.All.ToDictionary(s => s["service_id"], StringComparer.Ordinal);
        Zones = Accounts.All.ToDictionary(a => a["account_id"], a => TimeZoneInfo.FindSystemTimeZoneById(a["time_zone"]), StringComparer.Ordinal);
        Rater = new ReferenceRater(Rates.All.Select(r => new RateEntry
        {
            RatePlanId = r["rate_plan_id"],
            Prefix = r["prefix"],
            Destination = r["destination"],
            TimeBand = WireNames.Parse<TimeBand>(r["time_band"]),
            RatePerMinute = r.Dec("rate_per_minute"),
            ConnectFee = r.Dec("connect_fee"),
            InitialIncrementS = r.Int("initial_increment_s"),
            SubsequentIncrementS = r.Int("subsequent_increment_s"),
            EffectiveFrom = r.Date("effective_from"),
            EffectiveTo = r.OptDate("effective_to"),
        }));
    }

    public string Dir { get; }

    public CsvTable Parties { get; }

    public CsvTable Accounts { get; }

    public CsvTable Services { get; }

    public CsvTable Plans { get; }

    public CsvTable Rates { get; }

    public CsvTable Invoices { get; }

    public CsvTable Usage { get; }

    public CsvTable CreditsDue { get; }

    public CsvTable Resale { get; }

    public CsvTable Upgrade { get; }

    public CsvTable AnswerKey { get; }

    public Dictionary<string, CsvTable.Row> AccountById { get; }

    public Dictionary<string, CsvTable.Row> ServiceById { get; }

    public Dictionary<string, TimeZoneInfo> Zones { get; }

    public ReferenceRater Rater { get; }

    public IEnumerable<KeyRow> Expected(string rule) =>
        AnswerKey.All.Where(r => r["rule"] == rule).Select(r =>
            new KeyRow(r["rule"], r["account_id"], r["service_id"], r["period"], r.Dec("one_time_amount"), r.Dec("monthly_savings"), r["currency"]));

    /// <summary>The billing month of a usage record: the month of its start in the account's time zone.</summary>
    public BillingMonth MonthOf(CsvTable.Row usage) =>
        BillingMonth.FromDate(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(usage.Instant("start_time"), Zones[usage["account_id"]]).DateTime));

    /// <summary>The contract cost of a voice record on a rated service, or null.</summary>
    public decimal? CostOf(CsvTable.Row usage)
    {
        var deck = AccountById[usage["account_id"]].Opt("rate_plan_id");
        return deck is null
            ? null
            : Rater.Rate(deck, usage["called_number"], usage.Instant("start_time"), usage.Int("duration_s"), Zones[usage["account_id"]])?.Cost;
    }
}

/// <summary>
/// The deterministic rules of audit.md implemented a second time, plainly, over the generated CSV files: the test
/// oracle for the answer key (it shares no code with the generator beyond Tem.Core's rater).
/// </summary>
internal static class SpecAuditor
{
    public static IEnumerable<KeyRow> Run(SampleSet set, string rule) => rule switch
    {
        "rate_overcharge" => RateOvercharge(set),
        "duplicate_usage" => DuplicateUsage(set),
        "duplicate_recurring" => DuplicateRecurring(set),
        "billed_after_disconnect" => BilledAfterDisconnect(set),
        "unknown_service" => UnknownService(set),
        "recurring_above_contract" => RecurringAboveContract(set),
        "missing_credit" => MissingCredit(set),
        "tax_on_exempt" => TaxOnExempt(set),
        "usage_mismatch" => UsageMismatch(set),
        "unused_service" => UnusedService(set),
        "oversized_plan" => OversizedPlan(set, ceilMinutes: true),
        "unbilled_resale" => UnbilledResale(set),
        "resold_below_cost" => ResoldBelowCost(set),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Not a deterministic rule."),
    };

    public static BillingMonth LatestMonth(SampleSet set) =>
        set.Invoices.All.Select(l => BillingMonth.FromDate(l.Date("period_start"))).Concat(set.Usage.All.Select(set.MonthOf)).Max();

    private static string Currency(SampleSet set, string accountId) => set.AccountById[accountId]["currency"];

    private static BillingMonth LineMonth(CsvTable.Row line) => BillingMonth.FromDate(line.Date("period_start"));

    private static IEnumerable<KeyRow> RateOvercharge(SampleSet set) =>
        set.Usage.All
            .Where(u => u["usage_type"] == "voice" && set.ServiceById.TryGetValue(u["service_id"], out var s) && s["service_type"] is "voice_line" or "sip_trunk")
            .Select(u => (u, over: u.Dec("billed_amount") - (set.CostOf(u) ?? throw new InvalidOperationException($"usage.csv:{u.Line} has no rate"))))
            .GroupBy(x => (account: x.u["account_id"], service: x.u["service_id"], invoice: x.u["invoice_id"]))
            .Select(g => (g.Key, amount: g.Where(x => x.over > 0).Sum(x => x.over), period: set.MonthOf(g.First().u)))
            .Where(x => x.amount >= 0.01m)
            .Select(x => new KeyRow("rate_overcharge", x.Key.account, x.Key.service, x.period.ToString(), x.amount, 0m, Currency(set, x.Key.account)));

    private static IEnumerable<KeyRow> DuplicateUsage(SampleSet set) =>
        set.Usage.All
            .GroupBy(u => (account: u["account_id"], service: u["service_id"], type: u["usage_type"], instant: u.Instant("start_time").UtcTicks,
                called: u["called_number"], duration: u.Int("duration_s"), mb: u.Dec("data_mb")))
            .Where(g => g.Count() > 1)
            .Select(g => (g.Key, extra: g.Sum(u => u.Dec("billed_amount")) - g.First().Dec("billed_amount"), period: set.MonthOf(g.First())))
            .GroupBy(x => (x.Key.account, x.Key.service, x.period))
            .Select(g => (g.Key, amount: g.Sum(x => x.extra)))
            .Where(x => x.amount >= 0.01m)
            .Select(x => new KeyRow("duplicate_usage", x.Key.account, x.Key.service, x.Key.period.ToString(), x.amount, 0m, Currency(set, x.Key.account)));

    private static IEnumerable<KeyRow> DuplicateRecurring(SampleSet set) =>
        set.Invoices.All
            .Where(l => l["charge_type"] == "recurring" && l.Opt("service_id") is not null)
            .GroupBy(l => (account: l["account_id"], service: l["service_id"], month: LineMonth(l)))
            .Where(g => g.Count() > 1)
            .Select(g => new KeyRow(
                "duplicate_recurring", g.Key.account, g.Key.service, g.Key.month.ToString(), g.Skip(1).Sum(l => l.Dec("amount")), 0m, Currency(set, g.Key.account)));

    private static IEnumerable<KeyRow> BilledAfterDisconnect(SampleSet set)
    {
        foreach (var g in set.Invoices.All
            .Where(l => l["charge_type"] != "credit" && l.Opt("service_id") is { } id && set.ServiceById.TryGetValue(id, out var s)
                && s.OptDate("disconnected_on") is { } gone && LineMonth(l).First > gone)
            .GroupBy(l => (account: l["account_id"], service: l["service_id"])))
        {
            var months = g.GroupBy(LineMonth).OrderBy(m => m.Key).ToList();
            foreach (var m in months)
            {
                var monthly = m.Key == months[^1].Key ? m.Where(l => l["charge_type"] == "recurring").Select(l => l.Dec("amount")).LastOrDefault() : 0m;
                yield return new KeyRow("billed_after_disconnect", g.Key.account, g.Key.service, m.Key.ToString(), m.Sum(l => l.Dec("amount")), monthly, Currency(set, g.Key.account));
            }
        }
    }

    private static IEnumerable<KeyRow> UnknownService(SampleSet set) =>
        set.Invoices.All
            .Where(l => l.Opt("service_id") is { } id && !set.ServiceById.ContainsKey(id))
            .GroupBy(l => (account: l["account_id"], service: l["service_id"], month: LineMonth(l)))
            .Select(g => new KeyRow("unknown_service", g.Key.account, g.Key.service, g.Key.month.ToString(), g.Sum(l => l.Dec("amount")), 0m, Currency(set, g.Key.account)));

    private static IEnumerable<KeyRow> RecurringAboveContract(SampleSet set)
    {
        var plans = set.Plans.All.ToList();
        foreach (var g in set.Invoices.All
            .Where(l => l["charge_type"] == "recurring" && l.Opt("service_id") is { } id && set.ServiceById.ContainsKey(id)
                && l.Date("period_start") == LineMonth(l).First && l.Date("period_end") == LineMonth(l).Last)
            .Select(l =>
            {
                var month = LineMonth(l);
                var planId = set.ServiceById[l["service_id"]]["plan_id"];
                var plan = plans.Single(p => p["plan_id"] == planId && p.Date("effective_from") <= month.First && (p.OptDate("effective_to") is not { } to || to >= month.Last));
                return (l, month, over: l.Dec("amount") - plan.Dec("monthly_fee"));
            })
            .Where(x => x.over > 0.01m)
            .GroupBy(x => (account: x.l["account_id"], service: x.l["service_id"])))
        {
            var ordered = g.OrderBy(x => x.month).ToList();
            foreach (var x in ordered)
            {
                var latest = x.month == ordered[^1].month;
                yield return new KeyRow("recurring_above_contract", g.Key.account, g.Key.service, x.month.ToString(), x.over, latest ? x.over : 0m, Currency(set, g.Key.account));
            }
        }
    }

    private static IEnumerable<KeyRow> MissingCredit(SampleSet set)
    {
        var lines = set.Invoices.All.ToList();
        foreach (var c in set.CreditsDue.All)
        {
            var account = c["account_id"];
            var service = c.Opt("service_id");
            var due = BillingMonth.Parse(c["due_by_period"]);
            var amount = c.Dec("amount");
            var honoured = lines.Any(l => l["account_id"] == account && l["charge_type"] == "credit" && (service is null || l["service_id"] == service)
                && Math.Abs(Math.Abs(l.Dec("amount")) - amount) <= 0.01m && l.Date("invoice_date") <= due.Last);
            var later = lines.Any(l => l["account_id"] == account && l.Date("invoice_date") > due.Last);
            if (!honoured && later)
            {
                yield return new KeyRow("missing_credit", account, service ?? string.Empty, due.ToString(), amount, 0m, Currency(set, account));
            }
        }
    }

    private static IEnumerable<KeyRow> TaxOnExempt(SampleSet set) =>
        set.Invoices.All
            .Where(l => l["charge_type"] == "tax" && set.AccountById[l["account_id"]]["tax_exempt"] == "true")
            .GroupBy(l => (account: l["account_id"], month: LineMonth(l)))
            .Select(g => new KeyRow("tax_on_exempt", g.Key.account, string.Empty, g.Key.month.ToString(), g.Sum(l => l.Dec("amount")), 0m, Currency(set, g.Key.account)));

    private static IEnumerable<KeyRow> UsageMismatch(SampleSet set)
    {
        var records = set.Usage.All
            .GroupBy(u => (invoice: u["invoice_id"], service: u["service_id"]))
            .ToDictionary(g => g.Key, g => g.Sum(u => u.Dec("billed_amount")));
        return set.Invoices.All
            .Where(l => l["charge_type"] == "usage" && l.Opt("service_id") is not null)
            .GroupBy(l => (invoice: l["invoice_id"], service: l["service_id"], account: l["account_id"], month: LineMonth(l)))
            .Select(g => (g.Key, diff: g.Sum(l => l.Dec("amount")) - records.GetValueOrDefault((g.Key.invoice, g.Key.service))))
            .Where(x => x.diff > 0.01m)
            .Select(x => new KeyRow("usage_mismatch", x.Key.account, x.Key.service, x.Key.month.ToString(), x.diff, 0m, Currency(set, x.Key.account)));
    }

    private static HashSet<string> UnusedIds(SampleSet set, BillingMonth latest)
    {
        var window = new HashSet<BillingMonth> { latest.AddMonths(-2), latest.AddMonths(-1), latest };
        var used = set.Usage.All.Where(u => window.Contains(set.MonthOf(u))).Select(u => u["service_id"]).ToHashSet(StringComparer.Ordinal);
        var billed = set.Invoices.All.Where(l => l["charge_type"] == "recurring" && LineMonth(l) == latest).Select(l => l["service_id"]).ToHashSet(StringComparer.Ordinal);
        return set.Services.All
            .Where(s => s["status"] == "active" && s.Date("activated_on") <= latest.AddMonths(-3).First && !used.Contains(s["service_id"]) && billed.Contains(s["service_id"]))
            .Select(s => s["service_id"])
            .ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<KeyRow> UnusedService(SampleSet set)
    {
        var latest = LatestMonth(set);
        foreach (var id in UnusedIds(set, latest))
        {
            var line = set.Invoices.All.Last(l => l["service_id"] == id && l["charge_type"] == "recurring" && LineMonth(l) == latest);
            yield return new KeyRow("unused_service", line["account_id"], id, latest.ToString(), 0m, line.Dec("amount"), Currency(set, line["account_id"]));
        }
    }

    /// <summary>oversized_plan; <paramref name="ceilMinutes"/> counts each call in whole started minutes, else total seconds / 60.</summary>
    public static IEnumerable<KeyRow> OversizedPlan(SampleSet set, bool ceilMinutes)
    {
        var latest = LatestMonth(set);
        var unused = UnusedIds(set, latest);
        var window = new HashSet<BillingMonth> { latest.AddMonths(-2), latest.AddMonths(-1), latest };
        var usage = set.Usage.All.Where(u => window.Contains(set.MonthOf(u))).ToLookup(u => u["service_id"], StringComparer.Ordinal);
        var plans = set.Plans.All.ToList();
        foreach (var s in set.Services.All.Where(s => s["service_type"] == "mobile" && s["status"] == "active"
            && s.Date("activated_on") <= latest.AddMonths(-2).First && !unused.Contains(s["service_id"])))
        {
            var months = usage[s["service_id"]].GroupBy(set.MonthOf).ToList();
            var minutes = months.Select(m => ceilMinutes
                ? m.Where(u => u["usage_type"] == "voice").Sum(u => (decimal)((u.Int("duration_s") + 59) / 60))
                : m.Where(u => u["usage_type"] == "voice").Sum(u => u.Int("duration_s")) / 60m).DefaultIfEmpty(0m).Max();
            var sms = months.Select(m => (decimal)m.Count(u => u["usage_type"] == "sms")).DefaultIfEmpty(0m).Max();
            var mb = months.Select(m => m.Where(u => u["usage_type"] == "data").Sum(u => u.Dec("data_mb"))).DefaultIfEmpty(0m).Max();
            var current = plans.Single(p => p["plan_id"] == s["plan_id"]);
            var carrier = current["carrier"];
            var best = plans
                .Where(p => p["carrier"] == carrier && p["service_type"] == "mobile" && p.Date("effective_from") <= latest.First
                    && (p.OptDate("effective_to") is not { } to || to >= latest.Last))
                .Where(p => (p.OptDec("included_minutes") is not { } im || im >= minutes) && (p.OptDec("included_sms") is not { } isms || isms >= sms)
                    && (p.OptDec("included_data_mb") is not { } imb || imb >= mb))
                .OrderBy(p => p.Dec("monthly_fee"))
                .FirstOrDefault();
            if (best is { } b && current.Dec("monthly_fee") - b.Dec("monthly_fee") >= 1.00m)
            {
                yield return new KeyRow("oversized_plan", s["account_id"], s["service_id"], latest.ToString(), 0m,
                    current.Dec("monthly_fee") - b.Dec("monthly_fee"), Currency(set, s["account_id"]));
            }
        }
    }

    private static Dictionary<(string Service, BillingMonth Month), (decimal All, decimal RecurringAndUsage)> Charges(SampleSet set) =>
        set.Invoices.All
            .Where(l => l.Opt("service_id") is not null && l["charge_type"] != "credit")
            .GroupBy(l => (l["service_id"], LineMonth(l)))
            .ToDictionary(
                g => g.Key,
                g => (g.Sum(l => l.Dec("amount")), g.Where(l => l["charge_type"] is "recurring" or "usage").Sum(l => l.Dec("amount"))));

    private static IEnumerable<KeyRow> UnbilledResale(SampleSet set)
    {
        var resold = set.Resale.All.Select(r => (r["reseller_id"], r["service_id"], r["period"])).ToHashSet();
        // audit.md: judged only where the reseller has resale lines for the month.
        var covered = set.Resale.All.Select(r => (r["reseller_id"], r["period"])).ToHashSet();
        foreach (var ((service, month), charges) in Charges(set))
        {
            if (!set.ServiceById.TryGetValue(service, out var s))
            {
                continue;
            }

            var account = set.AccountById[s["account_id"]];
            if (account.Opt("reseller_id") is { } reseller && account["bill_to_id"] == reseller &&
                covered.Contains((reseller, month.ToString())) && !resold.Contains((reseller, service, month.ToString())))
            {
                yield return new KeyRow("unbilled_resale", s["account_id"], service, month.ToString(), charges.All, 0m, account["currency"]);
            }
        }
    }

    private static IEnumerable<KeyRow> ResoldBelowCost(SampleSet set)
    {
        var latest = LatestMonth(set);
        var charges = Charges(set);
        foreach (var g in set.Resale.All
            .Select(r => (r, month: BillingMonth.Parse(r["period"])))
            .Select(x => (x.r, x.month, shortfall: charges.GetValueOrDefault((x.r["service_id"], x.month)).RecurringAndUsage - x.r.Dec("amount")))
            .Where(x => x.shortfall > 0)
            .GroupBy(x => x.r["service_id"]))
        {
            var s = set.ServiceById[g.Key];
            var latestShortfall = g.OrderBy(x => x.month).Last().shortfall;
            yield return new KeyRow("resold_below_cost", s["account_id"], g.Key, latest.ToString(), 0m, latestShortfall, Currency(set, s["account_id"]));
        }
    }
}
