using System.Text;
using Tem.Audit;
using Tem.Reports.Html;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>
/// One kind of file of a report set (report.html, findings.csv, the dispute folder, the proposals...). A new report
/// is one new class implementing this, added to <see cref="ReportFiles.All"/>: <see cref="ReportWriter"/> walks the
/// list for every set, removes what each kind owns and writes the kinds that apply.
/// </summary>
internal interface IReportFile
{
    /// <summary>
    /// The names in a set's folder this kind owns (a file, a folder, or a <c>*</c> pattern of files), removed before
    /// every write of the set, so a rerun leaves none of them stale (a deal gone, a carrier without claims now).
    /// </summary>
    IReadOnlyList<string> Owns { get; }

    /// <summary>Whether the set has this file (margin.html only when the set holds resale, ...).</summary>
    bool AppliesTo(ReportSet set);

    /// <summary>Writes the kind's file or files into <see cref="ReportSet.Dir"/>; returns the paths written, in order.</summary>
    IReadOnlyList<string> Write(ReportSet set);
}

/// <summary>One set being written: its data, folder, options and generated stamp, and what its files share.</summary>
internal sealed class ReportSet(ReportData data, string dir, ReportOptions options, DateTimeOffset generated)
{
    private IReadOnlyList<ContingencyRow>? _contingency;
    private MarginReport? _margin;

    public ReportData Data { get; } = data;

    public ReportFigures Figures { get; } = new(data);

    public string Dir { get; } = dir;

    public ReportOptions Options { get; } = options;

    /// <summary>The "generated" stamp of every file of the set (<see cref="ReportStamp"/>).</summary>
    public DateTimeOffset Generated { get; } = generated;

    /// <summary>The consultant's appendix, for the root set written without a tenant only.</summary>
    public Appendix? Appendix { get; init; }

    /// <summary>Whether the proposal currency was given (option or settings) rather than guessed.</summary>
    public bool CurrencyGiven { get; init; }

    /// <summary>Where the set's warnings go (the main set's; a tenant set's are dropped, the main set says them).</summary>
    public ICollection<string> Warnings { get; init; } = [];

    /// <summary>The proposals written, for the result.</summary>
    public List<ProposalModel> Proposals { get; } = [];

    /// <summary>Realised savings and fee per client and month: report.html, report.xlsx and contingency.csv show them.</summary>
    public IReadOnlyList<ContingencyRow> Contingency => _contingency ??= Files.Contingency.Build(Data, Options.ContingencyFeePct);

    /// <summary>The reseller margins: margin.html and margin.csv show them.</summary>
    public MarginReport Margin => _margin ??= MarginReport.Build(Data);

    /// <summary>Writes <paramref name="name"/> in the set's folder atomically; returns its path.</summary>
    public string WriteFile(string name, Action<Stream> write)
    {
        var path = Path.Combine(Dir, name);
        FileNames.WriteAtomically(path, write);
        return path;
    }

    /// <summary>Writes a text file (UTF-8, no byte order mark).</summary>
    public string WriteText(string name, string content) => WriteFile(name, stream =>
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false));
        w.Write(content);
    });
}

/// <summary>The kinds of file of a report set, in the order they are written.</summary>
internal static class ReportFiles
{
    /// <summary>Every kind; a new report is added here.</summary>
    public static readonly IReadOnlyList<IReportFile> All =
    [
        new ReportHtmlFile(), new ReportXlsxFile(), new ContingencyCsvFile(), new FindingsCsvFile(), new DisputesFolder(), new ProposalFiles(),
        new MarginHtmlFile(), new MarginCsvFile(), new ChannelHtmlFile(),
    ];

    /// <summary>
    /// Removes what the kinds own in <paramref name="dir"/>, nothing else. A page's PDF twin (<c>tem report --pdf</c>)
    /// goes with it, so that a set written without PDFs keeps none of an earlier state.
    /// </summary>
    public static void Clean(string dir)
    {
        var owned = All.SelectMany(f => f.Owns).ToList();
        foreach (var name in owned.Concat(owned.Where(n => n.EndsWith(".html", StringComparison.Ordinal)).Select(Pdf.PdfSet.TwinOf)))
        {
            if (name.Contains('*', StringComparison.Ordinal))
            {
                foreach (var file in Directory.EnumerateFiles(dir, name))
                {
                    File.Delete(file);
                }
            }
            else if (Directory.Exists(Path.Combine(dir, name)))
            {
                Directory.Delete(Path.Combine(dir, name), recursive: true);
            }
            else
            {
                File.Delete(Path.Combine(dir, name));
            }
        }
    }
}

