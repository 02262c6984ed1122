using System.Globalization;
using System.Text;
using Tem.Core;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Formats.Edi;

/// <summary>
/// Reads ANSI X12 811 (Consolidated Service Invoice/Statement, versions 004010 and 005010) into invoice lines
/// (<see cref="CanonicalLayouts.Invoices"/>, lake table <c>charges</c>). One ST..SE transaction is one invoice
/// (BIG02); its HL hierarchy gives each line its account (the HL whose level is a billing arrangement, with its
/// REF*11/12) and its service (the nearest SI with a service qualifier below the account, or the line's own SI).
/// Lines are IT1 items, SLN sub-lines that add to the bill (SLN03 <c>A</c>), TXI taxes and SAC allowances
/// (credits, negative) and charges (surcharges). The envelopes and control counts are checked: ISA13/IEA02,
/// IEA01, GS06/GE02, GE01, ST02/SE02, SE01, CTT01 (number of IT1) and TDS01 (the total in cents, against the sum of
/// the lines); a count that does not add up, a truncated interchange or a file that cannot be split into segments
/// is a <see cref="FileProblem"/>, and a line the reader cannot translate (e.g. a non-numeric amount) a
/// <see cref="RowReject"/> at the element's position.
/// </summary>
public sealed class Edi811Reader : IFormatReader
{
    // Layout field positions of CanonicalLayouts.Invoices.
    private const int FieldCount = 14;
    private const int FQuantity = 10;
    private const int FUnitPrice = 11;
    private const int FAmount = 12;
    private const int FChargeType = 8;
    private const int FDescription = 9;

    private static readonly TaxTypeNames TaxNames = new();

    private readonly X12SegmentReader _segments;
    private readonly Edi811Options _options;
    private readonly Queue<PendingLine> _ready = new();
    private readonly TranslatedRecord _record = new();
    private FileProblem? _problem;
    private int _otherProblems;
    private bool _done;

    private Envelope _state = Envelope.BeforeInterchange;
    private string _isaControl = string.Empty;
    private string _isaSender = string.Empty;
    private long _isaLine;
    private int _groups;
    private string _gsControl = string.Empty;
    private string _gsSender = string.Empty;
    private long _gsLine;
    private int _transactions;
    private Transaction? _tx;

    /// <summary>Reads the 811 interchange(s) in <paramref name="stream"/>, which the reader disposes.</summary>
    public Edi811Reader(Stream stream, Edi811Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _segments = new X12SegmentReader(stream);
        _options = options ?? new Edi811Options();
    }

    private enum Envelope
    {
        BeforeInterchange,
        InInterchange,
        InGroup,
        InTransaction,
        AfterInterchange,
    }

    /// <inheritdoc />
    public Layout Layout => CanonicalLayouts.Invoices;

    /// <inheritdoc />
    public string Format => "edi811";

    /// <inheritdoc />
    public TranslatedRecord Record => _record;

    /// <inheritdoc />
    public FileProblem? Problem => _problem is null || _otherProblems == 0
        ? _problem
        : _problem with { Message = string.Create(CultureInfo.InvariantCulture, $"{_problem.Message} (and {_otherProblems} more problem{(_otherProblems == 1 ? "" : "s")} after it)") };

    /// <summary>True when <see cref="FileProblem.Line"/> and record lines are physical lines; false when they are segment numbers.</summary>
    public bool PhysicalLines => _segments.PhysicalLines;

    /// <summary>
    /// Whether the start of a file looks like an X12 interchange: an optional BOM and white space, then <c>ISA</c>
    /// and an element separator that is not a letter or digit.
    /// </summary>
    public static bool LooksLikeX12(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        head = head.TrimStart(" \t\r\n"u8);
        return head.Length >= 4 && head.StartsWith("ISA"u8) && !char.IsAsciiLetterOrDigit((char)head[3]) && head[3] is not ((byte)' ' or (byte)'\r' or (byte)'\n');
    }

