using Tem.Core;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>The cash view of an upgrade paid for by found money.</summary>
/// <param name="Cumulative">Cumulative cash at the end of months 1..N: (recoveries - one-time cost) + m x (savings - monthly cost).</param>
/// <param name="PaybackMonth">
/// The first month whose cumulative cash is at least zero and stays so (the monthly savings cover the monthly cost);
/// 1 when the recoveries already cover the one-time cost. Null when it never pays back. May lie beyond the view.
/// </param>
/// <param name="NetMonthlyChange">Monthly cost - monthly savings: what the client's monthly spend changes by (negative: it falls).</param>
/// <param name="FundedMonths">Months (of the view) the cumulative cash stays at or above zero from month 1, for upgrades that never pay back.</param>
internal sealed record CashView(IReadOnlyList<decimal> Cumulative, int? PaybackMonth, decimal NetMonthlyChange, int FundedMonths);

/// <summary>How found money in one currency counts towards the proposal.</summary>
internal sealed record FundingSource(CurrencyCode Currency, decimal OneTime, decimal Monthly, decimal? Rate);

/// <summary>One provider's share of the upgrade over the view (the transparent split).</summary>
internal sealed record ProviderShare(string Provider, string ProviderName, string Role, IReadOnlyList<string> Items, decimal OneTime, decimal Monthly, decimal Value, decimal Margin, decimal MarginPct);

/// <summary>The savings-funded proposal: prices, funding, cash view and who earns what.</summary>
internal sealed record ProposalModel(
    CurrencyCode Currency, bool CurrencyGiven, IReadOnlyList<UpgradeItem> Items, IReadOnlyList<FundingSource> Funding, decimal FoundOneTime,
    decimal FoundMonthly, decimal UpgradeOneTime, decimal UpgradeMonthly, CashView Cash, IReadOnlyList<ProviderShare> Shares, int Months);

/// <summary>
/// Builds the proposal. Prices of upgrade.csv are in <see cref="ReportOptions.ProposalCurrency"/> (the writer sets
/// it to the currency most of the lake's accounts are billed in when the user gave none). Found money counts when it can still be realised (status open,
/// disputed or recovered; rejected and closed findings fund nothing), in the proposal currency or converted with a
/// rate the user gave; no rate, no conversion.
/// </summary>
internal static class Proposal
{
    public const int Months = 36;

    public static ProposalModel Build(ReportFigures fig, ReportOptions options, ICollection<string> warnings)
    {
        var d = fig.Data;
        var given = options.ProposalCurrency is not null;
        var currency = given ? CurrencyCode.Parse(options.ProposalCurrency!) : fig.Currencies.FirstOrDefault(CurrencyCode.Parse("USD"));
        var funding = new List<FundingSource>();
        foreach (var g in d.Current.Where(f => f.Status is FindingStatus.Open or FindingStatus.Disputed or FindingStatus.Recovered)
                     .GroupBy(f => f.Finding.Currency).OrderBy(g => g.Key))
        {
            decimal? rate = g.Key == currency ? 1m : options.ExchangeRates.TryGetValue(g.Key.Code, out var r) ? r : null;
            funding.Add(new FundingSource(g.Key, g.Sum(f => f.Finding.OneTimeAmount), g.Sum(f => f.Finding.MonthlySavings), rate));
            if (rate is null)
            {
                warnings.Add($"proposal{(d.Tenant is null ? string.Empty : " of " + d.Tenant)}: found money in {g.Key.Code} is not counted against the upgrade's {currency.Code} prices (no exchange rate; tem report --fx {g.Key.Code}=RATE)");
            }
        }

        var oneTime = funding.Where(f => f.Rate is not null).Sum(f => f.OneTime * f.Rate!.Value);
        var monthly = funding.Where(f => f.Rate is not null).Sum(f => f.Monthly * f.Rate!.Value);
        var upOnce = d.Upgrade.Sum(i => i.OneTimeCost);
        var upMonthly = d.Upgrade.Sum(i => i.MonthlyCost);
        var shares = d.Upgrade.GroupBy(i => (i.Provider, i.Role)).Select(g =>
        {
            var value = g.Sum(i => i.OneTimeCost + (Months * i.MonthlyCost));
            var margin = g.Sum(i => (i.OneTimeCost + (Months * i.MonthlyCost)) * i.MarginPct / 100m);
            return new ProviderShare(g.Key.Provider, d.PartyName(g.Key.Provider), g.Key.Role, [.. g.Select(i => i.Item)], g.Sum(i => i.OneTimeCost),
                g.Sum(i => i.MonthlyCost), value, margin, value == 0 ? 0 : margin / value);
        }).OrderByDescending(s => s.Value).ThenBy(s => s.Provider, StringComparer.Ordinal).ToList();

        return new ProposalModel(currency, given, d.Upgrade, funding, oneTime, monthly, upOnce, upMonthly,
            Cash(oneTime, monthly, upOnce, upMonthly, Months), shares, Months);
    }

    /// <summary>
    /// The cash view over <paramref name="months"/> months. Month 1 carries the one-time recoveries and the one-time
    /// cost; every month carries the monthly savings and the monthly cost.
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
