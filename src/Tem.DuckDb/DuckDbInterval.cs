namespace Tem.DuckDb;

/// <summary>
/// A DuckDB INTERVAL: months, days and microseconds kept apart, as DuckDB does (a month has no fixed length,
/// so an interval with months has no <see cref="TimeSpan"/> equivalent).
/// </summary>
/// <param name="Months">Whole months.</param>
/// <param name="Days">Whole days.</param>
/// <param name="Micros">Microseconds.</param>
public readonly record struct DuckDbInterval(int Months, int Days, long Micros)
{
    /// <summary>Converts an interval without months; days count as 24 hours.</summary>
    /// <exception cref="InvalidCastException">The interval has months.</exception>
    public TimeSpan ToTimeSpan() => Months != 0
        ? throw new InvalidCastException($"The interval {this} has {Months} months, which have no fixed length; read it as DuckDbInterval.")
        : TimeSpan.FromDays(Days) + TimeSpan.FromTicks(checked(Micros * 10));

    /// <summary>Converts a <see cref="TimeSpan"/> to microseconds (sub-microsecond ticks are truncated).</summary>
    public static DuckDbInterval FromTimeSpan(TimeSpan value) => new(0, 0, value.Ticks / 10);
}
