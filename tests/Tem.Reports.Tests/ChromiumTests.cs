using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tem.Reports.Tests;

/// <summary>Headless Chromium (Debian package <c>chromium</c>, installed by .ci/run).</summary>
internal static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>The browser, or null when it is not installed (TEM_CHROMIUM overrides the path).</summary>
    public static string? Path =>
        Environment.GetEnvironmentVariable("TEM_CHROMIUM") is { Length: > 0 } p ? p : File.Exists(DefaultPath) ? DefaultPath : null;

    /// <summary>Runs the browser headless in a fresh profile, offline; returns its exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var path = Path;
        Assert.True(path is not null, "chromium is required when CI is set: apt-get install -y chromium (or set TEM_CHROMIUM to the browser)");
        using var temp = new TempFolder("tem-chromium");
        var profile = temp.Path;
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                     "--user-data-dir=" + profile,
                 }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 180 s: " + string.Join(' ', args));
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The DOM after the page loaded and rendered, and what the browser logged.</summary>
    public static (string Dom, string Log) DumpDom(string file)
    {
        var (code, dom, log) = Run("--dump-dom", new Uri(file).AbsoluteUri);
        Assert.True(code == 0, $"chromium --dump-dom exit {code}: {log}");
        return (dom, log);
    }

    /// <summary>Console messages and uncaught errors of the page (the report pages have no script, so there must be none).</summary>
    public static IReadOnlyList<string> ConsoleLines(string log) =>
        [.. log.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal))];
}

/// <summary>A fact that needs Chromium: skipped with a message when it is missing and CI is not set; under CI it runs (and fails without it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"chromium is not installed ({Chromium.DefaultPath}); apt-get install -y chromium, or set CI to make this a failure";
        }
    }
}

