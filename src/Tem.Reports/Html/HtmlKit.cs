using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Tem.Core;
using Tem.Reports.Query;

namespace Tem.Reports.Html;

/// <summary>
/// Shared pieces of the report pages (the Razor components in this folder): number formats (invariant culture, money
/// in the currency's minor units rounded half away from zero, the exact amount in <c>data-value</c>), and small
/// render fragments every page uses. Text goes through the renderer, which escapes it; the only raw markup is the
/// chart SVG (<see cref="Chart"/>) and the constant stylesheet (<see cref="PageCss"/>).
/// </summary>
internal static class HtmlKit
{
    /// <summary>Money for a person, in the currency's minor units: 1,234.57 (USD), 1,235 (JPY), 1,234.568 (KWD).</summary>
    public static string Money(decimal v, CurrencyCode c) => MoneyText.Format(v, c);

    /// <summary>Money with its currency: USD 1,234.57.</summary>
    public static string MoneyWithCode(decimal v, CurrencyCode c) => c.Code + " " + Money(v, c);

    /// <summary>The exact amount for a data attribute: 1234.5677.</summary>
    public static string Exact(decimal v) => v.ToString("0.0000##", CultureInfo.InvariantCulture);

    public static string Pct(decimal? v) =>
        v is { } x ? Rounding.HalfAwayFromZero(x * 100, 1).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    public static string Int(long v) => v.ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Label(string rule) =>
        rule.Length == 0 ? rule : char.ToUpperInvariant(rule[0]) + rule[1..].Replace('_', ' ');

