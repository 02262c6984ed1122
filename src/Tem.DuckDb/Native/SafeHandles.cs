using System.Runtime.InteropServices;

namespace Tem.DuckDb.Native;

/// <summary>Base for handles whose native object is released by one C API call.</summary>
internal abstract class DuckDbHandle : SafeHandle
{
    protected DuckDbHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    protected DuckDbHandle(nint existing)
        : base(nint.Zero, ownsHandle: true) => SetHandle(existing);

    public override bool IsInvalid => handle == nint.Zero;
}

internal sealed class DatabaseHandle : DuckDbHandle
{
    public DatabaseHandle(nint existing)
        : base(existing)
    {
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.Close(ref h);
        return true;
    }
}

internal sealed class ConnectionHandle : DuckDbHandle
{
    public ConnectionHandle(nint existing)
        : base(existing)
    {
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.Disconnect(ref h);
        return true;
    }
}

internal sealed class ExtractedStatementsHandle : DuckDbHandle
{
    public ExtractedStatementsHandle(nint existing)
        : base(existing)
    {
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.DestroyExtracted(ref h);
        return true;
    }
}

internal sealed class PreparedStatementHandle : DuckDbHandle
{
    public PreparedStatementHandle(nint existing)
        : base(existing)
    {
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.DestroyPrepare(ref h);
        return true;
    }
}

internal sealed class LogicalTypeHandle : DuckDbHandle
{
    public LogicalTypeHandle(nint existing)
        : base(existing)
    {
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.DestroyLogicalType(ref h);
        return true;
    }
}

internal sealed class DataChunkHandle : DuckDbHandle
{
    public DataChunkHandle(nint existing)
        : base(existing)
    {
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.DestroyDataChunk(ref h);
        return true;
    }
}

internal sealed class AppenderHandle : DuckDbHandle
{
    public AppenderHandle(nint existing)
        : base(existing)
    {
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.AppenderDestroy(ref h);
        return true;
    }
}

/// <summary>
/// A <c>duckdb_result</c> lives in unmanaged memory so that its address stays fixed for the C API calls that
/// take a pointer to it; releasing destroys the result and frees that memory.
/// </summary>
internal sealed unsafe class ResultHandle : DuckDbHandle
{
    public ResultHandle()
        : base((nint)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct)))
    {
    }

    public DuckDbResultStruct* Pointer => (DuckDbResultStruct*)handle;

    protected override bool ReleaseHandle()
    {
        NativeMethods.DestroyResult((DuckDbResultStruct*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
