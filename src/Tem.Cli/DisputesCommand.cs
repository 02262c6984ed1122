using System.CommandLine;
using System.Globalization;
using Tem.App;
using Tem.Audit.Disputes;
using Tem.Core;
using Tem.Lake;

namespace Tem.Cli;

/// <summary>
/// <c>tem disputes</c>: the dispute lifecycle. Lists claims with their amounts and aging; records submission, credits,
/// rejection, closing and reopening (under the lake's write lock; they survive re-runs and re-ingests); lists the credit
/// matches a run proposed; writes a carrier's dispute pack of the items not yet submitted.
/// </summary>
internal static class DisputesCommand
{
    /// <summary>Days without news after which a claim waiting for the carrier is overdue for follow-up, by default.</summary>
    public const int DefaultFollowUpDays = 30;

    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var lake = AuditCommands.LakeOption();
        lake.Recursive = true;
        var carrier = new Option<string?>("--carrier") { Description = "Only this carrier's claims." };
        var status = new Option<string?>("--status") { Description = "Only claims in this status (open, submitted, partially_credited, credited, confirmed, rejected, closed)." };
        var overdue = new Option<bool>("--overdue") { Description = "Only claims waiting for the carrier with no news for --follow-up-days or more." };
        var followUp = new Option<int>("--follow-up-days") { Description = "Days without news (since submission or the latest credit) after which a claim is overdue.", DefaultValueFactory = _ => DefaultFollowUpDays };
        var command = new Command("disputes", "The dispute lifecycle: list claims with amounts and aging; submit, credit, reject, close, reopen; proposed credit matches; a carrier's pack.")
        {
            lake, carrier, status, overdue, followUp,
        };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            if (parse.GetValue(status) is { } s && !FindingStatuses.TryParse(s, out _))
            {
                cli.Problem($"tem disputes: --status '{s}' is not a status, expected {WireNames.Expected<FindingStatus>()}");
                return TemApp.UsageError;
            }

            var days = parse.GetValue(followUp);
            if (days < 0)
            {
                cli.Problem("tem disputes: --follow-up-days must be 0 or more");
                return TemApp.UsageError;
            }

            var op = new DisputesOperation(time);
            var today = op.Today;
            var all = op.List(parse.GetValue(lake)!).Where(IsClaim).ToList();
            if (parse.GetValue(carrier) is { } named && !all.Any(f => string.Equals(f.Finding.Carrier, named, StringComparison.OrdinalIgnoreCase)))
            {
                cli.Problem($"tem disputes: no claims of carrier '{named}'; carriers with claims: {string.Join(", ", all.Select(f => f.Finding.Carrier).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}");
                return TemApp.Failure;
            }

            var claims = all
                .Where(f => parse.GetValue(carrier) is not { } c || string.Equals(f.Finding.Carrier, c, StringComparison.OrdinalIgnoreCase))
                .Where(f => parse.GetValue(status) is not { } st || f.Status == FindingStatuses.Parse(st))
                .Where(f => !parse.GetValue(overdue) || f.IsOverdue(today, days)).ToList();
            if (claims.Count > 0)
            {
                cli.Result(string.Create(CultureInfo.InvariantCulture,
                    $"{"ID",-12}  {"STATUS",-18} {"CARRIER",-10} {"ACCOUNT",-12} {"SERVICE",-16} {"PERIOD",-7}  {"CLAIMED",10} {"CREDITED",10} {"OUTSTANDING",11} CUR  AGE   REFERENCE"));
            }

            foreach (var f in claims)
            {
                var d = f.Dispute;
                cli.Result(string.Create(CultureInfo.InvariantCulture,
                    $"{f.Finding.FindingId[..12]}  {WireNames.ToWire(f.Status),-18} {f.Finding.Carrier,-10} {f.Finding.AccountId,-12} {f.Finding.ServiceId ?? "-",-16} {f.Finding.Period,-7}  {MoneyText.Format(d.AmountClaimed ?? f.Finding.OneTimeAmount, f.Finding.Currency),10} {MoneyText.Format(d.AmountCredited, f.Finding.Currency),10} {MoneyText.Format(f.Outstanding, f.Finding.Currency),11} {f.Finding.Currency.Code}  {(d.Age(today) is { } age ? age.ToString(CultureInfo.InvariantCulture) : "-"),-5} {d.Reference ?? "-"}{(f.IsOverdue(today, days) ? "  OVERDUE" : string.Empty)}"));
            }

