namespace Tem.Reports.Query;

/// <summary>
/// The definitions of the kinds of money, in one place, for the footnote of every output (HTML, workbook, proposal).
/// The same words are in docs/money.md.
/// </summary>
internal static class MoneyDefinitions
{
    public static readonly IReadOnlyList<(string Term, string Definition)> Terms =
    [
        ("Found money", "One-time amounts to claim back plus 12 times the monthly savings (a year of them), per currency; exchange rates are never assumed. Found money is validated money only."),
        ("Validated", "Findings of deterministic rules whose action is dispute, cancel, downgrade or renegotiate: the carrier's own bills and contracts prove them. Counted while open, submitted, partially credited, credited or confirmed; rejected, closed and resolved findings are not."),
        ("Potential", "Findings a person must investigate first (the anomaly models, unknown services). Shown, never counted as found money, never used to fund a proposal."),
        ("Realised", "Money that came back or shows in the bills: credits received (recorded when the carrier confirms them, or matched automatically to a credit line on a later invoice) plus 12 times the monthly savings the bills confirm (a cancelled service's recurring charge stopped, a downgraded one's fell), whatever the finding's status now."),
        ("Reseller revenue", "Revenue a reseller leaks towards its own customers (services not rebilled, resale below the carrier's cost): the reseller's money, on its own line, never the client's saving."),
    ];
}
