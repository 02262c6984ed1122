using System.Globalization;
using Tem.Core;
using Tem.Lake;
using Tem.SampleData;

namespace Tem.Audit.Tests;

/// <summary>A generated sample set ingested into a scratch lake, and its answer key.</summary>
public sealed class AuditScratch : IDisposable
{
    private readonly TestLake _lake;

    public AuditScratch(SampleDataOptions? options = null) =>
        _lake = TestLake.OfGeneratedSample("tem-audit-tests", Clock, options ?? new SampleDataOptions());

    public static TimeProvider Clock { get; } = new FixedClock(new DateTimeOffset(2026, 10, 15, 2, 0, 0, TimeSpan.Zero));

    public string Folder => _lake.Folder;

    public string Data => _lake.Data;

    public TemLake Lake => _lake.Lake;

    public AuditResult Audit(AuditOptions? options = null, string runId = "run-1") =>
        new AuditEngine(Lake, Clock).Run(options ?? new AuditOptions(), runId);

    /// <summary>The answer key's rows as comparable keys: rule, account, service, period, one-time, monthly.</summary>
    public IReadOnlyList<string> AnswerKey(Func<string, bool> rules) =>
        [.. File.ReadLines(Path.Combine(Data, "answer_key.csv")).Skip(1).Select(l => l.Split(','))
            .Where(p => rules(p[0]))
            .Select(p => Key(p[0], p[2], p[3], p[4], decimal.Parse(p[5], CultureInfo.InvariantCulture), decimal.Parse(p[6], CultureInfo.InvariantCulture)))
            .Order(StringComparer.Ordinal)];

    public static string Key(Finding f) =>
        Key(f.Rule, f.AccountId, f.ServiceId ?? string.Empty, f.Period.ToString(), f.OneTimeAmount, f.MonthlySavings);

    private static string Key(string rule, string account, string service, string period, decimal oneTime, decimal monthly) =>
        string.Create(CultureInfo.InvariantCulture, $"{rule},{account},{service},{period},{oneTime:0.0000},{monthly:0.0000}");

    public void Dispose() => _lake.Dispose();
}
