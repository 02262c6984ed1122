using System.Text.Json;
using static Tem.Cli.Tests.Cli;

namespace Tem.Cli.Tests;

/// <summary>
/// The bad-input corpus (<c>tests/Tem.Cli.Tests/Corpus</c>): one folder per kind of bad input, with its files under
/// <c>input/</c> and what must happen in <c>case.json</c> — the exit code of <c>tem ingest</c>, its counts (files,
/// failed files, rows read, stored, rejected, repeats), message fragments, and the rejects with line, column, column
/// name and reason. Every case also checks that nothing is lost: the lake's rows and rejects are exactly the counts.
/// Links (loops, dangling ones) are made at run time from <c>links</c>, so that the repository holds no loop.
/// </summary>
public sealed class BadInputCorpusTests
{
    private static readonly string[] DataTables =
        ["usage", "charges", "pbx_calls", "accounts", "services", "plans", "rates", "credits_due", "resale", "upgrade", "parties"];

    public static TheoryData<string> Cases => [.. Directory.EnumerateDirectories(Repo("tests", "Tem.Cli.Tests", "Corpus")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Corpus_HoldsAtLeastTheIssuesThirtyEightKinds() => Assert.True(Cases.Count >= 38, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ingest_CorpusCase_ExitsCountsAndExplainsAsExpected(string name)
    {
        var source = Repo("tests", "Tem.Cli.Tests", "Corpus", name);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "case.json")));
        var spec = expected.RootElement;
        using var temp = new TempFolder("tem-corpus");
        var folder = temp.Path;
        var input = Path.Combine(folder, "input");
        Copy(Path.Combine(source, "input"), input);
        if (spec.TryGetProperty("links", out var links))
        {
            foreach (var link in links.EnumerateArray())
            {
                File.CreateSymbolicLink(Path.Combine(input, link.GetProperty("path").GetString()!), link.GetProperty("target").GetString()!);
            }
        }

        var lake = Path.Combine(folder, "lake");
        string[] extra = spec.TryGetProperty("args", out var args) ? [.. args.EnumerateArray().Select(a => a.GetString()!)] : [];
        var (code, output, error) = Run(["ingest", input, "--lake", lake, "--json", .. extra]);

        using var result = JsonDocument.Parse(output);
        var r = result.RootElement;
        Assert.True(spec.GetProperty("exit").GetInt32() == code, $"exit {code}; stderr: {error}; stdout: {output}");
        Assert.Equal(
            (Int(spec, "files"), Int(spec, "failed"), Long(spec, "read"), Long(spec, "stored"), Long(spec, "rejected"), Long(spec, "repeats")),
            (r.GetProperty("files").GetInt32(), r.GetProperty("failed_files").GetInt32(), r.GetProperty("rows_read").GetInt64(),
             r.GetProperty("rows_stored").GetInt64(), r.GetProperty("rows_rejected").GetInt64(), r.GetProperty("repeated_records").GetInt64()));

        // A file's own line, then each rejected row's message.
        var messages = string.Join("\n", r.GetProperty("results").EnumerateArray().Select(f => f.GetProperty("message").GetString()));
        if (Directory.Exists(Path.Combine(lake, "_tem")))
        {
            messages += "\n" + Run("sql", "--lake", lake, "--format", "csv", "SELECT message FROM rejects ORDER BY line").Out;
        }

        foreach (var fragment in Strings(spec, "messages"))
        {
            Assert.Contains(fragment, messages, StringComparison.Ordinal);
        }

        foreach (var fragment in Strings(spec, "not_messages"))
        {
            Assert.DoesNotContain(fragment, messages + error, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        if (Directory.Exists(Path.Combine(lake, "_tem")))
        {
            AssertNothingLost(lake, spec);
        }
    }

    /// <summary>The lake holds exactly the stored rows, and rejects exactly the rejected ones, as the case lists them.</summary>
    private static void AssertNothingLost(string lake, JsonElement spec)
    {
        var stored = string.Join(" + ", DataTables.Select(t => $"(SELECT count(*) FROM {t})"));
        var counts = Run("sql", "--lake", lake, "--format", "csv", $"SELECT {stored} AS stored, (SELECT count(*) FROM rejects) AS rejected");
        Assert.Equal($"stored,rejected\n{Long(spec, "stored")},{Long(spec, "rejected")}\n", counts.Out.ReplaceLineEndings("\n"));
        if (!spec.TryGetProperty("rejects", out var rejects))
        {
            return;
        }

        var sql = Run("sql", "--lake", lake, "--json", "SELECT line, \"column\", column_name, reason FROM rejects ORDER BY line, \"column\"");
        using var actual = JsonDocument.Parse(sql.Out);
        var rows = actual.RootElement.EnumerateArray().ToList();
        var wanted = rejects.EnumerateArray().ToList();
        Assert.Equal(wanted.Count, rows.Count);
        for (var i = 0; i < wanted.Count; i++)
        {
            Assert.Equal(wanted[i].GetProperty("line").GetInt64(), rows[i].GetProperty("line").GetInt64());
            Assert.Equal(wanted[i].GetProperty("column").GetInt32(), rows[i].GetProperty("column").GetInt32());
            Assert.Equal(wanted[i].GetProperty("column_name").GetString(), rows[i].GetProperty("column_name").GetString());
            if (wanted[i].GetProperty("reason").GetString() is { } reason)
            {
                Assert.Equal(reason, rows[i].GetProperty("reason").GetString());
            }
        }
    }

    private static int Int(JsonElement spec, string name) => spec.TryGetProperty(name, out var v) ? v.GetInt32() : 0;

    private static long Long(JsonElement spec, string name) => spec.TryGetProperty(name, out var v) ? v.GetInt64() : 0;

    private static IEnumerable<string> Strings(JsonElement spec, string name) =>
        spec.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(e => e.GetString()!) : [];

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
