using System.Runtime.InteropServices;

namespace Tem.DuckDb.Native;

/// <summary>
/// Owns one native DuckDB object, released by the C API call its subclass names. The subclasses exist so that
/// a connection handle cannot be passed where a result is expected.
/// </summary>
internal abstract unsafe class DuckDbHandle : SafeHandle
{
    private readonly delegate*<ref nint, void> _release;

    protected DuckDbHandle(nint existing, delegate*<ref nint, void> release)
        : base(nint.Zero, ownsHandle: true)
    {
        _release = release;
        SetHandle(existing);
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        var h = handle;
        _release(ref h);
        return true;
    }
}

internal sealed unsafe class DatabaseHandle(nint existing) : DuckDbHandle(existing, &NativeMethods.Close);

internal sealed unsafe class ConnectionHandle(nint existing) : DuckDbHandle(existing, &NativeMethods.Disconnect);

internal sealed unsafe class ExtractedStatementsHandle(nint existing) : DuckDbHandle(existing, &NativeMethods.DestroyExtracted);

internal sealed unsafe class PreparedStatementHandle(nint existing) : DuckDbHandle(existing, &NativeMethods.DestroyPrepare);

internal sealed unsafe class DataChunkHandle(nint existing) : DuckDbHandle(existing, &NativeMethods.DestroyDataChunk);

internal sealed unsafe class AppenderHandle(nint existing) : DuckDbHandle(existing, &DestroyAppender)
{
    // duckdb_appender_destroy also flushes and reports a state; by the time the handle is released the
    // appender was closed (or abandoned), so there is nothing left to report.
    private static void DestroyAppender(ref nint appender) => NativeMethods.AppenderDestroy(ref appender);
}

/// <summary>
/// A <c>duckdb_result</c> lives in unmanaged memory so that its address stays fixed for the C API calls that
/// take a pointer to it; releasing destroys the result and frees that memory.
/// </summary>
internal sealed unsafe class ResultHandle() : DuckDbHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct)), &Release)
{
    public DuckDbResultStruct* Pointer => (DuckDbResultStruct*)handle;

    private static void Release(ref nint result)
    {
        NativeMethods.DestroyResult((DuckDbResultStruct*)result);
        NativeMemory.Free((void*)result);
    }
}
