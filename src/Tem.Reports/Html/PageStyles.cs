namespace Tem.Reports.Html;

/// <summary>The CSS rules of single pages, added after the shared stylesheet (<see cref="HtmlKit.PageCss"/>): constant text.</summary>
internal static class PageStyles
{
    /// <summary>channel.html: the month columns and the seller groups.</summary>
    public const string Channel = """
        table.months th.num, table.months td.num { padding-left: 4px; padding-right: 6px; }
        tbody.seller tr:first-child td { border-top: 1.5px solid #CBD2D9; }
        td.measure { color: #52606D; white-space: nowrap; }

        """;

    /// <summary>A dispute letter: a narrower column and the address block.</summary>
    public const string Letter = """
        .letter { max-width: 860px; margin: 0 auto; }
        .addresses { display: grid; grid-template-columns: 1fr 1fr auto; gap: 18px; margin-bottom: 18px; }
        .addresses .label { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #6B7785; }
        .letter h1 { font-size: 21px; }
        .signature { margin-top: 28px; }
        @media print { .letter { max-width: none; } }

        """;
}
