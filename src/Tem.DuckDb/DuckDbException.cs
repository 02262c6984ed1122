using System.Data.Common;

namespace Tem.DuckDb;

/// <summary>
/// An error reported by the DuckDB engine. <see cref="Exception.Message"/> is DuckDB's own message, unchanged;
/// <see cref="ErrorType"/> is DuckDB's error class (parser, binder, catalog, constraint, conversion, IO...).
/// Misuse of the provider (wrong state, wrong argument) throws standard CLR exceptions instead.
/// </summary>
public sealed class DuckDbException : DbException
{
    /// <summary>Creates an engine error without a message.</summary>
    public DuckDbException()
    {
    }

    /// <summary>Creates an engine error with DuckDB's message.</summary>
    public DuckDbException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an engine error that wraps another exception.</summary>
    public DuckDbException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an engine error of a known class.</summary>
    public DuckDbException(string message, DuckDbErrorType errorType)
        : base(message) => ErrorType = errorType;

    /// <summary>DuckDB's error class; <see cref="DuckDbErrorType.Invalid"/> when DuckDB did not give one.</summary>
    public DuckDbErrorType ErrorType { get; }

    internal static DuckDbException FromMessage(string? message, DuckDbErrorType? knownType = null)
    {
        var text = string.IsNullOrEmpty(message) ? "DuckDB reported an error without a message." : message;
        return new DuckDbException(text, knownType ?? ClassifyByPrefix(text));
    }

    /// <summary>
    /// DuckDB prefixes its messages with the error class ("Parser Error: ...", "Catalog Error: ..."); the C API
    /// exposes the class only for results, so prepare and extract errors are classified from that prefix.
    /// </summary>
    internal static DuckDbErrorType ClassifyByPrefix(string message)
    {
        var colon = message.IndexOf(" Error:", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return DuckDbErrorType.Invalid;
        }

        var name = message[..colon].Replace(" ", string.Empty, StringComparison.Ordinal);
        return Enum.TryParse<DuckDbErrorType>(name, ignoreCase: true, out var type) ? type : DuckDbErrorType.Invalid;
    }
}

/// <summary>
/// DuckDB's error classes (<c>duckdb_error_type</c>), with the same names and numbers as the C API; the members
/// are DuckDB's, see its documentation for each.
/// </summary>
#pragma warning disable CS1591, CA1720 // Members mirror duckdb.h one to one.
public enum DuckDbErrorType
{
    Invalid = 0,
    OutOfRange = 1,
    Conversion = 2,
    UnknownType = 3,
    Decimal = 4,
    MismatchType = 5,
    DivideByZero = 6,
    ObjectSize = 7,
    InvalidType = 8,
    Serialization = 9,
    Transaction = 10,
    NotImplemented = 11,
    Expression = 12,
    Catalog = 13,
    Parser = 14,
    Planner = 15,
    Scheduler = 16,
    Executor = 17,
    Constraint = 18,
    Index = 19,
    Stat = 20,
    Connection = 21,
    Syntax = 22,
    Settings = 23,
    Binder = 24,
    Network = 25,
    Optimizer = 26,
    NullPointer = 27,
    IO = 28,
    Interrupt = 29,
    Fatal = 30,
    Internal = 31,
    InvalidInput = 32,
    OutOfMemory = 33,
    Permission = 34,
    ParameterNotResolved = 35,
    ParameterNotAllowed = 36,
    Dependency = 37,
    Http = 38,
    MissingExtension = 39,
    Autoload = 40,
    Sequence = 41,
    InvalidConfiguration = 42,
}
#pragma warning restore CS1591, CA1720

/// <summary>
/// The kind of a prepared statement (<c>duckdb_statement_type</c>), with the same names and numbers as the C API;
/// the members are DuckDB's, see its documentation for each.
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
