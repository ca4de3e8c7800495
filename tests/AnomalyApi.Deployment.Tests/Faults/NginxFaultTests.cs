using System.Globalization;
using System.Text.RegularExpressions;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Faults;

/// <summary>
/// tests/fault/nginx-fault.sh, the script that is also the soak test when run longer by hand: two instances of the
/// published service behind the shipped nginx config under wrk for 60 s, one killed (SIGKILL) at 20 s and restarted
/// at 40 s. The clients must see no failed request.
/// </summary>
[Collection(PublishedApiCollection.Name)]
public sealed partial class NginxFaultTests(PublishedApiFixture fixture)
{
    [Fact]
    [Trait("Category", "Load")]
    public async Task OneReplicaKilledAndRestartedUnderLoad_ClientsThroughNginxSeeNoFailedRequest()
    {
        _ = Programs.Nginx;
        _ = Programs.Require("wrk", "wrk");

        var run = await ExternalProcess.RunAsync(
            Programs.Bash, [Repository.Path("tests", "fault", "nginx-fault.sh")], TimeSpan.FromMinutes(8),
            environment: new Dictionary<string, string?>
            {
                ["APP_DIR"] = fixture.Image.AppDirectory,
                ["DURATION"] = "60",
            });

        var summary = Summary().Match(run.StandardOutput);
        Assert.True(summary.Success, $"The script printed no SUMMARY line: {run}");
        Assert.True(long.Parse(summary.Groups["requests"].Value, CultureInfo.InvariantCulture) > 0, $"No request completed: {run}");
        Assert.True(summary.Groups["failed"].Value == "0", $"Clients saw failed requests: {run}");
        Assert.True(long.Parse(summary.Groups["restarted"].Value, CultureInfo.InvariantCulture) > 0, $"nginx never sent a request to the restarted replica: {run}");
        Assert.Contains("api-1 killed (SIGKILL", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 0, $"The script failed: {run}");
    }

    [GeneratedRegex(@"^SUMMARY requests=(?<requests>\d+) failed=(?<failed>\d+) .* restarted_served=(?<restarted>\d+) ", RegexOptions.Multiline)]
    private static partial Regex Summary();
}
