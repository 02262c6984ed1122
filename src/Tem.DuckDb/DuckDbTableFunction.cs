using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// Produces the rows of a table function. DuckDB pulls: each <see cref="Fill"/> call writes rows into the sink
/// until <see cref="DuckDbRowSink.IsChunkFull"/> or the source runs out. Calls come from a DuckDB worker
/// thread, one at a time per source; with several threads, each thread has a source of its own.
/// </summary>
public interface IDuckDbRowSource : IDisposable
{
    /// <summary>Writes rows into <paramref name="sink"/>; returns false once the source has no more rows.</summary>
    bool Fill(DuckDbRowSink sink);
}

/// <summary>
/// A table function registered on a connection: <c>SELECT * FROM name()</c> streams the rows of a
/// <see cref="IDuckDbRowSource"/> into a query (e.g. <c>COPY (FROM name()) TO 'x.parquet'</c>) without an
/// intermediate table. An exception thrown by the source fails the query; <see cref="TakeError"/> returns it
/// with its original type.
/// </summary>
public sealed partial class DuckDbTableFunction
{
    private readonly Func<IDuckDbRowSource> _open;
    private readonly int _maxThreads;
    private readonly (string Name, string Type)[] _columns;
    private readonly ColumnType[] _types;
    private Exception? _error;

    internal DuckDbTableFunction(string name, IReadOnlyList<(string Name, string Type)> columns, Func<IDuckDbRowSource> open, int maxThreads)
    {
        Name = name;
        _open = open;
        _maxThreads = maxThreads;
        _columns = [.. columns];
        _types = [.. _columns.Select(c => WithLogicalType(c.Type, ColumnType.FromLogical))];
    }

    /// <summary>The function's SQL name.</summary>
    public string Name { get; }

    /// <summary>The exception a source threw during the last query, once; null when there was none.</summary>
    public Exception? TakeError() => Interlocked.Exchange(ref _error, null);

    internal unsafe void Register(DuckDBConnection connection)
    {
        var function = NativeMethods.CreateTableFunction();
        var self = GCHandle.Alloc(this);
        try
        {
            NativeMethods.TableFunctionSetName(function, Name);
            NativeMethods.TableFunctionSetExtraInfo(function, GCHandle.ToIntPtr(self), &FreeHandle);
            NativeMethods.TableFunctionSetBind(function, &Bind);
            NativeMethods.TableFunctionSetInit(function, &Init);
            NativeMethods.TableFunctionSetLocalInit(function, &LocalInit);
            NativeMethods.TableFunctionSetFunction(function, &Scan);
            if (NativeMethods.RegisterTableFunction(connection.NativeConnection.DangerousGetHandle(), function) != DuckDbState.Success)
            {
                throw new InvalidOperationException($"DuckDB refused to register table function '{Name}' (is the name taken?).");
            }
        }
        catch
        {
            self.Free();
            throw;
        }
        finally
        {
            NativeMethods.DestroyTableFunction(ref function);
        }
    }

