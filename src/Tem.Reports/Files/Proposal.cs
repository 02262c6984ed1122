using Tem.Core;
using Tem.Lake;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>The cash view of an upgrade paid for by found money and the spend it retires.</summary>
/// <param name="Cumulative">Cumulative cash at the end of months 1..N: (one-time funding - one-time cost) + m x (monthly funding - monthly cost).</param>
/// <param name="PaybackMonth">
/// The first month whose cumulative cash is at least zero and stays so (the monthly funding covers the monthly cost);
/// 1 when the one-time funding already covers the one-time cost. Null when it never pays back. May lie beyond the view.
/// </param>
/// <param name="NetMonthlyChange">Monthly cost - monthly funding: what the client's monthly spend changes by (negative: it falls).</param>
/// <param name="FundedMonths">Months (of the view) the cumulative cash stays at or above zero from month 1, for upgrades that never pay back.</param>
internal sealed record CashView(IReadOnlyList<decimal> Cumulative, int? PaybackMonth, decimal NetMonthlyChange, int FundedMonths);

/// <summary>
/// Found money of one currency as a deal counts it: validated one-time amounts and monthly savings (those of services
/// the upgrade retires left out: their whole spend is retired), and potential money shown beside it, never counted.
/// </summary>
internal sealed record FundingSource(CurrencyCode Currency, decimal OneTime, decimal Monthly, decimal PotentialOneTime, decimal PotentialMonthly, decimal? Rate);

/// <summary>A service the upgrade retires, with what it costs a month today (in the deal's currency; 0 when it cannot be converted).</summary>
/// <param name="ServiceId">The service.</param>
/// <param name="Carrier">Its carrier; null when the service is not in the inventory.</param>
/// <param name="AccountId">Its account.</param>
/// <param name="Monthly">Its charges in the latest month its account was billed (one-time charges and credits aside), in the deal's currency.</param>
/// <param name="Month">That month; null when it was not billed then.</param>
/// <param name="Because">Why it is retired: <c>upgrade.csv</c> (named), or <c>rule:&lt;id&gt;</c> (a finding of that rule names it).</param>
internal sealed record RetiredService(string ServiceId, string? Carrier, string? AccountId, decimal Monthly, BillingMonth? Month, string Because);

/// <summary>
/// One party's share of the upgrade over the view (the transparent split), in the deal's currency: its price to the
/// client (<paramref name="Value"/> = one-time + months x monthly), its margin and margin / price (0.18 = 18 %).
/// <paramref name="Margin"/> and <paramref name="MarginPct"/> are null when the set may not show the party's margin (a
/// tenant's set shows only the tenant's and its sub-parties'); nothing derived from it is shown then either.
/// </summary>
internal sealed record ProviderShare(
    string Provider, string ProviderName, string Role, IReadOnlyList<string> Items, decimal OneTime, decimal Monthly, decimal Value, decimal? Margin, decimal? MarginPct)
{
    /// <summary>What supplying it costs the party: its price less its margin; null when the margin is not shown.</summary>
    public decimal? Cost => Value - Margin;

    /// <summary>Whether this set shows the party's cost and margin.</summary>
    public bool MarginShown => Margin is not null;
}

/// <summary>One deal's savings-funded proposal: prices, what it retires, funding, cash view and who earns what.</summary>
internal sealed record ProposalModel(
    string? DealId, string? CustomerId, CurrencyCode Currency, bool CurrencyGiven, IReadOnlyList<UpgradeItem> Items, IReadOnlyList<FundingSource> Funding,
    IReadOnlyList<RetiredService> Retired, decimal FoundOneTime, decimal FoundMonthly, decimal RetiredMonthly, decimal PotentialOneTime,
    decimal PotentialMonthly, decimal UpgradeOneTime, decimal UpgradeMonthly, CashView Cash, IReadOnlyList<ProviderShare> Shares, int Months)
{
    /// <summary>The proposal's file: <c>proposal.html</c> for an upgrade.csv without deal ids, else <c>proposal-&lt;deal_id&gt;.html</c>.</summary>
    public string FileName => DealId is null ? "proposal.html" : $"proposal-{FileNames.Safe(DealId)}.html";

    /// <summary>Monthly funding: retired spend plus validated monthly savings.</summary>
    public decimal MonthlyFunding => RetiredMonthly + FoundMonthly;

    /// <summary>The shares whose cost and margin this set shows (every share in the full set); totals of margin are over these only.</summary>
    public IReadOnlyList<ProviderShare> SharesShown => [.. Shares.Where(s => s.MarginShown)];
}

