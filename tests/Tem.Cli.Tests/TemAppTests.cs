using System.Text.RegularExpressions;
using static Tem.Cli.Tests.Cli;
namespace Tem.Cli.Tests;

public sealed class TemAppTests
{
    [Fact]
    public void Run_Help_ListsCommandsAndExitsZero()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(TemApp.Ok, code);
        Assert.Contains("version", output, StringComparison.Ordinal);
        Assert.Contains("sql", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoCommand_ShowsTheHelpAndExitsZero()
    {
        var (code, output, error) = Run();

        Assert.Equal(TemApp.Ok, code);
        Assert.Equal(Run("--help").Out, output);
        Assert.Contains("Commands:", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public void Help_EveryCommandAndSubcommand_FitsOneHundredColumns()
    {
        // Walks the command tree through the help itself, so a command added later is checked too.
        var pending = new Queue<string[]>([[]]);
        var seen = 0;
        while (pending.TryDequeue(out var path))
        {
            var (code, output, _) = Run([.. path, "--help"]);
            Assert.Equal(TemApp.Ok, code);
            seen++;
            var lines = output.Split('\n');
            Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= 100, $"tem {string.Join(' ', path)} --help: {l.Length} columns: {l}"));
            var commands = Array.FindIndex(lines, l => l.StartsWith("Commands:", StringComparison.Ordinal));
            if (commands < 0)
            {
                continue;
            }

            foreach (var line in lines.Skip(commands + 1).TakeWhile(l => l.Trim().Length > 0))
            {
                // "  name <arg>  description" starts a command; a wrapped line is indented further or is not a name.
                var name = line.Trim().Split(' ')[0];
                if (line.Length > 2 && line[2] != ' ' && Regex.IsMatch(name, "^[a-z][a-z-]*$") && path.Length < 3)
                {
                    pending.Enqueue([.. path, name]);
                }
            }
        }

        Assert.True(seen > 15, $"only {seen} commands were found in the help");
    }

    [Fact]
    public void Run_UnknownCommand_IsUsageErrorTwo()
    {
        var (code, _, error) = Run("frobnicate");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadFormatOption_IsUsageErrorTwo()
    {
        var (code, _, error) = Run("sql", "--format", "xml", "SELECT 1");
        Assert.Equal(TemApp.UsageError, code);
        Assert.Contains("xml", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTemAndDuckDbVersions()
    {
        var (code, output, _) = Run("version");
        Assert.Equal(TemApp.Ok, code);
        Assert.Matches(@"(?m)^tem \S+", output);
        Assert.Matches(@"(?m)^duckdb v1\.5\.6", output);
    }

    [Fact]
    public void Sql_Csv_QuotesAndKeepsExactDecimalsAndLeadingZeros()
    {
        var (code, output, _) = Run("sql", "--format", "csv", "SELECT '0044 20, x' AS called, 12.3400::DECIMAL(18,4) AS amount, NULL AS n");
        Assert.Equal(TemApp.Ok, code);
        Assert.Equal("called,amount,n\n\"0044 20, x\",12.3400,NULL\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Sql_Table_AlignsColumnsAndCountsRows()
    {
        var (code, output, _) = Run("sql", "SELECT range AS n FROM range(3)");
        Assert.Equal(TemApp.Ok, code);
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split('\n');
        Assert.Equal(["n", "-", "0", "1", "2", "(3 rows)"], lines);
    }

    [Fact]
    public void Sql_EngineError_ExitsOneWithDuckDbMessage()
    {
        var (code, _, error) = Run("sql", "SELECT * FROM no_such_table");
        Assert.Equal(TemApp.Failure, code);
        Assert.Contains("no_such_table", error, StringComparison.Ordinal);
        Assert.Contains("Catalog Error", error, StringComparison.Ordinal);
    }
}
