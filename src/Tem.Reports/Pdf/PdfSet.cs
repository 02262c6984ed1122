namespace Tem.Reports.Pdf;

/// <summary>The PDF twins of a report set's pages: <c>report.pdf</c> beside <c>report.html</c>, and so on.</summary>
public static class PdfSet
{
    /// <summary>The PDF printed from <paramref name="html"/>: the same name with <c>.pdf</c>, in the same folder.</summary>
    public static string TwinOf(string html) => Path.ChangeExtension(html, ".pdf");

    /// <summary>
    /// Prints every <c>.html</c> file of <paramref name="written"/> to its twin (<see cref="TwinOf"/>) with
    /// <paramref name="printer"/>, dated <paramref name="generated"/>, and returns the PDFs in the same order. Each PDF is
    /// written whole or not at all.
    /// </summary>
    /// <param name="printer">The started browser (the caller starts it before writing anything, and disposes of it).</param>
    /// <param name="written">The files a report set wrote (others than HTML are passed over).</param>
    /// <param name="generated">The set's "generated" time, written as the PDFs' creation and modification dates.</param>
    /// <param name="printed">Called with each PDF once it is written (progress).</param>
    public static IReadOnlyList<string> PrintAll(PdfPrinter printer, IReadOnlyList<string> written, DateTimeOffset generated, Action<string>? printed = null)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(written);
        var pages = written.Where(f => string.Equals(Path.GetExtension(f), ".html", StringComparison.OrdinalIgnoreCase)).ToList();
        if (pages.Count == 0)
        {
            return [];
        }

        // The report writer is synchronous (the CLI, a Quartz job's thread); the browser is driven asynchronously.
        return Task.Run(async () =>
        {
            var pdfs = new List<string>(pages.Count);
            foreach (var page in pages)
            {
                var pdf = TwinOf(page);
                await printer.PrintAsync(page, pdf, generated).ConfigureAwait(false);
                pdfs.Add(pdf);
                printed?.Invoke(pdf);
            }

            return (IReadOnlyList<string>)pdfs;
        }).GetAwaiter().GetResult();
    }
}
