using System.Text;
using Tem.Core;
using Tem.Ingest.Csv;
using Tem.Ingest.Formats;
using Tem.Ingest.Validation;
using Tem.Lake.Layouts;

namespace Tem.Ingest.Recognition;

/// <summary>A canonical CSV file's header read against its layout.</summary>
/// <param name="Layout">The layout recognised (or named with <see cref="IngestOptions.Kind"/>).</param>
/// <param name="FieldCount">Columns of the header.</param>
/// <param name="ColumnOf">For each layout field, its 0-based column in the file, or -1.</param>
/// <param name="Fatal">A problem that rejects every row (a missing or repeated column, another separator), or null.</param>
/// <param name="Ignored">Header columns no layout field reads.</param>
internal sealed record CsvHeader(Layout Layout, int FieldCount, int[] ColumnOf, RowReject? Fatal, IReadOnlyList<string> Ignored);

/// <summary>
/// Recognises a canonical CSV file by its header row: the layout whose columns it names, one it comes close to (its
/// rows are then rejected, never skipped unseen), or one it names when split at another separator.
/// </summary>
internal static class HeaderMapper
{
    /// <summary>
    /// Reads the header row from <paramref name="reader"/> and maps it onto a layout; null with <paramref name="refused"/>
    /// when the file has no usable header or matches no layout.
    /// </summary>
    public static CsvHeader? Recognise(CsvRecordReader reader, string? kind, string path, string name, out FileReport? refused)
    {
        refused = null;
        if (!reader.Read())
        {
            refused = new FileReport(path, null, FileOutcome.Failed, 0, 0, 0, $"{name}: empty file; expected a header row", []);
            return null;
        }

        if (RecordProblems.HeaderProblem(reader) is { } headerUnreadable)
        {
            refused = new FileReport(path, null, FileOutcome.Failed, 0, 0, 0,
                $"{name}:1: the header row cannot be read ({headerUnreadable}); expected a CSV header in UTF-8", []);
            return null;
        }

        var header = Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(FieldParsers.Trim(reader.Field(i)))).ToArray();
        var layout = kind is null ? CanonicalLayouts.Recognise(header) : CanonicalLayouts.ByKind(kind)
            ?? throw new ArgumentException($"Unknown kind '{kind}'; expected one of: {string.Join(", ", FormatRegistry.KindNames)}.");
        RowReject? headerProblem = null;
        if (layout is null && SeparatorHint(header) is { } semicolon)
        {
            // A ';'-separated export of a known layout (a European spreadsheet's CSV): say so and reject its rows.
            (layout, headerProblem) = semicolon;
        }
        else if (layout is null && CanonicalLayouts.Closest(header) is { } closest)
        {
            // Close to a known layout but lacking required columns: that file's rows are rejected, never skipped unseen.
            layout = closest.Layout;
        }

        if (layout is null)
        {
            refused = new FileReport(path, null, FileOutcome.Unrecognised, 0, 0, 0,
                $"{name}: skipped: its header ({string.Join(",", header.Take(8))}{(header.Length > 8 ? ",..." : string.Empty)}) matches no known layout; name the kind with --kind", []);
            return null;
        }

        var (columnOf, fatal, ignored) = Map(layout, header);
        return new CsvHeader(layout, header.Length, columnOf, headerProblem ?? fatal, ignored);
    }

    /// <summary>
    /// Where each layout field is in <paramref name="header"/> (case-insensitive), the first problem that rejects every
    /// row (a column named twice, required columns missing) and the columns the layout does not read.
    /// </summary>
    internal static (int[] ColumnOf, RowReject? Fatal, List<string> Ignored) Map(Layout layout, string[] header)
    {
        var columnOf = new int[layout.Fields.Count];
        RowReject? duplicate = null;
        var missing = new List<string>();
        for (var f = 0; f < layout.Fields.Count; f++)
        {
            var spec = layout.Fields[f];
            var matches = header.Select((h, i) => (h, i)).Where(x => string.Equals(x.h, spec.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            columnOf[f] = matches.Count == 0 ? -1 : matches[0].i;
            if (matches.Count > 1)
            {
                duplicate ??= new RowReject(matches[1].i + 1, spec.Name, RejectReason.DuplicateHeader,
                    $"the header names '{spec.Name}' twice (columns {matches[0].i + 1} and {matches[1].i + 1}); expected it once");
            }
            else if (matches.Count == 0 && spec.InHeader)
            {
                missing.Add(spec.Name);
            }
        }

        var fatal = missing.Count switch
        {
            0 => duplicate,
            1 => new RowReject(0, missing[0], RejectReason.MissingColumn, $"the header has no '{missing[0]}' column, which a {layout.Kind} file requires"),
            _ => new RowReject(0, string.Join(", ", missing), RejectReason.MissingColumn,
                $"the header has no {string.Join(", ", missing.Select(m => $"'{m}'"))} columns, which a {layout.Kind} file requires"),
        };
        var known = new HashSet<string>(layout.Fields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        var ignored = header.Where(h => !known.Contains(h)).ToList();
        return (columnOf, fatal, ignored);
    }

    /// <summary>
    /// When a header read with commas is one field that, split at ';', a tab or '|', is (or comes close to) a known
    /// layout: that layout and the file's problem; else null.
    /// </summary>
    internal static (Layout Layout, RowReject Problem)? SeparatorHint(string[] header)
    {
        if (header.Length != 1)
        {
            return null;
        }

        foreach (var (separator, named, json) in (ReadOnlySpan<(char, string, string)>)[(';', "';'", ";"), ('\t', "tabs", "\\t"), ('|', "'|'", "|")])
        {
            if (!header[0].Contains(separator, StringComparison.Ordinal))
            {
                continue;
            }

            var split = header[0].Split(separator, StringSplitOptions.TrimEntries);
            if ((CanonicalLayouts.Recognise(split) ?? CanonicalLayouts.Closest(split)?.Layout) is { } layout)
            {
                return (layout, new RowReject(0, null, RejectReason.BadFile,
                    $"the columns are separated by {named} (it reads as a {layout.Kind} file that way), but Tem reads comma-separated CSV; " +
                    $"export it with commas, or read it through a carrier profile with \"separator\": \"{json}\""));
            }
        }

        return null;
    }
}