    /// <inheritdoc />
    public bool Read(out RowReject? reject)
    {
        while (_ready.Count == 0)
        {
            if (_done)
            {
                reject = null;
                return false;
            }

            Advance();
        }

        var line = _ready.Dequeue();
        _record.Clear();
        _record.Line = line.Line;
        _record.Raw = line.Raw;
        _record.SourceColumn = line.Columns;
        foreach (var field in line.Fields)
        {
            _record.Add(field);
        }

        reject = line.Reject;
        return true;
    }

    /// <summary>Reads segments until a transaction is complete (its lines are then ready) or the input ends.</summary>
    private void Advance()
    {
        var ended = false;
        while (!ended)
        {
            if (!_segments.Read())
            {
                Finish();
                return;
            }

            ended = Segment();
            if (_done)
            {
                return;
            }
        }
    }

    /// <summary>Handles one segment; true when it ended a transaction.</summary>
    private bool Segment()
    {
        var s = _segments;
        switch (s.Id)
        {
            case "ISA":
                if (_state is not (Envelope.BeforeInterchange or Envelope.AfterInterchange))
                {
                    Stop(s.Line, 0, $"an ISA starts a new interchange before the IEA of the one opened at line {_isaLine}; expected IEA first (hint: the file is truncated or two files were joined)");
                    return false;
                }

                var version = s.Text(12);
                if (string.CompareOrdinal(version, "00401") < 0 || string.CompareOrdinal(version, "00501") > 0)
                {
                    Stop(s.Line, 12, $"ISA12 is version '{version}'; Tem reads 811 invoices of versions 00401 (004010) to 00501 (005010)");
                    return false;
                }

                _isaControl = s.Text(13);
                _isaSender = s.Text(6);
                _isaLine = s.Line;
                _groups = 0;
                _state = Envelope.InInterchange;
                return false;
            case "GS":
                if (_state != Envelope.InInterchange)
                {
                    Stop(s.Line, 0, $"GS {Outside()}; expected GS only between ISA and IEA, after the previous group's GE");
                    return false;
                }

                if (s.Text(1) != "CI")
                {
                    Stop(s.Line, 1, $"GS01 is '{s.Text(1)}', a functional group that is not Consolidated Service Invoices; expected CI (the 811's group)");
                    return false;
                }

                _gsControl = s.Text(6);
                _gsSender = s.Text(2);
                _gsLine = s.Line;
                _groups++;
                _transactions = 0;
                _state = Envelope.InGroup;
                return false;
            case "ST":
                if (_state != Envelope.InGroup)
                {
                    Stop(s.Line, 0, $"ST {Outside()}; expected ST only inside a GS..GE group, after the previous transaction's SE");
                    return false;
                }

                if (s.Text(1) != "811")
                {
                    Stop(s.Line, 1, $"ST01 is transaction set '{s.Text(1)}'; Tem reads 811 (Consolidated Service Invoice/Statement) here");
                    return false;
                }

                _transactions++;
                _tx = new Transaction(s.Text(2), s.Line);
                _state = Envelope.InTransaction;
                return false;
            case "SE":
                if (_state != Envelope.InTransaction)
                {
                    Stop(s.Line, 0, $"SE {Outside()}; expected SE to close an ST");
                    return false;
                }

                _tx!.Segments++;
                EndTransaction();
                _state = Envelope.InGroup;
                return true;
            case "GE":
                if (_state != Envelope.InGroup)
                {
                    Stop(s.Line, 0, $"GE {Outside()}; expected GE to close a GS after its last SE");
                    return false;
                }

                CheckCount(s.Line, 1, "GE01", _transactions, $"transaction sets in the group opened by GS at line {_gsLine}");
                CheckControl(s.Line, 2, "GE02", "GS06", _gsControl, _gsLine);
                _state = Envelope.InInterchange;
                return false;
            case "IEA":
                if (_state != Envelope.InInterchange)
                {
                    Stop(s.Line, 0, $"IEA {Outside()}; expected IEA to close an ISA after its last GE");
                    return false;
                }

                CheckCount(s.Line, 1, "IEA01", _groups, $"functional groups in the interchange opened by ISA at line {_isaLine}");
                CheckControl(s.Line, 2, "IEA02", "ISA13", _isaControl, _isaLine);
                _state = Envelope.AfterInterchange;
                return false;
            default:
                if (_state != Envelope.InTransaction)
                {
                    Stop(s.Line, 0, $"segment {s.Id} {Outside()}; expected it inside an ST..SE transaction set");
                    return false;
                }

                _tx!.Segments++;
                Body(_tx);
                return false;
        }
    }

