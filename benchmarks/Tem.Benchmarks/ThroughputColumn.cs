using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Tem.Benchmarks;

/// <summary>
/// Summary columns derived from the mean time of one operation and the work it declares with
/// <see cref="ThroughputAttribute"/>: rows/s = rows / mean, values/s = rows × values per row / mean,
/// MB/s = rows × payload bytes per row / mean / 10^6. Methods without the attribute show "-".
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public static readonly ThroughputColumn Rows = new(Kind.Rows);
    public static readonly ThroughputColumn Values = new(Kind.Values);
    public static readonly ThroughputColumn MegaBytes = new(Kind.MegaBytes);
    public static readonly ThroughputColumn Goal = new(Kind.Goal);

    private readonly Kind _kind;

    private ThroughputColumn(Kind kind) => _kind = kind;

    private enum Kind
    {
        Rows,
        Values,
        MegaBytes,
        Goal,
    }

    public string Id => "Tem.Throughput." + _kind;

    public string ColumnName => _kind switch
    {
        Kind.Rows => "rows/s",
        Kind.Values => "values/s",
        Kind.MegaBytes => "MB/s",
        _ => "Goal",
    };

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)_kind;

    public bool IsNumeric => _kind != Kind.Goal;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _kind switch
    {
        Kind.Rows => "Rows per second (M = 10^6): rows of one operation / mean time",
        Kind.Values => "Column values per second (M = 10^6): rows x columns / mean time",
        Kind.MegaBytes => "Column payload in MB (10^6 bytes) per second: rows x payload bytes per row / mean time",
        _ => "Throughput target of the issue, and whether the mean met it",
    };

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var throughput = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ThroughputAttribute>();
        if (throughput is null)
        {
            return "-";
        }

        if (_kind == Kind.Goal && throughput.GoalRowsPerSecond <= 0 && throughput.GoalValuesPerSecond <= 0)
        {
            return "-";
        }

        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var rowsValue = benchmarkCase.Parameters[throughput.RowsParameter];
        if (meanNanoseconds is not > 0 || rowsValue is null)
        {
            return "NA";
        }

        var rowsPerSecond = Convert.ToDouble(rowsValue, CultureInfo.InvariantCulture) / (meanNanoseconds.Value / 1e9);
        var valuesPerSecond = rowsPerSecond * throughput.ValuesPerRow;
        return _kind switch
        {
            Kind.Rows => Millions(rowsPerSecond),
            Kind.Values => Millions(valuesPerSecond),
            Kind.MegaBytes => (rowsPerSecond * throughput.PayloadBytesPerRow / 1e6).ToString("N1", CultureInfo.InvariantCulture),
            _ => GoalText(throughput, rowsPerSecond, valuesPerSecond),
        };
    }

    public override string ToString() => ColumnName;

    private static string Millions(double perSecond) =>
        (perSecond / 1e6).ToString("N2", CultureInfo.InvariantCulture) + " M";

    private static string GoalText(ThroughputAttribute throughput, double rowsPerSecond, double valuesPerSecond)
    {
        var parts = new List<string>(2);
        if (throughput.GoalRowsPerSecond > 0)
        {
            parts.Add(Verdict(rowsPerSecond, throughput.GoalRowsPerSecond, "rows/s"));
        }

        if (throughput.GoalValuesPerSecond > 0)
        {
            parts.Add(Verdict(valuesPerSecond, throughput.GoalValuesPerSecond, "values/s"));
        }

        return string.Join("; ", parts);
    }

    private static string Verdict(double actual, double goal, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $">= {goal / 1e6:0.##} M {unit}: {(actual >= goal ? "met" : "MISSED")}");
}
