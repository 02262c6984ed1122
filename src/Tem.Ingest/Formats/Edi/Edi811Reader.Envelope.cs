using System.Globalization;

namespace Tem.Ingest.Formats.Edi;

// The X12 envelope: ISA..IEA, GS..GE and ST..SE in their order, their control numbers and counts (IEA01, GE01, SE01,
// CTT01) and the TDS total; a file that breaks them is a FileProblem.
public sealed partial class Edi811Reader
{
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
}
