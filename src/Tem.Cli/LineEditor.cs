using System.Globalization;
using System.Text;

namespace Tem.Cli;

/// <summary>What the line editor reads keys from and draws on: the console, or a virtual terminal in tests.</summary>
internal interface ITerminal
{
    /// <summary>Columns of the terminal now (it may be resized between two keys).</summary>
    int Width { get; }

    /// <summary>Whether another key is already waiting (a paste, fast typing): the editor then repaints once after the last.</summary>
    bool KeyAvailable { get; }

    /// <summary>Blocks for the next key, without echo.</summary>
    ConsoleKeyInfo ReadKey();

    /// <summary>Writes text and ANSI control sequences as they are.</summary>
    void Write(string text);

    /// <summary>Until disposed, Ctrl+C calls <paramref name="interrupt"/> (while a statement runs) instead of arriving as a key.</summary>
    IDisposable CatchInterrupt(Action interrupt);
}

/// <summary>The process's console as an <see cref="ITerminal"/>.</summary>
internal sealed class ConsoleTerminal : ITerminal
{
    /// <summary>80 columns when the terminal does not say (a pseudo-terminal with no size set reports 0).</summary>
    public int Width
    {
        get
        {
            try
            {
                return Console.WindowWidth is > 0 and var w ? w : 80;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }

    public bool KeyAvailable => Console.KeyAvailable;

    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public void Write(string text)
    {
        Console.Out.Write(text);
        Console.Out.Flush();
    }

    public IDisposable CatchInterrupt(Action interrupt) => new Interrupt(interrupt);

    /// <summary>Ctrl+C as a signal that stops the statement and not the process; the editor reads it as a key again afterwards.</summary>
    private sealed class Interrupt : IDisposable
    {
        private readonly ConsoleCancelEventHandler _handler;

        public Interrupt(Action interrupt)
        {
            _handler = (_, e) =>
            {
                e.Cancel = true;
                interrupt();
            };
            Console.TreatControlCAsInput = false;
            Console.CancelKeyPress += _handler;
        }

        public void Dispose()
        {
            Console.CancelKeyPress -= _handler;
            Console.TreatControlCAsInput = true;
        }
    }
}

/// <summary>Which candidates complete the word before the cursor: the word's first offset and the candidates (case as they should be inserted).</summary>
internal delegate (int Start, IReadOnlyList<string> Candidates) Completer(string text, int cursor);

/// <summary>
/// The <c>tem sql</c> prompt's editor: one statement, over as many lines and terminal rows as it takes.
/// </summary>
/// <remarks>
/// <para>Hand-written on purpose. RadLine 0.6.0 (the Spectre line-editor preview, the only editor library served here)
/// was tried in a 60-column pseudo-terminal: it scrolls a long line sideways instead of wrapping it, so a submitted
/// long statement stays on screen cut at the terminal's width; its multi-line mode starts a new line on Shift+Enter,
/// which a terminal sends exactly like Enter, so a statement cannot continue until its ';'; and it has no reverse
/// history search. Its completion and history would not have made up for those.</para>
/// <para>Why the old editor left trails: it redrew with a carriage return, which goes back to the start of the
/// terminal row the cursor is on, not of the prompt, so once the line wrapped every key printed the whole line
/// again one row lower. This editor knows how many rows the edited block takes at the current width (the layout is
/// a pure function, <see cref="Layout"/>), moves up to the block's first row, clears to the end of the screen and
/// repaints the block. Ctrl+U was not bound at all, so a recalled statement stayed and ran with the new one.</para>
/// <para>Characters are taken as one column each: East Asian wide characters or emoji in a statement may misplace
/// the cursor until the next repaint.</para>
/// </remarks>
internal sealed class LineEditor(ITerminal terminal, LineHistory history, Func<string, bool> isComplete, Completer? complete = null)
{
    /// <summary>The first line's prompt.</summary>
    public const string Prompt = "tem> ";

    /// <summary>The prompt of every further line of a statement.</summary>
    public const string ContinuationPrompt = "...> ";

    private const int ListedCandidates = 60;

    private readonly StringBuilder _text = new();
    private int _cursor;

    // The terminal row the cursor is on, counted from the block's first row, after the last repaint; and the width then.
    private int _cursorRow;
    private int _paintedWidth;
    private (List<(string Prompt, string Text)> Lines, int CursorLine, int CursorColumn) _paintedBlock;
    private Layout? _painted;

    private int _historyIndex;
    private string _draft = string.Empty;
    private string _killed = string.Empty;

    private bool _searching;
    private string _searchQuery = string.Empty;
    private int _searchMatch = -1;

    private bool _lastWasTab;

    private enum Outcome
    {
        Continue,
        Accept,
        EndOfInput,
    }

    /// <summary>
    /// Reads one statement (or dot command). Enter accepts it when <c>isComplete</c> says so, and otherwise starts a
    /// new line. Returns null at Ctrl+D on an empty statement.
    /// </summary>
    public string? ReadStatement()
    {
        _text.Clear();
        _cursor = 0;
        _cursorRow = 0;
        _painted = null;
        _historyIndex = history.Entries.Count;
        _draft = string.Empty;
        _searching = false;
        Paint();
        while (true)
        {
            var key = terminal.ReadKey();
            switch (Handle(key))
            {
                case Outcome.Accept:
                    _cursor = _text.Length;
                    Paint();
                    terminal.Write("\r\n");
                    return _text.ToString();
                case Outcome.EndOfInput:
                    terminal.Write("\r\n");
                    return null;
            }

            if (!terminal.KeyAvailable)
            {
                Paint();
            }
        }
    }

    private Outcome Handle(ConsoleKeyInfo key)
    {
        var control = ControlLetter(key);
        var tab = key.Key == ConsoleKey.Tab && control is null;
        try
        {
            if (_searching)
            {
                if (HandleSearch(key, control))
                {
                    return Outcome.Continue;
                }
            }

            return HandleEdit(key, control, tab);
        }
        finally
        {
            _lastWasTab = tab;
        }
    }

    /// <summary>The letter of a Ctrl+letter key (upper case), whether the console reports it as a key or as its control character.</summary>
    private static char? ControlLetter(ConsoleKeyInfo key)
    {
        if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z)
        {
            return (char)('A' + (key.Key - ConsoleKey.A));
        }

        // Tab (^I), Enter (^M, ^J) and Backspace (^H) keep their own keys.
        return key.KeyChar is >= '\u0001' and <= '\u001a' and not '\t' and not '\r' and not '\n' and not '\b'
            ? (char)('A' + key.KeyChar - 1)
            : null;
    }

    private Outcome HandleEdit(ConsoleKeyInfo key, char? control, bool tab)
    {
        var alt = key.Modifiers.HasFlag(ConsoleModifiers.Alt);
        var ctrl = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        switch (control)
        {
            case 'A':
                _cursor = LineStart(_cursor);
                return Outcome.Continue;
            case 'E':
                _cursor = LineEnd(_cursor);
                return Outcome.Continue;
            case 'B':
                _cursor = Math.Max(0, _cursor - 1);
                return Outcome.Continue;
            case 'F':
                _cursor = Math.Min(_text.Length, _cursor + 1);
                return Outcome.Continue;
            case 'U':
                KillLineBackward();
                return Outcome.Continue;
            case 'K':
                Kill(_cursor, LineEnd(_cursor) == _cursor && _cursor < _text.Length ? _cursor + 1 : LineEnd(_cursor));
                return Outcome.Continue;
            case 'W':
                Kill(WordStart(_cursor, whitespaceOnly: true), _cursor);
                return Outcome.Continue;
            case 'Y':
                Insert(_killed);
                return Outcome.Continue;
            case 'D' when _text.Length == 0:
                return Outcome.EndOfInput;
            case 'D':
                Kill(_cursor, Math.Min(_text.Length, _cursor + 1), keep: false);
                return Outcome.Continue;
            case 'C':
                // Drop the statement: leave it on screen marked ^C and start again below.
                _cursor = _text.Length;
                Paint();
                terminal.Write("^C\r\n");
                _text.Clear();
                _cursor = 0;
                _cursorRow = 0;
                _painted = null;
                _historyIndex = history.Entries.Count;
                return Outcome.Continue;
            case 'L':
                terminal.Write("\u001b[H\u001b[2J");
                _cursorRow = 0;
                _painted = null;
                return Outcome.Continue;
            case 'R':
                StartSearch();
                return Outcome.Continue;
            case 'P':
                Up();
                return Outcome.Continue;
            case 'N':
                Down();
                return Outcome.Continue;
            case 'G':
                return Outcome.Continue;
        }

        switch (key.Key)
        {
            case ConsoleKey.Enter:
                var text = _text.ToString();
                if (isComplete(text))
                {
                    return Outcome.Accept;
                }

                Insert("\n");
                return Outcome.Continue;
            case ConsoleKey.Backspace when alt || ctrl:
                Kill(WordStart(_cursor, whitespaceOnly: false), _cursor);
                return Outcome.Continue;
            case ConsoleKey.Backspace:
                Kill(Math.Max(0, _cursor - 1), _cursor, keep: false);
                return Outcome.Continue;
            case ConsoleKey.Delete:
                Kill(_cursor, Math.Min(_text.Length, _cursor + 1), keep: false);
                return Outcome.Continue;
            case ConsoleKey.LeftArrow when alt || ctrl:
                _cursor = WordStart(_cursor, whitespaceOnly: false);
                return Outcome.Continue;
            case ConsoleKey.RightArrow when alt || ctrl:
                _cursor = WordEnd(_cursor);
                return Outcome.Continue;
            case ConsoleKey.B when alt:
                _cursor = WordStart(_cursor, whitespaceOnly: false);
                return Outcome.Continue;
            case ConsoleKey.F when alt:
                _cursor = WordEnd(_cursor);
                return Outcome.Continue;
            case ConsoleKey.LeftArrow:
                _cursor = Math.Max(0, _cursor - 1);
                return Outcome.Continue;
            case ConsoleKey.RightArrow:
                _cursor = Math.Min(_text.Length, _cursor + 1);
                return Outcome.Continue;
            case ConsoleKey.Home:
                _cursor = LineStart(_cursor);
                return Outcome.Continue;
            case ConsoleKey.End:
                _cursor = LineEnd(_cursor);
                return Outcome.Continue;
            case ConsoleKey.UpArrow:
                Up();
                return Outcome.Continue;
            case ConsoleKey.DownArrow:
                Down();
                return Outcome.Continue;
            case ConsoleKey.Tab when tab && terminal.KeyAvailable:
                // A tab inside pasted text is indentation, not a request to complete.
                Insert("    ");
                return Outcome.Continue;
            case ConsoleKey.Tab when tab:
                Complete();
                return Outcome.Continue;
        }

        if (!alt && !char.IsControl(key.KeyChar) && key.KeyChar != '\0')
        {
            Insert(key.KeyChar.ToString());
        }

        return Outcome.Continue;
    }

    private void Insert(string s)
    {
        _text.Insert(_cursor, s);
        _cursor += s.Length;
    }

    /// <summary>Removes [from, to); what it removed can be yanked back with Ctrl+Y unless <paramref name="keep"/> is false.</summary>
    private void Kill(int from, int to, bool keep = true)
    {
        if (to <= from)
        {
            return;
        }

        if (keep)
        {
            _killed = _text.ToString(from, to - from);
        }

        _text.Remove(from, to - from);
        _cursor = from;
    }

    /// <summary>
    /// Ctrl+U: the current line up to the cursor. At the start of a line it takes the line break and the line before,
    /// so that pressing it again empties a recalled multi-line statement line by line, from the end.
    /// </summary>
    private void KillLineBackward()
    {
        var start = LineStart(_cursor);
        if (start == _cursor && _cursor > 0)
        {
            start = LineStart(_cursor - 1);
        }

        Kill(start, _cursor);
    }

    private int LineStart(int at)
    {
        var i = at;
        while (i > 0 && _text[i - 1] != '\n')
        {
            i--;
        }

        return i;
    }

    private int LineEnd(int at)
    {
        var i = at;
        while (i < _text.Length && _text[i] != '\n')
        {
            i++;
        }

        return i;
    }

    private int WordStart(int at, bool whitespaceOnly)
    {
        bool Word(char c) => whitespaceOnly ? !char.IsWhiteSpace(c) : char.IsLetterOrDigit(c) || c == '_';
        var i = at;
        while (i > 0 && !Word(_text[i - 1]))
        {
            i--;
        }

        while (i > 0 && Word(_text[i - 1]))
        {
            i--;
        }

        return i;
    }

    private int WordEnd(int at)
    {
        static bool Word(char c) => char.IsLetterOrDigit(c) || c == '_';
        var i = at;
        while (i < _text.Length && !Word(_text[i]))
        {
            i++;
        }

        while (i < _text.Length && Word(_text[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>Up: the line above in the statement; from its first line, the previous history entry.</summary>
    private void Up()
    {
        var start = LineStart(_cursor);
        if (start > 0)
        {
            var column = _cursor - start;
            var above = LineStart(start - 1);
            _cursor = Math.Min(above + column, start - 1);
            return;
        }

        if (_historyIndex == 0)
        {
            return;
        }

        if (_historyIndex == history.Entries.Count)
        {
            _draft = _text.ToString();
        }

        Recall(history.Entries[--_historyIndex]);
    }

    /// <summary>Down: the line below in the statement; from its last line, the next history entry (then the statement being written).</summary>
    private void Down()
    {
        var end = LineEnd(_cursor);
        if (end < _text.Length)
        {
            var column = _cursor - LineStart(_cursor);
            _cursor = Math.Min(end + 1 + column, LineEnd(end + 1));
            return;
        }

        if (_historyIndex >= history.Entries.Count)
        {
            return;
        }

        _historyIndex++;
        Recall(_historyIndex == history.Entries.Count ? _draft : history.Entries[_historyIndex]);
    }

    private void Recall(string entry)
    {
        _text.Clear().Append(entry);
        _cursor = _text.Length;
    }

    private void StartSearch()
    {
        if (_searching)
        {
            // Ctrl+R again: the next older match.
            Search(_searchMatch - 1);
            return;
        }

        _searching = true;
        _searchQuery = string.Empty;
        _searchMatch = -1;
    }

    /// <summary>Finds the newest entry at or before <paramref name="from"/> containing the query; keeps the last match when there is none.</summary>
    private void Search(int from)
    {
        for (var i = Math.Min(from, history.Entries.Count - 1); i >= 0; i--)
        {
            if (_searchQuery.Length > 0 && history.Entries[i].Contains(_searchQuery, StringComparison.OrdinalIgnoreCase))
            {
                _searchMatch = i;
                return;
            }
        }

        if (_searchQuery.Length == 0)
        {
            _searchMatch = -1;
        }
        else if (_searchMatch >= 0 && !history.Entries[_searchMatch].Contains(_searchQuery, StringComparison.OrdinalIgnoreCase))
        {
            _searchMatch = -1;
        }
    }

    /// <summary>A key during Ctrl+R search; false when the search ended and the key is to be handled as an edit.</summary>
    private bool HandleSearch(ConsoleKeyInfo key, char? control)
    {
        if (control == 'R')
        {
            StartSearch();
            return true;
        }

        if (control is 'G' or 'C' || key.Key == ConsoleKey.Escape)
        {
            _searching = false;
            return true;
        }

        if (key.Key == ConsoleKey.Backspace)
        {
            if (_searchQuery.Length > 0)
            {
                _searchQuery = _searchQuery[..^1];
                Search(history.Entries.Count - 1);
            }

            return true;
        }

        if (control is null && key.Key != ConsoleKey.Enter && key.Key != ConsoleKey.Tab && !char.IsControl(key.KeyChar) && key.KeyChar != '\0' &&
            !key.Modifiers.HasFlag(ConsoleModifiers.Alt))
        {
            _searchQuery += key.KeyChar;
            Search(_searchMatch >= 0 ? _searchMatch : history.Entries.Count - 1);
            return true;
        }

        // Any other key takes the match into the statement and then does what it does there (Enter runs it).
        _searching = false;
        if (_searchMatch >= 0)
        {
            _historyIndex = _searchMatch;
            Recall(history.Entries[_searchMatch]);
        }

        return false;
    }

    private void Complete()
    {
        if (complete is null)
        {
            return;
        }

        var text = _text.ToString();
        var (start, candidates) = complete(text, _cursor);
        if (candidates.Count == 0)
        {
            return;
        }

        var word = text[start.._cursor];
        var common = candidates[0];
        foreach (var c in candidates.Skip(1))
        {
            var n = 0;
            while (n < common.Length && n < c.Length && char.ToUpperInvariant(common[n]) == char.ToUpperInvariant(c[n]))
            {
                n++;
            }

            common = common[..n];
        }

        if (candidates.Count == 1)
        {
            common = candidates[0];
        }

        if (common.Length > word.Length || (candidates.Count == 1 && common != word))
        {
            _text.Remove(start, word.Length).Insert(start, common);
            _cursor = start + common.Length;
            return;
        }

        if (candidates.Count > 1 && _lastWasTab)
        {
            ListCandidates(candidates);
        }
    }

    /// <summary>Second Tab with several candidates: they are listed under the statement, which is painted again below them.</summary>
    private void ListCandidates(IReadOnlyList<string> candidates)
    {
        var width = terminal.Width;
        var shown = candidates.Take(ListedCandidates).ToList();
        var cell = shown.Max(c => c.Length) + 2;
        var perRow = Math.Max(1, width / cell);
        var list = new StringBuilder();
        MoveBelow(list);
        for (var i = 0; i < shown.Count; i++)
        {
            list.Append(i % perRow == perRow - 1 || i == shown.Count - 1 ? shown[i] + "\r\n" : shown[i].PadRight(cell));
        }

        if (candidates.Count > shown.Count)
        {
            list.Append(CultureInfo.InvariantCulture, $"({candidates.Count - shown.Count} more: type more letters)\r\n");
        }

        terminal.Write(list.ToString());
        _cursorRow = 0;
        _painted = null;
    }

    /// <summary>Moves the terminal's cursor below the painted block (its last row, then a new line).</summary>
    private void MoveBelow(StringBuilder output)
    {
        var down = _painted is null ? 0 : _painted.EndRow - _cursorRow;
        if (down > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"\u001b[{down}B");
        }

        output.Append("\r\n");
    }

    /// <summary>The lines to paint, each with its prompt, and the cursor's line and offset in it.</summary>
    private (List<(string Prompt, string Text)> Lines, int CursorLine, int CursorColumn) Lines()
    {
        var text = _text.ToString();
        var cursor = _cursor;
        var first = Prompt;
        if (_searching)
        {
            text = _searchMatch >= 0 ? history.Entries[_searchMatch] : string.Empty;
            var at = _searchMatch >= 0 ? text.IndexOf(_searchQuery, StringComparison.OrdinalIgnoreCase) : -1;
            cursor = at < 0 ? text.Length : at;
            first = (_searchMatch < 0 && _searchQuery.Length > 0 ? "(failed reverse-i-search)`" : "(reverse-i-search)`") + _searchQuery + "': ";
        }

        var lines = new List<(string, string)>();
        int cursorLine = 0, cursorColumn = 0, offset = 0;
        foreach (var (line, index) in text.Split('\n').Select((l, i) => (l, i)))
        {
            if (cursor >= offset && cursor <= offset + line.Length)
            {
                cursorLine = index;
                cursorColumn = cursor - offset;
            }

            lines.Add((index == 0 ? first : ContinuationPrompt, line));
            offset += line.Length + 1;
        }

        return (lines, cursorLine, cursorColumn);
    }

    /// <summary>Repaints the whole block: up to its first row, clear to the end of the screen, every line, then the cursor.</summary>
    private void Paint()
    {
        var width = terminal.Width;
        var block = Lines();
        var layout = Cli.Layout.Of(block.Lines, block.CursorLine, block.CursorColumn, width);

        // After a resize (seen at the next key), a terminal that reflows has moved the old block's rows: the cursor is
        // where the old block laid out at the new width puts it. A terminal that does not reflow keeps the old rows; the
        // clear below then removes what is under the cursor, and at worst a stale row stays above the prompt.
        var fromRow = _cursorRow;
        if (_painted is not null && _paintedWidth != width && _cursorRow > 0)
        {
            fromRow = Cli.Layout.Of(_paintedBlock.Lines, _paintedBlock.CursorLine, _paintedBlock.CursorColumn, width).CursorRow;
        }

        var output = new StringBuilder();
        if (fromRow > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"\u001b[{fromRow}A");
        }

        output.Append("\r\u001b[J");
        output.Append(layout.Text);
        terminal.Write(output.ToString());
        _cursorRow = layout.CursorRow;
        _paintedWidth = width;
        _paintedBlock = block;
        _painted = layout;
    }
}

/// <summary>
/// Where a block of prompted lines lands on a terminal of a given width, and the text that paints it from its first
/// row. Each line takes <c>length / width + 1</c> rows (prompt included): a line that fills its last row exactly is
/// followed by an explicit line break, so the terminal's deferred wrap never leaves the cursor somewhere the layout
/// does not expect.
/// </summary>
/// <param name="Text">What to write from column 0 of the block's first row: the lines, then the moves that put the cursor in place.</param>
/// <param name="Rows">Rows the block takes.</param>
/// <param name="EndRow">The row of the end of the last line.</param>
/// <param name="CursorRow">The row the cursor is left on.</param>
/// <param name="CursorColumn">The column the cursor is left on.</param>
internal sealed record Layout(string Text, int Rows, int EndRow, int CursorRow, int CursorColumn)
{
    /// <summary>Lays out <paramref name="lines"/> at <paramref name="width"/> columns with the cursor at the given line and offset.</summary>
    public static Layout Of(IReadOnlyList<(string Prompt, string Text)> lines, int cursorLine, int cursorColumn, int width)
    {
        ArgumentNullException.ThrowIfNull(lines);
        width = Math.Max(width, 1);
        var text = new StringBuilder();
        var row = 0;
        int cursorRow = 0, cursorCol = 0, endRow = 0, endCol = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var (prompt, line) = lines[i];
            if (i > 0)
            {
                text.Append("\r\n");
            }

            text.Append(prompt).Append(line);
            var length = prompt.Length + line.Length;
            if (length % width == 0)
            {
                text.Append("\r\n");
            }

            if (i == cursorLine)
            {
                var at = prompt.Length + cursorColumn;
                cursorRow = row + (at / width);
                cursorCol = at % width;
            }

            endRow = row + (length / width);
            endCol = length % width;
            row += (length / width) + 1;
        }

        var up = endRow - cursorRow;
        if (up > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\u001b[{up}A");
        }

        if (up > 0 || cursorCol != endCol)
        {
            text.Append('\r');
            if (cursorCol > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\u001b[{cursorCol}C");
            }
        }

        return new Layout(text.ToString(), row, endRow, cursorRow, cursorCol);
    }
}
