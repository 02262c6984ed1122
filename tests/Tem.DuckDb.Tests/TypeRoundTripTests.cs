using System.Globalization;

namespace Tem.DuckDb.Tests;

/// <summary>Every supported type read back exactly, through SQL literals, parameters and the appender; NULLs too.</summary>
[Collection(DuckDbCollection.Name)]
public sealed class TypeRoundTripTests
{
    public static TheoryData<string, object> Literals => new()
    {
        { "true::BOOLEAN", true },
        { "false::BOOLEAN", false },
        { "(-128)::TINYINT", (sbyte)-128 },
        { "127::TINYINT", (sbyte)127 },
        { "(-32768)::SMALLINT", short.MinValue },
        { "32767::SMALLINT", short.MaxValue },
        { "(-2147483648)::INTEGER", int.MinValue },
        { "2147483647::INTEGER", int.MaxValue },
        { "(-9223372036854775808)::BIGINT", long.MinValue },
        { "9223372036854775807::BIGINT", long.MaxValue },
        { "255::UTINYINT", byte.MaxValue },
        { "65535::USMALLINT", ushort.MaxValue },
        { "4294967295::UINTEGER", uint.MaxValue },
        { "18446744073709551615::UBIGINT", ulong.MaxValue },
        { "'-170141183460469231731687303715884105728'::HUGEINT", Int128.MinValue },
        { "'170141183460469231731687303715884105727'::HUGEINT", Int128.MaxValue },
        { "'340282366920938463463374607431768211455'::UHUGEINT", UInt128.MaxValue },
        { "1.5::FLOAT", 1.5f },
        { "'1.7976931348623157e308'::DOUBLE", double.MaxValue },
        { "'-4.9e-324'::DOUBLE", -double.Epsilon },
        { "'hello'::VARCHAR", "hello" },
        { "'exactly12chr'::VARCHAR", "exactly12chr" },
        { "'thirteen char'::VARCHAR", "thirteen char" },
        { "'Zürich ☎ +44 020 7946 0000'::VARCHAR", "Zürich ☎ +44 020 7946 0000" },
        { "''::VARCHAR", string.Empty },
        { "'\\x00\\xFF'::BLOB", new byte[] { 0x00, 0xFF } },
        { "DATE '0001-01-01'", DateOnly.MinValue },
        { "DATE '9999-12-31'", DateOnly.MaxValue },
        { "DATE '1970-01-01'", new DateOnly(1970, 1, 1) },
        { "DATE '1969-12-31'", new DateOnly(1969, 12, 31) },
        { "'infinity'::DATE", DateOnly.MaxValue },
        { "'-infinity'::DATE", DateOnly.MinValue },
        { "TIME '23:59:59.999999'", new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)) },
        { "TIMESTAMP '2026-10-03 14:22:05.123456'", new DateTime(2026, 10, 3, 14, 22, 5).AddTicks(1_234_560) },
        { "TIMESTAMP '0001-01-01 00:00:00'", new DateTime(1, 1, 1) },
        { "TIMESTAMP '1960-02-29 23:59:59'", new DateTime(1960, 2, 29, 23, 59, 59) },
        { "TIMESTAMP_S '2026-10-03 14:22:05'", new DateTime(2026, 10, 3, 14, 22, 5) },
        { "TIMESTAMP_MS '2026-10-03 14:22:05.123'", new DateTime(2026, 10, 3, 14, 22, 5, 123) },
        { "TIMESTAMP_NS '2026-10-03 14:22:05.1234567'", new DateTime(2026, 10, 3, 14, 22, 5).AddTicks(1_234_567) },
        { "INTERVAL '14 months 3 days 4 microseconds'", new DuckDbInterval(14, 3, 4) },
        { "'a8098c1a-f86e-11da-bd1a-00112444be1e'::UUID", Guid.Parse("a8098c1a-f86e-11da-bd1a-00112444be1e") },
        { "'00000000-0000-0000-0000-000000000000'::UUID", Guid.Empty },
        { "'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID", Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff") },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void GetValue_Literal_ReturnsExactClrValue(string sql, object expected)
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {sql} AS v, NULL::{TypeOf(c, sql)} AS n";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(expected.GetType(), r.GetFieldType(0));
        Assert.Equal(expected, r.GetValue(0));
        Assert.True(r.IsDBNull(1));
        Assert.Equal(DBNull.Value, r.GetValue(1));
        Assert.False(r.Read());
    }

    [Theory]
    [InlineData("0.0001", 18, 4)]
    [InlineData("-0.0001", 18, 4)]
    [InlineData("99999999999999.9999", 18, 4)]
    [InlineData("-99999999999999.9999", 18, 4)]
    [InlineData("12.34", 4, 2)]
    [InlineData("-99.99", 4, 2)]
    [InlineData("1234567.89", 9, 2)]
    [InlineData("79228162514264337593543950335", 38, 0)]
    [InlineData("-79228162514264337593543950335", 38, 0)]
    [InlineData("7.9228162514264337593543950335", 38, 28)]
    [InlineData("0.0000000000000000000000000001", 38, 28)]
    [InlineData("1234567890123456789012.123456", 28, 6)]
    public void GetDecimal_DecimalColumn_IsExact(string text, int width, int scale)
    {
        using var c = DuckDbFixture.OpenInMemory();
        var expected = decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
        var actual = c.Scalar<decimal>($"SELECT '{text}'::DECIMAL({width},{scale})");
        Assert.Equal(expected, actual);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.'),
            actual.ToString(CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.'));
    }

    [Fact]
    public void GetDecimal_ValueBeyondSystemDecimal_ThrowsOverflow()
    {
        using var c = DuckDbFixture.OpenInMemory();
        var e = Assert.Throws<OverflowException>(() => c.Scalar<decimal>("SELECT '99999999999999999999999999999999999999'::DECIMAL(38,0)"));
        Assert.Contains("System.Decimal", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetFieldValue_TimestampTz_ReturnsUtcInstant()
    {
        using var c = DuckDbFixture.OpenInMemory();
        var value = c.Scalar<DateTimeOffset>("SELECT TIMESTAMPTZ '2026-10-03 14:22:05-05:00'");
        Assert.Equal(new DateTimeOffset(2026, 10, 3, 19, 22, 5, TimeSpan.Zero), value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
        var asDateTime = c.Scalar<DateTime>("SELECT TIMESTAMPTZ '2026-10-03 14:22:05-05:00'");
        Assert.Equal(DateTimeKind.Utc, asDateTime.Kind);
    }

    [Fact]
    public void GetFieldValue_Lists_ReturnArraysWithNulls()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT [1, 2, NULL, 9223372036854775807]::BIGINT[] AS l, ['a', NULL, 'a long string value here']::VARCHAR[] AS s,
                   []::INTEGER[] AS e, [1.25, -3.5]::DECIMAL(9,2)[] AS d, [[1, 2], [3]] AS nested, NULL::INTEGER[] AS n
            FROM range(3)
            """;
        using var r = cmd.ExecuteReader();
        var rows = 0;
        while (r.Read())
        {
            rows++;
            Assert.Equal(new long?[] { 1, 2, null, long.MaxValue }, r.GetFieldValue<long?[]>(0));
            Assert.Equal(new long?[] { 1, 2, null, long.MaxValue }, (long?[])r.GetValue(0));
            Assert.Equal(new[] { "a", null, "a long string value here" }, r.GetFieldValue<string?[]>(1));
            Assert.Empty(r.GetFieldValue<int[]>(2));
            Assert.Equal(new[] { 1.25m, -3.5m }, r.GetFieldValue<decimal[]>(3));
            Assert.Equal(new List<decimal> { 1.25m, -3.5m }, r.GetFieldValue<List<decimal>>(3));
            var nested = r.GetFieldValue<int[][]>(4);
            Assert.Equal([1, 2], nested[0]);
            Assert.Equal([3], nested[1]);
            Assert.Null(r.GetFieldValue<int[]?>(5));
            Assert.Throws<InvalidCastException>(() => r.GetFieldValue<long[]>(0));
        }

        Assert.Equal(3, rows);
        Assert.Equal("BIGINT[]", r.GetDataTypeName(0));
    }

    [Fact]
    public void GetString_EnumColumn_ReturnsLabel()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TYPE band AS ENUM ('any', 'peak', 'offpeak')");
        Assert.Equal("offpeak", c.Scalar<string>("SELECT 'offpeak'::band"));
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public void Bind_Parameter_RoundTripsThroughDuckDb(object value, string expectedType)
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT $1 AS v, typeof($1) AS t";
        cmd.Parameters.AddValue(value);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(expectedType, r.GetString(1));
        var read = r.GetValue(0);
        Assert.Equal(value is DateTime { Kind: DateTimeKind.Utc } dt ? new DateTimeOffset(dt) : value, read);
    }

    public static TheoryData<object, string> Parameters => new()
    {
        { true, "BOOLEAN" },
        { (sbyte)-128, "TINYINT" },
        { short.MinValue, "SMALLINT" },
        { int.MaxValue, "INTEGER" },
        { long.MinValue, "BIGINT" },
        { byte.MaxValue, "UTINYINT" },
        { ushort.MaxValue, "USMALLINT" },
        { uint.MaxValue, "UINTEGER" },
        { ulong.MaxValue, "UBIGINT" },
        { Int128.MinValue, "HUGEINT" },
        { UInt128.MaxValue, "UHUGEINT" },
        { 3.25f, "FLOAT" },
        { double.MinValue, "DOUBLE" },
        { 12.3400m, "DECIMAL(6,4)" },
        { -0.0001m, "DECIMAL(5,4)" },
        { decimal.MaxValue, "DECIMAL(29,0)" },
        { "+44 020 7946 0000", "VARCHAR" },
        { new byte[] { 1, 2, 0, 255 }, "BLOB" },
        { new DateOnly(2026, 2, 28), "DATE" },
        { DateOnly.MinValue, "DATE" },
        { new TimeOnly(8, 0), "TIME" },
        { new DateTime(2026, 3, 29, 1, 30, 0), "TIMESTAMP" },
        { new DateTime(2026, 3, 29, 1, 30, 0, DateTimeKind.Utc), "TIMESTAMP WITH TIME ZONE" },
        { new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), "TIMESTAMP WITH TIME ZONE" },
        { new DuckDbInterval(1, 2, 3), "INTERVAL" },
    };

    [Fact]
    public void Bind_DateTimeOffsetWithOffset_StoresTheInstant()
    {
        using var c = DuckDbFixture.OpenInMemory();
        var local = new DateTimeOffset(2026, 10, 3, 14, 22, 5, TimeSpan.FromHours(-5));
        Assert.Equal(local.UtcDateTime, c.Scalar<DateTimeOffset>("SELECT $1", local).UtcDateTime);
    }

    private static string TypeOf(DuckDbConnection c, string sql) => c.Scalar<string>($"SELECT typeof({sql})");
}
