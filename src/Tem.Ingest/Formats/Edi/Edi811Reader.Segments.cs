using System.Globalization;
using Tem.Core;
using Tem.Ingest.Validation;
using static Tem.Ingest.Formats.Edi.X12Values;

namespace Tem.Ingest.Formats.Edi;

// One transaction's segments: the dispatch (Body) and the heading and hierarchy segments that give the lines their
// invoice, dates, issuer, account and service (BIG, CUR, N1, REF, DTM, HL, SI), and the summary's TDS.
public sealed partial class Edi811Reader
{
    /// <summary>A segment of the transaction's heading, detail or summary.</summary>
    private void Body(Transaction tx)
    {
        var s = _segments;
        switch (s.Id)
        {
            case "BIG":
                tx.InvoiceId = s.Text(2);
                tx.BigLine = s.Line;
                if (!TryDate(s.Text(1), out var date))
                {
                    tx.HeaderProblem ??= $"BIG01 '{s.Text(1)}' at line {s.Line} is not an invoice date; expected CCYYMMDD, e.g. 20261001";
                }

                tx.InvoiceDate = date;
                break;
            case "CUR":
                tx.Currency = s.Text(2);
                break;
            case "N1":
                if (tx.Node is null && !tx.Summary)
                {
                    var rank = Array.IndexOf(IssuerCodes, s.Text(1));
                    if (rank >= 0 && rank < tx.IssuerRank && s.Text(2).Length > 0)
                    {
                        tx.IssuerRank = rank;
                        tx.Issuer = s.Text(2);
                    }
                }

                break;
            case "REF":
                if (Contains(_options.AccountReferences, s.Text(1)) && s.Text(2).Length > 0)
                {
                    if (tx.Node is null)
                    {
                        tx.HeadingAccount ??= s.Text(2);
                    }
                    else if (tx.Node.IsAccount)
                    {
                        tx.Node.Account ??= s.Text(2);
                    }
                }

                break;
            case "DTM":
                Dtm(tx);
                break;
            case "HL":
                Hl(tx);
                break;
            case "SI":
                var service = ServiceFromSi();
                if (service is not null)
                {
                    if (tx.Item is not null)
                    {
                        tx.Item.Service ??= service;
                    }
                    else if (tx.Node is not null && !tx.InSubline)
                    {
                        tx.Node.Service ??= service;
                    }
                }

                break;
            case "IT1":
                tx.It1Count++;
                It1(tx);
                break;
            case "SLN":
                Sln(tx);
                break;
            case "PID":
                if (tx.Item is not null && tx.Item.Description is null && s.Text(5).Length > 0)
                {
                    tx.Item.Description = s.Text(5);
                }

                break;
            case "QTY":
                if (tx.Item is not null && tx.Item.Quantity is null && tx.Item.Reject is null)
                {
                    if (TryNumber(s.Element(2), out var quantity))
                    {
                        tx.Item.Quantity = quantity;
                    }
                    else
                    {
                        tx.Item.Reject = NotNumber(2, "QTY02", "quantity", s.Text(2));
                        tx.Item.Line = s.Line;
                    }
                }

                break;
            case "AMT":
                if (tx.Item is not null && s.Text(1) == "1" && tx.Item.Reject is null)
                {
                    if (TryNumber(s.Element(2), out var total))
                    {
                        tx.Item.Amount = total;
                        tx.Item.Columns = AmtAmountColumns(tx.Item.Columns);
                    }
                    else
                    {
                        tx.Item.Reject = NotNumber(2, "AMT02", "amount", s.Text(2));
                        tx.Item.Line = s.Line;
                    }
                }

                break;
            case "TXI":
                Txi(tx);
                break;
            case "SAC":
                Sac(tx);
                break;
            case "TDS":
                Tds(tx);
                break;
            case "CTT":
                tx.CttLine = s.Line;
                tx.Ctt = s.Text(1);
                break;
            default:
                // NTE, ITD, PER, N2..N4, LX, TCD, ITA, MEA...: read and counted for SE01, not translated.
                break;
        }
    }

