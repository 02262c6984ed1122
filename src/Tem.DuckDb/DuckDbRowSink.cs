using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// Writes typed rows straight into the vectors of a DuckDB data chunk (2048 rows). Each row is a sequence of
/// <c>Append</c> calls, one per column in order, ended by <see cref="EndRow"/>. A value that the column's type
/// cannot hold exactly is refused (caller misuse), never silently rounded, and the column cursor stays put.
/// It is the output of a <see cref="DuckDbTableFunction"/> (rows into a running query, see
/// <see cref="DuckDbConnectionExtensions.RegisterTableFunction"/>); DuckDB.NET's own appender covers rows into a
/// table. Not thread-safe.
/// </summary>
public abstract unsafe class DuckDbRowSink
{
    private const int InlineStringLength = 12;

    private readonly ColumnType[] _types;
    private readonly string[] _columnLabels;
    private readonly nint[] _vectors;
    private readonly nint[] _data;
    private readonly nint[] _validity;
    private readonly int _capacity;
    private int _row;
    private int _column;

    private protected DuckDbRowSink(ColumnType[] types, string target)
    {
        _types = types;
        Target = target;
        _columnLabels = [.. types.Select((t, i) => $"column {i + 1} ({t.SqlName}) of '{target}'")];
        _capacity = checked((int)NativeMethods.VectorSize());
        _vectors = new nint[types.Length];
        _data = new nint[types.Length];
        _validity = new nint[types.Length];
    }

    /// <summary>What the rows go to, for messages (a table name or a table function).</summary>
    protected string Target { get; }

    /// <summary>
    /// True when the current chunk has no room for another row. An appender never reports it (it hands full
    /// chunks on by itself); a table-function source stops writing when it is true.
    /// </summary>
    public bool IsChunkFull => _row >= _capacity;

    /// <summary>Rows completed in the current chunk.</summary>
    protected int RowsInChunk => _row;

    /// <summary>Rows a chunk holds (DuckDB's vector size, 2048).</summary>
    protected int ChunkCapacity => _capacity;

    /// <summary>True once the sink can take no more values (closed).</summary>
    protected abstract bool IsClosed { get; }

    /// <summary>Columns, in order.</summary>
    public int ColumnCount => _types.Length;

    /// <summary>DuckDB type names of the columns, e.g. <c>DECIMAL(18,4)</c>.</summary>
    public IReadOnlyList<string> ColumnTypeNames => [.. _types.Select(t => t.SqlName)];

    /// <summary>Rows completed with <see cref="EndRow"/> so far.</summary>
    public long RowsAppended { get; private set; }

    /// <summary>Writes NULL into the next column.</summary>
    public DuckDbRowSink AppendNull()
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
    public DuckDbRowSink Append(bool value)
    {
        var c = Current();
        Write<byte>(c, _types[c].Id == DuckDbTypeId.Boolean ? (value ? (byte)1 : (byte)0) : throw Mismatch(c, "bool"));
        _column++;
        return this;
    }

    /// <summary>Writes an integer (see <see cref="Append(long)"/>).</summary>
    public DuckDbRowSink Append(int value) => Append((long)value);

