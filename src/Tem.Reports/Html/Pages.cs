using Tem.Reports.Files;
using Tem.Reports.Query;

namespace Tem.Reports.Html;

/// <summary>
/// What a page of a report set renders from. Razor components are always public classes, so their parameters must be
/// of public types; the models are public types whose contents stay internal, and each component reads them typed.
/// </summary>
public abstract class SetPageModel
{
    private protected SetPageModel(ReportFigures figures, DateTimeOffset generated, Appendix? appendix)
    {
        Figures = figures;
        Generated = generated;
        Appendix = appendix;
    }

    internal ReportFigures Figures { get; }

    internal ReportData Data => Figures.Data;

    /// <summary>The generated stamp: the lake's latest audit run .</summary>
    internal DateTimeOffset Generated { get; }

    /// <summary>The consultant's appendix, or null for a client's copy.</summary>
    internal Appendix? Appendix { get; }
}

/// <summary>report.html's model.</summary>
public sealed class ReportPageModel : SetPageModel
{
    internal ReportPageModel(ReportFigures figures, DateTimeOffset generated, Appendix? appendix, int topFindings, IReadOnlyList<ContingencyRow> contingency, decimal feePct, int followUpDays)
        : base(figures, generated, appendix)
    {
        TopFindings = topFindings;
        Contingency = contingency;
        FeePct = feePct;
        FollowUpDays = followUpDays;
    }

    /// <summary>Findings listed per currency in "Top findings".</summary>
    internal int TopFindings { get; }

    /// <summary>Realised savings and fee per client and month.</summary>
    internal IReadOnlyList<ContingencyRow> Contingency { get; }

    /// <summary>The contingency fee, in percent of realised savings.</summary>
    internal decimal FeePct { get; }

    /// <summary>Days without news after which a claim is overdue for follow-up.</summary>
    internal int FollowUpDays { get; }
}

/// <summary>A deal's proposal page's model.</summary>
public sealed class ProposalPageModel : SetPageModel
{
    internal ProposalPageModel(ReportFigures figures, DateTimeOffset generated, Appendix? appendix, ProposalModel proposal)
        : base(figures, generated, appendix) => Proposal = proposal;

    internal ProposalModel Proposal { get; }
}

/// <summary>margin.html's model.</summary>
public sealed class MarginPageModel : SetPageModel
{
    internal MarginPageModel(ReportFigures figures, DateTimeOffset generated, MarginReport report)
        : base(figures, generated, null) => Report = report;

    internal MarginReport Report { get; }
}

/// <summary>channel.html's model.</summary>
public sealed class ChannelPageModel : SetPageModel
{
    internal ChannelPageModel(ReportFigures figures, DateTimeOffset generated, ChannelReport report)
        : base(figures, generated, null) => Report = report;

    internal ChannelReport Report { get; }
}

/// <summary>A dispute letter's model: from a bill-to party to a carrier.</summary>
public sealed class LetterPageModel
{
    internal LetterPageModel(ReportData data, string carrier, string? billToId, IReadOnlyList<DisputeItem> items, DateTimeOffset generated)
    {
        Data = data;
        Carrier = carrier;
        BillToId = billToId;
        Items = items;
        Generated = generated;
    }

    internal ReportData Data { get; }

    internal string Carrier { get; }

    /// <summary>The party the carrier invoices (the letter's sender), or null when unknown.</summary>
    internal string? BillToId { get; }

    internal IReadOnlyList<DisputeItem> Items { get; }

    /// <summary>The letter's date: the lake's latest audit run.</summary>
    internal DateTimeOffset Generated { get; }
}

/// <summary>
/// The report pages as HTML strings: each renders its Razor component (this folder) with <see cref="PageRenderer"/>.
/// Self-contained pages: inline CSS and SVG, no script, no network.
/// </summary>
internal static class Pages
{
    private static string Render<TPage>(object model)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        PageRenderer.Render<TPage>(new Dictionary<string, object?> { ["Model"] = model });

    /// <summary>report.html.</summary>
    public static string Report(
        ReportFigures fig, DateTimeOffset generated, int topFindings, IReadOnlyList<ContingencyRow> contingency, decimal feePct, int followUpDays, Appendix? appendix) =>
        Render<ReportPage>(new ReportPageModel(fig, generated, appendix, topFindings, contingency, feePct, followUpDays));

    /// <summary>A deal's proposal-&lt;deal&gt;.html.</summary>
    public static string Proposal(ReportFigures fig, ProposalModel proposal, DateTimeOffset generated, Appendix? appendix) =>
        Render<ProposalPage>(new ProposalPageModel(fig, generated, appendix, proposal));

    /// <summary>margin.html.</summary>
    public static string Margin(ReportFigures fig, MarginReport report, DateTimeOffset generated) =>
        Render<MarginPage>(new MarginPageModel(fig, generated, report));

    /// <summary>channel.html.</summary>
    public static string Channel(ReportFigures fig, ChannelReport report, DateTimeOffset generated) =>
        Render<ChannelPage>(new ChannelPageModel(fig, generated, report));

    /// <summary>A dispute letter from <paramref name="billToId"/> (null: unknown) to <paramref name="carrier"/>.</summary>
    public static string DisputeLetter(ReportData data, string carrier, string? billToId, IReadOnlyList<DisputeItem> items, DateTimeOffset generated) =>
        Render<DisputeLetterPage>(new LetterPageModel(data, carrier, billToId, items, generated));
}
