using System.CommandLine;
using System.Globalization;
using Tem.Core;
using Tem.SampleData;

namespace Tem.Cli;

/// <summary><c>tem sample-data --out DIR [--services N] [--months M] [--seed S] [--first-month YYYY-MM]</c>.</summary>
internal static class SampleDataCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var defaults = new SampleDataOptions();
        var outDir = new Option<string>("--out") { Description = "Folder to write the data set to.", Required = true };
        var services = new Option<int>("--services") { Description = $"Services in the inventory (at least {SampleDataOptions.MinimumServices}).", DefaultValueFactory = _ => defaults.Services };
        var months = new Option<int>("--months") { Description = $"Billing months ({SampleDataOptions.MinimumMonths} to {SampleDataOptions.MaximumMonths}).", DefaultValueFactory = _ => defaults.Months };
        var seed = new Option<int>("--seed") { Description = "Seed: the same options give byte-identical files.", DefaultValueFactory = _ => defaults.Seed };
        var first = new Option<string>("--first-month") { Description = "First billing month, YYYY-MM.", DefaultValueFactory = _ => defaults.FirstMonth.ToString() };
        var command = new Command("sample-data", "Generate a realistic data set with known, planted billing errors and its answer key (answer_key.csv).")
        {
            outDir, services, months, seed, first,
        };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (!BillingMonth.TryParse(parse.GetValue(first), out var firstMonth))
            {
                cli.Problem($"tem sample-data: --first-month '{parse.GetValue(first)}' is not a month; expected YYYY-MM, e.g. 2026-04.");
                return TemApp.UsageError;
            }

            var options = new SampleDataOptions
            {
                Services = parse.GetValue(services), Months = parse.GetValue(months), Seed = parse.GetValue(seed), FirstMonth = firstMonth,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                cli.Problem($"tem sample-data: {e.Message}");
                return TemApp.UsageError;
            }

            var summary = SampleDataGenerator.Generate(options, parse.GetValue(outDir)!);
            foreach (var (file, rows) in summary.Rows.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                cli.Line(string.Create(CultureInfo.InvariantCulture, $"{file,-16} {rows,10} rows"));
            }

            cli.Result(string.Create(CultureInfo.InvariantCulture,
                $"{summary.PlantedFindings} planted findings in answer_key.csv; data set in {summary.OutputDirectory}"));
            cli.Summary(new
            {
                Out = summary.OutputDirectory,
                Files = summary.Rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new { File = r.Key, Rows = r.Value }),
                Rows = summary.Rows.Values.Sum(),
                summary.PlantedFindings,
                options.Seed,
                options.Services,
                options.Months,
                FirstMonth = options.FirstMonth.ToString(),
            });
            return TemApp.Ok;
        });
        return command;
    }
}
