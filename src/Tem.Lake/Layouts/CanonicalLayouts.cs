using Tem.Core;

namespace Tem.Lake.Layouts;

/// <summary>The canonical layouts of formats.md, one per kind of input.</summary>
public static class CanonicalLayouts
{
    private static FieldSpec Id(string name, bool required = true) => new(name, FieldType.Id, required);

    private static FieldSpec Text(string name, bool required = false) => new(name, FieldType.Text, required);

    private static FieldSpec Date(string name, bool required = true) => new(name, FieldType.Date, required);

    private static FieldSpec Money(string name, bool required = true, bool nonNegative = false) =>
        new(name, FieldType.Money, required) { NonNegative = nonNegative };

    private static FieldSpec Quantity(string name, bool required = false) => new(name, FieldType.Quantity, required) { NonNegative = true };

    private static FieldSpec Enum<TEnum>(string name, bool required = true)
        where TEnum : struct, System.Enum =>
        new(name, FieldType.Enum, required) { Values = [.. WireNames.All<TEnum>()] };

    /// <summary>
    /// parties.csv: who is who in the channel. Optional <c>valid_from</c> / <c>valid_to</c> date a version of a party
    /// (its parent, brand...); the lake keeps every version (<see cref="Layout.VersionKey"/>).
    /// </summary>
    public static Layout Parties { get; } = new("parties", "parties", LoadMode.Replace,
    [
        Id("party_id"), Text("name", required: true), Enum<PartyKind>("kind"), Id("parent_id", required: false),
        new("brand_name", FieldType.Text, InHeader: false), new("brand_color", FieldType.Color, InHeader: false),
        new("logo_file", FieldType.Text, InHeader: false), Date("valid_from", required: false) with { InHeader = false },
        Date("valid_to", required: false) with { InHeader = false },
    ])
    { VersionKey = ["party_id"] };

    /// <summary>
    /// accounts.csv: carrier billing accounts. Optional <c>valid_from</c> / <c>valid_to</c> date a version of an
    /// account's relationships (customer, bill-to, reseller); the lake keeps every version.
    /// </summary>
    public static Layout Accounts { get; } = new("accounts", "accounts", LoadMode.Replace,
    [
        Id("account_id"), Id("carrier"), Id("customer_id"), Id("bill_to_id"), Id("reseller_id", required: false),
        new("currency", FieldType.Currency, Required: true), new("time_zone", FieldType.TimeZone, Required: true), new("tax_exempt", FieldType.Boolean, Required: true),
        Id("rate_plan_id", required: false), Date("valid_from", required: false) with { InHeader = false },
        Date("valid_to", required: false) with { InHeader = false },
    ])
    { VersionKey = ["carrier", "account_id"] };

    /// <summary>services.csv: inventory of lines and circuits.</summary>
    public static Layout Services { get; } = new("services", "services", LoadMode.Replace,
    [
        Id("service_id"), Id("account_id"), Enum<ServiceType>("service_type"), Id("plan_id", required: false),
        Enum<ServiceStatus>("status"), Date("activated_on"), Date("disconnected_on", required: false),
        Text("cost_center"), new("user_name", FieldType.Text, InHeader: false),
    ]);

    /// <summary>plans.csv: contracted plan catalogue.</summary>
    public static Layout Plans { get; } = new("plans", "plans", LoadMode.Replace,
    [
        Id("plan_id"), Id("carrier"), Enum<ServiceType>("service_type"), Text("name", required: true),
        Money("monthly_fee", nonNegative: true), Quantity("included_minutes"), Quantity("included_sms"), Quantity("included_data_mb"),
        Money("overage_per_minute", required: false, nonNegative: true), Money("overage_per_sms", required: false, nonNegative: true),
        Money("overage_per_mb", required: false, nonNegative: true), new("bandwidth_mbps", FieldType.Quantity, InHeader: false) { NonNegative = true },
        Date("effective_from"), Date("effective_to", required: false),
    ]);

