using System.Globalization;
using Tem.Core;

namespace Tem.SampleData;

/// <summary>
/// The money path of the sample: <c>upgrade.csv</c> (two deals that retire real services), <c>disputes.csv</c> (the
/// consultant's dispute log, one dispute per state) and <c>answer_key_money.csv</c> (what the audit must realise and
/// each deal's payback month), computed here from what was generated, independently of Tem's own code.
/// </summary>
internal static class MoneyFiles
{
    /// <summary>Rules whose money is validated (deterministic, action dispute, cancel, downgrade or renegotiate).</summary>
    private static readonly HashSet<string> Validated = new(StringComparer.Ordinal)
    {
        "rate_overcharge", "duplicate_usage", "duplicate_recurring", "billed_after_disconnect", "recurring_above_contract", "missing_credit",
        "tax_on_exempt", "usage_mismatch", "unused_service", "oversized_plan", "pbx_unmatched",
    };

    /// <summary>The months of a proposal's cash view.</summary>
    private const int Months = 36;

    private sealed record Item(string Name, string Provider, ProviderRole Role, decimal OneTime, decimal Monthly, decimal Margin);

    private sealed record Deal(string DealId, AccountDef Account, IReadOnlyList<ServiceDef> Retired, IReadOnlyList<string> RetiredRules, IReadOnlyList<Item> Items);

    public static void WriteUpgradeDisputesAndMoneyKey(
        World world, IReadOnlyList<AnswerRow> answers, IReadOnlyDictionary<ServiceDef, decimal> runRates, string dir, string keyDir, IDictionary<string, long> rows)
    {
        var disputes = DisputeRows(world, answers);
        using (var f = new CsvSink(Path.Combine(dir, "disputes.csv"), Headers.Disputes))
        {
            foreach (var (d, a) in disputes)
            {
                f.Text(a.Rule).Text(a.Carrier).Text(a.AccountId).Text(a.ServiceId).Text(a.Period.ToString()).Text(WireNames.ToWire(d.Status)).Date(d.SubmittedOn)
                    .Text(d.Reference).Money((decimal?)null).Money(d.CreditedByHandOn is null ? null : a.OneTime).Date(d.CreditedByHandOn).Date(d.ResolvedOn)
                    .Text(d.Note).EndRow();
            }

            rows["disputes.csv"] = f.Rows;
        }

        var deals = Deals(world);
        using (var f = new CsvSink(Path.Combine(dir, "upgrade.csv"), Headers.Upgrade))
        {
            foreach (var deal in deals)
            {
                var retires = string.Join(';', deal.Retired.Select(s => s.ServiceId).Concat(deal.RetiredRules.Select(r => "rule:" + r)));
                foreach (var i in deal.Items)
                {
                    f.Text(i.Name).Text(i.Provider).Text(WireNames.ToWire(i.Role)).Money(i.OneTime).Money(i.Monthly).Number(i.Margin).Text(deal.DealId)
                        .Text(deal.Account.CustomerId).Text(deal.Account.Carrier.Currency.Code).Text(retires).EndRow();
                }
            }

            rows["upgrade.csv"] = f.Rows;
        }

        using (var f = new CsvSink(Path.Combine(keyDir, "answer_key_money.csv"), Headers.MoneyKey))
        {
            // Realised: the credits the carriers gave (matched from the bills or recorded by hand), per currency.
            foreach (var g in disputes.Where(x => x.Dispute.Credit is not null || x.Dispute.CreditedByHandOn is not null)
                         .GroupBy(x => x.Answer.Currency.Code).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var amount = g.Sum(x => x.Dispute.Credit?.Amount ?? x.Answer.OneTime);
                f.Text("realised_credited").Text(null).Text(g.Key).Money(amount)
                    .Text(string.Join("; ", g.Select(x => $"{x.Answer.Rule} {x.Answer.ServiceId}: {(x.Dispute.Credit is { } c ? $"{Format.Money(c.Amount)} credited on a later bill" : "credited by hand in disputes.csv")}"))).EndRow();
            }

            foreach (var deal in deals)
            {
                var (payback, note) = Payback(world, answers, runRates, disputes, deal);
                f.Text("payback_month").Text(deal.DealId).Text(deal.Account.Carrier.Currency.Code).Text(payback?.ToString(CultureInfo.InvariantCulture) ?? "never").Text(note).EndRow();
            }

            rows["answer_key_money.csv"] = f.Rows;
        }
    }

    /// <summary>Each planted dispute with the answer-key row it is about (the earliest period of its rule on its service).</summary>
    private static List<(PlantedDispute Dispute, AnswerRow Answer)> DisputeRows(World world, IReadOnlyList<AnswerRow> answers) =>
        [.. world.Disputes.Select(d => (d, answers.Where(a => a.Rule == d.Rule && a.ServiceId == d.Service.ServiceId && a.AccountId == d.Service.Account.AccountId)
            .OrderBy(a => a.Period).First()))];

