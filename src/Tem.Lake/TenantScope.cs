using System.Globalization;
using DuckDB.NET.Data;
using Tem.DuckDb;

namespace Tem.Lake;

/// <summary>
/// What one party of the channel may see of the lake, applied in SQL: every table is a view in the schema <c>rpt</c>
/// and the connection's search path is set to it, so queries name plain tables (<c>findings</c>, <c>charges</c>...)
/// and cannot reach a row or a column outside the scope by accident. Reports read through it; <c>tem sql --tenant</c>
/// reads a copy of it (<see cref="OpenCopy"/>) with nothing else in the database. Without a tenant the views are the
/// lake's tables unchanged.
/// </summary>
/// <remarks>
/// The rules (docs/channel.md), month by month with the relationships in force in each billing month
/// (<c>party_versions</c>, <c>account_versions</c>, <see cref="TemLake.InForceMacro"/>):
/// <list type="bullet">
/// <item><b>Scope</b> <c>S(m)</c>: the tenant and every party below it by the parent links in force in month m;
/// <b>own</b>: the tenant when it is a customer, and the customers below it through customers only.</item>
/// <item>An <b>account-month</b> is the tenant's when its bill-to or reseller is in S(m), or its customer is in S(m)
/// and it has no reseller or the customer is own (another seller's account of a customer is that seller's).</item>
/// <item>Its <b>carrier cost</b> (invoice lines, usage prices, findings, credits owed, plan prices) is visible only when
/// the bill-to is in S(m), or the reseller is and sold it as agent (the customer pays the carrier): an end customer
/// never sees what its dealer pays, a dealer never what a lessor pays. Usage of an account-month without it keeps its
/// records with <c>billed_amount</c> NULL.</item>
/// <item>Findings whose money is a reseller's (<c>money_kind</c> reseller) only when the reseller is in S(m).</item>
/// <item><b>Resale</b> lines: the seller's when it is in S(m), the buyer's own spend when the customer is own.</item>
/// <item><b>Upgrade</b> proposals: the deals of customers in scope; a provider's margin only when the provider is in
/// scope (the others' price stays, their margin is NULL).</item>
/// <item><b>Parties</b>: those in scope, those above the tenant, providers, and the parties named on its accounts and
/// resale lines.</item>
/// </list>
/// Besides the tables, <c>tem_sellers(party_id, month)</c> names the sellers whose margin the scope may show and
/// <c>tem_billing_months(month)</c> the lake's billing months (charges or resale), month labels only, so a series
/// of a scope can count a month it has no row of as 0.
/// </remarks>
public static class TenantScope
{
    /// <summary>The tables every scope has, each a view in <c>rpt</c> (a copy holds them as tables).</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        "parties", "party_versions", "accounts", "account_versions", "services", "plans", "rates", "charges", "usage", "credits_due", "resale",
        "upgrade", "findings", "dispute_events", "credit_matches",
    ];

    /// <summary>Opens an in-memory connection over the lake with the scope of <paramref name="tenant"/> (null: everything).</summary>
    public static DuckDBConnection Open(TemLake lake, string? tenant, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var db = LakeSession.InMemory(options ?? new SessionOptions { Threads = 2 });
        try
        {
            lake.CreateViews(db);
            if (!Exists(db, "findings"))
            {
                db.Execute($"CREATE VIEW main.findings AS {FindingsFile.EmptySelect}");
            }

            db.Execute("CREATE SCHEMA rpt");
            db.Execute(TemLake.InForceMacro.Replace("MACRO tem_in_force", "MACRO rpt.tem_in_force", StringComparison.Ordinal));
            // The lake's billing months. Usage months come from its partition folders (month=YYYY-MM), not from a scan
            // of millions of records. A tenant's scope uses them many times (tables); the full scope seldom (views).
            var usageMonths = UsageMonths(lake);
            var kind = tenant is null ? "VIEW" : "TABLE";
            db.Execute($"""
                CREATE {kind} rpt.tem_months AS
                SELECT DISTINCT month FROM (
                    SELECT month FROM main.charges UNION SELECT period FROM main.resale
                    UNION SELECT period FROM main.findings UNION SELECT due_by_period FROM main.credits_due
                    UNION SELECT unnest([{string.Join(", ", usageMonths.Select(SqlQuote.Literal))}]::VARCHAR[]))
                WHERE month IS NOT NULL;
                -- The lake's billing months (charges or resale; a credit due alone makes none), whatever the scope holds of them.
                CREATE {kind} rpt.tem_billing_months AS
                SELECT DISTINCT month FROM (SELECT month FROM main.charges UNION SELECT period FROM main.resale) WHERE month IS NOT NULL;
                CREATE {kind} rpt.tem_party_month AS
                SELECT m.month, p.party_id, p.parent_id, p.kind
                FROM main.party_versions p JOIN rpt.tem_months m ON tem_in_force(p.valid_from, p.valid_to, m.month);
                """);
            if (tenant is null)
            {
                Everything(db);
            }
            else
            {
                Restrict(db, tenant);
            }

            // Each visible invoice line with the parties of the account version in force in its month: who the customer
            // is, who pays and who sold it then (the margins and the channel view both read a reseller's cost from it).
            db.Execute("""
                CREATE VIEW rpt.tem_charge_parties AS
                SELECT c.*, a.customer_id, a.bill_to_id, a.reseller_id
                FROM rpt.charges c
                JOIN rpt.account_versions a ON a.carrier = c.carrier AND a.account_id = c.account_id AND tem_in_force(a.valid_from, a.valid_to, c.month)
                """);

            // A finding's dispute history and proposed credit matches: only those of the findings in scope.
            db.Execute("CREATE VIEW rpt.dispute_events AS SELECT e.* FROM main.dispute_events e SEMI JOIN rpt.findings f ON f.finding_id = e.finding_id");
            db.Execute("CREATE VIEW rpt.credit_matches AS SELECT m.* FROM main.credit_matches m SEMI JOIN rpt.findings f ON f.finding_id = m.finding_id");
            db.Execute("SET search_path = 'rpt'");
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A database holding only the scope of <paramref name="tenant"/>: each of <see cref="Tables"/> copied as a table
    /// into <c>main</c>, the lake's views, macros, the scope's own tables and the cache of the files read dropped, so
    /// nothing in it reads or names a lake file. For <c>tem sql --tenant</c>, whose session then turns off file access
    /// altogether.
    /// </summary>
    public static DuckDBConnection OpenCopy(TemLake lake, string tenant, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var db = Open(lake, tenant, options);
        try
        {
            db.Execute("SET search_path = 'main'");
            db.Execute("CREATE SCHEMA tenant");
            foreach (var table in Tables)
            {
                db.Execute($"CREATE TABLE tenant.\"{table}\" AS SELECT * FROM rpt.\"{table}\"");
            }

            db.Execute("DROP SCHEMA rpt CASCADE");
            foreach (var view in db.Strings("SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"))
            {
                db.Execute($"DROP VIEW IF EXISTS main.\"{view}\"");
            }

            foreach (var macro in db.Strings("SELECT DISTINCT function_name FROM duckdb_functions() WHERE schema_name = 'main' AND function_type = 'macro' AND NOT internal"))
            {
                db.Execute($"DROP MACRO IF EXISTS main.\"{macro}\"");
            }

            foreach (var table in Tables)
            {
                db.Execute($"CREATE TABLE main.\"{table}\" AS SELECT * FROM tenant.\"{table}\"");
            }

            db.Execute("DROP SCHEMA tenant CASCADE");

            // DuckDB keeps the Parquet it read cached, listed with the files' paths (every partition's carrier and month,
            // not only the tenant's) by duckdb_external_file_cache(); turning the cache off empties it.
            db.Execute("SET enable_external_file_cache = false");
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private static void Everything(DuckDBConnection db)
    {
        foreach (var table in Tables.Except(["dispute_events", "credit_matches"]))
        {
            db.Execute($"CREATE VIEW rpt.\"{table}\" AS SELECT * FROM main.\"{table}\"");
        }

        // Every party may be a seller whose margin a full report shows.
        db.Execute("""
            CREATE VIEW rpt.tem_sellers AS
            SELECT DISTINCT s.party_id, m.month FROM (
                SELECT party_id FROM main.parties UNION SELECT reseller_id FROM main.account_versions WHERE reseller_id IS NOT NULL
                UNION SELECT reseller_id FROM main.resale) s, rpt.tem_months m
            """);
    }

    private static void Restrict(DuckDBConnection db, string tenant)
    {
        var t = SqlQuote.Literal(tenant);
        db.Execute(string.Create(CultureInfo.InvariantCulture, $"""
            -- S(m) and own(m): the tenant and what is below it in each month; own = reached through customers only.
            CREATE TABLE rpt.tem_scope AS
            WITH RECURSIVE below(month, party_id, own) AS (
                SELECT month, party_id, kind = 'customer' FROM rpt.tem_party_month WHERE party_id = {t}
                UNION
                SELECT p.month, p.party_id, b.own AND p.kind = 'customer'
                FROM rpt.tem_party_month p JOIN below b ON p.parent_id = b.party_id AND p.month = b.month)
            SELECT month, party_id, bool_or(own) AS own FROM below GROUP BY ALL;

            CREATE VIEW rpt.tem_sellers AS SELECT party_id, month FROM rpt.tem_scope;

            -- The parties above the tenant (its latest version's chain), whose names and brands its reports may show.
            CREATE TABLE rpt.tem_scope_above AS
            WITH RECURSIVE above(party_id) AS (
                SELECT parent_id FROM main.parties WHERE party_id = {t} AND parent_id IS NOT NULL
                UNION
                SELECT p.parent_id FROM main.parties p JOIN above a ON p.party_id = a.party_id WHERE p.parent_id IS NOT NULL)
            SELECT DISTINCT party_id FROM above;

            -- The tenant's account-months, with whether their carrier cost is its to see.
            CREATE TABLE rpt.tem_account_month AS
            SELECT m.month, a.carrier, a.account_id, a.valid_from, a.rate_plan_id,
                   b.party_id IS NOT NULL OR (r.party_id IS NOT NULL AND a.bill_to_id = a.customer_id) AS cost_visible,
                   r.party_id IS NOT NULL AS sold_in_scope
            FROM main.account_versions a
            JOIN rpt.tem_months m ON tem_in_force(a.valid_from, a.valid_to, m.month)
            LEFT JOIN rpt.tem_scope b ON b.month = m.month AND b.party_id = a.bill_to_id
            LEFT JOIN rpt.tem_scope r ON r.month = m.month AND r.party_id = a.reseller_id
            LEFT JOIN rpt.tem_scope c ON c.month = m.month AND c.party_id = a.customer_id
            WHERE b.party_id IS NOT NULL OR r.party_id IS NOT NULL OR (c.party_id IS NOT NULL AND (a.reseller_id IS NULL OR c.own));

            CREATE TABLE rpt.tem_scope_accounts AS SELECT DISTINCT carrier, account_id FROM rpt.tem_account_month;

            -- services.csv and credits_due.csv have no carrier: an account id that an out-of-scope account of another
            -- carrier also uses cannot be told apart, so its rows stay out.
            CREATE TABLE rpt.tem_scope_service_accounts AS
            SELECT account_id FROM rpt.tem_scope_accounts
            EXCEPT
            SELECT a.account_id FROM main.account_versions a ANTI JOIN rpt.tem_scope_accounts s ON s.carrier = a.carrier AND s.account_id = a.account_id;

            CREATE VIEW rpt.account_versions AS
            SELECT a.* FROM main.account_versions a
            WHERE EXISTS (SELECT 1 FROM rpt.tem_account_month s
                          WHERE s.carrier = a.carrier AND s.account_id = a.account_id AND s.valid_from IS NOT DISTINCT FROM a.valid_from);

            CREATE VIEW rpt.accounts AS
            SELECT * FROM rpt.account_versions
            QUALIFY row_number() OVER (PARTITION BY carrier, account_id ORDER BY valid_from DESC NULLS LAST) = 1;

            CREATE VIEW rpt.charges AS
            SELECT c.* FROM main.charges c
            SEMI JOIN rpt.tem_account_month s ON s.carrier = c.carrier AND s.account_id = c.account_id AND s.month = c.month AND s.cost_visible;

            CREATE VIEW rpt.usage AS
            SELECT u.* REPLACE (CASE WHEN s.cost_visible THEN u.billed_amount END AS billed_amount)
            FROM main.usage u
            JOIN rpt.tem_account_month s ON s.carrier = u.carrier AND s.account_id = u.account_id AND s.month = u.month;

            CREATE VIEW rpt.findings AS
            SELECT f.* FROM main.findings f
            SEMI JOIN rpt.tem_account_month s
                ON s.carrier = f.carrier AND s.account_id = f.account_id AND s.month = f.period AND s.cost_visible
               AND (f.money_kind IS DISTINCT FROM 'reseller' OR s.sold_in_scope);

            CREATE VIEW rpt.services AS
            SELECT v.* FROM main.services v WHERE v.account_id IN (SELECT account_id FROM rpt.tem_scope_service_accounts);

            CREATE VIEW rpt.credits_due AS
            SELECT d.* FROM main.credits_due d
            WHERE d.account_id IN (SELECT account_id FROM rpt.tem_scope_service_accounts)
              AND EXISTS (SELECT 1 FROM rpt.tem_account_month s WHERE s.account_id = d.account_id AND s.month = d.due_by_period AND s.cost_visible)
              -- Without a carrier, a credit on an account id two carriers share is the tenant's only when both are.
              AND NOT EXISTS (SELECT 1 FROM rpt.tem_account_month s WHERE s.account_id = d.account_id AND s.month = d.due_by_period AND NOT s.cost_visible);

            CREATE VIEW rpt.resale AS
            SELECT r.* FROM main.resale r
            WHERE EXISTS (SELECT 1 FROM rpt.tem_scope s
                          WHERE s.month = r.period AND (s.party_id = r.reseller_id OR (s.party_id = r.customer_id AND s.own)));

            -- Carrier prices are carrier cost: those of carriers (and rate decks) of account-months whose cost it sees.
            CREATE VIEW rpt.plans AS
            SELECT * FROM main.plans WHERE carrier IN (SELECT carrier FROM rpt.tem_account_month WHERE cost_visible);

            CREATE VIEW rpt.rates AS
            SELECT * FROM main.rates WHERE rate_plan_id IN (SELECT rate_plan_id FROM rpt.tem_account_month WHERE cost_visible AND rate_plan_id IS NOT NULL);

            CREATE VIEW rpt.upgrade AS
            SELECT u.* REPLACE (CASE WHEN u.provider IN (SELECT party_id FROM rpt.tem_scope) THEN u.provider_margin_pct END AS provider_margin_pct)
            FROM main.upgrade u
            WHERE u.customer_id IN (SELECT party_id FROM rpt.tem_scope);

            CREATE TABLE rpt.tem_named AS
            SELECT party_id FROM rpt.tem_scope
            UNION SELECT party_id FROM rpt.tem_scope_above
            UNION SELECT party_id FROM main.parties WHERE kind = 'provider'
            UNION SELECT unnest([customer_id, bill_to_id, reseller_id]) FROM rpt.account_versions
            UNION SELECT unnest([reseller_id, customer_id]) FROM rpt.resale
            UNION SELECT provider FROM rpt.upgrade;

            CREATE VIEW rpt.party_versions AS
            SELECT p.* FROM main.party_versions p WHERE p.party_id IN (SELECT party_id FROM rpt.tem_named WHERE party_id IS NOT NULL);

            CREATE VIEW rpt.parties AS
            SELECT p.* FROM main.parties p WHERE p.party_id IN (SELECT party_id FROM rpt.tem_named WHERE party_id IS NOT NULL);
            """));
    }

    /// <summary>The distinct <c>month=</c> partition values of the usage files readers see.</summary>
    private static SortedSet<string> UsageMonths(TemLake lake)
    {
        var months = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in lake.ReadManifest().Paths("usage"))
        {
            foreach (var part in path.Split('/'))
            {
                if (part.StartsWith("month=", StringComparison.Ordinal) && part.Length == "month=YYYY-MM".Length)
                {
                    months.Add(part["month=".Length..]);
                }
            }
        }

        return months;
    }

    private static bool Exists(DuckDBConnection db, string view) =>
        db.Scalar<long>("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'main' AND view_name = $1", view) > 0;
}
