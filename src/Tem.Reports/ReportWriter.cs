using Tem.Core;
using Tem.Audit;
using Tem.Lake;
using Tem.Reports.Files;
using Tem.Reports.Html;
using Tem.Reports.Query;

namespace Tem.Reports;

/// <summary>
/// Writes the report set of cli.md into a folder: report.html, report.xlsx, findings.csv, disputes/ (a CSV and a
/// letter per carrier), proposal.html when upgrade.csv was ingested, margin.html/margin.csv when resale exists,
/// channel.html when the set has a seller's resale or reseller-invoiced carrier cost (MRR and profit per party), and
/// (for the full set) tenants/&lt;party_id&gt;/ with the same set for every distributor, dealer and reseller, branded
/// and holding only the customers below that party.
/// </summary>
/// <remarks>
/// Pages speak the client's language (no commands, input file names or column names; amounts in the currency's
/// minor units). The full set written without a tenant is the consultant's copy: its report.html and proposals end
/// with an appendix of how they were computed (commands, input files, rules and their SQL files, the evidence as
/// stored). The tenant sets, a set written for one tenant and the dispute letters never carry it.
/// </remarks>
public static class ReportWriter
{
    /// <summary>Writes the report set of <paramref name="lake"/> into <paramref name="outDir"/>.</summary>
    /// <param name="lake">The lake, audited (a lake without findings gives a report of its spend).</param>
    /// <param name="outDir">The report folder; created when missing. The set's own files and its <c>disputes/</c> and <c>tenants/</c> folders are replaced.</param>
    /// <param name="options">Tenant, proposal currency and exchange rates.</param>
    /// <param name="time">
    /// The clock, read only when the lake was never audited: the "generated" stamp and the letters' date are the
    /// lake's latest audit (<see cref="ReportStamp"/>), so two writes from the same lake state are identical.
    /// </param>
    /// <param name="progress">
    /// Receives one report per file written (<see cref="WorkUnit.Files"/>: files written so far, the file's path relative
    /// to <paramref name="outDir"/>); the total is not known ahead (disputes and tenant sets depend on the data), so
    /// <see cref="WorkProgress.Share"/> carries the sets written of the sets to write (the main set and each tenant's).
    /// </param>
    /// <returns>The files written and the found money per currency of the main set.</returns>
    /// <exception cref="ArgumentException"><see cref="ReportOptions.Tenant"/> is not a party of the lake.</exception>
    /// <exception cref="ChartFontException">The charts' font (<see cref="ReportOptions.ChartFont"/>) is not installed.</exception>
    public static ReportResult Write(TemLake lake, string outDir, ReportOptions options, TimeProvider time, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);

