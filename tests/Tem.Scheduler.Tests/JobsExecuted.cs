using Quartz;

namespace Tem.Scheduler.Tests;

/// <summary>
/// Completes when a scheduler has executed a job a given number of times: scheduler tests wait on this event, not on a
/// wall-clock budget that a loaded machine can exceed. The guard only stops a test that would otherwise hang.
/// </summary>
internal sealed class JobsExecuted : IJobListener
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiting = [];
    private int _executed;

    public string Name { get; } = "test-jobs-executed-" + Guid.NewGuid().ToString("N");

    /// <summary>Listens to every job of <paramref name="scheduler"/> (before it starts, so that no fire is missed).</summary>
    public static JobsExecuted On(IScheduler scheduler)
    {
        var listener = new JobsExecuted();
        scheduler.ListenerManager.AddJobListener(listener);
        return listener;
    }

    /// <summary>Waits until <paramref name="count"/> executions have finished; false when the guard ran out first.</summary>
    public async Task<bool> WaitAsync(int count, TimeSpan? guard = null)
    {
        Task done;
        lock (_gate)
        {
            if (_executed >= count)
            {
                return true;
            }

            var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((count, source));
            done = source.Task;
        }

        return await Task.WhenAny(done, Task.Delay(guard ?? TimeSpan.FromMinutes(10))) == done;
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _executed++;
            foreach (var w in _waiting.Where(w => _executed >= w.Count).ToList())
            {
                w.Done.TrySetResult();
                _waiting.Remove(w);
            }
        }

        return ValueTask.CompletedTask;
    }
}
