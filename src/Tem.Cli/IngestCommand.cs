using System.CommandLine;
using System.Globalization;
using Tem.Core;
using Tem.Ingest;
using Tem.Ingest.Formats;
using Tem.Ingest.Lake;

namespace Tem.Cli;

/// <summary><c>tem ingest PATH... --lake DIR [--kind K]</c>: files or folders into the lake.</summary>
internal static class IngestCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var paths = new Argument<string[]>("path") { Description = "Files or folders (walked recursively).", Arity = ArgumentArity.OneOrMore };
        var lake = new Option<string>("--lake") { Description = "The lake folder.", DefaultValueFactory = _ => "tem-lake" };
        var kind = new Option<string?>("--kind")
        {
            Description = "Read every file as this kind instead of recognising it: a canonical kind, or a format (" +
                          string.Join(", ", FormatRegistry.All.Select(f => f.Name)) + ").",
        };
        kind.AcceptOnlyFromAmong([.. FormatRegistry.KindNames]);
        var pbxZone = new Option<string?>("--pbx-time-zone")
        {
            Description = "IANA time zone of the PBX's local times (Asterisk Master.csv), e.g. Europe/London; beats tem-pbx.json next to the file.",
        };
        var pbxName = new Option<string?>("--pbx-name") { Description = "Name stored with PBX call records (pbx_calls.pbx); beats tem-pbx.json next to the file." };
        var profiles = new Option<string[]>("--profile")
        {
            Description = "A carrier profile (JSON) or a folder of them: CSV files whose header a profile detects are read through it (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var ediCarrier = new Option<string?>("--edi-carrier") { Description = "Carrier name stored with EDI 811 lines (default: the invoice's issuer N1, else GS02, else ISA06)." };
        var ediCurrency = new Option<string>("--edi-currency") { Description = "Currency of EDI 811 invoices without a CUR segment.", DefaultValueFactory = _ => "USD" };
        var ediCodes = new Option<string[]>("--edi-charge-code")
        {
            Description = "Maps a carrier's EDI charge code (IT1/SLN product id, SAC02) to a charge type, e.g. BASIC=recurring (repeatable).",
        };
        var memory = new Option<string>("--memory-limit") { Description = "DuckDB memory limit while staging (it spills to disk beyond).", DefaultValueFactory = _ => "1GB" };
        var command = new Command("ingest", "Read carrier bills, usage, reference data and PBX call records into the lake; every row is stored or rejected with a reason.")
        {
            paths, lake, kind, memory, pbxZone, pbxName, profiles, ediCarrier, ediCurrency, ediCodes,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(pbxZone) is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                error.WriteLine($"tem ingest: --pbx-time-zone '{zone}' is not a time zone the tz database knows; expected an IANA name such as Europe/London or America/New_York");
                return TemApp.UsageError;
            }

            var codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var code in parse.GetValue(ediCodes) ?? [])
            {
                var parts = code.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || !WireNames.TryParse<ChargeType>(parts[1], out _))
                {
                    error.WriteLine($"tem ingest: --edi-charge-code '{code}' is not CODE=TYPE with TYPE {WireNames.Expected<ChargeType>()}; e.g. BASIC=recurring");
                    return TemApp.UsageError;
                }

                codes[parts[0]] = parts[1].ToLowerInvariant();
            }

            if (!IsCurrencyCode(parse.GetValue(ediCurrency)!))
            {
                error.WriteLine($"tem ingest: --edi-currency '{parse.GetValue(ediCurrency)}' is not an ISO 4217 code; expected three letters, e.g. USD");
                return TemApp.UsageError;
            }

            IReadOnlyList<Tem.Ingest.Formats.Profiles.CarrierProfile> loaded;
            try
            {
                loaded = Tem.Ingest.Formats.Profiles.CarrierProfile.LoadAll(parse.GetValue(profiles) ?? []);
            }
            catch (Exception e) when (e is InputDataException or FileNotFoundException or IOException)
            {
                error.WriteLine($"tem ingest: profile: {e.Message}");
                return TemApp.Failure;
            }

            IReadOnlyList<string> files;
            try
            {
                files = Ingestor.ExpandPaths(parse.GetValue(paths)!);
            }
            catch (FileNotFoundException e)
            {
                error.WriteLine($"tem ingest: {e.Message}");
                return TemApp.Failure;
            }

            var lakeRoot = Path.GetFullPath(parse.GetValue(lake)!);
            using var writeLock = LakeWriteLock.TryAcquire(lakeRoot, $"tem ingest (pid {Environment.ProcessId})", TimeSpan.Zero, time, out var holder);
            if (writeLock is null)
            {
                error.WriteLine($"tem ingest: {LakeWriteLock.LockedMessage(lakeRoot, holder)}");
                return TemApp.Failure;
            }

            var temLake = TemLake.Open(lakeRoot);
            var runId = "run-" + time.GetUtcNow().ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture);
            temLake.Catalog.StartRun(runId, "ingest", time.GetUtcNow());
            var ingestor = new Ingestor(temLake, time, new IngestOptions
            {
                Kind = parse.GetValue(kind), MemoryLimit = parse.GetValue(memory)!, PbxTimeZone = parse.GetValue(pbxZone),
                PbxName = parse.GetValue(pbxName), Profiles = loaded,
                Edi811 = new Tem.Ingest.Formats.Edi.Edi811Options
                {
                    Carrier = parse.GetValue(ediCarrier), DefaultCurrency = parse.GetValue(ediCurrency)!.ToUpperInvariant(), ChargeCodes = codes,
                },
            });
            var (failed, read, stored, rejected) = IngestAll(ingestor, files, runId, output, error);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{files.Count} files: read {read} / stored {stored} / rejected {rejected} rows; lake {temLake.Root}"));
            if (rejected > 0)
            {
                output.WriteLine("  rejected rows: tem sql --lake ... \"SELECT * FROM rejects\" (file, line, column, reason, raw text)");
            }

            temLake.Catalog.FinishRun(runId, time.GetUtcNow(), failed == 0 ? "ok" : "failed", files.Count, read, stored, rejected, null);
            return failed == 0 ? TemApp.Ok : TemApp.Failure;
        });
        return command;
    }

    private static bool IsCurrencyCode(string code) => code.Length == 3 && code.All(char.IsAsciiLetter);

    /// <summary>
    /// Ingests files one by one, printing each file's result (failures to <paramref name="error"/>); a file that
    /// fails does not stop the others. Returns how many failed and the row totals.
    /// </summary>
    internal static (int Failed, long Read, long Stored, long Rejected) IngestAll(
        Ingestor ingestor, IReadOnlyList<string> files, string runId, TextWriter output, TextWriter error)
    {
        var totals = ingestor.IngestFiles(files, runId, (_, report) =>
        {
            (report.Outcome == FileOutcome.Failed ? error : output).WriteLine(report.Message);
            if (report.IgnoredColumns.Count > 0)
            {
                output.WriteLine($"  ignored columns: {string.Join(", ", report.IgnoredColumns)}");
            }
        });
        return (totals.Failed, totals.Read, totals.Stored, totals.Rejected);
    }
}
