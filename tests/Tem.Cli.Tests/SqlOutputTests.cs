using DuckDB.NET.Data;

namespace Tem.Cli.Tests;

/// <summary>How tem sql prints a result: numbers right-aligned, fitted to a terminal's width or not cut at all, Markdown and line modes.</summary>
public sealed class SqlOutputTests : IDisposable
{
    private readonly DuckDBConnection _db = new("DataSource=:memory:");

    public SqlOutputTests() => _db.Open();

    public void Dispose() => _db.Dispose();

    private string Print(string query, ResultFormat format, int? maxWidth = null)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = query;
        using var reader = cmd.ExecuteReader();
        using var output = new StringWriter();
        ResultWriter.Write(reader, output, format, maxWidth);
        return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Table_RightAlignsIntegerAndDecimalColumnsOnly()
    {
        var text = Print("SELECT * FROM (VALUES ('a', 5, 12.50::DECIMAL(18,2)), ('longer', 12345, 1.00::DECIMAL(18,2))) t(name, n, amount) ORDER BY n", ResultFormat.Table);

        Assert.Equal("""
            name        n  amount
            ------  -----  ------
            a           5   12.50
            longer  12345    1.00
            (2 rows)

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void Write_TableWiderThanTheTerminal_CutsTheLongTextWithAnEllipsis()
    {
        var text = Print("SELECT 1 AS id, repeat('x', 60) AS note", ResultFormat.Table, maxWidth: 40);

        Assert.Equal($"id  note\n--  {new string('-', 36)}\n 1  {new string('x', 35)}\u2026\n(1 row)\n", text);
    }

    [Fact]
    public void Write_ManyColumnsOnANarrowTerminal_LeavesOutMiddleColumnsAndSaysHowMany()
    {
        var columns = string.Join(", ", Enumerable.Range(0, 10).Select(i => $"'value_0000{i}' AS c{i}"));

        var lines = Print("SELECT " + columns, ResultFormat.Table, maxWidth: 50).TrimEnd('\n').Split('\n');

        Assert.Equal("c0           c1           \u2026  c9", lines[0]);
        Assert.Equal("value_00000  value_00001  \u2026  value_00009", lines[2]);
        Assert.Equal("(1 row; 7 of 10 columns not shown to fit the terminal: .mode line shows every column)", lines[3]);
        Assert.All(lines.Take(3), l => Assert.True(l.Length <= 50, l));
    }

    [Fact]
    public void Write_WithoutATerminalWidth_CutsNothing()
    {
        var text = Print("SELECT 1 AS id, repeat('x', 300) AS note", ResultFormat.Table);

        Assert.Contains(" 1  " + new string('x', 300) + "\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NumbersOnANarrowTerminal_AreNeverCut()
    {
        var text = Print("SELECT 123456789012345678 AS big, repeat('y', 40) AS note", ResultFormat.Table, maxWidth: 32);

        Assert.Contains("123456789012345678  yyyyyyyyyyy\u2026", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Markdown_EscapesPipesAndAlignsNumbersRight()
    {
        var text = Print("SELECT 'a|b' AS s, 3 AS n", ResultFormat.Markdown);

        Assert.Equal("| s    | n |\n|------|--:|\n| a\\|b | 3 |\n", text);
    }

    [Fact]
    public void Write_Line_PrintsOneColumnPerLineAndABlankLineBetweenRows()
    {
        var text = Print("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(n, name) ORDER BY n", ResultFormat.Line);

        Assert.Equal("   n = 1\nname = a\n\n   n = 2\nname = b\n", text);
    }
}
