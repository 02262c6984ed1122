using System.Globalization;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>What Tem knows of one DuckDB column type: its id, decimal layout, enum dictionary or list child.</summary>
internal sealed class ColumnType
{
    private ColumnType(DuckDbTypeId id) => Id = id;

    public DuckDbTypeId Id { get; }

    /// <summary>For DECIMAL: the integer type that stores the scaled value (SMALLINT..HUGEINT).</summary>
    public DuckDbTypeId DecimalStorage { get; private init; }

    public byte Width { get; private init; }

    public byte Scale { get; private init; }

    /// <summary>For ENUM: the integer type of the index, and the dictionary.</summary>
    public DuckDbTypeId EnumStorage { get; private init; }

    public string[]? EnumValues { get; private init; }

    /// <summary>For LIST: the element type.</summary>
    public ColumnType? Child { get; private init; }

    public string SqlName { get; private init; } = string.Empty;

    public Type ClrType { get; private init; } = typeof(object);

    /// <summary>Reads a logical type; the caller keeps ownership of <paramref name="logicalType"/>.</summary>
    public static unsafe ColumnType FromLogical(nint logicalType)
    {
        var id = NativeMethods.GetTypeId(logicalType);
        switch (id)
        {
            case DuckDbTypeId.Decimal:
                var width = NativeMethods.DecimalWidth(logicalType);
                var scale = NativeMethods.DecimalScale(logicalType);
                return new ColumnType(id)
                {
                    DecimalStorage = NativeMethods.DecimalInternalType(logicalType),
                    Width = width,
                    Scale = scale,
                    SqlName = string.Create(CultureInfo.InvariantCulture, $"DECIMAL({width},{scale})"),
                    ClrType = typeof(decimal),
                };
            case DuckDbTypeId.Enum:
                var size = NativeMethods.EnumDictionarySize(logicalType);
                var values = new string[size];
                for (uint k = 0; k < size; k++)
                {
                    values[k] = NativeMethods.TakeString(NativeMethods.EnumDictionaryValue(logicalType, k)) ?? string.Empty;
                }

                return new ColumnType(id)
                {
                    EnumStorage = NativeMethods.EnumInternalType(logicalType),
                    EnumValues = values,
                    SqlName = "ENUM",
                    ClrType = typeof(string),
                };
            case DuckDbTypeId.List:
                var childHandle = NativeMethods.ListTypeChildType(logicalType);
                try
                {
                    var child = FromLogical(childHandle);
                    if (child.Id is DuckDbTypeId.Struct or DuckDbTypeId.Map or DuckDbTypeId.Union or DuckDbTypeId.Array)
                    {
                        return Unsupported(id, child.SqlName + "[]");
                    }

                    return new ColumnType(id)
                    {
                        Child = child,
                        SqlName = child.SqlName + "[]",
                        ClrType = ListClrType(child.ClrType),
                    };
                }
                finally
                {
                    NativeMethods.DestroyLogicalType(ref childHandle);
                }

            default:
                return Simple(id);
        }
    }

    /// <summary>The CLR type of a list: an array of the element type, nullable for value types (elements may be NULL).</summary>
    private static Type ListClrType(Type element) =>
        (element.IsValueType ? typeof(Nullable<>).MakeGenericType(element) : element).MakeArrayType();

    private static ColumnType Simple(DuckDbTypeId id) => id switch
    {
        DuckDbTypeId.Boolean => Make(id, "BOOLEAN", typeof(bool)),
        DuckDbTypeId.TinyInt => Make(id, "TINYINT", typeof(sbyte)),
        DuckDbTypeId.SmallInt => Make(id, "SMALLINT", typeof(short)),
        DuckDbTypeId.Integer => Make(id, "INTEGER", typeof(int)),
        DuckDbTypeId.BigInt => Make(id, "BIGINT", typeof(long)),
        DuckDbTypeId.UTinyInt => Make(id, "UTINYINT", typeof(byte)),
        DuckDbTypeId.USmallInt => Make(id, "USMALLINT", typeof(ushort)),
        DuckDbTypeId.UInteger => Make(id, "UINTEGER", typeof(uint)),
        DuckDbTypeId.UBigInt => Make(id, "UBIGINT", typeof(ulong)),
        DuckDbTypeId.HugeInt => Make(id, "HUGEINT", typeof(Int128)),
        DuckDbTypeId.UHugeInt => Make(id, "UHUGEINT", typeof(UInt128)),
        DuckDbTypeId.Float => Make(id, "FLOAT", typeof(float)),
        DuckDbTypeId.Double => Make(id, "DOUBLE", typeof(double)),
        DuckDbTypeId.Varchar => Make(id, "VARCHAR", typeof(string)),
        DuckDbTypeId.Blob => Make(id, "BLOB", typeof(byte[])),
        DuckDbTypeId.Date => Make(id, "DATE", typeof(DateOnly)),
        DuckDbTypeId.Time => Make(id, "TIME", typeof(TimeOnly)),
        DuckDbTypeId.Timestamp => Make(id, "TIMESTAMP", typeof(DateTime)),
        DuckDbTypeId.TimestampS => Make(id, "TIMESTAMP_S", typeof(DateTime)),
        DuckDbTypeId.TimestampMs => Make(id, "TIMESTAMP_MS", typeof(DateTime)),
        DuckDbTypeId.TimestampNs => Make(id, "TIMESTAMP_NS", typeof(DateTime)),
        DuckDbTypeId.TimestampTz => Make(id, "TIMESTAMP WITH TIME ZONE", typeof(DateTimeOffset)),
        DuckDbTypeId.Interval => Make(id, "INTERVAL", typeof(DuckDbInterval)),
        DuckDbTypeId.Uuid => Make(id, "UUID", typeof(Guid)),
        DuckDbTypeId.SqlNull => Make(id, "NULL", typeof(object)),
        _ => Unsupported(id, id.ToString().ToUpperInvariant()),
    };

    private static ColumnType Make(DuckDbTypeId id, string name, Type clr) => new(id) { SqlName = name, ClrType = clr };

    private static ColumnType Unsupported(DuckDbTypeId id, string name) => new(id) { SqlName = name, ClrType = typeof(object) };

    public bool IsSupported => Id switch
    {
        DuckDbTypeId.Struct or DuckDbTypeId.Map or DuckDbTypeId.Union or DuckDbTypeId.Array or DuckDbTypeId.Bit or
            DuckDbTypeId.TimeTz or DuckDbTypeId.BigNum or DuckDbTypeId.TimeNs or DuckDbTypeId.Any or DuckDbTypeId.Invalid => false,
        DuckDbTypeId.List => Child is { IsSupported: true },
        _ => true,
    };
}
