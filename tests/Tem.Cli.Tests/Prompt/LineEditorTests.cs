namespace Tem.Cli.Tests.Prompt;

/// <summary>The prompt's editor against a virtual terminal: wrapping and repainting, multi-line statements, history, search, keys, completion.</summary>
public sealed class LineEditorTests
{
    private static LineEditor Editor(VirtualTerminal terminal, LineHistory? history = null, Completer? complete = null) =>
        new(terminal, history ?? new LineHistory(null), SqlShell.IsComplete, complete);

    private static LineHistory History(params string[] entries)
    {
        var history = new LineHistory(null);
        foreach (var e in entries)
        {
            history.Add(e);
        }

        return history;
    }

    /// <summary>How a terminal of <paramref name="width"/> columns shows one long line: cut into rows of that width (as <see cref="VirtualTerminal.Lines"/> gives them, trailing blanks cut).</summary>
    private static List<string> Rows(string line, int width) =>
        [.. Enumerable.Range(0, (line.Length + width - 1) / width).Select(i => line.Substring(i * width, Math.Min(width, line.Length - (i * width))).TrimEnd())];

    [Fact]
    public void ReadStatement_LineWiderThanTheTerminal_WrapsOnceWithoutATrailOfPrompts()
    {
        var terminal = new VirtualTerminal(20);
        var statement = "SELECT 'a long literal that wraps over several rows' AS long_column, 42 AS answer;";
        terminal.Type(statement + "\n");

        var text = Editor(terminal).ReadStatement();

        Assert.Equal(statement, text);
        Assert.Equal(Rows("tem> " + statement, 20), terminal.Lines());
    }

    [Fact]
    public void ReadStatement_EditInTheMiddleOfAWrappedLine_RepaintsTheBlockInPlace()
    {
        var terminal = new VirtualTerminal(16);
        terminal.Type("SELECT abcdefghijklmnopqrstuvwxyz;");
        terminal.Press(ConsoleKey.Home);
        for (var i = 0; i < 7; i++)
        {
            terminal.Press(ConsoleKey.RightArrow);
        }

        terminal.Type("X").Press(ConsoleKey.Delete).Press(ConsoleKey.End).Press(ConsoleKey.Backspace).Type(";").Type("\n");

        var text = Editor(terminal).ReadStatement();

        Assert.Equal("SELECT Xbcdefghijklmnopqrstuvwxyz;", text);
        Assert.Equal(Rows("tem> SELECT Xbcdefghijklmnopqrstuvwxyz;", 16), terminal.Lines());
    }

    [Fact]
    public void ReadStatement_LineFillingItsLastRowExactly_PutsTheNextCharacterOnTheNextRow()
    {
        var terminal = new VirtualTerminal(10);
        terminal.Type("12345");
        var editor = Editor(terminal);
        terminal.Type("x;\n");

        var text = editor.ReadStatement();

        Assert.Equal("12345x;", text);
        Assert.Equal(["tem> 12345", "x;"], terminal.Lines());
    }

    [Fact]
    public void ReadStatement_UpThenCtrlU_ReturnsOnlyTheNewStatementAndLeavesNoTraceOfTheRecalledOne()
    {
        var old = "SELECT 'recalled statement, longer than the terminal is wide' AS old;";
        var terminal = new VirtualTerminal(30);
        terminal.Press(ConsoleKey.UpArrow).Ctrl('u').Type("SELECT 2 AS new;\n");

        var text = Editor(terminal, History(old)).ReadStatement();

        Assert.Equal("SELECT 2 AS new;", text);
        Assert.Equal(["tem> SELECT 2 AS new;"], terminal.Lines());
    }

    [Fact]
    public void ReadStatement_CtrlUOnARecalledMultiLineStatement_EmptiesItLineByLine()
    {
        var terminal = new VirtualTerminal(40);
        terminal.Press(ConsoleKey.UpArrow).Ctrl('u').Ctrl('u').Ctrl('u').Ctrl('u').Type("SELECT 3;\n");

        var text = Editor(terminal, History("SELECT a\nFROM t\nWHERE b;")).ReadStatement();

        Assert.Equal("SELECT 3;", text);
        Assert.Equal(["tem> SELECT 3;"], terminal.Lines());
    }

