using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests.Collector;

/// <summary>Bad Collector settings stop the service at start with one line naming the key, even while disabled.</summary>
public sealed class CollectorOptionsTests
{
    [Theory]
    [InlineData("Collector:Source", "graphite", "Collector:Source must be node_exporter or prometheus")]
    [InlineData("Collector:IntervalSeconds", "0", "Collector:IntervalSeconds must be more than 0")]
    [InlineData("Collector:Url", "not a url", "Collector:Url must be an absolute http:// or https:// URL")]
    [InlineData("Collector:RecentCount", "0", "Collector:RecentCount must be 1 or more")]
    public void Factory_WithInvalidCollectorSetting_FailsAndLogsTheMessageNamingTheKey(string key, string value, string message)
    {
        using var factory = AnomalyApiFactory.With((key, value));

        // The entry point returns before the server starts, so no request can be served.
        Assert.ThrowsAny<Exception>(() => factory.CreateClient().GetAsync("/health/live").GetAwaiter().GetResult());

        var critical = Assert.Single(factory.Logs, l => l.Level == LogLevel.Critical);
        Assert.Contains(message, critical.Message, StringComparison.Ordinal);
    }
}
