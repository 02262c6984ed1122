using System.Globalization;
using System.Text;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace Tem.Reports.Pdf;

/// <summary>No Chromium-family browser was found to print the PDFs with.</summary>
public sealed class BrowserNotFoundException(string message) : Exception(message);

/// <summary>
/// Prints report pages to PDF with a Chromium-family browser already on the machine (Debian's <c>chromium</c>, Google
/// Chrome or Microsoft Edge), driven by PuppeteerSharp: the pages are laid out by the same engine the client's browser
/// uses and by their own print stylesheet, so the PDF is the page as printed. Nothing is downloaded: the browser is
/// found (<see cref="FindBrowser"/>), never fetched, and a page may load only <c>file:</c> and <c>data:</c> addresses.
/// </summary>
/// <remarks>
/// Why not PDFsharp: it draws text and lines where it is told, so every page, table break and chart would have to be
/// laid out a second time by hand; the HTML pages already are. The PDF is made deterministic afterwards: Chromium
/// writes the clock into <c>/CreationDate</c> and <c>/ModDate</c>, which <see cref="Stamp"/> replaces, byte for byte in
/// the same length, with the report's own "generated" time (everything else is the same for the same page on the same
/// browser).
/// </remarks>
public sealed class PdfPrinter : IAsyncDisposable
{
    /// <summary>The environment variable naming the browser's executable, used before any search.</summary>
    public const string BrowserVariable = "TEM_CHROMIUM";

    private readonly IBrowser _browser;
    private readonly string _profile;

    private PdfPrinter(IBrowser browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    /// <summary>Starts the browser (headless, a fresh profile in the temp folder, no network use of its own).</summary>
    /// <param name="executable">The browser; null finds one with <see cref="FindBrowser"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the browser to start.</param>
    /// <exception cref="BrowserNotFoundException">No browser given or found.</exception>
    public static async Task<PdfPrinter> StartAsync(string? executable = null, CancellationToken cancellationToken = default)
    {
        var path = RequireBrowser(executable);
        var profile = Path.Combine(Path.GetTempPath(), "tem-pdf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var args = new List<string>
        {
            "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
        };

        // Chromium refuses to start as root with its sandbox (containers, CI); an ordinary user keeps the sandbox.
        if (Environment.IsPrivilegedProcess)
        {
            args.Add("--no-sandbox");
        }

        try
        {
            var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                Headless = true, ExecutablePath = path, UserDataDir = profile, Args = [.. args], Timeout = 60_000,
            }).WaitAsync(cancellationToken).ConfigureAwait(false);
            return new PdfPrinter(browser, profile);
        }
        catch (Exception e) when (e is ProcessException or PuppeteerException or IOException or System.ComponentModel.Win32Exception)
        {
            TryDelete(profile);
            throw new BrowserNotFoundException($"the browser {path} could not be started to print PDFs: {e.Message}");
        }
    }

