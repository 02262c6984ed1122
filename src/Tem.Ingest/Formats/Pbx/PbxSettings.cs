using System.Text.Json;

namespace Tem.Ingest.Formats;

/// <summary>
/// Where a PBX file's settings come from: the command line (<see cref="IngestOptions.PbxName"/>,
/// <see cref="IngestOptions.PbxTimeZone"/>) first, then a <c>tem-pbx.json</c> in the file's folder, e.g.
/// <c>{"pbx": "hq-asterisk", "time_zone": "Europe/London"}</c>, so that a nightly inbox needs no options.
/// </summary>
/// <param name="Name">The PBX's name stored with each call; null when none is configured.</param>
/// <param name="TimeZone">The IANA zone of its local times; null when none is configured.</param>
/// <param name="Problem">Why the settings file could not be used, or null.</param>
public sealed record PbxSettings(string? Name, string? TimeZone, string? Problem)
{
    /// <summary>
    /// The FreeSWITCH <c>mod_cdr_csv</c> template the PBX writes with (<c>"freeswitch_template"</c>): either the
    /// template text as <c>cdr_csv.conf.xml</c> declares it (<c>"${caller_id_name}","${caller_id_number}",...</c>) or
    /// the name of one of FreeSWITCH's own templates (<c>default</c>, <c>example</c>...); null when none is declared.
    /// </summary>
    public string? FreeSwitchTemplate { get; init; }

    /// <summary>
    /// Asterisk <c>cdr_custom</c>: the mapping the PBX writes its file with, as <c>cdr_custom.conf</c> declares it
    /// (<c>Master.csv => ${CSV_QUOTE(${CDR(clid)})},...</c>, or an advanced mapping's <c>fields = clid, src, ...</c> list);
    /// null when none is declared (Asterisk's default mapping is recognised by its shape).
    /// </summary>
    public string? CdrCustom { get; init; }

    /// <summary>The encoding of text fields that are not UTF-8 (<c>"text_encoding"</c>, e.g. <c>iso-8859-1</c>); null = the default.</summary>
    public string? TextEncoding { get; init; }

    /// <summary>The settings file's name.</summary>
    public const string FileName = "tem-pbx.json";

    /// <summary>Whether a path is a PBX settings file (not data: the ingest walks past it).</summary>
    public static bool IsSettingsFile(string path) =>
        string.Equals(Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The settings for a PBX file: options first, then its folder's <c>tem-pbx.json</c>.</summary>
    public static PbxSettings For(string path, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var file = Path.Combine(folder, FileName);
        string? name = null, zone = null, problem = null, freeSwitch = null, custom = null, encoding = null;
        if (File.Exists(file))
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(file));
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    problem = $"{FileName} is not a JSON object; expected e.g. {{\"pbx\": \"hq\", \"time_zone\": \"Europe/London\"}}";
                }
                else
                {
                    name = Text(json.RootElement, "pbx", ref problem);
                    zone = Text(json.RootElement, "time_zone", ref problem);
                    freeSwitch = Text(json.RootElement, "freeswitch_template", ref problem);
                    custom = Text(json.RootElement, "cdr_custom", ref problem);
                    encoding = Text(json.RootElement, "text_encoding", ref problem);
                }
            }
            catch (JsonException e)
            {
                problem = $"{FileName} is not valid JSON ({e.Message})";
            }
        }

        encoding = options.TextEncoding ?? encoding;
        if (encoding is not null && Csv.TextFallback.Resolve(encoding) is null)
        {
            problem ??= $"the text encoding '{encoding}' is not one .NET knows; expected e.g. windows-1252, iso-8859-1 or iso-8859-15";
        }

        return new PbxSettings(options.PbxName ?? name, options.PbxTimeZone ?? zone, problem) { FreeSwitchTemplate = freeSwitch, CdrCustom = custom, TextEncoding = encoding };
    }

    private static string? Text(JsonElement root, string property, ref string? problem)
    {
        if (!root.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            problem ??= $"{FileName}: \"{property}\" must be a non-empty string";
            return null;
        }

        return value.GetString()!.Trim();
    }
}
