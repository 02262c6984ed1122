using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// Bulk loads rows into a table: values go straight into DuckDB data chunks (see <see cref="DuckDbRowSink"/>)
/// and each full chunk (2048 rows) is handed to the engine with <c>duckdb_append_data_chunk</c>.
/// Not thread-safe: one appender per connection per thread.
/// </summary>
public sealed unsafe class DuckDbAppender : DuckDbRowSink, IDisposable
{
    private readonly AppenderHandle _appender;
    private readonly DataChunkHandle _chunk;
    private bool _closed;

    private DuckDbAppender(AppenderHandle appender, ColumnType[] types, DataChunkHandle chunk, string target)
        : base(types, target)
    {
        _appender = appender;
        _chunk = chunk;
        Attach(chunk.DangerousGetHandle());
    }

    /// <inheritdoc />
    protected override bool IsClosed => _closed;

    internal static DuckDbAppender Create(DuckDbConnection connection, string? schema, string table)
    {
        var target = schema is null ? table : schema + "." + table;
        var conn = connection.NativeConnection.DangerousGetHandle();
        if (NativeMethods.AppenderCreateExt(conn, null, schema, table, out var raw) != DuckDbState.Success)
        {
            var message = NativeMethods.ToManaged(NativeMethods.AppenderError(raw));
            NativeMethods.AppenderDestroy(ref raw);
            throw DuckDbException.FromMessage(message ?? $"Cannot create an appender for table '{target}'.");
        }

        var appender = new AppenderHandle(raw);
        try
        {
            var count = checked((int)NativeMethods.AppenderColumnCount(raw));
            var types = new ColumnType[count];
            var logical = new nint[count];
            try
            {
                for (var i = 0; i < count; i++)
                {
                    logical[i] = NativeMethods.AppenderColumnType(raw, (ulong)i);
                    types[i] = ColumnType.FromLogical(logical[i]);
                }

                fixed (nint* p = logical)
                {
                    return new DuckDbAppender(appender, types, new DataChunkHandle(NativeMethods.CreateDataChunk(p, (ulong)count)), target);
                }
            }
            finally
            {
                for (var i = 0; i < count; i++)
                {
                    if (logical[i] != nint.Zero)
                    {
                        NativeMethods.DestroyLogicalType(ref logical[i]);
                    }
                }
            }
        }
        catch
        {
            appender.Dispose();
            throw;
        }
    }

    /// <summary>Hands the buffered rows to DuckDB and flushes the appender.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        FlushChunk();
        Check(NativeMethods.AppenderFlush(_appender.DangerousGetHandle()));
    }

    /// <summary>
    /// Writes every completed row and closes the appender. A row left without <see cref="DuckDbRowSink.EndRow"/> is not
    /// written, and is reported by an <see cref="InvalidOperationException"/> after the completed rows are stored.
    /// </summary>
    public void Close() => CloseCore(strict: true);

    /// <summary>Like <see cref="Close"/>, but a row left without <see cref="DuckDbRowSink.EndRow"/> is dropped silently.</summary>
    public void Dispose() => CloseCore(strict: false);

    private protected override void OnChunkFull() => FlushChunk();

    private void CloseCore(bool strict)
    {
        if (_closed)
        {
            return;
        }

        var incomplete = AbandonRow();
        try
        {
            FlushChunk();
            Check(NativeMethods.AppenderClose(_appender.DangerousGetHandle()));
        }
        finally
        {
            _closed = true;
            _chunk.Dispose();
            _appender.Dispose();
        }

        if (strict && incomplete != 0)
        {
            throw new InvalidOperationException(
                $"The appender for '{Target}' was closed in the middle of row {RowsAppended + 1} ({incomplete} of {ColumnCount} values); " +
                $"the {RowsAppended} completed rows were written, that one was not.");
        }
    }

    private void FlushChunk()
    {
        var rows = RowsInChunk;
        if (rows == 0)
        {
            return;
        }

        var chunk = _chunk.DangerousGetHandle();
        NativeMethods.DataChunkSetSize(chunk, (ulong)rows);
        var state = NativeMethods.AppendDataChunk(_appender.DangerousGetHandle(), chunk);
        NativeMethods.DataChunkReset(chunk);
        Attach(chunk);
        Check(state);
    }

    private void Check(DuckDbState state)
    {
        if (state != DuckDbState.Success)
        {
            var message = NativeMethods.ToManaged(NativeMethods.AppenderError(_appender.DangerousGetHandle()));
            throw DuckDbException.FromMessage(message ?? $"Appending to '{Target}' failed.");
        }
    }
}
