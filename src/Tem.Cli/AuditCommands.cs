using System.CommandLine;
using System.Globalization;
using Tem.Audit;
using Tem.Audit.Anomaly;
using Tem.Core;
using Tem.Ingest;
using Tem.Lake;
using Tem.Scheduler;

namespace Tem.Cli;

/// <summary><c>tem audit</c>, <c>tem findings</c> and <c>tem run</c>.</summary>
internal static class AuditCommands
{
    public static Command Audit(TextWriter output, TextWriter error, TimeProvider time)
    {
        var lake = LakeOption();
        var rules = new Option<string?>("--rules") { Description = "A folder of your own rule files (*.sql), added to the built-in ones." };
        var set = new Option<string[]>("--set") { Description = "Override a rule setting: rule.setting=value (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var list = new Option<bool>("--list-rules") { Description = "Print the rules with their settings and defaults, and stop." };
        var command = new Command("audit", "Run every rule over the lake and store the findings.") { lake, rules, set, list };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                var catalog = RuleCatalog.Load(parse.GetValue(rules), out var brokenFiles);
                foreach (var r in catalog)
                {
                    output.WriteLine($"{r.Id,-26} {WireNames.ToWire(r.Severity),-6} {WireNames.ToWire(r.Action),-11} {r.Title}");
                    foreach (var s in r.Settings)
                    {
                        output.WriteLine($"{string.Empty,-26} setting {s.Name} = {s.Default}: {s.Description}");
                    }
                }

                foreach (var m in AnomalySettings.Rules)
                {
                    output.WriteLine($"{m.Id,-26} {WireNames.ToWire(m.Severity),-6} {WireNames.ToWire(m.Action),-11} {m.Title} (model)");
                    foreach (var s in m.Settings)
                    {
                        output.WriteLine($"{string.Empty,-26} setting {s.Name} = {s.Default}: {s.Description}");
                    }
                }

                foreach (var (file, message) in brokenFiles)
                {
                    error.WriteLine($"tem audit: {message}");
                }

                return brokenFiles.Count == 0 ? TemApp.Ok : TemApp.Failure;
            }

            if (!TryParseSettings(parse.GetValue(set) ?? [], out var overrides, out var bad))
            {
                error.WriteLine($"tem audit: --set '{bad}' is not rule.setting=number");
                return TemApp.UsageError;
            }

            try
            {
                AnomalySettings.Resolve(overrides);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"tem audit: {e.Message}");
                return TemApp.UsageError;
            }

            var lakeRoot = Path.GetFullPath(parse.GetValue(lake)!);
            using var writeLock = LakeWriteLock.TryAcquire(lakeRoot, $"tem audit (pid {Environment.ProcessId})", TimeSpan.Zero, time, out var holder);
            if (writeLock is null)
            {
                error.WriteLine($"tem audit: {LakeWriteLock.LockedMessage(lakeRoot, holder)}");
                return TemApp.Failure;
            }

