using System.Globalization;

namespace Tem.Lake;

/// <summary>
/// The lake's single-writer lock: an exclusive lock on <c>_tem/write.lock</c>, held by whatever changes the lake
/// (a pipeline run, <c>tem ingest</c>, <c>tem audit</c>) for as long as it writes. Two runs, in one process or in
/// two hosts sharing the lake's folder, never write the same lake at once.
/// </summary>
/// <remarks>
/// The lock is the operating system's (<see cref="FileShare.None"/>, an advisory <c>flock</c> on Unix): it is
/// released when the holder's process ends, however it ends, so a run killed with <c>kill -9</c> never leaves a
/// stale lock behind. <c>write.lock.holder</c> beside it describes the holder for people; it is never trusted as the lock.
/// On a network file system the lock is only as good as the file system's <c>flock</c> support.
/// </remarks>
public sealed class LakeWriteLock : IDisposable
{
    private readonly FileStream _stream;

    private LakeWriteLock(FileStream stream, string holder)
    {
        _stream = stream;
        Holder = holder;
    }

    /// <summary>The description this lock was taken with.</summary>
    public string Holder { get; }

    /// <summary>
    /// Takes the lake's write lock, waiting up to <paramref name="wait"/> for another writer to finish.
    /// Returns null when the lake is still locked after that (<paramref name="currentHolder"/> then says by whom,
    /// as far as the lock file tells).
    /// </summary>
    /// <param name="lakeRoot">The lake folder.</param>
    /// <param name="holder">Who takes the lock, e.g. <c>run-20260101T020000000Z on host-a (pid 4242)</c>.</param>
    /// <param name="wait">How long to wait for the lock; <see cref="TimeSpan.Zero"/> to try once.</param>
    /// <param name="time">The clock the wait is measured on.</param>
    /// <param name="currentHolder">The holder written in the lock file when the lock could not be taken.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static LakeWriteLock? TryAcquire(
        string lakeRoot, string holder, TimeSpan wait, TimeProvider time, out string? currentHolder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakeRoot);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(time);
        var dir = Path.Combine(lakeRoot, "_tem");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "write.lock");
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                try
                {
                    // Beside the lock, not in it: a reader of a locked file would need a lock of its own.
                    File.WriteAllText(path + ".holder", holder + "\n");
                }
                catch (IOException)
                {
                    // The description is for people; the lock is held whether or not it could be written.
                }

                currentHolder = null;
                return new LakeWriteLock(stream, holder);
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                currentHolder = ReadHolder(path + ".holder");
                return null;
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();

    /// <summary>A message for a writer that found the lake locked.</summary>
    public static string LockedMessage(string lakeRoot, string? holder) =>
        string.Create(CultureInfo.InvariantCulture,
            $"the lake {lakeRoot} is being written by another run ({holder ?? "holder unknown"}); it runs one writer at a time, try again when it has finished");

    private static string? ReadHolder(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
