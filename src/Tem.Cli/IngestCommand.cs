using System.CommandLine;
using Tem.App;
using Tem.Core;
using Tem.Ingest;
using Tem.Ingest.Formats;

namespace Tem.Cli;

/// <summary><c>tem ingest PATH... --lake DIR [--kind K]</c>: files or folders into the lake.</summary>
internal static class IngestCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var paths = new Argument<string[]>("path") { Description = "Files or folders (walked recursively).", Arity = ArgumentArity.OneOrMore };
        var lake = new Option<string>("--lake") { Description = "The lake folder.", DefaultValueFactory = _ => "tem-lake" };
        var kind = new Option<string?>("--kind")
        {
            Description = "Read every file as this kind instead of recognising it: a canonical kind, or a format (" +
                          string.Join(", ", FormatRegistry.All.Select(f => f.Name)) + ").",
        };
        kind.AcceptOnlyFromAmong([.. FormatRegistry.KindNames]);
        var formats = new IngestFormatOptions();
        var memory = MemoryLimitOption.Create("DuckDB memory limit while staging (it spills to the lake's _tem/tmp beyond).");
        var replace = new Option<bool>("--replace")
        {
            Description = "A file that changed since it was ingested from the same path (not merely grown) replaces that earlier version instead of failing as a conflict.",
        };
        var command = new Command("ingest", "Read carrier bills, usage, reference data and PBX call records into the lake; every row is stored or rejected with a reason.")
        {
            paths, lake, kind, memory, replace,
        };
        formats.AddTo(command);
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (formats.Build(parse, out var problem, out var exitCode) is not { } ingestOptions)
            {
                cli.Problem($"tem ingest: {problem}");
                return exitCode;
            }

            var request = new IngestRequest
            {
                Paths = parse.GetValue(paths)!,
                Lake = parse.GetValue(lake)!,
                Options = ingestOptions with { Kind = parse.GetValue(kind), MemoryLimit = parse.GetValue(memory)!, ReplaceChanged = parse.GetValue(replace) },
            };
            IReadOnlyList<InputFile> files;
            try
            {
                files = IngestOperation.Files(request);
            }
            catch (FileNotFoundException e)
            {
                cli.Problem($"tem ingest: {e.Message}");
                return TemApp.Failure;
            }

            var reports = new List<FileReport>();
            var notData = IngestOperation.SplitNotData(files).NotData;
            if (notData.Count > 0)
            {
                cli.Line(IngestOperation.DescribeNotData([.. notData.Select(f => f.Name)]));
            }

            var result = cli.WithProgress("ingest", board => new IngestOperation(time).Run(request, files, (i, report) =>
            {
                reports.Add(report);
                if (report.Outcome == FileOutcome.Failed)
                {
                    cli.Problem(report.Message);
                }
                else
                {
                    cli.Line(report.Message);
                }

                if (report.IgnoredColumns.Count > 0)
                {
                    cli.Line($"  ignored columns: {string.Join(", ", report.IgnoredColumns)}");
                }
            }, board.For("ingest")));
            var run = result.Run;
            if (run.Outcome == RunOutcome.Locked)
            {
                cli.Problem($"tem ingest: {run.Message}");
                cli.Summary(Summary(result, reports));
                return TemApp.Failure;
            }

            foreach (var id in run.InterruptedRuns)
            {
                cli.Problem($"tem ingest: run {id} had been interrupted (its process died); this run completed the lake");
            }

            if (run.Value is null && run.Message is not null)
            {
                cli.Problem($"tem ingest: {WireNames.ToWire(run.Outcome)}: {run.Message}");
            }

            var t = result.Totals;
            cli.Result($"{IngestOperation.DescribeTotals(t)}; lake {result.Lake}");
            if (t.Rejected > 0)
            {
                cli.Line("  rejected rows: tem sql --lake ... \"SELECT * FROM rejects\" (file, line, column, reason, raw text)");
            }

            cli.Summary(Summary(result, reports));
            return run.Succeeded ? TemApp.Ok : TemApp.Failure;
        });
        return command;
    }

    /// <summary>The JSON summary of <c>tem ingest</c>.</summary>
    private static object Summary(IngestRunResult r, IReadOnlyList<FileReport> reports) => new
    {
        r.Run.RunId,
        Outcome = WireNames.ToWire(r.Run.Outcome),
        r.Lake,
        r.Totals.Files,
        FailedFiles = r.Totals.Failed,
        RowsRead = r.Totals.Read,
        RowsStored = r.Totals.Stored,
        RowsRejected = r.Totals.Rejected,
        RepeatedRecords = r.Totals.Repeats,
        r.Run.InterruptedRuns,
        r.Run.Message,
        r.NotData,
        Results = reports.Select(f => new
        {
            f.Path, f.Kind, Outcome = WireNames.ToWire(f.Outcome), RowsRead = f.RowsRead, RowsStored = f.RowsStored, RowsRejected = f.RowsRejected,
            RepeatedRecords = f.Repeats, f.Message,
        }),
    };
}
