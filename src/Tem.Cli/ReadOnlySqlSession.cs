using DuckDB.NET.Data;
using System.Globalization;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Cli;

/// <summary>
/// The analysts' SQL session behind <c>tem sql</c>: an in-memory DuckDB with one view per lake table, that can
/// neither change the lake nor read or write any file outside it. With <c>--tenant</c> it holds instead one party's
/// copy of its tables and can read no file at all.
/// </summary>
/// <remarks>
/// Two locks, because neither is enough alone:
/// <list type="number">
/// <item>The engine's: after the views exist, <c>allowed_paths</c> is set to exactly the Parquet files they read (no
/// path at all for a tenant's copy, which reads no file), spilling to disk is turned off (its folder would otherwise
/// be writable), <c>enable_external_access</c> is turned off and <c>lock_configuration</c> on, so no statement can
/// read another file, list a folder, load an extension or change a setting back.</item>
/// <item>The statements': DuckDB lets an allowed path be written as well as read, so <c>COPY ... TO</c> a lake file
/// would still overwrite it. Each statement is therefore prepared first and run only when its kind reads or changes
/// in-memory objects (SELECT, CREATE/INSERT of session tables, SET of variables...); COPY, EXPORT, ATTACH, LOAD,
/// INSTALL, CALL, PRAGMA and PREPARE/EXECUTE are refused, and so is EXPLAIN ANALYZE of anything but a query (it
/// runs the statement it explains).</item>
/// </list>
/// </remarks>
internal sealed class ReadOnlySqlSession : IDisposable
{
    private static readonly HashSet<DuckDbStatementType> Allowed =
    [
        DuckDbStatementType.Select, DuckDbStatementType.Insert, DuckDbStatementType.Update, DuckDbStatementType.Delete,
        DuckDbStatementType.Create, DuckDbStatementType.Drop, DuckDbStatementType.Alter, DuckDbStatementType.Transaction,
        DuckDbStatementType.VariableSet, DuckDbStatementType.Set, DuckDbStatementType.Analyze, DuckDbStatementType.MergeInto,
        DuckDbStatementType.Explain,
    ];

    private readonly DuckDBConnection _connection;

    private readonly SqlLimits _limits;

    private readonly bool _tenant;

    private ReadOnlySqlSession(DuckDBConnection connection, IReadOnlyList<string> tables, SqlLimits limits, bool tenant)
    {
        _connection = connection;
        Tables = tables;
        _limits = limits;
        _tenant = tenant;
    }

