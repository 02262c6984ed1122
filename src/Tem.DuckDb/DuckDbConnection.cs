using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// A connection to a DuckDB database running in this process. Connections to the same file share one database
/// instance (DuckDB's instance cache), so several connections, one per thread, can work on one file at once.
/// A connection itself is not thread-safe: use one per thread.
/// </summary>
public sealed class DuckDbConnection : DbConnection
{
    /// <summary>The data source that opens a private in-memory database.</summary>
    public const string InMemory = ":memory:";

    private static readonly Lazy<nint> InstanceCache = new(NativeMethods.CreateInstanceCache);

    private string _connectionString = string.Empty;
    private DatabaseHandle? _database;
    private ConnectionHandle? _connection;
    private ConnectionState _state = ConnectionState.Closed;

    /// <summary>Creates a closed connection to a private in-memory database.</summary>
    public DuckDbConnection()
    {
    }

    /// <summary>Creates a closed connection; see <see cref="DuckDbConnectionStringBuilder"/> for the keys.</summary>
    public DuckDbConnection(string connectionString) => _connectionString = connectionString ?? string.Empty;

    /// <inheritdoc />
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_state != ConnectionState.Closed)
            {
                throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            }

            _connectionString = value ?? string.Empty;
        }
    }

    /// <inheritdoc />
    public override string Database => "main";

    /// <inheritdoc />
    public override string DataSource => new DuckDbConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>The DuckDB library version, e.g. <c>v1.5.6</c>.</summary>
    public override unsafe string ServerVersion => NativeMethods.ToManaged(NativeMethods.LibraryVersion()) ?? "unknown";

    /// <inheritdoc />
    public override ConnectionState State => _state;

    /// <summary>The command whose reader is open on this connection, if any (one at a time, as in ADO.NET).</summary>
    internal DuckDbDataReader? OpenReader { get; set; }

    internal ConnectionHandle NativeConnection =>
        _connection ?? throw new InvalidOperationException("The connection is not open. Call Open() first.");

    /// <inheritdoc />
    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("DuckDB connections use one database; ATTACH another file with SQL instead.");

    /// <inheritdoc />
    public override unsafe void Open()
    {
        if (_state == ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is already open.");
        }

        var builder = new DuckDbConnectionStringBuilder(_connectionString);
        var path = builder.DataSource;
        NativeMethods.CreateConfig(out var config);
        try
        {
            foreach (var (name, value) in builder.EngineOptions())
            {
                if (NativeMethods.SetConfig(config, name, value) != DuckDbState.Success)
                {
                    throw new ArgumentException(
                        $"DuckDB rejected the configuration option '{name}={value}' of the connection string.",
                        nameof(ConnectionString));
                }
            }

            DuckDbState state;
            nint db;
            nint error;
            if (path == InMemory)
            {
                // The instance cache would hand the same in-memory database to every connection; each
                // ":memory:" connection gets a private database instead, as DuckDB's own clients do.
                state = NativeMethods.OpenExt(null, out db, config, out error);
            }
            else
            {
                state = NativeMethods.GetOrCreateFromCache(InstanceCache.Value, path, out db, config, out error);
            }

            if (state != DuckDbState.Success)
            {
                var message = NativeMethods.TakeString((byte*)error) ?? "no reason given";
                throw new DuckDbException($"Cannot open DuckDB database '{path}': {message}", DuckDbException.ClassifyByPrefix(message));
            }

            var database = new DatabaseHandle(db);
            if (NativeMethods.Connect(db, out var conn) != DuckDbState.Success)
            {
                database.Dispose();
                throw DuckDbException.FromMessage($"Cannot connect to DuckDB database '{path}'.", DuckDbErrorType.Connection);
            }

            _database = database;
            _connection = new ConnectionHandle(conn);
            _state = ConnectionState.Open;
        }
        finally
        {
            NativeMethods.DestroyConfig(ref config);
        }
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_state == ConnectionState.Closed)
        {
            return;
        }

        OpenReader?.Dispose();
        _connection?.Dispose();
        _database?.Dispose();
        _connection = null;
        _database = null;
        _state = ConnectionState.Closed;
    }

    /// <summary>Creates a command for this connection.</summary>
    public new DuckDbCommand CreateCommand() => new() { Connection = this };

    /// <summary>
    /// Opens a bulk appender on a table. The appender buffers rows in DuckDB data chunks and hands each full
    /// chunk to the engine; dispose it (or call <see cref="DuckDbAppender.Close"/>) to write the rest.
    /// </summary>
    /// <param name="table">Table name.</param>
    /// <param name="schema">Schema, null for the default schema.</param>
    public DuckDbAppender CreateAppender(string table, string? schema = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        return DuckDbAppender.Create(this, schema, table);
    }

    /// <summary>
    /// Registers a table function on this connection: <c>SELECT * FROM name()</c> streams the rows that a fresh
    /// source from <paramref name="openSource"/> produces, with the given columns (SQL type names such as
    /// <c>VARCHAR</c>, <c>BIGINT</c>, <c>DECIMAL(18,4)</c>, <c>TIMESTAMPTZ</c>). With <paramref name="maxThreads"/> above 1,
    /// DuckDB may scan on that many threads, calling <paramref name="openSource"/> once per thread; the sources
    /// must then split the rows between them.
    /// </summary>
    public DuckDbTableFunction RegisterTableFunction(
        string name, IReadOnlyList<(string Name, string Type)> columns, Func<IDuckDbRowSource> openSource, int maxThreads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(openSource);
        var function = new DuckDbTableFunction(name, columns, openSource, maxThreads);
        function.Register(this);
        return function;
    }

    /// <summary>Runs SQL that returns nothing (one or more statements). A convenience over a command.</summary>
    public int Execute(string sql)
    {
        using var cmd = CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Interrupts the query running on this connection, from any thread.</summary>
    internal void Interrupt()
    {
        var conn = _connection;
        if (conn is { IsClosed: false })
        {
            var added = false;
            try
            {
                conn.DangerousAddRef(ref added);
                NativeMethods.Interrupt(conn.DangerousGetHandle());
            }
            finally
            {
                if (added)
                {
                    conn.DangerousRelease();
                }
            }
        }
    }

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (isolationLevel is not (IsolationLevel.Unspecified or IsolationLevel.Snapshot or IsolationLevel.Serializable))
        {
            throw new ArgumentOutOfRangeException(
                nameof(isolationLevel), isolationLevel, "DuckDB transactions are snapshot-isolated; use Unspecified or Snapshot.");
        }

        Execute("BEGIN TRANSACTION");
        return new DuckDbTransaction(this, isolationLevel);
    }

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => CreateCommand();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A DuckDB transaction (snapshot isolation), ended by Commit, Rollback or Dispose (rolls back).</summary>
public sealed class DuckDbTransaction : DbTransaction
{
    private DuckDbConnection? _connection;

    internal DuckDbTransaction(DuckDbConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        IsolationLevel = isolationLevel;
    }

    /// <inheritdoc />
    public override IsolationLevel IsolationLevel { get; }

    /// <inheritdoc />
    protected override DbConnection? DbConnection => _connection;

    /// <inheritdoc />
    public override void Commit() => End("COMMIT");

    /// <inheritdoc />
    public override void Rollback() => End("ROLLBACK");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { State: ConnectionState.Open })
        {
            End("ROLLBACK");
        }

        _connection = null;
        base.Dispose(disposing);
    }

    private void End(string sql)
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already ended.");
        _connection = null;
        connection.Execute(sql);
    }
}
