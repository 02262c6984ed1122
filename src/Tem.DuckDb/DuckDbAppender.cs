using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// Bulk loads rows into a table through DuckDB data chunks: values are written straight into the chunk's vectors
/// and each full chunk (2048 rows) is handed to the engine with <c>duckdb_append_data_chunk</c>.
/// Each row is a sequence of typed <c>Append</c> calls, one per column in table order, ended by <see cref="EndRow"/>.
/// A value that the column's type cannot hold exactly is refused (caller misuse), never silently rounded.
/// Not thread-safe: one appender per connection per thread.
/// </summary>
public sealed unsafe class DuckDbAppender : IDisposable
{
    private const int InlineStringLength = 12;

    private readonly string _table;
    private readonly AppenderHandle _appender;
    private readonly DataChunkHandle _chunk;
    private readonly ColumnType[] _types;
    private readonly string[] _columnLabels;
    private readonly nint[] _vectors;
    private readonly nint[] _data;
    private readonly nint[] _validity;
    private readonly int _capacity;
    private int _row;
    private int _column;
    private bool _closed;

    internal DuckDbAppender(DuckDbConnection connection, string? schema, string table)
    {
        _table = schema is null ? table : schema + "." + table;
        var conn = connection.NativeConnection.DangerousGetHandle();
        if (NativeMethods.AppenderCreateExt(conn, null, schema, table, out var appender) != DuckDbState.Success)
        {
            var message = NativeMethods.ToManaged(NativeMethods.AppenderError(appender));
            NativeMethods.AppenderDestroy(ref appender);
            throw DuckDbException.FromMessage(message ?? $"Cannot create an appender for table '{_table}'.");
        }

        _appender = new AppenderHandle(appender);
        var count = checked((int)NativeMethods.AppenderColumnCount(appender));
        _types = new ColumnType[count];
        _columnLabels = new string[count];
        var logical = new nint[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                logical[i] = NativeMethods.AppenderColumnType(appender, (ulong)i);
                _types[i] = ColumnType.FromLogical(logical[i]);
                _columnLabels[i] = $"column {i + 1} ({_types[i].SqlName}) of '{_table}'";
            }

            fixed (nint* types = logical)
            {
                _chunk = new DataChunkHandle(NativeMethods.CreateDataChunk(types, (ulong)count));
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

        _capacity = checked((int)NativeMethods.VectorSize());
        _vectors = new nint[count];
        _data = new nint[count];
        _validity = new nint[count];
        LoadVectors();
    }

    /// <summary>Columns of the table, in order.</summary>
    public int ColumnCount => _types.Length;

    /// <summary>DuckDB type names of the columns, e.g. <c>DECIMAL(18,4)</c>.</summary>
    public IReadOnlyList<string> ColumnTypeNames => [.. _types.Select(t => t.SqlName)];

    /// <summary>Rows completed with <see cref="EndRow"/> so far.</summary>
    public long RowsAppended { get; private set; }

    /// <summary>Writes NULL into the next column.</summary>
    public DuckDbAppender AppendNull()
    {
        var c = Current();
        if (_validity[c] == nint.Zero)
        {
            NativeMethods.VectorEnsureValidityWritable(_vectors[c]);
            _validity[c] = (nint)NativeMethods.VectorGetValidity(_vectors[c]);
        }

        ((ulong*)_validity[c])[_row >> 6] &= ~(1UL << (_row & 63));
        _column++;
        return this;
    }

    /// <summary>Writes a BOOLEAN.</summary>
    public DuckDbAppender Append(bool value)
    {
        var c = Current();
        Write<byte>(c, _types[c].Id == DuckDbTypeId.Boolean ? (value ? (byte)1 : (byte)0) : throw Mismatch(c, "bool"));
        _column++;
        return this;
    }

    /// <summary>Writes an integer (see <see cref="Append(long)"/>).</summary>
    public DuckDbAppender Append(int value) => Append((long)value);

    /// <summary>Writes an integer into an integer, DECIMAL or floating-point column (range-checked).</summary>
    public DuckDbAppender Append(long value)
    {
        var c = Current();
        switch (_types[c].Id)
        {
            case DuckDbTypeId.BigInt: Write(c, value); break;
            case DuckDbTypeId.Integer: Write(c, checked((int)value)); break;
            case DuckDbTypeId.SmallInt: Write(c, checked((short)value)); break;
            case DuckDbTypeId.TinyInt: Write(c, checked((sbyte)value)); break;
            case DuckDbTypeId.UBigInt: Write(c, checked((ulong)value)); break;
            case DuckDbTypeId.UInteger: Write(c, checked((uint)value)); break;
            case DuckDbTypeId.USmallInt: Write(c, checked((ushort)value)); break;
            case DuckDbTypeId.UTinyInt: Write(c, checked((byte)value)); break;
            case DuckDbTypeId.HugeInt: Write(c, ParameterBinder.ToHugeInt(value)); break;
            case DuckDbTypeId.Double: Write(c, (double)value); break;
            case DuckDbTypeId.Float: Write(c, (float)value); break;
            case DuckDbTypeId.Decimal: WriteDecimal(c, value); break;
            default: throw Mismatch(c, "long");
        }

        _column++;
        return this;
    }

    /// <summary>Writes a HUGEINT, or a smaller integer column when the value fits.</summary>
    public DuckDbAppender Append(Int128 value)
    {
        var c = Current();
        switch (_types[c].Id)
        {
            case DuckDbTypeId.HugeInt: Write(c, ParameterBinder.ToHugeInt(value)); break;
            default: return Append(checked((long)value));
        }

        _column++;
        return this;
    }

    /// <summary>Writes a DOUBLE or FLOAT; never into DECIMAL (money does not pass through binary floating point).</summary>
    public DuckDbAppender Append(double value)
    {
        var c = Current();
        switch (_types[c].Id)
        {
            case DuckDbTypeId.Double: Write(c, value); break;
            case DuckDbTypeId.Float: Write(c, (float)value); break;
            default: throw Mismatch(c, "double");
        }

        _column++;
        return this;
    }

    /// <summary>
    /// Writes an exact decimal into a DECIMAL column: the value must fit the column's width and scale without
    /// rounding (<c>1.23456</c> into DECIMAL(18,4) is refused). Into DOUBLE it is converted.
    /// </summary>
    public DuckDbAppender Append(decimal value)
    {
        var c = Current();
        switch (_types[c].Id)
        {
            case DuckDbTypeId.Decimal: WriteDecimal(c, value); break;
            case DuckDbTypeId.Double: Write(c, (double)value); break;
            default: throw Mismatch(c, "decimal");
        }

        _column++;
        return this;
    }

    /// <summary>Writes a string into a VARCHAR column; null writes NULL.</summary>
    public DuckDbAppender Append(string? value)
    {
        if (value is null)
        {
            return AppendNull();
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 512)
        {
            Span<byte> buffer = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(value, buffer);
            return AppendUtf8(buffer[..n], requireVarchar: true, knownValid: true);
        }

        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = Encoding.UTF8.GetBytes(value, rented);
            return AppendUtf8(rented.AsSpan(0, n), requireVarchar: true, knownValid: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes UTF-8 bytes into a VARCHAR column, or raw bytes into a BLOB column.</summary>
    public DuckDbAppender Append(ReadOnlySpan<byte> value) => AppendUtf8(value, requireVarchar: false, knownValid: false);

    /// <summary>Writes a DATE.</summary>
    public DuckDbAppender Append(DateOnly value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.Date ? value.DayNumber - VectorView.UnixEpochDayNumber : throw Mismatch(c, "DateOnly"));
        _column++;
        return this;
    }

    /// <summary>
    /// Writes a TIMESTAMP (the wall-clock value as given), or a TIMESTAMPTZ when <paramref name="value"/> is UTC.
    /// </summary>
    public DuckDbAppender Append(DateTime value)
    {
        var c = Current();
        switch (_types[c].Id)
        {
            case DuckDbTypeId.Timestamp: Write(c, ParameterBinder.MicrosSinceEpoch(value)); break;
            case DuckDbTypeId.TimestampTz when value.Kind == DateTimeKind.Utc: Write(c, ParameterBinder.MicrosSinceEpoch(value)); break;
            case DuckDbTypeId.TimestampTz:
                throw new ArgumentException(
                    $"{_columnLabels[c]} is a TIMESTAMPTZ; a DateTime of kind {value.Kind} is ambiguous. Pass a DateTimeOffset or a UTC DateTime.",
                    nameof(value));
            default: throw Mismatch(c, "DateTime");
        }

        _column++;
        return this;
    }

    /// <summary>Writes the instant into a TIMESTAMPTZ column (DuckDB stores it as UTC microseconds).</summary>
    public DuckDbAppender Append(DateTimeOffset value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.TimestampTz
            ? ParameterBinder.MicrosSinceEpoch(value.UtcDateTime)
            : throw Mismatch(c, "DateTimeOffset"));
        _column++;
        return this;
    }

    /// <summary>Writes a TIME (microsecond precision).</summary>
    public DuckDbAppender Append(TimeOnly value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.Time ? value.Ticks / 10 : throw Mismatch(c, "TimeOnly"));
        _column++;
        return this;
    }

