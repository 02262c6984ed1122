using System.Globalization;
using System.Text;

namespace Tem.Cli.Tests.Prompt;

/// <summary>
/// A model of an xterm-like terminal for the prompt's tests: a screen of a given width whose rows are kept as they
/// scroll up, a cursor with xterm's deferred wrap (a character written in the last column leaves the cursor there
/// until the next character), and the control sequences the editor writes (CR, LF, BS, cursor up/down/left/right,
/// erase to the end of the line or screen, home, clear). Other sequences (colours, keypad and paste modes, window
/// titles) are read and ignored. It is also the <see cref="ITerminal"/> the editor reads scripted keys from.
/// </summary>
internal sealed class VirtualTerminal(int width, int height = 1000) : ITerminal
{
    private readonly List<char[]> _rows = [];
    private readonly Queue<ConsoleKeyInfo> _keys = new();
    private int _row;
    private int _column;
    private int _bottom;
    private bool _pendingWrap;
    private string _partial = string.Empty;

    public int Width { get; set; } = width;

    /// <summary>When true, <see cref="KeyAvailable"/> tells the truth (as during a paste); by default every key is repainted.</summary>
    public bool Batching { get; set; }

    public bool KeyAvailable => Batching && _keys.Count > 0;

    /// <summary>The cursor's row counted from the first row ever written, and its column.</summary>
    public (int Row, int Column) Cursor => (_row, _column);

    /// <summary>Everything written, as it came (for counting bytes).</summary>
    public StringBuilder Raw { get; } = new();

    public ConsoleKeyInfo ReadKey() =>
        _keys.Count > 0 ? _keys.Dequeue() : throw new InvalidOperationException("the test ran out of keys: the editor asked for one more");

    public void Write(string text) => Feed(text);

    /// <summary>No signals here: the tests of Ctrl+C during a statement run the real binary.</summary>
    public IDisposable CatchInterrupt(Action interrupt) => new Nothing();

    /// <summary>Queues typed text, one key per character ('\n' is Enter).</summary>
    public VirtualTerminal Type(string text)
    {
        foreach (var c in text)
        {
            _keys.Enqueue(c == '\n' ? Key(ConsoleKey.Enter, '\r') : new ConsoleKeyInfo(c, CharKey(c), char.IsUpper(c), false, false));
        }

        return this;
    }

    /// <summary>Queues one special key.</summary>
    public VirtualTerminal Press(ConsoleKey key, ConsoleModifiers modifiers = 0)
    {
        _keys.Enqueue(Key(key, key switch { ConsoleKey.Enter => '\r', ConsoleKey.Tab => '\t', ConsoleKey.Backspace => '\b', _ => '\0' }, modifiers));
        return this;
    }

    /// <summary>Queues Ctrl+letter as a terminal sends it: the control character.</summary>
    public VirtualTerminal Ctrl(char letter)
    {
        var c = (char)(char.ToUpperInvariant(letter) - 'A' + 1);
        _keys.Enqueue(new ConsoleKeyInfo(c, ConsoleKey.A + (char.ToUpperInvariant(letter) - 'A'), false, false, true));
        return this;
    }