/// <summary>
/// Builds one proposal per deal of upgrade.csv (lines grouped by <c>deal_id</c>; none: one deal; a tenant's set only the
/// deals that name one of its customers). A deal's prices are in
/// its lines' <c>currency</c>, or <see cref="ReportOptions.ProposalCurrency"/> (the writer sets it to the currency most of
/// the lake's accounts are billed in when the user gave none). What pays for it:
/// <list type="bullet">
/// <item>the spend it <b>retires</b> (<c>retires</c>: service ids, and <c>rule:&lt;id&gt;</c> for the services a live
/// validated finding of that rule names): each service's charges in the latest month its account was billed;</item>
/// <item><b>validated</b> found money of the deal's customer (all customers in scope when the deal names none) that is
/// still live (open, submitted, partially credited, credited, confirmed): one-time amounts fund the one-time costs,
/// monthly savings the monthly costs, except savings of retired services (their whole spend is already counted).</item>
/// </list>
/// Potential money (to investigate) is shown beside it and never funds it; reseller revenue is not the client's money.
/// Amounts in another currency count only with a rate the user gave; no rate, no conversion. Every party's price is
/// shown; its cost and margin only where the set may show its margin (<see cref="ProviderShare.Margin"/>).
/// </summary>
internal static class Proposal
{
    public const int Months = 36;

