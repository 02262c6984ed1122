using System.Collections.Frozen;

namespace Tem.Ingest.Formats.Edi;

/// <summary>How an EDI 811 invoice is mapped onto invoice lines where the file itself leaves a choice.</summary>
public sealed record Edi811Options
{
    /// <summary>
    /// The carrier name stored with every line (it must match <c>accounts.carrier</c> for the audit to join).
    /// Null: the name of the heading N1 loop of the invoice's issuer (N101 <c>II</c>, then <c>SE</c>, <c>PE</c>,
    /// <c>RE</c>), else the group's sender code GS02, else the interchange sender ISA06.
    /// </summary>
    public string? Carrier { get; init; }

    /// <summary>Currency when the invoice has no CUR segment (ISO 4217). X12 is a US standard: USD.</summary>
    public string DefaultCurrency { get; init; } = "USD";

    /// <summary>
    /// Extra or overriding charge codes (case-insensitive) for the product/service ids of IT1 and SLN
    /// (IT107, IT109, ...) and SAC02, mapped to a canonical charge type, e.g. <c>BASIC -&gt; recurring</c>.
    /// They are looked up before <see cref="DefaultChargeCodes"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ChargeCodes { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>
    /// SI qualifiers (element 1000, case-insensitive) whose value identifies a service: telephone number <c>TN</c>,
    /// circuit id <c>CI</c>, service/serial number <c>SN</c>.
    /// </summary>
    public IReadOnlyList<string> ServiceQualifiers { get; init; } = ["TN", "CI", "SN"];

    /// <summary>HL03 level codes that stand for a billing account (<c>2</c> = billing arrangement, in the telecom code list).</summary>
    public IReadOnlyList<string> AccountLevels { get; init; } = ["2"];

    /// <summary>REF01 qualifiers whose REF02 is the account number: <c>11</c> account number, <c>12</c> billing account.</summary>
    public IReadOnlyList<string> AccountReferences { get; init; } = ["11", "12"];

    /// <summary>
    /// Built-in charge codes: the canonical names themselves and common carrier abbreviations
    /// (MRC recurring, USG usage, OTC/NRC one-time, LPC late fee, ADJ adjustment, CR credit, SUR surcharge, TAX tax).
    /// </summary>
    public static FrozenDictionary<string, string> DefaultChargeCodes { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["recurring"] = "recurring", ["usage"] = "usage", ["one_time"] = "one_time", ["tax"] = "tax", ["surcharge"] = "surcharge",
        ["credit"] = "credit", ["late_fee"] = "late_fee", ["adjustment"] = "adjustment",
        ["MRC"] = "recurring", ["RC"] = "recurring", ["REC"] = "recurring", ["MON"] = "recurring",
        ["USG"] = "usage", ["USE"] = "usage", ["TOLL"] = "usage", ["MOU"] = "usage",
        ["OTC"] = "one_time", ["NRC"] = "one_time", ["OCC"] = "one_time", ["INST"] = "one_time",
        ["LPC"] = "late_fee", ["LATE"] = "late_fee",
        ["ADJ"] = "adjustment",
        ["CR"] = "credit", ["CRD"] = "credit",
        ["SUR"] = "surcharge", ["FEE"] = "surcharge",
        ["TAX"] = "tax",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
}
