using System.Globalization;
using DuckDB.NET.Data;
using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Rejects;

/// <summary>Appends rejected rows of one file to its <see cref="RejectStore"/> (thread-safe: the scanning threads share it).</summary>
internal sealed class RejectWriter(DuckDBConnection rejectDb, string fileId, string runId, string name, string kind)
{
    private readonly DuckDBAppender _appender = rejectDb.CreateAppender("rej");

    /// <summary>Appends the row at <paramref name="line"/> with its raw text and why it was rejected.</summary>
    public void Write(long line, string raw, RowReject reject)
    {
        var message = Describe(name, line, reject);
        lock (_appender)
        {
            _appender.CreateRow().AppendValue(fileId).AppendValue(runId).AppendValue(name).AppendValue(kind).AppendValue(line).AppendValue(reject.Column)
                .AppendValue(reject.ColumnName).AppendValue(WireNames.ToWire(reject.Reason)).AppendValue(message).AppendValue(raw).EndRow();
        }
    }

    /// <summary>Flushes the rows to the store; the writer cannot be used after.</summary>
    public void Close()
    {
        _appender.Close();
        _appender.Dispose();
    }

    /// <summary>A reject's message: <c>file:line[:column]: [column name ]what</c>.</summary>
    internal static string Describe(string file, long line, RowReject reject)
    {
        var where = reject.Column > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:{reject.Column}")
            : string.Create(CultureInfo.InvariantCulture, $"{file}:{line}");
        return reject.ColumnName is null ? $"{where}: {reject.Message}" : $"{where}: {reject.ColumnName} {reject.Message}";
    }
}
