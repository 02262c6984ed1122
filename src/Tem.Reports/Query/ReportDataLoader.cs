using DuckDB.NET.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using Tem.Audit;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Reports.Query;

/// <summary>Reads a <see cref="ReportData"/> from the lake, every query going through the scoped views of <see cref="TenantScope"/>.</summary>
internal static partial class ReportDataLoader
{
    /// <summary>The colour of sets printed without a party's brand.</summary>
    public const string DefaultColor = "#1F4E79";

    public static ReportData Load(TemLake lake, string? tenant, ICollection<string> warnings)
    {
        using var db = TenantScope.Open(lake, tenant);
        var parties = Parties(db);
        var brand = tenant is null
            ? new Brand("Tem", DefaultColor, null, null)
            : BrandOf(lake, parties[tenant], warnings);
        var findings = Findings(db);
        var accounts = Accounts(db);
        var resale = Margin(db);
        return new ReportData
        {
            Brand = brand,
            Tenant = tenant,
            Findings = findings,
            Parties = parties,
            Accounts = accounts,
            Services = Services(db),
            Spend = Spend(db),
            AccountSpend = AccountSpend(db),
            CostCentreSpend = CostCentreSpend(db),
            Disputes = Disputes(db, findings),
            Upgrade = Upgrade(db),
            ServiceRunRate = ServiceRunRate(db),
            Margin = resale,
            Credits = Credits(db),
            Customers = [.. accounts.Select(a => a.CustomerId).Concat(resale.Select(r => r.CustomerId)).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
            Window = Window(db),
            Channel = ChannelData.Load(db),
        };
    }

    /// <summary>The parties a full run writes a tenant set for: distributors, dealers, and any party named as a reseller.</summary>
    public static IReadOnlyList<PartyInfo> TenantParties(TemLake lake)
    {
        using var db = TenantScope.Open(lake, null);
        var parties = Parties(db);
        var resellers = db.Strings("SELECT reseller_id FROM account_versions WHERE reseller_id IS NOT NULL UNION SELECT reseller_id FROM resale").ToHashSet(StringComparer.Ordinal);
        return [.. parties.Values.Where(p => p.Kind is "distributor" or "dealer" || (resellers.Contains(p.PartyId) && p.Kind != "customer"))
            .OrderBy(p => p.PartyId, StringComparer.Ordinal)];
    }

    /// <summary>The currency most of the lake's accounts are billed in (ties: the first code in ordinal order); null without accounts.</summary>
    public static string? MostUsedCurrency(TemLake lake)
    {
        using var db = TenantScope.Open(lake, null);
        return db.Strings("SELECT currency FROM accounts WHERE currency IS NOT NULL GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1").FirstOrDefault();
    }

    /// <summary>Whether the lake's parties table has this party.</summary>
    public static PartyInfo? FindParty(TemLake lake, string partyId)
    {
        using var db = TenantScope.Open(lake, null);
        return Parties(db).GetValueOrDefault(partyId);
    }

    private static Dictionary<string, PartyInfo> Parties(DuckDBConnection db)
    {
        var map = new Dictionary<string, PartyInfo>(StringComparer.Ordinal);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT party_id, name, kind, parent_id, brand_name, brand_color, logo_file FROM parties ORDER BY source_file, source_line";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var p = new PartyInfo(r.GetString(0), r.GetString(1), r.GetString(2), Opt(r, 3), Opt(r, 4), Opt(r, 5), Opt(r, 6));
            map.TryAdd(p.PartyId, p);
        }

        return map;
    }

    private static IReadOnlyList<StoredFinding> Findings(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT * FROM findings ORDER BY finding_id";
        using var r = cmd.ExecuteReader();
        return FindingsFile.ReadRows(r);
    }

