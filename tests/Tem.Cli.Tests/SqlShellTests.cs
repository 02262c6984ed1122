using System.Text.RegularExpressions;

namespace Tem.Cli.Tests;

/// <summary>tem sql's dot commands, from a script on standard input (the prompt runs the same commands).</summary>
public sealed class SqlShellTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-sql-shell");

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Out, string Err) Run(string stdin, params string[] args)
    {
        var (code, output, error) = Cli.RunWithInput(stdin, ["sql", .. args]);
        return (code, output.Replace("\r\n", "\n", StringComparison.Ordinal), error);
    }

    [Fact]
    public void Mode_InAScript_ChangesTheFormatOfTheResultsAfterIt()
    {
        var (code, output, error) = Run(".mode csv\nSELECT 1 AS a;\n.mode markdown\nSELECT 2 AS b;\n.mode line\nSELECT 3 AS c;\n.mode table\nSELECT 4 AS d;\n");

        Assert.True(code == 0, error);
        Assert.Equal("a\n1\n| b |\n|--:|\n| 2 |\nc = 3\nd\n-\n4\n(1 row)\n", output);
    }

    [Fact]
    public void Mode_Unknown_IsReportedAndTheScriptGoesOnWithExitOne()
    {
        var (code, output, error) = Run(".mode box2\nSELECT 1 AS a;\n", "--format", "csv");

        Assert.Equal(TemApp.Failure, code);
        Assert.Contains(".mode box2: the modes are table, csv, json, markdown and line", error, StringComparison.Ordinal);
        Assert.Equal("a\n1\n", output);
    }

    [Fact]
    public void OutputAndOnce_SendResultsToTheFileThenBackToStandardOutput()
    {
        var all = _temp.Sub("all.csv");
        var once = _temp.Sub("once.csv");
        var script = $".output {all}\nSELECT 1 AS a;\nSELECT 2 AS b;\n.output\nSELECT 3 AS c;\n.once {once}\nSELECT 4 AS d;\nSELECT 5 AS e;\n";

        var (code, output, error) = Run(script, "--format", "csv");

        Assert.True(code == 0, error);
        Assert.Equal("a\n1\nb\n2\n", File.ReadAllText(all).Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("d\n4\n", File.ReadAllText(once).Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("c\n3\ne\n5\n", output);
    }

    [Fact]
    public void Timer_On_PrintsEachStatementsRunTimeInSeconds()
    {
        var (code, output, error) = Run(".timer on\nSELECT 1 AS a;\n.timer off\nSELECT 2 AS b;\n", "--format", "csv");

        Assert.True(code == 0, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(["a", "1"], lines[..2]);
        Assert.Matches(new Regex(@"^Run Time: \d+\.\d{3} s$"), lines[2]);
        Assert.Equal(["b", "2"], lines[3..]);
    }

    [Fact]
    public void TablesAndSchema_ListTheSessionsTablesByPatternAndTheirColumns()
    {
        var script = "CREATE TABLE t1 (id INTEGER, name VARCHAR, \"from\" DATE);\nCREATE TABLE t2 (x DOUBLE);\nCREATE TABLE other (y INTEGER);\n" +
                     ".tables t%\n.schema t1\n.schema nothing\n";

        var (code, output, error) = Run(script, "--format", "csv");

        Assert.Equal(TemApp.Failure, code);
        var lines = output.TrimEnd('\n').Split('\n').Where(l => !l.StartsWith('(')).ToList();
        Assert.Equal(["t1  t2", "CREATE TABLE t1(id INTEGER, name VARCHAR, \"from\" DATE);"], lines);
        Assert.Contains(".schema nothing: no such table or view", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownDotCommand_IsReportedWithAHint()
    {
        var (code, _, error) = Run(".frobnicate\n");

        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("unknown command .frobnicate: .help lists the commands", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quit_InAScript_StopsReadingIt()
    {
        var (code, output, error) = Run("SELECT 1 AS a;\n.quit\nSELECT 2 AS b;\n", "--format", "csv");

        Assert.True(code == 0, error);
        Assert.Equal("a\n1\n", output);
    }

    [Theory]
    [InlineData("SELECT 1;", true)]
    [InlineData("SELECT 1", false)]
    [InlineData("SELECT ';'", false)]
    [InlineData("SELECT 1 -- ;", false)]
    [InlineData("SELECT 1; SELECT 2", false)]
    [InlineData("SELECT $$a;b$$;", true)]
    [InlineData("/* ; */", true)]
    [InlineData(".tables", true)]
    [InlineData("", true)]
    public void IsComplete_EndsAtASemicolonOutsideQuotesAndComments(string text, bool complete) =>
        Assert.Equal(complete, SqlShell.IsComplete(text));

    [Fact]
    public void LineHistory_MultiLineEntriesAndBackslashes_SurviveTheFile()
    {
        var path = _temp.Sub("history");
        var history = new LineHistory(path);
        history.Add("SELECT 'a\\nb'\nFROM t;");
        history.Add("SELECT 1;");

        var lines = File.ReadAllLines(path);
        var again = new LineHistory(path);

        Assert.Equal(["SELECT 'a\\\\nb'\\nFROM t;", "SELECT 1;"], lines);
        Assert.Equal(["SELECT 'a\\nb'\nFROM t;", "SELECT 1;"], again.Entries);
    }
}
