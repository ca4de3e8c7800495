using System.Text.Json;
using AnomalyApi.Deployment.Tests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace AnomalyApi.Deployment.Tests.Nginx;

/// <summary>A person at /anomaly in a real browser, through the real nginx, to the published service.</summary>
[Collection(PublishedApiCollection.Name)]
public sealed class SwaggerUiThroughNginxTests(PublishedApiFixture fixture)
{
    [Fact]
    public async Task SwaggerUi_AtTheAnomalyPrefix_TryItOutOnPredictAnswers200ThroughNginx()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);
        using var chromium = Chromium.Start();
        var browser = chromium.Driver;
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));

        // /anomaly redirects to the UI (nginx, then the service's own relative redirect).
        browser.Navigate().GoToUrl(new Uri(nginx.Client.BaseAddress!, "anomaly"));
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
        var requestUrl = operation.FindElements(By.CssSelector(".request-url pre")).Select(e => e.Text.Trim()).FirstOrDefault();

        Assert.StartsWith($"http://127.0.0.1:{nginx.Port}/anomaly/swagger/index.html", browser.Url, StringComparison.Ordinal);
        Assert.Equal("200", status);
        Assert.Equal($"http://127.0.0.1:{nginx.Port}/anomaly/predict", requestUrl);
        using var json = JsonDocument.Parse(body!);
        Assert.True(json.RootElement.GetProperty("rmse").GetDouble() >= 0);
        Assert.Contains("\"POST /anomaly/predict HTTP/1.1\" 200", nginx.Output, StringComparison.Ordinal);
    }
}