    private static List<AccountInfo> Accounts(DuckDBConnection db)
    {
        // accounts: the latest version of each account the set may see, one row each.
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT carrier, account_id, customer_id, bill_to_id, reseller_id, currency FROM accounts ORDER BY carrier, account_id";
        using var r = cmd.ExecuteReader();
        var list = new List<AccountInfo>();
        while (r.Read())
        {
            list.Add(new AccountInfo(r.GetString(0), r.GetString(1), Opt(r, 2), Opt(r, 3), Opt(r, 4), Opt(r, 5)));
        }

        return list;
    }

    private static List<ServiceInfo> Services(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT service_id, account_id, service_type, cost_center, user_name FROM services ORDER BY service_id, account_id";
        using var r = cmd.ExecuteReader();
        var list = new List<ServiceInfo>();
        while (r.Read())
        {
            list.Add(new ServiceInfo(r.GetString(0), r.GetString(1), r.GetString(2), Opt(r, 3), Opt(r, 4)));
        }

        return list;
    }

    private static List<MonthlySpend> Spend(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT carrier, currency, month, sum(amount) FROM charges GROUP BY ALL ORDER BY ALL";
        using var r = cmd.ExecuteReader();
        var list = new List<MonthlySpend>();
        while (r.Read())
        {
            list.Add(new MonthlySpend(r.GetString(0), CurrencyCode.Parse(r.GetString(1)), BillingMonth.Parse(r.GetString(2)), r.GetDecimal(3)));
        }

        return list;
    }

    private static List<AccountSpend> AccountSpend(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT carrier, account_id, currency, sum(amount) FROM charges GROUP BY ALL ORDER BY ALL";
        using var r = cmd.ExecuteReader();
        var list = new List<AccountSpend>();
        while (r.Read())
        {
            list.Add(new AccountSpend(r.GetString(0), r.GetString(1), CurrencyCode.Parse(r.GetString(2)), r.GetDecimal(3)));
        }

        return list;
    }

    private static List<CostCentreSpend> CostCentreSpend(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            WITH service AS (
                SELECT service_id, account_id, first(cost_center) AS cost_center FROM services GROUP BY ALL)
            SELECT CASE WHEN c.service_id IS NULL THEN '{AccountLevel}'
                        WHEN s.service_id IS NULL THEN '{NotInInventory}'
                        ELSE coalesce(nullif(trim(s.cost_center), ''), '{NoCostCentre}') END AS cost_centre,
                   c.currency, count(DISTINCT c.service_id)::INTEGER, sum(c.amount)
            FROM charges c LEFT JOIN service s ON s.service_id = c.service_id AND s.account_id = c.account_id
            GROUP BY ALL ORDER BY ALL
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<CostCentreSpend>();
        while (r.Read())
        {
            list.Add(new CostCentreSpend(r.GetString(0), CurrencyCode.Parse(r.GetString(1)), r.GetInt32(2), r.GetDecimal(3)));
        }

        return list;
    }

    /// <summary>Cost-centre label of account-level charges (no service).</summary>
    public const string AccountLevel = "(account level)";

    /// <summary>Cost-centre label of charges for a service missing from the inventory.</summary>
    public const string NotInInventory = "(not in inventory)";

    /// <summary>Cost-centre label of a service with an empty cost centre.</summary>
    public const string NoCostCentre = "(no cost centre)";