    private string Outside() => _state switch
    {
        Envelope.BeforeInterchange => "comes before any ISA",
        Envelope.AfterInterchange => $"comes after the IEA that closed the interchange opened at line {_isaLine}",
        Envelope.InInterchange => "comes between groups (after ISA or GE)",
        Envelope.InGroup => "comes between transaction sets (after GS or SE)",
        _ => "comes inside a transaction set",
    };

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

    private void It1(Transaction tx)
    {
        var s = _segments;
        var line = NewLine(tx, It1Columns, inheritService: false);
        tx.Item = line;
        tx.InSubline = false;
        tx.LastIt1 = line;
        line.IsItem = true;
        if (!TryOptionalNumber(s.Element(2), out var quantity))
        {
            line.Reject = NotNumber(2, "IT102", "quantity", s.Text(2));
        }
        else if (!TryOptionalNumber(s.Element(4), out var price))
        {
            line.Reject = NotNumber(4, "IT104", "unit_price", s.Text(4));
        }
        else
        {
            line.Quantity = quantity;
            line.UnitPrice = price;
        }

        line.ChargeType = ChargeCode("IT1", 6, 24, out var column, out var code, out var problem);
        line.Code = code;
        line.Columns = WithColumn(line.Columns, FChargeType, column);
        if (line.ChargeType is null)
        {
            line.Reject ??= problem;
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
        if (!TryOptionalNumber(s.Element(4), out var quantity))
        {
            line.Reject = NotNumber(4, "SLN04", "quantity", s.Text(4));
        }
        else if (!TryOptionalNumber(s.Element(6), out var price))
        {
            line.Reject = NotNumber(6, "SLN06", "unit_price", s.Text(6));
        }
        else
        {
            line.Quantity = quantity;
            line.UnitPrice = price;
        }

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

    private void EndTransaction()
    {
        var tx = _tx!;
        var s = _segments;
        CheckCount(s.Line, 1, "SE01", tx.Segments, $"segments in transaction {tx.Control} (ST at line {tx.StLine}) counting ST and SE");
        CheckControl(s.Line, 2, "SE02", "ST02", tx.Control, tx.StLine);
        if (tx.BigLine == 0)
        {
            Report(tx.StLine, 0, $"transaction {tx.Control} has no BIG segment; expected BIG with the invoice date (BIG01) and number (BIG02) after ST");
        }

        if (tx.Ctt is not null)
        {
            CheckCount(tx.CttLine, 1, "CTT01", tx.It1Count, $"line items (IT1 segments) in transaction {tx.Control}", tx.Ctt);
        }

        if (tx.TdsLine == 0)
        {
            Report(s.Line, 0, $"transaction {tx.Control} (ST at line {tx.StLine}) has no TDS; expected TDS with the invoice total in cents before CTT and SE");
        }
        else if (tx.Tds is { } total)
        {
            CheckTotal(tx, total);
        }

        Release(tx);
        _tx = null;
    }

    private void CheckTotal(Transaction tx, decimal total)
    {
        decimal sum = 0;
        foreach (var line in tx.Lines)
        {
            if (line.AmountValue() is not { } amount)
            {
                // A line whose amount cannot be read is rejected on its own; the total cannot be checked then.
                return;
            }

            sum += amount;
        }

        var rounded = Math.Round(sum, 2, MidpointRounding.AwayFromZero);
        if (rounded != total)
        {
            Report(tx.TdsLine, 1,
                string.Create(CultureInfo.InvariantCulture, $"TDS01 says the invoice totals {total:0.00} ({total * 100:0} with 2 implied decimals), ") +
                string.Create(CultureInfo.InvariantCulture, $"but its {tx.Lines.Count} lines add up to {rounded:0.00} (difference {total - rounded:0.00}); ") +
                "expected TDS01 to equal the sum of the IT1, SLN, TXI and SAC amounts (hint: a line is missing, or money sits in a segment Tem does not read, such as ITA)");
        }
    }

    /// <summary>Resolves each line's account and service and queues it for <see cref="Read"/>.</summary>
    private void Release(Transaction tx)
    {
        var carrier = _options.Carrier ?? tx.Issuer ?? (_gsSender.Length > 0 ? _gsSender : _isaSender);
        var currency = tx.Currency is { Length: > 0 } c ? c : _options.DefaultCurrency;
        var accounts = tx.Nodes.Values.Where(n => n.IsAccount && n.Account is not null).Select(n => n.Account!).Distinct(StringComparer.Ordinal).ToList();
        var only = accounts.Count == 1 ? accounts[0] : null;
        foreach (var line in tx.Lines)
        {
            string? account = null;
            string? service = line.Service;
            for (var node = line.Node; node is not null; node = node.Parent)
            {
                if (node.IsAccount)
                {
                    account = node.Account;
                    break;
                }

                service ??= node.Service;
            }

            account ??= tx.HeadingAccount ?? only;
            var start = line.PeriodStart ?? tx.PeriodStart;
            var end = line.PeriodEnd ?? tx.PeriodEnd;
            if (line.Reject is null)
            {
                line.Reject = tx.HeaderProblem is { } header
                    ? new RowReject(0, null, RejectReason.BadDate, header)
                    : start is null || end is null
                        ? new RowReject(0, start is null ? "period_start" : "period_end", RejectReason.Required,
                            "is unknown: the invoice has no billing period; expected DTM*186 (period start) and DTM*187 (period end) in the heading, e.g. DTM*186*20261001")
                        : account is null
                            ? new RowReject(0, "account_id", RejectReason.Required,
                                "is unknown: the line is under no billing-arrangement HL (HL03 2) with a REF*11 or REF*12, and the heading has no account REF either")
                            : null;
            }

            line.Fields =
            [
                tx.InvoiceId, carrier, account, Iso(tx.InvoiceDate), Iso(start), Iso(end),
                line.LineNo.ToString(CultureInfo.InvariantCulture), service, line.ChargeType, line.Description ?? line.DefaultDescription(),
                line.QuantityText(), line.UnitPriceText(), line.AmountText(), currency,
            ];
            _ready.Enqueue(line);
        }
    }

    private void Finish(bool stopped = false)
    {
        _done = true;
        if (_segments.Problem is { } split)
        {
            Report(split.Line, split.Column, split.Message);
        }
        else if (!stopped && _state != Envelope.AfterInterchange)
        {
            var line = _segments.Line;
            Report(line, 0, _state switch
            {
                Envelope.BeforeInterchange => "the file is empty; expected an X12 interchange starting with ISA",
                Envelope.InTransaction => $"the file ends inside transaction {_tx!.Control} (ST at line {_tx.StLine}): no SE, GE or IEA follow; expected the interchange to close with SE, GE and IEA (hint: the file is truncated)",
                Envelope.InGroup => $"the file ends inside the group opened by GS at line {_gsLine}: no GE or IEA follow; expected the interchange to close with GE and IEA (hint: the file is truncated)",
                _ => $"the file ends without the IEA that closes the interchange opened by ISA at line {_isaLine}; expected IEA (hint: the file is truncated)",
            });
        }

        if (_tx is not null)
        {
            // Lines of a transaction cut short are still handed out (and rejected with the file's problem): nothing is lost.
            Release(_tx);
            _tx = null;
        }
    }

    private void CheckCount(long line, int column, string element, long actual, string what, string? sent = null)
    {
        var text = sent ?? _segments.Text(column);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var said) || said != actual)
        {
            Report(line, column, string.Create(CultureInfo.InvariantCulture,
                $"{element} says '{text}', but there are {actual} {what}; expected {element} to be {actual} (hint: the file was edited by hand or cut)"));
        }
    }

