using System.Globalization;
using Tem.Core;

namespace Tem.SampleData;

/// <summary>One row of answer_key.csv: a finding the audit must produce, with the amounts audit.md defines.</summary>
internal sealed record AnswerRow(
    string Rule, string Carrier, string AccountId, string? ServiceId, BillingMonth Period, decimal OneTime, decimal Monthly, CurrencyCode Currency, string Note);

/// <summary>Computes the answer key of one account from what was actually generated and billed.</summary>
internal static class Answers
{
    /// <summary>Every rule the sample set plants, in the order of audit.md.</summary>
    public static readonly IReadOnlyList<string> Rules =
    [
        "rate_overcharge", "duplicate_usage", "duplicate_recurring", "billed_after_disconnect", "unknown_service",
        "recurring_above_contract", "missing_credit", "tax_on_exempt", "usage_mismatch", "unused_service", "oversized_plan",
        "unbilled_resale", "resold_below_cost", "spend_anomaly", "usage_anomaly",
    ];

    private const string Exact = "expected=exact; ";
    private const string Approximate = "expected=approximate (the model decides the amount); ";

    public static List<AnswerRow> ForAccount(
        World world, AccountDef account, MonthTotals[,] totals, List<InvoiceLine> lines, decimal[,] charges, decimal?[,] resale)
    {
        var rows = new List<AnswerRow>();
        var last = world.Months[world.Last];
        for (var i = 0; i < account.Services.Count; i++)
        {
            var s = account.Services[i];
            switch (s.Plant)
            {
                case Plant.RateOverchargeOldRate:
                {
                    var m = world.ChangeMonth;
                    var t = totals[i, m];
                    rows.Add(Row("rate_overcharge", s, world.Months[m], t.Overcharge, 0m, Invariant(
                        $"{Exact}{t.OverchargedCalls} calls to United Kingdom (prefix 44) billed at the old 0.05/min after the {world.RateChangeDate:yyyy-MM-dd} price change to 0.04/min")));
                    break;
                }

                case Plant.RateOverchargePeakForOffpeak:
                {
                    var m = world.Last - 2;
                    var t = totals[i, m];
                    rows.Add(Row("rate_overcharge", s, world.Months[m], t.Overcharge, 0m, Invariant(
                        $"{Exact}{t.OverchargedCalls} offpeak calls to UK numbers billed at the peak price")));
                    break;
                }

                case Plant.DuplicateUsageTwoCalls or Plant.DuplicateUsageThreeCopies:
                {
                    var m = s.Plant == Plant.DuplicateUsageTwoCalls ? world.Last - 1 : world.Last;
                    var t = totals[i, m];
                    var how = s.Plant == Plant.DuplicateUsageTwoCalls
                        ? "2 calls each re-emitted once with a new record_id"
                        : "1 call re-emitted twice with new record_ids, once with its start_time written in UTC (Z): same instant";
                    rows.Add(Row("duplicate_usage", s, world.Months[m], t.CopiesBilled, 0m, Invariant($"{Exact}{how}; {t.Copies} extra copies")));
                    break;
                }

                case Plant.DuplicateRecurringSameInvoice:
                    rows.Add(Row("duplicate_recurring", s, world.Months[world.Last - 1], s.Plan.MonthlyFee, 0m,
                        $"{Exact}the monthly fee appears twice on the same invoice"));
                    break;

                case Plant.DuplicateRecurringNextInvoice:
                    rows.Add(Row("duplicate_recurring", s, world.Months[world.Last - 2], s.Plan.MonthlyFee, 0m, Invariant(
                        $"{Exact}the {world.Months[world.Last - 2]} fee is billed again on the next month's invoice (period_start in {world.Months[world.Last - 2]})")));
                    break;

                case Plant.DisconnectedMidMonth or Plant.DisconnectedMonthEnd:
                {
                    var gone = s.DisconnectedOn!.Value;
                    var byMonth = lines
                        .Where(l => l.Service == s && l.Type != ChargeType.Credit && l.BillingMonth.First > gone)
                        .GroupBy(l => l.BillingMonth)
                        .OrderBy(g => g.Key)
                        .ToList();
                    foreach (var g in byMonth)
                    {
                        var latest = g.Key == byMonth[^1].Key;
                        var recurring = latest ? g.Where(l => l.Type == ChargeType.Recurring).Select(l => l.Amount).LastOrDefault() : 0m;
                        rows.Add(Row("billed_after_disconnect", s, g.Key, g.Sum(l => l.Amount), recurring, Invariant(
                            $"{Exact}disconnected_on {gone:yyyy-MM-dd}, still billed{(latest ? "; monthly_savings is the latest recurring amount" : string.Empty)}")));
                    }

                    break;
                }

                case Plant.AboveContractThreeMonths or Plant.AboveContractLatest:
                {
                    var fee = s.Plan.MonthlyFee;
                    var over = lines
                        .Where(l => l.Service == s && l.Type == ChargeType.Recurring && l.PeriodStart == l.BillingMonth.First
                            && l.PeriodEnd == l.BillingMonth.Last && l.Amount - fee > 0.01m)
                        .OrderBy(l => l.PeriodStart)
                        .ToList();
                    foreach (var l in over)
                    {
                        var latest = l == over[^1];
                        rows.Add(Row("recurring_above_contract", s, l.BillingMonth, l.Amount - fee, latest ? l.Amount - fee : 0m, Invariant(
                            $"{Exact}billed {l.Amount:0.00} against the contracted {fee:0.00} of {s.Plan.PlanId}")));
                    }

                    break;
                }

                case Plant.UsageMismatchRated or Plant.UsageMismatchMobile:
                {
                    var m = s.Plant == Plant.UsageMismatchRated ? world.Last : world.Last - 1;
                    var billedLines = lines.Where(l => l.Service == s && l.InvoiceMonth == m && l.Type == ChargeType.Usage).Sum(l => l.Amount);
                    var records = totals[i, m].Billed;
                    rows.Add(Row("usage_mismatch", s, world.Months[m], billedLines - records, 0m, Invariant(
                        $"{Exact}usage lines total {billedLines:0.00##}, usage records total {records:0.00##}")));
                    break;
                }

                case Plant.UnusedMobile or Plant.UnusedVoiceLine:
                {
                    var latest = lines.Last(l => l.Service == s && l.Type == ChargeType.Recurring && l.InvoiceMonth == world.Last);
                    rows.Add(Row("unused_service", s, last, 0m, latest.Amount, Invariant(
                        $"{Exact}no usage record in {world.Months[world.Last - 2]}..{last}, still billed; action cancel{(s.Type == ServiceType.Mobile ? "; would also fit a cheaper plan but unused services are excluded from oversized_plan" : string.Empty)}")));
                    break;
                }

                case Plant.OversizedToSmall or Plant.OversizedToMedium:
                {
                    var (plan, u) = CheapestCovering(world, s, totals, i);
                    var saving = s.Plan.MonthlyFee - plan.MonthlyFee;
                    if (saving < 1.00m)
                    {
                        throw new InvalidOperationException($"Generator bug: {s.ServiceId} is not oversized.");
                    }

                    rows.Add(Row("oversized_plan", s, last, 0m, saving, Invariant(
                        $"{Exact}recommended_plan_id={plan.PlanId}; max of the last 3 months: {u.Minutes} min, {u.Sms} SMS, {u.DataMb:0.##} MB")));
                    break;
                }

                case Plant.UnbilledResaleEarlier or Plant.UnbilledResaleLatest:
                {
                    var m = s.Plant == Plant.UnbilledResaleEarlier ? world.Last - 1 : world.Last;
                    rows.Add(Row("unbilled_resale", s, world.Months[m], charges[i, m], 0m, Invariant(
                        $"{Exact}no resale.csv line from {account.ResellerId} for this month; amount = carrier recurring + usage")));
                    break;
                }

                case Plant.ResoldAtPlanFee or Plant.ResoldBelowFee:
                {
                    var m = world.Last;
                    var shortfall = charges[i, m] - resale[i, m]!.Value;
                    rows.Add(Row("resold_below_cost", s, last, 0m, shortfall, Invariant(
                        $"{Exact}resold at {resale[i, m]:0.00} against carrier charges of {charges[i, m]:0.00##} in {last}")));
                    break;
                }

                case Plant.SpendSpike:
                {
                    var m = world.Last - 1;
                    rows.Add(Row("spend_anomaly", s, world.Months[m], AboveBaseline(world, charges, i, m), 0m, Invariant(
                        $"{Approximate}one-month spike: {totals[i, m].PlantedRecords} long international calls; amount = charges minus the mean of the other months")));
                    break;
                }

                case Plant.TollFraud:
                {
                    var m = world.Last - 2;
                    var t = totals[i, m];
                    rows.Add(Row("spend_anomaly", s, world.Months[m], AboveBaseline(world, charges, i, m), 0m, Invariant(
                        $"{Approximate}toll-fraud burst; amount = charges minus the mean of the other months")));
                    rows.Add(Row("usage_anomaly", s, world.Months[m], 0m, 0m, Invariant(
                        $"{Approximate}{t.PlantedRecords} calls to +882 (premium) and +53 (Cuba) started within one hour after 01:12 local on a Saturday night")));
                    break;
                }
            }
        }

        foreach (var g in world.UnknownCharges.Where(u => u.Account == account).GroupBy(u => (u.ServiceId, u.Month)))
        {
            rows.Add(Row("unknown_service", account, g.Key.ServiceId, world.Months[g.Key.Month], g.Sum(u => u.Amount), 0m,
                $"{Exact}service_id not in services.csv; action investigate"));
        }

        foreach (var tax in lines.Where(l => l.Type == ChargeType.Tax && account.TaxExempt))
        {
            rows.Add(Row("tax_on_exempt", account, null, tax.BillingMonth, tax.Amount, 0m, $"{Exact}{tax.Description} on a tax-exempt account"));
        }

        var lastInvoice = account.InvoiceDate(last);
        foreach (var credit in world.Credits.Where(x => x.Account == account && x.HonouredOnInvoiceMonth is null && lastInvoice > x.DueBy.Last))
        {
            rows.Add(Row("missing_credit", account, credit.Service?.ServiceId, credit.DueBy, credit.Amount, 0m, Invariant(
                $"{Exact}{credit.CreditId} ({credit.Reason}) due by {credit.DueBy}, never credited; period = due_by_period")));
        }

        return rows;
    }