    /// <summary>A count or number as invariant text (Razor would format an <see cref="int"/> with the current culture).</summary>
    public static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A count or number as invariant text, or nothing.</summary>
    public static string Num(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A date as yyyy-MM-dd, or nothing.</summary>
    public static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>
    /// A chart's SVG, inserted as markup. Safe: the chart code (Charts/) draws it with ScottPlot, whose SVG canvas (Skia)
    /// writes every text it draws (labels, legends, titles) as escaped XML text, and escapes the title, description and
    /// attributes it adds around it with <see cref="Charts.Markup.Escape"/>; nothing else is ever passed here
    /// (EscapingTests sends markup through every chart).
    /// </summary>
    public static MarkupString Chart(string svg) => new(svg);

    /// <summary>
    /// Text that comes from the data (a party, carrier, account or service name, a description): escaped by the
    /// renderer and isolated in <c>&lt;bdi&gt;</c>, so a right-to-left name (or one holding U+202E) cannot reorder
    /// the words and amounts beside it.
    /// </summary>
    public static RenderFragment Name(string? text) => b =>
    {
        b.OpenElement(0, "bdi");
        b.AddContent(1, text);
        b.CloseElement();
    };

    /// <summary>A money cell: right-aligned, the exact value in <c>data-value</c>.</summary>
    public static RenderFragment MoneyCell(decimal v, CurrencyCode c, string? cls = null) => b =>
    {
        b.OpenElement(0, "td");
        b.AddAttribute(1, "class", cls is null ? "num" : "num " + cls);
        b.AddAttribute(2, "data-value", Exact(v));
        b.AddContent(3, Money(v, c));
        b.CloseElement();
    };

    /// <summary>The stylesheet every page shares, plus the page's own rules.</summary>
    /// <remarks>
    /// Inserted as markup because a <c>&lt;style&gt;</c> element's text is not HTML-decoded (escaping it would break
    /// its quotes). Safe: it is this class's constant text and the pages' constant additions; the brand colour, the
    /// only value from the data, is a <c>#RRGGBB</c> colour or the default (<see cref="ReportDataLoader.ColorOr"/>,
    /// checked again here), so it holds no character CSS or HTML could read as anything else.
    /// </remarks>
    public static MarkupString PageCss(string brandColor, string? extraCss) =>
        new(":root { --brand: " + ReportDataLoader.ColorOr(brandColor, ReportDataLoader.DefaultColor) + "; }\n" + Css + (extraCss ?? string.Empty));

    private const string Css = """
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: #F4F6F8; color: #1F2933; font: 14px/1.45 "Segoe UI", "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-variant-numeric: tabular-nums; }
        .masthead { display: flex; justify-content: space-between; align-items: center; gap: 24px; padding: 18px 40px; background: #fff; border-top: 6px solid var(--brand); border-bottom: 1px solid #E4E8EE; }
        .brand { display: flex; align-items: center; gap: 14px; }
        .logo { height: 48px; max-width: 240px; object-fit: contain; padding-right: 14px; border-right: 1px solid #E4E8EE; }
        .monogram { width: 44px; height: 44px; border-radius: 10px; background: var(--brand); color: #fff; display: flex; align-items: center; justify-content: center; font-weight: 700; font-size: 17px; letter-spacing: .5px; }
        .brand-name { font-size: 19px; font-weight: 700; color: var(--brand); line-height: 1.2; }
        .doc-kind { font-size: 12px; color: #6B7785; text-transform: uppercase; letter-spacing: .08em; }
        .meta { text-align: right; font-size: 12px; color: #52606D; }
        main { max-width: 1120px; margin: 0 auto; padding: 24px 40px 48px; }
        h1 { font-size: 26px; margin: 8px 0 4px; letter-spacing: -.01em; }
        h2 { font-size: 17px; margin: 0 0 4px; padding-bottom: 6px; border-bottom: 2px solid var(--brand); }
        h3 { font-size: 14px; margin: 14px 0 6px; color: #323F4B; }
        p { margin: 6px 0 10px; }
        .lede { color: #52606D; margin-bottom: 16px; }
        .note { color: #6B7785; font-size: 12px; }
        section { background: #fff; border: 1px solid #E4E8EE; border-radius: 8px; padding: 18px 22px; margin: 0 0 18px; }
        .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 14px; margin: 10px 0 4px; }
        .kpi { border: 1px solid #E4E8EE; border-left: 5px solid var(--brand); border-radius: 6px; padding: 12px 16px; background: #fff; }
        .kpi-label { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: #6B7785; }
        .kpi-value { font-size: 28px; font-weight: 700; margin: 2px 0; letter-spacing: -.01em; }
        .kpi-value .ccy { font-size: 15px; font-weight: 600; color: #6B7785; margin-right: 4px; }
        .kpi-break { font-size: 12.5px; color: #3E4C59; }
        .kpi-foot { font-size: 12.5px; color: #3E4C59; margin-top: 6px; }
        .meter { height: 6px; background: #E4E8EE; border-radius: 3px; margin-top: 8px; overflow: hidden; }
        .meter > span { display: block; height: 100%; background: #2A9D8F; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 18px; }
        figure { margin: 8px 0 0; }
        figcaption { font-size: 13px; font-weight: 600; color: #323F4B; margin-bottom: 2px; }
        figcaption .sub { font-weight: 400; }
        .currency-panel h2 { display: flex; align-items: baseline; gap: 8px; }
        svg.chart { width: 100%; height: auto; display: block; }
        table { width: 100%; border-collapse: collapse; font-size: 12.5px; margin: 6px 0 4px; }
        th { text-align: left; font-weight: 600; color: #52606D; font-size: 11.5px; text-transform: uppercase; letter-spacing: .04em; border-bottom: 1px solid #CBD2D9; padding: 6px 8px; vertical-align: bottom; }
        td { border-bottom: 1px solid #EEF1F4; padding: 6px 8px; vertical-align: top; }
        th.num, td.num { text-align: right; }
        td.num { white-space: nowrap; }
        tr.total td { font-weight: 700; border-top: 1.5px solid #9AA5B1; border-bottom: none; }
        tbody tr:nth-child(even) td { background: #FAFBFC; }
        th.where { width: 150px; } th.who { width: 170px; }
        .sub { display: block; color: #6B7785; font-size: 11.5px; }
        .evidence { display: block; font-family: "SFMono-Regular", Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 10.5px; color: #52606D; word-break: break-word; margin-top: 2px; }
        .tag { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 11px; font-weight: 600; background: #EEF1F4; color: #3E4C59; white-space: nowrap; }
        .tag.high { background: #FDE8E4; color: #9B2C1F; }
        .tag.medium { background: #FFF4DB; color: #8A5A00; }
        .tag.low { background: #E6F4F1; color: #1D6B61; }
        .tag.recovered { background: #E1F3EC; color: #17694E; }
        .tag.disputed { background: #E7EEFB; color: #2B4C8C; }
        .neg { color: #B23A26; }
        .pos { color: #17694E; }
        footer.defs { font-size: 12px; color: #52606D; }
        footer.defs dt { font-weight: 600; color: #323F4B; margin-top: 6px; }
        footer.defs dd { margin: 0 0 4px 0; }
        @media screen and (max-width: 720px) { .masthead { flex-direction: column; align-items: flex-start; padding: 14px 18px; } .meta { text-align: left; } main { padding: 16px 12px; } .charts { grid-template-columns: 1fr; } }
        /* Print (A4): the content flows; nothing forces a page break but the consultant's appendix, so a short section
           shares its page. Charts print two to a row at half the width (their text stays legible at ~90 mm) and are
           never split; table rows are never split and a table's header row repeats on every page it spans; a
           heading stays with what follows it. */
        @page { size: A4; margin: 12mm 10mm; }
        @media print {
          body { background: #fff; font-size: 9pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          table { font-size: 8pt; }
          th { font-size: 6.5pt; padding: 3px 4px; }
          td { padding: 3px 4px; }
          .kpis { grid-template-columns: repeat(3, 1fr); gap: 8px; }
          .kpi { padding: 6px 10px; }
          .kpi-value { font-size: 15pt; }
          h1 { font-size: 16pt; }
          h2 { font-size: 12pt; }
          h3 { font-size: 10pt; margin-top: 10px; }
          .masthead { padding: 0 0 8px; border-top-width: 4px; }
          main { max-width: none; padding: 8px 0 0; }
          section { border: none; border-radius: 0; padding: 0; margin: 0 0 12px; }
          .charts { grid-template-columns: 1fr 1fr; gap: 10px; }
          svg.chart { max-width: 100%; }
          figure { margin-top: 2px; }
          figure, .kpi, tr, .letter-block, .addresses { break-inside: avoid; }
          thead { display: table-header-group; }
          h2, h3, figcaption { break-after: avoid; }
          .appendix { break-before: page; }
        }

        """;
}