            cli.Result(string.Create(CultureInfo.InvariantCulture, $"({claims.Count} claims; {claims.Count(f => f.IsOverdue(today, days))} overdue for follow-up after {days} days)"));
            cli.Summary(new
            {
                Lake = Path.GetFullPath(parse.GetValue(lake)!),
                Today = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                FollowUpDays = days,
                Count = claims.Count,
                Disputes = claims.Select(f => Json(f, today, days)),
            });
            return TemApp.Ok;
        });

        command.Subcommands.Add(Submit(lake, output, error, time));
        command.Subcommands.Add(Credit(lake, output, error, time));
        command.Subcommands.Add(Simple("reject", "The carrier refused the claim (credits already received stay realised).", lake, output, error, time, dated: true,
            (f, on, note) => DisputeLifecycle.Reject(f, on, note)));
        command.Subcommands.Add(Simple("close", "Close the finding; what was credited or confirmed stays realised.", lake, output, error, time, dated: true,
            (f, on, note) => DisputeLifecycle.Close(f, on, note)));
        command.Subcommands.Add(Simple("reopen", "Open the finding again (its history keeps the earlier steps).", lake, output, error, time, dated: false,
            (f, _, note) => DisputeLifecycle.Reopen(f, note)));
        command.Subcommands.Add(Matches(lake, output, error, time));
        command.Subcommands.Add(Import(lake, output, error, time));
        command.Subcommands.Add(Pack(lake, output, error, time));
        return command;
    }

    /// <summary>A finding the lifecycle lists: a claim (action dispute, a one-time amount) or anything already submitted.</summary>
    private static bool IsClaim(StoredFinding f) =>
        f.Status != FindingStatus.Resolved
        && ((f.Finding.RecommendedAction == RecommendedAction.Dispute && f.Finding.OneTimeAmount > 0) || f.Dispute.SubmittedOn is not null);

    private static object Json(StoredFinding f, DateOnly today, int days) => new
    {
        f.Finding.FindingId,
        Status = WireNames.ToWire(f.Status),
        f.Finding.Rule,
        f.Finding.Carrier,
        f.Finding.AccountId,
        f.Finding.ServiceId,
        Period = f.Finding.Period.ToString(),
        Currency = f.Finding.Currency.Code,
        f.Finding.OneTimeAmount,
        f.Finding.MonthlySavings,
        SubmittedOn = f.Dispute.SubmittedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        f.Dispute.Reference,
        f.Dispute.AmountClaimed,
        f.Dispute.AmountCredited,
        f.Outstanding,
        CreditedOn = f.Dispute.CreditedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ConfirmedFrom = f.Dispute.ConfirmedFrom?.ToString(),
        AgeDays = f.Dispute.Age(today),
        DaysWaiting = f.Dispute.DaysWaiting(today),
        Overdue = f.IsOverdue(today, days),
        Note = f.StatusNote,
    };

    private static Option<string?> OnOption(string what) => new("--on") { Description = $"The date {what} (YYYY-MM-DD); default today (UTC)." };

    /// <summary>
    /// A step's date: today when none is given; a date after today is refused (nothing has happened then yet), and the
    /// problem is said for the subcommand.
    /// </summary>
    private static bool TryDate(CliOutput cli, string subcommand, string? text, DateOnly today, out DateOnly date)
    {
        if (text is null ? (date = today) == today
            : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date <= today)
        {
            return true;
        }

        cli.Problem($"tem disputes {subcommand}: --on '{text}' is not a date up to today, expected YYYY-MM-DD");
        return false;
    }

    private static Command Submit(Option<string> lake, TextWriter output, TextWriter error, TimeProvider time)
    {
        var ids = new Argument<string[]>("id") { Description = "Finding ids (or unique prefixes).", Arity = ArgumentArity.OneOrMore };
        var on = OnOption("the claim was sent");
        var reference = new Option<string?>("--reference") { Description = "The carrier's ticket or case reference." };
        var amount = new Option<decimal?>("--amount") { Description = "The amount claimed (default: the finding's one-time amount); with several ids, each claims it." };
        var note = new Option<string?>("--note") { Description = "A note kept with the claim." };
        var command = new Command("submit", "Record that claims were sent to the carrier: date, reference, amount claimed.") { ids, on, reference, amount, note };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var op = new DisputesOperation(time);
            if (!TryDate(cli, "submit", parse.GetValue(on), op.Today, out var date))
            {
                return TemApp.UsageError;
            }

            return Finish(cli, "submit", op.Apply(parse.GetValue(lake)!, parse.GetValue(ids)!,
                new DisputeStep("submit", f => DisputeLifecycle.Submit(f, date, parse.GetValue(reference), parse.GetValue(amount), parse.GetValue(note)))), op.Today);
        });
        return command;
    }

    private static Command Credit(Option<string> lake, TextWriter output, TextWriter error, TimeProvider time)
    {
        var id = new Argument<string>("id") { Description = "Finding id (or a unique prefix)." };
        var amount = new Option<decimal>("--amount") { Description = "The credit received (a positive amount, in the finding's currency).", Required = true };
        var on = OnOption("of the credit (its invoice's date)");
        var line = new Option<string?>("--line") { Description = "The credit's invoice line, INVOICE#LINE (e.g. a proposed match from 'tem disputes matches'): it is then never matched again." };
        var note = new Option<string?>("--note") { Description = "A note kept with the claim." };
        var command = new Command("credit", "Record a credit received: partially credited until the credits reach the amount claimed, then credited.") { id, amount, on, line, note };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var op = new DisputesOperation(time);
            if (!TryDate(cli, "credit", parse.GetValue(on), op.Today, out var date))
            {
                return TemApp.UsageError;
            }

            var lineText = parse.GetValue(line);

            // A credit from a bill line is dated by its invoice unless a date is given.
            if (parse.GetValue(on) is null && lineText is not null && DisputesOperation.CreditLineDate(parse.GetValue(lake)!, parse.GetValue(id)!, lineText) is { } invoiceDate)
            {
                date = invoiceDate;
            }

            if (lineText is not null && (lineText.LastIndexOf('#') is var hash && (hash <= 0 || hash == lineText.Length - 1)))
            {
                cli.Problem($"tem disputes credit: --line '{lineText}' is not INVOICE#LINE, e.g. INV-2026-07-0042#7");
                return TemApp.UsageError;
            }

            return Finish(cli, "credit", op.Apply(parse.GetValue(lake)!, [parse.GetValue(id)!],
                new DisputeStep("credit", f => DisputeLifecycle.Credit(f, parse.GetValue(amount), date, parse.GetValue(note), BillReconciler.DefaultTolerance), lineText)),
                op.Today);
        });
        return command;
    }

    private static Command Simple(
        string name, string description, Option<string> lake, TextWriter output, TextWriter error, TimeProvider time, bool dated,
        Func<StoredFinding, DateOnly, string?, DisputeChange> step)
    {
        var ids = new Argument<string[]>("id") { Description = "Finding ids (or unique prefixes).", Arity = ArgumentArity.OneOrMore };
        var on = OnOption("it happened");
        var note = new Option<string?>("--note") { Description = "Why, e.g. the carrier's answer." };
        var command = new Command(name, description) { ids, note };
        // A step that records no date (reopen) takes no --on.
        if (dated)
        {
            command.Options.Add(on);
        }

        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var op = new DisputesOperation(time);
            if (!TryDate(cli, name, dated ? parse.GetValue(on) : null, op.Today, out var date))
            {
                return TemApp.UsageError;
            }

            return Finish(cli, name, op.Apply(parse.GetValue(lake)!, parse.GetValue(ids)!, new DisputeStep(name, f => step(f, date, parse.GetValue(note)))), op.Today);
        });
        return command;
    }

    private static int Finish(CliOutput cli, string name, DisputeStepResult result, DateOnly today)
    {
        if (result.Outcome != RunOutcome.Ok)
        {
            cli.Problem($"tem disputes {name}: {result.Message}");
            return TemApp.Failure;
        }

        foreach (var f in result.Findings)
        {
            cli.Result(string.Create(CultureInfo.InvariantCulture,
                $"{f.Finding.FindingId[..12]}: {WireNames.ToWire(f.Status)} (claimed {MoneyText.Format(f.Dispute.AmountClaimed ?? 0, f.Finding.Currency)}, credited {MoneyText.Format(f.Dispute.AmountCredited, f.Finding.Currency)}, outstanding {MoneyText.Format(f.Outstanding, f.Finding.Currency)} {f.Finding.Currency.Code})"));
        }

        cli.Summary(new { Step = name, Disputes = result.Findings.Select(f => Json(f, today, DefaultFollowUpDays)) });
        return TemApp.Ok;
    }

    private static Command Matches(Option<string> lake, TextWriter output, TextWriter error, TimeProvider time)
    {
        var command = new Command("matches", "Credits on the bills that may settle a claim but were not applied on their own, with the reason; confirm one with 'tem disputes credit ID --amount X --line INVOICE#LINE'.");
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var matches = DisputesOperation.Matches(parse.GetValue(lake)!);
            foreach (var m in matches)
            {
                cli.Result(string.Create(CultureInfo.InvariantCulture,
                    $"{m.FindingId[..12]}  {m.InvoiceId}#{m.LineNo} {m.InvoiceDate:yyyy-MM-dd} credit {m.Credit:0.00} of {m.Outstanding:0.00} outstanding {m.Currency}: {m.Reason}"));
            }

            cli.Result(string.Create(CultureInfo.InvariantCulture, $"({matches.Count} proposed matches)"));
            cli.Summary(new
            {
                Count = matches.Count,
                Matches = matches.Select(m => new
                {
                    m.FindingId, m.CreditLine, m.Carrier, m.AccountId, m.ServiceId, m.InvoiceId, m.LineNo,
                    InvoiceDate = m.InvoiceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), m.Description, m.Credit, m.Outstanding, m.Currency, m.Reason,
                }),
            });
            return TemApp.Ok;
        });
        return command;
    }

    private static Command Import(Option<string> lake, TextWriter output, TextWriter error, TimeProvider time)
    {
        var file = new Argument<string>("file") { Description = "A dispute log (disputes.csv: rule, carrier, account_id, service_id, period, status, submitted_on, ...)." };
        var command = new Command("import", "Apply a dispute log kept elsewhere to the findings nothing was recorded for yet, then match the bills' credits.") { file };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                cli.Problem($"tem disputes import: {path}: no such file");
                return TemApp.Failure;
            }

            DisputeLogResult? log;
            ReconcileResult? reconciled;
            string? locked;
            try
            {
                (log, reconciled, locked) = new DisputesOperation(time).Import(parse.GetValue(lake)!, path);
            }
            catch (InputDataException e)
            {
                cli.Problem($"tem disputes import: {e.Message}");
                return TemApp.Failure;
            }

            if (log is null || reconciled is null)
            {
                cli.Problem($"tem disputes import: {locked}");
                return TemApp.Failure;
            }

            foreach (var reject in log.Rejected)
            {
                cli.Problem(reject.Message);
            }

            cli.Result(Pipeline.DescribeLog(log));
            cli.Result(Pipeline.DescribeReconciled(reconciled));
            cli.Summary(new
            {
                log.File, log.Rows, log.Applied, log.Unchanged, Rejected = log.Rejected.Select(r => r.Message),
                CreditsMatched = reconciled.Applied.Count, SavingsConfirmed = reconciled.Confirmed.Count, MatchesProposed = reconciled.Proposed.Count,
            });
            return log.Rejected.Count > 0 ? TemApp.Failure : TemApp.Ok;
        });
        return command;
    }

    private static Command Pack(Option<string> lake, TextWriter output, TextWriter error, TimeProvider time)
    {
        var carrier = new Option<string>("--carrier") { Description = "The carrier to write the pack for.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder to write the pack into.", Required = true };
        var submitted = new Option<bool>("--include-submitted") { Description = "Also the claims already submitted and still waiting (a reminder pack)." };
        var tenant = new Option<string?>("--tenant") { Description = "Only this reseller's or dealer's customers, under its brand." };
        var command = new Command("pack", "Write one carrier's dispute pack (CSV and letters) with only the claims not yet submitted.") { carrier, outDir, submitted, tenant };
        command.SetAction(parse =>
        {
            var cli = CliOutput.For(parse, output, error);
            DisputePackResultView view;
            try
            {
                var result = new DisputesOperation(time).Pack(parse.GetValue(lake)!, parse.GetValue(carrier)!, parse.GetValue(outDir)!, parse.GetValue(submitted), parse.GetValue(tenant));
                view = new DisputePackResultView(result.Files, result.Items.Count, [.. result.Items.GroupBy(i => i.Finding.Currency.Code).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (g.Key, g.Sum(i => i.ClaimedNow)))]);
            }
            catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException)
            {
                cli.Problem($"tem disputes pack: {e.Message}");
                return TemApp.Failure;
            }

            foreach (var (currency, amount) in view.Amounts)
            {
                cli.Result(string.Create(CultureInfo.InvariantCulture, $"{currency}: {amount:0.00} claimed"));
            }

            foreach (var f in view.Files)
            {
                cli.Result(f);
            }

            cli.Summary(new { Carrier = parse.GetValue(carrier), Items = view.Items, Files = view.Files, Claimed = view.Amounts.Select(a => new { Currency = a.Currency, Amount = a.Amount }) });
            return TemApp.Ok;
        });
        return command;
    }

    private sealed record DisputePackResultView(IReadOnlyList<string> Files, int Items, IReadOnlyList<(string Currency, decimal Amount)> Amounts);
}
