using System.Text.RegularExpressions;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Benchmarks;

/// <summary>
/// The README's load benchmark command, shortened (1 s measurements, two rounds, no settling, sustained run or cold
/// starts) against the Dockerfile's published service: it must build, run wrk against the service and the baseline
/// app, pair each target with its baseline in the schedule, and print the report. Nothing here judges the numbers:
/// this checks the tool that measures them still works, which the issue's targets rest on.
/// </summary>
[Collection(PublishedApiCollection.Name)]
public sealed partial class LoadBenchmarkTests(PublishedApiFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("anomaly-load-test-");

    [Fact]
    [Trait("Category", "Load")]
    public async Task LoadCommand_ShortRun_PairsEachTargetWithItsBaseline_AndPrintsTheReport()
    {
        _ = Programs.Require("wrk", "wrk");
        var report = Path.Combine(_work.FullName, "report.md");

        var run = await ExternalProcess.RunAsync(
            Programs.Dotnet,
            [
                "run", "-c", "Release", "--project", Repository.Path("tests", "AnomalyApi.Benchmarks"),
                "--artifacts-path", Path.Combine(_work.FullName, "artifacts"), "--",
                "load", "--service-dir", fixture.Image.AppDirectory, "--duration", "1s", "--warmup", "1s", "--settle", "0",
                "--rounds", "2", "--sustain", "0", "--cold-starts", "0", "--out", report,
            ],
            TimeSpan.FromMinutes(6));

        Assert.True(run.ExitCode == 0, $"The load command failed: {run}");
        var rounds = RoundLine().Matches(run.StandardOutput).Select(m => (Round: m.Groups["round"].Value, Target: m.Groups["target"].Value.Trim())).ToList();
        // Round 1 in the schedule's order, round 2 in reverse: each service target right beside its baseline.
        string[] schedule = ["/predict", "baseline /predict", "/predict/batch", "baseline /predict/batch", "/predict/batch protobuf"];
        var expected = schedule.Select(t => ("1", t)).Concat(schedule.Reverse().Select(t => ("2", t))).ToList();
        Assert.Equal(expected, rounds);
        Assert.DoesNotMatch(@"non-2xx [1-9]", run.StandardOutput);
        Assert.DoesNotMatch(@"socket errors [1-9]", run.StandardOutput);

        var table = File.ReadAllText(report);
        foreach (var target in new[] { "/predict", "/predict/batch (256 rows)", "/predict/batch protobuf (256 rows)", "baseline /predict", "baseline /predict/batch (256 rows)" })
        {
            Assert.Contains($"| {target} | ", table, StringComparison.Ordinal);
        }
        // The /predict verdict lists both rounds' ratios, and every verdict reads pass or FAIL.
        Assert.Matches(@"\| /predict requests/s ≥ 0\.85 × baseline \| \d+\.\d\d × \(rounds \d+\.\d\d, \d+\.\d\d\) \| (pass|FAIL) \|", table);
        Assert.Matches(@"\| /predict/batch protobuf rows/s ≥ 25 × /predict requests/s \| \d+\.\d × \| (pass|FAIL) \|", table);
    }

    public void Dispose()
    {
        try
        {
            _work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A build server still holding a file is the temp folder's problem, not the test's.
        }
    }

    [GeneratedRegex(@"^round (?<round>\d+) (?<target>.+?)\s+\d+ req/s", RegexOptions.Multiline)]
    private static partial Regex RoundLine();
}
