using System.Text;
using Tem.Ingest.Csv;

namespace Tem.Ingest.Formats.Profiles;

// Header matching: whether a file is this profile's (ProfileFormat claims a file for the first profile that matches).
public sealed partial class CarrierProfile
{
    /// <summary>Whether the header (names trimmed, case-insensitive) has every <see cref="DetectHeaders"/> column.</summary>
    public bool MatchesHeader(IEnumerable<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var names = new HashSet<string>(header.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        return DetectHeaders.All(names.Contains);
    }

    /// <summary>
    /// Whether a file's first bytes are this profile's: decoded with the profile's encoding, past its leading lines,
    /// the header row (split with its separator, quotes honoured) has every <see cref="DetectHeaders"/> column.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> head)
    {
        var bytes = Encoding is null ? head : Encoding.UTF8.GetBytes(Encoding.GetString(head));
        for (var skipped = 0; skipped < LeadingLines; skipped++)
        {
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                return false;
            }

            bytes = bytes[(end + 1)..];
        }

        using var reader = new CsvRecordReader(new MemoryStream(bytes.ToArray()), firstLine: 1, length: long.MaxValue, separator: Separator);
        if (!reader.Read() || reader.Problem != RecordProblem.None)
        {
            return false;
        }

        return MatchesHeader(Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader.Field(i))));
    }
}
