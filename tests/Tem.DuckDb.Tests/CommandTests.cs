using System.Data;

namespace Tem.DuckDb.Tests;

/// <summary>Parameters, multiple statements, scalar/non-query semantics and transactions.</summary>
[Collection(DuckDbCollection.Name)]
public sealed class CommandTests
{
    [Fact]
    public void ExecuteReader_PositionalQuestionMarks_BindInOrder()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT ? - ?";
        cmd.Parameters.AddValue(10);
        cmd.Parameters.AddValue(3);
        Assert.Equal(7, Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ExecuteReader_NumberedParameters_CanRepeat()
    {
        using var c = DuckDbFixture.OpenInMemory();
        Assert.Equal("ab-ab", c.Scalar<string>("SELECT $1 || '-' || $1", "ab"));
    }

    [Theory]
    [InlineData("account")]
    [InlineData("$account")]
    [InlineData("@account")]
    [InlineData(":account")]
    public void ExecuteReader_NamedParameter_MatchesWithOrWithoutPrefix(string name)
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT $account || '/' || $svc";
        cmd.Parameters.Add("svc", "0044");
        cmd.Parameters.Add(name, "ACC-1");
        Assert.Equal("ACC-1/0044", cmd.ExecuteScalar());
    }

    [Fact]
    public void ExecuteReader_MissingParameter_ThrowsInvalidOperationNamingIt()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT $account";
        var e = Assert.Throws<InvalidOperationException>(() => cmd.ExecuteScalar());
        Assert.Contains("$account", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecuteReader_UnsupportedParameterType_ThrowsNotSupported()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT $1";
        cmd.Parameters.AddValue(new object());
        Assert.Throws<NotSupportedException>(() => cmd.ExecuteScalar());
    }

