using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;
using static Tem.Ingest.Formats.Edi.X12Values;

namespace Tem.Ingest.Formats.Edi;

// The lines a transaction bills: IT1 items, SLN sub-lines, TXI taxes and SAC allowances and charges, their charge
// codes, and the element each layout field comes from (for messages).
public sealed partial class Edi811Reader
{
    // Layout field positions of CanonicalLayouts.Invoices.
    private const int FieldCount = 14;
    private const int FQuantity = 10;
    private const int FUnitPrice = 11;
    private const int FAmount = 12;
    private const int FChargeType = 8;
    private const int FDescription = 9;

    private static readonly TaxTypeNames TaxNames = new();

    private void It1(Transaction tx)
    {
        var s = _segments;
        var line = NewLine(tx, It1Columns, inheritService: false);
        tx.Item = line;
        tx.InSubline = false;
        tx.LastIt1 = line;
        line.IsItem = true;
        QuantityAndPrice(line, 2, "IT102", 4, "IT104");

        line.ChargeType = ChargeCode("IT1", 6, 24, out var column, out var code, out var problem);
        line.Code = code;
        line.Columns = WithColumn(line.Columns, FChargeType, column);
        if (line.ChargeType is null)
        {
            line.Reject ??= problem;
        }
    }

    /// <summary>
    /// The quantity and unit price of an IT1 or SLN line (the same pair of optional numbers at other element
    /// positions); the first that is not a number rejects the line. Element names are literals, so no string is built
    /// per line.
    /// </summary>
    private void QuantityAndPrice(PendingLine line, int quantityAt, string quantityElement, int priceAt, string priceElement)
    {
        var s = _segments;
        if (!TryOptionalNumber(s.Element(quantityAt), out var quantity))
        {
            line.Reject = NotNumber(quantityAt, quantityElement, "quantity", s.Text(quantityAt));
        }
        else if (!TryOptionalNumber(s.Element(priceAt), out var price))
        {
            line.Reject = NotNumber(priceAt, priceElement, "unit_price", s.Text(priceAt));
        }
        else
        {
            line.Quantity = quantity;
            line.UnitPrice = price;
        }
    }

    private void Sln(Transaction tx)
    {
        var s = _segments;
        tx.InSubline = true;
        if (s.Text(3) != "A")
        {
            // Included (I) and information-only (O) sub-lines are already part of their item's amount.
            tx.Item = null;
            return;
        }

        var line = NewLine(tx, SlnColumns, inheritService: false);
        tx.Item = line;
        QuantityAndPrice(line, 4, "SLN04", 6, "SLN06");

        line.ChargeType = ChargeCode("SLN", 9, 27, out var column, out var code, out var problem);
        line.Code = code;
        line.Columns = WithColumn(line.Columns, FChargeType, column);
        if (line.ChargeType is null && problem is { Reason: RejectReason.Required } && tx.LastIt1 is { ChargeType: { } inherited })
        {
            // A sub-line without its own code is of its item's kind.
            line.ChargeType = inherited;
            line.Code = tx.LastIt1.Code;
        }
        else if (line.ChargeType is null)
        {
            line.Reject ??= problem;
        }

        line.Service = tx.LastIt1?.Service;
    }

    private void Txi(Transaction tx)
    {
        var s = _segments;
        if (s.Element(2).IsEmpty)
        {
            // A rate or exemption without an amount bills nothing.
            return;
        }

        var line = NewLine(tx, TxiColumns);
        line.ChargeType = "tax";
        var code = s.Text(1);
        var jurisdiction = s.Text(5);
        line.Description = TaxNames.Describe(code) + (jurisdiction.Length > 0 ? $" ({jurisdiction})" : string.Empty);
        if (TryNumber(s.Element(2), out var amount))
        {
            line.Amount = amount;
        }
        else
        {
            line.Reject = NotNumber(2, "TXI02", "amount", s.Text(2));
        }
    }

    private void Sac(Transaction tx)
    {
        var s = _segments;
        var indicator = s.Text(1);
        if (indicator is not ("A" or "C"))
        {
            // N = no allowance or charge: information only.
            return;
        }

        var line = NewLine(tx, SacColumns);
        var code = s.Text(2);
        line.ChargeType = code.Length > 0 && LookUp(code) is { } mapped ? mapped : indicator == "A" ? "credit" : "surcharge";
        line.Description = s.Text(15).Length > 0 ? s.Text(15) : (indicator == "A" ? "Allowance" : "Charge") + (code.Length > 0 ? " " + code : string.Empty);
        if (!TryImplied2(s.Element(5), out var amount, out var error))
        {
            line.Reject = new RowReject(5, "SAC05", RejectReason.BadMoney, $"(amount) '{s.Text(5)}' {error}");
            return;
        }

        line.Amount = indicator == "A" || line.ChargeType == "credit" ? -Math.Abs(amount) : amount;
    }