    /// <summary>Writes an integer into an integer, DECIMAL or floating-point column (range-checked).</summary>
    public DuckDbRowSink Append(long value)
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
            case DuckDbTypeId.HugeInt: Write(c, ToHugeInt(value)); break;
            case DuckDbTypeId.Double: Write(c, (double)value); break;
            case DuckDbTypeId.Float: Write(c, (float)value); break;
            case DuckDbTypeId.Decimal: WriteDecimal(c, value); break;
            default: throw Mismatch(c, "long");
        }

        _column++;
        return this;
    }

    /// <summary>Writes a HUGEINT, or a smaller integer column when the value fits.</summary>
    public DuckDbRowSink Append(Int128 value)
    {
        var c = Current();
        switch (_types[c].Id)
        {
            case DuckDbTypeId.HugeInt: Write(c, ToHugeInt(value)); break;
            default: return Append(checked((long)value));
        }

        _column++;
        return this;
    }

    /// <summary>Writes a DOUBLE or FLOAT; never into DECIMAL (money does not pass through binary floating point).</summary>
    public DuckDbRowSink Append(double value)
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
    public DuckDbRowSink Append(decimal value)
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
    public DuckDbRowSink Append(string? value)
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
    public DuckDbRowSink Append(ReadOnlySpan<byte> value) => AppendUtf8(value, requireVarchar: false, knownValid: false);

    /// <summary>
    /// Writes UTF-8 bytes the caller has already checked (e.g. with <c>Utf8.IsValid</c>) into a VARCHAR column,
    /// sparing DuckDB a second check. Invalid UTF-8 here corrupts the column: check first.
    /// </summary>
    public DuckDbRowSink AppendValidUtf8(ReadOnlySpan<byte> value) => AppendUtf8(value, requireVarchar: true, knownValid: true);

    /// <summary>Writes a DATE.</summary>
    public DuckDbRowSink Append(DateOnly value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.Date ? value.DayNumber - UnixEpochDayNumber : throw Mismatch(c, "DateOnly"));
        _column++;
        return this;
    }

    /// <summary>
    /// Writes a TIMESTAMP (the wall-clock value as given), or a TIMESTAMPTZ when <paramref name="value"/> is UTC.
    /// </summary>
    public DuckDbRowSink Append(DateTime value)
    {
        var c = Current();
        switch (_types[c].Id)
        {
            case DuckDbTypeId.Timestamp: Write(c, MicrosSinceEpoch(value)); break;
            case DuckDbTypeId.TimestampTz when value.Kind == DateTimeKind.Utc: Write(c, MicrosSinceEpoch(value)); break;
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
    public DuckDbRowSink Append(DateTimeOffset value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.TimestampTz
            ? MicrosSinceEpoch(value.UtcDateTime)
            : throw Mismatch(c, "DateTimeOffset"));
        _column++;
        return this;
    }

    /// <summary>Writes a TIME (microsecond precision).</summary>
    public DuckDbRowSink Append(TimeOnly value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.Time ? value.Ticks / 10 : throw Mismatch(c, "TimeOnly"));
        _column++;
        return this;
    }

    /// <summary>Writes an INTERVAL.</summary>
    public DuckDbRowSink Append(DuckDbInterval value)
    {
        var c = Current();
        Write(c, _types[c].Id == DuckDbTypeId.Interval
            ? new DuckDbIntervalStruct { Months = value.Months, Days = value.Days, Micros = value.Micros }
            : throw Mismatch(c, "DuckDbInterval"));
        _column++;
        return this;
    }

    /// <summary>Writes an INTERVAL of the span (microsecond precision).</summary>
    public DuckDbRowSink Append(TimeSpan value) => Append(DuckDbInterval.FromTimeSpan(value));

    /// <summary>Writes a UUID.</summary>
    public DuckDbRowSink Append(Guid value)
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
    public DuckDbRowSink AppendValue(object? value) => value switch
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
                $"Row {RowsAppended + 1} for '{Target}' has {_column} values; the table has {_types.Length} columns.");
        }

        _column = 0;
        _row++;
        RowsAppended++;
        if (_row == _capacity)
        {
            OnChunkFull();
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


    private static readonly int UnixEpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static long MicrosSinceEpoch(DateTime value) => (value.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    private static DuckDbHugeIntStruct ToHugeInt(Int128 value) =>
        new() { Lower = unchecked((ulong)value), Upper = unchecked((long)(value >> 64)) };

    /// <summary>Called by <see cref="EndRow"/> when the chunk is full.</summary>
    private protected abstract void OnChunkFull();

    /// <summary>Points the sink at a (new or reset) chunk; the next row is its first.</summary>
    private protected void Attach(nint chunk)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunkGetVector(chunk, (ulong)i);
            _data[i] = (nint)NativeMethods.VectorGetData(_vectors[i]);
            _validity[i] = nint.Zero;
        }

        _row = 0;
    }

    /// <summary>Forgets a row left without <see cref="EndRow"/>; returns how many of its values were written.</summary>
    private protected int AbandonRow()
    {
        var written = _column;
        _column = 0;
        return written;
    }

    /// <param name="value">The bytes.</param>
    /// <param name="requireVarchar">Only a VARCHAR column may take them (strings); otherwise BLOB too.</param>
    /// <param name="knownValid">The bytes are UTF-8 that .NET encoded, so DuckDB need not check them again.</param>
    private DuckDbRowSink AppendUtf8(ReadOnlySpan<byte> value, bool requireVarchar, bool knownValid)
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
            default: Write(c, ToHugeInt(scaled)); break;
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
        if (_column >= _types.Length || _row >= _capacity)
        {
            ThrowTooMany();
        }

        return _column;
    }

    private void ThrowTooMany()
    {
        ThrowIfClosed();
        if (_row >= _capacity)
        {
            throw new InvalidOperationException($"The chunk for '{Target}' is full ({_capacity} rows); check IsChunkFull before writing a row.");
        }

        throw new InvalidOperationException(
            $"Row {RowsAppended + 1} for '{Target}' already has all {_types.Length} values; call EndRow() before the next value.");
    }

    private InvalidOperationException Mismatch(int column, string given) =>
        new($"{_columnLabels[column]} cannot take a {given} value.");


    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(IsClosed, this);
}
