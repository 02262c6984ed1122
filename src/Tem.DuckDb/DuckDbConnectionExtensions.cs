using System.Globalization;
using DuckDB.NET.Data;

namespace Tem.DuckDb;

/// <summary>
/// The small conveniences Tem uses on a DuckDB.NET connection: run a script, read one value, and register a
/// parallel table function (which DuckDB.NET's own table functions cannot be: see <see cref="DuckDbTableFunction"/>).
/// </summary>
public static class DuckDbConnectionExtensions
{
    /// <summary>Runs one or more statements; returns the rows they changed (DuckDB.NET's count).</summary>
    public static int Execute(this DuckDBConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns its first value converted to <typeparamref name="T"/> (invariant culture).</summary>
    /// <exception cref="InvalidOperationException">The query returned no row or NULL.</exception>
    public static T Scalar<T>(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in parameters)
        {
            command.Parameters.AddValue(value);
        }

        var result = command.ExecuteScalar();
        return result is null or DBNull
            ? throw new InvalidOperationException($"The query returned no value: {sql}")
            : result is T typed ? typed : (T)Convert.ChangeType(result, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query and returns the non-NULL values of its first column as strings, in the order read.</summary>
    public static List<string> Strings(this DuckDBConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0))
            {
                list.Add(reader.GetString(0));
            }
        }

        return list;
    }

    /// <summary>
    /// Registers a table function on this connection: <c>SELECT * FROM name()</c> then streams the rows that
    /// <paramref name="open"/>'s sources write, scanned by up to <paramref name="maxThreads"/> DuckDB threads at
    /// once (each thread calls <paramref name="open"/> for a source of its own).
    /// </summary>
    /// <param name="connection">An open connection; the function lives as long as its database.</param>
    /// <param name="name">The function's SQL name.</param>
    /// <param name="columns">Result columns: name and DuckDB type (BOOLEAN, integers, DOUBLE, VARCHAR, DATE, TIMESTAMP[TZ], DECIMAL(w,s)...).</param>
    /// <param name="open">Opens one source; called once per scanning thread.</param>
    /// <param name="maxThreads">How many threads may scan at once.</param>
    public static DuckDbTableFunction RegisterTableFunction(
        this DuckDBConnection connection, string name, IReadOnlyList<(string Name, string Type)> columns, Func<IDuckDbRowSource> open, int maxThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        if (connection.State != System.Data.ConnectionState.Open)
        {
            throw new InvalidOperationException("Open the connection before registering a table function.");
        }

        var function = new DuckDbTableFunction(name, columns, open, maxThreads);
        function.Register(connection);
        return function;
    }

    /// <summary>Adds a positional parameter (<c>?</c> or <c>$1</c>, in order); null binds NULL.</summary>
    public static DuckDBParameter AddValue(this DuckDBParameterCollection parameters, object? value)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var parameter = new DuckDBParameter { Value = value ?? DBNull.Value };
        parameters.Add(parameter);
        return parameter;
    }
}

/// <summary>
/// Reading conventions on top of DuckDB.NET's reader: its <c>GetFieldValue&lt;string?&gt;</c> throws on NULL, and its
/// <c>GetValue</c>/<c>GetDateTime</c> give a TIMESTAMPTZ as a <see cref="DateTime"/> of unspecified kind. Tem reads
/// an instant as a <see cref="DateTimeOffset"/> in UTC.
/// </summary>
public static class DuckDbReaderExtensions
{
    /// <summary>The string, or null for NULL.</summary>
    public static string? GetStringOrNull(this System.Data.Common.DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>A TIMESTAMPTZ as a <see cref="DateTimeOffset"/> with offset zero.</summary>
    public static DateTimeOffset GetInstant(this System.Data.Common.DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetFieldValue<DateTimeOffset>(ordinal);
    }

    /// <summary>A TIMESTAMPTZ as a <see cref="DateTimeOffset"/> with offset zero, or null for NULL.</summary>
    public static DateTimeOffset? GetInstantOrNull(this System.Data.Common.DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
    }

    /// <summary>
    /// A value as Tem reads values: null for NULL, a TIMESTAMPTZ as a <see cref="DateTimeOffset"/> in UTC, anything
    /// else as DuckDB.NET's <c>GetValue</c> gives it.
    /// </summary>
    public static object? GetValueOrNull(this System.Data.Common.DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null
            : reader.GetDataTypeName(ordinal).Equals("TimestampTz", StringComparison.OrdinalIgnoreCase) ? reader.GetFieldValue<DateTimeOffset>(ordinal)
            : reader.GetValue(ordinal);
    }
}
