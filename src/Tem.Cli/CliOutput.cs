// How a command talks to whoever runs it: a person at a terminal, a script, or a cron job. One object per command
// invocation, built from the global options, so every command behaves the same way:
//
//   --quiet   only problems (stderr) and the essential result lines (totals, report path) are printed
//   --json    stdout holds exactly one JSON document, the command's summary; problems still go to stderr
//   progress  a live Spectre.Console progress bar only when stdout is a real terminal, CI is not set and neither
//             --quiet nor --json is given; otherwise each step is a plain line (a log a cron mail can carry)
//
// Adopting it in a command takes a few lines:
//
//   command.SetAction(parse =>
//   {
//       var cli = CliOutput.For(parse, output, error);        // output/error: the writers TemApp.Run was given
//       cli.Line("detail a person may want");                  // hidden by --quiet and --json
//       cli.Result("EUR: found money 912.29");                 // hidden by --json only
//       cli.Problem("usage.csv: cannot be read");              // always, to stderr
//       var total = cli.WithProgress("ingest", board => op.Run(..., progress: board.For("reading")));  // bars / milestones
//       cli.Summary(new { files = 3, rows_read = 1200 });      // printed only with --json (snake_case names)
//       return TemApp.Ok;
//   });
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace Tem.Cli;

/// <summary>
/// The output of one command invocation: plain lines, problems, progress and the <c>--json</c> summary, following the
/// global <c>--quiet</c> and <c>--json</c> options (see the top of this file for the pattern).
/// </summary>
public sealed class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly TimeProvider _time;
    private List<(TextWriter Writer, string Text)>? _held;

    /// <summary>Creates the output of one command.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="quiet">Only problems and result lines.</param>
    /// <param name="json">stdout holds only the JSON summary.</param>
    /// <param name="interactive">stdout is a terminal a person watches (live progress bars allowed).</param>
    /// <param name="time">The clock progress lines take their time left from; the system clock when null.</param>
    public CliOutput(TextWriter output, TextWriter error, bool quiet, bool json, bool interactive, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Out = output ?? throw new ArgumentNullException(nameof(output));
        Error = error ?? throw new ArgumentNullException(nameof(error));
        Quiet = quiet;
        Json = json;
        Interactive = interactive && !quiet && !json;
    }

    /// <summary><c>--quiet</c>: print only problems and the essential result lines.</summary>
    public static Option<bool> QuietOption { get; } = new("--quiet", "-q")
    {
        Description = "Print only problems and the result (totals, report path).",
        Recursive = true,
    };

    /// <summary><c>--json</c>: print one JSON summary for scripts instead of lines.</summary>
    public static Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print one JSON summary on stdout for scripts (problems still go to stderr).",
        Recursive = true,
    };

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether <c>--quiet</c> was given.</summary>
    public bool Quiet { get; }

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json { get; }

    /// <summary>Whether live progress bars are shown (a terminal, not CI, neither --quiet nor --json).</summary>
    public bool Interactive { get; }

    /// <summary>
    /// The output for a parsed command line. Live progress needs <paramref name="output"/> to be the process's own
    /// stdout on a terminal, and the <c>CI</c> variable unset (CI logs want plain lines).
    /// </summary>
    public static CliOutput For(ParseResult parse, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected &&
                       string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
        return new CliOutput(output, error, parse.GetValue(QuietOption), parse.GetValue(JsonOption), terminal);
    }

    /// <summary>A detail line for a person; hidden by <c>--quiet</c> and <c>--json</c>.</summary>
    public void Line(string text)
    {
        if (!Quiet && !Json)
        {
            Write(Out, text);
        }
    }

    /// <summary>An essential result line (totals, a report's path); hidden by <c>--json</c> only.</summary>
    public void Result(string text)
    {
        if (!Json)
        {
            Write(Out, text);
        }
    }

    /// <summary>A failure or warning, always printed, on stderr.</summary>
    public void Problem(string text) => Write(Error, text);

    /// <summary>Prints the command's summary as JSON when <c>--json</c> was given (property names in snake_case).</summary>
    public void Summary(object value)
    {
        if (Json)
        {
            Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a <see cref="ProgressBoard"/> it reports each stage's <see cref="Tem.Core.WorkProgress"/>
    /// to: on a terminal, a live bar per stage titled <paramref name="title"/> (with the time left for bytes, where the
    /// rate means something); in plain mode (a pipe, CI) a milestone line at each quarter of a large ingest; nothing
    /// with <c>--quiet</c> or <c>--json</c>. Lines printed through <see cref="Line"/> and <see cref="Problem"/> while a
    /// bar is live are held back and printed after it.
    /// </summary>
    public T WithProgress<T>(string title, Func<ProgressBoard, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!Interactive)
        {
            return work(new ProgressBoard(Quiet || Json ? null : this, _time));
        }

        _held = [];
        try
        {
            var timeLeft = new ProgressBoard.TimeLeftColumn();
            return AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), timeLeft, new ElapsedTimeColumn())
                .Start(ctx => work(new ProgressBoard(stage => ctx.AddTask(Markup.Escape(title + ": " + stage), maxValue: ProgressBoard.Scale), timeLeft, _time)));
        }
        finally
        {
            var held = _held;
            _held = null;
            foreach (var (writer, line) in held)
            {
                writer.WriteLine(line);
            }
        }
    }

    private void Write(TextWriter writer, string text)
    {
        // A live bar owns the terminal: lines printed under it would tear it, so they wait until it is done.
        if (_held is not null)
        {
            _held.Add((writer, text));
            return;
        }

        writer.WriteLine(text);
    }
}
