using System.Diagnostics;

namespace Tem.EndToEnd.Tests;

/// <summary>A fact that prints PDFs with Chromium and reads them back with poppler-utils: skipped when either is missing and CI is not set.</summary>
public sealed class PdfFactAttribute : FactAttribute
{
    public PdfFactAttribute()
    {
        if ((!File.Exists("/usr/bin/chromium") || !File.Exists("/usr/bin/pdftotext")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "chromium and poppler-utils are needed (apt-get install -y chromium poppler-utils), or set CI to make this a failure";
        }
    }
}

/// <summary><c>tem report --pdf</c> as a process: a PDF beside every page, none left behind without it, nothing written without a browser.</summary>
public sealed class PdfProcessTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-e2e-pdf");

    public void Dispose() => _temp.Dispose();

    [PdfFact]
    public void Report_Pdf_EveryPageGetsItsPdf_WrittenAgainWithoutPdf_TheyAreGone()
    {
        var inbox = _temp.Sub("inbox");
        var lake = _temp.Sub("lake");
        Assert.Equal(0, TemProcess.Run("sample-data", "--out", inbox, "--services", "40", "--months", "4", "--seed", "7").Code);
        Assert.Equal(0, TemProcess.Run("run", "--inbox", inbox, "--lake", lake, "--out", _temp.Sub("run-out"), "--quiet").Code);
        var output = _temp.Sub("out");
        var browser = new Dictionary<string, string?> { ["TEM_CHROMIUM"] = "/usr/bin/chromium" };

        var report = TemProcess.RunWith(browser, "report", "--lake", lake, "--out", output, "--no-tenants", "--pdf");

        Assert.True(report.Code == 0, report.Err);
        var pages = Directory.GetFiles(output, "*.html", SearchOption.AllDirectories);
        Assert.Contains(Path.Combine(output, "report.html"), pages);
        Assert.Contains(pages, p => Path.GetDirectoryName(p) == Path.Combine(output, "disputes"));
        foreach (var page in pages)
        {
            var pdf = Path.ChangeExtension(page, ".pdf");
            Assert.True(File.Exists(pdf), pdf);
            // The page's own title is in its PDF: pdftotext reads it back.
            var title = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(page), "<h1[^>]*>([^<]+)</h1>").Groups[1].Value;
            Assert.False(string.IsNullOrWhiteSpace(title), page + " has no h1");
            Assert.Contains(System.Net.WebUtility.HtmlDecode(title).Trim(), Text(pdf), StringComparison.Ordinal);
        }

        Assert.Equal(pages.Length, Directory.GetFiles(output, "*.pdf", SearchOption.AllDirectories).Length);

        // A browser that is there but does not start: the command stops before it writes or removes anything.
        var before = Snapshot(output);
        var broken = TemProcess.RunWith(new Dictionary<string, string?> { ["TEM_CHROMIUM"] = "/bin/false" }, "report", "--lake", lake, "--out", output, "--no-tenants", "--pdf");
        Assert.Equal(1, broken.Code);
        Assert.Contains("tem report: the browser /bin/false could not be started to print PDFs", broken.Err, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(output));

        var again = TemProcess.RunWith(browser, "report", "--lake", lake, "--out", output, "--no-tenants");
        Assert.True(again.Code == 0, again.Err);
        Assert.Empty(Directory.GetFiles(output, "*.pdf", SearchOption.AllDirectories));
    }

    [Fact]
    public void Report_PdfWithoutABrowser_Exit1NamesWhatToInstall_WritesNothing()
    {
        var inbox = _temp.Sub("inbox");
        var lake = _temp.Sub("lake");
        Assert.Equal(0, TemProcess.Run("sample-data", "--out", inbox, "--services", "40", "--months", "4", "--seed", "3").Code);
        Assert.Equal(0, TemProcess.Run("ingest", inbox, "--lake", lake, "--quiet").Code);
        var output = _temp.Sub("out");
        var missing = _temp.Sub("no-browser");

        var report = TemProcess.RunWith(new Dictionary<string, string?> { ["TEM_CHROMIUM"] = missing }, "report", "--lake", lake, "--out", output, "--pdf");

        Assert.Equal(1, report.Code);
        Assert.Contains($"tem report: the browser to print PDFs with, {missing} (from TEM_CHROMIUM), does not exist; install Chromium", report.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Every file under <paramref name="folder"/> with its SHA-256, in order.</summary>
    private static List<string> Snapshot(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(folder, f) + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))];

    private static string Text(string pdf)
    {
        var start = new ProcessStartInfo("/usr/bin/pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(pdf);
        start.ArgumentList.Add("-");
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "pdftotext did not finish");
        Assert.Equal(0, process.ExitCode);
        return text.Result;
    }
}
