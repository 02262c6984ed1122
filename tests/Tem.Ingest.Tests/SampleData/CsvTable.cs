using System.Globalization;
using System.Text;

namespace Tem.Ingest.Tests.SampleData;

/// <summary>A whole CSV file in memory, parsed by a minimal RFC 4180 reader written for the tests (independent of the generator's writer).</summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _index;

    private CsvTable(string name, string[] header, List<string[]> rows)
    {
        Name = name;
        Header = header;
        Rows = rows;
        _index = header.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i, StringComparer.Ordinal);
    }

    public string Name { get; }

    public string[] Header { get; }

    public List<string[]> Rows { get; }

    public static CsvTable Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        var records = Parse(text);
        return new CsvTable(Path.GetFileName(path), records[0], records.Skip(1).ToList());
    }

    public IEnumerable<Row> All => Rows.Select((r, i) => new Row(this, r, i + 2));

    public int Column(string name) => _index.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"{Name} has no column {name}.");

    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(fields.ToArray());
                    fields.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }

            i++;
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields.ToArray());
        }

        return records;
    }

    public readonly record struct Row(CsvTable Table, string[] Fields, int Line)
    {
        public string this[string column] => Fields[Table.Column(column)];

        public string? Opt(string column) => this[column] is { Length: > 0 } v ? v : null;

        public decimal Dec(string column) => decimal.Parse(this[column], NumberStyles.Number, CultureInfo.InvariantCulture);

        public decimal? OptDec(string column) => Opt(column) is { } v ? decimal.Parse(v, NumberStyles.Number, CultureInfo.InvariantCulture) : null;

        public int Int(string column) => int.Parse(this[column], NumberStyles.Integer, CultureInfo.InvariantCulture);

        public DateOnly Date(string column) => DateOnly.ParseExact(this[column], "yyyy-MM-dd", CultureInfo.InvariantCulture);

        public DateOnly? OptDate(string column) => Opt(column) is { } v ? DateOnly.ParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

        public DateTimeOffset Instant(string column) =>
            DateTimeOffset.ParseExact(this[column], ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
