using System.CommandLine;
using System.Globalization;
using Tem.Core;
using Tem.App;
using Tem.Reports;

namespace Tem.Cli;

/// <summary><c>tem report --lake DIR --out DIR [--tenant PARTY]</c> and the report's settings (<see cref="SettingsOptions"/>).</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var lake = new Option<string>("--lake") { Description = "The lake folder.", DefaultValueFactory = _ => "tem-lake" };
        var outDir = new Option<string>("--out") { Description = "Report folder.", DefaultValueFactory = _ => "tem-out" };
        var tenant = new Option<string?>("--tenant") { Description = "Write only this party's set (a distributor, dealer or reseller), branded, with only the customers below it." };
        var settingsOptions = SettingsOptions.Report();
        var command = new Command("report", "Write the found-money report (HTML, XLSX, CSV), dispute packs, the upgrade proposals, realised savings and contingency, margins, and the tenants' white-label sets. Settings: LAKE/tem.json, overridden by the options.")
        {
            lake, outDir, tenant,
        };
        settingsOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var lakePath = parse.GetValue(lake)!;
            if (settingsOptions.Resolve(parse, lakePath, cli, "report", out var exitCode) is not { } settings)
            {
                return exitCode;
            }

            var options = settings.ToReportOptions() with { Tenant = parse.GetValue(tenant) };
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
            catch (Tem.Reports.ChartFontException e)
            {
                error.WriteLine($"tem report: {e.Message}");
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
                settings = settings.ToJsonElement(),
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
