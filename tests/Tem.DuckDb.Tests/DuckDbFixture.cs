using DuckDB.NET.Data;
namespace Tem.DuckDb.Tests;

/// <summary>One shared fixture: a scratch folder for database files and helpers to open connections.</summary>
public sealed class DuckDbFixture : IDisposable
{
    private readonly TempFolder _temp = new("tem-duckdb-tests");

    public DuckDbFixture()
    {
        Folder = _temp.Path;
    }

    public string Folder { get; }

    public string NewDatabasePath() => Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".duckdb");

    public static DuckDBConnection OpenInMemory(string? extra = null)
    {
        var connection = new DuckDBConnection("DataSource=:memory:" + (extra is null ? string.Empty : ";" + extra));
        connection.Open();
        return connection;
    }

    public void Dispose() => _temp.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DuckDbCollection : ICollectionFixture<DuckDbFixture>
{
    public const string Name = "duckdb";
}

/// <summary>Tests that measure process memory run alone, so other tests' allocations do not blur them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection : ICollectionFixture<DuckDbFixture>
{
    public const string Name = "duckdb-memory";
}