/// <summary>report.html: found money, charts, top findings, disputes, breakdowns (and the consultant's appendix).</summary>
internal sealed class ReportHtmlFile : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["report.html"];

    public bool AppliesTo(ReportSet set) => true;

    public IReadOnlyList<string> Write(ReportSet set) =>
    [
        set.WriteText("report.html", Pages.Report(set.Figures, set.Generated, set.Options.TopFindings, set.Contingency, set.Options.ContingencyFeePct, set.Options.FollowUpDays, set.Appendix)),
    ];
}

/// <summary>report.xlsx: the same numbers and every finding with its evidence.</summary>
internal sealed class ReportXlsxFile : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["report.xlsx"];

    public bool AppliesTo(ReportSet set) => true;

    public IReadOnlyList<string> Write(ReportSet set) => [set.WriteFile("report.xlsx", stream => XlsxReport.Write(stream, set.Figures, set.Generated, set.Contingency))];
}

/// <summary>contingency.csv: realised savings and the fee per client and month.</summary>
internal sealed class ContingencyCsvFile : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["contingency.csv"];

    public bool AppliesTo(ReportSet set) => true;

    public IReadOnlyList<string> Write(ReportSet set) =>
        [set.WriteFile("contingency.csv", stream => Contingency.WriteCsv(stream, set.Contingency, set.Data, set.Options.ContingencyFeePct))];
}

/// <summary>findings.csv: every finding of the set.</summary>
internal sealed class FindingsCsvFile : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["findings.csv"];

    public bool AppliesTo(ReportSet set) => true;

    public IReadOnlyList<string> Write(ReportSet set)
    {
        var csv = Path.Combine(set.Dir, "findings.csv");
        var temporary = csv + ".tmp";
        FindingsCsv.Write(temporary, set.Data.Findings);
        File.Move(temporary, csv, overwrite: true);
        return [csv];
    }
}

/// <summary>disputes/: a claim list and a letter per carrier and bill-to party.</summary>
internal sealed class DisputesFolder : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["disputes"];

    public bool AppliesTo(ReportSet set) => true;

    public IReadOnlyList<string> Write(ReportSet set) => Disputes.Write(Path.Combine(set.Dir, "disputes"), set.Data, set.Generated);
}

/// <summary>proposal-&lt;deal&gt;.html: a savings-funded upgrade proposal per deal of upgrade.csv.</summary>
internal sealed class ProposalFiles : IReportFile
{
    // proposal.html: the single proposal's name before proposals were written per deal.
    public IReadOnlyList<string> Owns { get; } = ["proposal.html", "proposal-*.html"];

    public bool AppliesTo(ReportSet set) => set.Data.Upgrade.Count > 0;

    public IReadOnlyList<string> Write(ReportSet set)
    {
        var paths = new List<string>();
        foreach (var proposal in Proposal.Build(set.Figures, set.Options, set.Warnings))
        {
            paths.Add(set.WriteText(proposal.FileName, Pages.Proposal(set.Figures, proposal with { CurrencyGiven = set.CurrencyGiven || proposal.CurrencyGiven }, set.Generated, set.Appendix)));
            set.Proposals.Add(proposal);
        }

        return paths;
    }
}

/// <summary>margin.html: carrier cost against resale per reseller, customer and service.</summary>
internal sealed class MarginHtmlFile : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["margin.html"];

    public bool AppliesTo(ReportSet set) => set.Data.Margin.Count > 0;

    public IReadOnlyList<string> Write(ReportSet set) => [set.WriteText("margin.html", Pages.Margin(set.Figures, set.Margin, set.Generated))];
}

/// <summary>margin.csv: margin.html's lines.</summary>
internal sealed class MarginCsvFile : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["margin.csv"];

    public bool AppliesTo(ReportSet set) => set.Data.Margin.Count > 0;

    public IReadOnlyList<string> Write(ReportSet set) => [set.WriteFile("margin.csv", stream => MarginReport.WriteCsv(stream, set.Margin, set.Data))];
}

/// <summary>channel.html: MRR, churn, retention and profit per seller.</summary>
internal sealed class ChannelHtmlFile : IReportFile
{
    public IReadOnlyList<string> Owns { get; } = ["channel.html"];

    // An end customer's set has no seller of its own: its resale lines are its spend, shown in report.html.
    public bool AppliesTo(ReportSet set) => set.Data.Channel.HasSellerData;

    public IReadOnlyList<string> Write(ReportSet set) => [set.WriteText("channel.html", Pages.Channel(set.Figures, ChannelReport.Build(set.Data.Channel), set.Generated))];
}