    private void CheckControl(long line, int column, string element, string header, string expected, long headerLine)
    {
        var text = _segments.Text(column);
        if (!string.Equals(text.TrimStart('0'), expected.TrimStart('0'), StringComparison.Ordinal))
        {
            Report(line, column,
                $"{element} is control number '{text}', but the {header} at line {headerLine} it closes says '{expected}'; expected the same control number in header and trailer");
        }
    }

    private void Report(long line, int column, string message)
    {
        if (_problem is null)
        {
            _problem = new FileProblem(line, column, message);
        }
        else
        {
            _otherProblems++;
        }
    }

    private void Stop(long line, int column, string message)
    {
        Report(line, column, message);
        Finish(stopped: true);
    }

    private static RowReject NotNumber(int column, string element, string field, string text) =>
        new(column, element, field == "quantity" ? RejectReason.BadNumber : RejectReason.BadMoney,
            $"({field}) '{text}' is not a number; expected an X12 decimal such as 12.5 or -3 (digits, an optional '-' and '.')");

    private static bool TryOptionalNumber(ReadOnlySpan<byte> value, out decimal? number)
    {
        number = null;
        if (FieldParsers.Trim(value).IsEmpty)
        {
            return true;
        }

        if (!TryNumber(value, out var parsed))
        {
            return false;
        }

        number = parsed;
        return true;
    }

