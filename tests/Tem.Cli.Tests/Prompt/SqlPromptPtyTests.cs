using System.Diagnostics;
using System.Text;

namespace Tem.Cli.Tests.Prompt;

/// <summary>
/// The real <c>tem</c> binary at its prompt in a real pseudo-terminal of 60 columns (util-linux <c>script</c>, part of
/// every Debian system through the essential <c>bsdutils</c> package), typed at as a person would: each step waits
/// for the screen to show the result of the last one, never for a fixed time. What it printed is replayed on the
/// <see cref="VirtualTerminal"/> model to see the screen a person would see.
/// </summary>
public sealed class SqlPromptPtyTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);
    private readonly TempFolder _temp = new("tem-sql-pty");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Prompt_LongLineUpCtrlUAndAMultiLineStatement_ShowsEachResultOnceWithoutATrail()
    {
        Assert.True(PtySession.Script is not null, "this test needs util-linux's script (Debian package bsdutils)");
        var longLine = "SELECT 111111 AS first_result, '" + new string('a', 70) + "' AS padding_column, 2.50 AS price;";
        using var tem = PtySession.Start(_temp.Path, columns: 60, rows: 40);
        tem.WaitFor(s => s.LastLine() == "tem>", "the first prompt");

        // One key at a time, each waited for: every keystroke repaints the wrapped line.
        foreach (var c in longLine)
        {
            var before = tem.OutputLength;
            tem.Send(c.ToString());
            tem.WaitFor(_ => tem.OutputLength > before, $"the echo of '{c}'");
        }

        tem.Send("\r");
        tem.WaitFor(s => s.Count("(1 row)") == 1 && s.LastLine() == "tem>", "the first result and a new prompt");

        tem.Send("\u001b[A");
        tem.WaitFor(s => s.LastLine().EndsWith("AS price;", StringComparison.Ordinal), "the recalled statement");
        tem.Send("\u0015");
        tem.WaitFor(s => s.LastLine() == "tem>", "the emptied prompt after Ctrl+U");
        tem.Send("SELECT 222222 AS second_result;\r");
        tem.WaitFor(s => s.Count("(1 row)") == 2 && s.LastLine() == "tem>", "the second result");

        tem.Send("SELECT 333333\r");
        tem.WaitFor(s => s.LastLine() == "...>", "the continuation prompt");
        tem.Send("  AS third_result;\r");
        tem.WaitFor(s => s.Count("(1 row)") == 3 && s.LastLine() == "tem>", "the multi-line statement's result");

        tem.Send(".quit\r");
        Assert.True(tem.WaitForExit(), "tem sql did not leave at .quit");

        var screen = tem.Screen();
        var lines = screen.Lines();
        Assert.Equal(0, tem.ExitCode);
        Assert.Equal(4, lines.Count(l => l.StartsWith("tem> ", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("...> ", StringComparison.Ordinal));
        Assert.Equal(3, screen.Count("(1 row)"));
        Assert.Single(lines, l => l.TrimStart().StartsWith("111111", StringComparison.Ordinal));
        Assert.Single(lines, l => l.TrimStart().StartsWith("222222", StringComparison.Ordinal));
        Assert.Single(lines, l => l.TrimStart().StartsWith("333333", StringComparison.Ordinal));

        // The long statement stands once, wrapped at 60 columns, right above its result.
        var first = lines.ToList().FindIndex(l => l.StartsWith("tem> SELECT 111111", StringComparison.Ordinal));
        var header = lines.ToList().FindIndex(l => l.StartsWith("first_result", StringComparison.Ordinal));
        Assert.Equal("tem> " + longLine, string.Concat(lines.Skip(first).Take(header - first).Select(l => l.PadRight(60))).TrimEnd());

        // The result was fitted to the terminal: the long text cut with an ellipsis, the number right-aligned under its name.
        Assert.All(lines, l => Assert.True(l.Length <= 60, $"wider than the terminal: {l}"));
        Assert.Contains('\u2026', lines[header + 2]);
        Assert.EndsWith("price", lines[header], StringComparison.Ordinal);
        Assert.EndsWith(" 2.50", lines[header + 2], StringComparison.Ordinal);
        Assert.Equal("third_result", lines.Single(l => l.Contains("third_result", StringComparison.Ordinal) && !l.StartsWith("...>", StringComparison.Ordinal)));

        // The history holds each statement once, the multi-line one with its line break.
        var history = File.ReadAllLines(_temp.Sub("history"));
        Assert.Equal([longLine, "SELECT 222222 AS second_result;", "SELECT 333333\\n  AS third_result;", ".quit"], history);
    }

    [Fact]
    public void Prompt_CtrlCWhileAStatementRuns_StopsItAndTheSessionGoesOn()
    {
        Assert.True(PtySession.Script is not null, "this test needs util-linux's script (Debian package bsdutils)");
        using var tem = PtySession.Start(_temp.Path, columns: 80, rows: 40, "--timeout", "300");
        tem.WaitFor(s => s.LastLine() == "tem>", "the first prompt");
        tem.Send("SELECT count(*) FROM range(1000000000000) a, range(1000) b;\r");
        tem.WaitFor(s => s.LastLine().StartsWith("tem> SELECT count", StringComparison.Ordinal) && s.CursorRow == s.Lines().Count, "the statement to start");

        // Ctrl+C becomes a signal once the statement runs; one sent in the instant before is a key, so it is sent
        // again until the statement says it stopped.
        var clock = Stopwatch.StartNew();
        while (!tem.TryWaitFor(s => s.Count("tem sql: the statement was stopped (Ctrl+C)") == 1, TimeSpan.FromSeconds(2)))
        {
            Assert.True(clock.Elapsed < Guard, "Ctrl+C did not stop the statement");
            tem.Send("\u0003");
        }

        tem.WaitFor(s => s.LastLine() == "tem>", "the prompt after the stopped statement");
        tem.Send("SELECT 7 AS after;\r");
        tem.WaitFor(s => s.Count("(1 row)") == 1, "the next statement's result");
        tem.Send(".quit\r");
        Assert.True(tem.WaitForExit(), "tem sql did not leave at .quit");
        Assert.Equal(0, tem.ExitCode);
        Assert.Single(tem.Screen().Lines(), l => l.Trim() == "7");
    }

    /// <summary>tem sql under <c>script</c>: keys go to its standard input, the terminal's output is collected as it comes.</summary>
    private sealed class PtySession : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Task _reader;
        private readonly int _columns;
        private readonly int _rows;

        private PtySession(Process process, int columns, int rows)
        {
            _process = process;
            _columns = columns;
            _rows = rows;
            _reader = Task.Run(Read);
        }

        public int OutputLength
        {
            get
            {
                lock (_output)
                {
                    return _output.Length;
                }
            }
        }

        public int ExitCode => _process.ExitCode;

        /// <summary>util-linux's script on the PATH, or null.</summary>
        public static string? Script =>
            (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator)
                .Select(d => Path.Combine(d, "script")).FirstOrDefault(File.Exists);

        public static PtySession Start(string dir, int columns, int rows, params string[] options)
        {
            var tem = Path.Combine(AppContext.BaseDirectory, "tem.dll");
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(Script!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir,
            };
            foreach (var a in new[] { "-q", "-f", "-e", "-c", $"stty cols {columns} rows {rows}; exec '{dotnet}' '{tem}' sql {string.Join(' ', options)}", "/dev/null" })
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["TERM"] = "xterm-256color";
            start.Environment["TEM_SQL_HISTORY"] = Path.Combine(dir, "history");
            return new PtySession(Process.Start(start)!, columns, rows);
        }

        public void Send(string keys)
        {
            _process.StandardInput.Write(keys);
            _process.StandardInput.Flush();
        }

        /// <summary>Waits up to <paramref name="timeout"/> for the screen to satisfy <paramref name="condition"/>.</summary>
        public bool TryWaitFor(Func<Screen, bool> condition, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!condition(Screen()))
            {
                if (clock.Elapsed > timeout)
                {
                    return false;
                }

                lock (_output)
                {
                    Monitor.Wait(_output, TimeSpan.FromMilliseconds(200));
                }
            }

            return true;
        }

        /// <summary>Waits until the screen satisfies <paramref name="condition"/>; fails naming what was awaited and showing the screen.</summary>
        public void WaitFor(Func<Screen, bool> condition, string what)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var screen = Screen();
                if (condition(screen))
                {
                    return;
                }

                if (clock.Elapsed > Guard || _process.HasExited && !condition(Screen()))
                {
                    Assert.Fail($"waiting for {what}; the screen:\n{string.Join("\n", screen.Lines())}");
                }

                lock (_output)
                {
                    Monitor.Wait(_output, TimeSpan.FromMilliseconds(200));
                }
            }
        }

        public bool WaitForExit() => _process.WaitForExit(Guard) && _reader.Wait(Guard);

        public Screen Screen()
        {
            string text;
            lock (_output)
            {
                text = _output.ToString();
            }

            var terminal = new VirtualTerminal(_columns, _rows);
            terminal.Feed(text);
            return new Screen(terminal.Lines(), terminal.Cursor.Row);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private async Task Read()
        {
            var decoder = Encoding.UTF8.GetDecoder();
            var bytes = new byte[4096];
            var chars = new char[4096];
            var stream = _process.StandardOutput.BaseStream;
            int n;
            while ((n = await stream.ReadAsync(bytes).ConfigureAwait(false)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, n, chars, 0);
                lock (_output)
                {
                    _output.Append(chars, 0, count);
                    Monitor.PulseAll(_output);
                }
            }
        }
    }

    /// <summary>What the terminal shows.</summary>
    private sealed class Screen(IReadOnlyList<string> lines, int cursorRow)
    {
        /// <summary>The cursor's row: <c>Lines().Count</c> when it is on a new empty row under the text.</summary>
        public int CursorRow => cursorRow;

        public IReadOnlyList<string> Lines() => lines;

        public string LastLine() => lines.Count == 0 ? string.Empty : lines[^1].TrimEnd();

        public int Count(string line) => lines.Count(l => l.Trim() == line);
    }
}