    [Fact]
    public void ReadStatement_EnterBeforeTheSemicolon_ContinuesOnALineOfItsOwn()
    {
        var terminal = new VirtualTerminal(40);
        terminal.Type("SELECT 1 AS one\n  , 'x;' AS quoted\n-- a comment; not the end\nFROM range(1);\n");

        var text = Editor(terminal).ReadStatement();

        Assert.Equal("SELECT 1 AS one\n  , 'x;' AS quoted\n-- a comment; not the end\nFROM range(1);", text);
        Assert.Equal(["tem> SELECT 1 AS one", "...>   , 'x;' AS quoted", "...> -- a comment; not the end", "...> FROM range(1);"], terminal.Lines());
    }

    [Fact]
    public void ReadStatement_UpAndDownInAMultiLineStatement_MoveBetweenItsLinesBeforeTheHistory()
    {
        var terminal = new VirtualTerminal(40);
        terminal.Type("SELECT 1\nFROM t").Press(ConsoleKey.UpArrow).Press(ConsoleKey.End).Type(" AS a")
            .Press(ConsoleKey.DownArrow).Press(ConsoleKey.End).Type(";\n");

        var text = Editor(terminal, History("SELECT 'older entry';")).ReadStatement();

        Assert.Equal("SELECT 1 AS a\nFROM t;", text);
    }

    [Fact]
    public void ReadStatement_UpOnTheFirstLine_RecallsTheWholeMultiLineEntry()
    {
        var terminal = new VirtualTerminal(40);
        terminal.Press(ConsoleKey.UpArrow).Press(ConsoleKey.Enter);

        var text = Editor(terminal, History("SELECT a\nFROM t;")).ReadStatement();

        Assert.Equal("SELECT a\nFROM t;", text);
        Assert.Equal(["tem> SELECT a", "...> FROM t;"], terminal.Lines());
    }

    [Fact]
    public void ReadStatement_CtrlR_FindsTheNewestMatchThenOlderOnes_AndEnterTakesIt()
    {
        var history = History("SELECT a FROM x;", "SELECT b FROM y;", "DESCRIBE z;");
        var first = new VirtualTerminal(60);
        first.Ctrl('r').Type("from");
        first.Press(ConsoleKey.Enter);
        Assert.Equal("SELECT b FROM y;", Editor(first, history).ReadStatement());

        var second = new VirtualTerminal(60);
        second.Ctrl('r').Type("from").Ctrl('r').Press(ConsoleKey.Enter);
        Assert.Equal("SELECT a FROM x;", Editor(second, history).ReadStatement());
    }

    [Fact]
    public void ReadStatement_CtrlRThenAnArrow_EditsTheMatchAndCtrlGCancels()
    {
        var history = History("SELECT 1 AS n;");
        var terminal = new VirtualTerminal(60);
        terminal.Ctrl('r').Type("AS").Press(ConsoleKey.End).Press(ConsoleKey.Backspace).Type(", 2 AS m;").Type("\n");
        Assert.Equal("SELECT 1 AS n, 2 AS m;", Editor(terminal, history).ReadStatement());

        var cancelled = new VirtualTerminal(60);
        cancelled.Type("SELECT 9").Ctrl('r').Type("AS").Ctrl('g').Type(";\n");
        Assert.Equal("SELECT 9;", Editor(cancelled, history).ReadStatement());
    }

    [Fact]
    public void ReadStatement_ControlKeys_MoveKillAndYankAsInReadline()
    {
        var terminal = new VirtualTerminal(60);
        terminal.Type("FROM t WHERE x = 1").Ctrl('a').Type("SELECT * ")
            .Ctrl('e').Ctrl('w').Ctrl('w').Type("2")
            .Ctrl('a').Press(ConsoleKey.RightArrow, ConsoleModifiers.Control).Ctrl('k').Type(" a").Ctrl('y').Type(";\n");

        var text = Editor(terminal).ReadStatement();

        // Ctrl+W twice deletes "1" and "= "; Ctrl+Right moves past "SELECT"; Ctrl+K cuts the rest, Ctrl+Y brings it back.
        Assert.Equal("SELECT a * FROM t WHERE x 2;", text);
    }

