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
    /// <summary>
    /// Runs tem as a user without privileges, so that file permissions apply (root reads every folder): as is when
    /// this process is not root, else through <c>setpriv</c> as <c>nobody</c> from a copy of tem under
    /// <paramref name="scratch"/> (a folder that user can enter; the copy is made there).
    /// </summary>
    public static (int Code, string Out, string Err) RunUnprivileged(string scratch, params string[] args)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return Run(args);
        }

        var bin = Path.Combine(scratch, "tem-bin");
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(bin, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = scratch,
        };
        foreach (var a in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "--", "dotnet", "exec", Path.Combine(bin, "tem.dll"), .. args])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["HOME"] = scratch;
        start.Environment["DOTNET_CLI_HOME"] = scratch;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "tem did not finish within 120 s");
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs tem with these environment variables set (or removed, when null) on top of this process's.</summary>
    public static (int Code, string Out, string Err) RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var (process, output, error) = Start(environment, args);
        using (process)
        {
            Assert.True(process.WaitForExit(300_000), "tem did not finish within 300 s");
            return (process.ExitCode, output.Result, error.Result);
        }
    }

    public static (Process Process, Task<string> Out, Task<string> Err) Start(params string[] args) =>
        Start(new Dictionary<string, string?>(), args);

    private static (Process Process, Task<string> Out, Task<string> Err) Start(IReadOnlyDictionary<string, string?> environment, string[] args)
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

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }
}
