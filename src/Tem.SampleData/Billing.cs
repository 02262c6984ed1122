using System.Globalization;
using Tem.Core;

namespace Tem.SampleData;

/// <summary>Usage totals of one service in one month, as generated.</summary>
internal sealed class MonthTotals
{
    public decimal Billed { get; set; }

    public decimal Overcharge { get; set; }

    public decimal CopiesBilled { get; set; }

    public int Copies { get; set; }

    public int Records { get; set; }

    public int OverchargedCalls { get; set; }

    public int PlantedRecords { get; set; }

    public long VoiceMinutes { get; set; }

    public int Sms { get; set; }

    public decimal DataMb { get; set; }
}

/// <summary>One invoice line before numbering.</summary>
internal sealed record InvoiceLine(
    int InvoiceMonth, DateOnly PeriodStart, DateOnly PeriodEnd, ServiceDef? Service, string? ServiceId, ChargeType Type, string Description,
    decimal Quantity, decimal UnitPrice, decimal Amount)
{
    public BillingMonth BillingMonth => BillingMonth.FromDate(PeriodStart);

    public static InvoiceLine Flat(int month, BillingMonth period, ServiceDef? service, string? serviceId, ChargeType type, string description, decimal amount) =>
        new(month, period.First, period.Last, service, serviceId, type, description, 1m, amount, amount);
}

/// <summary>Builds an account's invoice lines for every month, the way its carrier bills (with the planted errors).</summary>
internal static class Billing
{
    public const decimal AboveContractIncrease = 25.00m;
    public const decimal MismatchRated = 12.34m;
    public const decimal MismatchMobileRoaming = 18.50m;
    public const decimal ResoldBelowFeeBy = 6.00m;

    public static List<InvoiceLine> Build(World world, AccountDef account, MonthTotals[,] totals)
    {
        var lines = new List<InvoiceLine>();
        var c = account.Carrier;
        for (var m = 0; m < world.Months.Count; m++)
        {
            var month = world.Months[m];
            var start = lines.Count;
            var billedServices = 0;
            for (var i = 0; i < account.Services.Count; i++)
            {
                var s = account.Services[i];
                var fee = s.Plan.MonthlyFee;
                var recurring = Recurring(world, s, m);
                if (recurring is not null)
                {
                    billedServices++;
                    lines.Add(recurring);
                    if (s.Plant == Plant.DuplicateRecurringSameInvoice && m == world.Last - 1)
                    {
                        lines.Add(recurring);
                    }
                }

                if (s.Plant == Plant.DuplicateRecurringNextInvoice && m == world.Last - 1)
                {
                    // Last month's fee billed again on this invoice (same period, same amount).
                    var previous = world.Months[m - 1];
                    lines.Add(new InvoiceLine(m, previous.First, previous.Last, s, s.ServiceId, ChargeType.Recurring, s.Plan.Name + " - monthly", 1m, fee, fee));
                }

                var usage = totals[i, m].Billed;
                if (s.Plant == Plant.UsageMismatchRated && m == world.Last)
                {
                    usage += MismatchRated;
                }

                if (usage > 0)
                {
                    lines.Add(InvoiceLine.Flat(m, month, s, s.ServiceId, ChargeType.Usage, UsageDescription(s), usage));
                }

                if (s.Plant == Plant.UsageMismatchMobile && m == world.Last - 1)
                {
                    lines.Add(InvoiceLine.Flat(m, month, s, s.ServiceId, ChargeType.Usage, "International roaming usage", MismatchMobileRoaming));
                }

                if (account.IsDirect && BillingMonth.FromDate(s.ActivatedOn) == month)
                {
                    lines.Add(InvoiceLine.Flat(m, month, s, s.ServiceId, ChargeType.OneTime, "Activation fee", c.ActivationFee));
                }

                foreach (var credit in world.Credits.Where(x => x.Service == s && x.HonouredOnInvoiceMonth == m))
                {
                    lines.Add(InvoiceLine.Flat(m, month, s, s.ServiceId, ChargeType.Credit, credit.Reason, -credit.Amount));
                }

                // A carrier's answer to a dispute: a credit on a later bill.
                foreach (var d in world.Disputes.Where(x => x.Service == s && x.Credit?.InvoiceMonth == m))
                {
                    lines.Add(InvoiceLine.Flat(m, month, s, s.ServiceId, ChargeType.Credit, d.Credit!.Description, -d.Credit.Amount));
                }
            }

            foreach (var unknown in world.UnknownCharges.Where(u => u.Account == account && u.Month == m))
            {
                lines.Add(InvoiceLine.Flat(m, month, null, unknown.ServiceId, unknown.Type, unknown.Description, unknown.Amount));
            }

            if (c.SurchargePerService > 0 && billedServices > 0)
            {
                var amount = c.SurchargePerService * billedServices;
                lines.Add(new InvoiceLine(m, month.First, month.Last, null, null, ChargeType.Surcharge, "Regulatory cost recovery fee", billedServices, c.SurchargePerService, amount));
            }

            foreach (var credit in world.Credits.Where(x => x.Account == account && x.Service is null && x.HonouredOnInvoiceMonth == m))
            {
                lines.Add(InvoiceLine.Flat(m, month, null, null, ChargeType.Credit, credit.Reason, -credit.Amount));
            }

            var taxed = !account.TaxExempt || (world.TaxOnExempt.TryGetValue(account, out var months) && months.Contains(m));
            var subtotal = 0m;
            for (var k = start; k < lines.Count; k++)
            {
                subtotal += lines[k].Amount;
            }

            if (taxed && subtotal > 0)
            {
                lines.Add(InvoiceLine.Flat(m, month, null, null, ChargeType.Tax, c.TaxName, Rounding.HalfAwayFromZero(subtotal * c.TaxRate, 2)));
            }
        }

        return lines;
    }

