using System.Collections;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// Streams a result chunk by chunk (<c>duckdb_fetch_chunk</c> over a streaming result): memory stays flat
/// however many rows the query returns. Values are read in place from the chunk's vectors.
/// Statements of the command that return no rows (DDL, INSERT...) run as the reader moves past them and add
/// to <see cref="RecordsAffected"/>; the reader stops on each statement that returns rows.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1010", Justification = "DbDataReader's non-generic enumeration is the ADO.NET contract.")]
public sealed unsafe class DuckDbDataReader : DbDataReader
{
    private readonly DuckDbCommand _command;
    private readonly PreparedBatch _batch;
    private readonly bool _ownsBatch;
    private readonly IReadOnlyList<DuckDbParameter> _parameters;
    private readonly CommandBehavior _behavior;
    private readonly InterruptGuard _guard;

    private int _nextStatement;
    private ResultHandle? _result;
    private VectorView[] _views = [];
    private DataChunkHandle? _chunk;
    private int _chunkSize;
    private int _row = -1;
    private long _recordsAffected = -1;
    private bool _closed;
    private bool _exhausted;

    internal DuckDbDataReader(
        DuckDbCommand command,
        PreparedBatch batch,
        bool ownsBatch,
        IReadOnlyList<DuckDbParameter> parameters,
        CommandBehavior behavior,
        InterruptGuard guard)
    {
        _command = command;
        _batch = batch;
        _ownsBatch = ownsBatch;
        _parameters = parameters;
        _behavior = behavior;
        _guard = guard;
        try
        {
            AdvanceToNextRowResult();
        }
        catch
        {
            ReleaseNative();
            throw;
        }
    }

    /// <inheritdoc />
    public override int Depth => 0;

    /// <inheritdoc />
    public override int FieldCount => _views.Length;

    /// <inheritdoc />
    public override bool HasRows => _chunkSize > 0;

    /// <inheritdoc />
    public override bool IsClosed => _closed;