    [Fact]
    public void ReadStatement_CtrlCDropsTheStatement_CtrlDOnAnEmptyOneEndsInput()
    {
        var terminal = new VirtualTerminal(60);
        terminal.Type("SELECT 'dropped'").Ctrl('c').Type("SELECT 1;\n");
        var editor = Editor(terminal);
        Assert.Equal("SELECT 1;", editor.ReadStatement());
        Assert.Equal(["tem> SELECT 'dropped'^C", "tem> SELECT 1;"], terminal.Lines());

        terminal.Ctrl('d');
        Assert.Null(editor.ReadStatement());
    }

    [Fact]
    public void ReadStatement_Tab_CompletesTablesAndColumnsOfTheStatementsTables()
    {
        var schema = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["usage"] = ["carrier", "billed_amount", "called_number"],
            ["charges"] = ["carrier", "amount"],
        };
        var completion = new SqlCompletion(() => schema);
        var terminal = new VirtualTerminal(80);
        terminal.Type("SELECT bil").Press(ConsoleKey.Tab).Type(" FROM us").Press(ConsoleKey.Tab).Type(" u WHERE u.cal").Press(ConsoleKey.Tab).Type(" IS NOT NULL;\n");

        var text = Editor(terminal, complete: completion.Complete).ReadStatement();

        Assert.Equal("SELECT billed_amount FROM usage u WHERE u.called_number IS NOT NULL;", text);
    }

    [Fact]
    public void ReadStatement_TabTwiceWithSeveralCandidates_ListsThemAndPaintsThePromptBelow()
    {
        var schema = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["credits_due"] = ["amount"],
            ["credit_matches"] = ["amount"],
        };
        var completion = new SqlCompletion(() => schema);
        var terminal = new VirtualTerminal(80);
        terminal.Type("SELECT * FROM cr").Press(ConsoleKey.Tab).Press(ConsoleKey.Tab).Type("s").Press(ConsoleKey.Tab).Type(";\n");

        var text = Editor(terminal, complete: completion.Complete).ReadStatement();

        Assert.Equal("SELECT * FROM credits_due;", text);
        var lines = terminal.Lines();
        Assert.Equal("tem> SELECT * FROM credit", lines[0]);
        Assert.Contains("credit_matches", lines[1], StringComparison.Ordinal);
        Assert.Contains("credits_due", lines[1], StringComparison.Ordinal);
        Assert.Equal("tem> SELECT * FROM credits_due;", lines[^1]);
    }

    [Fact]
    public void ReadStatement_DotCommand_EndsAtEnterWithoutASemicolon()
    {
        var terminal = new VirtualTerminal(40);
        terminal.Type(".mode csv\n");

        Assert.Equal(".mode csv", Editor(terminal).ReadStatement());
    }

    [Fact]
    public void ReadStatement_PastedText_IsPaintedOnceAfterTheLastKey()
    {
        var statement = "SELECT carrier, count(*) AS n FROM usage GROUP BY ALL ORDER BY n DESC;";
        var typed = new VirtualTerminal(30);
        typed.Type(statement + "\n");
        Editor(typed).ReadStatement();
        var pasted = new VirtualTerminal(30) { Batching = true };
        pasted.Type(statement + "\n");

        Editor(pasted).ReadStatement();

        Assert.Equal(typed.Lines(), pasted.Lines());
        Assert.True(pasted.Raw.Length * 10 < typed.Raw.Length, $"a paste wrote {pasted.Raw.Length} characters, typing {typed.Raw.Length}");
    }

    [Fact]
    public void Layout_CursorInsideAWrappedLine_IsWhereTheTerminalPutsThatCharacter()
    {
        var terminal = new VirtualTerminal(12);
        var layout = Layout.Of([("tem> ", "abcdefghijklmnop"), ("...> ", "xy")], cursorLine: 0, cursorColumn: 9, width: 12);

        terminal.Feed(layout.Text);

        // "tem> " + 9 characters = offset 14: row 1, column 2, which holds 'j'.
        Assert.Equal((1, 2), terminal.Cursor);
        Assert.Equal((1, 2), (layout.CursorRow, layout.CursorColumn));
        Assert.Equal('j', terminal.Lines()[1][2]);
        Assert.Equal(3, layout.Rows);
    }
}
