using System.Runtime.InteropServices;

namespace Tem.DuckDb.Native;

/// <summary>
/// P/Invoke declarations over DuckDB's C API. Handles are plain pointers here; ownership lives in the
/// <see cref="SafeHandle"/> types and the ADO.NET classes. Pointers to <c>duckdb_xxx</c> out-parameters are
/// written as <c>out nint</c>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "duckdb";

    // ---- database, connection, configuration ----
    [LibraryImport(Library, EntryPoint = "duckdb_create_instance_cache")]
    internal static partial nint CreateInstanceCache();

    [LibraryImport(Library, EntryPoint = "duckdb_get_or_create_from_cache", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState GetOrCreateFromCache(nint cache, string? path, out nint database, nint config, out nint error);

    [LibraryImport(Library, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState OpenExt(string? path, out nint database, nint config, out nint error);

    [LibraryImport(Library, EntryPoint = "duckdb_close")]
    internal static partial void Close(ref nint database);

    [LibraryImport(Library, EntryPoint = "duckdb_connect")]
    internal static partial DuckDbState Connect(nint database, out nint connection);

    [LibraryImport(Library, EntryPoint = "duckdb_disconnect")]
    internal static partial void Disconnect(ref nint connection);

    [LibraryImport(Library, EntryPoint = "duckdb_interrupt")]
    internal static partial void Interrupt(nint connection);

    [LibraryImport(Library, EntryPoint = "duckdb_library_version")]
    internal static partial byte* LibraryVersion();

    [LibraryImport(Library, EntryPoint = "duckdb_create_config")]
    internal static partial DuckDbState CreateConfig(out nint config);

    [LibraryImport(Library, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState SetConfig(nint config, string name, string option);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_config")]
    internal static partial void DestroyConfig(ref nint config);

    [LibraryImport(Library, EntryPoint = "duckdb_free")]
    internal static partial void Free(void* ptr);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_size")]
    internal static partial ulong VectorSize();

    // ---- statements ----
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

    [LibraryImport(Library, EntryPoint = "duckdb_nparams")]
    internal static partial ulong ParameterCount(nint prepared);

    /// <summary>Returns a string to be freed with <see cref="Free"/>.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_parameter_name")]
    internal static partial byte* ParameterName(nint prepared, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_clear_bindings")]
    internal static partial DuckDbState ClearBindings(nint prepared);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_null")]
    internal static partial DuckDbState BindNull(nint prepared, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_boolean")]
    internal static partial DuckDbState BindBoolean(nint prepared, ulong index, byte value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int8")]
    internal static partial DuckDbState BindInt8(nint prepared, ulong index, sbyte value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int16")]
    internal static partial DuckDbState BindInt16(nint prepared, ulong index, short value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int32")]
    internal static partial DuckDbState BindInt32(nint prepared, ulong index, int value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int64")]
    internal static partial DuckDbState BindInt64(nint prepared, ulong index, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint8")]
    internal static partial DuckDbState BindUInt8(nint prepared, ulong index, byte value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint16")]
    internal static partial DuckDbState BindUInt16(nint prepared, ulong index, ushort value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint32")]
    internal static partial DuckDbState BindUInt32(nint prepared, ulong index, uint value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint64")]
    internal static partial DuckDbState BindUInt64(nint prepared, ulong index, ulong value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_hugeint")]
    internal static partial DuckDbState BindHugeInt(nint prepared, ulong index, DuckDbHugeIntStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uhugeint")]
    internal static partial DuckDbState BindUHugeInt(nint prepared, ulong index, DuckDbUHugeIntStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_decimal")]
    internal static partial DuckDbState BindDecimal(nint prepared, ulong index, DuckDbDecimalStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_float")]
    internal static partial DuckDbState BindFloat(nint prepared, ulong index, float value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_double")]
    internal static partial DuckDbState BindDouble(nint prepared, ulong index, double value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_date")]
    internal static partial DuckDbState BindDate(nint prepared, ulong index, int days);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_time")]
    internal static partial DuckDbState BindTime(nint prepared, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_timestamp")]
    internal static partial DuckDbState BindTimestamp(nint prepared, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_timestamp_tz")]
    internal static partial DuckDbState BindTimestampTz(nint prepared, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_interval")]
    internal static partial DuckDbState BindInterval(nint prepared, ulong index, DuckDbIntervalStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_varchar_length")]
    internal static partial DuckDbState BindVarcharLength(nint prepared, ulong index, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_blob")]
    internal static partial DuckDbState BindBlob(nint prepared, ulong index, byte* value, ulong length);

    // ---- execution and results ----
    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared_streaming")]
    internal static partial DuckDbState PendingPreparedStreaming(nint prepared, out nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_error")]
    internal static partial byte* PendingError(nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_pending")]
    internal static partial DuckDbState ExecutePending(nint pending, DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_pending")]
    internal static partial void DestroyPending(ref nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_result")]
    internal static partial void DestroyResult(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error")]
    internal static partial byte* ResultError(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error_type")]
    internal static partial int ResultErrorType(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_return_type")]
    internal static partial DuckDbResultType ResultReturnType(DuckDbResultStruct result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_count")]
    internal static partial ulong ColumnCount(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_name")]
    internal static partial byte* ColumnName(DuckDbResultStruct* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_logical_type")]
    internal static partial nint ColumnLogicalType(DuckDbResultStruct* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_fetch_chunk")]
    internal static partial nint FetchChunk(DuckDbResultStruct result);

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
    [LibraryImport(Library, EntryPoint = "duckdb_create_data_chunk")]
    internal static partial nint CreateDataChunk(nint* types, ulong columnCount);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_data_chunk")]
    internal static partial void DestroyDataChunk(ref nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_reset")]
    internal static partial void DataChunkReset(nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_size")]
    internal static partial ulong DataChunkGetSize(nint chunk);

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

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_get_child")]
    internal static partial nint ListVectorGetChild(nint vector);

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

    [LibraryImport(Library, EntryPoint = "duckdb_function_get_init_data")]
    internal static partial nint FunctionGetInitData(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_function_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void FunctionSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_create_logical_type")]
    internal static partial nint CreateLogicalType(DuckDbTypeId type);

    [LibraryImport(Library, EntryPoint = "duckdb_create_decimal_type")]
    internal static partial nint CreateDecimalType(byte width, byte scale);

    // ---- appender ----
    [LibraryImport(Library, EntryPoint = "duckdb_appender_create_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState AppenderCreateExt(nint connection, string? catalog, string? schema, string table, out nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_error")]
    internal static partial byte* AppenderError(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_column_count")]
    internal static partial ulong AppenderColumnCount(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_column_type")]
    internal static partial nint AppenderColumnType(nint appender, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_append_data_chunk")]
    internal static partial DuckDbState AppendDataChunk(nint appender, nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_flush")]
    internal static partial DuckDbState AppenderFlush(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_close")]
    internal static partial DuckDbState AppenderClose(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_destroy")]
    internal static partial DuckDbState AppenderDestroy(ref nint appender);

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
