namespace Tem.Scheduler.Tests;

/// <summary>Waits for what no listener can report (another node's log).</summary>
internal static class Poll
{
    /// <summary>
    /// Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; <paramref name="timeout"/>
    /// is a guard against a hang, minutes, never a speed budget.
    /// </summary>
    public static async Task<bool> Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return condition();
    }
}