    /// <summary>Creates a logical type from a SQL type name (BOOLEAN, integers, DOUBLE, VARCHAR, DATE, TIMESTAMP[TZ], DECIMAL(w,s)).</summary>
    private static T WithLogicalType<T>(string sqlType, Func<nint, T> use)
    {
        var type = sqlType.Trim().ToUpperInvariant();
        var decimalMatch = DecimalPattern().Match(type);
        var handle = decimalMatch.Success
            ? NativeMethods.CreateDecimalType(byte.Parse(decimalMatch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                byte.Parse(decimalMatch.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            : NativeMethods.CreateLogicalType(type switch
            {
                "BOOLEAN" => DuckDbTypeId.Boolean,
                "TINYINT" => DuckDbTypeId.TinyInt,
                "SMALLINT" => DuckDbTypeId.SmallInt,
                "INTEGER" => DuckDbTypeId.Integer,
                "BIGINT" => DuckDbTypeId.BigInt,
                "DOUBLE" => DuckDbTypeId.Double,
                "VARCHAR" => DuckDbTypeId.Varchar,
                "BLOB" => DuckDbTypeId.Blob,
                "DATE" => DuckDbTypeId.Date,
                "TIME" => DuckDbTypeId.Time,
                "TIMESTAMP" => DuckDbTypeId.Timestamp,
                "TIMESTAMPTZ" or "TIMESTAMP WITH TIME ZONE" => DuckDbTypeId.TimestampTz,
                "INTERVAL" => DuckDbTypeId.Interval,
                "UUID" => DuckDbTypeId.Uuid,
                _ => throw new ArgumentException($"Table function columns cannot have type '{sqlType}'.", nameof(sqlType)),
            });
        try
        {
            return use(handle);
        }
        finally
        {
            NativeMethods.DestroyLogicalType(ref handle);
        }
    }

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*(\d+)\)$")]
    private static partial Regex DecimalPattern();

    private static T Target<T>(nint handle) => (T)GCHandle.FromIntPtr(handle).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void FreeHandle(nint handle) => GCHandle.FromIntPtr(handle).Free();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Bind(nint info)
    {
        try
        {
            var function = Target<DuckDbTableFunction>(NativeMethods.BindGetExtraInfo(info));
            foreach (var (name, type) in function._columns)
            {
                WithLogicalType(type, lt =>
                {
                    NativeMethods.BindAddResultColumn(info, name, lt);
                    return 0;
                });
            }
        }
#pragma warning disable CA1031 // No exception may cross into native code: it is handed to DuckDB as the bind error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.BindSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Init(nint info)
    {
        var function = Target<DuckDbTableFunction>(NativeMethods.InitGetExtraInfo(info));
        NativeMethods.InitSetMaxThreads(info, (ulong)function._maxThreads);
    }

    /// <summary>Once per scanning thread: opens that thread's source.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void LocalInit(nint info)
    {
        DuckDbTableFunction? function = null;
        try
        {
            function = Target<DuckDbTableFunction>(NativeMethods.InitGetExtraInfo(info));
            var scan = new ScanState(function, function._open(), new TableFunctionOutput(function._types, function.Name));
            NativeMethods.InitSetInitData(info, GCHandle.ToIntPtr(GCHandle.Alloc(scan)), &FreeScan);
        }
#pragma warning disable CA1031 // No exception may cross into native code: it is kept for the caller and reported to DuckDB.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (function is not null)
            {
                function._error = e;
            }

            NativeMethods.InitSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Scan(nint info, nint output)
    {
        var scan = Target<ScanState>(NativeMethods.FunctionGetLocalInitData(info));
        try
        {
            scan.Output.Start(output);
            if (!scan.Done)
            {
                scan.Done = !scan.Source.Fill(scan.Output);
            }

            scan.Output.Finish();
        }
#pragma warning disable CA1031 // No exception may cross into native code: it is kept for the caller and reported to DuckDB.
        catch (Exception e)
#pragma warning restore CA1031
        {
            scan.Function._error = e;
            NativeMethods.FunctionSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void FreeScan(nint handle)
    {
        var h = GCHandle.FromIntPtr(handle);
        try
        {
            ((ScanState)h.Target!).Source.Dispose();
        }
#pragma warning disable CA1031 // A failing Dispose must not take the process down from a native callback.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            h.Free();
        }
    }

    private sealed class ScanState(DuckDbTableFunction function, IDuckDbRowSource source, TableFunctionOutput output)
    {
        public DuckDbTableFunction Function { get; } = function;

        public IDuckDbRowSource Source { get; } = source;

        public TableFunctionOutput Output { get; } = output;

        public bool Done { get; set; }
    }

    /// <summary>The sink over the output chunk DuckDB hands to each scan call.</summary>
    private sealed class TableFunctionOutput(ColumnType[] types, string name) : DuckDbRowSink(types, name + "()")
    {
        private nint _chunk;

        protected override bool IsClosed => false;

        public void Start(nint chunk)
        {
            _chunk = chunk;
            AbandonRow();
            Attach(chunk);
        }

        public void Finish()
        {
            // A row a source left half-written is not emitted.
            AbandonRow();
            NativeMethods.DataChunkSetSize(_chunk, (ulong)RowsInChunk);
        }

        private protected override void OnChunkFull()
        {
            // The chunk goes back to DuckDB when Fill returns; IsChunkFull tells the source to stop.
        }
    }
}