    /// <summary>The browser <see cref="StartAsync"/> would start: <paramref name="executable"/>, else <see cref="FindBrowser"/>'s.</summary>
    /// <exception cref="BrowserNotFoundException">None found, or the one named does not exist; the message says what to install.</exception>
    public static string RequireBrowser(string? executable = null)
    {
        var path = executable ?? FindBrowser() ?? throw new BrowserNotFoundException(
            "PDFs are printed with Chromium, Google Chrome or Microsoft Edge, and none was found (looked for "
            + string.Join(", ", Candidates().Select(Path.GetFileName).Distinct(StringComparer.Ordinal))
            + $" on the PATH and where they install); install one (Debian/Ubuntu: apt-get install chromium) or set {BrowserVariable} to the browser's executable");
        if (!File.Exists(path))
        {
            throw new BrowserNotFoundException(
                $"the browser to print PDFs with, {path}{(executable is null ? $" (from {BrowserVariable})" : string.Empty)}, {(Directory.Exists(path) ? "is a folder, not the browser's executable" : "does not exist")}; install Chromium (Debian/Ubuntu: apt-get install chromium) or name the browser's executable");
        }

        return path;
    }

    /// <summary>
    /// The browser to print with: <c>TEM_CHROMIUM</c> when set, else the first of chromium, chromium-browser,
    /// google-chrome(-stable), microsoft-edge on the PATH, else Chrome's and Edge's usual install paths on Windows and
    /// macOS. Null when there is none.
    /// </summary>
    public static string? FindBrowser()
    {
        if (Environment.GetEnvironmentVariable(BrowserVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        return Candidates().FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> Candidates()
    {
        var names = OperatingSystem.IsWindows()
            ? new[] { "chrome.exe", "msedge.exe", "chromium.exe" }
            : ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "microsoft-edge-stable"];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                yield return Path.Combine(dir, name);
            }
        }

        if (OperatingSystem.IsWindows())
        {
            foreach (var root in new[] { Environment.SpecialFolder.ProgramFiles, Environment.SpecialFolder.ProgramFilesX86, Environment.SpecialFolder.LocalApplicationData })
            {
                var folder = Environment.GetFolderPath(root);
                yield return Path.Combine(folder, "Google", "Chrome", "Application", "chrome.exe");
                yield return Path.Combine(folder, "Microsoft", "Edge", "Application", "msedge.exe");
            }
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
            yield return "/Applications/Chromium.app/Contents/MacOS/Chromium";
            yield return "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge";
        }
    }

    /// <summary>
    /// Prints <paramref name="html"/> to <paramref name="pdf"/> (A4 unless the page's <c>@page</c> rule says otherwise,
    /// backgrounds printed, "page N of M" at the foot of each page), dated <paramref name="generated"/>. The file is
    /// written whole or not at all.
    /// </summary>
    public async Task PrintAsync(string html, string pdf, DateTimeOffset generated, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(html);
        ArgumentException.ThrowIfNullOrEmpty(pdf);
        await using var page = await _browser.NewPageAsync().ConfigureAwait(false);
        // A report page has everything inline; refusing every other address keeps a page from reaching the network.
        await page.SetRequestInterceptionAsync(true).ConfigureAwait(false);
        page.Request += async (_, e) =>
        {
            var scheme = Uri.TryCreate(e.Request.Url, UriKind.Absolute, out var uri) ? uri.Scheme : string.Empty;
            try
            {
                await (scheme is "file" or "data" ? e.Request.ContinueAsync() : e.Request.AbortAsync()).ConfigureAwait(false);
            }
            catch (PuppeteerException)
            {
                // An event handler must not throw (it would end the process): a request the page no longer waits for
                // (the page closed, the navigation ended) has nothing left to continue or abort.
            }
        };
        await page.GoToAsync(new Uri(Path.GetFullPath(html)).AbsoluteUri, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 })
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var bytes = await page.PdfDataAsync(new PdfOptions
        {
            Format = PaperFormat.A4,
            PreferCSSPageSize = true,
            PrintBackground = true,
            DisplayHeaderFooter = true,
            HeaderTemplate = "<span></span>",
            FooterTemplate = "<div style=\"width:100%;font:8px sans-serif;color:#5f6b76;text-align:right;padding:0 12mm\">"
                             + "<span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>",
            MarginOptions = new MarginOptions { Top = "12mm", Bottom = "14mm", Left = "12mm", Right = "12mm" },
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        Stamp(bytes, generated);
        var temporary = pdf + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, pdf, overwrite: true);
    }

    /// <summary>
    /// Replaces the dates Chromium writes into the PDF's information dictionary (<c>/CreationDate (D:YYYYMMDDHHmmSS+00'00')</c>
    /// and <c>/ModDate</c>, the clock at printing) with <paramref name="generated"/> in UTC, in place and of the same
    /// length, so that the cross-reference offsets stay right. A date of another form is left alone. Returns how many
    /// dates were replaced.
    /// </summary>
    public static int Stamp(byte[] pdf, DateTimeOffset generated)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var replaced = 0;
        foreach (var key in new[] { "/CreationDate (D:", "/ModDate (D:" })
        {
            var marker = Encoding.ASCII.GetBytes(key);
            var at = pdf.AsSpan().IndexOf(marker);
            if (at < 0)
            {
                continue;
            }

            var start = at + marker.Length;
            var end = Array.IndexOf(pdf, (byte)')', start);
            if (end < 0)
            {
                continue;
            }

            // Chromium writes local time with its offset (+01'00'); the stamp is the same instant's UTC form, as long.
            var text = Encoding.ASCII.GetBytes(generated.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+00'00'");
            if (text.Length == end - start)
            {
                text.CopyTo(pdf, start);
                replaced++;
            }
        }

        return replaced;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync().ConfigureAwait(false);
        await _browser.DisposeAsync().ConfigureAwait(false);
        TryDelete(_profile);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The browser may still hold a file for a moment after it exits; a left temp profile harms nothing.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
