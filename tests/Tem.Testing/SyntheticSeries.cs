using System.Globalization;
using System.Text;

namespace Tem.Testing;

/// <summary>A labeled daily series: values, labels and the date of the first point.</summary>
public sealed record LabeledDays(DateOnly Start, double[] Values, bool[] Labels)
{
    /// <summary>The series as the CSV that <c>tem eval-anomaly</c> reads.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder("timestamp,value,label\n");
        for (var i = 0; i < Values.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Start.AddDays(i):yyyy-MM-dd},{Values[i]:0.00},{(Labels[i] ? 1 : 0)}\n");
        }

        return text.ToString();
    }
}

/// <summary>Seeded daily series with a weekly pattern (busy weekdays, quiet weekends), for the detector tests.</summary>
public static class SyntheticSeries
{
    /// <summary>
    /// Daily values from <paramref name="start"/>: <paramref name="weekday"/> on Monday to Friday, <paramref name="weekend"/>
    /// on Saturday and Sunday, each times (1 ± <paramref name="noise"/>) uniformly, rounded to cents.
    /// </summary>
    public static double[] Weekly(DateOnly start, int days, int seed, double weekday = 40, double weekend = 6, double noise = 0.15)
    {
        var rng = new Random(seed);
        var values = new double[days];
        for (var i = 0; i < days; i++)
        {
            var level = IsWeekend(start.AddDays(i)) ? weekend : weekday;
            values[i] = Math.Round(level * (1 + (noise * ((2 * rng.NextDouble()) - 1))), 2);
        }

        return values;
    }

    /// <summary>Public holidays of the example year (US, as a New York account sees them): quiet like a Sunday.</summary>
    public static readonly DateOnly[] Holidays2026 =
    [
        new(2026, 1, 1), new(2026, 1, 19), new(2026, 5, 25), new(2026, 7, 3), new(2026, 9, 7), new(2026, 11, 26), new(2026, 11, 27),
    ];

    /// <summary>True on Saturday and Sunday.</summary>
    public static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>
    /// The example labeled series shipped for <c>tem eval-anomaly</c> (tests/Tem.Audit.Tests/Anomaly/Fixtures/labeled-daily-spend.csv):
    /// 2026-01-01 to 2026-12-20 of a SIP trunk's daily usage spend with holidays (quiet like a Sunday; not anomalies, not
    /// labeled) and seven labeled events: three single-day spikes, a toll-fraud night on a Saturday, a one-month campaign
    /// (a temporary level shift), a three-day outage (a dip) and a lasting increase over the last three weeks.
    /// </summary>
    public static LabeledDays ExampleDailySpend()
    {
        var start = new DateOnly(2026, 1, 1);
        var values = Weekly(start, new DateOnly(2026, 12, 20).DayNumber - start.DayNumber + 1, seed: 2026);
        var labels = new bool[values.Length];
        int At(int month, int day) => new DateOnly(2026, month, day).DayNumber - start.DayNumber;
        void Label(int from, int to)
        {
            for (var i = from; i <= to; i++)
            {
                labels[i] = true;
            }
        }

        foreach (var h in Holidays2026)
        {
            values[At(h.Month, h.Day)] = Math.Round(values[At(h.Month, h.Day)] * 6 / 40, 2);
        }

        values[At(3, 11)] *= 4;
        Label(At(3, 11), At(3, 11));
        values[At(4, 18)] += 600;
        Label(At(4, 18), At(4, 18));
        for (var i = At(6, 1); i <= At(6, 30); i++)
        {
            values[i] *= 1.8;
        }

        Label(At(6, 1), At(6, 30));
        values[At(8, 19)] *= 3;
        Label(At(8, 19), At(8, 19));
        for (var i = At(10, 13); i <= At(10, 15); i++)
        {
            values[i] = 0;
        }

        Label(At(10, 13), At(10, 15));
        values[At(11, 5)] *= 2.5;
        Label(At(11, 5), At(11, 5));
        for (var i = At(11, 30); i < values.Length; i++)
        {
            values[i] *= 1.5;
        }

        Label(At(11, 30), values.Length - 1);
        return new LabeledDays(start, [.. values.Select(v => Math.Round(v, 2))], labels);
    }
}