    /// <summary>The oversized_plan rule for one line: the cheapest plan effective in the latest month that covers its peak usage.</summary>
    public static (Plan Plan, (long Minutes, int Sms, decimal DataMb) Usage) CheapestCovering(World world, ServiceDef s, MonthTotals[,] totals, int i)
    {
        long minutes = 0;
        var sms = 0;
        var mb = 0m;
        for (var m = world.Last - 2; m <= world.Last; m++)
        {
            minutes = Math.Max(minutes, totals[i, m].VoiceMinutes);
            sms = Math.Max(sms, totals[i, m].Sms);
            mb = Math.Max(mb, totals[i, m].DataMb);
        }

        var last = world.Months[world.Last];
        var plan = world.Plans
            .Where(p => p.Carrier == s.Plan.Carrier && p.ServiceType == s.Type && p.EffectiveFrom <= last.First && (p.EffectiveTo is null || p.EffectiveTo >= last.Last))
            .Where(p => (p.IncludedMinutes is null || p.IncludedMinutes >= minutes) && (p.IncludedSms is null || p.IncludedSms >= sms)
                && (p.IncludedDataMb is null || p.IncludedDataMb >= mb))
            .OrderBy(p => p.MonthlyFee)
            .First();
        return (plan, (minutes, sms, mb));
    }

    private static decimal AboveBaseline(World world, decimal[,] charges, int i, int m)
    {
        var others = Enumerable.Range(0, world.Months.Count).Where(k => k != m).Select(k => charges[i, k]).ToList();
        return Rounding.HalfAwayFromZero(charges[i, m] - (others.Sum() / others.Count), 2);
    }

    private static AnswerRow Row(string rule, ServiceDef s, BillingMonth period, decimal oneTime, decimal monthly, string note) =>
        Row(rule, s.Account, s.ServiceId, period, oneTime, monthly, note);

    private static AnswerRow Row(string rule, AccountDef a, string? serviceId, BillingMonth period, decimal oneTime, decimal monthly, string note) =>
        new(rule, a.Carrier.Name, a.AccountId, serviceId, period, oneTime, monthly, a.Carrier.Currency, note);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
