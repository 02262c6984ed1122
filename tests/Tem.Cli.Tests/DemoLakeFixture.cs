namespace Tem.Cli.Tests;

/// <summary>One <c>tem demo</c> run shared by the tests of a class: the sample set, its lake and report folder.</summary>
public sealed class DemoLakeFixture : IDisposable
{
    private readonly TempFolder _temp = new("tem-cli-demo");

    public DemoLakeFixture()
    {
        Root = _temp.Path;
        (Code, Out, Err) = Cli.Run("demo", "--out", Root);
    }

    public string Root { get; }

    public string Lake => Path.Combine(Root, "lake");

    public int Code { get; }

    public string Out { get; }

    public string Err { get; }

    public void Dispose() => _temp.Dispose();
}
