using DuckDB.NET.Data;
using Tem.Core;

namespace Tem.Reports.Query;

/// <summary>What a seller billed one customer in one billing month and currency: the sum of its resale lines.</summary>
internal sealed record ChannelSale(string SellerId, string CustomerId, CurrencyCode Currency, BillingMonth Month, decimal Amount);

/// <summary>
/// Carrier charges of one customer's account-months in one billing month and currency, taxes excluded, credits netted.
/// <paramref name="SellerId"/> is the reseller the carrier invoices (bill-to = reseller in the account version in force
/// that month); null for the direct channel (account-months with no reseller).
/// </summary>
internal sealed record ChannelCost(string? SellerId, string CustomerId, CurrencyCode Currency, BillingMonth Month, decimal Amount);

/// <summary>
/// A party's version in force in a billing month: its parent and kind then, and whether the set may show it as a
/// seller that month (<c>tem_sellers</c>).
/// </summary>
internal sealed record PartyMonth(string PartyId, BillingMonth Month, string? ParentId, string Kind, bool IsSeller);

/// <summary>
/// The channel view's raw figures, read through the scoped views of <see cref="Lake.TenantScope"/>: resale and
/// reseller-invoiced carrier cost of the sellers in <c>tem_sellers</c>, the direct channel's carrier cost, and the
/// parent links in force per month for the distributor rollup. <see cref="Files.ChannelReport"/> computes MRR, churn,
/// retention and profit from it.
/// </summary>
internal sealed record ChannelData
{
    public static ChannelData Empty { get; } = new() { Months = [], Sales = [], Costs = [], Links = [] };

    /// <summary>The lake's billing months (those with charges or resale lines), ordered.</summary>
    public required IReadOnlyList<BillingMonth> Months { get; init; }

    public required IReadOnlyList<ChannelSale> Sales { get; init; }

    public required IReadOnlyList<ChannelCost> Costs { get; init; }

    public required IReadOnlyList<PartyMonth> Links { get; init; }

    /// <summary>Whether the set has anything of a seller: a resale line or carrier cost invoiced to a reseller.</summary>
    public bool HasSellerData => Sales.Count > 0 || Costs.Any(c => c.SellerId is not null);

    /// <summary>Reads the channel figures over <paramref name="db"/>, a connection of <see cref="Lake.TenantScope.Open"/>.</summary>
    public static ChannelData Load(DuckDBConnection db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var months = new List<BillingMonth>();
        Read(db, "SELECT month FROM tem_billing_months ORDER BY month", r => months.Add(BillingMonth.Parse(r.GetString(0))));

        // Only sellers whose margin the set may show: an end customer's own resale lines are its spend, not a sale.
        var sales = new List<ChannelSale>();
        Read(db, """
            SELECT r.reseller_id, r.customer_id, r.currency, r.period, sum(r.amount)
            FROM resale r SEMI JOIN tem_sellers s ON s.party_id = r.reseller_id AND s.month = r.period
            GROUP BY ALL ORDER BY ALL
            """,
            r => sales.Add(new ChannelSale(r.GetString(0), r.GetString(1), CurrencyCode.Parse(r.GetString(2)), BillingMonth.Parse(r.GetString(3)), r.GetDecimal(4))));

        // The account version in force in the charge's month decides who pays it: a transfer moves the months after it only.
        // Agent-model account-months (a reseller, invoiced to someone else) are nobody's channel cost here.
        var costs = new List<ChannelCost>();
        Read(db, """
            SELECT l.reseller_id, l.customer_id, l.currency, l.month, sum(l.amount)
            FROM tem_charge_parties l
            WHERE l.charge_type <> 'tax' AND (l.reseller_id IS NULL
               OR (l.bill_to_id = l.reseller_id AND EXISTS (SELECT 1 FROM tem_sellers s WHERE s.party_id = l.reseller_id AND s.month = l.month)))
            GROUP BY ALL ORDER BY ALL
            """,
            r => costs.Add(new ChannelCost(r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1), CurrencyCode.Parse(r.GetString(2)),
                BillingMonth.Parse(r.GetString(3)), r.GetDecimal(4))));

        var links = new List<PartyMonth>();
        Read(db, """
            SELECT p.party_id, m.month, p.parent_id, p.kind,
                   EXISTS (SELECT 1 FROM tem_sellers s WHERE s.party_id = p.party_id AND s.month = m.month)
            FROM party_versions p JOIN tem_billing_months m ON tem_in_force(p.valid_from, p.valid_to, m.month)
            QUALIFY row_number() OVER (PARTITION BY p.party_id, m.month ORDER BY p.valid_from DESC NULLS LAST) = 1
            ORDER BY 1, 2
            """,
            r => links.Add(new PartyMonth(r.GetString(0), BillingMonth.Parse(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetBoolean(4))));

        return new ChannelData { Months = months, Sales = sales, Costs = costs, Links = links };
    }

    private static void Read(DuckDBConnection db, string sql, Action<DuckDBDataReader> row)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            row(r);
        }
    }
}
