using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Tem.DuckDb;

namespace Tem.Cli;

/// <summary>
/// The <c>tem</c> command. Exit codes: 0 success, 1 a failure the message explains, 2 a usage error.
/// </summary>
public static class TemApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for a failure whose message says what went wrong.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a usage error (unknown command, bad option).</summary>
    public const int UsageError = 2;

    /// <summary>Parses and runs one command line, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = BuildRoot(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"tem: {e.Message}");
            }

            error.WriteLine("Run 'tem --help' for usage.");
            return UsageError;
        }

        var config = new InvocationConfiguration { Output = output, Error = error };
        return parse.Invoke(config);
    }

    private static RootCommand BuildRoot(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Tem: telecom expense management and CDR audit. Finds billing errors to dispute and services to cut.");
        root.Subcommands.Add(VersionCommand(output));
        root.Subcommands.Add(SqlCommand(output, error));
        root.Subcommands.Add(IngestCommand.Create(output, error, TimeProvider.System));
        root.Subcommands.Add(SampleDataCommand.Create(output, error));
        root.Subcommands.Add(AuditCommands.Audit(output, error, TimeProvider.System));
        root.Subcommands.Add(AuditCommands.Findings(output, error, TimeProvider.System));
        root.Subcommands.Add(AuditCommands.Run(output, error, TimeProvider.System));
        root.Subcommands.Add(EvalAnomalyCommand.Create(output, error));
        return root;
    }

    private static Command VersionCommand(TextWriter output)
    {
        var command = new Command("version", "Print the versions of Tem and of the DuckDB engine it runs on.");
        command.SetAction(_ =>
        {
            var tem = typeof(TemApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            using var connection = new DuckDbConnection();
            connection.Open();
            output.WriteLine($"tem {tem}");
            output.WriteLine($"duckdb {connection.ServerVersion}");
            return Ok;
        });
        return command;
    }

    private static Command SqlCommand(TextWriter output, TextWriter error)
    {
        var query = new Argument<string>("query") { Description = "SQL to run (one or more statements; the last result is printed)." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv");
        var lake = new Option<string?>("--lake") { Description = "A lake folder: its tables (usage, charges, services, rejects...) become views." };
        var command = new Command("sql", "Run SQL in an in-memory DuckDB, over the lake's tables when --lake is given, and print the result.")
        {
            query,
            format,
            lake,
        };
        command.SetAction(parse =>
        {
            try
            {
                using var connection = new DuckDbConnection();
                connection.Open();
                if (parse.GetValue(lake) is { } lakePath)
                {
                    Tem.Ingest.Lake.TemLake.Open(lakePath).CreateViews(connection);
                }

                using var cmd = connection.CreateCommand();
                cmd.CommandText = parse.GetValue(query)!;
                using var reader = cmd.ExecuteReader();
                ResultWriter.Write(reader, output, parse.GetValue(format) == "csv" ? ResultFormat.Csv : ResultFormat.Table);
                return Ok;
            }
            catch (DuckDbException e)
            {
                error.WriteLine($"tem sql: {e.Message}");
                return Failure;
            }
        });
        return command;
    }
}

/// <summary>How <see cref="ResultWriter"/> prints a result.</summary>
public enum ResultFormat
{
    /// <summary>Aligned columns for a person.</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header row.</summary>
    Csv,
}

/// <summary>Prints a data reader's current result. Numbers and dates use the invariant culture.</summary>
public static class ResultWriter
{
    /// <summary>Writes every row of the reader's current result.</summary>
    public static void Write(DuckDbDataReader reader, TextWriter output, ResultFormat format)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        if (reader.FieldCount == 0)
        {
            // Statements without a result (COPY, CREATE...) print nothing but how many rows they changed.
            if (reader.RecordsAffected >= 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({reader.RecordsAffected} rows changed)"));
            }

            return;
        }

        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i)))]);
        }

        if (format == ResultFormat.Csv)
        {
            output.WriteLine(string.Join(',', names.Select(Csv)));
            foreach (var row in rows)
            {
                output.WriteLine(string.Join(',', row.Select(Csv)));
            }

            return;
        }

        var widths = names.Select((n, i) => Math.Max(n.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", names.Select((n, i) => n.PadRight(widths[i]))).TrimEnd());
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({rows.Count} row{(rows.Count == 1 ? string.Empty : "s")})"));
    }

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture),
        Array a => "[" + string.Join(", ", a.Cast<object?>().Select(x => x is null ? "NULL" : Text(x))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
