using DuckDB.NET.Data;
using Tem.DuckDb;
using Tem.Lake;

namespace Tem.Ingest.Rejects;

/// <summary>
/// The rejected rows of one file, in a private in-memory database of their own so that they can be written while the
/// COPY of its good rows runs; the commit writes them next to the staged rows as the file's part of <c>rejects</c>.
/// </summary>
internal sealed class RejectStore : IDisposable
{
    /// <summary>DuckDB memory the rejects of one file may hold before they spill to <c>_tem/tmp</c> (a file of only bad rows stays bounded).</summary>
    private const string RejectMemory = "128MB";

    private RejectStore(DuckDBConnection connection) => Connection = connection;

    /// <summary>The database holding table <c>rej</c> (<see cref="TemLake.RejectsColumns"/>).</summary>
    public DuckDBConnection Connection { get; }

    /// <summary>An empty store whose spill folder is the lake's temp folder.</summary>
    public static RejectStore Open(TemLake lake)
    {
        Directory.CreateDirectory(lake.TempDirectory);
        var rejectDb = LakeSession.InMemory(new SessionOptions { MemoryLimit = RejectMemory, TempDirectory = lake.TempDirectory, Threads = 1 });
        rejectDb.Execute("CREATE TABLE rej (" + TemLake.RejectsColumns + ")");
        return new RejectStore(rejectDb);
    }

    /// <summary>A writer of rejected rows of file <paramref name="name"/> read as <paramref name="kind"/>.</summary>
    public RejectWriter Writer(string fileId, string runId, string name, string kind) => new(Connection, fileId, runId, name, kind);

    /// <summary>Forgets every rejected row (the file is read again).</summary>
    public void Clear() => Connection.Execute("DELETE FROM rej");

    /// <summary>Writes the rejected rows as one ZSTD Parquet file.</summary>
    public void CopyTo(string parquetPath) =>
        Connection.Execute($"COPY rej TO {SqlQuote.Literal(parquetPath)} (FORMAT parquet, COMPRESSION zstd)");

    /// <inheritdoc/>
    public void Dispose() => Connection.Dispose();
}
