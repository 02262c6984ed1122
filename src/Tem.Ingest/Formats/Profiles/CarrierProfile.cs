using System.Text;
using System.Text.Json;
using Tem.Core;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Formats.Profiles;

/// <summary>
/// A carrier profile: a declarative JSON file that maps a foreign CSV layout (a carrier's own export) onto a
/// canonical kind: header recognition, separator and encoding, rows to skip, column renames and joins, constants,
/// date/time formats with a time zone, number conventions (decimal comma, thousands separators, credits sent as
/// positive amounts), value maps, durations, templates and exact arithmetic, and routes that choose the rules by
/// another column's value (one <c>duration</c> column holding seconds, MB or a count by <c>item</c>). Loading is strict: an unknown property, a wrong type or a mapping
/// the kind cannot take is an <see cref="InputDataException"/> naming the file and the JSON path.
/// </summary>
public sealed partial class CarrierProfile
{
    internal CarrierProfile(string source, string name, Layout layout)
    {
        Source = source;
        Name = name;
        Layout = layout;
    }

    /// <summary>The profile file as the user named it (for messages).</summary>
    public string Source { get; }

    /// <summary>The profile's name, e.g. <c>Vodafone UK itemised calls</c>.</summary>
    public string Name { get; }

    /// <summary>What the profile reads, for people.</summary>
    public string? Description { get; internal set; }

    /// <summary>The canonical layout the rows are translated into.</summary>
    public Layout Layout { get; }

    /// <summary>Field separator of the CSV.</summary>
    public byte Separator { get; internal set; } = (byte)',';

    /// <summary>Text encoding of the file; null for UTF-8.</summary>
    public Encoding? Encoding { get; internal set; }

    /// <summary>Physical lines before the header (report titles), skipped.</summary>
    public int LeadingLines { get; internal set; }

    /// <summary>Rows at the end of the file (totals, footers), skipped.</summary>
    public int TrailingRows { get; internal set; }

    /// <summary>Rows skipped wherever they are (subtotals...).</summary>
    public IReadOnlyList<SkipRule> SkipRows { get; internal set; } = [];

    /// <summary>Header names (case-insensitive) that must all be present for a file to be recognised as this profile's.</summary>
    public IReadOnlyList<string> DetectHeaders { get; internal set; } = [];

    /// <summary>One rule per layout field, in layout order; null for a field the profile leaves empty.</summary>
    public IReadOnlyList<FieldRule?> Fields { get; internal set; } = [];

    /// <summary>
    /// Conditional routing (<c>routes</c>), in order; empty when every row is translated with <see cref="Fields"/>.
    /// A row no route takes is rejected (<c>bad_enum</c>) at the first route's first condition column.
    /// </summary>
    public IReadOnlyList<ProfileRoute> Routes { get; internal set; } = [];

    /// <summary>The profile-wide number conventions (separators, stripped characters), for numeric route conditions.</summary>
    internal FieldRule NumberRule { get; set; } = new(new FieldSpec("$", FieldType.Quantity));

    /// <summary>Loads profiles from files and folders (every <c>*.json</c> in a folder, sorted).</summary>
    /// <exception cref="InputDataException">A profile is malformed; the message names the file and the JSON path.</exception>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public static IReadOnlyList<CarrierProfile> LoadAll(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = new List<CarrierProfile>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                list.AddRange(Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal).Select(Load));
            }
            else if (File.Exists(path))
            {
                list.Add(Load(path));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such profile file or folder.", path);
            }
        }

        return list;
    }

    /// <summary>Loads one profile file.</summary>
    /// <exception cref="InputDataException">The profile is malformed; the message names the file and the JSON path.</exception>
    public static CarrierProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses a profile from its JSON text.</summary>
    /// <param name="json">UTF-8 JSON; comments and trailing commas are allowed.</param>
    /// <param name="source">The file name to put in messages.</param>
    /// <exception cref="InputDataException">The profile is malformed; the message names the file and the JSON path.</exception>
    public static CarrierProfile Parse(ReadOnlySpan<byte> json, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and > 0 ? p
                : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new InputDataException(
                new SourceLocation(source, (e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1),
                "is not valid JSON: " + (cut > 0 ? message[..cut] : message), hint: "a profile is one JSON object; comments and trailing commas are allowed");
        }

        using (document)
        {
            return ProfileJson.Build(new JsonWalker(source), document.RootElement);
        }
    }
}
