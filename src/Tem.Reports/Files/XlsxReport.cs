using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Tem.Core;
using Tem.Reports.Charts;
using A = DocumentFormat.OpenXml.Drawing;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;
using Tem.Reports.Query;

namespace Tem.Reports.Files;

/// <summary>
/// report.xlsx (OpenXml SDK): Summary, Findings (autofilter, frozen header), Carriers, Cost centres, Accounts, with
/// resale Margin, with a seller's data MRR and Profit (the channel view of channel.html), Contingency and Definitions.
/// Amounts are numeric cells holding the exact value with a <c>#,##0.00</c> format, so sums and filters in the
/// spreadsheet work on real numbers. A Charts sheet, second, holds report.html's charts (and channel.html's) as PNG
/// images, each under its title, for a reader who only opens the workbook.
/// </summary>
/// <remarks>
/// The same figures and "generated" time give the same bytes: the package's created and modified dates and every zip
/// entry's time are the generated time, the parts' relationship ids are numbered in order.
/// </remarks>
internal static partial class XlsxReport
{
    private const uint Header = 1;
    private const uint MoneyStyle = 2;
    private const uint Percent = 3;
    private const uint Integer = 4;
    private const uint MoneyTotal = 5;
    private const uint Title = 7;
    private const uint Ratio = 8;

    private sealed record Column(string Name, double Width);