    /// <summary>An X12 R (decimal) element: optional '-', digits, optional '.'; the point is explicit.</summary>
    private static bool TryNumber(ReadOnlySpan<byte> value, out decimal number)
    {
        value = FieldParsers.Trim(value);
        number = 0;
        if (value.IsEmpty || value[0] == (byte)'+' || value.IndexOf((byte)',') >= 0)
        {
            return false;
        }

        return FieldParsers.TryParseDecimal(value, 10, out number, out _);
    }

    /// <summary>An X12 N2 element: optional '-' and digits with 2 implied decimals (1250 is 12.50).</summary>
    private static bool TryImplied2(ReadOnlySpan<byte> value, out decimal amount, out string? error)
    {
        value = FieldParsers.Trim(value);
        amount = 0;
        error = null;
        var digits = value.Length > 0 && value[0] == (byte)'-' ? value[1..] : value;
        if (digits.IsEmpty || digits.Length > 16 || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            error = digits.IndexOf((byte)'.') >= 0
                ? "has a decimal point, but this element carries 2 implied decimals (X12 N2); expected whole cents, e.g. 1250 for 12.50"
                : "is not an amount in cents; expected digits with 2 implied decimals (X12 N2), e.g. 1250 for 12.50";
            return false;
        }

        var cents = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        amount = new decimal(cents) / 100m;
        if (value[0] == (byte)'-')
        {
            amount = -amount;
        }

        return true;
    }

    private static bool TryDate(string text, out DateOnly? date)
    {
        date = null;
        if (DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            date = value;
            return true;
        }

        return false;
    }

    private static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (var item in list)
        {
            if (string.Equals(item, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
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

    /// <inheritdoc />
    public void Dispose() => _segments.Dispose();

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
