using System.Text;
using System.CommandLine;
using System.Globalization;
using Tem.App;
using Tem.Reports;
using Tem.Audit;
using Tem.Core;
using Tem.Lake;

namespace Tem.Cli;

/// <summary><c>tem audit</c>, <c>tem findings</c> and <c>tem run</c>.</summary>
internal static class AuditCommands
{
    public static Command Audit(TextWriter output, TextWriter error, TimeProvider time)
    {
        var lake = LakeOption();
        var list = new Option<bool>("--list-rules") { Description = "Print the rules with their settings and defaults, and stop." };
        var settingsOptions = SettingsOptions.Audit();
        var command = new Command("audit", "Run every rule over the lake and store the findings. Settings: LAKE/tem.json, overridden by the options (tem config show).") { lake, list };
        settingsOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (parse.GetValue(list) && !settingsOptions.Saves(parse) && !LakeFolders.IsLake(parse.GetValue(lake)!))
            {
                // Listing the rules needs no lake: the built-in ones and a --rules folder can be read before the first ingest.
                return ListRules(cli, AuditOperation.ListRules(settingsOptions.RulesFolder(parse)));
            }

            if (settingsOptions.Resolve(parse, parse.GetValue(lake)!, cli, "audit", out var exitCode) is not { } settings)
            {
                return exitCode;
            }

            if (parse.GetValue(list))
            {
                return ListRules(cli, AuditOperation.ListRules(settings.Values.Audit?.Rules));
            }

            var options = settings.ToAuditOptions();
            var result = cli.WithProgress("audit", board => new AuditOperation(time).Run(parse.GetValue(lake)!, options, settings.ToJson(), board.For("audit")));
            var run = result.Run;
            if (run.Outcome == RunOutcome.Locked)
            {
                cli.Problem($"tem audit: {run.Message}");
                cli.Summary(Summary(result, settings));
                return TemApp.Failure;
            }

            foreach (var id in run.InterruptedRuns)
            {
                cli.Problem($"tem audit: run {id} had been interrupted (its process died); this run completed the lake");
            }

            if (run.Value is { } audit)
            {
                Print(audit, cli);
            }
            else
            {
                cli.Problem($"tem audit: {WireNames.ToWire(run.Outcome)}: {run.Message}");
            }

            cli.Summary(Summary(result, settings));
            return run.Succeeded ? TemApp.Ok : TemApp.Failure;
        });
        return command;
    }

    public static Command Findings(TextWriter output, TextWriter error, TimeProvider time)
    {
        // Recursive, so that 'tem findings --lake X set-status ...' and 'tem findings set-status --lake X ...' both use X.
        var lake = LakeOption();
        lake.Recursive = true;
        var rule = new Option<string[]>("--rule") { Description = "Only these rules (repeat or comma-separate).", AllowMultipleArgumentsPerToken = true };
        var carrier = new Option<string[]>("--carrier") { Description = "Only these carriers.", AllowMultipleArgumentsPerToken = true };
        var statusFilter = new Option<string[]>("--status") { Description = $"Only these statuses ({string.Join(", ", WireNames.All<FindingStatus>())}).", AllowMultipleArgumentsPerToken = true };
        var kind = new Option<string?>("--kind") { Description = "Only validated, potential or reseller money." };
        kind.AcceptOnlyFromAmong([.. WireNames.All<MoneyKind>()]);
        var minAmount = new Option<decimal?>("--min-amount")
        {
            Description = "Only findings whose found money (one-time + 12 x monthly) is at least this, in their currency.",
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
                if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }

                r.AddError($"--min-amount: '{text}' is not an amount (e.g. 20 or 12.50)");
                return null;
            },
        };
        var byChance = new Option<bool>("--by-chance")
        {
            Description = "Only open findings, ranked by their chance of being credited (the outcome model of the last audit or pipeline run, or rule priors below 20 outcomes), with the reasons.",
        };
        var command = new Command("findings", "List the stored findings; 'set-status' records dispute outcomes.") { lake, rule, carrier, statusFilter, kind, minAmount, byChance };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var lakePath = parse.GetValue(lake)!;
            var all = new FindingsOperation(time).List(lakePath);
            FindingFilter filter;
            try
            {
                filter = new FindingFilter(List(parse.GetValue(rule)), List(parse.GetValue(carrier)),
                    [.. List(parse.GetValue(statusFilter)).Select(v => WireNames.TryParse<FindingStatus>(v, out var st) ? st
                        : throw new FormatException($"--status {v}: expected {WireNames.Expected<FindingStatus>()}"))],
                    parse.GetValue(kind) is { } k ? WireNames.Parse<MoneyKind>(k) : null, parse.GetValue(minAmount));
            }
            catch (FormatException e)
            {
                cli.Problem($"tem findings: {e.Message}");
                return TemApp.UsageError;
            }

            // --by-chance ranks the open findings only: with another status it could list nothing but would look like
            // an answer.
            if (parse.GetValue(byChance) && filter.Statuses.Where(st => st != FindingStatus.Open).Select(WireNames.ToWire).FirstOrDefault() is { } other)
            {
                cli.Problem($"tem findings: --by-chance ranks the open findings only; --status {other} lists none of them (leave --status out, or ask for open)");
                return TemApp.UsageError;
            }

            // A name that matches nothing is most often a typo: an unknown rule is a usage error, a carrier without
            // findings is said (it may simply have none).
            // (The rule files are read only when a rule was named.)
            var rules = filter.Rules.Count == 0 ? []
                : AuditOperation.ListRules(null).Rules.Select(r => r.Id).Concat(all.Select(f => f.Finding.Rule)).ToHashSet(StringComparer.Ordinal);
            if (filter.Rules.FirstOrDefault(r => !rules.Contains(r)) is { } unknown)
            {
                cli.Problem($"tem findings: --rule {unknown}: no such rule; the rules are {string.Join(", ", rules.Order(StringComparer.Ordinal))}");
                return TemApp.UsageError;
            }

            var carriers = all.Select(f => f.Finding.Carrier).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            foreach (var c in filter.Carriers.Where(c => !carriers.Contains(c, StringComparer.OrdinalIgnoreCase)))
            {
                cli.Problem($"tem findings: no finding has carrier '{c}'; carriers with findings: {(carriers.Count == 0 ? "none" : string.Join(", ", carriers))}");
            }

            var findings = all.Where(filter.Matches).ToList();
            Tem.Audit.Outcomes.CreditRanking? ranking = null;
            Dictionary<string, Tem.Audit.Outcomes.CreditChance>? chances = null;
            if (parse.GetValue(byChance))
            {
                ranking = FindingsOperation.RankByChance(lakePath, all);
                chances = ranking.Chances.ToDictionary(c => c.FindingId, StringComparer.Ordinal);
                var order = ranking.Chances.Select((c, i) => (c.FindingId, i)).ToDictionary(x => x.FindingId, x => x.i, StringComparer.Ordinal);
                findings = [.. findings.Where(f => chances.ContainsKey(f.Finding.FindingId)).OrderBy(f => order[f.Finding.FindingId])];
                cli.Line(ranking.Basis);
            }

            FindingsTable.Write(cli, findings, chances);
            cli.Result(findings.Count == all.Count
                ? string.Create(CultureInfo.InvariantCulture, $"({findings.Count} findings)")
                : string.Create(CultureInfo.InvariantCulture, $"({findings.Count} of {all.Count} findings)"));
            cli.Summary(new
            {
                Lake = Path.GetFullPath(lakePath),
                Count = findings.Count,
                Total = all.Count,
                CreditRanking = ranking?.Basis,
                CreditModel = ranking?.Model,
                Findings = findings.Select(s => new
                {
                    s.Finding.FindingId,
                    Status = WireNames.ToWire(s.Status),
                    s.StatusNote,
                    MoneyKind = WireNames.ToWire(s.Finding.MoneyKind),
                    s.Finding.Rule,
                    Severity = WireNames.ToWire(s.Finding.Severity),
                    s.Finding.Carrier,
                    s.Finding.AccountId,
                    s.Finding.ServiceId,
                    Period = s.Finding.Period.ToString(),
                    s.Finding.OneTimeAmount,
                    s.Finding.MonthlySavings,
                    Currency = s.Finding.Currency.Code,
                    s.Finding.Title,
                    SubmittedOn = s.Dispute.SubmittedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    s.Dispute.Reference,
                    s.Dispute.AmountClaimed,
                    s.Dispute.AmountCredited,
                    ConfirmedFrom = s.Dispute.ConfirmedFrom?.ToString(),
                    s.RealisedOneTime,
                    s.RealisedMonthly,
                    CreditChance = chances?.GetValueOrDefault(s.Finding.FindingId)?.Chance,
                    CreditReasons = chances?.GetValueOrDefault(s.Finding.FindingId)?.Reasons,
                }),
            });
            return TemApp.Ok;
        });

        var id = new Argument<string>("id") { Description = "Finding id (or a unique prefix of it)." };
        var status = new Argument<string>("status")
        {
            Description = "open, submitted (or disputed), credited (or recovered: the whole claim came back), rejected or closed; dated today. 'tem disputes' records dates, references, amounts and partial credits.",
        };
        status.HelpName = "status";
        status.AcceptOnlyFromAmong([.. FindingStatuses.SettableNames]);
        var note = new Option<string?>("--note") { Description = "What happened, e.g. the carrier's credit reference." };
        var setStatus = new Command("set-status", "Record a dispute outcome; it survives later audits.") { id, status, note };
        setStatus.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var result = new FindingsOperation(time).SetStatus(
                parse.GetValue(lake)!, parse.GetValue(id)!, FindingStatuses.Parse(parse.GetValue(status)!), parse.GetValue(note));
            if (result.Outcome != RunOutcome.Ok)
            {
                cli.Problem($"tem findings: {result.Message}");
                return TemApp.Failure;
            }

            var now = WireNames.ToWire(FindingStatuses.Parse(parse.GetValue(status)!));
            cli.Result($"{parse.GetValue(id)}: {now}");
            cli.Summary(new
            {
                Lake = Path.GetFullPath(parse.GetValue(lake)!),
                result.FindingId,
                Status = now,
                Note = parse.GetValue(note),
            });
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
        var auditAnyway = new Option<bool>("--audit-anyway")
        {
            Description = "Audit and report even when a file failed to ingest (by default the findings then stay those of the last complete run).",
        };
        var settingsOptions = SettingsOptions.All();
        var formats = new IngestFormatOptions();
        var command = new Command("run", "One nightly run: ingest what is new in the inbox, audit (a dispute log in the inbox is applied, credits on the bills matched), write the report folder. Settings: LAKE/tem.json, overridden by the options.")
        {
            inbox, lake, outDir, auditAnyway,
        };
        settingsOptions.AddTo(command);
        formats.AddTo(command);
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (settingsOptions.Resolve(parse, parse.GetValue(lake)!, cli, "run", out var settingsExit, makesLake: true) is not { } settings)
            {
                return settingsExit;
            }

            if (formats.Build(parse, out var problem, out var exitCode) is not { } ingest)
            {
                cli.Problem($"tem run: {problem}");
                return exitCode;
            }

            var options = new PipelineOptions
            {
                Inbox = parse.GetValue(inbox)!, Lake = parse.GetValue(lake)!, Out = parse.GetValue(outDir)!,
                Ingest = ingest with { MemoryLimit = settings.MemoryLimit }, Audit = settings.ToAuditOptions(),
                AuditAfterFailedIngest = parse.GetValue(auditAnyway),
                Report = settings.ToReportOptions(),
                Settings = settings.ToJson(),
            };
            return PipelineRunner.Run(cli, new Pipeline(time), options, r => PipelineRunner.Summary(r, settings));
        });
        return command;
    }

    // Repeated options and comma-separated values alike: --rule a --rule b,c.
    private static List<string> List(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    internal static Option<string> LakeOption() => new("--lake") { Description = "The lake folder.", DefaultValueFactory = _ => "tem-lake" };

    /// <summary>Prints per-rule results and found money per currency.</summary>
    private static void Print(AuditResult result, CliOutput cli)
    {
        foreach (var (file, message) in result.BrokenRuleFiles)
        {
            cli.Problem($"tem audit: rule file skipped: {message}");
        }

        foreach (var run in result.Rules)
        {
            if (run.Error is null)
            {
                cli.Line(string.Create(CultureInfo.InvariantCulture, $"{run.RuleId,-26} {run.Findings,5} {(run.Findings == 1 ? "finding " : "findings")}  {run.Elapsed.TotalMilliseconds,7:0} ms"));
                if (run.Skipped > 0)
                {
                    cli.Problem(string.Create(CultureInfo.InvariantCulture, $"{run.RuleId,-26} {run.Skipped} rows skipped: {run.SkippedReason}"));
                }

                foreach (var gap in run.NotJudged)
                {
                    cli.Line($"{run.RuleId,-26} {gap}");
                }
            }
            else
            {
                cli.Problem($"{run.RuleId,-26} FAILED ({run.Source}): {run.Error}");
            }
        }

        foreach (var step in result.Steps)
        {
            cli.Line(string.Create(CultureInfo.InvariantCulture, $"{"(" + step.Name + ")",-42} {step.Elapsed.TotalMilliseconds,7:0} ms"));
        }

        foreach (var t in result.Totals)
        {
            cli.Result(Pipeline.Describe(t));
        }
    }

    private static int ListRules(CliOutput cli, RuleList list)
    {
        foreach (var r in list.Rules)
        {
            cli.Result($"{r.Id,-26} {WireNames.ToWire(r.Severity),-6} {WireNames.ToWire(r.Action),-11} {r.Title}{(r.IsModel ? " (model)" : string.Empty)}");
            foreach (var s in r.Settings)
            {
                // Wrapped at the help's width, continuation lines indented under the setting.
                var indent = new string(' ', 27);
                var words = $"setting {s.Name} = {s.Default}: {s.Description}".Split(' ');
                var line = new StringBuilder(indent);
                foreach (var word in words)
                {
                    if (line.Length > indent.Length && line.Length + 1 + word.Length > TemApp.HelpWidth)
                    {
                        cli.Result(line.ToString());
                        line.Clear().Append(indent).Append("  ");
                    }

                    line.Append(line.Length > indent.Length && line[^1] != ' ' ? " " : string.Empty).Append(word);
                }

                cli.Result(line.ToString());
            }
        }

        foreach (var (_, message) in list.BrokenRuleFiles)
        {
            cli.Problem($"tem audit: {message}");
        }

        cli.Summary(new
        {
            Rules = list.Rules.Select(r => new
            {
                r.Id,
                Severity = WireNames.ToWire(r.Severity),
                Action = WireNames.ToWire(r.Action),
                r.Title,
                Model = r.IsModel,
                Settings = r.Settings.Select(s => new { s.Name, s.Default, s.Description }),
            }),
            BrokenRuleFiles = list.BrokenRuleFiles.Select(b => new { b.File, b.Error }),
        });
        return list.BrokenRuleFiles.Count == 0 ? TemApp.Ok : TemApp.Failure;
    }

    /// <summary>The JSON summary of <c>tem audit</c>.</summary>
    private static object Summary(AuditRunResult r, EffectiveSettings settings) => new
    {
        r.Run.RunId,
        Outcome = WireNames.ToWire(r.Run.Outcome),
        Rules = (r.Run.Value?.Rules ?? []).Select(x => new
        {
            Rule = x.RuleId,
            x.Source,
            x.Findings,
            ElapsedMs = (long)x.Elapsed.TotalMilliseconds,
            x.Skipped,
            x.SkippedReason,
            x.NotJudged,
            x.Error,
        }),
        Steps = (r.Run.Value?.Steps ?? []).Select(x => new { Step = x.Name, ElapsedMs = (long)x.Elapsed.TotalMilliseconds }),
        BrokenRuleFiles = (r.Run.Value?.BrokenRuleFiles ?? []).Select(b => new { b.File, b.Error }),
        FailedRules = r.FailedRules,
        Findings = r.Run.Totals.Findings,
        FoundMoney = (r.Run.Value?.Totals ?? []).Select(Pipeline.Json),
        r.Run.InterruptedRuns,
        r.Run.Message,
        Settings = settings.ToJsonElement(),
    };
}
