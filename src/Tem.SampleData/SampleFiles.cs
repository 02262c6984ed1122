using System.Globalization;
using System.Text;
using Tem.Core;

namespace Tem.SampleData;

/// <summary>The canonical headers of formats.md, plus the answer key's.</summary>
internal static class Headers
{
    public static readonly string[] Parties = ["party_id", "name", "kind", "parent_id", "brand_name", "brand_color", "logo_file"];

    public static readonly string[] Accounts =
        ["account_id", "carrier", "customer_id", "bill_to_id", "reseller_id", "currency", "time_zone", "tax_exempt", "rate_plan_id"];

    public static readonly string[] Services =
        ["service_id", "account_id", "service_type", "plan_id", "status", "activated_on", "disconnected_on", "cost_center", "user_name"];

    public static readonly string[] Plans =
    [
        "plan_id", "carrier", "service_type", "name", "monthly_fee", "included_minutes", "included_sms", "included_data_mb",
        "overage_per_minute", "overage_per_sms", "overage_per_mb", "bandwidth_mbps", "effective_from", "effective_to",
    ];

    public static readonly string[] Rates =
    [
        "rate_plan_id", "prefix", "destination", "time_band", "rate_per_minute", "connect_fee", "initial_increment_s",
        "subsequent_increment_s", "effective_from", "effective_to",
    ];

    public static readonly string[] Invoices =
    [
        "invoice_id", "carrier", "account_id", "invoice_date", "period_start", "period_end", "line_no", "service_id", "charge_type",
        "description", "quantity", "unit_price", "amount", "currency",
    ];

    public static readonly string[] Usage =
    [
        "record_id", "carrier", "account_id", "service_id", "usage_type", "start_time", "duration_s", "called_number", "data_mb",
        "billed_amount", "invoice_id",
    ];

    public static readonly string[] CreditsDue = ["credit_id", "account_id", "service_id", "reason", "amount", "due_by_period"];

    public static readonly string[] Resale = ["reseller_id", "customer_id", "service_id", "period", "amount", "currency"];

    public static readonly string[] Upgrade =
        ["item", "provider", "role", "one_time_cost", "monthly_cost", "provider_margin_pct", "deal_id", "customer_id", "currency", "retires"];

    public static readonly string[] Disputes =
        ["rule", "carrier", "account_id", "service_id", "period", "status", "submitted_on", "reference", "amount_claimed", "amount_credited", "credited_on", "resolved_on", "note"];

    public static readonly string[] MoneyKey = ["item", "deal_id", "currency", "value", "note"];

    public static readonly string[] AnswerKey =
        ["rule", "carrier", "account_id", "service_id", "period", "one_time_amount", "monthly_savings", "currency", "note"];
}

/// <summary>Writes the files of a sample set.</summary>
internal static class SampleFiles
{
    public static void WriteReference(World world, string dir, IDictionary<string, long> rows)
    {
        using (var f = Open(dir, "parties.csv", Headers.Parties))
        {
            foreach (var p in world.Parties)
            {
                f.Text(p.PartyId).Text(p.Name).Text(WireNames.ToWire(p.Kind)).Text(p.ParentId).Text(p.BrandName).Text(p.BrandColor).Text(p.LogoFile).EndRow();
            }

            rows["parties.csv"] = f.Rows;
        }

        using (var f = Open(dir, "accounts.csv", Headers.Accounts))
        {
            foreach (var a in world.Accounts)
            {
                f.Text(a.AccountId).Text(a.Carrier.Name).Text(a.CustomerId).Text(a.BillToId).Text(a.ResellerId).Text(a.Carrier.Currency.Code)
                    .Text(a.ZoneId).Text(a.TaxExempt ? "true" : "false").Text(a.DeckId).EndRow();
            }

            rows["accounts.csv"] = f.Rows;
        }

        using (var f = Open(dir, "services.csv", Headers.Services))
        {
            foreach (var a in world.Accounts)
            {
                foreach (var s in a.Services)
                {
                    f.Text(s.ServiceId).Text(a.AccountId).Text(WireNames.ToWire(s.Type)).Text(s.Plan.PlanId).Text(WireNames.ToWire(s.Status))
                        .Date(s.ActivatedOn).Date(s.DisconnectedOn).Text(s.CostCenter).Text(s.UserName).EndRow();
                }
            }

            rows["services.csv"] = f.Rows;
        }

        using (var f = Open(dir, "plans.csv", Headers.Plans))
        {
            foreach (var p in world.Plans)
            {
                f.Text(p.PlanId).Text(p.Carrier).Text(WireNames.ToWire(p.ServiceType)).Text(p.Name).Money(p.MonthlyFee)
                    .Number(p.IncludedMinutes).Number(p.IncludedSms).Number(p.IncludedDataMb)
                    .Money(p.OveragePerMinute).Money(p.OveragePerSms).Money(p.OveragePerMb).Number(p.BandwidthMbps)
                    .Date(p.EffectiveFrom).Date(p.EffectiveTo).EndRow();
            }

            rows["plans.csv"] = f.Rows;
        }

        using (var f = Open(dir, "rates.csv", Headers.Rates))
        {
            foreach (var r in world.Rates)
            {
                f.Text(r.RatePlanId).Text(r.Prefix).Text(r.Destination).Text(WireNames.ToWire(r.TimeBand)).Money(r.RatePerMinute).Money(r.ConnectFee)
                    .Number(r.InitialIncrementS).Number(r.SubsequentIncrementS).Date(r.EffectiveFrom).Date(r.EffectiveTo).EndRow();
            }

            rows["rates.csv"] = f.Rows;
        }
    }

