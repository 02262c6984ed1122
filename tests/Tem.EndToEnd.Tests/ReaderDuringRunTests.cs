namespace Tem.EndToEnd.Tests;

/// <summary>
/// A nightly run must survive its readers: analysts polling the lake with <c>tem sql</c> (separate processes) while
/// <c>tem run</c> ingests and audits must not make a single file fail, nor change the findings.
/// </summary>
public sealed class ReaderDuringRunTests : IDisposable
{
    private readonly TempFolder _temp = new("tem-e2e-readers");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_WhileSqlReadersPoll_NoFileFails_AndTheFindingsEqualAQuietRun()
    {
        var inbox = _temp.Sub("inbox");
        Assert.Equal(0, TemProcess.Run("sample-data", "--out", inbox, "--services", "40", "--months", "5", "--seed", "7").Code);

        var quiet = TemProcess.Run("run", "--inbox", inbox, "--lake", _temp.Sub("quiet-lake"), "--out", _temp.Sub("quiet-out"));
        Assert.True(quiet.Code == 0, quiet.Err);

        var lake = _temp.Sub("lake");
        var (run, runOut, runErr) = TemProcess.Start("run", "--inbox", inbox, "--lake", lake, "--out", _temp.Sub("out"));
        var answered = 0;
        var readerErrors = new System.Collections.Concurrent.ConcurrentBag<string>();
        using (run)
        {
            // Two readers at a time, each a fresh process, as long as the run lasts.
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                // A query counts when it started while the run was going and answered (under load a reader process
                // can take longer to start than the rest of the run).
                var mine = 0;
                while (!run.HasExited)
                {
                    var lakeReady = File.Exists(Path.Combine(lake, "_tem", "manifest.json"));
                    var (code, output, error) = TemProcess.Run("sql", "--lake", lake, "--format", "csv", "SELECT count(*) AS n FROM usage");
                    if (code == 0 && output.Contains('\n', StringComparison.Ordinal))
                    {
                        mine++;
                    }
                    else if (lakeReady)
                    {
                        readerErrors.Add(error);
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
        Assert.True(readerErrors.IsEmpty, "a reader failed on a lake that existed: " + string.Join("\n", readerErrors));
        Assert.True(answered > 0, "no reader query answered while the run was going: the test did not overlap them");
        var expected = File.ReadAllLines(_temp.Sub("quiet-out", "findings.csv"));
        Assert.True(expected.Length > 1, "the quiet run found nothing to compare");
        Assert.Equal(expected, File.ReadAllLines(_temp.Sub("out", "findings.csv")));
    }
}
