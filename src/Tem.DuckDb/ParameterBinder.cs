using System.Buffers;
using System.Globalization;
using System.Text;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// Binds CLR values to prepared-statement parameters. Mapping: null/DBNull -> NULL; bool -> BOOLEAN;
/// sbyte..long, byte..ulong -> the same-width integers; Int128/UInt128 -> HUGEINT/UHUGEINT; float/double;
/// decimal -> DECIMAL with the value's own scale (exact); string/char -> VARCHAR; byte[] -> BLOB;
/// DateOnly -> DATE; DateTime -> TIMESTAMP (TIMESTAMPTZ when its Kind is Utc); DateTimeOffset -> TIMESTAMPTZ
/// (the instant); TimeOnly -> TIME; TimeSpan and <see cref="DuckDbInterval"/> -> INTERVAL; Guid -> VARCHAR
/// (DuckDB casts it to UUID where the statement expects one); enums -> their underlying integer.
/// </summary>
internal static unsafe class ParameterBinder
{
    public static void Bind(nint statement, ulong index, object? value, string parameterLabel)
    {
        var state = value switch
        {
            null or DBNull => NativeMethods.BindNull(statement, index),
            bool b => NativeMethods.BindBoolean(statement, index, b ? (byte)1 : (byte)0),
            sbyte v => NativeMethods.BindInt8(statement, index, v),
            short v => NativeMethods.BindInt16(statement, index, v),
            int v => NativeMethods.BindInt32(statement, index, v),
            long v => NativeMethods.BindInt64(statement, index, v),
            byte v => NativeMethods.BindUInt8(statement, index, v),
            ushort v => NativeMethods.BindUInt16(statement, index, v),
            uint v => NativeMethods.BindUInt32(statement, index, v),
            ulong v => NativeMethods.BindUInt64(statement, index, v),
            Int128 v => NativeMethods.BindHugeInt(statement, index, ToHugeInt(v)),
            UInt128 v => NativeMethods.BindUHugeInt(statement, index, new DuckDbUHugeIntStruct { Lower = unchecked((ulong)v), Upper = unchecked((ulong)(v >> 64)) }),
            float v => NativeMethods.BindFloat(statement, index, v),
            double v => NativeMethods.BindDouble(statement, index, v),
            decimal v => NativeMethods.BindDecimal(statement, index, ToDecimal(v)),
            string s => BindString(statement, index, s),
            char c => BindString(statement, index, c.ToString()),
            byte[] bytes => BindBlob(statement, index, bytes),
            ReadOnlyMemory<byte> memory => BindBlob(statement, index, memory.Span),
            DateOnly d => NativeMethods.BindDate(statement, index, d.DayNumber - VectorView.UnixEpochDayNumber),
            DateTime dt when dt.Kind == DateTimeKind.Utc => NativeMethods.BindTimestampTz(statement, index, MicrosSinceEpoch(dt)),
            DateTime dt => NativeMethods.BindTimestamp(statement, index, MicrosSinceEpoch(dt)),
            DateTimeOffset dto => NativeMethods.BindTimestampTz(statement, index, MicrosSinceEpoch(dto.UtcDateTime)),
            TimeOnly t => NativeMethods.BindTime(statement, index, t.Ticks / 10),
            TimeSpan ts => NativeMethods.BindInterval(statement, index, ToInterval(DuckDbInterval.FromTimeSpan(ts))),
            DuckDbInterval iv => NativeMethods.BindInterval(statement, index, ToInterval(iv)),
            Guid g => BindString(statement, index, g.ToString("D", CultureInfo.InvariantCulture)),
            Enum e => NativeMethods.BindInt64(statement, index, Convert.ToInt64(e, CultureInfo.InvariantCulture)),
            _ => throw new NotSupportedException(
                $"Parameter {parameterLabel} has a value of type {value.GetType().FullName}, which Tem.DuckDb cannot bind."),
        };

        if (state != DuckDbState.Success)
        {
            throw new ArgumentException(
                $"DuckDB could not bind parameter {parameterLabel} (value of type {value?.GetType().Name ?? "null"}).");
        }
    }

    internal static long MicrosSinceEpoch(DateTime value) => (value.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    internal static DuckDbHugeIntStruct ToHugeInt(Int128 value) =>
        new() { Lower = unchecked((ulong)value), Upper = unchecked((long)(value >> 64)) };

    /// <summary>An exact DECIMAL: the 96-bit mantissa and scale of the System.Decimal, width = its digit count.</summary>
    internal static DuckDbDecimalStruct ToDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = unchecked(((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0]);
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        var negative = bits[3] < 0;
        var digits = mantissa == 0 ? 1 : mantissa.ToString(CultureInfo.InvariantCulture).Length;
        var width = (byte)Math.Clamp(Math.Max(digits, scale + 1), 1, 38);
        var signed = negative ? -(Int128)mantissa : (Int128)mantissa;
        return new DuckDbDecimalStruct { Width = width, Scale = scale, Value = ToHugeInt(signed) };
    }

    private static DuckDbIntervalStruct ToInterval(DuckDbInterval value) =>
        new() { Months = value.Months, Days = value.Days, Micros = value.Micros };

    private static DuckDbState BindString(nint statement, ulong index, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = max > 1024 ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[1024];
            var length = Encoding.UTF8.GetBytes(value, buffer);
            fixed (byte* p = buffer)
            {
                return NativeMethods.BindVarcharLength(statement, index, p, (ulong)length);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static DuckDbState BindBlob(nint statement, ulong index, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            return NativeMethods.BindBlob(statement, index, p, (ulong)value.Length);
        }
    }
}