    /// <summary>
    /// Two deals: Northgate Retail Group (USD, direct) replaces its Northwind voice lines, SIP trunk and MPLS circuit
    /// (and the unused line the audit found) with SD-WAN and UCaaS from five parties and an agent; Kessler
    /// Maschinenbau (EUR, through its dealer) moves its Rhenus mobile lines to a 5G pool.
    /// </summary>
    private static List<Deal> Deals(World world)
    {
        var n = world.Named;
        var fixedAccount = n["s5"].Account;
        var replaced = fixedAccount.Services.Where(s => s.Status == ServiceStatus.Active && s.Type is ServiceType.VoiceLine or ServiceType.SipTrunk or ServiceType.Circuit).ToList();
        var mobileAccount = n["s28"].Account;
        return
        [
            new("NG-2026-SDWAN", fixedAccount, replaced, ["unused_service"],
            [
                new("SD-WAN edge x3 (head office and two stores)", "PRV-NEXUS", ProviderRole.Integrator, 3000.00m, 150.00m, 22.5m),
                new("Managed SD-WAN, security and broadband x3", "PRV-CLOUDOPS", ProviderRole.Msp, 0m, 360.00m, 30m),
                new("UCaaS seats x25, Teams calling", "DLR-01", ProviderRole.Var, 750.00m, 280.00m, 18m),
                new("5G failover x3", "PRV-NORTHWIND", ProviderRole.Carrier, 0m, 75.00m, 12m),
                new("Continuous telecom expense audit", "PRV-TEMPO", ProviderRole.Tem, 0m, 95.00m, 40m),
                new("Introduction fee", "AGT-01", ProviderRole.Agent, 500.00m, 0m, 100m),
            ]),
            new("KM-2026-MOBILE", mobileAccount, [.. mobileAccount.Services.Where(s => s.Status == ServiceStatus.Active)], [],
            [
                new("5G business mobile pool, 6 SIMs", "PRV-RHENUS", ProviderRole.Carrier, 0m, 99.00m, 14m),
                new("Device-as-a-service set-up", "DLR-02", ProviderRole.Var, 350.00m, 0m, 15m),
                new("Continuous telecom expense audit", "PRV-TEMPO", ProviderRole.Tem, 0m, 25.00m, 40m),
            ]),
        ];
    }

    /// <summary>
    /// The payback month as the proposal defines it (docs/money.md), computed from the generated bills and the answer
    /// key: spend retired (each retired service's lines in its account's latest month, one-time charges and credits
    /// aside) plus validated monthly savings of the deal's customer on services not retired, against the new monthly
    /// cost; validated one-time money against the one-time cost. Findings the dispute log rejects or closes fund nothing.
    /// </summary>
    private static (int? Month, string Note) Payback(
        World world, IReadOnlyList<AnswerRow> answers, IReadOnlyDictionary<ServiceDef, decimal> runRates, List<(PlantedDispute Dispute, AnswerRow Answer)> disputes,
        Deal deal)
    {
        var currency = deal.Account.Carrier.Currency;
        var customer = deal.Account.CustomerId;
        var accounts = world.Accounts.Where(a => a.CustomerId == customer && a.Carrier.Currency == currency).Select(a => a.AccountId).ToHashSet(StringComparer.Ordinal);
        var dead = disputes.Where(d => d.Dispute.Status is FindingStatus.Rejected or FindingStatus.Closed).Select(d => d.Answer).ToHashSet();
        var counted = answers.Where(a => Validated.Contains(a.Rule) && a.Currency == currency && accounts.Contains(a.AccountId) && !dead.Contains(a)).ToList();
        var retired = deal.Retired.ToHashSet();
        foreach (var rule in deal.RetiredRules)
        {
            retired.UnionWith(counted.Where(a => a.Rule == rule).Select(a => world.Services.First(s => s.ServiceId == a.ServiceId && s.Account.AccountId == a.AccountId)));
        }

        var retiredIds = retired.Select(s => (s.ServiceId, s.Account.AccountId)).ToHashSet();
        var retiredMonthly = retired.Sum(s => runRates.GetValueOrDefault(s));
        var savings = counted.Where(a => a.ServiceId is null || !retiredIds.Contains((a.ServiceId, a.AccountId))).Sum(a => a.Monthly);
        var oneTime = counted.Sum(a => a.OneTime);
        var start = oneTime - deal.Items.Sum(i => i.OneTime);
        var net = retiredMonthly + savings - deal.Items.Sum(i => i.Monthly);
        int? month = net < 0 ? null : start + net >= 0 ? 1 : net == 0 ? null : (int)decimal.Ceiling(-start / net);
        return (month, string.Create(CultureInfo.InvariantCulture,
            $"retired {retiredMonthly:0.00}/month ({retired.Count} services), validated savings {savings:0.00}/month, validated one-time {oneTime:0.00}, upgrade {deal.Items.Sum(i => i.OneTime):0.00} + {deal.Items.Sum(i => i.Monthly):0.00}/month over {Months} months"));
    }
}
