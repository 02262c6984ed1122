using System.Text;
using Tem.Ingest.Formats;
using Tem.Ingest.Formats.Profiles;
using Tem.Ingest.Validation;

namespace Tem.Ingest.Tests.Formats.Profiles;

/// <summary>One translated row as the tests look at it: the canonical fields by name, where it came from, its reject.</summary>
internal sealed record ProfileRow(long Line, string Raw, IReadOnlyDictionary<string, string> Fields, RowReject? Reject)
{
    public string this[string field] => Fields[field];
}

internal static class ProfileTestFiles
{
    public const string Nordwind = "nordwind-mobil-itemised.json";
    public const string Lakeshore = "lakeshore-invoice-detail.json";
    public const string NordwindSample = "samples/nordwind-evn-2026-10.csv";
    public const string LakeshoreSample = "samples/lakeshore-invoice-detail-2026-11.csv";

    /// <summary>A file of the repository's profiles/ folder (copied next to the tests).</summary>
    public static string Shipped(string name) => Path.Combine(AppContext.BaseDirectory, "profiles", name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Formats", "Profiles", "Fixtures", name);

    public static CarrierProfile Load(string name) => CarrierProfile.Load(Shipped(name));

    public static (List<ProfileRow> Rows, long Skipped, FileProblem? Problem) Read(CarrierProfile profile, string path) =>
        Read(profile, File.ReadAllBytes(path));

    public static (List<ProfileRow> Rows, long Skipped, FileProblem? Problem) Read(CarrierProfile profile, byte[] bytes)
    {
        using var reader = new ProfileReader(new MemoryStream(bytes), profile);
        var rows = new List<ProfileRow>();
        var names = profile.Layout.Fields.Select(f => f.Name).ToArray();
        while (reader.Read(out var reject))
        {
            var record = reader.Record;
            Assert.Equal(names.Length, record.FieldCount);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                fields[names[i]] = Encoding.UTF8.GetString(record.Field(i));
            }

            rows.Add(new ProfileRow(record.Line, record.Raw, fields, reject));
        }

        return (rows, reader.RowsSkipped, reader.Problem);
    }
}
