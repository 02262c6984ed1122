using System.Diagnostics;

namespace Tem.EndToEnd.Tests;

/// <summary>Runs the built <c>tem</c> program as a separate process, as a user or a cron job would.</summary>
internal static class TemProcess
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (process, output, error) = Start(args);
        using (process)
        {
            Assert.True(process.WaitForExit(120_000), "tem did not finish within 120 s");
            return (process.ExitCode, output.Result, error.Result);
        }
    }

    /// <summary>Starts tem without waiting; the tasks complete with its output once it ends.</summary>
    public static (Process Process, Task<string> Out, Task<string> Err) Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "tem.dll");
        Assert.True(File.Exists(dll), $"tem.dll not found next to the tests ({dll})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }
}
