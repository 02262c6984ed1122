namespace Tem.DuckDb.Tests;

/// <summary>One shared fixture: a scratch folder for database files and helpers to open connections.</summary>
public sealed class DuckDbFixture : IDisposable
{
    public DuckDbFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "tem-duckdb-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string NewDatabasePath() => Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".duckdb");

    public static DuckDbConnection OpenInMemory(string? extra = null)
    {
        var connection = new DuckDbConnection("Data Source=:memory:" + (extra is null ? string.Empty : ";" + extra));
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind in /tmp is harmless.
        }
    }
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

internal static class TestSql
{
    public static T Scalar<T>(this DuckDbConnection connection, string sql, params object?[] args)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var a in args)
        {
            cmd.Parameters.AddValue(a);
        }

        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read(), "the query returned no row");
        return reader.GetFieldValue<T>(0);
    }
}
