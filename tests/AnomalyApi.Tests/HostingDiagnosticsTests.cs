using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests;

/// <summary>
/// appsettings.json turns ASP.NET Core's hosting diagnostics logger off. While it is on (at any level), every request
/// starts an Activity and a logging scope, about 950 of a /predict request's 4,700 allocated bytes, for request
/// logs and scopes nothing here writes; the problem body's traceId falls back to the request's own identifier.
/// </summary>
public sealed class HostingDiagnosticsTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    [Fact]
    public void HostingDiagnosticsLogger_IsOffByDefault()
    {
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        Assert.False(logger.IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void HostingDiagnosticsLogger_CanBeTurnedBackOnByConfiguration()
    {
        using var withRequestLogs = AnomalyApiFactory.With(("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information"));

        var logger = withRequestLogs.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        Assert.True(logger.IsEnabled(LogLevel.Information));
    }
}
