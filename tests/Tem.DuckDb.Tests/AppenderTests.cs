using System.Globalization;

namespace Tem.DuckDb.Tests;

[Collection(DuckDbCollection.Name)]
public sealed class AppenderTests
{
    private const string CdrTable = """
        CREATE TABLE cdr (record_id VARCHAR, service_id VARCHAR, start_time TIMESTAMPTZ, duration_s INTEGER,
                          called_number VARCHAR, billed_amount DECIMAL(18,4), answered BOOLEAN, call_date DATE,
                          big HUGEINT, ratio DOUBLE, id UUID, span INTERVAL)
        """;

    private sealed record Cdr(
        string RecordId, string? ServiceId, DateTimeOffset Start, int? Duration, string Called, decimal? Amount,
        bool Answered, DateOnly Date, Int128 Big, double Ratio, Guid Id, DuckDbInterval Span);

    [Theory]
    [InlineData(1)]
    [InlineData(2047)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(10_000)]
    public void Append_RandomRows_ReadBackIdentical(int count)
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute(CdrTable);
        var rows = Generate(count, seed: count);
        using (var app = c.CreateAppender("cdr"))
        {
            foreach (var r in rows)
            {
                app.Append(r.RecordId).Append(r.ServiceId).Append(r.Start);
                if (r.Duration is { } d)
                {
                    app.Append(d);
                }
                else
                {
                    app.AppendNull();
                }

                app.Append(r.Called);
                if (r.Amount is { } a)
                {
                    app.Append(a);
                }
                else
                {
                    app.AppendNull();
                }

                app.Append(r.Answered).Append(r.Date).Append(r.Big).Append(r.Ratio).Append(r.Id).Append(r.Span).EndRow();
            }

            Assert.Equal(count, app.RowsAppended);
        }

        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM cdr ORDER BY record_id";
        using var reader = cmd.ExecuteReader();
        var expected = rows.OrderBy(r => r.RecordId, StringComparer.Ordinal).ToList();
        var i = 0;
        while (reader.Read())
        {
            var e = expected[i++];
            Assert.Equal(e.RecordId, reader.GetString(0));
            Assert.Equal(e.ServiceId, reader.GetFieldValue<string?>(1));
            Assert.Equal(e.Start, reader.GetFieldValue<DateTimeOffset>(2));
            Assert.Equal(e.Duration, reader.GetFieldValue<int?>(3));
            Assert.Equal(e.Called, reader.GetString(4));
            Assert.Equal(e.Amount, reader.GetFieldValue<decimal?>(5));
            Assert.Equal(e.Answered, reader.GetBoolean(6));
            Assert.Equal(e.Date, reader.GetFieldValue<DateOnly>(7));
            Assert.Equal(e.Big, reader.GetFieldValue<Int128>(8));
            Assert.Equal(e.Ratio, reader.GetDouble(9));
            Assert.Equal(e.Id, reader.GetGuid(10));
            Assert.Equal(e.Span, reader.GetFieldValue<DuckDbInterval>(11));
        }

