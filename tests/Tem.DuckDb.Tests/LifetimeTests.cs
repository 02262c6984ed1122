namespace Tem.DuckDb.Tests;

/// <summary>Disposal, cancellation and threads.</summary>
[Collection(DuckDbCollection.Name)]
public sealed class LifetimeTests(DuckDbFixture fixture)
{
    private const string SlowQuery = "SELECT count(*) FROM range(100000000) a, range(1000) b WHERE a.range * b.range % 7 = 3";

    [Fact]
    public void DisposeReader_MidStream_ConnectionStaysUsable()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT range FROM range(1000000)";
            using var r = cmd.ExecuteReader();
            for (var i = 0; i < 5000; i++)
            {
                Assert.True(r.Read());
                Assert.Equal(i, r.GetInt64(0));
            }
        }

        Assert.Equal(3L, c.Scalar<long>("SELECT 1 + 2"));
    }

    [Fact]
    public void CloseConnection_ClosesItsOpenReader()
    {
        var c = DuckDbFixture.OpenInMemory();
        var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT range FROM range(100000)";
        var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        c.Close();
        Assert.True(r.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => r.Read());
        r.Dispose();
        cmd.Dispose();
        c.Dispose();
        c.Dispose();
    }

    [Fact]
    public void CommandBehaviorCloseConnection_ClosesTheConnectionWithTheReader()
    {
        var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1";
        using (var r = cmd.ExecuteReader(System.Data.CommandBehavior.CloseConnection))
        {
            Assert.True(r.Read());
        }

        Assert.Equal(System.Data.ConnectionState.Closed, c.State);
    }

    [Fact]
    public void OpenAndClose_ManyConnectionsToOneFile_ReleasesTheFile()
    {
        var path = fixture.NewDatabasePath();
        for (var i = 0; i < 200; i++)
        {
            using var c = new DuckDbConnection($"Data Source={path}");
            c.Open();
            c.Execute($"CREATE OR REPLACE TABLE t AS SELECT {i} AS x");
        }

        // Once every connection is closed the database instance is gone: the file can be deleted and recreated.
        File.Delete(path);
        using var fresh = new DuckDbConnection($"Data Source={path}");
        fresh.Open();
        Assert.Equal(0L, fresh.Scalar<long>("SELECT count(*) FROM duckdb_tables()"));
    }

    [Fact]
    public async Task ExecuteAsync_CancelledToken_InterruptsTheQuery()
    {
        using var c = DuckDbFixture.OpenInMemory("threads=1");
        using var cmd = c.CreateCommand();
        cmd.CommandText = SlowQuery;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cmd.ExecuteScalarAsync(cts.Token));
        Assert.Equal(2L, c.Scalar<long>("SELECT 1 + 1"));
    }

    [Fact]
    public void CommandTimeout_Elapsed_ThrowsTimeoutException()
    {
        using var c = DuckDbFixture.OpenInMemory("threads=1");
        using var cmd = c.CreateCommand();
        cmd.CommandText = SlowQuery;
        cmd.CommandTimeout = 1;
        var e = Assert.Throws<TimeoutException>(() => cmd.ExecuteScalar());
        Assert.IsType<DuckDbException>(e.InnerException);
    }

    [Fact]
    public void Cancel_FromAnotherThread_InterruptsRunningQuery()
    {
        using var c = DuckDbFixture.OpenInMemory("threads=1");
        using var cmd = c.CreateCommand();
        cmd.CommandText = SlowQuery;
        using var timer = new Timer(_ => cmd.Cancel(), null, 300, Timeout.Infinite);
        var e = Assert.Throws<DuckDbException>(() => cmd.ExecuteScalar());
        Assert.Equal(DuckDbErrorType.Interrupt, e.ErrorType);
    }

    [Fact]
    public void Cancel_WhenIdle_DoesNotBreakTheNextQuery()
    {
        using var c = DuckDbFixture.OpenInMemory();
        using var cmd = c.CreateCommand();
        cmd.Cancel();
        cmd.CommandText = "SELECT sum(range)::BIGINT FROM range(1000000)";
        Assert.Equal(499999500000m, Convert.ToDecimal(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ConnectionPerThread_ConcurrentWritersAndReaders_OnOneFile()
    {
        var path = fixture.NewDatabasePath();
        using (var setup = new DuckDbConnection($"Data Source={path}"))
        {
            setup.Open();
            setup.Execute("CREATE TABLE shared AS SELECT range AS x FROM range(100000)");
        }

        const int threads = 4;
        var errors = new List<Exception>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                using var c = new DuckDbConnection($"Data Source={path}");
                c.Open();
                c.Execute($"CREATE TABLE own_{t} (x BIGINT)");
                for (var round = 0; round < 20; round++)
                {
                    using (var app = c.CreateAppender($"own_{t}"))
                    {
                        for (var i = 0; i < 1000; i++)
                        {
                            app.Append((long)i).EndRow();
                        }
                    }

                    Assert.Equal(4999950000L, c.Scalar<long>("SELECT sum(x) FROM shared"));
                }

                Assert.Equal(20_000L, c.Scalar<long>($"SELECT count(*) FROM own_{t}"));
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(errors);

        using var check = new DuckDbConnection($"Data Source={path}");
        check.Open();
        Assert.Equal(threads * 20_000L, check.Scalar<long>(
            string.Join(" + ", Enumerable.Range(0, threads).Select(t => $"(SELECT count(*) FROM own_{t})")).Insert(0, "SELECT ")));
    }
}
