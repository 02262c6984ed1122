using Tem.DuckDb;

namespace Tem.Lake;

/// <summary>
/// The files beside the findings that readers see the dispute lifecycle through (they never open the catalog):
/// <c>findings/dispute_events.parquet</c> (every step of every dispute) and <c>findings/credit_matches.parquet</c>
/// (credits on the bills that may settle a claim but were not applied, with the reason).
/// </summary>
public static class DisputeFiles
{
    /// <summary>The columns of <c>dispute_events</c> (catalog table and file).</summary>
    public const string EventColumns =
        "finding_id VARCHAR NOT NULL, recorded_at TIMESTAMPTZ NOT NULL, event VARCHAR NOT NULL, status VARCHAR NOT NULL, on_date DATE, amount DECIMAL(18,4), " +
        "reference VARCHAR, credit_line VARCHAR, month VARCHAR, source VARCHAR NOT NULL, note VARCHAR, run_id VARCHAR";

    /// <summary>The columns of <c>credit_matches</c>.</summary>
    public const string MatchColumns =
        "finding_id VARCHAR, credit_line VARCHAR, carrier VARCHAR, account_id VARCHAR, service_id VARCHAR, invoice_id VARCHAR, line_no BIGINT, " +
        "invoice_date DATE, description VARCHAR, credit DECIMAL(18,4), outstanding DECIMAL(18,4), currency VARCHAR, reason VARCHAR";

    /// <summary>The event history file under a lake root.</summary>
    public static string EventsPath(string lakeRoot) => Path.Combine(lakeRoot, "findings", "dispute_events.parquet");

    /// <summary>The proposed credit matches file under a lake root.</summary>
    public static string MatchesPath(string lakeRoot) => Path.Combine(lakeRoot, "findings", "credit_matches.parquet");

    /// <summary>A view's query: the file when it exists, else no rows with the file's columns.</summary>
    public static string Select(string path, string columns) =>
        File.Exists(path)
            ? $"SELECT * FROM read_parquet({SqlQuote.Literal(path)})"
            : "SELECT " + string.Join(", ", columns.Split(", ").Select(c => c.Split(' ')).Select(p => $"CAST(NULL AS {p[1]}) AS {p[0]}")) + " WHERE false";
}
