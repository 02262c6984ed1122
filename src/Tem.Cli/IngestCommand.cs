using System.CommandLine;
using System.Globalization;
using Tem.Ingest;
using Tem.Ingest.Formats;
using Tem.Lake;

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
        var memory = new Option<string>("--memory-limit") { Description = "DuckDB memory limit while staging (it spills to disk beyond).", DefaultValueFactory = _ => "1GB" };
        var command = new Command("ingest", "Read carrier bills, usage, reference data and PBX call records into the lake; every row is stored or rejected with a reason.")
        {
            paths, lake, kind, memory,
        };
        formats.AddTo(command);
        command.SetAction(parse =>
        {
            if (formats.Build(parse, out var problem, out var exitCode) is not { } ingestOptions)
            {
                error.WriteLine($"tem ingest: {problem}");
                return exitCode;
            }

            IReadOnlyList<string> files;
            try
            {
                files = Ingestor.ExpandPaths(parse.GetValue(paths)!);
            }
            catch (FileNotFoundException e)
            {
                error.WriteLine($"tem ingest: {e.Message}");
                return TemApp.Failure;
            }

            var lakeRoot = Path.GetFullPath(parse.GetValue(lake)!);
            using var writeLock = LakeWriteLock.TryAcquire(lakeRoot, $"tem ingest (pid {Environment.ProcessId})", TimeSpan.Zero, time, out var holder);
            if (writeLock is null)
            {
                error.WriteLine($"tem ingest: {LakeWriteLock.LockedMessage(lakeRoot, holder)}");
                return TemApp.Failure;
            }

            var temLake = TemLake.Open(lakeRoot);
            var runId = "run-" + time.GetUtcNow().ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture);
            temLake.Catalog.StartRun(runId, "ingest", time.GetUtcNow());
            var ingestor = new Ingestor(temLake, time, ingestOptions with { Kind = parse.GetValue(kind), MemoryLimit = parse.GetValue(memory)! });
            var (failed, read, stored, rejected) = IngestAll(ingestor, files, runId, output, error);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{files.Count} files: read {read} / stored {stored} / rejected {rejected} rows; lake {temLake.Root}"));
            if (rejected > 0)
            {
                output.WriteLine("  rejected rows: tem sql --lake ... \"SELECT * FROM rejects\" (file, line, column, reason, raw text)");
            }

            temLake.Catalog.FinishRun(runId, time.GetUtcNow(), failed == 0 ? "ok" : "failed", files.Count, read, stored, rejected, null);
            return failed == 0 ? TemApp.Ok : TemApp.Failure;
        });
        return command;
    }

    /// <summary>
    /// Ingests files one by one, printing each file's result (failures to <paramref name="error"/>); a file that
    /// fails does not stop the others. Returns how many failed and the row totals.
    /// </summary>
    internal static (int Failed, long Read, long Stored, long Rejected) IngestAll(
        Ingestor ingestor, IReadOnlyList<string> files, string runId, TextWriter output, TextWriter error)
    {
        var totals = ingestor.IngestFiles(files, runId, (_, report) =>
        {
            (report.Outcome == FileOutcome.Failed ? error : output).WriteLine(report.Message);
            if (report.IgnoredColumns.Count > 0)
            {
                output.WriteLine($"  ignored columns: {string.Join(", ", report.IgnoredColumns)}");
            }
        });
        return (totals.Failed, totals.Read, totals.Stored, totals.Rejected);
    }
}