    [Fact]
    public void ExecuteReader_NullParameter_IsSqlNull()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT $1::VARCHAR IS NULL, $2::INTEGER IS NULL";
        cmd.Parameters.AddValue(null);
        cmd.Parameters.AddValue(DBNull.Value);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.True(r.GetBoolean(0));
        Assert.True(r.GetBoolean(1));
    }

    [Fact]
    public void ExecuteReader_MultipleStatements_RunInOrderAndStopOnRows()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            CREATE TABLE t (a INTEGER);
            INSERT INTO t SELECT range FROM range(5);
            SELECT count(*) FROM t;
            UPDATE t SET a = a + 1 WHERE a < 2;
            SELECT sum(a) FROM t;
            """;
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(5L, r.GetInt64(0));
        Assert.Equal(5, r.RecordsAffected);
        Assert.True(r.NextResult());
        Assert.Equal(7, r.RecordsAffected);
        Assert.True(r.Read());
        Assert.Equal(12m, r.GetDecimal(0));
        Assert.False(r.NextResult());
    }

    [Fact]
    public void ExecuteNonQuery_Batch_ReturnsRowsChangedAcrossStatements()
    {
        using var c = DuckDbFixture.OpenInMemory();
        var changed = c.Execute("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2), (3); DELETE FROM t WHERE a > 1");
        Assert.Equal(5, changed);
        Assert.Equal(-1, c.Execute("CREATE TABLE u (a INTEGER)"));
    }

    [Fact]
    public void ExecuteNonQuery_BatchWithParameters_BindsEachStatement()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "CREATE TABLE t (a VARCHAR); INSERT INTO t VALUES ($v); INSERT INTO t VALUES ($v || '!')";
        cmd.Parameters.Add("v", "x");
        Assert.Equal(2, cmd.ExecuteNonQuery());
        Assert.Equal("x,x!", c.Scalar<string>("SELECT string_agg(a, ',' ORDER BY a) FROM t"));
    }

    [Fact]
    public void Prepare_ReusedWithNewValues_GivesNewResults()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT $1 * 2";
        var p = cmd.Parameters.AddValue(1);
        cmd.Prepare();
        for (var i = 0; i < 50; i++)
        {
            p.Value = i;
            Assert.Equal(i * 2, Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void ExecuteScalar_NoRows_ReturnsNull_NullValue_ReturnsDBNull()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1 WHERE false";
        Assert.Null(cmd.ExecuteScalar());
        cmd.CommandText = "SELECT NULL";
        Assert.Equal(DBNull.Value, cmd.ExecuteScalar());
    }

    [Fact]
    public void Transaction_Rollback_DiscardsChanges_Commit_Keeps()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.Execute("CREATE TABLE t (a INTEGER)");
        using (var tx = c.BeginTransaction())
        {
            c.Execute("INSERT INTO t VALUES (1)");
            tx.Rollback();
        }

        using (var tx = c.BeginTransaction())
        {
            c.Execute("INSERT INTO t VALUES (2)");
            tx.Commit();
        }

        using (c.BeginTransaction())
        {
            c.Execute("INSERT INTO t VALUES (3)");
        }

        Assert.Equal(2L, c.Scalar<long>("SELECT sum(a) FROM t"));
    }

    [Fact]
    public void GetSchemaTable_DescribesColumns()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1.5::DECIMAL(18,4) AS amount, 'x' AS name";
        using var r = cmd.ExecuteReader();
        var schema = r.GetSchemaTable();
        Assert.Equal(2, schema.Rows.Count);
        Assert.Equal("amount", schema.Rows[0]["ColumnName"]);
        Assert.Equal(typeof(decimal), schema.Rows[0]["DataType"]);
        Assert.Equal((short)18, schema.Rows[0]["NumericPrecision"]);
        Assert.Equal((short)4, schema.Rows[0]["NumericScale"]);
        Assert.Equal("DECIMAL(18,4)", schema.Rows[0]["DataTypeName"]);
        Assert.Equal(typeof(string), schema.Rows[1]["DataType"]);
        Assert.Equal(1, r.GetOrdinal("NAME"));
        Assert.Throws<IndexOutOfRangeException>(() => r.GetOrdinal("missing"));
    }

    [Fact]
    public void Connection_ReadOnlyFile_RefusesWrites()
    {
        using var fixture = new DuckDbFixture();
        var path = fixture.NewDatabasePath();
        using (var w = new DuckDbConnection($"Data Source={path}"))
        {
            w.Open();
            w.Execute("CREATE TABLE t AS SELECT 42 AS a");
        }

        using var r = new DuckDbConnection($"Data Source={path};Read Only=true");
        r.Open();
        Assert.Equal(42, r.Scalar<int>("SELECT a FROM t"));
        var e = Assert.Throws<DuckDbException>(() => r.Execute("INSERT INTO t VALUES (1)"));
        Assert.Contains("read-only", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Connection_Settings_AreAppliedToTheDatabase()
    {
        using var c = DuckDbFixture.OpenInMemory("threads=1;memory_limit=256MiB");
        Assert.Equal(1L, c.Scalar<long>("SELECT current_setting('threads')"));
        Assert.Equal("256.0 MiB", c.Scalar<string>("SELECT current_setting('memory_limit')"));
        Assert.StartsWith("v1.5.6", c.ServerVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_UnknownSetting_ThrowsDuckDbExceptionNamingIt()
    {
        using var c = new DuckDbConnection("no_such_option=1");
        var e = Assert.Throws<DuckDbException>(c.Open);
        Assert.Equal(DuckDbErrorType.InvalidInput, e.ErrorType);
        Assert.Contains("no_such_option", e.Message, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Closed, c.State);
    }

    [Fact]
    public void Connection_InMemory_IsPrivatePerConnection()
    {
        using var a = DuckDbFixture.OpenInMemory();
        using var b = DuckDbFixture.OpenInMemory();
        a.Execute("CREATE TABLE only_in_a (x INTEGER)");
        Assert.Throws<DuckDbException>(() => b.Execute("SELECT * FROM only_in_a"));
    }

    [Fact]
    public void Connection_SameFile_SharesOneDatabase()
    {
        using var fixture = new DuckDbFixture();
        var path = fixture.NewDatabasePath();
        using var a = new DuckDbConnection($"Data Source={path}");
        using var b = new DuckDbConnection($"Data Source={path}");
        a.Open();
        b.Open();
        a.Execute("CREATE TABLE shared AS SELECT 7 AS x");
        Assert.Equal(7, b.Scalar<int>("SELECT x FROM shared"));
    }
}
