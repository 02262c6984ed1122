namespace Tem.Ingest.Tests.Lake;

// rates.csv with and without the optional rating columns of formats.md "Rating" (from_second, band_split, rounding,
// rounding_decimals). The files are written here from that layout.
public sealed class RatesDeckColumnsTests
{
    private const string OldHeader =
        "rate_plan_id,prefix,destination,time_band,rate_per_minute,connect_fee,initial_increment_s,subsequent_increment_s,effective_from,effective_to";

    [Fact]
    public void Ingest_RatesWithGroupAndDeckSettings_StoresEveryColumn()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("rates.csv", OldHeader + ",from_second,band_split,rounding,rounding_decimals\n" +
            "D1,33,France,any,0.6000,0.0500,60,60,2026-01-01,,,true,up,2\n" +
            "D1,33,France,any,0.3000,0,1,1,2026-01-01,,60,,,\n" +
            "D1,44,United Kingdom,peak,0.1000,0,60,60,2026-01-01,,0,,UP,\n");

        var report = lake.Ingest(path);

        Assert.Equal((3L, 3L, 0L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        Assert.Equal(1, lake.Count("rates", "from_second = 60 AND rate_per_minute = 0.3"));
        Assert.Equal(2, lake.Count("rates", "coalesce(from_second, 0) = 0"));
        Assert.Equal(1, lake.Count("rates", "band_split AND rounding_decimals = 2"));
        Assert.Equal(2, lake.Count("rates", "rounding = 'up'"));
    }

    [Fact]
    public void Ingest_RatesWithoutTheOptionalColumns_StoresThemAsNull()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("rates.csv", OldHeader + "\nD1,44,United Kingdom,any,0.1000,0,60,60,2026-01-01,\n");

        var report = lake.Ingest(path);

        Assert.Equal(1, report.RowsStored);
        Assert.Equal(1, lake.Count("rates", "from_second IS NULL AND band_split IS NULL AND rounding IS NULL AND rounding_decimals IS NULL"));
    }

    [Fact]
    public void Ingest_RatesWithUnknownRoundingOrNegativeFromSecond_RejectsThoseRowsWithLineAndColumn()
    {
        using var lake = new ScratchLake();
        var path = lake.Write("rates.csv", OldHeader + ",from_second,rounding\n" +
            "D1,44,United Kingdom,any,0.1000,0,60,60,2026-01-01,,0,sideways\n" +
            "D1,44,United Kingdom,any,0.0500,0,1,1,2026-01-01,,-5,\n" +
            "D1,33,France,any,0.0500,0,1,1,2026-01-01,,0,middle\n");

        var report = lake.Ingest(path);

        Assert.Equal((3L, 1L, 2L), (report.RowsRead, report.RowsStored, report.RowsRejected));
        var rejects = lake.Rejects();
        Assert.Equal((2L, 12, "rounding", "bad_enum"), (rejects[0].Line, rejects[0].Column, rejects[0].ColumnName, rejects[0].Reason));
        Assert.Equal((3L, 11, "from_second", "negative_value"), (rejects[1].Line, rejects[1].Column, rejects[1].ColumnName, rejects[1].Reason));
    }
}
