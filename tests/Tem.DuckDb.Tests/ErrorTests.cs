namespace Tem.DuckDb.Tests;

/// <summary>Engine errors carry DuckDB's own message and class; misuse gives standard CLR exceptions.</summary>
[Collection(DuckDbCollection.Name)]
public sealed class ErrorTests
{
    [Theory]
    [InlineData("SELEC 1", DuckDbErrorType.Parser, "syntax error")]
    [InlineData("SELECT * FROM missing_table", DuckDbErrorType.Catalog, "missing_table")]
    [InlineData("SELECT no_such_column FROM range(1)", DuckDbErrorType.Binder, "no_such_column")]
    [InlineData("SELECT 'abc'::INTEGER", DuckDbErrorType.Conversion, "abc")]
    [InlineData("SELECT 1::TINYINT + 127::TINYINT", DuckDbErrorType.OutOfRange, "")]
    public void Execute_BadSql_ThrowsDuckDbExceptionWithEngineMessageAndClass(string sql, DuckDbErrorType type, string fragment)
    {
        using var c = DuckDbFixture.OpenInMemory();
        var e = Assert.Throws<DuckDbException>(() => c.Execute(sql));
        Assert.Equal(type, e.ErrorType);
        Assert.Contains(fragment, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Error:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ErrorWhileStreaming_ThrowsDuckDbException()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT CASE WHEN range < 100000 THEN range::VARCHAR ELSE 'x' END::INTEGER FROM range(200000)";
        var e = Assert.Throws<DuckDbException>(() =>
        {
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
            }
        });
        Assert.Equal(DuckDbErrorType.Conversion, e.ErrorType);
        Assert.Equal(1, c.Scalar<int>("SELECT 1"));
    }

    [Fact]
    public void Execute_ConstraintViolation_ThrowsConstraintError()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)");
        var e = Assert.Throws<DuckDbException>(() => c.Execute("INSERT INTO t VALUES (1)"));
        Assert.Equal(DuckDbErrorType.Constraint, e.ErrorType);
    }

    [Fact]
    public void Open_UnwritableFolder_ThrowsDuckDbExceptionNamingThePath()
    {
        using var c = new DuckDbConnection("Data Source=/proc/no/such/dir/x.duckdb");
        var e = Assert.Throws<DuckDbException>(c.Open);
        Assert.Contains("/proc/no/such/dir/x.duckdb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misuse_ClosedConnectionOrNoText_StandardExceptions()
    {
        using var c = new DuckDbConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1";
        Assert.Throws<InvalidOperationException>(() => cmd.ExecuteScalar());
        c.Open();
        Assert.Throws<InvalidOperationException>(c.Open);
        cmd.CommandText = "  ";
        Assert.Throws<ArgumentException>(() => cmd.ExecuteScalar());
        using var orphan = new DuckDbCommand("SELECT 1");
        Assert.Throws<InvalidOperationException>(() => orphan.ExecuteScalar());
    }

    [Fact]
    public void Reader_GetBeforeRead_AndWrongType_AndNull_StandardExceptions()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 'x' AS s, NULL::INTEGER AS n";
        using var r = cmd.ExecuteReader();
        Assert.Throws<InvalidOperationException>(() => r.GetString(0));
        Assert.True(r.Read());
        var cast = Assert.Throws<InvalidCastException>(() => r.GetInt64(0));
        Assert.Contains("VARCHAR", cast.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidCastException>(() => r.GetInt32(1));
        Assert.Null(r.GetFieldValue<int?>(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.GetValue(2));
    }

    [Fact]
    public void ExecuteReader_SecondReaderWhileOneIsOpen_Throws()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var first = c.CreateCommand();
        first.CommandText = "SELECT * FROM range(10)";
        using var r = first.ExecuteReader();
        using var second = c.CreateCommand();
        second.CommandText = "SELECT 1";
        Assert.Throws<InvalidOperationException>(() => second.ExecuteScalar());
        r.Close();
        Assert.Equal(1, Convert.ToInt32(second.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
