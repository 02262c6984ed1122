using System.Globalization;
using CsvHelper;

namespace Tem.Core;

/// <summary>
/// The one CSV dialect of every file Tem writes (<c>findings.csv</c>, the dispute pack, the margin and contingency
/// reports, the sample data): UTF-8 without a byte order mark, comma separated, <c>\n</c> line ends, a field quoted only
/// when it holds a comma, a quote or a line break (quotes doubled, RFC 4180), numbers and dates formatted with the
/// invariant culture. Writers get it here rather than configuring CsvHelper each on their own, so the files cannot
/// drift apart; the bytes depend on nothing but the values.
/// </summary>
public static class TemCsv
{
    /// <summary>The writer options of the dialect (a new instance each call: callers may not share a mutable one).</summary>
    /// <returns>The options.</returns>
    public static CsvWriterOptions WriterOptions() => new() { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };

    /// <summary>A writer of the dialect over <paramref name="stream"/>, which it writes UTF-8 to and closes when disposed.</summary>
    /// <param name="stream">The destination.</param>
    /// <returns>The writer, at the start of the first record.</returns>
    public static CsvWriter Create(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return CsvWriter.Create(stream, WriterOptions(), leaveOpen: false);
    }

    /// <summary>Writes a header (or any record of text fields) and ends the record.</summary>
    /// <param name="csv">The writer.</param>
    /// <param name="names">The column names, in order.</param>
    public static void WriteHeader(CsvWriter csv, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            csv.WriteField(name);
        }

        csv.EndRecord();
    }
}
