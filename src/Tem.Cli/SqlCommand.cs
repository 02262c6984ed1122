using DuckDB.NET.Data;
using System.CommandLine;
using Tem.DuckDb;

namespace Tem.Cli;

/// <summary>
/// <c>tem sql [--lake DIR] [--tenant PARTY] [--format table|csv|json|markdown|line] [QUERY]</c>: analysts' SQL over the
/// lake, or over one party's copy of its tables, read-only (<see cref="ReadOnlySqlSession"/>). With QUERY it runs that
/// and stops; without, it reads statements ending in <c>;</c> and dot commands from a prompt (<see cref="LineEditor"/>,
/// a terminal) or from standard input (a pipe or a file); <see cref="SqlShell"/> runs them.
/// </summary>
internal static class SqlCommand
{
    public static Command Create(TextWriter output, TextWriter error, TextReader input)
    {
        var query = new Argument<string?>("query")
        {
            Description = "SQL to run (statements separated by ';'). Without it: a prompt, or the statements on standard input.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format: table (numbers right-aligned; fitted to a terminal's width), csv, json, markdown or line.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "csv", "json", "markdown", "line");
        var lake = new Option<string?>("--lake")
        {
            Description = "The lake folder: its tables (usage, charges, services, findings, rejects...) become views. Default: ./tem-lake when it exists.",
        };
        var tenant = new Option<string?>("--tenant")
        {
            Description = "Only this party's rows and columns (any party: distributor, dealer, reseller, customer, lessor), as a copy of its tables " +
                          "held in memory; no file can be read, not even the lake's.",
        };
        var memory = MemoryLimitOption.Create(
            "Memory the session may use (DuckDB's limit, e.g. 2GB or 500MB); nothing spills to disk, so a statement that needs more fails. " +
            "With --tenant the tenant's tables are held in memory too and count against it: if they do not fit, the session does not start.",
            new SqlLimits().MemoryLimit);
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds a statement may run before it is stopped (0 = no limit).",
            DefaultValueFactory = _ => new SqlLimits().Timeout.TotalSeconds,
        };
        var command = new Command("sql", "Query the lake with SQL (DuckDB), read-only: the lake cannot change and no other file can be read or written " +
            "(at the prompt, .output and .once write results to a file outside the lake).")
        {
            query, format, lake, tenant, memory, timeout,
        };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var resultFormat = cli.Json ? ResultFormat.Json : parse.GetValue(format) switch
            {
                "csv" => ResultFormat.Csv,
                "json" => ResultFormat.Json,
                "markdown" => ResultFormat.Markdown,
                "line" => ResultFormat.Line,
                _ => ResultFormat.Table,
            };
            var lakePath = parse.GetValue(lake) ?? (Directory.Exists(Path.Combine("tem-lake", "_tem")) ? "tem-lake" : null);
            var party = parse.GetValue(tenant);
            var limits = new SqlLimits { MemoryLimit = parse.GetValue(memory)! };
            ReadOnlySqlSession session;
            try
            {
                var seconds = parse.GetValue(timeout);
                if (seconds < 0 || double.IsNaN(seconds))
                {
                    error.WriteLine("tem sql: --timeout must be 0 (no limit) or a number of seconds");
                    return TemApp.UsageError;
                }

                if (party is not null && lakePath is null)
                {
                    error.WriteLine("tem sql: --tenant needs a lake: give --lake DIR (no ./tem-lake here)");
                    return TemApp.UsageError;
                }

                limits = limits with { Timeout = TimeSpan.FromSeconds(seconds) };
                session = ReadOnlySqlSession.Open(lakePath, limits, party);
            }
            catch (ArgumentException e) when (e.ParamName == "tenant")
            {
                // As tem report --tenant: a party the lake does not have is a failure the message explains (exit 1).
                error.WriteLine($"tem sql: {e.Message[..e.Message.LastIndexOf(" (Parameter", StringComparison.Ordinal)]}");
                return TemApp.Failure;
            }
            catch (DuckDBException e) when (party is not null && ReadOnlySqlSession.IsOutOfMemory(e))
            {
                error.WriteLine($"tem sql: copying the tables of {party} needs more memory than --memory-limit {limits.MemoryLimit} allows " +
                                $"({ReadOnlySqlSession.FirstLine(e)}); with --tenant the copy is held in memory and nothing spills to disk: give a higher --memory-limit");
                return TemApp.Failure;
            }
            catch (Exception e) when (e is DirectoryNotFoundException or DuckDBException or Tem.Core.InfrastructureException)
            {
                error.WriteLine($"tem sql: {e.Message}");
                return TemApp.Failure;
            }

            using (session)
            {
                // Tables are fitted to the terminal only when the results go to one; a pipe or a file gets them whole.
                var toTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
                var console = new ConsoleTerminal();
                using var shell = new SqlShell(session, output, error, resultFormat, TimeProvider.System, () => toTerminal ? console.Width : null, lakePath);
                if (parse.GetValue(query) is { } text)
                {
                    return shell.RunText(text) ? TemApp.Ok : TemApp.Failure;
                }

                if (!(toTerminal && ReferenceEquals(input, Console.In) && !Console.IsInputRedirected))
                {
                    return shell.RunReader(input) ? TemApp.Ok : TemApp.Failure;
                }

                Console.TreatControlCAsInput = true;
                try
                {
                    return shell.Prompt(console, new LineHistory(HistoryPath()), party) ? TemApp.Ok : TemApp.Failure;
                }
                finally
                {
                    Console.TreatControlCAsInput = false;
                }
            }
        });
        return command;
    }

    /// <summary>Where the prompt keeps its history: <c>TEM_SQL_HISTORY</c>, else <c>~/.tem_sql_history</c> (never in the lake, which stays read-only).</summary>
    internal static string HistoryPath() =>
        Environment.GetEnvironmentVariable("TEM_SQL_HISTORY") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".tem_sql_history");
}
