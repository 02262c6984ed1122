using Tem.App;
using Tem.Core;

namespace Tem.Cli;

/// <summary>Runs the <see cref="Pipeline"/> for <c>tem run</c> and <c>tem demo</c> and prints its progress and result.</summary>
internal static class PipelineRunner
{
    public static int Run(CliOutput cli, Pipeline pipeline, PipelineOptions options, Func<PipelineResult, object>? summary = null)
    {
        PipelineResult result;
        try
        {
            result = cli.WithProgress(options.Name, board => pipeline.Run(options, p =>
            {
                if (p.IsProblem)
                {
                    cli.Problem(p.Message);
                }
                else if (p.Stage != PipelineStage.Report)
                {
                    cli.Line(p.Message);
                }
            }, new SynchronousProgress<StageProgress>(s => board.Report(s.Stage.ToString().ToLowerInvariant(), s.Work))));
        }
        catch (DirectoryNotFoundException e)
        {
            cli.Problem($"tem {options.Name}: {e.Message}");
            return TemApp.Failure;
        }

        foreach (var id in result.InterruptedRuns)
        {
            cli.Problem($"tem {options.Name}: run {id} had been interrupted (its process died); this run completed the lake");
        }

        if (result.Message is not null)
        {
            cli.Problem($"tem {options.Name}: {WireNames.ToWire(result.Outcome)}: {result.Message}");
        }

        if (Pipeline.DescribeRepeated(result) is { } repeated)
        {
            cli.Line(repeated);
        }

        cli.Line(IngestOperation.DescribeTotals(result.Ingest));
        foreach (var t in result.Totals)
        {
            cli.Result(Pipeline.Describe(t));
        }

        if (result.ReportPath is not null)
        {
            cli.Result($"report: {result.ReportPath}");
        }

        cli.Summary(summary is null ? Summary(result) : summary(result));
        return result.Succeeded ? TemApp.Ok : TemApp.Failure;
    }

    /// <summary>
    /// The JSON summary of a run (what <c>--json</c> prints for <c>tem run</c>, <c>tem demo</c> and a checked schedule):
    /// the run, its totals, the files that are not data, the report's warnings and the settings it ran with (null when
    /// the caller resolved none).
    /// </summary>
    public static object Summary(PipelineResult r, EffectiveSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new
        {
            r.RunId,
            Outcome = WireNames.ToWire(r.Outcome),
            r.StartedAt,
            r.FinishedAt,
            Files = r.Ingest.Files,
            FailedFiles = r.Ingest.Failed,
            RowsRead = r.Ingest.Read,
            RowsStored = r.Ingest.Stored,
            RowsRejected = r.Ingest.Rejected,
            Findings = r.OpenFindings,
            FoundMoney = r.Totals.Select(Pipeline.Json),
            Report = r.ReportPath,
            r.InterruptedRuns,
            r.Message,
            r.NotData,
            Warnings = r.ReportWarnings,
            Settings = settings?.ToJsonElement(),
        };
    }
}
