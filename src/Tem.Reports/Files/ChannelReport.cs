using Tem.Core;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>A seller's churn and net revenue retention in one billing month, against the billing month before it.</summary>
/// <param name="Month">The month.</param>
/// <param name="Churned">Customers with MRR (above zero) the month before and none (zero or less) in this month.</param>
/// <param name="MrrLost">Their MRR of the month before.</param>
/// <param name="Nrr">
/// MRR this month of the customers that had MRR the month before, divided by their MRR the month before (a ratio, 1 =
/// 100 %); null when no customer had MRR the month before.
/// </param>
internal sealed record Retention(BillingMonth Month, int Churned, decimal MrrLost, decimal? Nrr);

/// <summary>A customer's MRR with one seller, one value per month of <see cref="ChannelReport.Months"/> (0 without resale that month).</summary>
internal sealed record CustomerMrr(string CustomerId, IReadOnlyList<decimal> Mrr);

/// <summary>
/// A seller's MRR in one currency, one value per month of <see cref="ChannelReport.Months"/>; its churn and retention
/// per month from the second one (<see cref="Retention"/>), net revenue retention over the window (last month against
/// the first, the same definition), and its customers' MRR.
/// </summary>
internal sealed record SellerMrr(
    string SellerId, CurrencyCode Currency, IReadOnlyList<decimal> Mrr, IReadOnlyList<Retention> Retention, decimal? WindowNrr, IReadOnlyList<CustomerMrr> Customers)
{
    public int Churned => Retention.Sum(r => r.Churned);

    public decimal MrrLost => Retention.Sum(r => r.MrrLost);
}

/// <summary>What a row of the profit view is.</summary>
internal enum ProfitLevel
{
    /// <summary>A seller's own resale and carrier cost.</summary>
    Seller,

    /// <summary>Every seller of one currency, each counted once (the direct channel is not in it).</summary>
    Total,

    /// <summary>What one seller adds to a distributor's rollup: its figures of the months it was below it (or the distributor's own).</summary>
    RollupPart,

    /// <summary>A distributor's rollup: its own figures and those of every seller below it, month by month.</summary>
    Rollup,

    /// <summary>A seller's figures for one of its customers.</summary>
    Customer,

    /// <summary>A customer's carrier cost on account-months with no reseller: no channel sale.</summary>
    Direct,
}

/// <summary>
/// One row of the profit view in one currency, over the months in <paramref name="Months"/>. Cost is carrier charges
/// but taxes (credits netted); sale is resale billing, null for the direct channel (there is no channel sale).
/// </summary>
/// <param name="Level">What the row is.</param>
/// <param name="Currency">The currency of every amount of the row.</param>
/// <param name="PartyId">The seller, the customer, or (rollup) the distributor or the seller that adds to it; null for a total.</param>
/// <param name="Under">A customer's seller; a rollup part's distributor; null otherwise.</param>
/// <param name="Months">The billing months with a cost or a sale in the row.</param>
/// <param name="Cost">Carrier cost.</param>
/// <param name="Sale">Resale billing; null for the direct channel.</param>
internal sealed record ProfitRow(ProfitLevel Level, CurrencyCode Currency, string? PartyId, string? Under, IReadOnlyList<BillingMonth> Months, decimal Cost, decimal? Sale)
{
    /// <summary>Sale - cost; null without a channel sale.</summary>
    public decimal? Profit => Sale - Cost;

    /// <summary>Profit / sale; null without a sale (or a sale of 0).</summary>
    public decimal? MarginPct => Sale is { } s && s != 0 ? (s - Cost) / s : null;
}

/// <summary>
/// The channel view of a set: MRR per seller and customer per month with churn and net revenue retention, and cost,
/// sale and profit per seller, customer, distributor (rollup) and the direct channel. Nothing is ever added across
/// currencies.
/// </summary>
internal sealed record ChannelReport(IReadOnlyList<BillingMonth> Months, IReadOnlyList<SellerMrr> Mrr, IReadOnlyList<ProfitRow> Profit)
{
    private static readonly string Distributor = WireNames.ToWire(PartyKind.Distributor);