    /// <summary>Usage, invoices, resale and credits due, account by account (usage streamed); returns the answer key rows.</summary>
    public static List<AnswerRow> WriteActivity(World world, string dir, IDictionary<string, long> rows, Dictionary<ServiceDef, decimal> runRates)
    {
        ArgumentNullException.ThrowIfNull(runRates);
        var answers = new List<AnswerRow>();
        var synth = new UsageSynth(world);
        var buffer = new List<UsageRow>();
        long recordNo = 0;
        var months = world.Months.Count;

        using var usage = Open(dir, "usage.csv", Headers.Usage);
        using var invoices = Open(dir, "invoices.csv", Headers.Invoices);
        using var resale = Open(dir, "resale.csv", Headers.Resale);
        foreach (var account in world.Accounts)
        {
            var carrier = account.Carrier;
            var totals = new MonthTotals[account.Services.Count, months];
            for (var i = 0; i < account.Services.Count; i++)
            {
                var s = account.Services[i];
                for (var m = 0; m < months; m++)
                {
                    var t = totals[i, m] = new MonthTotals();
                    synth.Generate(s, m, buffer);
                    var invoiceId = account.InvoiceId(world.Months[m]);
                    foreach (var row in buffer)
                    {
                        recordNo++;
                        usage.Text(carrier.Code + recordNo.ToString("D10", CultureInfo.InvariantCulture)).Text(carrier.Name).Text(account.AccountId).Text(s.ServiceId)
                            .Text(WireNames.ToWire(row.Type)).Text(row.UtcText ? Format.UtcTimestamp(row.Start) : Format.Timestamp(row.Start))
                            .Number(row.DurationS).Text(row.CalledNumber).Number(row.DataMb).Money(row.Billed).Text(invoiceId).EndRow();
                        Accumulate(t, row, s.IsRated);
                    }
                }
            }

            var lines = Billing.Build(world, account, totals);
            var lineNo = 0;
            var invoiceMonth = -1;
            foreach (var line in lines)
            {
                if (line.InvoiceMonth != invoiceMonth)
                {
                    invoiceMonth = line.InvoiceMonth;
                    lineNo = 0;
                }

                lineNo++;
                var month = world.Months[line.InvoiceMonth];
                invoices.Text(account.InvoiceId(month)).Text(carrier.Name).Text(account.AccountId).Date(account.InvoiceDate(month))
                    .Date(line.PeriodStart).Date(line.PeriodEnd).Number(lineNo).Text(line.ServiceId).Text(WireNames.ToWire(line.Type))
                    .Text(line.Description).Number(line.Quantity).Money(line.UnitPrice).Money(line.Amount).Text(carrier.Currency.Code).EndRow();
            }

            // Each service's run rate: its lines in the account's latest billing month, one-time charges and credits aside.
            var latest = lines.Count == 0 ? default : lines.Max(l => l.BillingMonth);
            foreach (var line in lines.Where(l => l.Service is not null && l.BillingMonth == latest && l.Type is not (ChargeType.OneTime or ChargeType.Credit)))
            {
                runRates[line.Service!] = runRates.GetValueOrDefault(line.Service!) + line.Amount;
            }

            var charges = Billing.Charges(world, account, lines);
            var resold = new decimal?[account.Services.Count, months];
            if (account.IsResold)
            {
                for (var i = 0; i < account.Services.Count; i++)
                {
                    var s = account.Services[i];
                    for (var m = 0; m < months; m++)
                    {
                        if (charges[i, m] > 0 && Billing.Resale(world, s, m, charges[i, m]) is { } amount)
                        {
                            resold[i, m] = amount;
                            resale.Text(account.ResellerId).Text(account.CustomerId).Text(s.ServiceId).Text(world.Months[m].ToString())
                                .Money(amount).Text(carrier.Currency.Code).EndRow();
                        }
                    }
                }
            }

            answers.AddRange(Answers.ForAccount(world, account, totals, lines, charges, resold));
        }

        rows["usage.csv"] = usage.Rows;
        rows["invoices.csv"] = invoices.Rows;
        rows["resale.csv"] = resale.Rows;

        using (var f = Open(dir, "credits_due.csv", Headers.CreditsDue))
        {
            foreach (var c in world.Credits)
            {
                f.Text(c.CreditId).Text(c.Account.AccountId).Text(c.Service?.ServiceId).Text(c.Reason).Money(c.Amount).Text(c.DueBy.ToString()).EndRow();
            }

            rows["credits_due.csv"] = f.Rows;
        }

        return answers
            .OrderBy(a => Answers.Rules.ToList().IndexOf(a.Rule))
            .ThenBy(a => a.Carrier, StringComparer.Ordinal)
            .ThenBy(a => a.AccountId, StringComparer.Ordinal)
            .ThenBy(a => a.ServiceId ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(a => a.Period)
            .ToList();
    }

    public static void WriteAnswerKey(IReadOnlyList<AnswerRow> answers, string dir, IDictionary<string, long> rows)
    {
        using var f = Open(dir, "answer_key.csv", Headers.AnswerKey);
        foreach (var a in answers)
        {
            f.Text(a.Rule).Text(a.Carrier).Text(a.AccountId).Text(a.ServiceId).Text(a.Period.ToString())
                .Money(a.OneTime).Money(a.Monthly).Text(a.Currency.Code).Text(a.Note).EndRow();
        }

        rows["answer_key.csv"] = f.Rows;
    }

    public static void WriteLogo(string dir)
    {
        var logos = Path.Combine(dir, "logos");
        Directory.CreateDirectory(logos);
        const string svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"64\" viewBox=\"0 0 240 64\">\n"
            + "  <rect width=\"64\" height=\"64\" rx=\"12\" fill=\"#0B6E4F\"/>\n"
            + "  <path d=\"M14 46 L32 18 L50 46 Z\" fill=\"#FFFFFF\"/>\n"
            + "  <text x=\"76\" y=\"41\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"22\" fill=\"#0B6E4F\">Harbor Connect</text>\n"
            + "</svg>\n";
        File.WriteAllText(Path.Combine(logos, "harbor-connect.svg"), svg, new UTF8Encoding(false));
    }

    private static void Accumulate(MonthTotals t, UsageRow row, bool rated)
    {
        t.Records++;
        t.Billed += row.Billed;
        if (row.Copy)
        {
            t.Copies++;
            t.CopiesBilled += row.Billed;
        }

        if (row.Planted)
        {
            t.PlantedRecords++;
        }

        switch (row.Type)
        {
            case UsageType.Voice:
                t.VoiceMinutes += (row.DurationS + 59) / 60;
                if (rated && row.Billed > row.Cost)
                {
                    t.Overcharge += row.Billed - row.Cost;
                    t.OverchargedCalls++;
                }

                break;
            case UsageType.Sms:
                t.Sms++;
                break;
            default:
                t.DataMb += row.DataMb;
                break;
        }
    }

    private static CsvSink Open(string dir, string name, IReadOnlyList<string> header) => new(Path.Combine(dir, name), header);
}
