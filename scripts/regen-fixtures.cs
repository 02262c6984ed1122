#!/usr/bin/env -S dotnet run
// For developers: rewrites the committed files that Tem's generators produce, byte for byte as the tests expect them.
//   dotnet run scripts/regen-fixtures.cs        (from anywhere inside the repository)
// - sample-data/: SampleDataGenerator with its default options (60 services, 6 months from 2026-04, seed 42), the set
//   `tem demo` and the README use; Tem.Ingest.Tests' CommittedSample_MatchesTheGeneratorWithDefaultOptions checks it.
// - tests/Tem.Audit.Tests/Anomaly/Fixtures/labeled-daily-spend.csv: the labeled example series of tem eval-anomaly
//   (SyntheticSeries.ExampleDailySpend in tests/Tem.Testing); ExampleFixture_Committed_MatchesTheGenerator checks it.
// Run it after changing a generator on purpose, then commit what changed; with no such change `git status` stays clean.
#:project ../tests/Tem.Testing/Tem.Testing.csproj
#:property GenerateDocumentationFile=false

using Tem.SampleData;
using Tem.Testing;

var root = new DirectoryInfo(Environment.CurrentDirectory);
while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tem.sln")))
{
    root = root.Parent;
}

if (root is null)
{
    Console.Error.WriteLine("regen-fixtures: run it inside the Tem repository (no Tem.sln above " + Environment.CurrentDirectory + ")");
    return 2;
}

var sample = Path.Combine(root.FullName, "sample-data");
var summary = SampleDataGenerator.Generate(new SampleDataOptions(), sample);
Console.WriteLine($"sample-data/: {summary.Rows.Count} files");

var series = Path.Combine(root.FullName, "tests", "Tem.Audit.Tests", "Anomaly", "Fixtures", "labeled-daily-spend.csv");
Directory.CreateDirectory(Path.GetDirectoryName(series)!);
File.WriteAllText(series, SyntheticSeries.ExampleDailySpend().ToCsv());
Console.WriteLine("tests/Tem.Audit.Tests/Anomaly/Fixtures/labeled-daily-spend.csv");
return 0;