    /// <summary>The session's tables by name: the lake's views, or the tenant's tables (empty without a lake).</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>
    /// The session's tables and views now (a session table may have been created), each with its columns and their
    /// types in order. Read through DuckDB's catalog functions, which the lock-down leaves readable.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> Columns()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT table_name, column_name, data_type FROM duckdb_columns()
            WHERE NOT internal AND schema_name = 'main' ORDER BY table_name, column_index
            """;
        using var r = cmd.ExecuteReader();
        var map = new SortedDictionary<string, IReadOnlyList<(string, string)>>(StringComparer.Ordinal);
        while (r.Read())
        {
            if (!map.TryGetValue(r.GetString(0), out var list))
            {
                map[r.GetString(0)] = list = new List<(string, string)>();
            }

            ((List<(string, string)>)list).Add((r.GetString(1), r.GetString(2)));
        }

        return map;
    }

    /// <summary>The names of the session's views (the lake's tables are views; session and tenant tables are tables).</summary>
    public IReadOnlySet<string> ViewNames()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'";
        using var r = cmd.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// Opens a session over <paramref name="lakeRoot"/> (or over nothing when null) and locks it down. With a
    /// <paramref name="tenant"/>, the session holds only that party's copy of its tables
    /// (<see cref="TenantScope.OpenCopy"/>), in memory with spilling off, and no file is readable at all.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder holds no lake.</exception>
    /// <exception cref="ArgumentException">The lake has no party <paramref name="tenant"/> (parameter <c>tenant</c>), or a tenant without a lake.</exception>
    /// <exception cref="DuckDBException">DuckDB's error, e.g. out of memory while copying the tenant's tables.</exception>
    public static ReadOnlySqlSession Open(string? lakeRoot, SqlLimits? limits = null, string? tenant = null)
    {
        limits ??= new SqlLimits();
        if (tenant is not null && lakeRoot is null)
        {
            throw new ArgumentException("A tenant's session needs a lake.", nameof(lakeRoot));
        }

        IReadOnlyList<string> files = [];
        DuckDBConnection connection;
        if (tenant is null)
        {
            connection = LakeSession.InMemory(new SessionOptions { MemoryLimit = limits.MemoryLimit });
        }
        else
        {
            var lake = TemLake.OpenExisting(lakeRoot!);
            RequireParty(lake, tenant);

            // Spilling off from the first statement: the copy lives in memory, and is never written under the working directory.
            connection = TenantScope.OpenCopy(lake, tenant, new SessionOptions { MemoryLimit = limits.MemoryLimit, Spill = false });
        }

        try
        {
            if (tenant is null && lakeRoot is not null)
            {
                // Every table, and the run history and file list as the last run left them (_tem/runs.parquet,
                // files.parquet): a reader never opens the catalog, whose lock would stall a writer.
                files = TemLake.OpenExisting(lakeRoot).CreateViews(connection);
            }

            var tables = new List<string>();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = """
                    SELECT view_name FROM duckdb_views() WHERE NOT internal
                    UNION ALL SELECT table_name FROM duckdb_tables() WHERE NOT internal
                    ORDER BY 1
                    """;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    tables.Add(r.GetString(0));
                }
            }

            // A tenant's copy reads no file, so no path is allowed: not the lake's Parquet, not the catalog.
            var allowed = string.Join(", ", files.Select(SqlQuote.Literal));
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"""
                SET allowed_paths = [{allowed}];
                SET allowed_directories = [];
                SET temp_directory = '';
                SET allow_persistent_secrets = false;
                SET autoinstall_known_extensions = false;
                SET autoload_known_extensions = false;
                SET allow_community_extensions = false;
                SET enable_external_access = false;
                SET lock_configuration = true;
                """));
            return new ReadOnlySqlSession(connection, tables, limits, tenant is not null);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Whether DuckDB's error is its out-of-memory error (the memory limit reached, nothing to spill to).</summary>
    public static bool IsOutOfMemory(DuckDBException e) => e.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws unless the lake's parties (any version) include <paramref name="tenant"/>; the message lists the parties there are.</summary>
    private static void RequireParty(TemLake lake, string tenant)
    {
        const int Listed = 20;
        using var db = LakeSession.InMemory(new SessionOptions { Threads = 1 });
        lake.CreateViews(db);
        var parties = new List<string>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT DISTINCT party_id FROM party_versions WHERE party_id IS NOT NULL ORDER BY party_id";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                parties.Add(r.GetString(0));
            }
        }

        if (parties.Contains(tenant, StringComparer.Ordinal))
        {
            return;
        }

        var known = parties.Count switch
        {
            0 => "none (ingest a parties.csv)",
            <= Listed => string.Join(", ", parties),
            _ => string.Join(", ", parties.Take(Listed)) +
                 string.Create(CultureInfo.InvariantCulture, $" and {parties.Count - Listed} more (tem sql without --tenant: SELECT party_id, name, kind FROM parties)"),
        };
        throw new ArgumentException($"No party '{tenant}' in the lake's parties table; parties are {known}.", nameof(tenant));
    }

    /// <summary>
    /// Runs one statement (no trailing semicolon needed) and hands its reader to <paramref name="print"/>.
    /// Returns null, or why the statement was refused (it did not run) or stopped (<see cref="SqlLimits.Timeout"/>,
    /// or <paramref name="interrupt"/>: Ctrl+C at the prompt).
    /// </summary>
    /// <exception cref="DuckDBException">DuckDB's error for the statement.</exception>
    public string? Execute(string statement, Action<DuckDBDataReader> print, CancellationToken interrupt = default)
    {
        ArgumentNullException.ThrowIfNull(print);
        if (Refusal(statement) is { } refusal)
        {
            return refusal;
        }

        using var cmd = _connection.CreateCommand();
        cmd.CommandText = statement;

        // Streamed: rows go out as DuckDB produces them, never a whole result held on either side.
        cmd.UseStreamingMode = true;
        using var timeout = new CancellationTokenSource();
        using var stopOnTimeout = timeout.Token.Register(cmd.Cancel);
        using var stopOnInterrupt = interrupt.Register(cmd.Cancel);
        if (_limits.Timeout > TimeSpan.Zero)
        {
            timeout.CancelAfter(_limits.Timeout);
        }

        try
        {
            using var reader = cmd.ExecuteReader();
            print(reader);
            while (reader.NextResult())
            {
                print(reader);
            }
        }
        catch (Exception e) when (interrupt.IsCancellationRequested && e is DuckDBException or OperationCanceledException)
        {
            return "the statement was stopped (Ctrl+C)";
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is DuckDBException or OperationCanceledException)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the statement was stopped after {_limits.Timeout.TotalSeconds:0.#} s (--timeout; 0 = no limit)");
        }
        catch (DuckDBException e) when (IsOutOfMemory(e))
        {
            return $"the statement needs more memory than --memory-limit {_limits.MemoryLimit} allows ({FirstLine(e)}); " +
                   "narrow it (filter, aggregate before joining) or give a higher --memory-limit";
        }

        return null;
    }

    /// <summary>DuckDB's first line: what failed and how much it wanted; its advice after that (temp_directory, SET ...) cannot apply here.</summary>
    public static string FirstLine(DuckDBException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Message.Split('\n')[0].Trim();
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Why a statement may not run in a read-only session, or null when it may.</summary>
    internal string? Refusal(string statement)
    {
        var tokens = SqlText.Tokens(statement).ToList();
        if (tokens.Count == 0)
        {
            return null;
        }

        // enable_logging can be called as a table function inside a SELECT; with file storage it makes DuckDB 1.5 abort
        // the whole process on the locked file system, so it is refused by name.
        if (tokens.Any(t => t.IsWord && t.Text == "enable_logging"))
        {
            return "tem sql is read-only: logging to files (enable_logging) is not available";
        }

        var types = TypesOf(statement);
        if (types is null)
        {
            // Not preparable: running it reports DuckDB's own error, and nothing can run.
            return null;
        }

        if (types.Count != 1)
        {
            return "tem sql runs one statement at a time; separate statements with ';'";
        }

        var type = types[0];
        if (!Allowed.Contains(type))
        {
            return type switch
            {
                DuckDbStatementType.Copy or DuckDbStatementType.Export or DuckDbStatementType.CopyDatabase =>
                    "tem sql is read-only: COPY and EXPORT are refused; to save a result use .output FILE (or .once FILE) with .mode csv, or --format csv and redirect the output",
                DuckDbStatementType.Attach or DuckDbStatementType.Detach => _tenant
                    ? "tem sql is read-only: ATTACH and DETACH are refused; the tenant's tables are already in the session"
                    : "tem sql is read-only: ATTACH and DETACH are refused; the lake's tables are already views",
                DuckDbStatementType.Load or DuckDbStatementType.Extension or DuckDbStatementType.UpdateExtensions =>
                    "tem sql is read-only: extensions cannot be installed or loaded",
                DuckDbStatementType.Pragma or DuckDbStatementType.Call =>
                    "tem sql is read-only: PRAGMA and CALL are refused; use DESCRIBE usage, SHOW TABLES or SELECT * FROM duckdb_columns()",
                _ => $"tem sql is read-only: {WireName(type)} statements are refused",
            };
        }

        return type == DuckDbStatementType.Explain ? ExplainRefusal(statement, tokens) : null;
    }

    /// <summary>EXPLAIN ANALYZE runs what it explains, so what it explains must be a query.</summary>
    private string? ExplainRefusal(string statement, List<SqlToken> tokens)
    {
        var i = 1;
        var runs = false;
        if (i < tokens.Count && tokens[i].IsWord && tokens[i].Text == "analyze")
        {
            runs = true;
            i++;
        }
        else if (i < tokens.Count && tokens[i].Text == "(")
        {
            // EXPLAIN (ANALYZE, FORMAT json) ...: any option list is treated as possibly analyzing.
            runs = true;
            var depth = 0;
            for (; i < tokens.Count; i++)
            {
                depth += tokens[i].Text switch { "(" => 1, ")" => -1, _ => 0 };
                if (depth == 0)
                {
                    i++;
                    break;
                }
            }
        }

        if (!runs)
        {
            return null;
        }

        var inner = i < tokens.Count ? statement[tokens[i].Start..] : string.Empty;
        var types = TypesOf(inner);
        return types is [DuckDbStatementType.Select]
            ? null
            : "tem sql is read-only: EXPLAIN ANALYZE runs the statement it explains, so it is allowed for queries only";
    }

    private List<DuckDbStatementType>? TypesOf(string statement) =>
        DuckDbStatements.TryGetKinds(_connection, statement) is { } kinds ? [.. kinds] : null;

    private static string WireName(DuckDbStatementType type) => type.ToString().ToUpperInvariant();
}

/// <summary>
/// Bounds of one <c>tem sql</c> session: its memory (DuckDB's limit; no spilling) and every statement's time. A tenant's
/// copy of its tables is held in that memory too, so what is left for a statement is the limit less the copy.
/// </summary>
internal sealed record SqlLimits
{
    /// <summary>DuckDB's memory limit, e.g. <c>2GB</c>: a statement that needs more fails with a clear error, and a tenant whose tables do not fit cannot open a session.</summary>
    public string MemoryLimit { get; init; } = "2GB";

    /// <summary>A statement still running after this is stopped; zero means no limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