    public static void Write(Stream stream, ReportFigures fig, DateTimeOffset generated, IReadOnlyList<ContingencyRow> contingency)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var package = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(package, SpreadsheetDocumentType.Workbook))
        {
            Fill(doc, fig, generated, contingency);
        }

        // System.IO.Packaging stamps each zip entry with the clock, names the core properties part and numbers the
        // package's relationships with random ids: fixed here so that two writes of the same figures are the same bytes.
        using (var zip = new ZipArchive(package, ZipArchiveMode.Update, leaveOpen: true))
        {
            if (zip.Entries.SingleOrDefault(e => e.FullName.StartsWith(CoreFolder, StringComparison.Ordinal)) is { } core && core.FullName != CorePart)
            {
                var previous = "/" + core.FullName;
                var content = Read(core);
                core.Delete();
                Write(zip.CreateEntry(CorePart, CompressionLevel.Optimal), content);
                var rels = zip.GetEntry("_rels/.rels")!;
                var text = System.Text.Encoding.UTF8.GetString(Read(rels)).Replace(previous, "/" + CorePart, StringComparison.Ordinal);
                var n = 0;
                text = PackageRelationshipId().Replace(text, _ => "Id=\"rId" + (++n).ToString(CultureInfo.InvariantCulture) + "\"");
                rels.Delete();
                Write(zip.CreateEntry("_rels/.rels", CompressionLevel.Optimal), System.Text.Encoding.UTF8.GetBytes(text));
            }

            var stamp = new DateTimeOffset(generated.UtcDateTime, TimeSpan.Zero);
            foreach (var entry in zip.Entries)
            {
                entry.LastWriteTime = stamp;
            }
        }

        package.Position = 0;
        package.CopyTo(stream);
    }

    private const string CoreFolder = "package/services/metadata/core-properties/";
    private const string CorePart = CoreFolder + "core.psmdcp";

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var from = entry.Open();
        using var bytes = new MemoryStream();
        from.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static void Write(ZipArchiveEntry entry, byte[] content)
    {
        using var to = entry.Open();
        to.Write(content);
    }

    [System.Text.RegularExpressions.GeneratedRegex("Id=\"R[0-9a-f]+\"")]
    private static partial System.Text.RegularExpressions.Regex PackageRelationshipId();

    private static void Fill(SpreadsheetDocument doc, ReportFigures fig, DateTimeOffset generated, IReadOnlyList<ContingencyRow> contingency)
    {
        var d = fig.Data;
        doc.PackageProperties.Creator = "Tem";
        doc.PackageProperties.Title = d.Brand.Name + ": found money report";
        doc.PackageProperties.Created = generated.UtcDateTime;
        doc.PackageProperties.Modified = generated.UtcDateTime;
        var wb = doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var styles = wb.AddNewPart<WorkbookStylesPart>("rIdStyles");
        styles.Stylesheet = Stylesheet();
        var sheets = wb.Workbook.AppendChild(new Sheets());
        var names = new DefinedNames();
        uint id = 0;

        void Add(string name, IReadOnlyList<Column> columns, IEnumerable<Row> rows, bool filter, int headerRow, Row[]? preamble = null)
        {
            var part = wb.AddNewPart<WorksheetPart>(RelationshipId(id));
            var data = new SheetData();
            foreach (var r in preamble ?? [])
            {
                Renumber(r, r.RowIndex!.Value);
                data.Append(r);
            }

            data.Append(HeaderRow((uint)headerRow, columns));
            var last = (uint)headerRow;
            foreach (var r in rows)
            {
                last++;
                Renumber(r, last);
                data.Append(r);
            }

            var ws = new Worksheet();
            var view = new SheetView { WorkbookViewId = 0, TabSelected = id == 0 };
            view.Append(new Pane
            {
                VerticalSplit = headerRow,
                TopLeftCell = "A" + (headerRow + 1).ToString(CultureInfo.InvariantCulture),
                ActivePane = PaneValues.BottomLeft,
                State = PaneStateValues.Frozen,
            });
            view.Append(new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A" + (headerRow + 1).ToString(CultureInfo.InvariantCulture), SequenceOfReferences = new ListValue<StringValue> { InnerText = "A" + (headerRow + 1).ToString(CultureInfo.InvariantCulture) } });
            ws.Append(new SheetViews(view));
            var cols = new Columns();
            for (var i = 0; i < columns.Count; i++)
            {
                cols.Append(new DocumentFormat.OpenXml.Spreadsheet.Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = columns[i].Width, CustomWidth = true });
            }

            ws.Append(cols);
            ws.Append(data);
            var range = $"A{headerRow}:{Letter(columns.Count - 1)}{Math.Max(last, (uint)headerRow)}";
            if (filter)
            {
                ws.Append(new AutoFilter { Reference = range });
                names.Append(new DefinedName { Name = "_xlnm._FilterDatabase", LocalSheetId = id, Hidden = true, Text = string.Create(CultureInfo.InvariantCulture, $"'{name}'!$A${headerRow}:${Letter(columns.Count - 1)}${Math.Max(last, (uint)headerRow)}") });
            }

            part.Worksheet = ws;
            sheets.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id + 1, Name = name });
            id++;
        }

        Add("Summary", SummaryColumns, SummaryRows(fig), false, 6, SummaryPreamble(fig, generated));
        var channel = d.Channel.HasSellerData ? ChannelReport.Build(d.Channel) : null;
        AddCharts(wb, sheets, id++, ReportCharts.Of(fig).ForWorkbook(channel));
        Add("Findings", FindingColumns, FindingRows(fig), true, 1);
        Add("Carriers", BreakdownColumns("Carrier"), BreakdownRows(fig.ByCarrier, k => [Text(k[0])]), true, 1);
        Add("Cost centres", BreakdownColumns("Cost centre"), BreakdownRows(fig.ByCostCentre, k => [Text(k[0])]), true, 1);
        Add("Accounts", [new("Carrier", 14), new("Account", 16), new("Customer", 28), new("Bill-to", 28), new("Reseller", 24), .. BreakdownColumns(null)],
            BreakdownRows(fig.ByAccount, k =>
            {
                var a = d.Account(k[0], k[1]);
                return [Text(k[0]), Text(k[1]), Text(d.PartyName(a?.CustomerId)), Text(d.PartyName(a?.BillToId)), Text(a?.ResellerId is { } r ? d.PartyName(r) : string.Empty)];
            }), true, 1);
        if (d.Margin.Count > 0)
        {
            Add("Margin", MarginColumns, MarginRows(MarginReport.Build(d), d), true, 1);
        }

        if (channel is not null)
        {
            Add("MRR", MrrColumns, MrrRows(channel, d), true, 1);
            Add("Profit", ProfitColumns, ProfitRows(channel, d), true, 1);
        }

        Add("Contingency", [new("Customer", 28), new("Month", 10), new("Currency", 10), new("Credits received", 17), new("Savings confirmed", 18), new("Realised", 15), new("Fee", 15)],
            contingency.Select(r => new Row(Text(r.CustomerId.Length == 0 ? "-" : d.PartyName(r.CustomerId)), Text(r.Month.ToString()), Text(r.Currency.Code),
                Number(r.Credits), Number(r.Savings), Number(r.Realised), Number(r.Fee))), true, 1);
        Add("Definitions", [new("Term", 18), new("Definition", 140)],
            MoneyDefinitions.Terms.Concat(channel is null ? [] : ChannelReport.Terms).Select(t => new Row(Text(t.Term), Text(t.Definition))), false, 1);
        if (names.HasChildren)
        {
            wb.Workbook.Append(names);
        }

        wb.Workbook.Save();
    }

    /// <summary>EMUs (the drawing unit of Office files) per pixel at 96 dpi.</summary>
    private const long EmuPerPixel = 9525;

    /// <summary>A worksheet row's default height in pixels (15 points).</summary>
    private const int RowPixels = 20;

    private static string RelationshipId(uint sheet) => "rId" + (sheet + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The Charts sheet: per chart its title in bold in column A, the PNG anchored in the rows below it, and a blank row
    /// before the next title, so no two images overlap. A set without charts gets a sheet that says so.
    /// </summary>
    private static void AddCharts(WorkbookPart wb, Sheets sheets, uint id, IReadOnlyList<Chart> charts)
    {
        var part = wb.AddNewPart<WorksheetPart>(RelationshipId(id));
        var data = new SheetData();
        // The images are placed by row: every row is pinned at 15 points (20 pixels), since a spreadsheet's own default
        // row height differs (LibreOffice's is 0.45 cm, 17 pixels) and would slide the next title under the image above.
        var ws = new Worksheet(new SheetViews(new SheetView { WorkbookViewId = 0 }), new SheetFormatProperties { DefaultRowHeight = 15D, CustomHeight = true }, new Columns(new DocumentFormat.OpenXml.Spreadsheet.Column { Min = 1, Max = 1, Width = 100, CustomWidth = true }), data);
        if (charts.Count == 0)
        {
            var row = new Row(Text("No charts: nothing to report yet.")) { RowIndex = 1 };
            Renumber(row, 1);
            data.Append(row);
        }
        else
        {
            var drawings = part.AddNewPart<DrawingsPart>("rIdDrawing");
            var drawing = new Xdr.WorksheetDrawing();
            drawing.AddNamespaceDeclaration("xdr", "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing");
            drawing.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
            uint at = 1;
            for (var i = 0; i < charts.Count; i++)
            {
                var chart = charts[i];
                var title = new Row(Text(chart.Title, Header)) { RowIndex = at };
                Renumber(title, at);
                data.Append(title);
                var image = drawings.AddImagePart(ImagePartType.Png, "rIdImage" + (i + 1).ToString(CultureInfo.InvariantCulture));
                using (var png = new MemoryStream(chart.Png()))
                {
                    image.FeedData(png);
                }

                var (cx, cy) = (chart.Width * EmuPerPixel, chart.Height * EmuPerPixel);
                drawing.Append(new Xdr.OneCellAnchor(
                    new Xdr.FromMarker(new Xdr.ColumnId("0"), new Xdr.ColumnOffset("0"), new Xdr.RowId(at.ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset("0")),
                    new Xdr.Extent { Cx = cx, Cy = cy },
                    new Xdr.Picture(
                        new Xdr.NonVisualPictureProperties(
                            new Xdr.NonVisualDrawingProperties { Id = (uint)(i + 2), Name = "Chart " + (i + 1).ToString(CultureInfo.InvariantCulture), Title = chart.Title, Description = chart.Description },
                            new Xdr.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true })),
                        new Xdr.BlipFill(new A.Blip { Embed = drawings.GetIdOfPart(image) }, new A.Stretch(new A.FillRectangle())),
                        new Xdr.ShapeProperties(
                            new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                            new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })),
                    new Xdr.ClientData()));
                at += (uint)((chart.Height + RowPixels - 1) / RowPixels) + 2;
            }

            drawings.WorksheetDrawing = drawing;
            ws.Append(new Drawing { Id = part.GetIdOfPart(drawings) });
        }

        part.Worksheet = ws;
        sheets.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id + 1, Name = "Charts" });
    }

    private static readonly Column[] SummaryColumns =
    [
        new("Currency", 12), new("Findings", 11), new("One-time", 15), new("Monthly", 15), new("Found money", 17), new("Realised", 15),
        new("Realised %", 12), new("Submitted", 15), new("Potential", 15), new("Reseller revenue", 17), new("Spend in period", 17), new("Spend latest month", 18),
    ];

    private static Row[] SummaryPreamble(ReportFigures fig, DateTimeOffset generated)
    {
        var d = fig.Data;
        return
        [
            new Row(Text(d.Brand.Name + ": found money report", Title)) { RowIndex = 1 },
            new Row(Text("Found money = validated one-time + 12 x monthly savings, per currency; potential and reseller revenue are never in it; realised = credits received + 12 x savings the bills confirm (see the Definitions sheet).")) { RowIndex = 2 },
            new Row(Text(d.Window is { } w ? $"Billing months {w.First} to {w.Latest}" : "No billing months yet")) { RowIndex = 3 },
            new Row(Text(d.Tenant is null ? $"All customers ({d.Customers.Count})" : $"{d.Customers.Count} customer(s) of {d.PartyName(d.Tenant)}: {string.Join(", ", d.Customers.Select(d.PartyName))}")) { RowIndex = 4 },
            new Row(Text("Generated " + generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC")) { RowIndex = 5 },
        ];
    }

    private static IEnumerable<Row> SummaryRows(ReportFigures fig)
    {
        foreach (var c in fig.Currencies)
        {
            var t = fig.TotalOf(c);
            var submitted = fig.ByStatus(c).Where(s => FindingStatuses.IsPending(s.Status)).Sum(s => s.FoundMoney);
            var v = t.Validated;
            yield return new Row(
                Text(c.Code), Number(v.Findings, Integer), Number(v.OneTime), Number(v.MonthlySavings),
                Number(v.FoundMoney, MoneyTotal), Number(t.Realised.Total),
                Number(v.FoundMoney == 0 ? 0 : t.Realised.Total / v.FoundMoney, Percent), Number(submitted), Number(t.Potential.FoundMoney),
                Number(t.Reseller.FoundMoney), Number(fig.Data.Spend.Where(s => s.Currency == c).Sum(s => s.Amount)), Number(fig.LatestSpend(c)));
        }
    }

    private static readonly Column[] FindingColumns =
    [
        new("finding_id", 20), new("rule", 24), new("severity", 9), new("status", 10), new("carrier", 12), new("account_id", 14), new("service_id", 18),
        new("customer_id", 12), new("customer", 26), new("bill_to_id", 12), new("bill_to", 26), new("reseller_id", 12), new("cost_centre", 18),
        new("period", 9), new("one_time_amount", 15), new("monthly_savings", 15), new("found_money", 15), new("currency", 9), new("confidence", 11),
        new("title", 36), new("detail", 60), new("evidence", 60), new("recommended_action", 14), new("recommended_plan_id", 14), new("money_kind", 11),
        new("status_note", 24), new("submitted_on", 12), new("reference", 16), new("amount_claimed", 15), new("amount_credited", 15), new("realised", 15),
    ];

    private static IEnumerable<Row> FindingRows(ReportFigures fig)
    {
        var d = fig.Data;
        foreach (var s in d.Findings.OrderBy(f => f.Finding.Rule, StringComparer.Ordinal).ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal))
        {
            var f = s.Finding;
            yield return new Row(
                Text(f.FindingId), Text(f.Rule), Text(WireNames.ToWire(f.Severity)), Text(WireNames.ToWire(s.Status)), Text(f.Carrier), Text(f.AccountId),
                Text(f.ServiceId ?? string.Empty), Text(f.CustomerId ?? string.Empty), Text(d.PartyName(f.CustomerId)), Text(f.BillToId ?? string.Empty),
                Text(d.PartyName(f.BillToId)), Text(f.ResellerId ?? string.Empty), Text(fig.CostCentreOf(f)), Text(f.Period.ToString()),
                Number(f.OneTimeAmount), Number(f.MonthlySavings), Number(f.FoundMoney), Text(f.Currency.Code), Number(f.Confidence, Ratio),
                Text(f.Title), Text(f.Detail), Text(f.Evidence), Text(WireNames.ToWire(f.RecommendedAction)), Text(f.RecommendedPlanId ?? string.Empty),
                Text(WireNames.ToWire(f.MoneyKind)), Text(s.StatusNote ?? string.Empty),
                Text(s.Dispute.SubmittedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty), Text(s.Dispute.Reference ?? string.Empty),
                s.Dispute.AmountClaimed is { } claimed ? Number(claimed) : Text(string.Empty), Number(s.Dispute.AmountCredited),
                Number(s.RealisedOneTime + (12 * s.RealisedMonthly)));
        }
    }

    private static Column[] BreakdownColumns(string? key) =>
    [
        .. key is null ? Array.Empty<Column>() : [new Column(key, 26)],
        new("Currency", 10), new("Spend", 15), new("Findings", 10), new("One-time", 15), new("Monthly", 15), new("Found money", 15), new("Potential", 15), new("Realised", 15),
    ];

    private static IEnumerable<Row> BreakdownRows(IReadOnlyList<Breakdown> rows, Func<IReadOnlyList<string>, Cell[]> keys)
    {
        foreach (var r in rows)
        {
            yield return new Row([.. keys(r.Keys), Text(r.Currency.Code), Number(r.Spend), Number(r.Findings, Integer), Number(r.OneTime), Number(r.Monthly),
                Number(r.FoundMoney), Number(r.Potential), Number(r.Realised)]);
        }
    }

    private static readonly Column[] MarginColumns =
    [
        new("Reseller", 24), new("Customer", 26), new("Carrier", 12), new("Account", 14), new("Service", 18), new("Currency", 10), new("Months", 9),
        new("Carrier cost", 15), new("Resale billed", 15), new("Margin", 15), new("Margin %", 11), new("Months unbilled", 15), new("Months below cost", 17),
    ];

    private static IEnumerable<Row> MarginRows(MarginReport report, ReportData d)
    {
        foreach (var l in report.Lines)
        {
            yield return new Row(
                Text(d.PartyName(l.ResellerId)), Text(d.PartyName(l.CustomerId)), Text(l.Carrier ?? string.Empty), Text(l.AccountId ?? string.Empty),
                Text(l.ServiceId ?? MarginReport.AccountLevelLabel), Text(l.Currency.Code), Number(l.Months, Integer), Number(l.CarrierCost), Number(l.Resale),
                Number(l.Margin), l.MarginPct is { } p ? Number(p, Percent) : Text(string.Empty), Number(l.UnbilledMonths, Integer), Number(l.BelowCostMonths, Integer));
        }
    }

    private static readonly Column[] MrrColumns =
    [
        new("Level", 10), new("Reseller id", 14), new("Reseller", 26), new("Customer id", 14), new("Customer", 26), new("Currency", 10), new("Month", 20),
        new("MRR", 15), new("Churned customers", 18), new("MRR lost", 15), new("NRR", 10),
    ];

    /// <summary>
    /// Per reseller and month its MRR, churn and NRR (none in the first month); a <c>window</c> row with churn over all
    /// months and the NRR of the last month against the first; then per customer and month its MRR.
    /// </summary>
    private static IEnumerable<Row> MrrRows(ChannelReport report, ReportData d)
    {
        var blank = Text(string.Empty);
        foreach (var s in report.Mrr)
        {
            Cell[] Seller() => [Text(s.SellerId), Text(d.PartyName(s.SellerId)), Text(string.Empty), Text(string.Empty), Text(s.Currency.Code)];
            for (var i = 0; i < report.Months.Count; i++)
            {
                var r = i == 0 ? null : s.Retention[i - 1];
                yield return new Row([Text("reseller"), .. Seller(), Text(report.Months[i].ToString()), Number(s.Mrr[i]),
                    r is null ? Text(string.Empty) : Number(r.Churned, Integer), r is null ? Text(string.Empty) : Number(r.MrrLost),
                    r?.Nrr is { } nrr ? Number(nrr, Percent) : Text(string.Empty)]);
            }

            yield return new Row([Text("window"), .. Seller(), Text(report.Months.Count == 0 ? string.Empty : $"{report.Months[0]} to {report.Months[^1]}"),
                Text(string.Empty), Number(s.Churned, Integer), Number(s.MrrLost), s.WindowNrr is { } w ? Number(w, Percent) : Text(string.Empty)]);
        }

        foreach (var s in report.Mrr)
        {
            foreach (var c in s.Customers)
            {
                for (var i = 0; i < report.Months.Count; i++)
                {
                    yield return new Row(Text("customer"), Text(s.SellerId), Text(d.PartyName(s.SellerId)), Text(c.CustomerId), Text(d.PartyName(c.CustomerId)),
                        Text(s.Currency.Code), Text(report.Months[i].ToString()), Number(c.Mrr[i]), Text(string.Empty), Text(string.Empty), Text(string.Empty));
                }
            }
        }
    }

    private static readonly Column[] ProfitColumns =
    [
        new("Level", 13), new("Party id", 14), new("Party", 28), new("Kind", 12), new("Seller / distributor", 26), new("Currency", 10), new("Months", 22),
        new("Cost", 15), new("Sale", 15), new("Profit", 15), new("Margin %", 11), new("Note", 22),
    ];

    private static IEnumerable<Row> ProfitRows(ChannelReport report, ReportData d)
    {
        foreach (var r in report.Profit)
        {
            var level = r.Level switch
            {
                ProfitLevel.Seller => "seller",
                ProfitLevel.Total => "total",
                ProfitLevel.RollupPart => "rollup part",
                ProfitLevel.Rollup => "rollup",
                ProfitLevel.Customer => "customer",
                _ => "direct",
            };
            var kind = r.PartyId is not null && d.Parties.TryGetValue(r.PartyId, out var p) ? p.Kind : string.Empty;
            yield return new Row(
                Text(level), Text(r.PartyId ?? string.Empty), Text(r.PartyId is null ? "Total " + r.Currency.Code : d.PartyName(r.PartyId)), Text(kind),
                Text(r.Under is null ? string.Empty : d.PartyName(r.Under)), Text(r.Currency.Code), Text(report.Span(r.Months)), Number(r.Cost),
                r.Sale is { } sale ? Number(sale) : Text(string.Empty), r.Profit is { } profit ? Number(profit) : Text(string.Empty),
                r.MarginPct is { } m ? Number(m, Percent) : Text(string.Empty), Text(r.Sale is null ? "no channel sale" : string.Empty));
        }
    }

    private static Row HeaderRow(uint index, IReadOnlyList<Column> columns)
    {
        var row = new Row { RowIndex = index };
        for (var i = 0; i < columns.Count; i++)
        {
            row.Append(Text(columns[i].Name, Header));
        }

        Renumber(row, index);
        return row;
    }

    private static void Renumber(Row row, uint index)
    {
        row.RowIndex = index;
        var i = 0;
        foreach (var cell in row.Elements<Cell>())
        {
            cell.CellReference = Letter(i++) + index.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static Cell Text(string value, uint style = 0) =>
        new(new InlineString(new Text(value) { Space = SpaceProcessingModeValues.Preserve })) { DataType = CellValues.InlineString, StyleIndex = style == 0 ? null : style };

    private static Cell Number(decimal value, uint style = MoneyStyle) =>
        new(new CellValue(value.ToString(CultureInfo.InvariantCulture))) { DataType = CellValues.Number, StyleIndex = style };

    private static string Letter(int index)
    {
        var s = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            s = (char)('A' + ((n - 1) % 26)) + s;
        }

        return s;
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.00" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "0.0%" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "0.00" }) { Count = 3 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "Calibri" })) { Count = 3 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE4E8EE" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(new Color { Rgb = "FF9AA5B1" }) { Style = BorderStyleValues.Thin }, new DiagonalBorder())) { Count = 2 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true },
            new CellFormat { NumberFormatId = 164, FontId = 0, FillId = 0, BorderId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, FontId = 0, FillId = 0, BorderId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 3, FontId = 0, FillId = 0, BorderId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, FontId = 1, FillId = 0, BorderId = 0, ApplyNumberFormat = true, ApplyFont = true },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 0, FontId = 2, FillId = 0, BorderId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 166, FontId = 0, FillId = 0, BorderId = 0, ApplyNumberFormat = true }) { Count = 9 });
}
