using System.Text;

namespace Tem.Core.Tests;

// The wire names of the typed states are stored in the catalog and the lake: these pin them, and the CSV dialect's bytes.
public class TypedStateTests
{
    [Fact]
    public void SettableNames_SetStatus_ListsEachSettableStatusThenItsOlderNames()
    {
        Assert.Equal(["open", "submitted", "disputed", "credited", "recovered", "rejected", "closed"], FindingStatuses.SettableNames);
    }

    [Fact]
    public void SettableNames_EachName_ParsesToASettableStatus()
    {
        Assert.All(FindingStatuses.SettableNames, n => Assert.True(FindingStatuses.IsSettable(FindingStatuses.Parse(n))));
    }

    [Theory]
    [InlineData(FindingStatus.PartiallyCredited)]
    [InlineData(FindingStatus.Confirmed)]
    [InlineData(FindingStatus.Resolved)]
    public void IsSettable_AmountOrBillsStatus_IsFalse(FindingStatus status)
    {
        Assert.False(FindingStatuses.IsSettable(status));
    }

    [Fact]
    public void DisputeEventKind_WireNames_AreTheStoredEvents()
    {
        Assert.Equal(["submitted", "credit", "rejected", "closed", "reopened", "confirmed", "carried_over"], WireNames.All<DisputeEventKind>());
    }

    [Fact]
    public void DisputeSource_WireNames_AreTheStoredSources()
    {
        Assert.Equal(["user", "bills", "log", "audit"], WireNames.All<DisputeSource>());
    }

    [Fact]
    public void Create_FieldsNeedingQuotes_WritesRfc4180WithLfAndNoBom()
    {
        using var stream = new MemoryStream();
        using (var csv = TemCsv.Create(stream))
        {
            TemCsv.WriteHeader(csv, ["a", "b", "c"]);
            csv.WriteField("x,y");
            csv.WriteField("say \"hi\"");
            csv.WriteField((string?)null);
            csv.EndRecord();
            csv.WriteField("line\nbreak");
            csv.WriteField(string.Empty);
            csv.WriteField("é");
            csv.EndRecord();
        }

        Assert.Equal("a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\n\"line\nbreak\",,é\n", Encoding.UTF8.GetString(stream.ToArray()));
        Assert.NotEqual(0xEF, stream.ToArray()[0]);
    }

    [Fact]
    public void ToFile_ExistingLongerFile_IsReplacedNotOverwrittenInPlace()
    {
        // findings.csv and the sample files are rewritten in place: a shorter new file must not keep the old tail.
        var path = Path.Combine(Path.GetTempPath(), "tem-temcsv-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            File.WriteAllText(path, new string('x', 1000));
            using (var csv = CsvHelper.CsvWriter.ToFile(path, TemCsv.WriterOptions()))
            {
                TemCsv.WriteHeader(csv, ["a"]);
            }

            Assert.Equal("a\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
