using DuckDB.NET.Data;
using System.CommandLine;
using Tem.DuckDb;

namespace Tem.Cli;

/// <summary>
/// <c>tem sql [--lake DIR] [--tenant PARTY] [--format table|csv|json] [QUERY]</c>: analysts' SQL over the lake, or
/// over one party's copy of its tables, read-only (<see cref="ReadOnlySqlSession"/>). With QUERY it runs that and
/// stops; without, it reads statements ending in <c>;</c> from a prompt with line editing and history (a terminal) or
/// from standard input (a pipe or a file).
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
        var format = new Option<string>("--format") { Description = "Output format: table, csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
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
        var command = new Command("sql", "Query the lake with SQL (DuckDB), read-only: the lake cannot change and no other file can be read or written.")
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
                var shell = new Shell(session, output, error, resultFormat);
                if (parse.GetValue(query) is { } text)
                {
                    return shell.RunText(text) ? TemApp.Ok : TemApp.Failure;
                }

                var terminal = ReferenceEquals(input, Console.In) && !Console.IsInputRedirected && ReferenceEquals(output, Console.Out) &&
                               !Console.IsOutputRedirected;
                return (terminal ? shell.Prompt(lakePath, party) : shell.RunReader(input)) ? TemApp.Ok : TemApp.Failure;
            }
        });
        return command;
    }

    /// <summary>Where the prompt keeps its history: <c>TEM_SQL_HISTORY</c>, else <c>~/.tem_sql_history</c> (never in the lake, which stays read-only).</summary>
    internal static string HistoryPath() =>
        Environment.GetEnvironmentVariable("TEM_SQL_HISTORY") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".tem_sql_history");

    private sealed class Shell(ReadOnlySqlSession session, TextWriter output, TextWriter error, ResultFormat format)
    {
        /// <summary>Runs every statement of <paramref name="text"/> (the last one needs no ';'); false when one failed.</summary>
        public bool RunText(string text)
        {
            var (statements, rest) = SqlText.Split(text);
            if (SqlText.HasContent(rest))
            {
                statements.Add(rest.Trim());
            }

            var ok = true;
            foreach (var statement in statements)
            {
                ok &= RunOne(statement);
            }

            return ok;
        }

        /// <summary>Reads statements from a pipe or file until its end; every statement runs, failures are reported.</summary>
        public bool RunReader(TextReader reader)
        {
            var ok = true;
            var pending = string.Empty;
            while (reader.ReadLine() is { } line)
            {
                pending += line + "\n";
                var (statements, rest) = SqlText.Split(pending);
                foreach (var statement in statements)
                {
                    ok &= RunOne(statement);
                }

                pending = rest;
            }

            return SqlText.HasContent(pending) ? RunOne(pending.Trim()) && ok : ok;
        }

        /// <summary>The interactive prompt: statements end with ';', '.help' lists the commands.</summary>
        public bool Prompt(string? lake, string? tenant)
        {
            var history = new LineHistory(HistoryPath());
            Console.TreatControlCAsInput = true;
            var on = tenant is null ? string.Empty : $" for {tenant} (its own copy of its tables)";
            output.WriteLine(lake is null
                ? "tem sql: no lake (give --lake DIR). Statements end with ';'. .help for help, .quit to leave."
                : $"tem sql on {Path.GetFullPath(lake)}{on}: {session.Tables.Count} tables (.tables). Statements end with ';'. .help for help, .quit to leave.");
            var pending = string.Empty;
            while (true)
            {
                var line = LineEditor.ReadLine(pending.Length == 0 ? "tem> " : "...> ", history);
                if (line is null)
                {
                    output.WriteLine();
                    Console.TreatControlCAsInput = false;
                    return true;
                }

                if (pending.Length == 0 && line.TrimStart().StartsWith('.'))
                {
                    if (!DotCommand(line.Trim()))
                    {
                        Console.TreatControlCAsInput = false;
                        return true;
                    }

                    continue;
                }

                pending += line + "\n";
                var (statements, rest) = SqlText.Split(pending);
                foreach (var statement in statements)
                {
                    history.Add(statement.ReplaceLineEndings(" ") + ";");
                    RunOne(statement);
                }

                pending = SqlText.HasContent(rest) ? rest : string.Empty;
            }
        }

        private bool DotCommand(string command)
        {
            switch (command)
            {
                case ".quit" or ".exit" or ".q":
                    return false;
                case ".tables":
                    output.WriteLine(session.Tables.Count == 0 ? "(no tables)" : string.Join("  ", session.Tables));
                    return true;
                default:
                    output.WriteLine("""
                        Statements end with ';' and may span lines. Up/down arrows walk the history.
                          .tables   the session's tables       DESCRIBE usage;   a table's columns
                          .quit     leave (or Ctrl+D)          read-only: COPY, ATTACH, INSTALL and file access are refused
                        """);
                    return true;
            }
        }

        private bool RunOne(string statement)
        {
            try
            {
                var refusal = session.Execute(statement, reader => ResultWriter.Write(reader, output, format));
                if (refusal is not null)
                {
                    error.WriteLine($"tem sql: {refusal}");
                    return false;
                }

                return true;
            }
            catch (DuckDBException e)
            {
                error.WriteLine($"tem sql: {e.Message}");
                return false;
            }
            catch (NotSupportedException e)
            {
                error.WriteLine($"tem sql: {e.Message}");
                return false;
            }
        }
    }
}

