using Tem.Core;

namespace Tem.SampleData;

/// <summary>
/// Generates a realistic, consistent sample data set in the canonical layouts of formats.md: a channel of parties,
/// three carriers billing in USD, GBP and EUR, accounts in five IANA time zones, mobile lines, rated voice lines and
/// SIP trunks, circuits and internet access, their invoices, usage, credits owed, resale and an upgrade proposal;
/// with at least one planted instance of every deterministic audit rule and material for the anomaly models, listed
/// in <c>answer_key.csv</c>.
/// </summary>
/// <remarks>
/// Output is a pure function of <see cref="SampleDataOptions"/>: no clock, no culture, no machine state, so the same
/// options give byte-identical files. CSV files are UTF-8 without BOM, comma-separated with RFC 4180 quoting, <c>\n</c>
/// line ends, a header row with the canonical column names; money has 2 to 4 decimals in the account's currency,
/// voice records are billed at their contract price rounded half away from zero to 4 places (except the planted
/// overcharges), timestamps are ISO 8601 with the account zone's offset, dates <c>YYYY-MM-DD</c>.
/// Usage is streamed to disk account by account, so millions of usage rows need no more memory than one account.
/// </remarks>
public static class SampleDataGenerator
{
    /// <summary>
    /// Writes <c>parties.csv</c>, <c>accounts.csv</c>, <c>services.csv</c>, <c>plans.csv</c>, <c>rates.csv</c>,
    /// <c>invoices.csv</c>, <c>usage.csv</c>, <c>credits_due.csv</c>, <c>resale.csv</c>, <c>upgrade.csv</c>,
    /// <c>disputes.csv</c>, <c>answer_key.csv</c>, <c>answer_key_money.csv</c>, <c>README.md</c> and <c>logos/harbor-connect.svg</c> into <paramref name="outDir"/>,
    /// creating it if needed and overwriting those files.
    /// </summary>
    /// <param name="options">Size, months and seed.</param>
    /// <param name="outDir">The folder to write.</param>
    /// <param name="keyDir">
    /// Where the files that are not inputs go (<c>answer_key.csv</c>, <c>answer_key_money.csv</c>, <c>README.md</c>);
    /// <paramref name="outDir"/> when null. <c>tem demo</c> puts them beside its inbox, so that the inbox holds only what
    /// a run reads.
    /// </param>
    /// <returns>Row counts per file and the number of planted findings.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="outDir"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="SampleDataOptions.Validate"/>).</exception>
    /// <exception cref="IOException">The folder or a file cannot be written.</exception>
    public static SampleDataSummary Generate(SampleDataOptions options, string outDir, string? keyDir = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        options.Validate();

        var full = Path.GetFullPath(outDir);
        Directory.CreateDirectory(full);
        var keys = keyDir is null ? full : Path.GetFullPath(keyDir);
        Directory.CreateDirectory(keys);
        var world = WorldBuilder.Build(options);
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        SampleFiles.WriteReference(world, full, rows);
        var runRates = new Dictionary<ServiceDef, decimal>();
        var answers = SampleFiles.WriteActivity(world, full, rows, runRates);
        SampleFiles.WriteAnswerKey(answers, keys, rows);
        MoneyFiles.WriteUpgradeDisputesAndMoneyKey(world, answers, runRates, full, keys, rows);
        SampleFiles.WriteLogo(full);
        SampleReadme.Write(world, answers, rows, keys);
        return new SampleDataSummary(full, rows, answers.Count);
    }

    /// <summary>The rules with at least one planted finding in every generated set, in the order of audit.md.</summary>
    public static IReadOnlyList<string> PlantedRules => Answers.Rules;
}
