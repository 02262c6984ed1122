namespace Tem.Cli.Tests;

/// <summary>One <c>tem demo</c> run shared by the tests of a class: the sample set, its lake and report folder.</summary>
public sealed class DemoLakeFixture : IDisposable
{
    public DemoLakeFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "tem-cli-demo-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        Code = TemApp.Run(["demo", "--out", Root], output, error);
        Out = output.ToString();
        Err = error.ToString();
    }

    public string Root { get; }

    public string Lake => Path.Combine(Root, "lake");

    public int Code { get; }

    public string Out { get; }

    public string Err { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