    public static IReadOnlyList<ProposalModel> Build(ReportFigures fig, ReportOptions options, ICollection<string> warnings)
    {
        var d = fig.Data;
        var given = options.ProposalCurrency is not null;
        var fallback = given ? CurrencyCode.Parse(options.ProposalCurrency!) : fig.Currencies.FirstOrDefault(CurrencyCode.Parse("USD"));
        var list = new List<ProposalModel>();
        foreach (var deal in d.Upgrade.GroupBy(i => i.DealId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var label = $"proposal{(deal.Key is null ? string.Empty : " " + deal.Key)}{(d.Tenant is null ? string.Empty : " of " + d.Tenant)}";
            var currencies = deal.Select(i => i.Currency).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var currency = currencies.Count > 0 ? CurrencyCode.Parse(currencies[0]) : fallback;
            var items = deal.Where(i => i.Currency is null || i.Currency == currency.Code).ToList();
            if (items.Count < deal.Count())
            {
                warnings.Add($"{label}: lines priced in {string.Join(", ", currencies.Skip(1))} are left out; one deal has one currency ({currency.Code})");
            }

            var customers = deal.Select(i => i.CustomerId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

            // A tenant's set shows only the deals of its own customers: a deal that names none is the lake owner's, in the main set only.
            if (d.Tenant is not null && (customers.Count == 0 || !d.Customers.Contains(customers[0], StringComparer.Ordinal)))
            {
                continue;
            }

            if (customers.Count > 1)
            {
                warnings.Add($"{label}: lines name customers {string.Join(", ", customers)}; the proposal is for {customers[0]}");
            }

            list.Add(BuildDeal(d, deal.Key, customers.FirstOrDefault(), currency, given || currencies.Count > 0, items, options, label, warnings));
        }

        return list;
    }

    private static ProposalModel BuildDeal(
        ReportData d, string? dealId, string? customer, CurrencyCode currency, bool currencyGiven, List<UpgradeItem> items, ReportOptions options, string label,
        ICollection<string> warnings)
    {
        decimal? RateOf(CurrencyCode c) => c == currency ? 1m : options.ExchangeRates.TryGetValue(c.Code, out var r) ? r : null;
        var live = d.Findings.Where(f => f.Counts && (customer is null || f.Finding.CustomerId == customer)).ToList();
        var validated = live.Where(f => f.Finding.MoneyKind == MoneyKind.Validated).ToList();

        // What the upgrade retires: named services, and the services a rule's live validated findings name.
        var retired = new List<RetiredService>();
        var retiredKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in items.SelectMany(i => i.Retires ?? []).Distinct(StringComparer.Ordinal))
        {
            if (entry.StartsWith("rule:", StringComparison.Ordinal))
            {
                var rule = entry["rule:".Length..];
                var named = validated.Where(f => f.Finding.Rule == rule && f.Finding.ServiceId is not null).ToList();
                if (named.Count == 0)
                {
                    warnings.Add($"{label}: retires '{entry}', but no live validated finding of rule {rule} names a service{(customer is null ? string.Empty : " of " + customer)}");
                }

                foreach (var f in named)
                {
                    Retire(f.Finding.ServiceId!, f.Finding.Carrier, f.Finding.AccountId, entry);
                }
            }
            else
            {
                // A service id names the deal customer's service (another customer may use the same number under another account).
                var homes = d.Services.Where(s => s.ServiceId == entry
                    && (customer is null || d.Accounts.Any(a => a.AccountId == s.AccountId && a.CustomerId == customer))).ToList();
                if (homes.Count == 0)
                {
                    warnings.Add($"{label}: retires service {entry}, which is not in the inventory{(d.Tenant is null ? string.Empty : " of this set")}; it retires nothing");
                    retired.Add(new RetiredService(entry, null, null, 0m, null, "upgrade.csv"));
                    continue;
                }

                foreach (var s in homes)
                {
                    Retire(s.ServiceId, d.Accounts.FirstOrDefault(a => a.AccountId == s.AccountId)?.Carrier, s.AccountId, "upgrade.csv");
                }
            }
        }

        void Retire(string service, string? carrier, string account, string because)
        {
            if (!retiredKeys.Add(service + "\u001f" + account))
            {
                return;
            }

            var spend = d.ServiceRunRate.Where(s => s.ServiceId == service && s.AccountId == account && (carrier is null || s.Carrier == carrier)).ToList();
            decimal monthly = 0;
            foreach (var s in spend)
            {
                if (RateOf(s.Currency) is { } rate)
                {
                    monthly += s.Amount * rate;
                }
                else
                {
                    warnings.Add($"{label}: the {s.Currency.Code} spend of retired service {service} is not counted (no exchange rate: set report.fx.{s.Currency.Code} in the lake's tem.json, or pass --fx {s.Currency.Code}=RATE)");
                }
            }

            retired.Add(new RetiredService(service, carrier ?? spend.FirstOrDefault()?.Carrier, account, monthly, spend.FirstOrDefault()?.Month, because));
        }

        bool IsRetired(Finding f) => f.ServiceId is not null && retiredKeys.Contains(f.ServiceId + "\u001f" + f.AccountId);
        var funding = new List<FundingSource>();
        foreach (var g in live.Where(f => f.Finding.MoneyKind != MoneyKind.Reseller).GroupBy(f => f.Finding.Currency).OrderBy(g => g.Key))
        {
            var rate = RateOf(g.Key);
            var v = g.Where(f => f.Finding.MoneyKind == MoneyKind.Validated).ToList();
            var p = g.Where(f => f.Finding.MoneyKind == MoneyKind.Potential).ToList();
            funding.Add(new FundingSource(g.Key, v.Sum(f => f.Finding.OneTimeAmount), v.Where(f => !IsRetired(f.Finding)).Sum(f => f.Finding.MonthlySavings),
                p.Sum(f => f.Finding.OneTimeAmount), p.Sum(f => f.Finding.MonthlySavings), rate));
            if (rate is null && v.Count > 0)
            {
                warnings.Add($"{label}: validated found money in {g.Key.Code} is not counted against the upgrade's {currency.Code} prices (no exchange rate: set report.fx.{g.Key.Code} in the lake's tem.json, or pass --fx {g.Key.Code}=RATE)");
            }
        }

        var counted = funding.Where(f => f.Rate is not null).ToList();
        var oneTime = counted.Sum(f => f.OneTime * f.Rate!.Value);
        var monthly = counted.Sum(f => f.Monthly * f.Rate!.Value);
        var retiredMonthly = retired.Sum(r => r.Monthly);
        var upOnce = items.Sum(i => i.OneTimeCost);
        var upMonthly = items.Sum(i => i.MonthlyCost);
        var shares = items.GroupBy(i => (i.Provider, i.Role)).Select(g =>
        {
            var value = g.Sum(i => i.OneTimeCost + (Months * i.MonthlyCost));

            // The scope hides a provider's margin on all of its lines; a share shows a margin only when every line has one.
            decimal? margin = g.All(i => i.MarginPct is not null) ? g.Sum(i => (i.OneTimeCost + (Months * i.MonthlyCost)) * i.MarginPct!.Value / 100m) : null;
            return new ProviderShare(g.Key.Provider, d.PartyName(g.Key.Provider), g.Key.Role, [.. g.Select(i => i.Item)], g.Sum(i => i.OneTimeCost),
                g.Sum(i => i.MonthlyCost), value, margin, margin is { } m ? (value == 0 ? 0 : m / value) : null);
        }).OrderByDescending(s => s.Value).ThenBy(s => s.Provider, StringComparer.Ordinal).ToList();

        return new ProposalModel(dealId, customer, currency, currencyGiven, items, funding, retired, oneTime, monthly, retiredMonthly,
            counted.Sum(f => f.PotentialOneTime * f.Rate!.Value), counted.Sum(f => f.PotentialMonthly * f.Rate!.Value), upOnce, upMonthly,
            Cash(oneTime, monthly + retiredMonthly, upOnce, upMonthly, Months), shares, Months);
    }

    /// <summary>
    /// The cash view over <paramref name="months"/> months. Month 1 carries the one-time funding and the one-time
    /// cost; every month carries the monthly funding (retired spend and savings) and the monthly cost.
    /// </summary>
    public static CashView Cash(decimal foundOneTime, decimal foundMonthly, decimal upgradeOneTime, decimal upgradeMonthly, int months)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var start = foundOneTime - upgradeOneTime;
        var net = foundMonthly - upgradeMonthly;
        var cumulative = new decimal[months];
        for (var m = 1; m <= months; m++)
        {
            cumulative[m - 1] = start + (m * net);
        }

        int? payback;
        if (net < 0)
        {
            payback = null;
        }
        else if (start + net >= 0)
        {
            payback = 1;
        }
        else if (net == 0)
        {
            payback = null;
        }
        else
        {
            // The smallest m with start + m * net >= 0.
            var m = decimal.Ceiling(-start / net);
            payback = m > int.MaxValue ? null : (int)m;
        }

        var funded = 0;
        while (funded < months && cumulative[funded] >= 0)
        {
            funded++;
        }

        return new CashView(cumulative, payback, upgradeMonthly - foundMonthly, funded);
    }
}
