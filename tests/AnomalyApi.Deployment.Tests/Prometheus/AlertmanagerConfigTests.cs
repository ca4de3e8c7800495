using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Prometheus;

public sealed class AlertmanagerConfigTests
{
    [Fact]
    public async Task AlertmanagerConfig_AmtoolCheckConfig_IsValidWithAWebhookReceiver()
    {
        var result = await ExternalProcess.RunAsync(Programs.Amtool,
            ["check-config", Repository.Path("docker", "alertmanager", "alertmanager.yml")], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 receivers", result.Output, StringComparison.Ordinal);
        var config = await Yaml.LoadFileAsync(Repository.Path("docker", "alertmanager", "alertmanager.yml"));
        var receiver = config.GetProperty("receivers")[0];
        Assert.Equal(config.GetProperty("route").GetProperty("receiver").GetString(), receiver.GetProperty("name").GetString());
        Assert.True(receiver.GetProperty("webhook_configs")[0].TryGetProperty("url", out _), "The placeholder receiver should be a webhook");
    }
}
