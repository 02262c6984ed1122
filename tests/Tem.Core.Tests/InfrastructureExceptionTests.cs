namespace Tem.Core.Tests;

public class InfrastructureExceptionTests
{
    [Fact]
    public void Constructor_Inner_KeepsItAndSaysWhatTemWasDoing()
    {
        var inner = new IOException("IO Error: No space left on device");

        var ex = new InfrastructureException("Loading usage.csv into the lake", inner);

        Assert.Same(inner, ex.InnerException);
        Assert.Equal("Loading usage.csv into the lake", ex.Operation);
        Assert.Equal("Loading usage.csv into the lake failed: IO Error: No space left on device", ex.Message);
    }

    [Fact]
    public void Constructor_NullInner_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new InfrastructureException("Opening the lake", null!));

    [Fact]
    public void Constructor_EmptyOperation_Throws() =>
        Assert.ThrowsAny<ArgumentException>(() => new InfrastructureException(string.Empty, new IOException()));
}
