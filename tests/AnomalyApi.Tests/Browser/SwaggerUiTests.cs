using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

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
        using var browser = DebianChromium.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));

        browser.Navigate().GoToUrl(new Uri(_baseAddress, "swagger/index.html"));
        var operation = wait.Until(d => d.FindElements(By.CssSelector(".opblock-post"))
            .FirstOrDefault(o => o.FindElements(By.CssSelector(".opblock-summary-path")).Any(p => p.GetAttribute("data-path") == "/predict")));
        operation!.FindElement(By.CssSelector(".opblock-summary")).Click();
        wait.Until(_ => operation.FindElements(By.CssSelector("button.try-out__btn")).Count > 0);
        operation.FindElement(By.CssSelector("button.try-out__btn")).Click();
        wait.Until(_ => operation.FindElements(By.CssSelector("button.execute")).Count > 0);
        operation.FindElement(By.CssSelector("button.execute")).Click();

        var status = wait.Until(_ => operation.FindElements(By.CssSelector(".live-responses-table .response .response-col_status"))
            .Select(e => e.Text.Trim()).FirstOrDefault(t => t.Length > 0));
        var body = wait.Until(_ => operation.FindElements(By.CssSelector(".live-responses-table .response-col_description pre"))
            .Select(e => e.Text).FirstOrDefault(t => t.Contains("rmse", StringComparison.Ordinal)));

        // Kept beside the test binaries: what the browser showed, for whoever debugs a failure.
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Path.Combine(AppContext.BaseDirectory, "swagger-try-it-out.png"));
        Assert.Equal("200", status);
        using var json = JsonDocument.Parse(body!);
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
