using DuckDB.NET.Data;
using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Reflection;
using Tem.DuckDb;

namespace Tem.Cli;

/// <summary>
/// The <c>tem</c> command. Exit codes: 0 success, 1 a failure the message explains, 2 a usage error.
/// </summary>
public static class TemApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for a failure whose message says what went wrong.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a usage error (unknown command, bad option).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when Ctrl-C stopped the command (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>Parses and runs one command line, writing to the given streams (standard input is the console's).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, Console.In);

    /// <summary>Parses and runs one command line with the given streams; <paramref name="input"/> feeds <c>tem sql</c>'s statements.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader input)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(input);
        // Culture is invariant: System.CommandLine parses "--min-amount 2.5" with the current culture, which under de-DE
        // would read 25. The caller's culture comes back when the command returns (tests run it in process).
        var culture = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            return Invoke(args, output, error, input);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = culture;
        }
    }

    private static int Invoke(string[] args, TextWriter output, TextWriter error, TextReader input)
    {
        var root = BuildRoot(output, error, input);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"tem: {e.Message}");
            }

            error.WriteLine("Run 'tem --help' for usage.");
            return UsageError;
        }

        // Exceptions come here rather than to System.CommandLine's handler, so that a missing lake is one plain line.
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Tem.Lake.NotALakeException e)
        {
            // One answer for every command that needs a lake and is pointed at a folder without one (a typo, most
            // often): what it is not, the nearest lake, exit 1, and nothing created.
            error.WriteLine($"{CommandPath(parse)}: {e.Message}");
            return Failure;
        }
        catch (Tem.Reports.Pdf.BrowserNotFoundException e)
        {
            // Something to install, not a bug: what is missing and how to get it.
            error.WriteLine($"{CommandPath(parse)}: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"{CommandPath(parse)}: stopped.");
            return Cancelled;
        }
        catch (Exception e)
        {
            // A bug, not a message for the user to act on: the whole exception, for the issue they will file.
            error.WriteLine($"{CommandPath(parse)}: unexpected error: {e}");
            return Failure;
        }
    }

    /// <summary>The widest help text: 100 columns, or the terminal's width when it is narrower.</summary>
    public static int HelpWidth
    {
        get
        {
            const int Widest = 100;
            try
            {
                return !Console.IsOutputRedirected && Console.WindowWidth is > 20 and var w ? Math.Min(w, Widest) : Widest;
            }
            catch (IOException)
            {
                return Widest;
            }
        }
    }

    /// <summary>The command as typed, e.g. <c>tem findings set-status</c>, for the start of a message.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "tem" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static RootCommand BuildRoot(TextWriter output, TextWriter error, TextReader input)
    {
        var root = new RootCommand("Tem: telecom expense management and CDR audit. Finds billing errors to dispute and services to cut.");
        root.Options.Add(CliOutput.QuietOption);
        root.Options.Add(CliOutput.JsonOption);
        root.Subcommands.Add(DemoCommand.Create(output, error, TimeProvider.System));
        root.Subcommands.Add(VersionCommand(output));
        root.Subcommands.Add(SqlCommand.Create(output, error, input));
        root.Subcommands.Add(IngestCommand.Create(output, error, TimeProvider.System));
        root.Subcommands.Add(SampleDataCommand.Create(output, error));
        root.Subcommands.Add(AuditCommands.Audit(output, error, TimeProvider.System));
        root.Subcommands.Add(AuditCommands.Findings(output, error, TimeProvider.System));
        root.Subcommands.Add(DisputesCommand.Create(output, error, TimeProvider.System));
        root.Subcommands.Add(AuditCommands.Run(output, error, TimeProvider.System));
        root.Subcommands.Add(ScheduleCommand.Create(output, error));
        root.Subcommands.Add(ReportCommand.Create(output, error, TimeProvider.System));
        root.Subcommands.Add(ConfigCommand.Create(output, error));
        root.Subcommands.Add(EvalAnomalyCommand.Create(output, error));

        // Help wraps at 100 columns (narrower on a narrower terminal), not at the width of whatever wrote the output.
        var help = root.Options.OfType<HelpOption>().Single();
        var width = HelpWidth;
        help.Action = new HelpAction { MaxWidth = width };

        // Bare "tem" shows the help instead of "Required command was not provided".
        root.SetAction(parse => new HelpAction { MaxWidth = width }.Invoke(parse));
        return root;
    }

    private static Command VersionCommand(TextWriter output)
    {
        var command = new Command("version", "Print the versions of Tem and of the DuckDB engine it runs on.");
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, output);
            var tem = typeof(TemApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            using var connection = Tem.Lake.LakeSession.InMemory();
            cli.Result($"tem {tem}");
            cli.Result($"duckdb {connection.ServerVersion}");
            cli.Summary(new { Tem = tem, Duckdb = connection.ServerVersion });
            return Ok;
        });
        return command;
    }
}
