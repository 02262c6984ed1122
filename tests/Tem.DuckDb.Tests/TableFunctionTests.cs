using DuckDB.NET.Data;
namespace Tem.DuckDb.Tests;

[Collection(DuckDbCollection.Name)]
public sealed class TableFunctionTests(DuckDbFixture fixture)
{
    private static readonly (string, string)[] Columns =
        [("id", "BIGINT"), ("name", "VARCHAR"), ("amount", "DECIMAL(18,4)"), ("started", "TIMESTAMPTZ"), ("note", "VARCHAR")];

    private sealed class CountingSource(long rows, long failAt = -1) : IDuckDbRowSource
    {
        private long _next;

        public bool Disposed { get; private set; }

        public bool Fill(DuckDbRowSink sink)
        {
            while (!sink.IsChunkFull && _next < rows)
            {
                if (_next == failAt)
                {
                    throw new InvalidOperationException($"source failed at row {_next}");
                }

                sink.Append(_next).Append("name-" + _next).Append(_next / 100m)
                    .Append(DateTimeOffset.UnixEpoch.AddSeconds(_next));
                if (_next % 3 == 0)
                {
                    sink.AppendNull();
                }
                else
                {
                    sink.Append("a note long enough to leave the inline string area");
                }

                sink.EndRow();
                _next++;
            }

            return _next < rows;
        }

        public void Dispose() => Disposed = true;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(100_000)]
    public void Select_FromRegisteredFunction_StreamsEveryRowExactly(long rows)
    {
        using var c = DuckDbFixture.OpenInMemory();
        CountingSource? source = null;
        c.RegisterTableFunction("numbers", Columns, () => source = new CountingSource(rows));
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*), coalesce(sum(id), 0), coalesce(sum(amount), 0), count(note), max(name) FROM numbers()";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(rows, r.GetInt64(0));
        Assert.Equal(rows * (rows - 1) / 2, r.GetInt64(1));
        Assert.Equal(rows * (rows - 1) / 2 / 100m, r.GetDecimal(2));
        Assert.Equal(rows - ((rows + 2) / 3), r.GetInt64(3));
        r.Close();

        // DuckDB frees a finished query's state when the connection runs its next query.
        Assert.Equal(1, c.Scalar<int>("SELECT 1"));
        Assert.True(source!.Disposed);
    }

    [Fact]
    public void Copy_FromFunctionToParquet_WritesTheRows()
    {
        using var c = DuckDbFixture.OpenInMemory();
        c.RegisterTableFunction("numbers", Columns, () => new CountingSource(5000));
        var file = Path.Combine(fixture.Folder, Guid.NewGuid().ToString("N") + ".parquet");
        c.Execute($"COPY (SELECT * FROM numbers()) TO '{file}' (FORMAT parquet)");
        Assert.Equal(5000L, c.Scalar<long>($"SELECT count(*) FROM read_parquet('{file}') WHERE started = to_timestamp(id)"));
        Assert.Equal("DECIMAL(18,4)", c.Scalar<string>($"SELECT typeof(amount) FROM read_parquet('{file}') LIMIT 1"));
    }

    [Fact]
    public void Select_SourceThrows_QueryFailsAndTheOriginalExceptionIsKept()
    {
        using var c = DuckDbFixture.OpenInMemory();
        var function = c.RegisterTableFunction("numbers", Columns, () => new CountingSource(10_000, failAt: 5000));
        var e = Assert.Throws<DuckDBException>(() => c.Scalar<long>("SELECT count(*) FROM numbers()"));
        Assert.Contains("source failed at row 5000", e.Message, StringComparison.Ordinal);
        var original = Assert.IsType<InvalidOperationException>(function.TakeError());
        Assert.Equal("source failed at row 5000", original.Message);
        Assert.Null(function.TakeError());
        Assert.Equal(1, c.Scalar<int>("SELECT 1"));
    }

    [Fact]
    public void Register_UnsupportedColumnType_Throws()
    {
        using var c = DuckDbFixture.OpenInMemory();
        Assert.Throws<ArgumentException>(() => c.RegisterTableFunction("f", [("m", "MAP(VARCHAR, INTEGER)")], () => new CountingSource(1)));
    }
}

[Collection(DuckDbCollection.Name)]
public sealed class ParallelTableFunctionTests
{
    /// <summary>Takes ranges from a shared queue until none is left, so every range is read whatever the thread count.</summary>
    private sealed class QueueSource(System.Collections.Concurrent.ConcurrentQueue<(long From, long To)> ranges, Action<int> seenThread) : IDuckDbRowSource
    {
        private long _next;
        private long _to;

        public bool Fill(DuckDbRowSink sink)
        {
            seenThread(Environment.CurrentManagedThreadId);
            while (!sink.IsChunkFull)
            {
                if (_next == _to)
                {
                    if (!ranges.TryDequeue(out var range))
                    {
                        return false;
                    }

                    (_next, _to) = range;
                    continue;
                }

                sink.Append(_next++).EndRow();
            }

            return true;
        }

        public void Dispose()
        {
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Select_SeveralThreads_EveryRangeReadOnce(int threads)
    {
        using var c = DuckDbFixture.OpenInMemory($"threads={threads}");
        var queue = new System.Collections.Concurrent.ConcurrentQueue<(long, long)>();
        var threadIds = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        c.RegisterTableFunction("ranges", [("n", "BIGINT")], () => new QueueSource(queue, id => threadIds[id] = true), maxThreads: 2);
        for (var i = 0; i < 4; i++)
        {
            queue.Enqueue((i * 250_000L, (i + 1) * 250_000L));
        }

        Assert.Equal(1_000_000L, c.Scalar<long>("SELECT count(DISTINCT n) FROM ranges() WHERE n >= 0 AND n < 1000000"));
        Assert.True(threadIds.Count <= threads);
    }
}
