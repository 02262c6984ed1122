using System.Text;
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
    /// <summary>The files and folders of a set that <see cref="Write"/> owns and replaces on every run.</summary>
    private static readonly string[] OwnedFiles = ["report.html", "report.xlsx", "findings.csv", "proposal.html", "margin.html", "margin.csv", "contingency.csv", "channel.html"];

    /// <summary>Writes the report set of <paramref name="lake"/> into <paramref name="outDir"/>.</summary>
    /// <param name="lake">The lake, audited (a lake without findings gives a report of its spend).</param>
    /// <param name="outDir">The report folder; created when missing. The set's own files and its <c>disputes/</c> and <c>tenants/</c> folders are replaced.</param>
    /// <param name="options">Tenant, proposal currency and exchange rates.</param>
    /// <param name="time">The clock the "generated" date and the letters' date come from.</param>
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

        // Before any file: without its font the chart library would draw charts without text.
        Charts.ChartFont.Use(options.ChartFont);
        var generated = time.GetUtcNow();
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
            var own = new List<ProposalModel>();
            WriteSet(data, root, options, generated, files, warnings, tenantsFolder: false, currencyGiven, own, appendix: null);
            tenants.Add(tenant);
            return Result(files, root, data, tenants, warnings, own);
        }

        var parties = options.WriteTenantSets ? ReportDataLoader.TenantParties(lake) : [];
        files.Sets = 1 + parties.Count;
        var full = ReportDataLoader.Load(lake, null, warnings);
        var proposals = new List<ProposalModel>();
        // The consultant's copy: the root set alone carries the appendix of how it was computed (Html/Appendix).
        WriteSet(full, root, options, generated, files, warnings, tenantsFolder: true, currencyGiven, proposals, new Appendix(lake.Catalog.ActiveFiles(), options));
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
                WriteSet(data, Path.Combine(root, "tenants", folder), options, generated, files, [], tenantsFolder: false, currencyGiven, null, appendix: null);
                files.SetsDone++;
                tenants.Add(party.PartyId);
            }
        }

        return Result(files, root, full, tenants, warnings, proposals);
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
        var files = Disputes.Write(Path.GetFullPath(outDir), data with { Disputes = items }, time.GetUtcNow());
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

    private static void WriteSet(
        ReportData data, string dir, ReportOptions options, DateTimeOffset generated, WrittenFiles files, List<string> warnings, bool tenantsFolder, bool currencyGiven,
        List<ProposalModel>? proposals, Appendix? appendix)
    {
        Directory.CreateDirectory(dir);
        Clean(dir, tenantsFolder);
        var fig = new ReportFigures(data);
        void Text(string name, string content)
        {
            var path = Path.Combine(dir, name);
            FileNames.WriteAtomically(path, stream =>
            {
                using var w = new StreamWriter(stream, new UTF8Encoding(false));
                w.Write(content);
            });
            files.Add(path);
        }

        // The charts are the slowest part of a set and independent of each other: drawn on every core before report.html
        // and the workbook take them (each is drawn once and kept; the bytes do not depend on the thread).
        Parallel.ForEach(Charts.ReportCharts.Of(fig).ForWorkbook(null), chart =>
        {
            chart.Svg();
            chart.Png();
        });

        var contingency = Contingency.Build(data, options.ContingencyFeePct);
        Text("report.html", ReportHtml.Render(fig, generated, options.TopFindings, contingency, options.ContingencyFeePct, options.FollowUpDays, appendix));
        var xlsx = Path.Combine(dir, "report.xlsx");
        FileNames.WriteAtomically(xlsx, stream => XlsxReport.Write(stream, fig, generated, contingency));
        files.Add(xlsx);
        var contingencyCsv = Path.Combine(dir, "contingency.csv");
        FileNames.WriteAtomically(contingencyCsv, stream => Contingency.WriteCsv(stream, contingency, data, options.ContingencyFeePct));
        files.Add(contingencyCsv);

        var csv = Path.Combine(dir, "findings.csv");
        var temporary = csv + ".tmp";
        FindingsCsv.Write(temporary, data.Findings);
        File.Move(temporary, csv, overwrite: true);
        files.Add(csv);

        files.AddRange(Disputes.Write(Path.Combine(dir, "disputes"), data, generated));
        foreach (var proposal in Proposal.Build(fig, options, warnings))
        {
            Text(proposal.FileName, ProposalHtml.Render(fig, proposal with { CurrencyGiven = currencyGiven || proposal.CurrencyGiven }, generated, appendix));
            proposals?.Add(proposal);
        }

        if (data.Margin.Count > 0)
        {
            var margin = MarginReport.Build(data);
            Text("margin.html", MarginHtml.Render(fig, margin, generated));
            var path = Path.Combine(dir, "margin.csv");
            FileNames.WriteAtomically(path, stream => MarginReport.WriteCsv(stream, margin, data));
            files.Add(path);
        }

        // An end customer's set has no seller of its own: its resale lines are its spend, shown in report.html.
        if (data.Channel.HasSellerData)
        {
            Text("channel.html", ChannelHtml.Render(fig, ChannelReport.Build(data.Channel), generated));
        }
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

    /// <summary>Removes what an earlier run wrote (a carrier without disputes now, a tenant gone), nothing else.</summary>
    private static void Clean(string dir, bool tenantsFolder)
    {
        foreach (var name in OwnedFiles)
        {
            File.Delete(Path.Combine(dir, name));
        }

        foreach (var deal in Directory.EnumerateFiles(dir, "proposal-*.html"))
        {
            File.Delete(deal);
        }

        foreach (var sub in tenantsFolder ? new[] { "disputes", "tenants" } : ["disputes"])
        {
            var path = Path.Combine(dir, sub);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
