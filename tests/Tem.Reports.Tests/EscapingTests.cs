using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using CsvHelper;
using Tem.Audit;
using Tem.Ingest;
using Tem.Lake;

namespace Tem.Reports.Tests;

/// <summary>
/// Names from the data that carry markup, quotes, ampersands and right-to-left text go through every page of every
/// set (root, tenant sets, proposals, letters, margin, channel) as text: no injected element or attribute, the text
/// shown literally, and right-to-left text isolated from the words and amounts beside it.
/// </summary>
public sealed class EscapingTests : IDisposable
{
    private const string Script = "<script>alert(1)</script>";
    private const string Image = "<img src=x onerror=alert(2)>";
    private const string Quotes = "\"q\" 'a' & b";
    private const string Arabic = "شركة الأفق";
    private const string Hebrew = "שלום";
    private const string Override = "\u202Eevil\u202C";

    private readonly TempFolder _temp = new("tem-escaping-tests");

    [Fact]
    public void Write_HostileNamesInEveryColumnShown_EveryPageEscapesAndIsolatesThem()
    {
        var out_ = WriteHostileSet();
        var pages = Directory.EnumerateFiles(out_, "*.html", SearchOption.AllDirectories).ToList();
        Assert.Contains(pages, p => p.Contains("tenants", StringComparison.Ordinal));
        Assert.Contains(pages, p => Path.GetFileName(p).StartsWith("proposal-", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.Contains("disputes", StringComparison.Ordinal));
        Assert.Contains(pages, p => Path.GetFileName(p) == "margin.html");
        Assert.Contains(pages, p => Path.GetFileName(p) == "channel.html");

        var parser = new HtmlParser();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            var name = Path.GetRelativePath(out_, page);
            using var doc = parser.ParseDocument(File.ReadAllText(page));
            Assert.True(doc.QuerySelectorAll("script").Length == 0, $"{name}: a script element");
            Assert.True(doc.QuerySelectorAll("img:not(.logo)").Length == 0, $"{name}: an injected img element");
            var handler = doc.All.SelectMany(e => e.Attributes.Select(a => (e.LocalName, a.Name))).FirstOrDefault(a => a.Name.StartsWith("on", StringComparison.Ordinal));
            Assert.True(handler == default, $"{name}: attribute {handler.Name} on {handler.LocalName}");

            // The hostile text is there, as text.
            var text = doc.Body!.TextContent;
            foreach (var marker in new[] { Script, Image, Quotes, Arabic, Hebrew, Override })
            {
                if (text.Contains(marker, StringComparison.Ordinal))
                {
                    seen.Add(marker);
                }
            }

            foreach (var node in doc.Body.Descendants<IText>().Where(t => IsRightToLeft(t.Data)))
            {
                var parent = node.ParentElement!;
                Assert.True(
                    parent.LocalName == "bdi" || parent.ChildNodes.Length == 1,
                    $"{name}: right-to-left text '{node.Data}' shares <{parent.LocalName}> with '{parent.TextContent}' outside a <bdi>");
            }
        }

        Assert.Equal(new[] { Script, Image, Quotes, Arabic, Hebrew, Override }.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    public void Dispose() => _temp.Dispose();

    private static bool IsRightToLeft(string text) =>
        text.Any(c => c == '\u202E' || (c >= '\u0590' && c <= '\u08FF'));

    /// <summary>The sample data with hostile text added to the names a page shows, ingested, audited and reported.</summary>
    private string WriteHostileSet()
    {
        var data = _temp.Sub("data");
        Directory.CreateDirectory(data);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Combine("sample-data")))
        {
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }

        Directory.CreateDirectory(Path.Combine(data, "logos"));
        foreach (var logo in Directory.EnumerateFiles(RepoPaths.Combine("sample-data", "logos")))
        {
            File.Copy(logo, Path.Combine(data, "logos", Path.GetFileName(logo)));
        }

        // The same suffix on a key in every file keeps the joins (carrier, account) intact.
        Rewrite(data, "parties.csv", ("name", v => v + " " + Script + " " + Quotes + " " + Arabic + " " + Override));
        Rewrite(data, "services.csv", ("cost_center", v => v.Length == 0 ? v : v + " " + Image + " " + Hebrew));
        Rewrite(data, "invoices.csv", ("description", v => v + " " + Image + " " + Hebrew));
        Rewrite(data, "upgrade.csv", ("deal_id", v => v + "<b>&\"'"), ("item", v => v + " " + Script + " " + Arabic));
        foreach (var file in Directory.EnumerateFiles(data, "*.csv"))
        {
            Rewrite(data, Path.GetFileName(file), ("carrier", v => v.Length == 0 ? v : v + " " + Quotes + " " + Hebrew), ("account_id", v => v.Length == 0 ? v : v + "<i>&'"));
        }

        var clock = new FixedClock(new DateTimeOffset(2026, 10, 15, 2, 0, 0, TimeSpan.Zero));
        var lake = TemLake.Open(_temp.Sub("lake"));
        TestLake.IngestAll(lake, clock, data);

        new AuditEngine(lake, clock).Run(new AuditOptions(), "run-1");
        var out_ = _temp.Sub("out");
        ReportWriter.Write(lake, out_, new ReportOptions(), clock);
        return out_;
    }

    /// <summary>Rewrites the named columns of a CSV file (when it has them) with CsvHelper, which quotes as needed.</summary>
    private static void Rewrite(string dir, string file, params (string Column, Func<string, string> Change)[] changes)
    {
        var path = Path.Combine(dir, file);
        var rows = new List<string[]>();
        using (var stream = File.OpenRead(path))
        using (var reader = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = false }, false))
        {
            while (reader.Read())
            {
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
            }
        }

        var targets = changes.Select(c => (Index: Array.IndexOf(rows[0], c.Column), c.Change)).Where(c => c.Index >= 0).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        foreach (var row in rows.Skip(1))
        {
            foreach (var (index, change) in targets)
            {
                row[index] = change(row[index]);
            }
        }

        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture }, false);
        foreach (var row in rows)
        {
            foreach (var v in row)
            {
                csv.WriteField(v);
            }

            csv.EndRecord();
        }
    }
}
