using System.Runtime.InteropServices;

namespace Tem.DuckDb.Native;

/// <summary>
/// The few P/Invoke declarations over DuckDB's C API that DuckDB.NET does not offer in the form Tem needs: a table
/// function scanned by several threads that writes whole data chunks (see <see cref="DuckDbTableFunction"/>), and the
/// kind of each statement in a text (see <see cref="DuckDbStatements"/>).
/// The library name is DuckDB.NET's own (<c>duckdb</c>), so the runtime resolves it to the very native library
/// DuckDB.NET loads from its package: one DuckDB in the process, and a connection handle from DuckDB.NET is valid here.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "duckdb";

    // ---- memory ----

    [LibraryImport(Library, EntryPoint = "duckdb_free")]
    internal static partial void Free(void* ptr);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_size")]
    internal static partial ulong VectorSize();

    // ---- statements (their kinds, for a read-only session) ----
    [LibraryImport(Library, EntryPoint = "duckdb_extract_statements", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ulong ExtractStatements(nint connection, string query, out nint extracted);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_extracted_statement")]
    internal static partial DuckDbState PrepareExtractedStatement(nint connection, nint extracted, ulong index, out nint prepared);

    [LibraryImport(Library, EntryPoint = "duckdb_extract_statements_error")]
    internal static partial byte* ExtractStatementsError(nint extracted);

    [LibraryImport(Library, EntryPoint = "duckdb_prepared_statement_type")]
    internal static partial int PreparedStatementType(nint prepared);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_extracted")]
    internal static partial void DestroyExtracted(ref nint extracted);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_error")]
    internal static partial byte* PrepareError(nint prepared);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_prepare")]
    internal static partial void DestroyPrepare(ref nint prepared);

    // ---- logical types ----
    [LibraryImport(Library, EntryPoint = "duckdb_get_type_id")]
    internal static partial DuckDbTypeId GetTypeId(nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_logical_type")]
    internal static partial void DestroyLogicalType(ref nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_width")]
    internal static partial byte DecimalWidth(nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_scale")]
    internal static partial byte DecimalScale(nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_internal_type")]
    internal static partial DuckDbTypeId DecimalInternalType(nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_list_type_child_type")]
    internal static partial nint ListTypeChildType(nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_internal_type")]
    internal static partial DuckDbTypeId EnumInternalType(nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_dictionary_size")]
    internal static partial uint EnumDictionarySize(nint logicalType);

    /// <summary>Returns a string to be freed with <see cref="Free"/>.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_enum_dictionary_value")]
    internal static partial byte* EnumDictionaryValue(nint logicalType, ulong index);

    // ---- data chunks and vectors ----

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_set_size")]
    internal static partial void DataChunkSetSize(nint chunk, ulong size);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_vector")]
    internal static partial nint DataChunkGetVector(nint chunk, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_data")]
    internal static partial void* VectorGetData(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_validity")]
    internal static partial ulong* VectorGetValidity(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_ensure_validity_writable")]
    internal static partial void VectorEnsureValidityWritable(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_assign_string_element_len")]
    internal static partial void VectorAssignStringElementLen(nint vector, ulong index, byte* value, ulong length);

    /// <summary>Like <see cref="VectorAssignStringElementLen"/> without DuckDB's UTF-8 check: only for bytes .NET encoded.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_unsafe_vector_assign_string_element_len")]
    internal static partial void UnsafeVectorAssignStringElementLen(nint vector, ulong index, byte* value, ulong length);

    // ---- table functions ----
    [LibraryImport(Library, EntryPoint = "duckdb_create_table_function")]
    internal static partial nint CreateTableFunction();

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_table_function")]
    internal static partial void DestroyTableFunction(ref nint function);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void TableFunctionSetName(nint function, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_extra_info")]
    internal static partial void TableFunctionSetExtraInfo(nint function, nint extraInfo, delegate* unmanaged[Cdecl]<nint, void> destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_bind")]
    internal static partial void TableFunctionSetBind(nint function, delegate* unmanaged[Cdecl]<nint, void> bind);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_init")]
    internal static partial void TableFunctionSetInit(nint function, delegate* unmanaged[Cdecl]<nint, void> init);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_local_init")]
    internal static partial void TableFunctionSetLocalInit(nint function, delegate* unmanaged[Cdecl]<nint, void> init);

    [LibraryImport(Library, EntryPoint = "duckdb_function_get_local_init_data")]
    internal static partial nint FunctionGetLocalInitData(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_function")]
    internal static partial void TableFunctionSetFunction(nint function, delegate* unmanaged[Cdecl]<nint, nint, void> callback);

    [LibraryImport(Library, EntryPoint = "duckdb_register_table_function")]
    internal static partial DuckDbState RegisterTableFunction(nint connection, nint function);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_extra_info")]
    internal static partial nint BindGetExtraInfo(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_add_result_column", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BindAddResultColumn(nint info, string name, nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BindSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_extra_info")]
    internal static partial nint InitGetExtraInfo(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_init_data")]
    internal static partial void InitSetInitData(nint info, nint data, delegate* unmanaged[Cdecl]<nint, void> destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_max_threads")]
    internal static partial void InitSetMaxThreads(nint info, ulong maxThreads);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void InitSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_function_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void FunctionSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_create_logical_type")]
    internal static partial nint CreateLogicalType(DuckDbTypeId type);

    [LibraryImport(Library, EntryPoint = "duckdb_create_decimal_type")]
    internal static partial nint CreateDecimalType(byte width, byte scale);

    /// <summary>Copies a string DuckDB keeps ownership of.</summary>
    internal static string? ToManaged(byte* utf8) => utf8 == null ? null : Marshal.PtrToStringUTF8((nint)utf8);

    /// <summary>Copies and frees a string that DuckDB allocated for the caller.</summary>
    internal static string? TakeString(byte* utf8)
    {
        if (utf8 == null)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8((nint)utf8);
        }
        finally
        {
            Free(utf8);
        }
    }
}