    /// <summary>The month's recurring line of a service, or null when it is not billed that month.</summary>
    private static InvoiceLine? Recurring(World world, ServiceDef s, int m)
    {
        var month = world.Months[m];
        var fee = s.Plan.MonthlyFee;
        var description = s.Plan.Name + " - monthly";
        if (s.DisconnectedOn is { } gone && gone < month.First)
        {
            // Planted billed_after_disconnect: the carrier keeps billing the full fee after the disconnection.
            return s.Plant is Plant.DisconnectedMidMonth or Plant.DisconnectedMonthEnd
                ? new InvoiceLine(m, month.First, month.Last, s, s.ServiceId, ChargeType.Recurring, description, 1m, fee, fee)
                : null;
        }

        var from = s.ActivatedOn > month.First ? s.ActivatedOn : month.First;
        var to = s.DisconnectedOn is { } d && d < month.Last ? d : month.Last;
        if (from > to)
        {
            return null;
        }

        var daysInMonth = DateTime.DaysInMonth(month.Year, month.Month);
        var days = to.DayNumber - from.DayNumber + 1;
        if (days < daysInMonth)
        {
            var share = (decimal)days / daysInMonth;
            var prorated = Rounding.HalfAwayFromZero(fee * days / daysInMonth, 2);
            var text = string.Create(CultureInfo.InvariantCulture, $"{description} (pro rata {days}/{daysInMonth} days)");
            return new InvoiceLine(m, from, to, s, s.ServiceId, ChargeType.Recurring, text, Rounding.HalfAwayFromZero(share, 4), fee, prorated);
        }

        var amount = s.Plant switch
        {
            Plant.AboveContractThreeMonths when m >= world.Last - 2 => fee + AboveContractIncrease,
            Plant.AboveContractLatest when m == world.Last => Rounding.HalfAwayFromZero(fee * 1.10m, 2),
            _ => fee,
        };
        return new InvoiceLine(m, month.First, month.Last, s, s.ServiceId, ChargeType.Recurring, description, 1m, amount, amount);
    }

    private static string UsageDescription(ServiceDef s) => s.Type switch
    {
        ServiceType.Mobile => "Usage outside bundle",
        ServiceType.SipTrunk => "Outbound calls (SIP)",
        _ => "Outbound calls",
    };

    /// <summary>Carrier charges (recurring + usage) per service and billing month (by the month of <c>period_start</c>).</summary>
    public static decimal[,] Charges(World world, AccountDef account, List<InvoiceLine> lines)
    {
        var charges = new decimal[account.Services.Count, world.Months.Count];
        foreach (var line in lines)
        {
            if (line.Service is { } s && line.Type is ChargeType.Recurring or ChargeType.Usage)
            {
                var m = BillingMonth.MonthsBetween(world.Months[0], line.BillingMonth);
                charges[account.Services.IndexOf(s), m] += line.Amount;
            }
        }

        return charges;
    }

    /// <summary>What the reseller bills its customer for a service and month; null when it forgets (planted unbilled_resale).</summary>
    public static decimal? Resale(World world, ServiceDef s, int m, decimal charges)
    {
        if ((s.Plant == Plant.UnbilledResaleEarlier && m == world.Last - 1) || (s.Plant == Plant.UnbilledResaleLatest && m == world.Last))
        {
            return null;
        }

        return s.Plant switch
        {
            Plant.ResoldAtPlanFee => s.Plan.MonthlyFee,
            Plant.ResoldBelowFee => s.Plan.MonthlyFee - ResoldBelowFeeBy,
            _ => decimal.Ceiling(charges * (1m + s.ResaleMargin) * 100m) / 100m,
        };
    }
}
