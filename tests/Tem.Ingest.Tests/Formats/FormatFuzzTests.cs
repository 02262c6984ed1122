using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tem.Ingest.Tests.Formats.Edi;
using Tem.Ingest.Tests.Formats.Profiles;

namespace Tem.Ingest.Tests.Formats;

/// <summary>Seeded single-byte mutations of the hand-written fixtures: the readers never throw, and what they accept adds up.</summary>
public sealed partial class FormatFuzzTests
{
    private static readonly byte[] Interesting = "*~|:^>\n\r0123456789.-,;\"AEST "u8.ToArray();

    private static byte[] Mutate(byte[] original, Random random)
    {
        var list = original.ToList();
        ByteMutation.MutateOnce(list, random, Interesting);

        return [.. list];
    }

    [GeneratedRegex(@"TDS\*(-?\d+)~")]
    private static partial Regex TdsTotal();

    [Fact]
    public void Edi811Reader_MutatedInterchange_NeverThrowsAndAnAcceptedInvoiceAddsUpToItsTds()
    {
        var original = File.ReadAllBytes(EdiTestFiles.Path("acme-004010.edi"));
        var random = new Random(4_811);
        var accepted = 0;
        for (var i = 0; i < 1500; i++)
        {
            var bytes = Mutate(original, random);
            var (lines, problem) = EdiTestFiles.Read(bytes);
            if (problem is not null || lines.Any(l => l.Reject is not null))
            {
                continue;
            }

            // Read independently of the reader: the total the mutated file states.
            accepted++;
            // Line breaks inside a segment are wrapping, not data (X12 files are often wrapped at 80 columns).
            var tds = TdsTotal().Match(Encoding.Latin1.GetString(bytes).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
            Assert.True(tds.Success, Encoding.Latin1.GetString(bytes));
            var total = decimal.Parse(tds.Groups[1].Value, CultureInfo.InvariantCulture) / 100m;
            Assert.Equal(total, Math.Round(lines.Sum(l => decimal.Parse(l["amount"], CultureInfo.InvariantCulture)), 2, MidpointRounding.AwayFromZero));
        }

        // Many mutations fall in text (names, descriptions, padding) and are rightly accepted.
        Assert.InRange(accepted, 100, 1400);
    }

    [Fact]
    public void ProfileReader_MutatedExport_NeverThrowsAndAcceptedRowsHaveCanonicalNumbers()
    {
        var profile = ProfileTestFiles.Load(ProfileTestFiles.Lakeshore);
        var original = File.ReadAllBytes(ProfileTestFiles.Shipped(ProfileTestFiles.LakeshoreSample));
        var random = new Random(1_252);
        for (var i = 0; i < 1500; i++)
        {
            var (rows, skipped, problem) = ProfileTestFiles.Read(profile, Mutate(original, random));
            if (problem is not null)
            {
                Assert.Empty(rows);
                continue;
            }

            Assert.InRange(skipped, 0, 8);
            foreach (var row in rows.Where(r => r.Reject is null))
            {
                Assert.True(decimal.TryParse(row["amount"], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _), row["amount"]);
                Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", row["invoice_date"]);
            }
        }
    }
}
