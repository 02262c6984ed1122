using DuckDB.NET.Data;
using Tem.Core;
using Tem.DuckDb;
using Tem.Lake;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Staging;

/// <summary>
/// The staging folder of a file (<c>_tem/staging/&lt;file id&gt;</c>) and the COPY that writes its good rows there as
/// ZSTD Parquet, partitioned as its layout says; the commit moves the files into the lake.
/// </summary>
internal sealed class ParquetStaging(TemLake lake, string memoryLimit)
{
    /// <summary>An empty staging folder for the file, with its table's folder: whatever an earlier attempt left is removed.</summary>
    public (string StageDir, string TableDir) Prepare(string fileId, Layout layout)
    {
        var stageDir = Path.Combine(lake.StagingRoot, fileId);
        if (Directory.Exists(stageDir))
        {
            Directory.Delete(stageDir, recursive: true);
        }

        var tableDir = Path.Combine(stageDir, layout.Table);
        Directory.CreateDirectory(tableDir);
        Directory.CreateDirectory(lake.TempDirectory);
        return (stageDir, tableDir);
    }

    /// <summary>Streams the rows of <paramref name="open"/>'s sources through a table function into ZSTD Parquet under <paramref name="tableDir"/>.</summary>
    public void CopyToParquet(string name, string fileId, Layout layout, string tableDir, Func<IDuckDbRowSource> open, int threads)
    {
        using var db = LakeSession.InMemory(new SessionOptions
        {
            MemoryLimit = memoryLimit, TempDirectory = lake.TempDirectory, PreserveInsertionOrder = false,
        });
        var columns = layout.RowColumns;
        var rows = db.RegisterTableFunction("tem_rows", columns, open, maxThreads: threads);
        var target = layout.PartitionBy.Count == 0
            ? $"{SqlQuote.Literal(Path.Combine(tableDir, $"part-{fileId}.parquet"))} (FORMAT parquet, COMPRESSION zstd)"
            : $"{SqlQuote.Literal(tableDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({string.Join(", ", layout.PartitionBy)}), " +
              $"OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'part-{fileId}-{{i}}')";
        try
        {
            // source_file is one constant per file: cheaper as a constant column than appended per row.
            db.Execute($"COPY (SELECT *, {SqlQuote.Literal(name)} AS source_file FROM tem_rows()) TO {target}");
        }
        catch (DuckDBException e)
        {
            var original = rows.TakeError();
            if (original is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(original);
            }

            throw new InfrastructureException($"Writing {name} to the lake as Parquet", e);
        }
    }
}
