using System.CommandLine;
using System.Globalization;
using Tem.SampleData;
using Tem.App;
using Tem.Audit.Disputes;

namespace Tem.Cli;

/// <summary><c>tem demo [--out DIR]</c>: the sample data set, the whole pipeline on it, the found money.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var outDir = new Option<string>("--out")
        {
            Description = "Folder for everything: DIR/inbox (the sample data), DIR/lake (the lake), the report, the answer keys and the set's README.md in DIR.",
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
            // already ingested, so the demo can be run again and again. The answer keys and the set's README are not
            // inputs: they go beside the inbox, which then holds only what a run reads.
            var sample = SampleDataGenerator.Generate(new SampleDataOptions(), inbox, keyDir: root);

            // Counted as the ingest counts: data files read into the lake and their rows (headers excluded); the dispute
            // log is applied after the audit and has its own line.
            var inputs = sample.Rows.Select(r => (Path: Path.Combine(inbox, r.Key), Rows: r.Value)).Where(r => File.Exists(r.Path)).ToList();
            var logs = inputs.Where(r => DisputeLog.IsLog(r.Path)).ToList();
            var data = inputs.Except(logs).ToList();
            cli.Line(string.Create(CultureInfo.InvariantCulture,
                $"sample data: {data.Sum(r => r.Rows)} rows in {data.Count} files and {logs.Sum(r => r.Rows)} disputes ({string.Join(", ", logs.Select(r => Path.GetFileName(r.Path)))}) in {inbox}; {sample.PlantedFindings} planted findings in {Path.Combine(root, "answer_key.csv")}"));
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
                Run = PipelineRunner.Summary(r, settings),
            });
            cli.Line($"next: tem sql --lake {lake} \"SELECT rule, count(*) FROM findings GROUP BY ALL\"");
            return code;
        });
        return command;
    }
}
