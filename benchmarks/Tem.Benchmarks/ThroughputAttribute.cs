namespace Tem.Benchmarks;

/// <summary>
/// Declares what one operation of a benchmark method processes, so the summary can turn its mean time into
/// throughput (see <see cref="ThroughputColumn"/>): rows = the value of the <see cref="RowsParameter"/> [Params]
/// property, values = rows × <see cref="ValuesPerRow"/>, bytes = rows × <see cref="PayloadBytesPerRow"/>.
/// The columns are computed in the host process from the benchmark case alone, so everything they need is here.
/// </summary>
/// <param name="valuesPerRow">Column values per row (6 for the CDR table).</param>
/// <param name="payloadBytesPerRow">
/// Bytes of column payload per row: UTF-8 length of each string plus the storage width of each fixed-size type
/// (TIMESTAMPTZ 8, INTEGER 4, DECIMAL(18,4) 8...). The benchmark data has fixed-width strings so this is exact.
/// </param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ThroughputAttribute(int valuesPerRow, int payloadBytesPerRow) : Attribute
{
    public int ValuesPerRow { get; } = valuesPerRow;

    public int PayloadBytesPerRow { get; } = payloadBytesPerRow;

    /// <summary>Name of the [Params] property that holds the row count of one operation.</summary>
    public string RowsParameter { get; set; } = "N";

    /// <summary>Target in rows per second (0 = none); shown in the Goal column.</summary>
    public double GoalRowsPerSecond { get; set; }

    /// <summary>Target in values per second (0 = none); shown in the Goal column.</summary>
    public double GoalValuesPerSecond { get; set; }
}
