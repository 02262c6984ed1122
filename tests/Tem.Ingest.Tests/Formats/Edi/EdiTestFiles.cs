using System.Text;
using Tem.Ingest.Formats;
using Tem.Ingest.Formats.Edi;
using Tem.Lake.Layouts;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Tests.Formats.Edi;

/// <summary>One translated line as the tests look at it: the invoice fields by name, where it came from, and its reject.</summary>
internal sealed record EdiLine(long Line, string Raw, IReadOnlyDictionary<string, string> Fields, int[] SourceColumn, RowReject? Reject)
{
    public string this[string field] => Fields[field];
}

internal static class EdiTestFiles
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Formats", "Edi", "Fixtures", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    public static (List<EdiLine> Lines, FileProblem? Problem) ReadFile(string name, Edi811Options? options = null) =>
        Read(File.ReadAllBytes(Path(name)), options);

    public static (List<EdiLine> Lines, FileProblem? Problem) ReadText(string text, Edi811Options? options = null) =>
        Read(Encoding.UTF8.GetBytes(text), options);

    public static (List<EdiLine> Lines, FileProblem? Problem) Read(byte[] bytes, Edi811Options? options = null)
    {
        using var reader = new Edi811Reader(new MemoryStream(bytes), options);
        var lines = new List<EdiLine>();
        var names = CanonicalLayouts.Invoices.Fields.Select(f => f.Name).ToArray();
        while (reader.Read(out var reject))
        {
            var record = reader.Record;
            Assert.Equal(names.Length, record.FieldCount);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                fields[names[i]] = Encoding.UTF8.GetString(record.Field(i));
            }

            lines.Add(new EdiLine(record.Line, record.Raw, fields, record.SourceColumn, reject));
        }

        return (lines, reader.Problem);
    }
}
