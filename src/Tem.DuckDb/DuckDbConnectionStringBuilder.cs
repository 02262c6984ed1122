using System.Data.Common;
using System.Globalization;

namespace Tem.DuckDb;

/// <summary>
/// Connection string: <c>Data Source=lake.duckdb;Read Only=true;threads=2;memory_limit=1GB</c>.
/// <c>Data Source</c> is a file path or <c>:memory:</c> (the default). Every key other than
/// <c>Data Source</c> and <c>Read Only</c> is passed to DuckDB as a configuration option with that name.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1010", Justification = "DbConnectionStringBuilder's non-generic collection is the ADO.NET contract.")]
public sealed class DuckDbConnectionStringBuilder : DbConnectionStringBuilder
{
    private const string DataSourceKey = "Data Source";
    private const string ReadOnlyKey = "Read Only";

    /// <summary>Creates an empty connection string (an in-memory database).</summary>
    public DuckDbConnectionStringBuilder()
    {
    }

    /// <summary>Parses a connection string.</summary>
    public DuckDbConnectionStringBuilder(string? connectionString) => ConnectionString = connectionString ?? string.Empty;

    /// <summary>Database file path, or <c>:memory:</c> for a private in-memory database.</summary>
    public string DataSource
    {
        get => TryGetValue(DataSourceKey, out var v) && v is string s && s.Length > 0 ? s : DuckDbConnection.InMemory;
        set => this[DataSourceKey] = value;
    }

    /// <summary>Open the database read-only (DuckDB <c>access_mode=READ_ONLY</c>).</summary>
    public bool ReadOnly
    {
        get => TryGetValue(ReadOnlyKey, out var v) && v is not null &&
               bool.Parse(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "false");
        set => this[ReadOnlyKey] = value;
    }

    /// <summary>Worker threads DuckDB may use (DuckDB <c>threads</c>); null = DuckDB's default (all cores).</summary>
    public int? Threads
    {
        get => TryGetValue("threads", out var v) && v is not null
            ? int.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture)
            : null;
        set => SetOrRemove("threads", value?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>DuckDB's <c>memory_limit</c>, e.g. <c>1GB</c>; null = DuckDB's default (80 % of RAM).</summary>
    public string? MemoryLimit
    {
        get => TryGetValue("memory_limit", out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        set => SetOrRemove("memory_limit", value);
    }

    /// <summary>The DuckDB configuration options: every key except Data Source and Read Only, plus access_mode.</summary>
    internal IEnumerable<KeyValuePair<string, string>> EngineOptions()
    {
        foreach (string key in Keys)
        {
            if (string.Equals(key, DataSourceKey, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(key, ReadOnlyKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            yield return new(key, Convert.ToString(this[key], CultureInfo.InvariantCulture) ?? string.Empty);
        }

        if (ReadOnly)
        {
            yield return new("access_mode", "READ_ONLY");
        }
    }

    private void SetOrRemove(string key, string? value)
    {
        if (value is null)
        {
            Remove(key);
        }
        else
        {
            this[key] = value;
        }
    }
}