    /// <summary>The channel view's definitions, for channel.html and the workbook's Definitions sheet.</summary>
    public static readonly IReadOnlyList<(string Term, string Definition)> Terms =
    [
        ("MRR", "Monthly recurring revenue: what a seller bills its customers (its resale lines), per customer, billing month and currency; a billing month without resale counts 0. Only the sellers this set may show (the party it is for and those below it). Billing months are the lake's months with carrier charges or resale."),
        ("Churn", "Customers with MRR in the billing month before and none (0 or less) in this one; MRR lost is their MRR of the month before. A customer that moves to another seller churns for the one it left."),
        ("NRR", "Net revenue retention: this month's MRR of the customers that had MRR the month before, divided by their MRR the month before (100 % keeps it all, above 100 % grew). Over the window: the last billing month against the first, the same way."),
        ("Cost", "Carrier charges of the account-months invoiced to the seller (bill-to is the reseller in the account's version in force that month): every line but taxes (passed through), credits netted. Agent-model accounts (a reseller, invoiced to the customer) carry no cost for the seller."),
        ("Sale, profit, margin %", "Sale is the seller's resale billing; profit = sale - cost; margin % = profit / sale."),
        ("Distributor rollup", "A distributor's own figures plus those of every seller below it by the parent links in force in each billing month: a dealer that changes distributor adds its months to each in turn."),
        ("Direct channel", "Account-months with no reseller: the customer's carrier cost (taxes excluded). There is no channel sale, so no profit; it is not in the sellers' total."),
    ];

    /// <summary>The currencies of the profit view, ordered by code.</summary>
    public IReadOnlyList<CurrencyCode> Currencies =>
        [.. Profit.Select(p => p.Currency).Concat(Mrr.Select(m => m.Currency)).Distinct().Order()];

    public static ChannelReport Build(ChannelData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        List<BillingMonth> months = [.. data.Months.Concat(data.Sales.Select(s => s.Month)).Concat(data.Costs.Select(c => c.Month)).Distinct().Order()];
        return new ChannelReport(months, BuildMrr(data, months), BuildProfit(data));
    }

    /// <summary>
    /// The months as runs of consecutive billing months of the report: <c>2026-01 to 2026-03</c>,
    /// <c>2026-01, 2026-03</c>.
    /// </summary>
    public string Span(IReadOnlyList<BillingMonth> months)
    {
        var index = Months.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var runs = new List<string>();
        var sorted = months.Distinct().Order().ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && index.TryGetValue(sorted[j], out var a) && index.TryGetValue(sorted[j + 1], out var b) && b == a + 1)
            {
                j++;
            }

