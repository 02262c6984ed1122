using DuckDB.NET.Data;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// The kind of each statement in a SQL text, as DuckDB's parser and binder see it, without running anything. DuckDB.NET
/// does not expose <c>duckdb_prepared_statement_type</c>, and its own statement-type enum does not match DuckDB 1.5's
/// numbering, so this reads it through the C API on DuckDB.NET's connection handle (one DuckDB in the process).
/// </summary>
public static class DuckDbStatements
{
    /// <summary>
    /// Parses and prepares every statement of <paramref name="sql"/> and returns their kinds, in order; null when a
    /// statement does not parse or does not bind (running it reports DuckDB's own error).
    /// </summary>
    public static unsafe IReadOnlyList<DuckDbStatementType>? TryGetKinds(DuckDBConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(sql);
        var handle = connection.NativeConnection;
        var added = false;
        handle.DangerousAddRef(ref added);
        var extracted = nint.Zero;
        try
        {
            var count = NativeMethods.ExtractStatements(handle.DangerousGetHandle(), sql, out extracted);
            if (count == 0)
            {
                return NativeMethods.ToManaged(NativeMethods.ExtractStatementsError(extracted)) is null ? [] : null;
            }

            var kinds = new List<DuckDbStatementType>((int)count);
            for (ulong i = 0; i < count; i++)
            {
                var state = NativeMethods.PrepareExtractedStatement(handle.DangerousGetHandle(), extracted, i, out var prepared);
                try
                {
                    if (state != DuckDbState.Success)
                    {
                        return null;
                    }

                    kinds.Add((DuckDbStatementType)NativeMethods.PreparedStatementType(prepared));
                }
                finally
                {
                    NativeMethods.DestroyPrepare(ref prepared);
                }
            }

            return kinds;
        }
        finally
        {
            if (extracted != nint.Zero)
            {
                NativeMethods.DestroyExtracted(ref extracted);
            }

            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}

/// <summary>
/// The kind of a prepared statement (<c>duckdb_statement_type</c>), with the same names and numbers as DuckDB 1.5's
/// C API; the members are DuckDB's, see its documentation for each.
/// </summary>
#pragma warning disable CS1591, CA1720 // Members mirror duckdb.h one to one.
public enum DuckDbStatementType
{
    Invalid = 0,
    Select = 1,
    Insert = 2,
    Update = 3,
    Explain = 4,
    Delete = 5,
    Prepare = 6,
    Create = 7,
    Execute = 8,
    Alter = 9,
    Transaction = 10,
    Copy = 11,
    Analyze = 12,
    VariableSet = 13,
    CreateFunc = 14,
    Drop = 15,
    Export = 16,
    Pragma = 17,
    Vacuum = 18,
    Call = 19,
    Set = 20,
    Load = 21,
    Relation = 22,
    Extension = 23,
    LogicalPlan = 24,
    Attach = 25,
    Detach = 26,
    Multi = 27,
    CopyDatabase = 28,
    UpdateExtensions = 29,
    MergeInto = 30,
}
#pragma warning restore CS1591, CA1720
