using System.Runtime.CompilerServices;
using System.Text;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// Reads values of one vector of the current data chunk in place: data pointer plus validity mask, no copies.
/// A LIST vector carries a view of its child vector. Reused across chunks; <see cref="Load"/> repoints it.
/// </summary>
internal sealed unsafe class VectorView
{
    internal const int UnixEpochDayNumber = 719_162;
    private const long DateInfinity = int.MaxValue;
    private const long NegativeDateInfinity = -DateInfinity;
    private const long TimestampInfinity = long.MaxValue;
    private const long NegativeTimestampInfinity = -TimestampInfinity;

    private byte* _data;
    private ulong* _validity;

    public VectorView(ColumnType type, string name)
    {
        Type = type;
        Name = name;
        Child = type.Child is null ? null : new VectorView(type.Child, name + "[]");
    }

    public ColumnType Type { get; }

    public string Name { get; }

    public VectorView? Child { get; }

    public void Load(nint vector)
    {
        _data = (byte*)NativeMethods.VectorGetData(vector);
        _validity = NativeMethods.VectorGetValidity(vector);
        Child?.Load(NativeMethods.ListVectorGetChild(vector));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int i) => _validity != null && (_validity[i >> 6] & (1UL << (i & 63))) == 0;

    public bool GetBoolean(int i) => Type.Id == DuckDbTypeId.Boolean ? _data[i] != 0 : throw Cast(typeof(bool));

    public long GetInt64(int i) => Type.Id switch
    {
        DuckDbTypeId.BigInt => ((long*)_data)[i],
        DuckDbTypeId.Integer => ((int*)_data)[i],
        DuckDbTypeId.SmallInt => ((short*)_data)[i],
        DuckDbTypeId.TinyInt => ((sbyte*)_data)[i],
        DuckDbTypeId.UTinyInt => _data[i],
        DuckDbTypeId.USmallInt => ((ushort*)_data)[i],
        DuckDbTypeId.UInteger => ((uint*)_data)[i],
        DuckDbTypeId.UBigInt => checked((long)((ulong*)_data)[i]),
        DuckDbTypeId.HugeInt => checked((long)GetInt128(i)),
        DuckDbTypeId.UHugeInt => checked((long)GetUInt128(i)),
        _ => throw Cast(typeof(long)),
    };

    public ulong GetUInt64(int i) => Type.Id switch
    {
        DuckDbTypeId.UBigInt => ((ulong*)_data)[i],
        DuckDbTypeId.UHugeInt => checked((ulong)GetUInt128(i)),
        DuckDbTypeId.HugeInt => checked((ulong)GetInt128(i)),
        _ => checked((ulong)GetInt64(i)),
    };

    public Int128 GetInt128(int i) => Type.Id switch
    {
        DuckDbTypeId.HugeInt => ReadHugeInt(i),
        DuckDbTypeId.UHugeInt => checked((Int128)GetUInt128(i)),
        DuckDbTypeId.UBigInt => ((ulong*)_data)[i],
        _ => GetInt64(i),
    };

    public UInt128 GetUInt128(int i) => Type.Id switch
    {
        DuckDbTypeId.UHugeInt => new UInt128(((ulong*)_data)[(2 * i) + 1], ((ulong*)_data)[2 * i]),
        DuckDbTypeId.HugeInt => checked((UInt128)ReadHugeInt(i)),
        _ => checked((UInt128)GetInt64(i)),
    };

    public double GetDouble(int i) => Type.Id switch
    {
        DuckDbTypeId.Double => ((double*)_data)[i],
        DuckDbTypeId.Float => ((float*)_data)[i],
        DuckDbTypeId.Decimal => (double)GetDecimal(i),
        DuckDbTypeId.HugeInt => (double)ReadHugeInt(i),
        DuckDbTypeId.UHugeInt or DuckDbTypeId.UBigInt => (double)GetUInt128(i),
        _ => GetInt64(i),
    };

    public float GetFloat(int i) => Type.Id == DuckDbTypeId.Float ? ((float*)_data)[i] : (float)GetDouble(i);

