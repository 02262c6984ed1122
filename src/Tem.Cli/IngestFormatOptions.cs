using System.CommandLine;
using Tem.Core;
using Tem.Ingest;
using Tem.Scheduler;

namespace Tem.Cli;

/// <summary>
/// The options that say how inputs are read where the files leave a choice (PBX zone and name, carrier profiles,
/// EDI 811 carrier, currency and charge codes), shared by <c>tem ingest</c>, <c>tem run</c> and <c>tem schedule</c>.
/// </summary>
internal sealed class IngestFormatOptions
{
    private readonly Option<string?> _pbxZone = new("--pbx-time-zone")
    {
        Description = "IANA time zone of the PBX's local times (Asterisk cdr_csv/cdr_custom, FreeSWITCH CSV), e.g. Europe/London; beats tem-pbx.json next to the file.",
    };

    private readonly Option<string?> _pbxName = new("--pbx-name") { Description = "Name stored with PBX call records (pbx_calls.pbx); beats tem-pbx.json next to the file." };

    private readonly Option<string?> _textEncoding = new("--text-encoding")
    {
        Description = "Encoding of text fields that are not UTF-8 (names, descriptions), e.g. iso-8859-15; default windows-1252; beats tem-pbx.json.",
    };

    private readonly Option<string[]> _profiles = new("--profile")
    {
        Description = "A carrier profile (JSON) or a folder of them: CSV files whose header a profile detects are read through it (repeatable).",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _ediCarrier = new("--edi-carrier") { Description = "Carrier name stored with EDI 811 lines (default: the invoice's issuer N1, else GS02, else ISA06)." };

    private readonly Option<string> _ediCurrency = new("--edi-currency") { Description = "Currency of EDI 811 invoices without a CUR segment.", DefaultValueFactory = _ => "USD" };

    private readonly Option<string[]> _ediCodes = new("--edi-charge-code")
    {
        Description = "Maps a carrier's EDI charge code (IT1/SLN product id, SAC02) to a charge type, e.g. BASIC=recurring (repeatable).",
    };

    private IEnumerable<Option> All => [_pbxZone, _pbxName, _textEncoding, _profiles, _ediCarrier, _ediCurrency, _ediCodes];

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in All)
        {
            command.Options.Add(o);
        }
    }

    /// <summary>Whether any of the options was given on the command line (not just defaulted).</summary>
    public bool AnyGiven(ParseResult parse) => All.Any(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>
    /// The options' values as settings, or null with <paramref name="error"/> (a usage error, exit 2) when a value is
    /// malformed: an unknown zone, a currency that is not three letters, a charge code that is not CODE=TYPE.
    /// </summary>
    public IngestSettings? Read(ParseResult parse, out string? error)
    {
        var codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var code in parse.GetValue(_ediCodes) ?? [])
        {
            var parts = code.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !WireNames.TryParse<ChargeType>(parts[1], out _))
            {
                error = $"--edi-charge-code '{code}' is not CODE=TYPE with TYPE {WireNames.Expected<ChargeType>()}; e.g. BASIC=recurring";
                return null;
            }

            codes[parts[0]] = parts[1];
        }

        var settings = new IngestSettings
        {
            PbxTimeZone = parse.GetValue(_pbxZone),
            PbxName = parse.GetValue(_pbxName),
            TextEncoding = parse.GetValue(_textEncoding),
            Profiles = [.. (parse.GetValue(_profiles) ?? []).Select(Path.GetFullPath)],
            EdiCarrier = parse.GetValue(_ediCarrier),
            EdiCurrency = parse.GetValue(_ediCurrency),
            EdiChargeCodes = codes,
        };
        if (settings.Validate() is [var (setting, message), ..])
        {
            error = $"{OptionName(setting)} {message}";
            return null;
        }

        error = null;
        return settings;
    }

    /// <summary>
    /// The ingest options the command line asks for, or null with <paramref name="error"/> and the exit code: 2 for a
    /// malformed value (<see cref="Read"/>), 1 for a carrier profile that cannot be read or is not valid.
    /// </summary>
    public IngestOptions? Build(ParseResult parse, out string? error, out int exitCode)
    {
        var settings = Read(parse, out error);
        if (settings is null)
        {
            exitCode = TemApp.UsageError;
            return null;
        }

        try
        {
            exitCode = TemApp.Ok;
            return settings.ToOptions();
        }
        catch (Exception e) when (e is InputDataException or IOException or UnauthorizedAccessException)
        {
            error = $"profile: {e.Message}";
            exitCode = TemApp.Failure;
            return null;
        }
    }

    private static string OptionName(string setting) => setting switch
    {
        "pbxTimeZone" => "--pbx-time-zone",
        "textEncoding" => "--text-encoding",
        "ediCurrency" => "--edi-currency",
        "ediChargeCodes" => "--edi-charge-code",
        _ => setting,
    };
}