    /// <summary>
    /// rates.csv: contracted usage rate deck. Optional <c>from_second</c> (rate groups by elapsed seconds) and the deck
    /// settings <c>band_split</c>, <c>rounding</c> and <c>rounding_decimals</c> (formats.md, "Rating"); a file without
    /// them rates as before.
    /// </summary>
    public static Layout Rates { get; } = new("rates", "rates", LoadMode.Replace,
    [
        Id("rate_plan_id"), new("prefix", FieldType.Phone, Required: true), Text("destination"), Enum<TimeBand>("time_band"),
        Money("rate_per_minute", nonNegative: true), Money("connect_fee", nonNegative: true),
        new("initial_increment_s", FieldType.WholeNumber, Required: true) { NonNegative = true },
        new("subsequent_increment_s", FieldType.WholeNumber, Required: true) { NonNegative = true },
        Date("effective_from"), Date("effective_to", required: false),
        new("from_second", FieldType.WholeNumber, InHeader: false) { NonNegative = true },
        new("band_split", FieldType.Boolean, InHeader: false),
        Enum<CostRounding>("rounding", required: false) with { InHeader = false },
        new("rounding_decimals", FieldType.WholeNumber, InHeader: false) { NonNegative = true },
    ]);

    /// <summary>invoices.csv: carrier bill detail, one row per invoice line (lake table <c>charges</c>).</summary>
    public static Layout Invoices { get; } = new("invoices", "charges", LoadMode.Append,
    [
        Id("invoice_id"), Id("carrier"), Id("account_id"), Date("invoice_date"), Date("period_start"), Date("period_end"),
        new("line_no", FieldType.WholeNumber, Required: true) { NonNegative = true }, Id("service_id", required: false),
        Enum<ChargeType>("charge_type"), Text("description"), new("quantity", FieldType.Quantity),
        Money("unit_price", required: false), Money("amount"), new("currency", FieldType.Currency, Required: true),
    ])
    { PartitionBy = ["carrier", "month"], RecordKey = ["carrier", "account_id", "invoice_id", "line_no"] };

    /// <summary>usage.csv: carrier usage records.</summary>
    public static Layout Usage { get; } = new("usage", "usage", LoadMode.Append,
    [
        Id("record_id"), Id("carrier"), Id("account_id"), Id("service_id"), Enum<UsageType>("usage_type"),
        new("start_time", FieldType.Timestamp, Required: true), new("duration_s", FieldType.WholeNumber) { NonNegative = true },
        new("called_number", FieldType.Phone), Quantity("data_mb"), Money("billed_amount"), Id("invoice_id", required: false),
    ])
    { PartitionBy = ["carrier", "month"], RecordKey = ["carrier", "record_id"] };

    /// <summary>credits_due.csv: credits the carrier owes.</summary>
    public static Layout CreditsDue { get; } = new("credits_due", "credits_due", LoadMode.Append,
    [
        Id("credit_id"), Id("account_id"), Id("service_id", required: false), Text("reason"), Money("amount", nonNegative: true),
        new("due_by_period", FieldType.Month, Required: true),
    ])
    { RecordKey = ["account_id", "credit_id"] };

    /// <summary>
    /// resale.csv: what a reseller bills its end customers. A record is a reseller's line for a service and month, so a
    /// corrected resale.csv at the path of an earlier one is a change (a conflict, or <c>--replace</c>), not more lines.
    /// </summary>
    public static Layout Resale { get; } = new("resale", "resale", LoadMode.Append,
    [
        Id("reseller_id"), Id("customer_id"), Id("service_id"), new("period", FieldType.Month, Required: true), Money("amount"),
        new("currency", FieldType.Currency, Required: true),
    ])
    { RecordKey = ["reseller_id", "service_id", "period"] };

    /// <summary>
    /// upgrade.csv: the proposals the found money should pay for, one line per item. Optional columns: <c>deal_id</c>
    /// (lines of one deal form one proposal; none: one deal), <c>customer_id</c> (the client of the deal, whose found
    /// money funds it), <c>currency</c> (of the prices), <c>retires</c> (what the upgrade replaces, <c>;</c>-separated:
    /// service ids, and <c>rule:&lt;rule_id&gt;</c> for the savings of a rule's findings it captures).
    /// </summary>
    public static Layout Upgrade { get; } = new("upgrade", "upgrade", LoadMode.Replace,
    [
        Text("item", required: true), Id("provider"), Enum<ProviderRole>("role"), Money("one_time_cost", nonNegative: true),
        Money("monthly_cost", nonNegative: true), new("provider_margin_pct", FieldType.Quantity, Required: true) { NonNegative = true },
        new("deal_id", FieldType.Text, InHeader: false), new("customer_id", FieldType.Text, InHeader: false),
        new("currency", FieldType.Currency, InHeader: false), new("retires", FieldType.Text, InHeader: false),
    ]);