    /// <summary>DECIMAL values are read exactly from their scaled integer; no binary floating point is involved.</summary>
    public decimal GetDecimal(int i)
    {
        switch (Type.Id)
        {
            case DuckDbTypeId.Decimal:
                return Type.DecimalStorage switch
                {
                    DuckDbTypeId.SmallInt => ScaledToDecimal(((short*)_data)[i], Type.Scale),
                    DuckDbTypeId.Integer => ScaledToDecimal(((int*)_data)[i], Type.Scale),
                    DuckDbTypeId.BigInt => ScaledToDecimal(((long*)_data)[i], Type.Scale),
                    _ => ScaledToDecimal(ReadHugeInt(i), Type.Scale),
                };
            case DuckDbTypeId.Double or DuckDbTypeId.Float:
                return (decimal)GetDouble(i);
            case DuckDbTypeId.HugeInt or DuckDbTypeId.UHugeInt or DuckDbTypeId.UBigInt:
                return ScaledToDecimal(GetInt128(i), 0);
            default:
                return GetInt64(i);
        }
    }

    public string GetString(int i)
    {
        if (Type.Id == DuckDbTypeId.Enum)
        {
            var index = Type.EnumStorage switch
            {
                DuckDbTypeId.UTinyInt => _data[i],
                DuckDbTypeId.USmallInt => ((ushort*)_data)[i],
                _ => (int)((uint*)_data)[i],
            };
            return Type.EnumValues![index];
        }

        if (Type.Id != DuckDbTypeId.Varchar)
        {
            throw Cast(typeof(string));
        }

        return Encoding.UTF8.GetString(StringAt(i));
    }

    public byte[] GetBlob(int i)
    {
        if (Type.Id is not (DuckDbTypeId.Blob or DuckDbTypeId.Varchar))
        {
            throw Cast(typeof(byte[]));
        }

        return StringAt(i).ToArray();
    }

    /// <summary>The raw bytes of a VARCHAR or BLOB value, valid until the reader moves to the next chunk.</summary>
    public ReadOnlySpan<byte> GetBytesSpan(int i)
    {
        if (Type.Id is not (DuckDbTypeId.Blob or DuckDbTypeId.Varchar))
        {
            throw Cast(typeof(byte[]));
        }

        return StringAt(i);
    }

    public DateOnly GetDate(int i)
    {
        if (Type.Id != DuckDbTypeId.Date)
        {
            return DateOnly.FromDateTime(GetDateTime(i));
        }

        long days = ((int*)_data)[i];
        return days switch
        {
            DateInfinity => DateOnly.MaxValue,
            NegativeDateInfinity => DateOnly.MinValue,
            _ => days + UnixEpochDayNumber is >= 0 and <= 3_652_058
                ? DateOnly.FromDayNumber((int)(days + UnixEpochDayNumber))
                : throw OutOfRange(typeof(DateOnly)),
        };
    }

    /// <summary>TIMESTAMP values come back with <see cref="DateTimeKind.Unspecified"/>; TIMESTAMPTZ as UTC.</summary>
    public DateTime GetDateTime(int i)
    {
        long micros;
        switch (Type.Id)
        {
            case DuckDbTypeId.Timestamp or DuckDbTypeId.TimestampTz:
                micros = ((long*)_data)[i];
                break;
            case DuckDbTypeId.TimestampMs:
                micros = Infinite(((long*)_data)[i]) ? ((long*)_data)[i] : checked(((long*)_data)[i] * 1000);
                break;
            case DuckDbTypeId.TimestampS:
                micros = Infinite(((long*)_data)[i]) ? ((long*)_data)[i] : checked(((long*)_data)[i] * 1_000_000);
                break;
            case DuckDbTypeId.TimestampNs:
                var nanos = ((long*)_data)[i];
                return FromTicks(Infinite(nanos) ? nanos : nanos / 100, Infinite(nanos), DateTimeKind.Unspecified);
            case DuckDbTypeId.Date:
                return GetDate(i).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            default:
                throw Cast(typeof(DateTime));
        }

        var kind = Type.Id == DuckDbTypeId.TimestampTz ? DateTimeKind.Utc : DateTimeKind.Unspecified;
        return Infinite(micros) ? FromTicks(micros, true, kind) : FromTicks(checked(micros * 10), false, kind);
    }

