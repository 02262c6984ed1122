namespace Tem.Cli.Tests;

/// <summary>
/// Runs <c>tem</c> in process and finds files of the repository, for every CLI test. (The one in-process runner: it
/// stays here rather than in Tem.Testing, whose other users must not depend on Tem.Cli; Tem.EndToEnd.Tests runs the
/// built program as a process through its TemProcess.)
/// </summary>
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

    /// <summary>Runs one command line with <paramref name="stdin"/> as its standard input (tem sql reads a script from it).</summary>
    public static (int Code, string Out, string Err) RunWithInput(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin);
        var code = TemApp.Run(args, output, error, input);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A file of the repository (found by walking up to Tem.sln).</summary>
    public static string Repo(params string[] parts) => RepoPaths.Combine(parts);
}
