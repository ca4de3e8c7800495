using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Nginx;

public sealed class NginxConfigTests
{
    [Fact]
    public async Task ShippedConfig_RenderedForLoopback_PassesNginxTest()
    {
        var prefix = NginxServer.Render(LoopbackPort.Free(), ["127.0.0.1:1", "127.0.0.1:2"]);
        try
        {
            var result = await NginxServer.TestConfigurationAsync(prefix);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("syntax is ok", result.Output, StringComparison.Ordinal);
            Assert.Contains("test is successful", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }
}