    /// <summary>The canonical charge type of the first product/service id that is a known charge code.</summary>
    private string? ChargeCode(string segment, int first, int last, out int column, out string? matched, out RowReject? problem)
    {
        var s = _segments;
        column = first + 1;
        matched = null;
        problem = null;
        string? firstCode = null;
        var firstColumn = 0;
        for (var p = first; p + 1 <= Math.Min(last + 1, s.ElementCount); p += 2)
        {
            var code = s.Text(p + 1);
            if (code.Length == 0)
            {
                continue;
            }

            if (LookUp(code) is { } type)
            {
                column = p + 1;
                matched = code;
                return type;
            }

            if (firstCode is null)
            {
                (firstCode, firstColumn) = (code, p + 1);
            }
        }

        var name = segment + (first + 1).ToString("D2", CultureInfo.InvariantCulture);
        if (firstCode is null)
        {
            problem = new RowReject(first + 1, name, RejectReason.Required,
                $"(charge_type) {segment} has no product/service id to tell the kind of charge; expected e.g. {segment}*1*1*EA*45.00**SV*MRC " +
                "(MRC recurring, USG usage, OTC one-time, LPC late fee, ADJ adjustment, CR credit, SUR surcharge, TAX tax)");
            return null;
        }

        column = firstColumn;
        problem = new RowReject(firstColumn, segment + firstColumn.ToString("D2", CultureInfo.InvariantCulture), RejectReason.BadEnum,
            $"(charge_type) '{firstCode}' is not a known charge code; expected one of MRC, USG, OTC, NRC, LPC, ADJ, CR, SUR, TAX or a charge type " +
            $"({string.Join(", ", WireNames.All<ChargeType>())}) (hint: map the carrier's code with the EDI charge codes option, e.g. {firstCode}=recurring)");
        return null;
    }

    private string? LookUp(string code) =>
        _options.ChargeCodes.TryGetValue(code, out var mapped) || _options.ChargeCodes.TryGetValue(code.ToUpperInvariant(), out mapped)
            ? mapped
            : Edi811Options.DefaultChargeCodes.GetValueOrDefault(code);

    private PendingLine NewLine(Transaction tx, int[] columns, bool inheritService = true)
    {
        var line = new PendingLine
        {
            Line = _segments.Line,
            Raw = _segments.RawText(),
            SegmentId = _segments.Id,
            Columns = columns,
            Node = tx.Node,
            // A tax or allowance inside an item's loop is for the item's service.
            Service = inheritService ? tx.Item?.Service : null,
            LineNo = tx.Lines.Count + 1,
        };
        tx.Lines.Add(line);
        return line;
    }

    // Source columns (element positions) of each layout field, per kind of line; 0 = not from the line's own segment.
    private static readonly int[] It1Columns = Columns(quantity: 2, unitPrice: 4, amount: 4, chargeType: 7, description: 0);
    private static readonly int[] SlnColumns = Columns(quantity: 4, unitPrice: 6, amount: 6, chargeType: 10, description: 0);
    private static readonly int[] TxiColumns = Columns(quantity: 0, unitPrice: 0, amount: 2, chargeType: 1, description: 1);
    private static readonly int[] SacColumns = Columns(quantity: 0, unitPrice: 0, amount: 5, chargeType: 2, description: 15);

    private static int[] Columns(int quantity, int unitPrice, int amount, int chargeType, int description)
    {
        var columns = new int[FieldCount];
        columns[FQuantity] = quantity;
        columns[FUnitPrice] = unitPrice;
        columns[FAmount] = amount;
        columns[FChargeType] = chargeType;
        columns[FDescription] = description;
        return columns;
    }

    private static int[] WithColumn(int[] columns, int field, int column)
    {
        if (columns[field] == column)
        {
            return columns;
        }

        var copy = (int[])columns.Clone();
        copy[field] = column;
        return copy;
    }

    // The amount then comes from an AMT segment on another line: it points at no element of the IT1.
    private static int[] AmtAmountColumns(int[] columns) => WithColumn(columns, FAmount, 0);
}
