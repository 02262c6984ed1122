namespace Tem.DuckDb;

/// <summary>
/// Interrupts a connection's running query when a token is cancelled or a timeout elapses, and turns the
/// engine's "interrupted" error into the exception the caller expects.
/// </summary>
internal sealed class InterruptGuard : IDisposable
{
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenRegistration _tokenRegistration;
    private readonly CancellationTokenRegistration _timeoutRegistration;
    private readonly int _timeoutSeconds;

    public InterruptGuard(DuckDbConnection connection, int timeoutSeconds, CancellationToken token)
    {
        Token = token;
        _timeoutSeconds = timeoutSeconds;
        if (token.CanBeCanceled)
        {
            _tokenRegistration = token.Register(static c => ((DuckDbConnection)c!).Interrupt(), connection);
        }

        if (timeoutSeconds > 0)
        {
            _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            _timeoutRegistration = _timeout.Token.Register(static c => ((DuckDbConnection)c!).Interrupt(), connection);
        }
    }

    public CancellationToken Token { get; }

    /// <summary>Runs <paramref name="action"/>, mapping an interrupt we caused to cancellation or timeout.</summary>
    public T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DuckDbException e) when (e.ErrorType == DuckDbErrorType.Interrupt)
        {
            if (Token.IsCancellationRequested)
            {
                throw new OperationCanceledException("The DuckDB query was cancelled.", e, Token);
            }

            if (_timeout is { IsCancellationRequested: true })
            {
                throw new TimeoutException($"The DuckDB query did not finish within the command timeout of {_timeoutSeconds} s.", e);
            }

            throw;
        }
    }

    public void Dispose()
    {
        _tokenRegistration.Dispose();
        _timeoutRegistration.Dispose();
        _timeout?.Dispose();
    }
}