    /// <summary>
    /// pbx_calls: the client's own record of its calls, from a PBX (Asterisk <c>Master.csv</c>, Cisco CUCM CDR files),
    /// reconciled against carrier usage by the <c>pbx_unmatched</c> rule. Numbers are kept as the PBX wrote them
    /// (extensions, <c>s</c>, <c>anonymous</c>, feature codes are all real values), so they are text, not checked
    /// phone numbers; views add <c>called_digits</c>.
    /// </summary>
    public static Layout PbxCalls { get; } = new("pbx_calls", "pbx_calls", LoadMode.Append,
    [
        Id("pbx"), Id("source_format"), Id("record_id", required: false), Id("call_id", required: false),
        new("start_time", FieldType.Timestamp, Required: true), new("answer_time", FieldType.Timestamp, InHeader: false),
        new("end_time", FieldType.Timestamp, InHeader: false),
        new("duration_s", FieldType.WholeNumber, Required: true) { NonNegative = true },
        new("billsec_s", FieldType.WholeNumber, Required: true) { NonNegative = true },
        Text("calling_number"), Text("called_number"), new("original_called_number", FieldType.Text, InHeader: false),
        Enum<CallDisposition>("disposition"), new("cause_code", FieldType.WholeNumber, InHeader: false) { NonNegative = true },
        new("channel", FieldType.Text, InHeader: false), new("dst_channel", FieldType.Text, InHeader: false),
        new("context", FieldType.Text, InHeader: false), new("account_code", FieldType.Text, InHeader: false),
        new("orig_ip", FieldType.Text, InHeader: false), new("dest_ip", FieldType.Text, InHeader: false),

        // Billed time in milliseconds where the PBX records it (FreeSWITCH billmsec); added in issue 18, so lakes
        // written before lack it and read it as NULL.
        new("billed_ms", FieldType.WholeNumber, InHeader: false) { NonNegative = true, AddedLater = true },
    ])
    { PartitionBy = ["pbx", "month"], RecordKey = ["pbx", "record_id"] };

    /// <summary>Every canonical layout.</summary>
    public static IReadOnlyList<Layout> All { get; } = [Parties, Accounts, Services, Plans, Rates, Invoices, Usage, CreditsDue, Resale, Upgrade, PbxCalls];

    /// <summary>The layout of a kind name (case-insensitive), or null.</summary>
    public static Layout? ByKind(string kind) =>
        All.FirstOrDefault(l => string.Equals(l.Kind, kind, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Recognises a file's kind from its header: the layout all of whose header columns are present; when
    /// several qualify, the one that explains most of the header. Null when none qualifies.
    /// </summary>
    public static Layout? Recognise(IReadOnlyCollection<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var names = new HashSet<string>(header.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        return All
            .Where(l => l.HeaderColumns.All(f => names.Contains(f.Name)))
            .OrderByDescending(l => l.Fields.Count(f => names.Contains(f.Name)))
            .ThenBy(l => l.Fields.Count)
            .FirstOrDefault();
    }

    /// <summary>
    /// The layout a header that <see cref="Recognise"/> does not take was most likely meant to be, with the header
    /// columns it lacks: at least two thirds of that layout's header columns (and two or more) are present, and they
    /// are more than half of the header. Null when no layout comes that close (the file is something else altogether,
    /// such as a report with a few column names in common).
    /// </summary>
    public static (Layout Layout, IReadOnlyList<string> Missing)? Closest(IReadOnlyCollection<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var names = new HashSet<string>(header.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        var best = All
            .Select(l => (Layout: l, Present: l.HeaderColumns.Count(f => names.Contains(f.Name)), Wanted: l.HeaderColumns.Count()))
            .Where(x => x.Present >= 2 && x.Present * 3 >= x.Wanted * 2 && x.Present * 2 > names.Count)
            .OrderByDescending(x => (double)x.Present / x.Wanted)
            .ThenByDescending(x => x.Present)
            .FirstOrDefault();
        return best.Layout is null
            ? null
            : (best.Layout, [.. best.Layout.HeaderColumns.Where(f => !names.Contains(f.Name)).Select(f => f.Name)]);
    }
}