    private static readonly string[] IssuerCodes = ["II", "SE", "PE", "RE"];

    private void Hl(Transaction tx)
    {
        var s = _segments;
        tx.Item = null;
        tx.LastIt1 = null;
        tx.InSubline = false;
        var id = s.Text(1);
        var parentId = s.Text(2);
        HlNode? parent = null;
        if (parentId.Length > 0 && !tx.Nodes.TryGetValue(parentId, out parent))
        {
            Report(s.Line, 2, $"HL02 names parent '{parentId}', which is not the HL01 of an earlier HL in transaction {tx.Control} (ST at line {tx.StLine}); " +
                "expected the id of an HL above this one (hint: the hierarchy is broken or out of order, so the lines below it cannot be given an account)");
        }

        var node = new HlNode(id, parent, Contains(_options.AccountLevels, s.Text(3)));
        if (id.Length == 0 || !tx.Nodes.TryAdd(id, node))
        {
            Report(s.Line, 1, id.Length == 0
                ? "HL01 is empty; expected a hierarchical id unique in the transaction set"
                : $"HL01 '{id}' is used twice in transaction {tx.Control}; expected a unique hierarchical id per HL");
        }

        tx.Node = node;
    }

    private void Tds(Transaction tx)
    {
        var s = _segments;
        tx.Item = null;
        tx.Node = null;
        tx.Summary = true;
        tx.TdsLine = s.Line;
        if (!TryImplied2(s.Element(1), out var total, out var error))
        {
            Report(s.Line, 1, $"TDS01 '{s.Text(1)}' {error}");
            return;
        }

        tx.Tds = total;
    }

    private void Dtm(Transaction tx)
    {
        var s = _segments;
        var qualifier = s.Text(1);
        var start = qualifier is "186" or "150";
        var end = qualifier is "187" or "151";
        if (!start && !end)
        {
            return;
        }

        DateOnly? from = null;
        DateOnly? to = null;
        string? problem = null;
        var column = 2;
        if (s.Text(5) == "RD8")
        {
            column = 6;
            var range = s.Text(6).Split('-');
            if (range.Length == 2 && TryDate(range[0], out var a) && TryDate(range[1], out var b))
            {
                (from, to) = (a, b);
            }
            else
            {
                problem = $"DTM06 '{s.Text(6)}' is not a date range; expected CCYYMMDD-CCYYMMDD with DTM05 RD8, e.g. 20261001-20261031";
            }
        }
        else if (TryDate(s.Text(2), out var date))
        {
            (from, to) = start ? (date, (DateOnly?)null) : (null, date);
        }
        else
        {
            problem = $"DTM02 '{s.Text(2)}' is not a date; expected CCYYMMDD, e.g. 20261001";
        }

        if (tx.Item is not null)
        {
            if (problem is not null)
            {
                tx.Item.Reject ??= new RowReject(column, "DTM" + column.ToString("D2", CultureInfo.InvariantCulture), RejectReason.BadDate, $"(period) {problem[6..]}");
                tx.Item.Line = s.Line;
                return;
            }

            tx.Item.PeriodStart = from ?? tx.Item.PeriodStart;
            tx.Item.PeriodEnd = to ?? tx.Item.PeriodEnd;
        }
        else if (tx.Node is null && !tx.Summary)
        {
            if (problem is not null)
            {
                tx.HeaderProblem ??= $"{problem} (line {s.Line})";
                return;
            }

            tx.PeriodStart = from ?? tx.PeriodStart;
            tx.PeriodEnd = to ?? tx.PeriodEnd;
        }
    }

    private string? ServiceFromSi()
    {
        var s = _segments;
        for (var p = 2; p + 1 <= s.ElementCount; p += 2)
        {
            if (Contains(_options.ServiceQualifiers, s.Text(p)) && s.Text(p + 1).Length > 0)
            {
                return s.Text(p + 1);
            }
        }

        return null;
    }
}