    /// <summary>Writes an INTERVAL.</summary>
    public DuckDbAppender Append(DuckDbInterval value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.Interval
            ? new DuckDbIntervalStruct { Months = value.Months, Days = value.Days, Micros = value.Micros }
            : throw Mismatch(c, "DuckDbInterval"));
        _column++;
        return this;
    }

    /// <summary>Writes an INTERVAL of the span (microsecond precision).</summary>
    public DuckDbAppender Append(TimeSpan value) => Append(DuckDbInterval.FromTimeSpan(value));

    /// <summary>Writes a UUID.</summary>
    public DuckDbAppender Append(Guid value)
    {
        var c = Current();
        if (_types[c].Id != DuckDbTypeId.Uuid)
        {
            throw Mismatch(c, "Guid");
        }

        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        var upper = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) ^ 0x8000_0000_0000_0000UL;
        var lower = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        Write(c, new DuckDbUHugeIntStruct { Lower = lower, Upper = upper });
        _column++;
        return this;
    }

    /// <summary>Writes a value of any supported CLR type (null and DBNull write NULL). Slower than the typed overloads.</summary>
    public DuckDbAppender AppendValue(object? value) => value switch
    {
        null or DBNull => AppendNull(),
        bool v => Append(v),
        int v => Append(v),
        long v => Append(v),
        short v => Append(v),
        sbyte v => Append(v),
        byte v => Append(v),
        ushort v => Append(v),
        uint v => Append(v),
        Int128 v => Append(v),
        double v => Append(v),
        float v => Append(v),
        decimal v => Append(v),
        string v => Append(v),
        byte[] v => Append(v.AsSpan()),
        DateOnly v => Append(v),
        DateTime v => Append(v),
        DateTimeOffset v => Append(v),
        TimeOnly v => Append(v),
        TimeSpan v => Append(v),
        DuckDbInterval v => Append(v),
        Guid v => Append(v),
        _ => throw new ArgumentException($"Values of type {value.GetType().Name} cannot be appended.", nameof(value)),
    };

    /// <summary>Completes the row; every column must have received a value.</summary>
    public void EndRow()
    {
        if (_column != _types.Length)
        {
            throw new InvalidOperationException(
                $"Row {RowsAppended + 1} for '{_table}' has {_column} values; the table has {_types.Length} columns.");
        }

        _column = 0;
        _row++;
        RowsAppended++;
        if (_row == _capacity)
        {
            FlushChunk();
        }
    }

    /// <summary>
    /// Abandons the row being written: the values appended since the last <see cref="EndRow"/> are dropped and
    /// the next value goes to the first column again. Lets a caller validate a row while writing it.
    /// </summary>
    public void DiscardRow()
    {
        ThrowIfClosed();
        for (var i = 0; i < _column; i++)
        {
            if (_validity[i] != nint.Zero)
            {
                ((ulong*)_validity[i])[_row >> 6] |= 1UL << (_row & 63);
            }
        }

        _column = 0;
    }

    /// <summary>Hands the buffered rows to DuckDB and flushes the appender.</summary>
    public void Flush()
    {
        ThrowIfClosed();
        FlushChunk();
        Check(NativeMethods.AppenderFlush(_appender.DangerousGetHandle()));
    }

    /// <summary>
    /// Writes every completed row and closes the appender. A row left without <see cref="EndRow"/> is not
    /// written, and is reported by an <see cref="InvalidOperationException"/> after the completed rows are stored.
    /// </summary>
    public void Close() => CloseCore(strict: true);

    /// <summary>Like <see cref="Close"/>, but a row left without <see cref="EndRow"/> is dropped silently.</summary>
    public void Dispose() => CloseCore(strict: false);

    private void CloseCore(bool strict)
    {
        if (_closed)
        {
            return;
        }

        var incomplete = _column;
        try
        {
            _column = 0;
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
                $"The appender for '{_table}' was closed in the middle of row {RowsAppended + 1} ({incomplete} of {_types.Length} values); " +
                $"the {RowsAppended} completed rows were written, that one was not.");
        }
    }

    /// <param name="value">The bytes.</param>
    /// <param name="requireVarchar">Only a VARCHAR column may take them (strings); otherwise BLOB too.</param>
    /// <param name="knownValid">The bytes are UTF-8 that .NET encoded, so DuckDB need not check them again.</param>
    private DuckDbAppender AppendUtf8(ReadOnlySpan<byte> value, bool requireVarchar, bool knownValid)
    {
        var c = Current();
        var id = _types[c].Id;
        if (id != DuckDbTypeId.Varchar && (requireVarchar || id != DuckDbTypeId.Blob))
        {
            throw Mismatch(c, requireVarchar ? "string" : "bytes");
        }

        if (value.Length <= InlineStringLength && (knownValid || id == DuckDbTypeId.Blob))
        {
            // duckdb_string_t keeps up to 12 bytes inline (length, then the bytes, zero-padded): no native call needed.
            var slot = (byte*)_data[c] + (16 * _row);
            *(long*)(slot + 8) = 0;
            *(int*)(slot + 4) = 0;
            *(int*)slot = value.Length;
            value.CopyTo(new Span<byte>(slot + 4, InlineStringLength));
        }
        else
        {
            fixed (byte* p = value)
            {
                if (knownValid || id == DuckDbTypeId.Blob)
                {
                    NativeMethods.UnsafeVectorAssignStringElementLen(_vectors[c], (ulong)_row, p, (ulong)value.Length);
                }
                else
                {
                    NativeMethods.VectorAssignStringElementLen(_vectors[c], (ulong)_row, p, (ulong)value.Length);
                }
            }
        }

        _column++;
        return this;
    }

    private void WriteDecimal(int c, decimal value)
    {
        var type = _types[c];
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if (bits[2] == 0 && scale <= type.Scale && type.DecimalStorage == DuckDbTypeId.BigInt)
        {
            // Fast path for DECIMAL(<=18): the mantissa fits 64 bits and only needs scaling up.
            var small = unchecked(((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
            var factor = Pow10Table[type.Scale - scale];
            if (small <= MaxBigIntDecimal / factor && small * factor < Pow10Table[type.Width])
            {
                var scaledSmall = (long)(small * factor);
                Write(c, bits[3] < 0 ? -scaledSmall : scaledSmall);
                return;
            }
        }

        var mantissa = unchecked(((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0]);
        while (scale > type.Scale)
        {
            if (mantissa % 10 != 0)
            {
                throw new ArgumentException(
                    $"{value} has more than {type.Scale} decimals and {_columnLabels[c]} would have to round it; round it first.",
                    nameof(value));
            }

            mantissa /= 10;
            scale--;
        }

        for (; scale < type.Scale; scale++)
        {
            mantissa *= 10;
        }

        if (mantissa >= Pow10(type.Width))
        {
            throw new OverflowException($"{value} does not fit {_columnLabels[c]}.");
        }

        var signed = bits[3] < 0 ? -(Int128)mantissa : (Int128)mantissa;
        WriteScaled(c, signed);
    }

    private void WriteDecimal(int c, long value) => WriteScaled(c, CheckedScale(c, value));

    private Int128 CheckedScale(int c, long value)
    {
        var type = _types[c];
        var scaled = value * (Int128)Pow10(type.Scale);
        return Int128.Abs(scaled) < (Int128)Pow10(type.Width)
            ? scaled
            : throw new OverflowException($"{value} does not fit {_columnLabels[c]}.");
    }

    private void WriteScaled(int c, Int128 scaled)
    {
        switch (_types[c].DecimalStorage)
        {
            case DuckDbTypeId.SmallInt: Write(c, (short)scaled); break;
            case DuckDbTypeId.Integer: Write(c, (int)scaled); break;
            case DuckDbTypeId.BigInt: Write(c, (long)scaled); break;
            default: Write(c, ParameterBinder.ToHugeInt(scaled)); break;
        }
    }

    private const ulong MaxBigIntDecimal = 999_999_999_999_999_999UL;

    private static readonly ulong[] Pow10Table = [.. Enumerable.Range(0, 19).Select(e => (ulong)Pow10(e))];

    private static UInt128 Pow10(int exponent)
    {
        UInt128 result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write<T>(int column, T value)
        where T : unmanaged => ((T*)_data[column])[_row] = value;

    /// <summary>The column the next value goes to; the cursor moves on only once the value is written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Current()
    {
        if (_column >= _types.Length)
        {
            ThrowTooMany();
        }

        return _column;
    }

    private void ThrowTooMany()
    {
        ThrowIfClosed();
        throw new InvalidOperationException(
            $"Row {RowsAppended + 1} for '{_table}' already has all {_types.Length} values; call EndRow() before the next value.");
    }

    private InvalidOperationException Mismatch(int column, string given) =>
        new($"{_columnLabels[column]} cannot take a {given} value.");

    private void FlushChunk()
    {
        ThrowIfClosed();
        if (_row == 0)
        {
            return;
        }

        var chunk = _chunk.DangerousGetHandle();
        NativeMethods.DataChunkSetSize(chunk, (ulong)_row);
        var state = NativeMethods.AppendDataChunk(_appender.DangerousGetHandle(), chunk);
        NativeMethods.DataChunkReset(chunk);
        _row = 0;
        LoadVectors();
        Check(state);
    }

    private void LoadVectors()
    {
        var chunk = _chunk.DangerousGetHandle();
        for (var i = 0; i < _types.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunkGetVector(chunk, (ulong)i);
            _data[i] = (nint)NativeMethods.VectorGetData(_vectors[i]);
            _validity[i] = nint.Zero;
        }
    }

    private void Check(DuckDbState state)
    {
        if (state != DuckDbState.Success)
        {
            var message = NativeMethods.ToManaged(NativeMethods.AppenderError(_appender.DangerousGetHandle()));
            throw DuckDbException.FromMessage(message ?? $"Appending to '{_table}' failed.");
        }
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
