using System.Text.RegularExpressions;

namespace Tem.Ingest.Formats;

/// <summary>One column of an Asterisk CDR file: the CDR variable it holds (null: one Tem does not read) and how it is written.</summary>
/// <param name="Name">The CDR variable, lower case (<c>start</c>, <c>billsec</c>...); null for a literal or another expression.</param>
/// <param name="Epoch">Times written as Unix epoch seconds (<c>${CDR(start,u)}</c>, <c>start(int64)</c>, <c>start(double)</c>).</param>
internal readonly record struct AsteriskColumn(string? Name, bool Epoch = false);

/// <summary>
/// The column orders Asterisk writes CDRs in: <c>cdr_csv</c> (<c>cdr/cdr_csv.c</c>, <c>build_csv_record</c>), the
/// <c>cdr_custom</c> default mapping (<c>configs/samples/cdr_custom.conf.sample</c>), and a mapping as a
/// <c>cdr_custom.conf</c> declares it.
/// </summary>
internal static partial class AsteriskColumns
{
    /// <summary>The 16 fields cdr_csv always writes, in order.</summary>
    internal static readonly string[] CsvBase =
    [
        "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata", "start", "answer", "end",
        "duration", "billsec", "disposition", "amaflags",
    ];

    /// <summary>
    /// cdr_csv's columns by field count: the 16 base fields, then <c>uniqueid</c> (<c>loguniqueid</c>), <c>userfield</c>
    /// (<c>loguserfield</c>), then <c>peeraccount, linkedid, sequence</c> (<c>newcdrcolumns</c>, Asterisk 11+). 19 and 20
    /// fields are read as the new columns without userfield (and without uniqueid for 19): the 3 new columns are what
    /// a count of 19 or 20 can only come from when <c>loguniqueid</c> (on by default) is kept.
    /// </summary>
    internal static string[]? CsvByCount(int count) => count switch
    {
        16 => CsvBase,
        17 => [.. CsvBase, "uniqueid"],
        18 => [.. CsvBase, "uniqueid", "userfield"],
        19 => [.. CsvBase, "peeraccount", "linkedid", "sequence"],
        20 => [.. CsvBase, "uniqueid", "peeraccount", "linkedid", "sequence"],
        21 => [.. CsvBase, "uniqueid", "userfield", "peeraccount", "linkedid", "sequence"],
        _ => null,
    };

    /// <summary>Fewest and most fields of a cdr_csv record.</summary>
    internal const int CsvMin = 16, CsvMax = 21;

    /// <summary>cdr_custom's default mapping (cdr_custom.conf.sample, <c>[mappings] Master.csv => ...</c>): 19 fields, every one quoted but the last.</summary>
    internal static readonly string[] CustomDefault =
    [
        "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata", "start", "answer", "end", "duration",
        "billsec", "disposition", "amaflags", "accountcode", "uniqueid", "userfield", "sequence",
    ];

    /// <summary>Every CDR variable Tem knows by name (a header made only of these is an Asterisk header).</summary>
    internal static readonly HashSet<string> Known = new(
        [.. CsvBase, "uniqueid", "userfield", "peeraccount", "linkedid", "sequence", "calldate", "src_name", "peer"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Variables a file must hold for Tem to read a call from it.</summary>
    internal static readonly string[] Required = ["start", "end", "duration", "billsec", "disposition"];

    /// <summary>Plain columns (local times) from names.</summary>
    internal static AsteriskColumn[] Plain(IEnumerable<string> names) => [.. names.Select(n => new AsteriskColumn(n.ToLowerInvariant()))];

    /// <summary>
    /// The columns of a mapping as <c>cdr_custom.conf</c> declares it: a legacy mapping line
    /// (<c>Master.csv => ${CSV_QUOTE(${CDR(clid)})},${CDR(start,u)},...</c>, the part before <c>=></c> optional) or an
    /// advanced mapping's field list (<c>fields = clid, "literal", start(int64), uniqueid(noquote), ds_type(uservar)</c>).
    /// Items are split at the commas outside parentheses, braces and quotes; <c>CDR(name[,options])</c> gives the column's
    /// variable (option <c>u</c> on a time: epoch seconds); a literal or any other expression is a column Tem ignores.
    /// </summary>
    /// <exception cref="FormatException">The mapping has no item, or an item is malformed; the message says which.</exception>
    internal static AsteriskColumn[] ParseMapping(string mapping)
    {
        var text = mapping.Trim();
        var arrow = text.IndexOf("=>", StringComparison.Ordinal);
        if (arrow >= 0 && !text[..arrow].Contains("${", StringComparison.Ordinal))
        {
            text = text[(arrow + 2)..];
        }
        else if (FieldsPrefix().Match(text) is { Success: true } m)
        {
            text = text[m.Length..];
        }

        var items = SplitTopLevel(text);
        if (items.Count == 0 || items.All(string.IsNullOrWhiteSpace))
        {
            throw new FormatException("the cdr_custom mapping has no fields; expected e.g. ${CSV_QUOTE(${CDR(clid)})},${CSV_QUOTE(${CDR(src)})},...");
        }

        var columns = new AsteriskColumn[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i].Trim();
            if (LegacyCdr().Match(item) is { Success: true } legacy)
            {
                var options = legacy.Groups[2].Value;
                columns[i] = new AsteriskColumn(legacy.Groups[1].Value.ToLowerInvariant(), options.Contains('u', StringComparison.OrdinalIgnoreCase));
            }
            else if (item.Contains("${", StringComparison.Ordinal) || (item.StartsWith('"') && item.EndsWith('"') && item.Length >= 2))
            {
                // ${EPOCH}, another function, or a literal: a column of the file Tem does not read.
                columns[i] = new AsteriskColumn(null);
            }
            else if (AdvancedField().Match(item) is { Success: true } advanced)
            {
                var qualifiers = advanced.Groups[2].Value.Split('^', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (qualifiers.Any(q => q.StartsWith('%')))
                {
                    throw new FormatException($"field {i + 1} of the cdr_custom mapping ('{item}') writes its time with its own strftime format; " +
                        "Tem reads the default %Y-%m-%d %T or epoch seconds (int64, double)");
                }

                columns[i] = qualifiers.Contains("uservar", StringComparer.OrdinalIgnoreCase)
                    ? new AsteriskColumn(null)
                    : new AsteriskColumn(advanced.Groups[1].Value.ToLowerInvariant(),
                        qualifiers.Any(q => q.Equals("int64", StringComparison.OrdinalIgnoreCase) || q.Equals("double", StringComparison.OrdinalIgnoreCase)));
            }
            else
            {
                throw new FormatException($"field {i + 1} of the cdr_custom mapping ('{item}') is neither ${{CDR(name)}}, a quoted literal nor a field name");
            }
        }

        return columns;
    }

    /// <summary>Splits at the commas that are outside parentheses, braces and double quotes.</summary>
    private static List<string> SplitTopLevel(string text)
    {
        var items = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '(' or '{')
            {
                depth++;
            }
            else if (!quoted && c is ')' or '}')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ',')
            {
                items.Add(text[start..i]);
                start = i + 1;
            }
        }

        items.Add(text[start..]);
        return items;
    }

    [GeneratedRegex(@"^\s*fields\s*=\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FieldsPrefix();

    [GeneratedRegex(@"CDR\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:,\s*([A-Za-z]*)\s*)?\)", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyCdr();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex AdvancedField();
}
