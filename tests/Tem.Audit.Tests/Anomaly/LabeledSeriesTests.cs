using System.Text;
using Tem.Audit.Anomaly;
using Tem.Core;

namespace Tem.Audit.Tests.Anomaly;

public sealed class LabeledSeriesTests
{
    private static LabeledSeries Parse(string text) => LabeledSeries.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text)), "series.csv");

    private static string Error(string text) => Assert.Throws<InputDataException>(() => Parse(text)).Message;

    [Fact]
    public void Parse_HeaderInAnyOrderWithExtraColumns_ReadsEveryPoint()
    {
        var s = Parse("Label,note,TIMESTAMP,value\n0,x,2026-01-01,1.5\n1,\"a, b\",2026-01-02,-2e3\r\n0,,2026-01-03T00:00:00Z,0\n");

        Assert.Equal([1.5, -2000, 0], s.Values);
        Assert.Equal([false, true, false], s.Labels);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), s.Timestamps[1]);
    }

    [Theory]
    [InlineData("timestamp,value,label\n2026-01-01,1,0\n2026-01-02,\"1,5\",0\n", "series.csv:3:2: value: '1,5' is not a number, expected a finite number with '.' as the decimal point, e.g. 12.5 (hint: ',' is not a decimal point here)")]
    [InlineData("timestamp,value,label\n2026-01-01,1,2\n", "series.csv:2:3: label: '2' is not a label, expected 0 (normal) or 1 (anomalous)")]
    [InlineData("timestamp,value,label\n2026-13-01,1,0\n", "series.csv:2:1: timestamp: '2026-13-01' is not a timestamp")]
    [InlineData("timestamp,value,label\n2026-01-01,NaN,0\n", "series.csv:2:2: value: 'NaN' is not a number")]
    [InlineData("timestamp,value\n2026-01-01,1\n", "series.csv:1: the header has no 'label' column (timestamp,value)")]
    [InlineData("timestamp,value,label\n2026-01-01,1\n", "series.csv:2: 2 fields, expected 3 as in the header")]
    [InlineData("timestamp,value,label\n", "series.csv:2: no data rows after the header")]
    [InlineData("", "series.csv:1: the file is empty")]
    public void Parse_BadInput_NamesFileLineAndColumn(string text, string message) =>
        Assert.StartsWith(message, Error(text), StringComparison.Ordinal);

    [Fact]
    public void Parse_RowsOutOfOrder_AreSortedAndCounted()
    {
        var s = Parse("timestamp,value,label\n2026-01-02,2,0\n2026-01-01,1,1\n2026-01-03,3,0\n");

        Assert.Equal([1.0, 2, 3], s.Values);
        Assert.Equal([true, false, false], s.Labels);
        Assert.Equal(1, s.Preparation.OutOfOrderRows);
    }

    [Theory]
    [InlineData("2026-01-01", "2026-01-02", "2026-01-03", 86400)]
    [InlineData("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", 3600)]
    [InlineData("2026-01-01 00:00:00", "2026-01-01 00:05:00", "2026-01-01 00:10:00", 300)]
    public void Parse_Spacing_IsTheMedianGap(string a, string b, string c, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Parse($"timestamp,value,label\n{a},1,0\n{b},2,0\n{c},3,0\n").Preparation.Spacing);
}