/// <summary>The prompt's history: one statement a line, the last 1000 kept, saved after every statement.</summary>
internal sealed class LineHistory
{
    private const int Keep = 1000;
    private readonly string _path;
    private readonly List<string> _entries;

    public LineHistory(string path)
    {
        _path = path;
        try
        {
            _entries = File.Exists(path) ? [.. File.ReadLines(path).Where(l => l.Length > 0).TakeLast(Keep)] : [];
        }
        catch (IOException)
        {
            _entries = [];
        }
    }

    public IReadOnlyList<string> Entries => _entries;

    public void Add(string entry)
    {
        if (_entries.Count > 0 && _entries[^1] == entry)
        {
            return;
        }

        _entries.Add(entry);
        if (_entries.Count > Keep)
        {
            _entries.RemoveAt(0);
        }

        try
        {
            File.WriteAllLines(_path, _entries);
        }
        catch (IOException)
        {
            // History is a convenience; a read-only home must not stop the session.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A minimal line editor for the prompt: arrows, Home/End, Backspace/Delete, history, Ctrl+C clears, Ctrl+D ends.</summary>
internal static class LineEditor
{
    public static string? ReadLine(string prompt, LineHistory history)
    {
        Console.Write(prompt);
        var line = new System.Text.StringBuilder();
        var cursor = 0;
        var index = history.Entries.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    return line.ToString();
                case ConsoleKey.Backspace when cursor > 0:
                    line.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < line.Length:
                    line.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < line.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = line.Length;
                    break;
                case ConsoleKey.UpArrow when index > 0:
                    line.Clear().Append(history.Entries[--index]);
                    cursor = line.Length;
                    break;
                case ConsoleKey.DownArrow when index < history.Entries.Count:
                    index++;
                    line.Clear().Append(index < history.Entries.Count ? history.Entries[index] : string.Empty);
                    cursor = line.Length;
                    break;
                default:
                    if (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0)
                    {
                        return null;
                    }

                    if (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control))
                    {
                        line.Clear();
                        cursor = 0;
                    }
                    else if (!char.IsControl(key.KeyChar))
                    {
                        line.Insert(cursor++, key.KeyChar);
                    }

                    break;
            }

            Redraw(prompt, line.ToString(), cursor);
        }
    }

    private static void Redraw(string prompt, string text, int cursor)
    {
        // Carriage return, prompt and text, clear to the end of the line, then put the cursor back.
        Console.Write("\r" + prompt + text + "\u001b[K");
        var back = text.Length - cursor;
        if (back > 0)
        {
            Console.Write($"\u001b[{back.ToString(System.Globalization.CultureInfo.InvariantCulture)}D");
        }
    }
}
