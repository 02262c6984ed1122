using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Tem.DuckDb;

/// <summary>
/// A SQL command: one or more statements, run through prepared statements with the command's parameters.
/// <see cref="Cancel"/>, a <see cref="CancellationToken"/> or <see cref="CommandTimeout"/> interrupt the running
/// query (DuckDB's <c>duckdb_interrupt</c>).
/// </summary>
public sealed class DuckDbCommand : DbCommand
{
    private string _commandText = string.Empty;
    private DuckDbConnection? _connection;
    private PreparedBatch? _prepared;

    /// <summary>Creates a command with no text and no connection.</summary>
    public DuckDbCommand()
    {
    }

    /// <summary>Creates a command with its SQL text and, optionally, its connection.</summary>
    public DuckDbCommand(string commandText, DuckDbConnection? connection = null)
    {
        _commandText = commandText;
        _connection = connection;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set
        {
            _commandText = value ?? string.Empty;
            Unprepare();
        }
    }

    /// <summary>Seconds before the command is interrupted; 0 (the default) waits without limit, as analytic queries may.</summary>
    public override int CommandTimeout { get; set; }

    /// <inheritdoc />
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException("DuckDB commands are SQL text.");
            }
        }
    }

    /// <inheritdoc />
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <summary>The command's parameters.</summary>
    public new DuckDbParameterCollection Parameters { get; } = new();

    /// <summary>The connection the command runs on.</summary>
    public new DuckDbConnection? Connection
    {
        get => _connection;
        set
        {
            _connection = value;
            Unprepare();
        }
    }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => Connection = value as DuckDbConnection ??
            (value is null ? null : throw new ArgumentException("A DuckDbCommand needs a DuckDbConnection.", nameof(value)));
    }

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => Parameters;

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction { get; set; }

    /// <summary>Interrupts the query this command's connection is running.</summary>
    public override void Cancel() => _connection?.Interrupt();

    /// <inheritdoc />
    public override int ExecuteNonQuery() => ExecuteNonQueryCore(CancellationToken.None);

    /// <inheritdoc />
    public override object? ExecuteScalar() => ExecuteScalarCore(CancellationToken.None);

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        RunAsync(() => ExecuteNonQueryCore(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        RunAsync(() => ExecuteScalarCore(cancellationToken), cancellationToken);

    /// <summary>Prepares the statements once; later executions reuse them until the text or connection changes.</summary>
    public override void Prepare()
    {
        var connection = OpenConnection();
        _prepared ??= PreparedBatch.Create(connection, _commandText);
    }

    /// <summary>
    /// Prepares the command (as <see cref="Prepare"/>) and returns the kind of each of its statements without running
    /// any. A statement that refers to an object an earlier statement of the same command creates cannot be prepared
    /// before that one runs: ask per statement when that matters.
    /// </summary>
    public IReadOnlyList<DuckDbStatementType> GetStatementTypes()
    {
        Prepare();
        return [.. Enumerable.Range(0, _prepared!.Count).Select(_prepared.StatementType)];
    }

    /// <summary>Runs the command and streams its first result set (statements before it that return no rows run first).</summary>
    public new DuckDbDataReader ExecuteReader() => ExecuteReaderCore(CommandBehavior.Default, CancellationToken.None);

    /// <inheritdoc cref="ExecuteReader()"/>
    public new DuckDbDataReader ExecuteReader(CommandBehavior behavior) => ExecuteReaderCore(behavior, CancellationToken.None);

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => new DuckDbParameter();

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReaderCore(behavior, CancellationToken.None);

    /// <inheritdoc />
    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        RunAsync<DbDataReader>(() => ExecuteReaderCore(behavior, cancellationToken), cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Unprepare();
        }

        base.Dispose(disposing);
    }

    internal DuckDbDataReader ExecuteReaderCore(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = OpenConnection();
        if (connection.OpenReader is { IsClosed: false })
        {
            throw new InvalidOperationException("The connection already has an open data reader; close it before running another command.");
        }

        var owned = _prepared is null;
        var batch = _prepared ?? PreparedBatch.Create(connection, _commandText);
        var guard = new InterruptGuard(connection, CommandTimeout, cancellationToken);
        try
        {
            var reader = new DuckDbDataReader(this, batch, owned, [.. Parameters.Items], behavior, guard);
            connection.OpenReader = reader;
            return reader;
        }
        catch
        {
            guard.Dispose();
            if (owned)
            {
                batch.Dispose();
            }

            throw;
        }
    }

    private int ExecuteNonQueryCore(CancellationToken cancellationToken)
    {
        using var reader = ExecuteReaderCore(CommandBehavior.Default, cancellationToken);
        while (reader.NextResult())
        {
        }

        reader.Close();
        return reader.RecordsAffected;
    }

    private object? ExecuteScalarCore(CancellationToken cancellationToken)
    {
        using var reader = ExecuteReaderCore(CommandBehavior.Default, cancellationToken);
        return reader.FieldCount > 0 && reader.Read() ? reader.GetValue(0) : null;
    }

    private DuckDbConnection OpenConnection()
    {
        var connection = _connection ?? throw new InvalidOperationException("The command has no connection.");
        return connection.State == ConnectionState.Open
            ? connection
            : throw new InvalidOperationException("The command's connection is not open. Call Open() first.");
    }

    private void Unprepare()
    {
        _prepared?.Dispose();
        _prepared = null;
    }

    // DuckDB runs in this process and blocks the calling thread; the async methods complete synchronously and the
    // token interrupts the engine, which is what makes them cancellable.
    private static Task<T> RunAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(action());
        }
        catch (OperationCanceledException e) when (e.CancellationToken == cancellationToken)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }
}
