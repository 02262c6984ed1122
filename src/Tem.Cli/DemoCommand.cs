using System.CommandLine;
using System.Globalization;
using Tem.SampleData;
using Tem.App;

namespace Tem.Cli;

/// <summary><c>tem demo [--out DIR]</c>: the sample data set, the whole pipeline on it, the found money.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var outDir = new Option<string>("--out")
        {
            Description = "Folder for everything: DIR/inbox (the sample data), DIR/lake (the lake) and the report in DIR.",
            DefaultValueFactory = _ => "tem-demo",
        };
        var command = new Command("demo", "Generate the sample data set (planted billing errors), run the nightly pipeline on it, print the found money.")
        {
            outDir,
        };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var root = Path.GetFullPath(parse.GetValue(outDir)!);
            var inbox = Path.Combine(root, "inbox");
            var lake = Path.Combine(root, "lake");

            // The generator is deterministic: a second demo writes the same files, which the lake then recognises as
            // already ingested, so the demo can be run again and again.
            var sample = SampleDataGenerator.Generate(new SampleDataOptions(), inbox);
            cli.Line(string.Create(CultureInfo.InvariantCulture,
                $"sample data: {sample.Rows.Values.Sum()} rows in {sample.Rows.Count} files, {sample.PlantedFindings} planted findings (answer_key.csv) in {inbox}"));
            EffectiveSettings settings;
            try
            {
                settings = EffectiveSettings.ForLake(lake);
            }
            catch (Tem.Core.InputDataException e)
            {
                cli.Problem($"tem demo: settings: {e.Message}");
                return TemApp.Failure;
            }

            var options = new PipelineOptions
            {
                Inbox = inbox, Lake = lake, Out = root, Name = "demo", Ingest = new Tem.Ingest.IngestOptions { MemoryLimit = settings.MemoryLimit },
                Audit = settings.ToAuditOptions(), Report = settings.ToReportOptions(), Settings = settings.ToJson(),
            };
            var code = PipelineRunner.Run(cli, new Pipeline(time), options, r => new
            {
                SampleData = inbox,
                Lake = lake,
                PlantedFindings = sample.PlantedFindings,
                Run = PipelineRunner.Summary(r),
            });
            cli.Line($"next: tem sql --lake {lake} \"SELECT rule, count(*) FROM findings GROUP BY ALL\"");
            return code;
        });
        return command;
    }
}
