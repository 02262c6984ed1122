using Tem.Core;
using Tem.SampleData;

namespace Tem.Ingest.Tests.SampleData;

/// <summary>Generates the sets the tests read, once per test run, into a temporary folder.</summary>
public sealed class SampleDataFixture : IDisposable
{
    public const string Default = "default";
    public const string Minimal = "minimal";
    public const string Larger = "larger";

    private readonly TempFolder _temp = new("tem-sample-tests");
    private readonly Dictionary<string, Lazy<(SampleDataSummary Summary, SampleSet Set)>> _sets;

    public SampleDataFixture()
    {
        _sets = new Dictionary<string, Lazy<(SampleDataSummary, SampleSet)>>(StringComparer.Ordinal)
        {
            [Default] = Make(Default, new SampleDataOptions()),
            [Minimal] = Make(Minimal, new SampleDataOptions { Services = SampleDataOptions.MinimumServices, Months = SampleDataOptions.MinimumMonths, Seed = 7, FirstMonth = new BillingMonth(2025, 11) }),
            [Larger] = Make(Larger, new SampleDataOptions { Services = 260, Months = 5, Seed = 1234, FirstMonth = new BillingMonth(2026, 1) }),
        };
    }

    public string Root => _temp.Path;

    internal SampleSet Set(string name) => _sets[name].Value.Set;

    public SampleDataSummary Summary(string name) => _sets[name].Value.Summary;

    public void Dispose() => _temp.Dispose();

    private Lazy<(SampleDataSummary, SampleSet)> Make(string name, SampleDataOptions options) =>
        new(() =>
        {
            var dir = _temp.Sub(name);
            var summary = SampleDataGenerator.Generate(options, dir);
            return (summary, new SampleSet(dir));
        });
}
