using Tem.Lake;

namespace Tem.Audit.Tests;

public sealed class AuditMemoryTests
{
    [Theory]
    [InlineData("1GB", 0.5, "488281KiB")]
    [InlineData("2GiB", 0.5, "1048576KiB")]
    [InlineData("500 MB", 1.0, "488281KiB")]
    [InlineData("1.5gb", 0.5, "732421KiB")]
    public void Share_IsTheFractionOfTheSize_InKiB(string size, double fraction, string expected) =>
        Assert.Equal(expected, LakeSession.Share(size, fraction));

    [Theory]
    [InlineData("lots", 0.5)]
    [InlineData("1GB", 0.0)]
    [InlineData("1GB", 1.5)]
    public void Share_OfSomethingElse_IsAnError(string size, double fraction) =>
        Assert.Throws<ArgumentException>(() => LakeSession.Share(size, fraction));

    [Fact]
    public void AuditShare_IsHalf_AndTheShareIsASizeDuckDbTakes()
    {
        Assert.Equal(0.5, AuditOptions.DuckDbShare);
        using var db = LakeSession.InMemory(new SessionOptions { MemoryLimit = LakeSession.Share("1GB", AuditOptions.DuckDbShare) });
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT current_setting('memory_limit')";
        Assert.Equal("476.8 MiB", cmd.ExecuteScalar());
    }
}
