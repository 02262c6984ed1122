using System.CommandLine;
using System.Globalization;
using Tem.App;
using Tem.Core;

namespace Tem.Cli;

/// <summary>
/// The one definition of the options that override the lake's settings file (<c>tem.json</c>): the audit's
/// (<c>--rules</c>, <c>--set</c>, <c>--memory-limit</c>), the report's (<c>--proposal-currency</c>, <c>--fx</c>,
/// <c>--no-tenants</c>, <c>--contingency-fee</c>, <c>--follow-up-days</c>, <c>--pdf</c>) and <c>--save</c>. <c>tem audit</c> takes the
/// audit's, <c>tem report</c> the report's, <c>tem run</c> and <c>tem config show</c> both.
/// </summary>
internal sealed class SettingsOptions
{
    private readonly Option<string?> _rules = new("--rules") { Description = "A folder of your own rule files (*.sql), added to the built-in ones." };

    private readonly Option<string[]> _set = new("--set") { Description = "Override a rule setting: rule.setting=value (repeatable).", Arity = ArgumentArity.ZeroOrMore };

    private readonly Option<string> _memory = MemoryLimitOption.Create();

    private readonly Option<string?> _currency = new("--proposal-currency") { Description = "Currency of upgrade.csv's prices (default: the currency most accounts are billed in)." };

