using System.Globalization;
using DuckDB.NET.Data;
using Tem.Core;
using Tem.DuckDb;

namespace Tem.Lake;

/// <summary>How a DuckDB connection is set up: threads, memory limit, spill folder, read-only.</summary>
public sealed record SessionOptions
{
    /// <summary>DuckDB worker threads; null for DuckDB's default (every core).</summary>
    public int? Threads { get; init; }

    /// <summary>DuckDB's memory limit, e.g. <c>1GB</c>; null for DuckDB's default (80 % of RAM).</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>Where DuckDB spills beyond the memory limit; null for DuckDB's default.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>
    /// False: DuckDB writes no temporary file at all, from the first statement on, so everything the session holds
    /// (in-memory tables included) and every statement's work must fit in <see cref="MemoryLimit"/>. Without this an
    /// in-memory database spills to DuckDB's default folder, <c>.tmp</c> under the working directory.
    /// </summary>
    public bool Spill { get; init; } = true;

    /// <summary>Keep the order rows were produced in (DuckDB's default); false lets parallel writes reorder.</summary>
    public bool PreserveInsertionOrder { get; init; } = true;

    /// <summary>Open a database file read-only (ignored in memory).</summary>
    public bool ReadOnly { get; init; }
}

/// <summary>
/// Opens every DuckDB connection Tem uses, through DuckDB.NET's connection-string builder, so that threads, memory,
/// spill folder and access mode are set in one place. Connections to one file share one database instance
/// (DuckDB.NET's cache), whose settings are those of the first connection; an in-memory connection is private.
/// </summary>
public static class LakeSession
{
    /// <summary>A private in-memory database (views over lake files, staging, scratch work).</summary>
    public static DuckDBConnection InMemory(SessionOptions? options = null) =>
        Open(DuckDBConnectionStringBuilder.InMemoryDataSource, options ?? new SessionOptions());

    /// <summary>A database file (the lake's catalog).</summary>
    /// <exception cref="InfrastructureException">DuckDB could not open it (locked by another process, unreadable...).</exception>
    public static DuckDBConnection File(string path, SessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return Open(path, options ?? new SessionOptions());
        }
        catch (DuckDBException e)
        {
            throw new InfrastructureException($"Opening the DuckDB database {path}", e);
        }
    }

    /// <summary>True for a memory size DuckDB takes as a limit: a number and a unit, e.g. <c>1GB</c>, <c>500MB</c>, <c>2GiB</c>.</summary>
    public static bool IsMemorySize(string? value) => MemorySize(value).Success;

    /// <summary>A memory size's number (group 1) and unit (group 2); the one pattern of <see cref="IsMemorySize"/> and <see cref="Share"/>.</summary>
    private static System.Text.RegularExpressions.Match MemorySize(string? value) =>
        System.Text.RegularExpressions.Regex.Match(value?.Trim() ?? string.Empty, @"^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>
    /// A share of a memory size (<see cref="IsMemorySize"/>), as a size DuckDB takes, in KiB: <c>Share("1GB", 0.5)</c> is
    /// <c>488281KiB</c> (DuckDB's GB is 1000^3 bytes, GiB 1024^3).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="size"/> is not a memory size, or <paramref name="fraction"/> is not in (0, 1].</exception>
    public static string Share(string size, double fraction)
    {
        var match = MemorySize(size);
        if (!match.Success || fraction is <= 0 or > 1)
        {
            throw new ArgumentException($"'{size}' is not a memory size such as 1GB or 500MB, or {fraction} is not a share in (0, 1].", nameof(size));
        }

        var unit = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "B" => 1d,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            "KIB" => 1024d,
            "MIB" => 1024d * 1024,
            "GIB" => 1024d * 1024 * 1024,
            _ => 1024d * 1024 * 1024 * 1024,
        };
        var bytes = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * unit * fraction;
        return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)(bytes / 1024))}KiB");
    }

    /// <summary>The connection string a session would use (for tests and diagnostics).</summary>
    /// <exception cref="ArgumentException">A spill folder is given with spilling off.</exception>
    public static string ConnectionString(string dataSource, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Spill && options.TempDirectory is not null)
        {
            throw new ArgumentException("A session with spilling off (Spill = false) takes no TempDirectory.", nameof(options));
        }

        var builder = new DuckDBConnectionStringBuilder { DataSource = dataSource };
        if (options.Threads is { } threads)
        {
            builder["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        }

        if (options.MemoryLimit is { Length: > 0 } memory)
        {
            builder["memory_limit"] = memory;
        }

        if (options.TempDirectory is { Length: > 0 } temp)
        {
            builder["temp_directory"] = temp;
        }

        if (!options.PreserveInsertionOrder)
        {
            builder["preserve_insertion_order"] = "false";
        }

        if (options.ReadOnly && dataSource != DuckDBConnectionStringBuilder.InMemoryDataSource)
        {
            builder["access_mode"] = "READ_ONLY";
        }

        return builder.ConnectionString;
    }

    private static DuckDBConnection Open(string dataSource, SessionOptions options)
    {
        var connection = new DuckDBConnection(ConnectionString(dataSource, options));
        try
        {
            connection.Open();

            // The connection string cannot say "no folder": an empty temp_directory there means DuckDB's default.
            if (!options.Spill)
            {
                connection.Execute("SET temp_directory = ''");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