    /// <summary>The screen as lines, trailing blanks cut, trailing empty rows dropped.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = _rows.Select(r => new string(r).TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>Interprets terminal output (text with control sequences); a sequence cut between two calls is completed by the next.</summary>
    public void Feed(string text)
    {
        Raw.Append(text);
        var s = _partial + text;
        _partial = string.Empty;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\u001b')
            {
                var end = SequenceEnd(s, i);
                if (end < 0)
                {
                    _partial = s[i..];
                    return;
                }

                Sequence(s[i..end]);
                i = end;
                continue;
            }

            switch (c)
            {
                case '\r':
                    _column = 0;
                    _pendingWrap = false;
                    break;
                case '\n':
                    Down(1);
                    _pendingWrap = false;
                    break;
                case '\b':
                    _column = Math.Max(0, _column - 1);
                    _pendingWrap = false;
                    break;
                case '\a':
                    break;
                case '\t':
                    _column = Math.Min(Width - 1, ((_column / 8) + 1) * 8);
                    break;
                default:
                    Put(c);
                    break;
            }

            i++;
        }
    }

    private static int SequenceEnd(string s, int i)
    {
        if (i + 1 >= s.Length)
        {
            return -1;
        }

        switch (s[i + 1])
        {
            case '[':
                for (var j = i + 2; j < s.Length; j++)
                {
                    if (s[j] is >= '@' and <= '~')
                    {
                        return j + 1;
                    }
                }

                return -1;
            case ']':
                var bell = s.IndexOf('\a', i);
                var st = s.IndexOf("\u001b\\", i + 2, StringComparison.Ordinal);
                var stop = bell < 0 ? st : st < 0 ? bell : Math.Min(bell, st);
                return stop < 0 ? -1 : stop + (s[stop] == '\a' ? 1 : 2);
            case '(' or ')':
                return i + 3 <= s.Length ? i + 3 : -1;
            default:
                return i + 2;
        }
    }

    private void Sequence(string seq)
    {
        if (seq.Length < 3 || seq[1] != '[')
        {
            return;
        }

        var final = seq[^1];
        var body = seq[2..^1];
        if (body.StartsWith('?') || body.StartsWith('>'))
        {
            return;
        }

        var args = body.Split(';').Select(a => int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        var n = args.Length > 0 && args[0] > 0 ? args[0] : 1;
        var top = Math.Max(0, _bottom - height + 1);
        switch (final)
        {
            case 'A':
                _row = Math.Max(top, _row - n);
                break;
            case 'B':
                _row = Math.Min(top + height - 1, _row + n);
                Ensure(_row);
                break;
            case 'C':
                _column = Math.Min(Width - 1, _column + n);
                break;
            case 'D':
                _column = Math.Max(0, _column - n);
                break;
            case 'G':
                _column = Math.Min(Width - 1, n - 1);
                break;
            case 'H':
                _row = top + (args.Length > 0 && args[0] > 0 ? args[0] - 1 : 0);
                _column = args.Length > 1 && args[1] > 0 ? args[1] - 1 : 0;
                Ensure(_row);
                break;
            case 'K':
                Ensure(_row);
                for (var c = args.Length > 0 && args[0] == 2 ? 0 : _column; c < Width && c < _rows[_row].Length; c++)
                {
                    _rows[_row][c] = ' ';
                }

                break;
            case 'J':
                Ensure(_row);
                var all = args.Length > 0 && args[0] == 2;
                for (var r = all ? top : _row; r < _rows.Count; r++)
                {
                    for (var c = r == _row && !all ? _column : 0; c < _rows[r].Length; c++)
                    {
                        _rows[r][c] = ' ';
                    }
                }

                break;
        }

        if (final != 'm')
        {
            _pendingWrap = false;
        }
    }

    private void Put(char c)
    {
        if (_pendingWrap)
        {
            _column = 0;
            Down(1);
            _pendingWrap = false;
        }

        Ensure(_row);
        _rows[_row][_column] = c;
        if (_column == Width - 1)
        {
            _pendingWrap = true;
        }
        else
        {
            _column++;
        }
    }

    private void Down(int n)
    {
        _row += n;
        Ensure(_row);
        _bottom = Math.Max(_bottom, _row);
    }

    private void Ensure(int row)
    {
        while (_rows.Count <= row)
        {
            _rows.Add(new string(' ', Math.Max(Width, 1)).ToCharArray());
        }

        if (_rows[row].Length < Width)
        {
            var wider = new string(' ', Width).ToCharArray();
            _rows[row].CopyTo(wider, 0);
            _rows[row] = wider;
        }

        _bottom = Math.Max(_bottom, row);
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }

    private static ConsoleKeyInfo Key(ConsoleKey key, char c, ConsoleModifiers modifiers = 0) =>
        new(c, key, modifiers.HasFlag(ConsoleModifiers.Shift), modifiers.HasFlag(ConsoleModifiers.Alt), modifiers.HasFlag(ConsoleModifiers.Control));

    private static ConsoleKey CharKey(char c) => c switch
    {
        >= 'a' and <= 'z' => ConsoleKey.A + (c - 'a'),
        >= 'A' and <= 'Z' => ConsoleKey.A + (c - 'A'),
        >= '0' and <= '9' => ConsoleKey.D0 + (c - '0'),
        ' ' => ConsoleKey.Spacebar,
        _ => 0,
    };
}
