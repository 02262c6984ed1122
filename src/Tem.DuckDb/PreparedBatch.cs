using System.Globalization;
using Tem.DuckDb.Native;

namespace Tem.DuckDb;

/// <summary>
/// The statements of one command text: split by DuckDB's parser, each prepared when it is first run (a later
/// statement may depend on what an earlier one created) and kept for re-execution while the command is prepared.
/// </summary>
internal sealed unsafe class PreparedBatch : IDisposable
{
    private readonly DuckDbConnection _connection;
    private readonly ExtractedStatementsHandle _extracted;
    private readonly PreparedStatementHandle?[] _statements;

    private PreparedBatch(DuckDbConnection connection, ExtractedStatementsHandle extracted, int count)
    {
        _connection = connection;
        _extracted = extracted;
        _statements = new PreparedStatementHandle?[count];
    }

    public string CommandText { get; private init; } = string.Empty;

    public DuckDbConnection Connection => _connection;

    public int Count => _statements.Length;

    public static PreparedBatch Create(DuckDbConnection connection, string sql)
    {
        var count = NativeMethods.ExtractStatements(connection.NativeConnection.DangerousGetHandle(), sql, out var extracted);
        var handle = new ExtractedStatementsHandle(extracted);
        if (count == 0)
        {
            var message = NativeMethods.ToManaged(NativeMethods.ExtractStatementsError(extracted));
            handle.Dispose();
            if (message is null)
            {
                throw new ArgumentException("The command text holds no SQL statement.", nameof(sql));
            }

            throw DuckDbException.FromMessage(message);
        }

        return new PreparedBatch(connection, handle, checked((int)count)) { CommandText = sql };
    }

    /// <summary>Prepares (once), binds and runs statement <paramref name="index"/> as a streaming result.</summary>
    public ResultHandle Execute(int index, IReadOnlyList<DuckDbParameter> parameters)
    {
        var statement = Prepare(index);
        BindAll(statement, index, parameters);

        var ps = statement.DangerousGetHandle();
        if (NativeMethods.PendingPreparedStreaming(ps, out var pending) != DuckDbState.Success)
        {
            var message = NativeMethods.ToManaged(NativeMethods.PendingError(pending));
            NativeMethods.DestroyPending(ref pending);
            throw DuckDbException.FromMessage(message);
        }

        var result = new ResultHandle();
        try
        {
            var state = NativeMethods.ExecutePending(pending, result.Pointer);
            if (state != DuckDbState.Success)
            {
                var message = NativeMethods.ToManaged(NativeMethods.ResultError(result.Pointer));
                var type = (DuckDbErrorType)NativeMethods.ResultErrorType(result.Pointer);
                throw DuckDbException.FromMessage(message, type);
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            NativeMethods.DestroyPending(ref pending);
        }
    }

    /// <summary>The kind of statement <paramref name="index"/> is, as DuckDB's binder sees it (prepares it once).</summary>
    public DuckDbStatementType StatementType(int index) =>
        (DuckDbStatementType)NativeMethods.PreparedStatementType(Prepare(index).DangerousGetHandle());

    public void Dispose()
    {
        foreach (var s in _statements)
        {
            s?.Dispose();
        }

        _extracted.Dispose();
    }

    private PreparedStatementHandle Prepare(int index)
    {
        if (_statements[index] is { } existing)
        {
            return existing;
        }

        var state = NativeMethods.PrepareExtractedStatement(
            _connection.NativeConnection.DangerousGetHandle(), _extracted.DangerousGetHandle(), (ulong)index, out var prepared);
        var handle = new PreparedStatementHandle(prepared);
        if (state != DuckDbState.Success)
        {
            var message = NativeMethods.ToManaged(NativeMethods.PrepareError(prepared));
            handle.Dispose();
            throw DuckDbException.FromMessage(message);
        }

        _statements[index] = handle;
        return handle;
    }

    private static void BindAll(PreparedStatementHandle statement, int statementIndex, IReadOnlyList<DuckDbParameter> parameters)
    {
        var ps = statement.DangerousGetHandle();
        var count = NativeMethods.ParameterCount(ps);
        if (count == 0)
        {
            return;
        }

        NativeMethods.ClearBindings(ps);
        for (ulong k = 1; k <= count; k++)
        {
            var name = NativeMethods.TakeString(NativeMethods.ParameterName(ps, k)) ?? string.Empty;
            var parameter = Find(parameters, name);
            if (parameter is null)
            {
                throw new InvalidOperationException(
                    $"Statement {statementIndex + 1} of the command needs parameter ${name}, but the command has no parameter " +
                    $"for it ({parameters.Count} given). Add it to Command.Parameters.");
            }

            ParameterBinder.Bind(ps, k, parameter.Value, "$" + name);
        }
    }

    private static DuckDbParameter? Find(IReadOnlyList<DuckDbParameter> parameters, string name)
    {
        // DuckDB names positional parameters by their number ("1" for ? or $1); named ones by their name.
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            foreach (var p in parameters)
            {
                if (p.BareName == name)
                {
                    return p;
                }
            }

            var unnamed = parameters.Where(p => p.BareName.Length == 0).ToList();
            var slot = number - 1;
            if (unnamed.Count == parameters.Count && slot >= 0 && slot < unnamed.Count)
            {
                return unnamed[slot];
            }

            return null;
        }

        foreach (var p in parameters)
        {
            if (string.Equals(p.BareName, name, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        return null;
    }
}
