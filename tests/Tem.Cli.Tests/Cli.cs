namespace Tem.Cli.Tests;

/// <summary>Runs <c>tem</c> in process and finds files of the repository, for every CLI test.</summary>
internal static class Cli
{
    /// <summary>Runs one command line; returns its exit code and what it wrote to stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = TemApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A file of the repository (found by walking up to Tem.sln).</summary>
    public static string Repo(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tem.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine([dir!.FullName, .. parts]);
    }
}