            runs.Add(j == i ? sorted[i].ToString() : $"{sorted[i]} to {sorted[j]}");
            i = j + 1;
        }

        return string.Join(", ", runs);
    }

    private static List<SellerMrr> BuildMrr(ChannelData data, List<BillingMonth> months)
    {
        var at = months.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var list = new List<SellerMrr>();
        foreach (var seller in data.Sales.GroupBy(s => (s.SellerId, s.Currency)).OrderBy(g => g.Key.SellerId, StringComparer.Ordinal).ThenBy(g => g.Key.Currency))
        {
            var customers = seller.GroupBy(s => s.CustomerId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var mrr = new decimal[months.Count];
                foreach (var s in g)
                {
                    mrr[at[s.Month]] += s.Amount;
                }

                return new CustomerMrr(g.Key, mrr);
            }).ToList();
            var total = Enumerable.Range(0, months.Count).Select(i => customers.Sum(c => c.Mrr[i])).ToList();
            var retention = Enumerable.Range(1, Math.Max(0, months.Count - 1)).Select(i => Compare(customers, i - 1, i, months[i])).ToList();
            var window = months.Count >= 2 ? Compare(customers, 0, months.Count - 1, months[^1]).Nrr : null;
            list.Add(new SellerMrr(seller.Key.SellerId, seller.Key.Currency, total, retention, window, customers));
        }

        return list;
    }

    /// <summary>Churn and retention at month index <paramref name="to"/> against the customers that had MRR at <paramref name="from"/>.</summary>
    private static Retention Compare(List<CustomerMrr> customers, int from, int to, BillingMonth month)
    {
        var had = customers.Where(c => c.Mrr[from] > 0).ToList();
        var churned = had.Where(c => c.Mrr[to] <= 0).ToList();
        var before = had.Sum(c => c.Mrr[from]);
        return new Retention(month, churned.Count, churned.Sum(c => c.Mrr[from]), before == 0 ? null : had.Sum(c => c.Mrr[to]) / before);
    }

    private static List<ProfitRow> BuildProfit(ChannelData data)
    {
        // A seller's cost and sale per month: the rollup follows the parent links in force month by month.
        var seller = new Dictionary<(string Seller, CurrencyCode Currency, BillingMonth Month), (decimal Cost, decimal Sale)>();
        var customer = new Dictionary<(string Seller, string Customer, CurrencyCode Currency), Sum>();
        var direct = new Dictionary<(string Customer, CurrencyCode Currency), Sum>();
        foreach (var s in data.Sales)
        {
            var key = (s.SellerId, s.Currency, s.Month);
            seller[key] = seller.TryGetValue(key, out var v) ? (v.Cost, v.Sale + s.Amount) : (0m, s.Amount);
            Add(customer, (s.SellerId, s.CustomerId, s.Currency), s.Month, 0m, s.Amount);
        }

        foreach (var c in data.Costs)
        {
            if (c.SellerId is not { } id)
            {
                Add(direct, (c.CustomerId, c.Currency), c.Month, c.Amount, 0m);
                continue;
            }

            var key = (id, c.Currency, c.Month);
            seller[key] = seller.TryGetValue(key, out var v) ? (v.Cost + c.Amount, v.Sale) : (c.Amount, 0m);
            Add(customer, (id, c.CustomerId, c.Currency), c.Month, c.Amount, 0m);
        }

        var links = new Dictionary<(string, BillingMonth), PartyMonth>();
        foreach (var l in data.Links)
        {
            links.TryAdd((l.PartyId, l.Month), l);
        }

        var parts = new Dictionary<(string Distributor, CurrencyCode Currency, string Seller), Sum>();
        foreach (var ((id, currency, month), (cost, sale)) in seller)
        {
            foreach (var d in DistributorsOf(id, month, links))
            {
                Add(parts, (d, currency, id), month, cost, sale);
            }
        }

        var rows = new List<ProfitRow>();
        foreach (var currency in seller.Keys.Select(k => k.Currency).Concat(direct.Keys.Select(k => k.Currency)).Distinct().Order())
        {
            var own = seller.Where(p => p.Key.Currency == currency).GroupBy(p => p.Key.Seller).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ProfitRow(ProfitLevel.Seller, currency, g.Key, null, [.. g.Select(p => p.Key.Month).Order()], g.Sum(p => p.Value.Cost), g.Sum(p => p.Value.Sale)))
                .ToList();
            rows.AddRange(own);
            if (own.Count > 0)
            {
                rows.Add(new ProfitRow(ProfitLevel.Total, currency, null, null, [.. own.SelectMany(r => r.Months).Distinct().Order()], own.Sum(r => r.Cost), own.Sum(r => r.Sale ?? 0)));
            }

            foreach (var d in parts.Where(p => p.Key.Currency == currency).GroupBy(p => p.Key.Distributor).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var of = d.OrderBy(p => p.Key.Seller == d.Key ? 0 : 1).ThenBy(p => p.Key.Seller, StringComparer.Ordinal)
                    .Select(p => new ProfitRow(ProfitLevel.RollupPart, currency, p.Key.Seller, d.Key, p.Value.SortedMonths, p.Value.Cost, p.Value.Sale)).ToList();
                rows.AddRange(of);
                rows.Add(new ProfitRow(ProfitLevel.Rollup, currency, d.Key, null, [.. of.SelectMany(r => r.Months).Distinct().Order()], of.Sum(r => r.Cost), of.Sum(r => r.Sale ?? 0)));
            }

            rows.AddRange(customer.Where(p => p.Key.Currency == currency).OrderBy(p => p.Key.Seller, StringComparer.Ordinal).ThenBy(p => p.Key.Customer, StringComparer.Ordinal)
                .Select(p => new ProfitRow(ProfitLevel.Customer, currency, p.Key.Customer, p.Key.Seller, p.Value.SortedMonths, p.Value.Cost, p.Value.Sale)));
            rows.AddRange(direct.Where(p => p.Key.Currency == currency).OrderBy(p => p.Key.Customer, StringComparer.Ordinal)
                .Select(p => new ProfitRow(ProfitLevel.Direct, currency, p.Key.Customer, null, p.Value.SortedMonths, p.Value.Cost, null)));
        }

        return rows;
    }

    /// <summary>
    /// The distributors a seller's month rolls up to: itself when it is one, and every distributor above it by the
    /// parent links in force that month, as far as the set may show them as sellers (a dealer's own set has no rollup
    /// to the distributor above it). A cycle in the links ends the walk.
    /// </summary>
    private static List<string> DistributorsOf(string seller, BillingMonth month, Dictionary<(string, BillingMonth), PartyMonth> links)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? id = seller; id is not null && seen.Add(id) && links.TryGetValue((id, month), out var link); id = link.ParentId)
        {
            if (link.Kind == Distributor && link.IsSeller)
            {
                found.Add(id);
            }
        }

        return found;
    }

    private static void Add<TKey>(Dictionary<TKey, Sum> map, TKey key, BillingMonth month, decimal cost, decimal sale)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var sum))
        {
            map[key] = sum = new Sum();
        }

        sum.Cost += cost;
        sum.Sale += sale;
        sum.Months.Add(month);
    }

    private sealed class Sum
    {
        public decimal Cost { get; set; }

        public decimal Sale { get; set; }

        public HashSet<BillingMonth> Months { get; } = [];

        public List<BillingMonth> SortedMonths => [.. Months.Order()];
    }
}
