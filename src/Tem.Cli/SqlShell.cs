using DuckDB.NET.Data;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tem.Cli;

/// <summary>
/// What <c>tem sql</c> does with statements and dot commands, from a query argument, a pipe or the prompt: runs each
/// statement in the read-only session and prints its result in the current mode, to the terminal or to the file of
/// <c>.output</c>/<c>.once</c>.
/// </summary>
/// <param name="session">The read-only session.</param>
/// <param name="output">Standard output.</param>
/// <param name="error">Standard error: refusals, DuckDB's errors, bad dot commands.</param>
/// <param name="format">The starting mode (<c>--format</c>); <c>.mode</c> changes it.</param>
/// <param name="time">Clock of <c>.timer</c>.</param>
/// <param name="terminalWidth">The terminal's columns when <paramref name="output"/> is one (tables are fitted to it), else null.</param>
/// <param name="lakeRoot">The lake folder, which <c>.output</c> may not write into; null without a lake.</param>
internal sealed class SqlShell(
    ReadOnlySqlSession session, TextWriter output, TextWriter error, ResultFormat format, TimeProvider time, Func<int?> terminalWidth, string? lakeRoot) : IDisposable
{
    private static readonly Dictionary<string, ResultFormat> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["table"] = ResultFormat.Table, ["box"] = ResultFormat.Table, ["duckbox"] = ResultFormat.Table, ["csv"] = ResultFormat.Csv,
        ["json"] = ResultFormat.Json, ["markdown"] = ResultFormat.Markdown, ["line"] = ResultFormat.Line,
    };

    private ResultFormat _format = format;
    private bool _timer;
    private StreamWriter? _file;
    private bool _once;

    private enum Dot
    {
        Done,
        Failed,
        Quit,
    }

    /// <summary>Whether Enter ends the prompt's text: a dot command, a blank, or statements all ended by ';' outside quotes and comments.</summary>
    public static bool IsComplete(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!SqlText.HasContent(text) || text.TrimStart().StartsWith('.'))
        {
            return true;
        }

        var (statements, rest) = SqlText.Split(text);
        return statements.Count > 0 && !SqlText.HasContent(rest);
    }

    /// <summary>Runs every statement of <paramref name="text"/> (the last one needs no ';'); false when one failed.</summary>
    public bool RunText(string text) => RunText(text, CancellationToken.None);

    private bool RunText(string text, CancellationToken interrupt)
    {
        var (statements, rest) = SqlText.Split(text);
        if (SqlText.HasContent(rest))
        {
            statements.Add(rest.Trim());
        }

        var ok = true;
        foreach (var statement in statements)
        {
            if (interrupt.IsCancellationRequested)
            {
                break;
            }

            ok &= RunOne(statement, interrupt);
        }

        return ok;
    }

    /// <summary>
    /// Reads statements and dot commands (a line starting with '.' between statements) from a pipe or file until its
    /// end or <c>.quit</c>; every statement runs, failures are reported and make the result false.
    /// </summary>
    public bool RunReader(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var ok = true;
        var pending = string.Empty;
        while (reader.ReadLine() is { } line)
        {
            if (!SqlText.HasContent(pending) && line.TrimStart().StartsWith('.'))
            {
                pending = string.Empty;
                var dot = DotCommand(line.Trim());
                if (dot == Dot.Quit)
                {
                    return ok;
                }

                ok &= dot == Dot.Done;
                continue;
            }

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

    /// <summary>The interactive prompt: a statement ends with ';' and may span lines; '.help' lists the commands.</summary>
    public bool Prompt(ITerminal terminal, LineHistory history, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(history);
        var completion = new SqlCompletion(() =>
            session.Columns().ToDictionary(t => t.Key, t => (IReadOnlyList<string>)[.. t.Value.Select(c => c.Name)], StringComparer.OrdinalIgnoreCase));
        var editor = new LineEditor(terminal, history, IsComplete, completion.Complete);
        var on = tenant is null ? string.Empty : $" for {tenant} (its own copy of its tables)";
        output.WriteLine(lakeRoot is null
            ? "tem sql: no lake (give --lake DIR). Statements end with ';'. .help for help, .quit to leave."
            : $"tem sql on {Path.GetFullPath(lakeRoot)}{on}: {session.Tables.Count} tables (.tables). Statements end with ';'. .help for help, .quit to leave.");
        while (editor.ReadStatement() is { } text)
        {
            if (!SqlText.HasContent(text) && !text.TrimStart().StartsWith('.'))
            {
                continue;
            }

            history.Add(text);
            if (text.TrimStart().StartsWith('.'))
            {
                if (DotCommand(text.Trim()) == Dot.Quit)
                {
                    return true;
                }

                continue;
            }

            // Ctrl+C stops the statement running (and the rest of the line), not the session.
            using var interrupt = new CancellationTokenSource();
            using (terminal.CatchInterrupt(interrupt.Cancel))
            {
                RunText(text, interrupt.Token);
            }
        }

        CloseFile();
        return true;
    }

    private Dot DotCommand(string line)
    {
        var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var argument = parts.Length > 1 ? parts[1] : null;
        switch (parts[0].ToLowerInvariant())
        {
            case ".quit" or ".exit" or ".q":
                CloseFile();
                return Dot.Quit;
            case ".tables":
                return Tables(argument);
            case ".schema":
                return Schema(argument);
            case ".mode" when argument is null:
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"current output mode: {_format.ToString().ToLowerInvariant()}"));
                return Dot.Done;
            case ".mode" when Modes.TryGetValue(argument, out var mode):
                _format = mode;
                return Dot.Done;
            case ".mode":
                return Fail($".mode {argument}: the modes are table, csv, json, markdown and line");
            case ".timer" when argument is not null && argument.ToLowerInvariant() is "on" or "off":
                _timer = argument.Equals("on", StringComparison.OrdinalIgnoreCase);
                return Dot.Done;
            case ".timer":
                return Fail(".timer on or .timer off");
            case ".output" when argument is null:
                CloseFile();
                return Dot.Done;
            case ".output" or ".once" when argument is not null:
                return OpenFile(argument.Trim('"', '\''), once: parts[0].Equals(".once", StringComparison.OrdinalIgnoreCase));
            case ".once":
                return Fail(".once FILE: the next statement's result goes to FILE");
            case ".help":
                output.WriteLine("""
                    A statement ends with ';' and may span lines (Enter before the ';' starts a new line).
                    Keys: Up/Down move between the statement's lines, then through the history; Ctrl+R searches the history;
                      Tab completes tables, columns, keywords and dot commands; Ctrl+A/E line start/end; Ctrl+U/K delete to the
                      line's start/end; Ctrl+W the word before; Ctrl+Y puts back what was deleted; Ctrl+C drops the statement;
                      Ctrl+L clears the screen; Ctrl+D on an empty line leaves.
                    .tables [PATTERN]     tables and views (a LIKE pattern: .tables %usage%)
                    .schema [TABLE]       their columns as CREATE statements
                    .mode [MODE]          table (numbers right-aligned, fitted to the terminal), csv, json, markdown, line
                    .timer on|off         print each statement's run time
                    .output [FILE]        results to FILE from now on; .output alone: back to the terminal
                    .once FILE            the next result only to FILE
                    .help  .quit          this help; leave (or Ctrl+D)
                    Read-only: COPY, ATTACH, INSTALL and reading other files are refused. Also: DESCRIBE usage; SUMMARIZE usage;
                    """);
                return Dot.Done;
            default:
                return Fail($"unknown command {parts[0]}: .help lists the commands");
        }
    }

    private Dot Fail(string message)
    {
        error.WriteLine($"tem sql: {message}");
        return Dot.Failed;
    }

    private Dot Tables(string? pattern)
    {
        var names = session.Columns().Keys.Where(n => pattern is null || Like(n, pattern)).ToList();
        if (names.Count == 0)
        {
            output.WriteLine(pattern is null ? "(no tables)" : $"(no table matches {pattern})");
            return Dot.Done;
        }

        // In columns across the terminal, filled down each column as DuckDB's CLI does.
        var width = terminalWidth() ?? 80;
        var cell = names.Max(n => n.Length) + 2;
        var columns = Math.Max(1, width / cell);
        var rows = (names.Count + columns - 1) / columns;
        var text = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            var line = new StringBuilder();
            for (var c = 0; c < columns && (c * rows) + r < names.Count; c++)
            {
                line.Append(names[(c * rows) + r].PadRight(cell));
            }

            text.AppendLine(line.ToString().TrimEnd());
        }

        output.Write(text.ToString());
        return Dot.Done;
    }

    private Dot Schema(string? table)
    {
        var views = session.ViewNames();
        var tables = session.Columns().Where(t => table is null || Like(t.Key, table)).ToList();
        if (tables.Count == 0)
        {
            return table is null ? Dot.Done : Fail($".schema {table}: no such table or view (.tables lists them)");
        }

        foreach (var (name, columns) in tables)
        {
            var kind = views.Contains(name) ? "VIEW" : "TABLE";
            output.WriteLine($"CREATE {kind} {Name(name)}({string.Join(", ", columns.Select(c => $"{Name(c.Name)} {c.Type}"))});");
        }

        return Dot.Done;
    }

    /// <summary>An identifier as .schema prints it: quoted only when it has to be (not a plain lower-case word, or a reserved one).</summary>
    private static string Name(string name) =>
        Regex.IsMatch(name, "^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) && !Reserved.Contains(name)
            ? name
            : Tem.DuckDb.SqlQuote.Identifier(name);

    private static readonly HashSet<string> Reserved =
    [
        "all", "and", "as", "asc", "by", "case", "cast", "check", "column", "create", "default", "desc", "distinct", "do", "else",
        "end", "except", "false", "for", "from", "grant", "group", "having", "in", "into", "is", "join", "limit", "not", "null",
        "offset", "on", "or", "order", "select", "table", "then", "to", "true", "union", "unique", "user", "using", "when", "where", "with",
    ];

    /// <summary>SQL LIKE, case-insensitive (DuckDB's .tables pattern): % any run, _ one character; a name without either must match whole.</summary>
    private static bool Like(string name, string pattern) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The absolute path with every symbolic link on the way followed (parts that do not exist yet kept as written).</summary>
    private static string RealPath(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            current = info.LinkTarget is { } target && depth < 32
                ? RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1)
                : next;
        }

        return current;
    }

    private Dot OpenFile(string path, bool once)
    {
        var full = Path.GetFullPath(path);
        if (lakeRoot is not null)
        {
            // Compared as the file system sees them: links followed, case ignored where the file system ignores it.
            var lake = RealPath(lakeRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if ((RealPath(full) + Path.DirectorySeparatorChar).StartsWith(lake, comparison))
            {
                return Fail($"{(once ? ".once" : ".output")} {path}: that is inside the lake, which tem sql never writes; choose a file outside it");
            }
        }

        CloseFile();
        try
        {
            _file = new StreamWriter(full, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Fail($"{(once ? ".once" : ".output")} {path}: {e.Message}");
        }

        _once = once;
        return Dot.Done;
    }

    /// <summary>Closes the file of <c>.output</c>, if one is open.</summary>
    public void Dispose() => CloseFile();

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
        _once = false;
    }

    private bool RunOne(string statement, CancellationToken interrupt = default)
    {
        var target = (TextWriter?)_file ?? output;
        var width = _file is null ? terminalWidth() : null;
        var started = time.GetTimestamp();
        try
        {
            var refusal = session.Execute(statement, reader => ResultWriter.Write(reader, target, _format, width), interrupt);
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
        finally
        {
            if (_timer)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Run Time: {time.GetElapsedTime(started).TotalSeconds:0.000} s"));
            }

            if (_once)
            {
                CloseFile();
            }
            else
            {
                _file?.Flush();
            }
        }
    }
}
