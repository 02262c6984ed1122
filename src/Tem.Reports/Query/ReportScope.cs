using DuckDB.NET.Data;
using System.Globalization;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Reports.Query;

/// <summary>
/// The tenant scope, applied in SQL: every table a report reads is a view in the schema <c>rpt</c>, and the
/// connection's search path is set to it, so report queries name plain tables (<c>findings</c>, <c>charges</c>...)
/// and cannot reach a row outside the scope by accident. For a tenant, <c>rpt.tem_scope</c> is the tenant and every
/// party below it (a recursive walk over <c>parties.parent_id</c>; <c>UNION</c> stops at cycles), and each view keeps
/// only rows whose customer is in it. Without a tenant the views are the lake's tables unchanged.
/// </summary>
internal static class ReportScope
{
    /// <summary>Opens an in-memory connection over the lake with the scope of <paramref name="tenant"/> (null: everything).</summary>
    public static DuckDBConnection Open(TemLake lake, string? tenant)
    {
        var db = LakeSession.InMemory(new SessionOptions { Threads = 2 });
        try
        {
            lake.CreateViews(db);
            if (!Exists(db, "findings"))
            {
                db.Execute($"CREATE VIEW main.findings AS {FindingsFile.EmptySelect}");
            }

            db.Execute("CREATE SCHEMA rpt");
            if (tenant is null)
            {
                foreach (var table in Tables)
                {
                    db.Execute($"CREATE VIEW rpt.{table} AS SELECT * FROM main.{table}");
                }
            }
            else
            {
                Restrict(db, tenant);
            }

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

    /// <summary>The lake tables a report reads, each a view in <c>rpt</c>.</summary>
    private static readonly string[] Tables =
        ["parties", "accounts", "services", "plans", "charges", "usage", "credits_due", "resale", "upgrade", "findings"];

    private static void Restrict(DuckDBConnection db, string tenant)
    {
        var t = SqlQuote.Literal(tenant);
        db.Execute(string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TABLE rpt.tem_scope AS
            WITH RECURSIVE below(party_id) AS (
                SELECT party_id FROM main.parties WHERE party_id = {t}
                UNION
                SELECT p.party_id FROM main.parties p JOIN below b ON p.parent_id = b.party_id)
            SELECT DISTINCT party_id FROM below;

            CREATE TABLE rpt.tem_scope_above AS
            WITH RECURSIVE above(party_id) AS (
                SELECT parent_id FROM main.parties WHERE party_id = {t} AND parent_id IS NOT NULL
                UNION
                SELECT p.parent_id FROM main.parties p JOIN above a ON p.party_id = a.party_id WHERE p.parent_id IS NOT NULL)
            SELECT DISTINCT party_id FROM above;

            -- An account is in scope when every row of it (accounts.csv may list one twice) names a customer in scope.
            CREATE TABLE rpt.tem_scope_accounts AS
            SELECT a.carrier, a.account_id
            FROM main.accounts a LEFT JOIN rpt.tem_scope s ON s.party_id = a.customer_id
            GROUP BY a.carrier, a.account_id
            HAVING bool_and(s.party_id IS NOT NULL);

            -- services.csv has no carrier: an account id that an out-of-scope account of another carrier also uses
            -- cannot be told apart, so its services stay out.
            CREATE TABLE rpt.tem_scope_service_accounts AS
            SELECT account_id FROM rpt.tem_scope_accounts
            EXCEPT
            SELECT a.account_id FROM main.accounts a ANTI JOIN rpt.tem_scope_accounts s ON s.carrier = a.carrier AND s.account_id = a.account_id;

            CREATE VIEW rpt.accounts AS
            SELECT a.* FROM main.accounts a SEMI JOIN rpt.tem_scope_accounts s ON s.carrier = a.carrier AND s.account_id = a.account_id;

            CREATE VIEW rpt.charges AS
            SELECT c.* FROM main.charges c SEMI JOIN rpt.tem_scope_accounts s ON s.carrier = c.carrier AND s.account_id = c.account_id;

            CREATE VIEW rpt.usage AS
            SELECT u.* FROM main.usage u SEMI JOIN rpt.tem_scope_accounts s ON s.carrier = u.carrier AND s.account_id = u.account_id;

            CREATE VIEW rpt.findings AS
            SELECT f.* FROM main.findings f
            SEMI JOIN rpt.tem_scope_accounts s ON s.carrier = f.carrier AND s.account_id = f.account_id
            WHERE f.customer_id IN (SELECT party_id FROM rpt.tem_scope);

            CREATE VIEW rpt.services AS
            SELECT v.* FROM main.services v WHERE v.account_id IN (SELECT account_id FROM rpt.tem_scope_service_accounts);

            CREATE VIEW rpt.credits_due AS
            SELECT d.* FROM main.credits_due d WHERE d.account_id IN (SELECT account_id FROM rpt.tem_scope_service_accounts);

            CREATE VIEW rpt.resale AS
            SELECT r.* FROM main.resale r WHERE r.customer_id IN (SELECT party_id FROM rpt.tem_scope);

            -- Parties a tenant's report may name: its own tree, the parties above it, the providers, and the
            -- bill-to and reseller parties of its accounts (a lessor invoiced for one of its customers).
            CREATE VIEW rpt.parties AS
            SELECT p.* FROM main.parties p
            WHERE p.party_id IN (SELECT party_id FROM rpt.tem_scope)
               OR p.party_id IN (SELECT party_id FROM rpt.tem_scope_above)
               OR p.kind = 'provider'
               OR p.party_id IN (SELECT bill_to_id FROM rpt.accounts UNION SELECT reseller_id FROM rpt.accounts WHERE reseller_id IS NOT NULL
                                 UNION SELECT reseller_id FROM rpt.resale);

            CREATE VIEW rpt.plans AS SELECT * FROM main.plans;
            CREATE VIEW rpt.upgrade AS SELECT * FROM main.upgrade;
            """));
    }

    private static bool Exists(DuckDBConnection db, string view)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'main' AND view_name = $1";
        cmd.Parameters.AddValue(view);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }
}
