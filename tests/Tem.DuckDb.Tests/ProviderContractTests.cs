using DuckDB.NET.Data;

namespace Tem.DuckDb.Tests;

/// <summary>
/// What Tem relies on from DuckDB.NET and from the shim beside it: instants, exact decimals, NULLs, lists, statement
/// kinds, and one native DuckDB in the process shared by DuckDB.NET and the shim's own P/Invoke.
/// </summary>
[Collection(DuckDbCollection.Name)]
public sealed class ProviderContractTests(DuckDbFixture fixture)
{
    [Fact]
    public void TimestampTz_ReadAsInstant_IsTheUtcMomentWithOffsetZero()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("SET TimeZone = 'Europe/Berlin'");
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT TIMESTAMPTZ '2026-03-29 01:30:00+00', CAST(NULL AS TIMESTAMPTZ)";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        var instant = r.GetInstant(0);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
        Assert.Null(r.GetInstantOrNull(1));

        // The reason for GetInstant: DuckDB.NET's own GetValue gives a DateTime that does not say it is UTC.
        var plain = Assert.IsType<DateTime>(r.GetValue(0));
        Assert.NotEqual(DateTimeKind.Utc, plain.Kind);
    }

    [Fact]
    public void TimestampTz_ParameterFromDateTimeOffset_StoresTheSameInstant()
    {
        using var c = DuckDbFixture.OpenInMemory();
        var at = new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal("2026-10-25 00:30:00", c.Scalar<string>("SELECT strftime($1::TIMESTAMPTZ AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S')", at));
    }

    [Theory]
    [InlineData("123456789012.3456")]
    [InlineData("-0.0001")]
    [InlineData("99999999999999.9999")]
    public void Decimal18_4_RoundTripsExactly(string text)
    {
        using var c = DuckDbFixture.OpenInMemory();
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(value, c.Scalar<decimal>("SELECT $1::DECIMAL(18,4)", value));
        Assert.Equal(value * 3, c.Scalar<decimal>("SELECT sum(x) FROM (VALUES ($1::DECIMAL(18,4)), ($1), ($1)) t(x)", value));
    }

    [Fact]
    public void NullString_ReadsAsNull_AndNullParameterBindsNull()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT CAST(NULL AS VARCHAR), 'x', $1 IS NULL";
        cmd.Parameters.AddValue(null);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Null(r.GetStringOrNull(0));
        Assert.Equal("x", r.GetStringOrNull(1));
        Assert.True(r.GetBoolean(2));
    }

    [Fact]
    public void StatementKinds_AreDuckDbs_AndABadStatementHasNone()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (x INTEGER)");
        Assert.Equal(
            [DuckDbStatementType.Select, DuckDbStatementType.Copy, DuckDbStatementType.Attach, DuckDbStatementType.Insert, DuckDbStatementType.Set],
            DuckDbStatements.TryGetKinds(c, "SELECT 1; COPY t TO 'x.csv'; ATTACH 'y.duckdb'; INSERT INTO t VALUES (1); SET threads = 1"));
        Assert.Null(DuckDbStatements.TryGetKinds(c, "SELEC 1"));
        Assert.Null(DuckDbStatements.TryGetKinds(c, "SELECT * FROM no_such_table"));
        Assert.Equal(0L, c.Scalar<long>("SELECT count(*) FROM t"));
    }

    [Fact]
    public void FileDatabase_TwoConnections_ShareOneInstance()
    {
        var path = fixture.NewDatabasePath();
        using var a = new DuckDBConnection($"DataSource={path}");
        a.Open();
        a.Execute("CREATE TABLE t AS SELECT 42 AS x");
        using var b = new DuckDBConnection($"DataSource={path}");
        b.Open();
        Assert.Equal(42, b.Scalar<int>("SELECT x FROM t"));
    }

    [Fact]
    public void TableFunction_OnADuckDbNetConnection_RunsInTheSameEngine()
    {
        // The shim registers through DuckDB.NET's native connection handle, so both must be the same loaded library:
        // a handle from another copy of DuckDB would be refused or crash. The engine answering is DuckDB.NET's.
        using var c = DuckDbFixture.OpenInMemory();
        c.RegisterTableFunction("one_row", [("v", "VARCHAR")], () => new OneRow());
        Assert.Equal("from the shim", c.Scalar<string>("SELECT v FROM one_row()"));
        Assert.StartsWith("v1.5.", c.ServerVersion, StringComparison.Ordinal);
        Assert.Equal(c.ServerVersion, c.Scalar<string>("SELECT version()"));
    }

    private sealed class OneRow : IDuckDbRowSource
    {
        private bool _done;

        public bool Fill(DuckDbRowSink sink)
        {
            if (!_done)
            {
                sink.Append("from the shim").EndRow();
                _done = true;
            }

            return false;
        }

        public void Dispose()
        {
        }

    }
}
