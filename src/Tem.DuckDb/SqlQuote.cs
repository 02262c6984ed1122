namespace Tem.DuckDb;

/// <summary>
/// Quotes values and names for the SQL Tem writes itself (file paths in <c>COPY</c>/<c>read_parquet</c>, view and
/// column names), where DuckDB takes no parameter. The one place quoting is done: values become string literals with
/// every <c>'</c> doubled, names become identifiers with every <c>"</c> doubled.
/// </summary>
public static class SqlQuote
{
    /// <summary><c>O'Brien</c> → <c>'O''Brien'</c>.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary><c>my "table"</c> → <c>"my ""table"""</c>.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A DuckDB list literal of string literals: <c>['a', 'b']</c>.</summary>
    public static string List(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return "[" + string.Join(", ", values.Select(Literal)) + "]";
    }
}
