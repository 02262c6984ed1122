using Tem.Core;
using Tem.DuckDb;

namespace Tem.Lake;

/// <summary>A finding with its lifecycle: status (set by a person, or <c>resolved</c> when its cause disappeared) and the runs that saw it.</summary>
/// <param name="Finding">The finding.</param>
/// <param name="Status">Where its dispute stands.</param>
/// <param name="StatusNote">What the person who set the status wrote.</param>
/// <param name="FirstSeenRun">The run that first produced it.</param>
/// <param name="LastSeenRun">The last run that produced it.</param>
public sealed record StoredFinding(Finding Finding, FindingStatus Status, string? StatusNote, string FirstSeenRun, string LastSeenRun)
{
    /// <summary>Its submission, credits and confirmation; <see cref="DisputeDetails.None"/> while nothing was done.</summary>
    public DisputeDetails Dispute { get; init; } = DisputeDetails.None;

    /// <summary>Money back in hand: every credit received, whatever the status now (a closed dispute keeps what it got).</summary>
    public decimal RealisedOneTime => Dispute.AmountCredited;

    /// <summary>The monthly saving once the bills confirm it (<see cref="DisputeDetails.ConfirmedFrom"/>), else 0.</summary>
    public decimal RealisedMonthly => Dispute.ConfirmedFrom is null ? 0m : Finding.MonthlySavings;

    /// <summary>What the carrier still owes on it: claimed less credited while the claim waits (submitted, partially credited); 0 otherwise.</summary>
    public decimal Outstanding => FindingStatuses.IsPending(Status) ? Dispute.Outstanding : 0m;

    /// <summary>What the carrier is asked for now: the one-time amount while nothing was claimed, else what is still outstanding.</summary>
    public decimal ClaimedNow => Dispute.AmountClaimed is null ? Finding.OneTimeAmount : Outstanding;

    /// <summary>Whether it waits for the carrier (submitted, partially credited) with no news for <paramref name="followUpDays"/> days or more on <paramref name="today"/>.</summary>
    public bool IsOverdue(DateOnly today, int followUpDays) => FindingStatuses.IsPending(Status) && Dispute.DaysWaiting(today) >= followUpDays;

    /// <summary>Whether it counts as identified money of its kind (<see cref="FindingStatuses.IsLive"/>).</summary>
    public bool Counts => FindingStatuses.IsLive(Status);
}

/// <summary>
/// The lake's findings file, <c>findings/findings.parquet</c>: its place, its columns and the one mapping between a
/// row and a <see cref="StoredFinding"/>. The audit writes it (replaced atomically), every reader reads it here.
/// </summary>
public static class FindingsFile
{
    /// <summary>The file's columns, in order, with their DuckDB types.</summary>
    public static readonly IReadOnlyList<(string Name, string Type)> Columns =
    [
        ("finding_id", "VARCHAR"), ("rule", "VARCHAR"), ("severity", "VARCHAR"), ("carrier", "VARCHAR"), ("account_id", "VARCHAR"),
        ("service_id", "VARCHAR"), ("customer_id", "VARCHAR"), ("bill_to_id", "VARCHAR"), ("reseller_id", "VARCHAR"), ("period", "VARCHAR"),
        ("one_time_amount", "DECIMAL(18,4)"), ("monthly_savings", "DECIMAL(18,4)"), ("currency", "VARCHAR"), ("confidence", "DECIMAL(5,4)"),
        ("title", "VARCHAR"), ("detail", "VARCHAR"), ("evidence", "VARCHAR"), ("recommended_action", "VARCHAR"), ("recommended_plan_id", "VARCHAR"),
        ("money_kind", "VARCHAR"), ("status", "VARCHAR"), ("status_note", "VARCHAR"), ("submitted_on", "DATE"), ("reference", "VARCHAR"),
        ("amount_claimed", "DECIMAL(18,4)"), ("amount_credited", "DECIMAL(18,4)"), ("credited_on", "DATE"), ("confirmed_from", "VARCHAR"),
        ("resolved_on", "DATE"), ("realised_one_time", "DECIMAL(18,4)"), ("realised_monthly", "DECIMAL(18,4)"),
        ("first_seen_run", "VARCHAR"), ("last_seen_run", "VARCHAR"),
    ];

    /// <summary>The file under a lake root.</summary>
    public static string PathIn(string lakeRoot) => Path.Combine(lakeRoot, "findings", "findings.parquet");

    /// <summary>A query with the file's columns and no rows, for a view over a lake that has no findings yet.</summary>
    public static string EmptySelect =>
        "SELECT " + string.Join(", ", Columns.Select(c => $"CAST(NULL AS {c.Type}) AS {SqlQuote.Identifier(c.Name)}")) + " WHERE false";

    /// <summary>
    /// A query over the file with every current column: a file written by an older Tem (before a column existed) reads
    /// with that column null, so readers and reports work on an older lake until its next audit rewrites the file.
    /// </summary>
    public static string Select(string path) =>
        $"SELECT * FROM ({EmptySelect}) UNION ALL BY NAME SELECT * FROM read_parquet({SqlQuote.Literal(path)})";