        // The browser is started before anything is written or removed: one that is missing or does not start leaves
        // the folder as it was (a set without the PDFs asked for, or with an earlier state's PDFs gone, is not what
        // the caller wanted).
        var printer = options.Pdf ? Task.Run(() => Pdf.PdfPrinter.StartAsync()).GetAwaiter().GetResult() : null;
        try
        {
            return WriteAll(lake, outDir, options, time, progress, printer);
        }
        finally
        {
            if (printer is not null)
            {
                Task.Run(() => printer.DisposeAsync().AsTask()).GetAwaiter().GetResult();
            }
        }
    }

    private static ReportResult WriteAll(TemLake lake, string outDir, ReportOptions options, TimeProvider time, IProgress<WorkProgress>? progress, Pdf.PdfPrinter? printer)
    {
        // Before any file: without its font the chart library would draw charts without text.
        Charts.ChartFont.Use(options.ChartFont);
        var generated = ReportStamp.Of(lake, time);
        // The first chart and the first page pay once per process for loading Skia and its font and for compiling the
        // chart and page code (about half a second); started now on another thread, that work overlaps the lake's
        // queries below instead of adding to them.
        var warmUp = Task.Run(WarmUp);
        var currencyGiven = options.ProposalCurrency is not null;
        var root = Path.GetFullPath(outDir);
        var files = new WrittenFiles(root, progress);
        var warnings = new List<string>();
        var tenants = new List<string>();

        // upgrade.csv has one price list for the whole lake: every set's proposal uses the same currency.
        options = options with { ProposalCurrency = options.ProposalCurrency ?? ReportDataLoader.MostUsedCurrency(lake) };
        if (options.Tenant is { } tenant)
        {
            if (ReportDataLoader.FindParty(lake, tenant) is null)
            {
                var known = ReportDataLoader.TenantParties(lake).Select(p => p.PartyId).ToList();
                throw new ArgumentException(
                    $"No party '{tenant}' in the lake's parties table; tenants are {(known.Count == 0 ? "none (ingest a parties.csv)" : string.Join(", ", known))}.",
                    nameof(options));
            }

            files.Sets = 1;
            var data = ReportDataLoader.Load(lake, tenant, warnings);
            warmUp.GetAwaiter().GetResult();
            var own = WriteSet(new ReportSet(data, root, options, generated) { CurrencyGiven = currencyGiven, Warnings = warnings }, files, tenantsFolder: false);
            tenants.Add(tenant);
            PrintPdfs(printer, files, generated);
            return Result(files, root, data, tenants, warnings, own.Proposals);
        }

        var parties = options.WriteTenantSets ? ReportDataLoader.TenantParties(lake) : [];
        files.Sets = 1 + parties.Count;
        var full = ReportDataLoader.Load(lake, null, warnings);
        warmUp.GetAwaiter().GetResult();
        // The consultant's copy: the root set alone carries the appendix of how it was computed (Html/Appendix).
        var main = WriteSet(
            new ReportSet(full, root, options, generated) { CurrencyGiven = currencyGiven, Warnings = warnings, Appendix = new Appendix(lake.Catalog.ActiveFiles(), options) },
            files, tenantsFolder: true);
        files.SetsDone++;
        if (options.WriteTenantSets)
        {
            var folders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var party in parties)
            {
                // Two ids that differ only in characters a file name cannot hold still get a folder each.
                var folder = FileNames.Safe(party.PartyId);
                for (var i = 2; !folders.Add(folder); i++)
                {
                    folder = FileNames.Safe(party.PartyId) + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var data = ReportDataLoader.Load(lake, party.PartyId, warnings);
                // The main set's warnings already say which currencies the proposal cannot count.
                WriteSet(new ReportSet(data, Path.Combine(root, "tenants", folder), options, generated) { CurrencyGiven = currencyGiven }, files, tenantsFolder: false);
                files.SetsDone++;
                tenants.Add(party.PartyId);
            }
        }

        PrintPdfs(printer, files, generated);
        return Result(files, root, full, tenants, warnings, main.Proposals);
    }

    /// <summary>Draws one small chart of each kind to SVG and PNG and renders the page layout once (see where it is called).</summary>
    private static void WarmUp()
    {
        var label = new[] { "a", "b" };
        foreach (var chart in new[]
                 {
                     Charts.Plots.HorizontalBar("warm-up", "warm-up", [new Charts.BarCategory("a", [1m, 2m])], [new Charts.BarSegment("a", "#336699"), new Charts.BarSegment("b", "#993366")]),
                     Charts.Plots.Bar("warm-up", "warm-up", label, [1m, -1m], "#336699", "#993366"),
                     Charts.Plots.Line("warm-up", "warm-up", label, [new Charts.LineSeries("a", "#336699", [1m, 2m])], [new Charts.LineMarker(0, 1, "b")]),
                     Charts.Plots.Waterfall("warm-up", "warm-up", "a", 10m, [("b", -1m)], "c", "#336699"),
                 })
        {
            chart.Svg();
            chart.Png();
        }

        Html.PageRenderer.Render<Html.PageLayout>(new Dictionary<string, object?>
        {
            [nameof(Html.PageLayout.Brand)] = new Brand("warm-up", "#336699", null, null),
            [nameof(Html.PageLayout.Title)] = "warm-up",
            [nameof(Html.PageLayout.DocumentKind)] = "warm-up",
        });
    }

    /// <summary>With <see cref="ReportOptions.Pdf"/>: every page written, printed to its PDF twin (one browser for the whole set).</summary>
    private static void PrintPdfs(Pdf.PdfPrinter? printer, WrittenFiles files, DateTimeOffset generated)
    {
        if (printer is not null)
        {
            Pdf.PdfSet.PrintAll(printer, [.. files.Paths], generated, files.Add);
        }
    }

    /// <summary>
    /// Writes one carrier's dispute pack (<c>&lt;carrier&gt;.csv</c> and a letter per party invoiced) into
    /// <paramref name="outDir"/>: the claims not yet submitted, plus those still waiting for the carrier when
    /// <paramref name="includeSubmitted"/>. Reads the lake only.
    /// </summary>
    /// <exception cref="ArgumentException">The carrier has no claims in the lake (the message lists those that do), or the tenant is unknown.</exception>
    public static DisputePackResult WriteDisputePack(TemLake lake, string outDir, string carrier, bool includeSubmitted, string? tenant, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(time);
        if (tenant is not null && ReportDataLoader.FindParty(lake, tenant) is null)
        {
            throw new ArgumentException($"No party '{tenant}' in the lake's parties table.", nameof(tenant));
        }

        var data = ReportDataLoader.Load(lake, tenant, []);
        var carriers = data.Disputes.Select(d => d.Item.Finding.Carrier).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (!carriers.Contains(carrier, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"carrier '{carrier}' has no claims {(tenant is null ? "in the lake" : "of " + tenant + "'s customers")}; carriers with claims: {(carriers.Count == 0 ? "none" : string.Join(", ", carriers))}.");
        }

        var items = data.Disputes.Where(d => d.Item.Finding.Carrier == carrier
            && (d.Item.Status == Core.FindingStatus.Open || (includeSubmitted && Core.FindingStatuses.IsPending(d.Item.Status)))).ToList();
        var files = Disputes.Write(Path.GetFullPath(outDir), data with { Disputes = items }, ReportStamp.Of(lake, time));
        return new DisputePackResult(files, [.. items.Select(i => i.Item)]);
    }

    private static ReportResult Result(WrittenFiles files, string root, ReportData data, List<string> tenants, List<string> warnings, List<ProposalModel> proposals) => new()
    {
        Proposals = [.. proposals.Select(p => new ProposalSummary(
            p.DealId, p.CustomerId, p.Currency.Code, Path.Combine(root, p.FileName), p.UpgradeOneTime, p.UpgradeMonthly, p.RetiredMonthly, p.FoundOneTime,
            p.FoundMonthly, p.PotentialOneTime, p.PotentialMonthly, p.Cash.NetMonthlyChange, p.Cash.PaybackMonth))],
        Files = files.Paths,
        ReportPath = Path.Combine(root, "report.html"),
        Totals = data.Totals(),
        Tenants = tenants,
        Warnings = [.. warnings.Distinct(StringComparer.Ordinal)],
    };

    /// <summary>Removes what the set's kinds of file own, then writes each kind that applies (<see cref="ReportFiles.All"/>).</summary>
    private static ReportSet WriteSet(ReportSet set, WrittenFiles files, bool tenantsFolder)
    {
        Directory.CreateDirectory(set.Dir);
        ReportFiles.Clean(set.Dir);
        var tenantSets = Path.Combine(set.Dir, "tenants");
        if (tenantsFolder && Directory.Exists(tenantSets))
        {
            // A tenant gone from the lake leaves no folder behind.
            Directory.Delete(tenantSets, recursive: true);
        }

        // The charts are the slowest part of a set and independent of each other: drawn on every core before report.html
        // and the workbook take them (each is drawn once and kept; the bytes do not depend on the thread).
        Parallel.ForEach(Charts.ReportCharts.Of(set.Figures).ForWorkbook(null), chart =>
        {
            chart.Svg();
            chart.Png();
        });

        foreach (var file in ReportFiles.All.Where(f => f.AppliesTo(set)))
        {
            files.AddRange(file.Write(set));
        }

        return set;
    }

    /// <summary>The files written so far, each reported to the progress receiver as it is added.</summary>
    private sealed class WrittenFiles(string root, IProgress<WorkProgress>? progress)
    {
        public List<string> Paths { get; } = [];

        /// <summary>Sets to write: the main set and each tenant's.</summary>
        public int Sets { get; set; } = 1;

        public int SetsDone { get; set; }

        public void Add(string path)
        {
            Paths.Add(path);
            progress?.Report(new WorkProgress(WorkUnit.Files, Paths.Count, 0, Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            {
                Share = (double)SetsDone / Math.Max(1, Sets),
            });
        }

        public void AddRange(IEnumerable<string> paths)
        {
            foreach (var path in paths)
            {
                Add(path);
            }
        }
    }
}
