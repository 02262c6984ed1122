using System.Globalization;
using Tem.Core;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;
using static Tem.Ingest.Formats.Edi.X12Values;

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
public sealed partial class Edi811Reader : IFormatReader
{
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

    /// <inheritdoc />
    public void Dispose() => _segments.Dispose();
}
