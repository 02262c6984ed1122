using System.Diagnostics;
using System.Text;
using Tem.Lake;

namespace Tem.EndToEnd.Tests;

/// <summary><c>tem schedule</c> as a long-running process: killed with SIGKILL mid-run, restarted, stopped with SIGTERM.</summary>
public sealed class ScheduleProcessTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-e2e-schedule");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Schedule_KilledMidRunThenRestarted_LakeIsCompleteAndNoFileIsIngestedTwice()
    {
        var inbox = _temp.Sub("inbox");
        var lake = _temp.Sub("lake");
        var output = _temp.Sub("out");
        Assert.Equal(0, TemProcess.Run("sample-data", "--out", inbox, "--services", "300", "--months", "12", "--seed", "21").Code);
        string[] schedule = ["schedule", "--cron", "0/1 * * * * ?", "--inbox", inbox, "--lake", lake, "--out", output];

        // First host: killed with SIGKILL once the run has ingested its first file.
        using (var first = Host.Start(schedule))
        {
            Assert.True(first.WaitFor(l => l.Contains("accounts.csv: accounts: read", StringComparison.Ordinal), TimeSpan.FromSeconds(90)), first.Log);
            first.Process.Kill(entireProcessTree: true);
            first.Process.WaitForExit();
            Assert.DoesNotContain(" ok: ", first.Log, StringComparison.Ordinal);
        }

        // Second host: recovers the run (the job asks for recovery) or runs at the next second, completes the lake, stops on SIGTERM.
        string log;
        using (var second = Host.Start(schedule))
        {
            // The first run that completes: what it completed is checked against the catalog below.
            Assert.True(second.WaitFor(l => l.Contains(" ok: ", StringComparison.Ordinal), TimeSpan.FromMinutes(5)), second.Log);
            Assert.True(second.Terminate(TimeSpan.FromSeconds(60)), "tem schedule did not stop on SIGTERM\n" + second.Log);
            Assert.Equal(0, second.Process.ExitCode);
            log = second.Log;
        }

        Assert.Contains("had been interrupted", log, StringComparison.Ordinal);
        var catalog = TemLake.OpenExisting(lake).Catalog;
        var runs = catalog.Runs();
        Assert.Equal(Tem.Core.RunOutcome.Interrupted, runs[0].Outcome);
        Assert.Contains(runs, r => r.Outcome == Tem.Core.RunOutcome.Ok && r.StartedAt > runs[0].StartedAt);
        Assert.All(runs, r => Assert.NotNull(r.FinishedAt));
        var files = catalog.Files().Where(f => f.State is FileState.Active or FileState.Superseded or FileState.Committing).ToList();
        Assert.Equal(files.Count, files.Select(f => f.Sha256).Distinct().Count());
        Assert.DoesNotContain(files, f => f.State == FileState.Committing);

        // The lake holds exactly what one uninterrupted run stores from the same inbox.
        var reference = _temp.Sub("reference-lake");
        Assert.Equal(0, TemProcess.Run("run", "--inbox", inbox, "--lake", reference, "--out", _temp.Sub("reference-out"), "--quiet").Code);
        const string counts = "SELECT (SELECT count(*) FROM usage) u, (SELECT count(*) FROM charges) c, (SELECT count(*) FROM services) s, (SELECT count(*) FROM findings WHERE status <> 'resolved') f";
        var expected = TemProcess.Run("sql", "--lake", reference, "--format", "csv", counts);
        var actual = TemProcess.Run("sql", "--lake", lake, "--format", "csv", counts);
        Assert.True(actual.Code == 0, actual.Err);
        Assert.Equal(expected.Out, actual.Out);
    }

    /// <summary>A <c>tem schedule</c> process whose output lines are collected as they come.</summary>
    private sealed class Host : IDisposable
    {
        private readonly StringBuilder _log = new();
        private readonly Lock _gate = new();

        private Host(Process process) => Process = process;

        public Process Process { get; }

        public string Log
        {
            get
            {
                lock (_gate)
                {
                    return _log.ToString();
                }
            }
        }

        public static Host Start(string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tem.dll"));
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            var host = new Host(Process.Start(start)!);
            host.Process.OutputDataReceived += (_, e) => host.Add(e.Data);
            host.Process.ErrorDataReceived += (_, e) => host.Add(e.Data);
            host.Process.BeginOutputReadLine();
            host.Process.BeginErrorReadLine();
            return host;
        }

        public bool WaitFor(Func<string, bool> line, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < until && !Process.HasExited)
            {
                if (Log.Split('\n').Any(line))
                {
                    return true;
                }

                Thread.Sleep(100);
            }

            return Log.Split('\n').Any(line);
        }

        /// <summary>Sends SIGTERM, as systemd or docker stop would, and waits for the exit.</summary>
        public bool Terminate(TimeSpan timeout)
        {
            using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            return Process.WaitForExit(timeout);
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                _log.AppendLine(line);
            }
        }
    }
}
