using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using AnomalyApi.Tests.Shared;
using OpenQA.Selenium;

namespace AnomalyApi.Tests.Browser;

/// <summary>
/// A person's path through Swagger UI, in a real browser against the service on a real loopback socket:
/// open /swagger, expand POST /predict, "Try it out" with the example, "Execute", and read the 200 and the
/// rmse off the page.
/// </summary>
public sealed class SwaggerUiTests : IDisposable
{
    private readonly AnomalyApiFactory _factory = new();
    private readonly Uri _baseAddress;

    public SwaggerUiTests()
    {
        var port = FreeLoopbackPort();
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        _baseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public void TryItOut_OnPredictWithTheExample_ShowsStatus200AndTheRmse()
    {
        using var chromium = Chromium.Start();
        var browser = chromium.Driver;

        var (status, body, _) = SwaggerTryItOut.Post(browser, new Uri(_baseAddress, "swagger/index.html"), "/predict", "rmse");

        // Kept beside the test binaries: what the browser showed, for whoever debugs a failure.
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Path.Combine(AppContext.BaseDirectory, "swagger-try-it-out.png"));
        Assert.Equal("200", status);
        using var json = JsonDocument.Parse(body);
        var rmse = json.RootElement.GetProperty("rmse").GetDouble();
        Assert.True(double.IsFinite(rmse) && rmse >= 0, $"rmse on the page was {rmse.ToString(CultureInfo.InvariantCulture)}");
        // The pre-filled example is a row the model finds normal, so a first "Try it out" is not an alarm.
        Assert.True(rmse <= json.RootElement.GetProperty("threshold").GetDouble(), $"example scored {rmse}");
        Assert.False(json.RootElement.GetProperty("isAnomaly").GetBoolean());
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
