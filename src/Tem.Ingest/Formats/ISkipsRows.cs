namespace Tem.Ingest.Formats;

/// <summary>
/// A format reader that passes over rows by design (a carrier profile's title lines, totals and subtotals). Skipped
/// rows are neither read nor rejected; the ingest reports them next to <c>read / stored / rejected</c>.
/// </summary>
public interface ISkipsRows
{
    /// <summary>Rows passed over so far (leading lines and the header not included).</summary>
    long RowsSkipped { get; }
}
