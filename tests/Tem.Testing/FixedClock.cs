namespace Tem.Testing;

/// <summary>A clock that always says <paramref name="now"/>: tests pin the time (house style: no ambient clock).</summary>
/// <param name="now">The instant every call of <see cref="GetUtcNow"/> returns.</param>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;
}
