using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats.Edi;

// The state of the transaction being read: its heading, its HL hierarchy and the lines waiting for SE.
public sealed partial class Edi811Reader
{
    private sealed class Transaction(string control, long stLine)
    {
        public string Control { get; } = control;

        public long StLine { get; } = stLine;

        public int Segments { get; set; } = 1;

        public string? InvoiceId { get; set; }

        public DateOnly? InvoiceDate { get; set; }

        public long BigLine { get; set; }

        public string? HeaderProblem { get; set; }

        public string? Currency { get; set; }

        public string? HeadingAccount { get; set; }

        public DateOnly? PeriodStart { get; set; }

        public DateOnly? PeriodEnd { get; set; }

        public string? Issuer { get; set; }

        public int IssuerRank { get; set; } = int.MaxValue;

        public Dictionary<string, HlNode> Nodes { get; } = new(StringComparer.Ordinal);

        public HlNode? Node { get; set; }

        public PendingLine? Item { get; set; }

        public PendingLine? LastIt1 { get; set; }

        public bool InSubline { get; set; }

        public bool Summary { get; set; }

        public List<PendingLine> Lines { get; } = [];

        public int It1Count { get; set; }

        public decimal? Tds { get; set; }

        public long TdsLine { get; set; }

        public string? Ctt { get; set; }

        public long CttLine { get; set; }
    }

    private sealed class HlNode(string id, HlNode? parent, bool isAccount)
    {
        public string Id { get; } = id;

        public HlNode? Parent { get; } = parent;

        public bool IsAccount { get; } = isAccount;

        public string? Account { get; set; }

        public string? Service { get; set; }
    }

    private sealed class PendingLine
    {
        public long Line { get; set; }

        public string Raw { get; set; } = string.Empty;

        public int[] Columns { get; set; } = [];

        public HlNode? Node { get; set; }

        public string? Service { get; set; }

        public int LineNo { get; set; }

        public bool IsItem { get; set; }

        public string? ChargeType { get; set; }

        public string? Description { get; set; }

        public decimal? Quantity { get; set; }

        public decimal? UnitPrice { get; set; }

        public decimal? Amount { get; set; }

        public DateOnly? PeriodStart { get; set; }

        public DateOnly? PeriodEnd { get; set; }

        public RowReject? Reject { get; set; }

        public string?[] Fields { get; set; } = [];

        /// <summary>
        /// What the line bills: an explicit amount (TXI, SAC, AMT*1), else quantity x unit price (no quantity: the
        /// unit price). A credit is stored negative whatever sign it was sent with.
        /// </summary>
        public decimal? AmountValue()
        {
            if (Reject is { Reason: RejectReason.BadMoney or RejectReason.BadNumber })
            {
                return null;
            }

            var amount = Amount ?? (UnitPrice is { } price ? (Quantity ?? 1m) * price : null);
            return amount is { } a && ChargeType == "credit" ? -Math.Abs(a) : amount;
        }

        public string? QuantityText() => Quantity is { } q ? Number(Math.Abs(q)) : null;

        public string? UnitPriceText() => UnitPrice is { } p ? Number(p) : null;

        public string? AmountText() => AmountValue() is { } a ? Number(a) : null;

        public string? Code { get; set; }

        public string SegmentId { get; set; } = string.Empty;

        public string DefaultDescription() => Code ?? SegmentId;

        private static string Number(decimal value) =>
            (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Names of the common TXI01 tax type codes (element 963).</summary>
    private sealed class TaxTypeNames
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.OrdinalIgnoreCase)
        {
            ["CA"] = "City tax", ["CI"] = "City tax", ["CT"] = "County tax", ["FT"] = "Federal excise tax", ["GS"] = "Goods and services tax",
            ["LS"] = "State and local sales tax", ["LT"] = "Local sales tax", ["SP"] = "State/provincial tax", ["ST"] = "State sales tax",
            ["SU"] = "Sales and use tax", ["VA"] = "Value added tax", ["TX"] = "All taxes", ["ZZ"] = "Tax",
        };

        public string Describe(string code) =>
            _names.TryGetValue(code, out var name) ? name : code.Length > 0 ? "Tax " + code : "Tax";
    }
}
