using System.Text.Json;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Prometheus;

/// <summary>promtool (Debian's prometheus package) on the shipped Prometheus config, alert rules and rule unit tests.</summary>
public sealed class PromtoolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string RulesFile => Repository.Path("docker", "prometheus", "rules", "anomaly-alerts.yml");

    private static string RuleTestsFile => Repository.Path("docker", "prometheus", "tests", "anomaly-alerts.test.yml");

    [Fact]
    public async Task PrometheusConfig_PromtoolCheckConfig_IsValidWithItsRuleFile()
    {
        var result = await ExternalProcess.RunAsync(Programs.Promtool, ["check", "config", "prometheus.yml"], Timeout,
            workingDirectory: Repository.Path("docker", "prometheus"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS: prometheus.yml is valid prometheus config file syntax", result.Output, StringComparison.Ordinal);
        Assert.Contains("SUCCESS: 6 rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertRules_PromtoolCheckRules_FindsTheSixAlerts()
    {
        var result = await ExternalProcess.RunAsync(Programs.Promtool, ["check", "rules", RulesFile], Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS: 6 rules found", result.Output, StringComparison.Ordinal);
        Assert.Equal(
            [
                "AnomalyBatchesRefused", "AnomalyHeld", "AnomalyModelReloadFailing", "AnomalyScoreFarAboveThreshold",
                "AnomalyScoresNotArriving", "InstanceDown",
            ],
            (await AlertNamesAsync(RulesFile)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AlertRules_PromtoolTestRules_Pass()
    {
        var result = await ExternalProcess.RunAsync(Programs.Promtool, ["test", "rules", RuleTestsFile], Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertRuleTests_CoverEachAlert_FiringAndSilent()
    {
        var tests = await Yaml.LoadFileAsync(RuleTestsFile);
        var cases = tests.GetProperty("tests").EnumerateArray()
            .SelectMany(t => t.GetProperty("alert_rule_test").EnumerateArray())
            .Select(c => (Alert: c.GetProperty("alertname").GetString()!, Fires: c.GetProperty("exp_alerts").GetArrayLength() > 0))
            .ToList();

        foreach (var alert in await AlertNamesAsync(RulesFile))
        {
            Assert.True(cases.Any(c => c.Alert == alert && c.Fires), $"No promtool case expects {alert} to fire");
            Assert.True(cases.Any(c => c.Alert == alert && !c.Fires), $"No promtool case expects {alert} to stay silent");
        }
    }

    /// <summary>The unit tests have teeth: weakening any one rule makes `promtool test rules` fail.</summary>
    [Theory]
    [InlineData("for: 2m", "for: 0s")]                                   // AnomalyHeld without the 2 minutes
    [InlineData("(time() - anomaly_last_score_timestamp_seconds) < 120", "(time() - anomaly_last_score_timestamp_seconds) < 1e9")] // stale anomalies kept
    [InlineData("group_left () 3 * anomaly_threshold", "group_left () 1 * anomaly_threshold")] // "far above" = any above
    [InlineData("up{job=~\"anomaly-api|node-exporter\"} == 0", "up{job=~\"anomaly-api\"} == 0")] // node_exporter forgotten
    [InlineData("max by (job, model, source) (anomaly_last_score_timestamp_seconds) > 300", "min by (job, model, source) (anomaly_last_score_timestamp_seconds) > 300")]
    [InlineData("anomaly_model_reload_failing == 1", "anomaly_model_reload_failures_total > 0")] // a fixed failure kept firing
    [InlineData("for: 5m", "for: 0s")]                                   // one burst of refused batches pages
    public async Task AlertRuleTests_WithARuleWeakened_Fail(string shipped, string weakened)
    {
        var directory = Directory.CreateTempSubdirectory("anomaly-promtool-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "rules"));
            Directory.CreateDirectory(Path.Combine(directory, "tests"));
            var rules = File.ReadAllText(RulesFile);
            Assert.Contains(shipped, rules, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(directory, "rules", "anomaly-alerts.yml"), rules.Replace(shipped, weakened, StringComparison.Ordinal));
            File.Copy(RuleTestsFile, Path.Combine(directory, "tests", "anomaly-alerts.test.yml"));

            var result = await ExternalProcess.RunAsync(Programs.Promtool,
                ["test", "rules", Path.Combine(directory, "tests", "anomaly-alerts.test.yml")], Timeout);

            Assert.True(result.ExitCode != 0, $"promtool test rules still passed with '{shipped}' weakened to '{weakened}': {result}");
            Assert.Contains("FAILED", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> AlertNamesAsync(string rulesFile)
    {
        var rules = await Yaml.LoadFileAsync(rulesFile);
        return [.. rules.GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Where(r => r.TryGetProperty("alert", out _))
            .Select(r => r.GetProperty("alert").GetString()!)];
    }
}