        Assert.Equal(count, i);
    }

    [Fact]
    public void Append_DecimalWithTooManyDecimals_IsRefusedNotRounded()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE m (amount DECIMAL(18,4))");
        using var app = c.CreateAppender("m");
        var e = Assert.Throws<ArgumentException>(() => app.Append(1.23456m));
        Assert.Contains("DECIMAL(18,4)", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than 4 decimals", e.Message, StringComparison.Ordinal);
        app.Append(1.23450m).EndRow();
        app.Close();
        Assert.Equal(1.2345m, c.Scalar<decimal>("SELECT amount FROM m"));
    }

    [Fact]
    public void Append_DecimalTooWide_ThrowsOverflow()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE m (amount DECIMAL(6,2))");
        using var app = c.CreateAppender("m");
        Assert.Throws<OverflowException>(() => app.Append(10000.00m));
        Assert.Throws<OverflowException>(() => app.Append(10000L));
        app.Append(9999.99m).EndRow();
    }

    [Fact]
    public void Append_WrongType_NamesColumnAndType()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (n INTEGER, s VARCHAR)");
        using var app = c.CreateAppender("t");
        var e = Assert.Throws<InvalidOperationException>(() => app.Append("text"));
        Assert.Equal("column 1 (INTEGER) of 't' cannot take a string value.", e.Message);
        app.Append(1).Append("ok").EndRow();
        Assert.Throws<OverflowException>(() => app.Append(long.MaxValue));
    }

    [Fact]
    public void Append_DoubleIntoDecimal_IsRefused()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE m (amount DECIMAL(18,4))");
        using var app = c.CreateAppender("m");
        Assert.Throws<InvalidOperationException>(() => app.Append(0.1d));
    }

    [Fact]
    public void EndRow_TooFewValues_Throws()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a INTEGER, b INTEGER)");
        using var app = c.CreateAppender("t");
        app.Append(1);
        var e = Assert.Throws<InvalidOperationException>(app.EndRow);
        Assert.Contains("has 1 values; the table has 2 columns", e.Message, StringComparison.Ordinal);
        app.Append(2).EndRow();
        Assert.Throws<InvalidOperationException>(() => app.Append(1).Append(2).Append(3));
    }

    [Fact]
    public void Close_IncompleteRow_KeepsCompletedRowsAndReportsThePartialOne()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a INTEGER, b INTEGER)");
        var app = c.CreateAppender("t");
        app.Append(1).Append(2).EndRow();
        app.Append(3);
        var e = Assert.Throws<InvalidOperationException>(app.Close);
        Assert.Contains("the 1 completed rows were written", e.Message, StringComparison.Ordinal);
        Assert.Equal(1L, c.Scalar<long>("SELECT count(*) FROM t"));
        Assert.Equal(0L, c.Scalar<long>("SELECT count(*) FROM t WHERE a = 3"));
        app.Dispose();
    }

    [Fact]
    public void Append_RefusedValue_DoesNotMoveToTheNextColumn()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a SMALLINT, b VARCHAR)");
        using (var app = c.CreateAppender("t"))
        {
            Assert.Throws<OverflowException>(() => app.Append(100_000));
            Assert.Throws<InvalidOperationException>(() => app.Append("x"));
            app.Append(7).Append("x").EndRow();
        }

        Assert.Equal("x", c.Scalar<string>("SELECT b FROM t WHERE a = 7"));
    }

    [Fact]
    public void Dispose_FlushesBufferedRows()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a INTEGER)");
        using (var app = c.CreateAppender("t"))
        {
            for (var i = 0; i < 3000; i++)
            {
                app.Append(i).EndRow();
            }
        }

        Assert.Equal(3000L, c.Scalar<long>("SELECT count(*) FROM t"));
        Assert.Equal(2999L * 3000 / 2, c.Scalar<long>("SELECT sum(a) FROM t"));
    }

    [Fact]
    public void Append_ConstraintViolation_ThrowsDuckDbExceptionWithEngineMessage()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a INTEGER PRIMARY KEY)");
        var app = c.CreateAppender("t");
        app.Append(1).EndRow();
        app.Append(1).EndRow();
        var e = Assert.Throws<DuckDbException>(app.Close);
        Assert.Contains("1", e.Message, StringComparison.Ordinal);
        Assert.Contains("PRIMARY KEY", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CreateAppender_MissingTable_ThrowsDuckDbException()
    {
        using var c = DuckDbFixture.OpenInMemory();
        var e = Assert.Throws<DuckDbException>(() => c.CreateAppender("nope"));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_SchemaQualifiedTable_Works()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE SCHEMA lake; CREATE TABLE lake.t (s VARCHAR, b BLOB)");
        using (var app = c.CreateAppender("t", "lake"))
        {
            app.Append("0044").Append(new byte[] { 0, 1, 2 }.AsSpan()).EndRow();
            app.AppendValue(null).AppendValue(new byte[] { 9 }).EndRow();
        }

        Assert.Equal("0044", c.Scalar<string>("SELECT s FROM lake.t WHERE s IS NOT NULL"));
        Assert.Equal(new byte[] { 9 }, c.Scalar<byte[]>("SELECT b FROM lake.t WHERE s IS NULL"));
    }

    private static List<Cdr> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<Cdr>(count);
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var amountCents = random.NextInt64(-1_000_000_000, 1_000_000_000);
            list.Add(new Cdr(
                RecordId: "R" + i.ToString("D9", CultureInfo.InvariantCulture),
                ServiceId: random.Next(10) == 0 ? null : "+4420794600" + random.Next(100).ToString("D2", CultureInfo.InvariantCulture),
                Start: epoch.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 365) / 10 * 10),
                Duration: random.Next(8) == 0 ? null : random.Next(0, 7200),
                Called: random.Next(3) == 0 ? "00" + random.NextInt64(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) : "Zürich-" + random.Next(),
                Amount: random.Next(9) == 0 ? null : amountCents / 10_000m,
                Answered: random.Next(2) == 0,
                Date: DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber)),
                Big: new Int128((ulong)random.NextInt64(), (ulong)random.NextInt64()) * (random.Next(2) == 0 ? -1 : 1),
                Ratio: random.NextDouble() * 1e6,
                Id: new Guid(random.Next(), (short)random.Next(short.MinValue, short.MaxValue), (short)random.Next(short.MinValue, short.MaxValue), (byte)random.Next(256), 2, 3, 4, 5, 6, 7, (byte)random.Next(256)),
                Span: new DuckDbInterval(random.Next(-20, 20), random.Next(-40, 40), random.NextInt64(-1_000_000_000, 1_000_000_000))));
        }

        return list;
    }
}

[Collection(DuckDbCollection.Name)]
public sealed class AppenderDiscardTests
{
    [Fact]
    public void DiscardRow_AfterNullsAndValues_LeavesNoTraceInTheNextRow()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a INTEGER, b VARCHAR, c DECIMAL(18,4))");
        using (var app = c.CreateAppender("t"))
        {
            app.AppendNull().AppendNull();
            app.DiscardRow();
            app.Append(1).Append("kept").Append(2.5m).EndRow();
            app.Append(9).Append("dropped");
            app.DiscardRow();
            Assert.Equal(1, app.RowsAppended);
        }

        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT a, b, c FROM t";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(1, r.GetInt32(0));
        Assert.Equal("kept", r.GetString(1));
        Assert.Equal(2.5m, r.GetDecimal(2));
        Assert.False(r.Read());
    }
}
