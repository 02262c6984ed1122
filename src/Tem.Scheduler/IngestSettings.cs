using System.Text.Json;
using Tem.Core;
using Tem.Ingest;
using Tem.Ingest.Formats.Edi;
using Tem.Ingest.Formats.Profiles;

namespace Tem.Scheduler;

/// <summary>
/// The format settings of an ingest as plain values: what <c>tem ingest</c>, <c>tem run</c> and <c>tem schedule</c>
/// take as options and a scheduler pipeline as its <c>ingest</c> section. <see cref="Validate"/> checks the values,
/// <see cref="ToOptions"/> loads the carrier profiles and builds the <see cref="IngestOptions"/>.
/// </summary>
public sealed record IngestSettings
{
    private static readonly JsonSerializerOptions JobDataJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>IANA time zone of the PBX's local times (Asterisk cdr_csv and cdr_custom, FreeSWITCH CSV); beats <c>tem-pbx.json</c> next to the file.</summary>
    public string? PbxTimeZone { get; init; }

    /// <summary>Name stored with PBX call records (<c>pbx_calls.pbx</c>); beats <c>tem-pbx.json</c> next to the file.</summary>
    public string? PbxName { get; init; }

    /// <summary>
    /// Encoding of text fields that are not UTF-8 (e.g. <c>iso-8859-15</c>; default windows-1252), for every CSV reader;
    /// beats <c>"text_encoding"</c> in <c>tem-pbx.json</c> next to a PBX's files.
    /// </summary>
    public string? TextEncoding { get; init; }

    /// <summary>Carrier profile files (JSON) or folders of them; in a configuration file, relative to the file.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Carrier name stored with EDI 811 lines (default: the invoice's issuer N1, else GS02, else ISA06).</summary>
    public string? EdiCarrier { get; init; }

    /// <summary>Currency of EDI 811 invoices without a CUR segment (ISO 4217; default USD).</summary>
    public string? EdiCurrency { get; init; }

    /// <summary>A carrier's EDI charge codes (IT1/SLN product id, SAC02) mapped to charge types, e.g. <c>BASIC</c> to <c>recurring</c>.</summary>
    public IReadOnlyDictionary<string, string> EdiChargeCodes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Checks the values without touching files. Each problem names the setting by its configuration name
    /// (<c>pbxTimeZone</c>, <c>textEncoding</c>, <c>ediCurrency</c>, <c>ediChargeCodes</c>) and says what was expected, so a caller can
    /// word it as an option or a configuration key.
    /// </summary>
    public IReadOnlyList<(string Setting, string Message)> Validate()
    {
        var problems = new List<(string, string)>();
        if (PbxTimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(PbxTimeZone, out _))
        {
            problems.Add(("pbxTimeZone", $"'{PbxTimeZone}' is not a time zone the tz database knows; expected an IANA name such as Europe/London or America/New_York"));
        }

        if (TextEncoding is not null && Tem.Ingest.Csv.TextFallback.Resolve(TextEncoding) is null)
        {
            problems.Add(("textEncoding", $"'{TextEncoding}' is not an encoding .NET knows; expected e.g. windows-1252, iso-8859-1 or iso-8859-15"));
        }

        if (EdiCurrency is not null && !(EdiCurrency.Length == 3 && EdiCurrency.All(char.IsAsciiLetter)))
        {
            problems.Add(("ediCurrency", $"'{EdiCurrency}' is not an ISO 4217 code; expected three letters, e.g. USD"));
        }

        foreach (var (code, type) in EdiChargeCodes)
        {
            if (string.IsNullOrWhiteSpace(code) || !WireNames.TryParse<ChargeType>(type, out _))
            {
                problems.Add(("ediChargeCodes", $"'{code}' maps to '{type}', which is not a charge type; expected {WireNames.Expected<ChargeType>()}, e.g. BASIC=recurring"));
            }
        }

        return problems;
    }

    /// <summary>Loads the carrier profiles and builds the ingest options (call <see cref="Validate"/> first).</summary>
    /// <exception cref="InputDataException">A profile is not a valid carrier profile.</exception>
    /// <exception cref="IOException">A profile file or folder is missing or unreadable.</exception>
    public IngestOptions ToOptions() => new()
    {
        PbxTimeZone = PbxTimeZone,
        PbxName = PbxName,
        TextEncoding = TextEncoding,
        Profiles = CarrierProfile.LoadAll(Profiles),
        Edi811 = new Edi811Options
        {
            Carrier = EdiCarrier,
            DefaultCurrency = (EdiCurrency ?? "USD").ToUpperInvariant(),
            ChargeCodes = EdiChargeCodes.ToDictionary(c => c.Key.Trim(), c => c.Value.Trim().ToLowerInvariant(), StringComparer.OrdinalIgnoreCase),
        },
    };

    /// <summary>Whether every setting is left at its default (a pipeline without an <c>ingest</c> section).</summary>
    internal bool IsEmpty => PbxTimeZone is null && PbxName is null && TextEncoding is null && Profiles.Count == 0 && EdiCarrier is null && EdiCurrency is null && EdiChargeCodes.Count == 0;

    /// <summary>The settings as a job data string (the job store keeps job data as strings).</summary>
    internal string ToJobData() => JsonSerializer.Serialize(this, JobDataJson);

    /// <summary>Reads <see cref="ToJobData"/>'s string back.</summary>
    internal static IngestSettings FromJobData(string json) => JsonSerializer.Deserialize<IngestSettings>(json, JobDataJson) ?? new IngestSettings();
}