    /// <summary>
    /// Findings to claim from the carrier (action <c>dispute</c>, status open or disputed, a one-time amount) with
    /// their invoice lines: the <c>invoice#line</c> references of the evidence, or, for findings whose evidence
    /// names usage records (rate_overcharge, duplicate_usage), the usage lines of the service's invoice that month.
    /// </summary>
    private static List<DisputeItem> Disputes(DuckDBConnection db, IReadOnlyList<StoredFinding> findings)
    {
        var usageLines = new Dictionary<(string, string, string, string), List<string>>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT carrier, account_id, service_id, month, list(invoice_id || '#' || line_no::VARCHAR ORDER BY invoice_id, line_no)
                FROM charges WHERE charge_type = 'usage' AND service_id IS NOT NULL GROUP BY ALL
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                usageLines[(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3))] = [.. ((IEnumerable<string?>)r.GetValue(4)).OfType<string>()];
            }
        }

        var list = new List<DisputeItem>();
        foreach (var s in findings.Where(IsClaim))
        {
            var f = s.Finding;
            List<string> lines = [.. InvoiceLineRef().Matches(f.Evidence).Select(m => m.Value).Distinct(StringComparer.Ordinal)];
            if (lines.Count == 0 && f.ServiceId is not null && usageLines.TryGetValue((f.Carrier, f.AccountId, f.ServiceId, f.Period.ToString()), out var usage))
            {
                lines = usage;
            }

            list.Add(new DisputeItem(s, lines));
        }

        return list;
    }

    /// <summary>A finding the carrier is asked to credit: action dispute, a one-time amount, open or still waiting for the carrier (submitted, partially credited).</summary>
    public static bool IsClaim(StoredFinding s) =>
        s.Finding.RecommendedAction == RecommendedAction.Dispute && s.Finding.OneTimeAmount > 0
        && (s.Status == FindingStatus.Open || FindingStatuses.IsPending(s.Status));

    private static List<UpgradeItem> Upgrade(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT item, provider, role, one_time_cost, monthly_cost, provider_margin_pct::DECIMAL(18,6), deal_id, customer_id, currency, retires
            FROM upgrade ORDER BY source_file, source_line
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<UpgradeItem>();
        while (r.Read())
        {
            var retires = Opt(r, 9) is { } text
                ? text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
            list.Add(new UpgradeItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDecimal(3), r.GetDecimal(4), r.IsDBNull(5) ? null : r.GetDecimal(5),
                NullIfBlank(Opt(r, 6)), NullIfBlank(Opt(r, 7)), NullIfBlank(Opt(r, 8)), retires));
        }

        return list;
    }

    private static List<CreditReceived> Credits(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT e.finding_id, f.customer_id, f.currency, strftime(e.on_date, '%Y-%m'), e.amount
            FROM dispute_events e JOIN findings f ON f.finding_id = e.finding_id
            WHERE e.event = 'credit' AND e.amount IS NOT NULL AND e.on_date IS NOT NULL
            ORDER BY e.on_date, e.finding_id, e.recorded_at
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<CreditReceived>();
        while (r.Read())
        {
            list.Add(new CreditReceived(r.GetString(0), Opt(r, 1), CurrencyCode.Parse(r.GetString(2)), BillingMonth.Parse(r.GetString(3)), r.GetDecimal(4)));
        }

        return list;
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static List<ServiceSpend> ServiceRunRate(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            WITH latest AS (SELECT carrier, account_id, max(month) AS month FROM charges GROUP BY ALL),
            billed AS (
                SELECT c.carrier, c.account_id, c.service_id, c.currency, c.month, sum(c.amount) AS amount
                FROM charges c JOIN latest l ON l.carrier = c.carrier AND l.account_id = c.account_id AND l.month = c.month
                WHERE c.service_id IS NOT NULL AND c.charge_type NOT IN ('one_time', 'credit')
                GROUP BY ALL),
            -- A service whose carrier bill the set may not see (an end customer invoiced through its dealer): its spend
            -- is what it is billed for it, its resale lines.
            resold AS (
                SELECT a.carrier, v.account_id, r.service_id, r.currency, r.period AS month, sum(r.amount) AS amount
                FROM resale r
                JOIN services v ON v.service_id = r.service_id
                JOIN accounts a ON a.account_id = v.account_id
                WHERE NOT EXISTS (SELECT 1 FROM charges c WHERE c.service_id = r.service_id)
                GROUP BY a.carrier, v.account_id, r.service_id, r.currency, r.period)
            SELECT * FROM billed
            UNION ALL
            SELECT * FROM resold QUALIFY month = max(month) OVER (PARTITION BY carrier, account_id)
            ORDER BY ALL
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<ServiceSpend>();
        while (r.Read())
        {
            list.Add(new ServiceSpend(r.GetString(0), r.GetString(1), r.GetString(2), CurrencyCode.Parse(r.GetString(3)), BillingMonth.Parse(r.GetString(4)), r.GetDecimal(5)));
        }

        return list;
    }

    /// <summary>
    /// Carrier cost and resale billing per reseller, customer, service and month. Carrier cost is what the carrier
    /// invoices the reseller for (accounts whose bill-to is their reseller): every invoice line but taxes (passed
    /// through), credits netted, account-level lines (surcharges) under a null service. Resale is resale.csv.
    /// </summary>
    private static List<MarginMonth> Margin(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            WITH cost AS (
                -- The reseller that is invoiced for the account in that month (a transfer moves the months after it only).
                SELECT c.reseller_id, c.customer_id, c.carrier, c.account_id, c.service_id, c.currency, c.month, sum(c.amount) AS cost
                FROM tem_charge_parties c
                SEMI JOIN tem_sellers s ON s.party_id = c.reseller_id AND s.month = c.month
                WHERE c.reseller_id IS NOT NULL AND c.bill_to_id = c.reseller_id AND c.charge_type <> 'tax'
                GROUP BY ALL),
            sale AS (
                -- Only sellers whose margin the set may show (an end customer's own resale lines are its spend, not a margin).
                SELECT reseller_id, customer_id, service_id, period AS month, currency, sum(amount) AS resale
                FROM resale r SEMI JOIN tem_sellers s ON s.party_id = r.reseller_id AND s.month = r.period
                GROUP BY ALL),
            home AS (
                SELECT v.service_id, first(a.carrier ORDER BY a.carrier) AS carrier, first(a.account_id ORDER BY a.carrier) AS account_id
                FROM services v JOIN accounts a ON a.account_id = v.account_id GROUP BY v.service_id)
            SELECT coalesce(c.reseller_id, s.reseller_id), coalesce(c.customer_id, s.customer_id), coalesce(c.carrier, h.carrier),
                   coalesce(c.account_id, h.account_id), coalesce(c.service_id, s.service_id), coalesce(c.currency, s.currency),
                   coalesce(c.month, s.month), coalesce(c.cost, 0)::DECIMAL(18,4), coalesce(s.resale, 0)::DECIMAL(18,4), s.resale IS NOT NULL
            FROM cost c
            FULL JOIN sale s ON s.reseller_id = c.reseller_id AND s.customer_id = c.customer_id AND s.service_id = c.service_id
                            AND s.month = c.month AND s.currency = c.currency
            LEFT JOIN home h ON h.service_id = s.service_id
            ORDER BY 1, 2, 3, 4, 5 NULLS FIRST, 6, 7
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<MarginMonth>();
        while (r.Read())
        {
            list.Add(new MarginMonth(r.GetString(0), r.GetString(1), Opt(r, 2), Opt(r, 3), Opt(r, 4), CurrencyCode.Parse(r.GetString(5)),
                BillingMonth.Parse(r.GetString(6)), r.GetDecimal(7), r.GetDecimal(8), r.GetBoolean(9)));
        }

        return list;
    }

    private static (BillingMonth, BillingMonth)? Window(DuckDBConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT min(month), max(month) FROM charges";
        using var r = cmd.ExecuteReader();
        return r.Read() && !r.IsDBNull(0) ? (BillingMonth.Parse(r.GetString(0)), BillingMonth.Parse(r.GetString(1))) : null;
    }

    private static Brand BrandOf(TemLake lake, PartyInfo party, ICollection<string> warnings)
    {
        return new Brand(party.ReportName, ColorOr(party.BrandColor, DefaultColor), Logo.Load(lake, party, warnings), party.PartyId);
    }

    private static string? Opt(DuckDBDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[A-Za-z0-9][^\s,()#]*#[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex InvoiceLineRef();

    /// <summary>A <c>#RRGGBB</c> colour in upper case, or <paramref name="fallback"/> for anything else (it goes into CSS).</summary>
    public static string ColorOr(string? color, string fallback) =>
        color is not null && HexColor().IsMatch(color) ? color.ToUpperInvariant() : fallback;

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColor();
}