    /// <summary>Rows inserted, updated or deleted by the statements run so far; -1 when none of them changed rows.</summary>
    public override int RecordsAffected => _recordsAffected > int.MaxValue ? int.MaxValue : (int)_recordsAffected;

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));

    /// <inheritdoc />
    public override bool Read()
    {
        ThrowIfClosed();
        if (_result is null)
        {
            return false;
        }

        if (_row + 1 < _chunkSize)
        {
            _row++;
            return true;
        }

        if (!FetchChunk())
        {
            return false;
        }

        _row = 0;
        return true;
    }

    /// <inheritdoc />
    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        if (_row + 1 < _chunkSize)
        {
            _row++;
            return Task.FromResult(true);
        }

        using var registration = cancellationToken.Register(static c => ((DuckDbConnection)c!).Interrupt(), _batch.Connection);
        try
        {
            return Task.FromResult(Read());
        }
        catch (DuckDbException e) when (e.ErrorType == DuckDbErrorType.Interrupt && cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }
    }

    /// <inheritdoc />
    public override bool NextResult()
    {
        ThrowIfClosed();
        DisposeCurrent();
        return AdvanceToNextRowResult();
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        try
        {
            DisposeCurrent();

            // The remaining statements of the command still run, as they would in a script.
            while (_nextStatement < _batch.Count)
            {
                DisposeCurrent();
                AdvanceToNextRowResult();
            }
        }
        finally
        {
            ReleaseNative();
            if ((_behavior & CommandBehavior.CloseConnection) != 0)
            {
                _batch.Connection.Close();
            }
        }
    }

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => View(ordinal).IsNull(CurrentRow());

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => NotNull(ordinal).GetBoolean(_row);

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => checked((byte)NotNull(ordinal).GetInt64(_row));

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => checked((short)NotNull(ordinal).GetInt64(_row));

    /// <inheritdoc />
    public override int GetInt32(int ordinal) => checked((int)NotNull(ordinal).GetInt64(_row));

    /// <inheritdoc />
    public override long GetInt64(int ordinal) => NotNull(ordinal).GetInt64(_row);

    /// <inheritdoc />
    public override float GetFloat(int ordinal) => NotNull(ordinal).GetFloat(_row);

    /// <inheritdoc />
    public override double GetDouble(int ordinal) => NotNull(ordinal).GetDouble(_row);

    /// <summary>DECIMAL columns are read exactly (scaled integer to System.Decimal, no floating point).</summary>
    public override decimal GetDecimal(int ordinal) => NotNull(ordinal).GetDecimal(_row);

    /// <inheritdoc />
    public override string GetString(int ordinal) => NotNull(ordinal).GetString(_row);

    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => NotNull(ordinal).GetDateTime(_row);

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => NotNull(ordinal).GetGuid(_row);

    /// <inheritdoc />
    public override char GetChar(int ordinal)
    {
        var s = GetString(ordinal);
        return s.Length == 1 ? s[0] : throw new InvalidCastException($"Column '{GetName(ordinal)}' holds '{s}', not one character.");
    }

    /// <summary>The UTF-8 bytes of a VARCHAR or BLOB value, valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> GetBytesSpan(int ordinal) => NotNull(ordinal).GetBytesSpan(_row);

    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = GetBytesSpan(ordinal);
        if (buffer is null)
        {
            return bytes.Length;
        }

        var available = Math.Max(0, bytes.Length - (int)dataOffset);
        var count = Math.Min(available, length);
        bytes.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var chars = GetString(ordinal);
        if (buffer is null)
        {
            return chars.Length;
        }

        var available = Math.Max(0, chars.Length - (int)dataOffset);
        var count = Math.Min(available, length);
        chars.AsSpan((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal) => View(ordinal).Type.SqlName;

    /// <inheritdoc />
    public override Type GetFieldType(int ordinal) => View(ordinal).Type.ClrType;

    /// <inheritdoc />
    public override string GetName(int ordinal) => View(ordinal).Name;

    /// <inheritdoc />
    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < _views.Length; i++)
        {
            if (string.Equals(_views[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < _views.Length; i++)
        {
            if (string.Equals(_views[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

#pragma warning disable CA2201 // IDataRecord.GetOrdinal documents IndexOutOfRangeException for an unknown name.
        throw new IndexOutOfRangeException($"The result has no column named '{name}'.");
#pragma warning restore CA2201
    }

    /// <inheritdoc />
    public override object GetValue(int ordinal)
    {
        var view = View(ordinal);
        var row = CurrentRow();
        return view.IsNull(row) ? DBNull.Value : view.GetValue(row);
    }

    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = Math.Min(values.Length, _views.Length);
        for (var i = 0; i < n; i++)
        {
            values[i] = GetValue(i);
        }

        return n;
    }

    /// <summary>
    /// Reads a value as <typeparamref name="T"/>. NULL gives null for reference and nullable types,
    /// <see cref="DBNull"/> for object, and an <see cref="InvalidCastException"/> for other value types.
    /// Lists read as arrays (<c>long[]</c>, <c>long?[]</c>, <c>string[]</c>...).
    /// </summary>
    public override T GetFieldValue<T>(int ordinal)
    {
        var view = View(ordinal);
        var row = CurrentRow();
        if (view.IsNull(row))
        {
            if (typeof(T) == typeof(object) || typeof(T) == typeof(DBNull))
            {
                return (T)(object)DBNull.Value;
            }

            return default(T) is null
                ? default!
                : throw new InvalidCastException($"Column '{view.Name}' is NULL in this row; read it as {typeof(T).Name}? instead.");
        }

        if (typeof(T) == typeof(long))
        {
            var v = view.GetInt64(row);
            return Unsafe.As<long, T>(ref v);
        }

        if (typeof(T) == typeof(int))
        {
            var v = checked((int)view.GetInt64(row));
            return Unsafe.As<int, T>(ref v);
        }

        if (typeof(T) == typeof(decimal))
        {
            var v = view.GetDecimal(row);
            return Unsafe.As<decimal, T>(ref v);
        }

        if (typeof(T) == typeof(double))
        {
            var v = view.GetDouble(row);
            return Unsafe.As<double, T>(ref v);
        }

        if (typeof(T) == typeof(DateTimeOffset))
        {
            var v = view.GetDateTimeOffset(row);
            return Unsafe.As<DateTimeOffset, T>(ref v);
        }

        if (typeof(T) == typeof(DateTime))
        {
            var v = view.GetDateTime(row);
            return Unsafe.As<DateTime, T>(ref v);
        }

        if (typeof(T) == typeof(DateOnly))
        {
            var v = view.GetDate(row);
            return Unsafe.As<DateOnly, T>(ref v);
        }

        if (typeof(T) == typeof(bool))
        {
            var v = view.GetBoolean(row);
            return Unsafe.As<bool, T>(ref v);
        }

        if (typeof(T) == typeof(string))
        {
            return (T)(object)(view.Type.Id is DuckDbTypeId.Varchar or DuckDbTypeId.Enum ? view.GetString(row) : view.GetValueAs(row, typeof(string)));
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = target.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(target)!;
            foreach (var item in view.GetList(row, element))
            {
                list.Add(item);
            }

            return (T)list;
        }

        return (T)view.GetValueAs(row, target);
    }

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <inheritdoc />
    public override DataTable GetSchemaTable()
    {
        var table = new DataTable("SchemaTable") { Locale = System.Globalization.CultureInfo.InvariantCulture };
        table.Columns.Add(SchemaTableColumn.ColumnName, typeof(string));
        table.Columns.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        table.Columns.Add(SchemaTableColumn.ColumnSize, typeof(int));
        table.Columns.Add(SchemaTableColumn.NumericPrecision, typeof(short));
        table.Columns.Add(SchemaTableColumn.NumericScale, typeof(short));
        table.Columns.Add(SchemaTableColumn.DataType, typeof(Type));
        table.Columns.Add("DataTypeName", typeof(string));
        table.Columns.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        table.Columns.Add(SchemaTableColumn.IsKey, typeof(bool));
        table.Columns.Add(SchemaTableColumn.IsUnique, typeof(bool));
        for (var i = 0; i < _views.Length; i++)
        {
            var t = _views[i].Type;
            var isDecimal = t.Id == DuckDbTypeId.Decimal;
            table.Rows.Add(
                _views[i].Name,
                i,
                -1,
                isDecimal ? (object)(short)t.Width : DBNull.Value,
                isDecimal ? (object)(short)t.Scale : DBNull.Value,
                t.ClrType,
                t.SqlName,
                true,
                false,
                false);
        }

        return table;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    /// <summary>Runs statements until one returns rows (true) or none is left (false).</summary>
    private bool AdvanceToNextRowResult()
    {
        while (_nextStatement < _batch.Count)
        {
            var index = _nextStatement++;
            var result = _guard.Run(() => _batch.Execute(index, _parameters));
            var kind = NativeMethods.ResultReturnType(*result.Pointer);
            if (kind == DuckDbResultType.QueryResult)
            {
                _result = result;
                _exhausted = false;
                LoadColumns();
                _row = -1;
                FetchChunk();
                _row = -1;
                return true;
            }

            try
            {
                if (kind == DuckDbResultType.ChangedRows)
                {
                    var changed = ReadChangedRows(result);
                    _recordsAffected = _recordsAffected < 0 ? changed : _recordsAffected + changed;
                }
            }
            finally
            {
                result.Dispose();
            }
        }

        return false;
    }

    private void LoadColumns()
    {
        var result = _result!;
        var count = (int)NativeMethods.ColumnCount(result.Pointer);
        var views = new VectorView[count];
        for (var i = 0; i < count; i++)
        {
            var name = NativeMethods.ToManaged(NativeMethods.ColumnName(result.Pointer, (ulong)i)) ?? string.Empty;
            var logical = NativeMethods.ColumnLogicalType(result.Pointer, (ulong)i);
            try
            {
                views[i] = new VectorView(ColumnType.FromLogical(logical), name);
            }
            finally
            {
                NativeMethods.DestroyLogicalType(ref logical);
            }
        }

        _views = views;
    }

    /// <summary>Fetches the next non-empty chunk of the current result; false at the end.</summary>
    private bool FetchChunk()
    {
        _chunk?.Dispose();
        _chunk = null;
        _chunkSize = 0;
        if (_exhausted)
        {
            return false;
        }

        var result = _result!;
        while (true)
        {
            var chunk = _guard.Run(() =>
            {
                var c = NativeMethods.FetchChunk(*result.Pointer);
                if (c == nint.Zero)
                {
                    var error = NativeMethods.ToManaged(NativeMethods.ResultError(result.Pointer));
                    if (error is not null)
                    {
                        throw DuckDbException.FromMessage(error, (DuckDbErrorType)NativeMethods.ResultErrorType(result.Pointer));
                    }
                }

                return c;
            });
            if (chunk == nint.Zero)
            {
                _exhausted = true;
                return false;
            }

            var handle = new DataChunkHandle(chunk);
            var size = (int)NativeMethods.DataChunkGetSize(chunk);
            if (size == 0)
            {
                handle.Dispose();
                continue;
            }

            for (var i = 0; i < _views.Length; i++)
            {
                _views[i].Load(NativeMethods.DataChunkGetVector(chunk, (ulong)i));
            }

            _chunk = handle;
            _chunkSize = size;
            return true;
        }
    }

    private static long ReadChangedRows(ResultHandle result)
    {
        var chunk = NativeMethods.FetchChunk(*result.Pointer);
        if (chunk == nint.Zero)
        {
            return 0;
        }

        try
        {
            return NativeMethods.DataChunkGetSize(chunk) == 0
                ? 0
                : *(long*)NativeMethods.VectorGetData(NativeMethods.DataChunkGetVector(chunk, 0));
        }
        finally
        {
            NativeMethods.DestroyDataChunk(ref chunk);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private VectorView View(int ordinal)
    {
        if (unchecked((uint)ordinal >= (uint)_views.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"The result has {_views.Length} columns.");
        }

        return _views[ordinal];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CurrentRow()
    {
        if (unchecked((uint)_row >= (uint)_chunkSize))
        {
            ThrowNoRow();
        }

        return _row;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private VectorView NotNull(int ordinal)
    {
        var view = View(ordinal);
        if (view.IsNull(CurrentRow()))
        {
            ThrowNull(view.Name);
        }

        return view;
    }

    private void ThrowNoRow()
    {
        ThrowIfClosed();
        throw new InvalidOperationException("No current row: call Read() and check that it returned true.");
    }

    private static void ThrowNull(string column) =>
        throw new InvalidCastException($"Column '{column}' is NULL in this row; check IsDBNull first or use GetFieldValue<T?>.");

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    private void DisposeCurrent()
    {
        _chunk?.Dispose();
        _chunk = null;
        _result?.Dispose();
        _result = null;
        _views = [];
        _chunkSize = 0;
        _row = -1;
    }

    private void ReleaseNative()
    {
        DisposeCurrent();
        _closed = true;
        _guard.Dispose();
        if (_ownsBatch)
        {
            _batch.Dispose();
        }

        if (ReferenceEquals(_batch.Connection.OpenReader, this))
        {
            _batch.Connection.OpenReader = null;
        }

        _ = _command;
    }
}
