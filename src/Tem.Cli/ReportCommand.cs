using System.CommandLine;
using System.Globalization;
using Tem.Core;
using Tem.App;
using Tem.Reports;

namespace Tem.Cli;

/// <summary><c>tem report --lake DIR --out DIR [--tenant PARTY] [--proposal-currency CUR] [--fx CUR=RATE]...</c>.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var lake = new Option<string>("--lake") { Description = "The lake folder.", DefaultValueFactory = _ => "tem-lake" };
        var outDir = new Option<string>("--out") { Description = "Report folder.", DefaultValueFactory = _ => "tem-out" };
        var tenant = new Option<string?>("--tenant") { Description = "Write only this party's set (a distributor, dealer or reseller), branded, with only the customers below it." };
        var currency = new Option<string?>("--proposal-currency") { Description = "Currency of upgrade.csv's prices (default: the currency most accounts are billed in)." };
        var fx = new Option<string[]>("--fx")
        {
            Description = "Exchange rate into the proposal currency, CUR=RATE (1 CUR = RATE proposal currency); repeatable. Without one, found money in CUR does not fund the proposal.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var noTenants = new Option<bool>("--no-tenants") { Description = "Without --tenant: skip the per-tenant sets under tenants/." };
        var fee = new Option<decimal>("--contingency-fee") { Description = "The consultant's contingency fee, percent of realised savings (contingency.csv; default 0)." };
        var followUp = new Option<int>("--follow-up-days") { Description = "Days without news after which a submitted claim is overdue for follow-up (default 30).", DefaultValueFactory = _ => 30 };
        var command = new Command("report", "Write the found-money report (HTML, XLSX, CSV), dispute packs, the upgrade proposals, realised savings and contingency, margins, and the tenants' white-label sets.")
        {
            lake, outDir, tenant, currency, fx, noTenants, fee, followUp,
        };
        command.SetAction(parse =>
        {
            var rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var v in parse.GetValue(fx) ?? [])
            {
                var eq = v.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !CurrencyCode.TryParse(v[..eq], out var code)
                    || !decimal.TryParse(v[(eq + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
                {
                    error.WriteLine($"tem report: --fx '{v}' is not CUR=RATE with a positive rate, e.g. --fx EUR=1.08");
                    return TemApp.UsageError;
                }

                rates[code.Code] = rate;
            }

            var proposalCurrency = parse.GetValue(currency);
            if (proposalCurrency is not null && !CurrencyCode.TryParse(proposalCurrency, out _))
            {
                error.WriteLine($"tem report: --proposal-currency '{proposalCurrency}' is not a currency code, e.g. USD");
                return TemApp.UsageError;
            }

            var lakePath = parse.GetValue(lake)!;
            if (parse.GetValue(fee) is < 0 or > 100 || parse.GetValue(followUp) < 0)
            {
                error.WriteLine("tem report: --contingency-fee is a percentage from 0 to 100, --follow-up-days 0 or more");
                return TemApp.UsageError;
            }

            var options = new ReportOptions
            {
                Tenant = parse.GetValue(tenant),
                WriteTenantSets = !parse.GetValue(noTenants),
                ProposalCurrency = proposalCurrency is null ? null : CurrencyCode.Parse(proposalCurrency).Code,
                ExchangeRates = rates,
                ContingencyFeePct = parse.GetValue(fee),
                FollowUpDays = parse.GetValue(followUp),
            };
            var cli = CliOutput.For(parse, output, error);
            ReportResult result;
            try
            {
                // A reader: the lake is opened as it is, without its write lock, so nothing in it may change here.
                result = cli.WithProgress("report", board => new ReportOperation(time).Write(lakePath, parse.GetValue(outDir)!, options, board.For("report")));
            }
            catch (ArgumentException e) when (e.ParamName == "options")
            {
                error.WriteLine($"tem report: {e.Message[..e.Message.LastIndexOf(" (Parameter", StringComparison.Ordinal)]}");
                return TemApp.Failure;
            }

            Print(result, cli);
            cli.Summary(new
            {
                report = result.ReportPath,
                files = result.Files.Count,
                tenants = result.Tenants,
                warnings = result.Warnings,
                found_money = result.Totals.Select(Pipeline.Json),
                proposals = result.Proposals,
            });
            return TemApp.Ok;
        });
        return command;
    }

    /// <summary>Prints found money per currency, the tenants, warnings and the report's path.</summary>
    public static void Print(ReportResult result, CliOutput cli)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(cli);
        foreach (var t in result.Totals)
        {
            cli.Result(Pipeline.Describe(t));
        }

        foreach (var p in result.Proposals)
        {
            cli.Result(string.Create(CultureInfo.InvariantCulture,
                $"proposal{(p.DealId is null ? string.Empty : " " + p.DealId)}: payback {(p.PaybackMonth is { } m ? "month " + m.ToString(CultureInfo.InvariantCulture) : "never")}, net monthly change {p.NetMonthlyChange:+0.00;-0.00;0.00} {p.Currency} ({p.File})"));
        }

        foreach (var w in result.Warnings)
        {
            cli.Problem($"tem report: {w}");
        }

        if (result.Tenants.Count > 0)
        {
            cli.Line($"tenants: {string.Join(", ", result.Tenants)}");
        }

        cli.Result(string.Create(CultureInfo.InvariantCulture, $"{result.Files.Count} files; report: {result.ReportPath}"));
    }
}
