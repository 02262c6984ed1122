using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Tem.Reports.Pdf;

namespace Tem.Reports.Tests;

/// <summary>poppler-utils' pdftotext and pdfinfo (Debian package, installed by .ci/run): the PDF read back by a program that is not the printer.</summary>
internal static class Poppler
{
    public static bool Installed => File.Exists("/usr/bin/pdftotext") && File.Exists("/usr/bin/pdfinfo");

    /// <summary>The PDF's text in reading order (<c>pdftotext -layout</c>).</summary>
    public static string Text(string pdf) => Run("/usr/bin/pdftotext", "-layout", pdf, "-");

    /// <summary><c>pdfinfo</c>'s fields (Pages, CreationDate, Page size...).</summary>
    public static Dictionary<string, string> Info(string pdf) =>
        Run("/usr/bin/pdfinfo", "-isodates", pdf).Split('\n').Where(l => l.Contains(':', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.Ordinal);

    private static string Run(string program, params string[] args)
    {
        Assert.True(Installed, "poppler-utils is required when CI is set: apt-get install -y poppler-utils");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), program + " did not finish");
        Assert.True(process.ExitCode == 0, $"{program} exit {process.ExitCode}: {error.Result}");
        return output.Result;
    }
}

/// <summary>A fact that prints with Chromium and reads back with poppler-utils: skipped when either is missing and CI is not set.</summary>
public sealed class PdfFactAttribute : FactAttribute
{
    public PdfFactAttribute()
    {
        if ((Chromium.Path is null || !Poppler.Installed) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "chromium and poppler-utils are needed (apt-get install -y chromium poppler-utils), or set CI to make this a failure";
        }
    }
}

/// <summary>The PDF printer: report pages printed by Chromium through PuppeteerSharp, read back with pdftotext.</summary>
[Collection(SampleReportCollection.Name)]
public sealed class PdfPrinterTests(SampleReportFixture fx) : IDisposable
{
    private static readonly DateTimeOffset Generated = new(2026, 10, 14, 23, 30, 5, TimeSpan.Zero);
    private readonly TempFolder _temp = new("tem-pdf-tests");

    public void Dispose() => _temp.Dispose();

    [PdfFact]
    public async Task PrintAsync_SampleReport_PdfHoldsTheFoundMoneyAndNumbersItsPages()
    {
        var pdf = _temp.Sub("report.pdf");
        await using (var printer = await PdfPrinter.StartAsync(Chromium.Path))
        {
            await printer.PrintAsync(Path.Combine(fx.Out, "report.html"), pdf, Generated);
        }

        var text = Poppler.Text(pdf);
        var info = Poppler.Info(pdf);
        // The headline found money per currency, computed from the lake, not from the page.
        foreach (var row in fx.Sql($"SELECT currency, sum(one_time_amount + 12 * monthly_savings) FROM findings WHERE money_kind = 'validated' AND {TotalsTests.Live} GROUP BY ALL"))
        {
            var shown = Math.Round(Read.Dec(row[1]), 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
            Assert.Contains(shown, text, StringComparison.Ordinal);
        }

        var pages = int.Parse(info["Pages"], CultureInfo.InvariantCulture);
        Assert.InRange(pages, 2, 40);
        Assert.EndsWith("(A4)", info["Page size"], StringComparison.Ordinal);
        // Each page carries "N / pages" at its foot: pdftotext ends each page with a form feed.
        var texts = text.Split('\f')[..pages];
        for (var i = 0; i < pages; i++)
        {
            Assert.Matches(new Regex($@"\b{i + 1}\s*/\s*{pages}\s*$"), texts[i]);
        }
    }

    [PdfFact]
    public async Task PrintAsync_SamePageTwice_ByteIdenticalAndDatedByTheStampNotTheClock()
    {
        var first = _temp.Sub("1.pdf");
        var second = _temp.Sub("2.pdf");
        await using (var printer = await PdfPrinter.StartAsync(Chromium.Path))
        {
            await printer.PrintAsync(Path.Combine(fx.Out, "proposal-NG-2026-SDWAN.html"), first, Generated);
            // Past a second boundary, so that Chromium's own clock would differ.
            await Task.Delay(1100);
            await printer.PrintAsync(Path.Combine(fx.Out, "proposal-NG-2026-SDWAN.html"), second, Generated);
        }

        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
        var info = Poppler.Info(first);
        Assert.StartsWith("2026-10-14T23:30:05", info["CreationDate"], StringComparison.Ordinal);
        Assert.StartsWith("2026-10-14T23:30:05", info["ModDate"], StringComparison.Ordinal);
    }

    [PdfFact]
    public async Task PrintAsync_PageAsksForTheNetwork_NoRequestLeavesThePrinter()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connected = 0;
        using var stop = new CancellationTokenSource();
        var accept = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connected);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var html = _temp.Sub("page.html");
        await File.WriteAllTextAsync(html,
            $"<!doctype html><html><head><link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/a.css\"></head>" +
            $"<body><p>offline page</p><img src=\"http://127.0.0.1:{port}/logo.png\"><script src=\"http://127.0.0.1:{port}/x.js\"></script></body></html>",
            new UTF8Encoding(false));
        var pdf = _temp.Sub("page.pdf");
        await using (var printer = await PdfPrinter.StartAsync(Chromium.Path))
        {
            await printer.PrintAsync(html, pdf, Generated);
        }

        await stop.CancelAsync();
        await accept;
        Assert.Equal(0, connected);
        Assert.Contains("offline page", Poppler.Text(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BrowserMissing_SaysWhatToInstall()
    {
        var missing = _temp.Sub("no-such-browser");
        var e = await Assert.ThrowsAsync<BrowserNotFoundException>(() => PdfPrinter.StartAsync(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install chromium", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Sub("page.pdf")));
    }

    [Fact]
    public void Stamp_ChromiumLocalDates_ReplacedByTheUtcStampInPlace()
    {
        const string Head = "%PDF-1.4\n1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:20261207173507+02'00')\n/ModDate (D:20261207173508+02'00')>>\nendobj\n";
        var bytes = Encoding.ASCII.GetBytes(Head + "xref 0 1\ntrailer\n");
        var length = bytes.Length;

        Assert.Equal(2, PdfPrinter.Stamp(bytes, new DateTimeOffset(2026, 10, 15, 1, 30, 5, TimeSpan.FromHours(2))));

        var text = Encoding.ASCII.GetString(bytes);
        Assert.Equal(length, bytes.Length);
        Assert.Contains("/CreationDate (D:20261014233005+00'00')", text, StringComparison.Ordinal);
        Assert.Contains("/ModDate (D:20261014233005+00'00')", text, StringComparison.Ordinal);
        Assert.EndsWith("xref 0 1\ntrailer\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Stamp_DateOfAnotherLength_LeftAlone()
    {
        var bytes = Encoding.ASCII.GetBytes("<</CreationDate (D:2026)>>");
        var before = (byte[])bytes.Clone();
        Assert.Equal(0, PdfPrinter.Stamp(bytes, Generated));
        Assert.Equal(before, bytes);
    }
}
