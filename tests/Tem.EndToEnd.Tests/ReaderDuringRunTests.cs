namespace Tem.EndToEnd.Tests;

/// <summary>
/// A nightly run must survive its readers: analysts polling the lake with <c>tem sql</c> (separate processes) while
/// <c>tem run</c> ingests and audits must not make a single file fail, nor change the findings.
/// </summary>
public sealed class ReaderDuringRunTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tem-e2e-readers-" + Guid.NewGuid().ToString("N"));

    public ReaderDuringRunTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Run_WhileSqlReadersPoll_NoFileFails_AndTheFindingsEqualAQuietRun()
    {
        var inbox = Path.Combine(_folder, "inbox");
        Assert.Equal(0, TemProcess.Run("sample-data", "--out", inbox, "--services", "40", "--months", "5", "--seed", "7").Code);

        var quiet = TemProcess.Run("run", "--inbox", inbox, "--lake", Path.Combine(_folder, "quiet-lake"), "--out", Path.Combine(_folder, "quiet-out"));
        Assert.True(quiet.Code == 0, quiet.Err);

        var lake = Path.Combine(_folder, "lake");
        var (run, runOut, runErr) = TemProcess.Start("run", "--inbox", inbox, "--lake", lake, "--out", Path.Combine(_folder, "out"));
        var answered = 0;
        using (run)
        {
            // Two readers at a time, each a fresh process, as long as the run lasts.
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                var mine = 0;
                while (!run.HasExited)
                {
                    var (code, output, _) = TemProcess.Run("sql", "--lake", lake, "--format", "csv", "SELECT count(*) AS n FROM usage");
                    if (code == 0 && !run.HasExited && output.Contains('\n', StringComparison.Ordinal))
                    {
                        mine++;
                    }
                }

                return mine;
            })).ToArray();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            await run.WaitForExitAsync(timeout.Token);
            answered = (await Task.WhenAll(readers)).Sum();
            Assert.True(run.ExitCode == 0, await runOut + await runErr);
        }

        Assert.DoesNotContain("FAILED", await runOut, StringComparison.Ordinal);
        Assert.True(answered > 0, "no reader query answered while the run was going: the test did not overlap them");
        var expected = File.ReadAllLines(Path.Combine(_folder, "quiet-out", "findings.csv"));
        Assert.True(expected.Length > 1, "the quiet run found nothing to compare");
        Assert.Equal(expected, File.ReadAllLines(Path.Combine(_folder, "out", "findings.csv")));
    }
}
