using System.Globalization;
using System.Text;

namespace Tem.Core;

/// <summary>Where in an input file something is: file, 1-based line and column, and the column's name.</summary>
public readonly record struct SourceLocation
{
    /// <summary>Creates a location.</summary>
    /// <param name="file">The file as the user named it, e.g. <c>usage.csv</c>.</param>
    /// <param name="line">1-based line (physical line of the file, header included); 0 = unknown.</param>
    /// <param name="column">1-based column (field number in a CSV row); 0 = unknown.</param>
    /// <param name="columnName">The column's header name, when known.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="line"/> or <paramref name="column"/> is negative.</exception>
    public SourceLocation(string file, long line = 0, int column = 0, string? columnName = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        File = file;
        Line = line;
        Column = column;
        ColumnName = columnName;
    }

    /// <summary>The file as the user named it; empty only for <c>default(SourceLocation)</c>.</summary>
    public string File { get => field ?? string.Empty; init; }

    /// <summary>1-based line; 0 = unknown.</summary>
    public long Line { get; init; }

    /// <summary>1-based column; 0 = unknown.</summary>
    public int Column { get; init; }

    /// <summary>The column's header name, or null when unknown.</summary>
    public string? ColumnName { get; init; }

    /// <summary>
    /// Formats as <c>file:line:column</c> (e.g. <c>usage.csv:4812:3</c>), leaving out unknown parts:
    /// <c>usage.csv:4812</c> without a column, <c>usage.csv</c> without a line. A column without a line is not shown.
    /// </summary>
    /// <returns>The location.</returns>
    public override string ToString()
    {
        var file = File.Length == 0 ? "<unknown file>" : File;
        return Line == 0 ? file
            : Column == 0 ? string.Create(CultureInfo.InvariantCulture, $"{file}:{Line}")
            : string.Create(CultureInfo.InvariantCulture, $"{file}:{Line}:{Column}");
    }
}

/// <summary>
/// Bad input data: a file Tem cannot use as a whole (a row that is merely bad goes to the rejects table instead).
/// The message says where, what, what was expected, and a hint:
/// <c>usage.csv:4812:3: 11 columns, expected 12 (hint: is a field with a comma missing its quotes?)</c>.
/// </summary>
public sealed class InputDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">Where the problem is.</param>
    /// <param name="problem">What is wrong, e.g. <c>11 columns</c>.</param>
    /// <param name="expected">What was expected, e.g. <c>12</c>; optional.</param>
    /// <param name="hint">What the user might do about it; optional.</param>
    /// <param name="innerException">The exception that revealed the problem, if any.</param>
    public InputDataException(SourceLocation location, string problem, string? expected = null, string? hint = null, Exception? innerException = null)
        : base(Format(location, problem, expected, hint), innerException)
    {
        Location = location;
        Problem = problem;
        Expected = expected;
        Hint = hint;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>What was expected, or null.</summary>
    public string? Expected { get; }

    /// <summary>What the user might do about it, or null.</summary>
    public string? Hint { get; }

    private static string Format(SourceLocation location, string problem, string? expected, string? hint)
    {
        ArgumentException.ThrowIfNullOrEmpty(problem);
        var message = new StringBuilder(location.ToString()).Append(": ");
        if (location.ColumnName is { Length: > 0 } columnName)
        {
            message.Append(columnName).Append(": ");
        }

        message.Append(problem);
        if (!string.IsNullOrEmpty(expected))
        {
            message.Append(", expected ").Append(expected);
        }

        if (!string.IsNullOrEmpty(hint))
        {
            message.Append(" (hint: ").Append(hint).Append(')');
        }

        return message.ToString();
    }
}

/// <summary>
/// The engine, file system or another dependency failed while Tem was doing something. The dependency's own
/// exception is always kept as <see cref="Exception.InnerException"/>, and the message says what Tem was doing:
/// <c>Loading usage.csv into the lake failed: IO Error: No space left on device</c>.
/// </summary>
public sealed class InfrastructureException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What Tem was doing, e.g. <c>Loading usage.csv into the lake</c>.</param>
    /// <param name="innerException">The dependency's exception; required.</param>
    public InfrastructureException(string operation, Exception innerException)
        : base(Format(operation, innerException), innerException)
    {
        Operation = operation;
    }

    /// <summary>What Tem was doing.</summary>
    public string Operation { get; }

    private static string Format(string operation, Exception innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(innerException);
        return $"{operation} failed: {innerException.Message}";
    }
}