            var temLake = TemLake.Open(lakeRoot);
            var runId = RunId(time, "audit");
            temLake.Catalog.StartRun(runId, "audit", time.GetUtcNow());
            var result = new AuditEngine(temLake, time).Run(new AuditOptions { RulesFolder = parse.GetValue(rules), Settings = overrides }, runId);
            var failed = Print(result, output, error);
            temLake.Catalog.FinishRun(runId, time.GetUtcNow(), failed == 0 ? "ok" : "failed", 0, 0, 0, 0, null,
                result.Findings.Count(f => f.Status != FindingStatus.Resolved));
            return failed == 0 ? TemApp.Ok : TemApp.Failure;
        });
        return command;
    }

    public static Command Findings(TextWriter output, TextWriter error, TimeProvider time)
    {
        var lake = LakeOption();
        var command = new Command("findings", "List the stored findings; 'set-status' records dispute outcomes.") { lake };
        command.SetAction(parse =>
        {
            var findings = new FindingStore(TemLake.Open(parse.GetValue(lake)!), time).Load();
            foreach (var s in findings.OrderBy(f => f.Finding.Rule, StringComparer.Ordinal).ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal))
            {
                var f = s.Finding;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f.FindingId[..12]}  {WireNames.ToWire(s.Status),-9} {f.Rule,-24} {f.AccountId,-12} {f.ServiceId ?? "-",-16} {f.Period}  {f.OneTimeAmount,12:0.0000} + {f.MonthlySavings,10:0.0000}/mo {f.Currency.Code}"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({findings.Count} findings)"));
            return TemApp.Ok;
        });

        var id = new Argument<string>("id") { Description = "Finding id (or a unique prefix of it)." };
        var status = new Argument<string>("status") { Description = "open, disputed, recovered, rejected or closed." };
        status.AcceptOnlyFromAmong("open", "disputed", "recovered", "rejected", "closed");
        var note = new Option<string?>("--note") { Description = "What happened, e.g. the carrier's credit reference." };
        var setStatus = new Command("set-status", "Record a dispute outcome; it survives later audits.") { id, status, note, LakeOption() };
        setStatus.SetAction(parse =>
        {
            var store = new FindingStore(TemLake.Open(parse.GetValue<string>("--lake")!), time);
            if (!store.SetStatus(parse.GetValue(id)!, WireNames.Parse<FindingStatus>(parse.GetValue(status)!), parse.GetValue(note)))
            {
                error.WriteLine($"tem findings: no single finding has id '{parse.GetValue(id)}'; run 'tem findings' to list them.");
                return TemApp.Failure;
            }

            output.WriteLine($"{parse.GetValue(id)}: {parse.GetValue(status)}");
            return TemApp.Ok;
        });
        command.Subcommands.Add(setStatus);
        return command;
    }

    public static Command Run(TextWriter output, TextWriter error, TimeProvider time)
    {
        var inbox = new Option<string>("--inbox") { Description = "Folder of new files (already ingested files are skipped).", Required = true };
        var lake = LakeOption();
        var outDir = new Option<string>("--out") { Description = "Report folder.", DefaultValueFactory = _ => "tem-out" };
        var formats = new IngestFormatOptions();
        var command = new Command("run", "One nightly run: ingest what is new in the inbox, audit, write the report folder.") { inbox, lake, outDir };
        formats.AddTo(command);
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (formats.Build(parse, out var problem, out var exitCode) is not { } ingest)
            {
                cli.Problem($"tem run: {problem}");
                return exitCode;
            }

            var options = new PipelineOptions { Inbox = parse.GetValue(inbox)!, Lake = parse.GetValue(lake)!, Out = parse.GetValue(outDir)!, Ingest = ingest };
            return PipelineRunner.Run(cli, new Pipeline(time), options);
        });
        return command;
    }

    private static Option<string> LakeOption() => new("--lake") { Description = "The lake folder.", DefaultValueFactory = _ => "tem-lake" };

    private static string RunId(TimeProvider time, string command) =>
        command + "-" + time.GetUtcNow().ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture);

    private static bool TryParseSettings(string[] values, out Dictionary<string, string> settings, out string? bad)
    {
        settings = new Dictionary<string, string>(StringComparer.Ordinal);
        bad = null;
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !v[..eq].Contains('.', StringComparison.Ordinal) ||
                !decimal.TryParse(v[(eq + 1)..], NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            {
                bad = v;
                return false;
            }

            settings[v[..eq].Trim()] = v[(eq + 1)..].Trim();
        }

        return true;
    }

    /// <summary>Prints per-rule results and found money per currency; returns how many rules failed.</summary>
    private static int Print(AuditResult result, TextWriter output, TextWriter error)
    {
        foreach (var (file, message) in result.BrokenRuleFiles)
        {
            error.WriteLine($"tem audit: rule file skipped: {message}");
        }

        foreach (var run in result.Rules)
        {
            if (run.Error is null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.RuleId,-26} {run.Findings,5} findings  {run.Elapsed.TotalMilliseconds,7:0} ms"));
                if (run.Skipped > 0)
                {
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.RuleId,-26} {run.Skipped} rows skipped: {run.SkippedReason}"));
                }
            }
            else
            {
                error.WriteLine($"{run.RuleId,-26} FAILED ({run.Source}): {run.Error}");
            }
        }

        foreach (var t in result.Totals)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{t.Currency.Code}: {t.Findings} findings, one-time {t.OneTime:0.00} + 12 x monthly {t.MonthlySavings:0.00} = found money {t.FoundMoney:0.00}"));
        }

        return result.Rules.Count(r => r.Error is not null) + result.BrokenRuleFiles.Count;
    }
}