    private readonly Option<string[]> _fx = new("--fx")
    {
        Description = "Exchange rate into the proposal currency, CUR=RATE (1 CUR = RATE proposal currency); repeatable.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> _noTenants = new("--no-tenants") { Description = "Skip the per-tenant sets under tenants/." };

    private readonly Option<decimal?> _fee = new("--contingency-fee") { Description = "Contingency fee, percent of realised savings (contingency.csv; default 0)." };

    private readonly Option<int?> _followUp = new("--follow-up-days") { Description = "Days without news after which a submitted claim is overdue (default 30)." };

    private readonly Option<bool> _pdf = new("--pdf") { Description = "Also print each page to PDF beside it (needs Chromium, Chrome or Edge; TEM_CHROMIUM names it)." };

    private readonly Option<bool> _save = new("--save") { Description = "Also write these options into the lake's tem.json, for later runs." };

    private readonly bool _audit;

    private readonly bool _report;

    private SettingsOptions(bool audit, bool report, bool memory)
    {
        _audit = audit;
        _report = report;
        HasMemory = memory;
    }

    private bool HasMemory { get; }

    /// <summary>The audit's options (and <c>--memory-limit</c>, <c>--save</c>).</summary>
    public static SettingsOptions Audit() => new(audit: true, report: false, memory: true);

    /// <summary>The report's options (and <c>--save</c>).</summary>
    public static SettingsOptions Report() => new(audit: false, report: true, memory: false);

    /// <summary>All of them: <c>tem run</c>, <c>tem config show</c>.</summary>
    public static SettingsOptions All() => new(audit: true, report: true, memory: true);

    private IEnumerable<Option> Options =>
        (_audit ? new Option[] { _rules, _set } : [])
        .Concat(HasMemory ? [_memory] : [])
        .Concat(_report ? new Option[] { _currency, _fx, _noTenants, _fee, _followUp, _pdf } : [])
        .Append(_save);

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var o in Options)
        {
            command.Options.Add(o);
        }
    }

    /// <summary>
    /// The settings a command runs with: the defaults, the lake's <c>tem.json</c>, then the options given, checked.
    /// Null after printing the problem, with <paramref name="exitCode"/>: 2 for a malformed or invalid option, 1 for a
    /// settings file that cannot be used. With <c>--save</c>, the options are written into the lake's file first.
    /// </summary>
    /// <exception cref="Tem.Lake.NotALakeException">The folder holds no lake and the command does not make one (nothing is saved there).</exception>
    public EffectiveSettings? Resolve(ParseResult parse, string lake, CliOutput cli, string command, out int exitCode, bool makesLake = false)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(cli);

        if (Flags(parse, out var malformed) is not { } flags)
        {
            cli.Problem($"tem {command}: {malformed}");
            exitCode = TemApp.UsageError;
            return null;
        }

        TemSettings? file;
        try
        {
            file = SettingsFile.Load(SettingsFile.PathIn(lake));
        }
        catch (Exception e) when (e is InputDataException or IOException or UnauthorizedAccessException)
        {
            cli.Problem($"tem {command}: settings: {e.Message}");
            exitCode = TemApp.Failure;
            return null;
        }

        // Checked against the rules in force, so that --set may name a rule of the file's rules folder.
        if (SettingsFile.Validate(flags, file?.Audit?.Rules) is [var first, ..])
        {
            cli.Problem($"tem {command}: {first.Option}: {first.Message}");
            exitCode = TemApp.UsageError;
            return null;
        }

        if (!makesLake)
        {
            // A mistyped --lake must not get a tem.json (and so a folder) from --save, nor show settings of no lake.
            // (Checked after the options, so that a usage error is reported as one whatever the folder.)
            Tem.Lake.LakeFolders.Require(lake);
        }

        try
        {
            if (parse.GetValue(_save))
            {
                cli.Line($"settings saved to {SettingsFile.Save(lake, flags)}");
            }

            exitCode = TemApp.Ok;
            return EffectiveSettings.ForLake(lake, new SettingsLayer("flag", flags));
        }
        catch (Exception e) when (e is InputDataException or IOException or UnauthorizedAccessException)
        {
            cli.Problem($"tem {command}: settings: {e.Message}");
            exitCode = TemApp.Failure;
            return null;
        }
    }

    /// <summary>Whether <c>--save</c> was given.</summary>
    public bool Saves(ParseResult parse) => parse.GetValue(_save);

    /// <summary>The rules folder given with <c>--rules</c>, or null (for commands that read no lake, as <c>--list-rules</c> before the first ingest).</summary>
    public string? RulesFolder(ParseResult parse) => _audit ? parse.GetValue(_rules) : null;

    /// <summary>Whether any of the options was given on the command line.</summary>
    public bool AnyGiven(ParseResult parse) => Options.Any(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>The options given as a checked settings layer, or null with the problem (a usage error).</summary>
    public TemSettings? Layer(ParseResult parse, out string? problem)
    {
        if (Flags(parse, out problem) is not { } flags)
        {
            return null;
        }

        if (SettingsFile.Validate(flags) is [var first, ..])
        {
            problem = $"{first.Option}: {first.Message}";
            return null;
        }

        return flags;
    }

    /// <summary>The options given on the command line as a settings layer (those not given are null), or null with the problem.</summary>
    private TemSettings? Flags(ParseResult parse, out string? problem)
    {
        problem = null;
        var set = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var v in _audit ? parse.GetValue(_set) ?? [] : [])
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !v[..eq].Contains('.', StringComparison.Ordinal) ||
                !decimal.TryParse(v[(eq + 1)..], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var value))
            {
                problem = $"--set '{v}' is not rule.setting=number";
                return null;
            }

            set[v[..eq].Trim()] = value;
        }

        var rates = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var v in _report ? parse.GetValue(_fx) ?? [] : [])
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !CurrencyCode.TryParse(v[..eq], out var code)
                || !decimal.TryParse(v[(eq + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
            {
                problem = $"--fx '{v}' is not CUR=RATE with a positive rate, e.g. --fx EUR=1.08";
                return null;
            }

            rates[code.Code] = rate;
        }

        var rules = _audit ? parse.GetValue(_rules) : null;
        return new TemSettings
        {
            MemoryLimit = HasMemory && parse.GetResult(_memory) is { Implicit: false } ? parse.GetValue(_memory) : null,
            Audit = _audit && (rules is not null || set.Count > 0)
                ? new AuditSettings { Rules = rules is null ? null : Path.GetFullPath(rules), Set = set.Count > 0 ? set : null }
                : null,
            Report = _report
                ? new ReportSettings
                {
                    ProposalCurrency = parse.GetValue(_currency),
                    Fx = rates.Count > 0 ? rates : null,
                    Tenants = parse.GetValue(_noTenants) ? false : null,
                    ContingencyFee = parse.GetValue(_fee),
                    FollowUpDays = parse.GetValue(_followUp),
                    Pdf = parse.GetValue(_pdf) ? true : null,
                }
                : null,
        };
    }
}
