namespace Tem.Reports;

/// <summary>What <see cref="ReportWriter.Write"/> writes.</summary>
public sealed record ReportOptions
{
    /// <summary>
    /// A party id (distributor, dealer or reseller): write only that party's set, branded with its brand name, colour
    /// and logo and holding only the customers below it in the channel. Null writes the full set plus
    /// <c>tenants/&lt;party_id&gt;/</c> for every distributor, dealer and reseller.
    /// </summary>
    public string? Tenant { get; init; }

    /// <summary>With <see cref="Tenant"/> null: also write the per-tenant sets under <c>tenants/</c> (default true).</summary>
    public bool WriteTenantSets { get; init; } = true;

    /// <summary>
    /// The currency of upgrade.csv's prices where its lines give none. Null takes the currency most of the
    /// lake's accounts are billed in (ties: the first code in ordinal order), the same for every tenant set.
    /// </summary>
    public string? ProposalCurrency { get; init; }

    /// <summary>
    /// Exchange rates into <see cref="ProposalCurrency"/>: units of the proposal currency per one unit of the key
    /// currency (<c>EUR</c> = 1.08 when 1 EUR buys 1.08 USD). Found money in a currency without a rate is shown in the
    /// proposal but never counted towards paying for the upgrade.
    /// </summary>
    public IReadOnlyDictionary<string, decimal> ExchangeRates { get; init; } = new Dictionary<string, decimal>();

    /// <summary>
    /// The consultant's contingency fee: the share (percent, 0 to 100) of realised savings it bills its client on
    /// (<c>contingency.csv</c>). 0 (the default) shows the realised savings with a fee of 0.
    /// </summary>
    public decimal ContingencyFeePct { get; init; }

    /// <summary>Days without news after which a claim waiting for the carrier is overdue for follow-up (default 30).</summary>
    public int FollowUpDays { get; init; } = 30;

    /// <summary>
    /// Also print every page of the set (report, proposals, margin, channel, dispute letters; tenant sets too) to a PDF
    /// beside it, with a Chromium-family browser found on the machine (see <see cref="Pdf.PdfPrinter.FindBrowser"/>).
    /// </summary>
    public bool Pdf { get; init; }

    /// <summary>How many findings per currency the report's "top findings" table shows (default 10).</summary>
    public int TopFindings { get; init; } = 10;

    /// <summary>
    /// The font family the charts are drawn in; null takes the platform's (DejaVu Sans on Linux, from the Debian
    /// package <c>fonts-dejavu-core</c>; Arial on Windows; Helvetica on macOS). A family that is not installed stops
    /// the report with a <see cref="ChartFontException"/> before any file is written, never blank charts.
    /// </summary>
    public string? ChartFont { get; init; }
}