    public DateTimeOffset GetDateTimeOffset(int i)
    {
        var value = GetDateTime(i);
        return new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);
    }

    public TimeOnly GetTime(int i) => Type.Id == DuckDbTypeId.Time
        ? (((long*)_data)[i] < TimeSpan.TicksPerDay / 10
            ? new TimeOnly(((long*)_data)[i] * 10)
            : throw OutOfRange(typeof(TimeOnly)))
        : throw Cast(typeof(TimeOnly));

    public DuckDbInterval GetInterval(int i)
    {
        if (Type.Id != DuckDbTypeId.Interval)
        {
            throw Cast(typeof(DuckDbInterval));
        }

        var p = (DuckDbIntervalStruct*)_data + i;
        return new DuckDbInterval(p->Months, p->Days, p->Micros);
    }

    public Guid GetGuid(int i)
    {
        if (Type.Id == DuckDbTypeId.Varchar)
        {
            return Guid.Parse(GetString(i));
        }

        if (Type.Id != DuckDbTypeId.Uuid)
        {
            throw Cast(typeof(Guid));
        }

        // DuckDB stores a UUID as a HUGEINT with the top bit flipped so that signed order is UUID order.
        var lower = ((ulong*)_data)[2 * i];
        var upper = ((ulong*)_data)[(2 * i) + 1] ^ 0x8000_0000_0000_0000UL;
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, upper);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], lower);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The list at row <paramref name="i"/> as an array of <paramref name="elementType"/>.</summary>
    public Array GetList(int i, Type elementType)
    {
        if (Type.Id != DuckDbTypeId.List || Child is null)
        {
            throw Cast(elementType.MakeArrayType());
        }

        var entry = ((DuckDbListEntry*)_data)[i];
        var result = Array.CreateInstance(elementType, checked((int)entry.Length));
        var elementIsNonNullableValue = elementType.IsValueType && Nullable.GetUnderlyingType(elementType) is null;
        var target = Nullable.GetUnderlyingType(elementType) ?? elementType;
        for (var k = 0; k < result.Length; k++)
        {
            var idx = checked((int)entry.Offset + k);
            if (Child.IsNull(idx))
            {
                if (elementIsNonNullableValue)
                {
                    throw new InvalidCastException(
                        $"Element {k} of list column '{Name}' is NULL; read it as {target.Name}?[] instead of {target.Name}[].");
                }

                continue;
            }

            result.SetValue(Child.GetValueAs(idx, target), k);
        }

        return result;
    }

    /// <summary>The value in its natural CLR type (see <see cref="ColumnType.ClrType"/>); never called for NULL.</summary>
    public object GetValue(int i) => Type.Id switch
    {
        DuckDbTypeId.Boolean => GetBoolean(i),
        DuckDbTypeId.TinyInt => ((sbyte*)_data)[i],
        DuckDbTypeId.SmallInt => ((short*)_data)[i],
        DuckDbTypeId.Integer => ((int*)_data)[i],
        DuckDbTypeId.BigInt => ((long*)_data)[i],
        DuckDbTypeId.UTinyInt => _data[i],
        DuckDbTypeId.USmallInt => ((ushort*)_data)[i],
        DuckDbTypeId.UInteger => ((uint*)_data)[i],
        DuckDbTypeId.UBigInt => ((ulong*)_data)[i],
        DuckDbTypeId.HugeInt => ReadHugeInt(i),
        DuckDbTypeId.UHugeInt => GetUInt128(i),
        DuckDbTypeId.Float => ((float*)_data)[i],
        DuckDbTypeId.Double => ((double*)_data)[i],
        DuckDbTypeId.Decimal => GetDecimal(i),
        DuckDbTypeId.Varchar or DuckDbTypeId.Enum => GetString(i),
        DuckDbTypeId.Blob => GetBlob(i),
        DuckDbTypeId.Date => GetDate(i),
        DuckDbTypeId.Time => GetTime(i),
        DuckDbTypeId.Timestamp or DuckDbTypeId.TimestampS or DuckDbTypeId.TimestampMs or DuckDbTypeId.TimestampNs => GetDateTime(i),
        DuckDbTypeId.TimestampTz => GetDateTimeOffset(i),
        DuckDbTypeId.Interval => GetInterval(i),
        DuckDbTypeId.Uuid => GetGuid(i),
        DuckDbTypeId.List => GetList(i, Type.ClrType.GetElementType()!),
        _ => throw new NotSupportedException(
            $"Column '{Name}' has DuckDB type {Type.SqlName}, which Tem.DuckDb does not read; cast it in SQL (e.g. to VARCHAR)."),
    };

    /// <summary>Reads a value converted to <paramref name="target"/>, using the typed getters where one fits.</summary>
    public object GetValueAs(int i, Type target)
    {
        if (target == typeof(object) || target == Type.ClrType)
        {
            return GetValue(i);
        }

        return System.Type.GetTypeCode(target) switch
        {
            TypeCode.Boolean => GetBoolean(i),
            TypeCode.SByte => checked((sbyte)GetInt64(i)),
            TypeCode.Int16 => checked((short)GetInt64(i)),
            TypeCode.Int32 => checked((int)GetInt64(i)),
            TypeCode.Int64 => GetInt64(i),
            TypeCode.Byte => checked((byte)GetInt64(i)),
            TypeCode.UInt16 => checked((ushort)GetInt64(i)),
            TypeCode.UInt32 => checked((uint)GetInt64(i)),
            TypeCode.UInt64 => GetUInt64(i),
            TypeCode.Single => GetFloat(i),
            TypeCode.Double => GetDouble(i),
            TypeCode.Decimal => GetDecimal(i),
            TypeCode.String => Type.Id is DuckDbTypeId.Varchar or DuckDbTypeId.Enum ? GetString(i) : ToInvariantString(GetValue(i)),
            TypeCode.DateTime => GetDateTime(i),
            _ when target == typeof(DateOnly) => GetDate(i),
            _ when target == typeof(DateTimeOffset) => GetDateTimeOffset(i),
            _ when target == typeof(TimeOnly) => GetTime(i),
            _ when target == typeof(TimeSpan) => Type.Id == DuckDbTypeId.Time
                ? GetTime(i).ToTimeSpan()
                : GetInterval(i).ToTimeSpan(),
            _ when target == typeof(Int128) => GetInt128(i),
            _ when target == typeof(UInt128) => GetUInt128(i),
            _ when target == typeof(Guid) => GetGuid(i),
            _ when target == typeof(byte[]) => GetBlob(i),
            _ when target.IsArray => GetList(i, target.GetElementType()!),
            _ => throw Cast(target),
        };
    }

    internal InvalidCastException Cast(Type target) =>
        new($"Column '{Name}' has DuckDB type {Type.SqlName}; it cannot be read as {target.Name}.");

    private OverflowException OutOfRange(Type target) =>
        new($"A value of column '{Name}' ({Type.SqlName}) is outside the range of {target.Name}.");

    private static bool Infinite(long value) => value is TimestampInfinity or NegativeTimestampInfinity;

    private DateTime FromTicks(long ticksSinceEpoch, bool infinite, DateTimeKind kind)
    {
        if (infinite)
        {
            return ticksSinceEpoch > 0 ? DateTime.SpecifyKind(DateTime.MaxValue, kind) : DateTime.SpecifyKind(DateTime.MinValue, kind);
        }

        var ticks = DateTime.UnixEpoch.Ticks + ticksSinceEpoch;
        return ticks is >= 0 and <= 3_155_378_975_999_999_999L ? new DateTime(ticks, kind) : throw OutOfRange(typeof(DateTime));
    }

    private Int128 ReadHugeInt(int i) => new(((ulong*)_data)[(2 * i) + 1], ((ulong*)_data)[2 * i]);

    private ReadOnlySpan<byte> StringAt(int i)
    {
        // duckdb_string_t: a 4-byte length, then either the bytes inline (length <= 12) or a 4-byte prefix and a pointer.
        var p = _data + (16 * i);
        var length = *(int*)p;
        return new ReadOnlySpan<byte>(length <= 12 ? p + 4 : *(byte**)(p + 8), length);
    }

    internal static decimal ScaledToDecimal(long value, byte scale)
    {
        var negative = value < 0;
        var magnitude = negative ? (ulong)-(value + 1) + 1 : (ulong)value;
        return unchecked(new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, scale));
    }

    internal static decimal ScaledToDecimal(Int128 value, byte scale)
    {
        var negative = Int128.IsNegative(value);
        var magnitude = negative ? (UInt128)(-(value + 1)) + 1 : (UInt128)value;

        // System.Decimal holds a 96-bit mantissa and at most 28 decimals; DECIMAL(38,s) may exceed both.
        while (scale > 28 || magnitude >> 96 != UInt128.Zero)
        {
            if (scale == 0 || magnitude % 10 != 0)
            {
                throw new OverflowException(
                    $"The DECIMAL value {(negative ? "-" : string.Empty)}{magnitude} (scale {scale}) cannot be held exactly by System.Decimal.");
            }

            magnitude /= 10;
            scale--;
        }

        return unchecked(new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, scale));
    }

    private static string ToInvariantString(object value) =>
        Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