    /// <summary>Every finding in the file, ordered by id; none when the file does not exist.</summary>
    public static IReadOnlyList<StoredFinding> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var db = LakeSession.InMemory();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT * FROM ({Select(path)}) ORDER BY finding_id";
        using var r = cmd.ExecuteReader();
        return ReadRows(r);
    }

    /// <summary>The findings of a query over the file's columns (the file, or a view of it such as a tenant's scope), in the query's order.</summary>
    public static IReadOnlyList<StoredFinding> ReadRows(DuckDB.NET.Data.DuckDBDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var list = new List<StoredFinding>();
        // Ordinals resolved once: a lake of 100 k findings reads in a fraction of the time of a lookup per field.
        var ordinals = Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => i, StringComparer.Ordinal);
        int At(string n) => ordinals.TryGetValue(n, out var i) ? i : -1;
        string? Opt(string n) => At(n) is var i and >= 0 ? r.GetStringOrNull(i) : null;
        string Text(string n) => r.GetString(At(n));
        DateOnly? Date(string n) => At(n) is var i and >= 0 && !r.IsDBNull(i) ? r.GetFieldValue<DateOnly>(i) : null;
        decimal? Amount(string n) => At(n) is var i and >= 0 && !r.IsDBNull(i) ? r.GetDecimal(i) : null;
        while (r.Read())
        {
            var finding = new Finding
            {
                FindingId = Text("finding_id"),
                Rule = Text("rule"),
                Severity = WireNames.Parse<Severity>(Text("severity")),
                Carrier = Text("carrier"),
                AccountId = Text("account_id"),
                ServiceId = Opt("service_id"),
                CustomerId = Opt("customer_id"),
                BillToId = Opt("bill_to_id"),
                ResellerId = Opt("reseller_id"),
                Period = BillingMonth.Parse(Text("period")),
                OneTimeAmount = r.GetDecimal(At("one_time_amount")),
                MonthlySavings = r.GetDecimal(At("monthly_savings")),
                Currency = CurrencyCode.Parse(Text("currency")),
                Confidence = r.GetDecimal(At("confidence")),
                Title = Text("title"),
                Detail = Text("detail"),
                Evidence = Text("evidence"),
                RecommendedAction = WireNames.Parse<RecommendedAction>(Text("recommended_action")),
                RecommendedPlanId = Opt("recommended_plan_id"),
                MoneyKind = Opt("money_kind") is { } kind ? WireNames.Parse<MoneyKind>(kind) : MoneyKind.Validated,
            };
            var dispute = new DisputeDetails
            {
                SubmittedOn = Date("submitted_on"),
                Reference = Opt("reference"),
                AmountClaimed = Amount("amount_claimed"),
                AmountCredited = Amount("amount_credited") ?? 0m,
                CreditedOn = Date("credited_on"),
                ConfirmedFrom = Opt("confirmed_from") is { } from ? BillingMonth.Parse(from) : null,
                ResolvedOn = Date("resolved_on"),
            };
            list.Add(new StoredFinding(finding, FindingStatuses.Parse(Text("status")), Opt("status_note"), Text("first_seen_run"), Text("last_seen_run"))
            {
                Dispute = dispute,
            });
        }

        return list;
    }

    /// <summary>
    /// Writes the findings to <paramref name="path"/>, ordered by id: written aside and renamed over the old file, so a
    /// reader sees the old findings or the new ones, never half.
    /// </summary>
    public static void Write(string path, IReadOnlyList<StoredFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var db = LakeSession.InMemory();
        db.Execute($"CREATE TABLE f ({string.Join(", ", Columns.Select(c => $"{SqlQuote.Identifier(c.Name)} {c.Type}"))})");
        using (var app = db.CreateAppender("f"))
        {
            // DuckDB.NET's appender writes the CLR type's width: every value here is a string or a decimal, as the columns are.
            foreach (var s in findings)
            {
                var f = s.Finding;
                app.CreateRow().AppendValue(f.FindingId).AppendValue(f.Rule).AppendValue(WireNames.ToWire(f.Severity)).AppendValue(f.Carrier)
                    .AppendValue(f.AccountId).AppendValue(f.ServiceId).AppendValue(f.CustomerId).AppendValue(f.BillToId).AppendValue(f.ResellerId)
                    .AppendValue(f.Period.ToString()).AppendValue(f.OneTimeAmount).AppendValue(f.MonthlySavings).AppendValue(f.Currency.Code)
                    .AppendValue(Math.Round(f.Confidence, 4, MidpointRounding.AwayFromZero)).AppendValue(f.Title).AppendValue(f.Detail)
                    .AppendValue(f.Evidence).AppendValue(WireNames.ToWire(f.RecommendedAction)).AppendValue(f.RecommendedPlanId)
                    .AppendValue(WireNames.ToWire(f.MoneyKind)).AppendValue(WireNames.ToWire(s.Status)).AppendValue(s.StatusNote)
                    .AppendValue(s.Dispute.SubmittedOn).AppendValue(s.Dispute.Reference).AppendValue(s.Dispute.AmountClaimed)
                    .AppendValue(s.Dispute.AmountCredited).AppendValue(s.Dispute.CreditedOn).AppendValue(s.Dispute.ConfirmedFrom?.ToString())
                    .AppendValue(s.Dispute.ResolvedOn).AppendValue(s.RealisedOneTime).AppendValue(s.RealisedMonthly)
                    .AppendValue(s.FirstSeenRun).AppendValue(s.LastSeenRun).EndRow();
            }
        }

        var temporary = path + ".tmp";
        db.Execute($"COPY (SELECT * FROM f ORDER BY finding_id) TO {SqlQuote.Literal(temporary)} (FORMAT parquet, COMPRESSION zstd)");
        File.Move(temporary, path, overwrite: true);
    }
}