/// <summary>report.html and proposal.html rendered by a real browser, to PNG and PDF, as a person would open and print them.</summary>
[Collection(SampleReportCollection.Name)]
public sealed partial class ChromiumTests(SampleReportFixture fx)
{
    [ChromiumFact]
    public void ReportHtml_InChromium_RendersChartsAndTotals_ConsoleFree_PrintsToPdf()
    {
        var file = Path.Combine(fx.Out, "report.html");
        var (dom, log) = Chromium.DumpDom(file);
        Assert.Empty(Chromium.ConsoleLines(log));
        foreach (var chart in new[] { "savings-by-rule", "spend-trend", "waterfall", "cost-centre" })
        {
            Assert.Equal(3, Regex.Count(dom, $"<svg [^>]*data-chart=\"{chart}\""));
        }

        // Each waterfall, as the browser has it, starts from the latest month's spend and prints it to the cent.
        foreach (var row in fx.Sql("SELECT currency, sum(amount) FROM charges WHERE month = (SELECT max(month) FROM charges) GROUP BY ALL"))
        {
            var chart = Regex.Match(dom, $"<svg [^>]*data-chart=\"waterfall\" [^>]*aria-label=\"{row[0]} monthly spend[^\"]*\".*?</svg>", RegexOptions.Singleline).Value;
            var start = Math.Round(Read.Dec(row[1]), 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
            Assert.Matches($">\\s*{Regex.Escape(start)}\\s*</text>", chart);
        }

        foreach (var row in fx.Sql($"SELECT currency, sum(one_time_amount + 12 * monthly_savings) FROM findings WHERE money_kind = 'validated' AND {TotalsTests.Live} GROUP BY ALL"))
        {
            var shown = Math.Round(Read.Dec(row[1]), 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
            Assert.Contains($"<span class=\"ccy\">{row[0]}</span>{shown}</div>", dom, StringComparison.Ordinal);
        }

        AssertPng(Render(file, "report.png", "--window-size=1280,2400"), 1280, 2400);
        var pages = AssertPdf(Render(file, "report.pdf", "--no-pdf-header-footer"));
        Assert.InRange(pages, 3, 40);
    }

    [ChromiumFact]
    public void ReportHtml_PrintedToA4_FlowsWithoutWastedPages()
    {
        var file = Path.Combine(fx.Out, "report.html");
        var html = File.ReadAllText(file);
        var pdf = Render(file, "report-print.pdf", "--no-pdf-header-footer");
        var fill = PdfPages.ContentSizes(pdf);
        Assert.Equal(AssertPdf(pdf), fill.Count);

        // A bound from the content: the A4 page less its margins is 273 mm high. A table row takes at most 10 mm (a top
        // finding's three lines at 8 pt), a chart 80 mm at half the width (two to a row), a heading, note or KPI block
        // 15 mm. Laid out that generously the page holds all of it in this many pages; a layout that forces sections
        // onto new pages or leaves pages half empty needs more.
        var rows = Regex.Count(html, "<tr[ >]");
        var charts = Regex.Count(html, "<figure[ >]");
        var blocks = Regex.Count(html, "<(h1|h2|h3|p|div class=\"kpi\")[ >]");
        var bound = (int)Math.Ceiling(((rows * 10.0) + (Math.Ceiling(charts / 2.0) * 80.0) + (blocks * 15.0)) / 273.0);
        Assert.True(fill.Count <= bound, $"{fill.Count} pages for {rows} rows, {charts} charts and {blocks} blocks; at most {bound} expected");

        // No page is nearly empty (less than a quarter of the fullest page's drawing) but the last, and the one that
        // ends the report before the consultant's appendix, the only section that starts a page.
        var fullest = fill.Max();
        var short_ = Enumerable.Range(0, fill.Count - 1).Where(i => fill[i] < fullest / 4).Select(i => i + 1).ToList();
        Assert.True(short_.Count <= (html.Contains("<section class=\"appendix\"", StringComparison.Ordinal) ? 1 : 0), $"nearly empty pages {string.Join(", ", short_)} of {fill.Count}: {string.Join(", ", fill)} bytes of drawing");
    }

    [ChromiumFact]
    public void ProposalHtml_InChromium_RendersCashViewAndSplit_ConsoleFree_PrintsToPdf()
    {
        var file = Path.Combine(fx.Out, "proposal-NG-2026-SDWAN.html");
        var (dom, log) = Chromium.DumpDom(file);
        Assert.Empty(Chromium.ConsoleLines(log));
        Assert.Single(Regex.Matches(dom, "<svg [^>]*data-chart=\"cash-view\""));
        Assert.Single(Regex.Matches(dom, "<svg [^>]*data-chart=\"provider-split\""));
        var upgrade = Read.Dec(fx.Sql("SELECT sum(one_time_cost) FROM upgrade WHERE deal_id = 'NG-2026-SDWAN'")[0][0]);
        Assert.Contains($"<span class=\"ccy\">USD</span>{upgrade.ToString("#,##0.00", CultureInfo.InvariantCulture)}</div>", dom, StringComparison.Ordinal);
        foreach (var provider in fx.Sql("SELECT p.name FROM upgrade u JOIN parties p ON p.party_id = u.provider WHERE u.deal_id = 'NG-2026-SDWAN'"))
        {
            Assert.Contains((string)provider[0]!, dom, StringComparison.Ordinal);
        }

        // The split chart labels each provider's bar with its price over the 36 months, in the currency's minor unit as the table prints it.
        var split = Regex.Match(dom, "<svg [^>]*data-chart=\"provider-split\".*?</svg>", RegexOptions.Singleline).Value;
        foreach (var price in fx.Sql("SELECT provider, sum(one_time_cost + 36 * monthly_cost) FROM upgrade WHERE deal_id = 'NG-2026-SDWAN' GROUP BY ALL"))
        {
            var shown = Math.Round(Read.Dec(price[1]), 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
            Assert.Matches($">\\s*{Regex.Escape(shown)}\\s*</text>", split);
        }

        AssertPng(Render(file, "proposal.png", "--window-size=1280,1800"), 1280, 1800);
        Assert.InRange(AssertPdf(Render(file, "proposal.pdf", "--no-pdf-header-footer")), 1, 10);
    }

    [ChromiumFact]
    public void ChannelHtml_InChromium_RendersMrrChartsAndProfit_ConsoleFree_PrintsToPdf()
    {
        var file = Path.Combine(fx.Out, "channel.html");
        var (dom, log) = Chromium.DumpDom(file);
        Assert.Empty(Chromium.ConsoleLines(log));

        // One MRR chart per currency with resale: Summit in EUR, Harbor Connect in USD.
        Assert.Equal(2, Regex.Count(dom, "<svg [^>]*data-chart=\"channel-mrr\""));
        Assert.Contains("data-table=\"profit-rollup\"", dom, StringComparison.Ordinal);
        Assert.InRange(AssertPdf(Render(file, "channel.pdf", "--no-pdf-header-footer")), 1, 20);
    }

    [ChromiumFact]
    public void ConsoleLines_PageWithAnError_AreFound()
    {
        // The check above must be able to fail: a page that logs an uncaught error is caught by it.
        var page = Path.Combine(fx.Folder, "broken.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>");
        Assert.Contains(Chromium.ConsoleLines(Chromium.DumpDom(page).Log), l => l.Contains("undefinedFunction", StringComparison.Ordinal));
    }

    private string Render(string file, string output, string option)
    {
        var target = Path.Combine(fx.Folder, "chromium-" + Guid.NewGuid().ToString("N")[..8] + "-" + output);
        var flag = output.EndsWith(".pdf", StringComparison.Ordinal) ? "--print-to-pdf=" + target : "--screenshot=" + target;
        var (code, _, err) = Chromium.Run(flag, option, new Uri(file).AbsoluteUri);
        Assert.True(code == 0 && File.Exists(target), $"chromium exit {code}: {err}");
        return target;
    }

    private static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        int Be(int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
        Assert.Equal((width, height), (Be(16), Be(20)));

        // A blank page of that size compresses to a few kilobytes; charts, tables and text do not.
        Assert.True(bytes.Length > 60_000, $"{path}: {bytes.Length} bytes looks blank");
    }

    private static int AssertPdf(string path)
    {
        var text = File.ReadAllText(path, System.Text.Encoding.Latin1);
        Assert.StartsWith("%PDF-", text, StringComparison.Ordinal);
        return Regex.Count(text, "/Type\\s*/Page[^s]");
    }
}

/// <summary>Runs only when TEM_WRITE_SCREENSHOT=1: renders the sample report to docs/report.png for the README.</summary>
[Collection(SampleReportCollection.Name)]
public sealed class ReadmeScreenshot(SampleReportFixture fx)
{
    public sealed class WhenAskedFactAttribute : FactAttribute
    {
        public WhenAskedFactAttribute()
        {
            if (Environment.GetEnvironmentVariable("TEM_WRITE_SCREENSHOT") != "1")
            {
                Skip = "Set TEM_WRITE_SCREENSHOT=1 to render docs/report.png from the sample data.";
            }
        }
    }

    [WhenAskedFact]
    public void WriteReadmeScreenshot_SampleReport_ToDocsReportPng()
    {
        var target = RepoPaths.Combine("docs", "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var (code, _, err) = Chromium.Run("--screenshot=" + target, "--window-size=1280,1560", new Uri(Path.Combine(fx.Out, "report.html")).AbsoluteUri);
        Assert.True(code == 0 && File.Exists(target), err);
    }
}

/// <summary>Reads a PDF's pages in order and the size of each page's drawing (its decompressed content streams).</summary>
internal static partial class PdfPages
{
    public static IReadOnlyList<int> ContentSizes(string path)
    {
        var text = File.ReadAllText(path, System.Text.Encoding.Latin1);
        var objects = ObjectPattern().Matches(text).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => m.Groups[2].Value);
        var root = objects.Values.Single(o => PagesType().IsMatch(o) && !o.Contains("/Parent", StringComparison.Ordinal));
        var pages = new List<string>();
        void Walk(string node)
        {
            foreach (Match kid in References().Matches(KidsArray().Match(node).Groups[1].Value))
            {
                var o = objects[int.Parse(kid.Groups[1].Value, CultureInfo.InvariantCulture)];
                if (PagesType().IsMatch(o))
                {
                    Walk(o);
                }
                else
                {
                    pages.Add(o);
                }
            }
        }

        Walk(root);
        return [.. pages.Select(p => ContentsRef().Match(p) is { Success: true } c
            ? References().Matches(c.Groups[1].Value).Sum(r => Inflated(objects[int.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture)]))
            : 0)];
    }

    private static int Inflated(string obj)
    {
        var start = obj.IndexOf("stream", StringComparison.Ordinal) + "stream".Length;
        start += obj[start] == '\r' ? 2 : 1;
        var end = obj.LastIndexOf("endstream", StringComparison.Ordinal);
        var raw = System.Text.Encoding.Latin1.GetBytes(obj[start..end]);
        if (!obj[..start].Contains("/FlateDecode", StringComparison.Ordinal))
        {
            return raw.Length;
        }

        using var z = new System.IO.Compression.ZLibStream(new MemoryStream(raw), System.IO.Compression.CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        try
        {
            z.CopyTo(buffer);
        }
        catch (InvalidDataException)
        {
            // A stream cut short by a trailing end-of-line before "endstream" still inflated what it holds.
        }

        return (int)buffer.Length;
    }

    [GeneratedRegex(@"(?<![0-9])(\d+) 0 obj(.*?)endobj", RegexOptions.Singleline)]
    private static partial Regex ObjectPattern();

    [GeneratedRegex(@"/Type\s*/Pages\b")]
    private static partial Regex PagesType();

    [GeneratedRegex(@"/Kids\s*\[([^\]]*)\]")]
    private static partial Regex KidsArray();

    [GeneratedRegex(@"/Contents\s*(\[[^\]]*\]|\d+ 0 R)")]
    private static partial Regex ContentsRef();

    [GeneratedRegex(@"(\d+) 0 R")]
    private static partial Regex References();
}
