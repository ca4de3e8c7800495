using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace AnomalyApi.Tests.Shared;

/// <summary>
/// What a person does in Swagger UI: find an operation, expand it, "Try it out" with the pre-filled example,
/// "Execute", and read the live response off the page.
/// </summary>
/// <param name="Status">The status code Swagger UI shows.</param>
/// <param name="Body">The response body it shows.</param>
/// <param name="RequestUrl">The URL it says it called.</param>
public sealed record SwaggerTryItOut(string Status, string Body, string? RequestUrl)
{
    /// <summary>Opens <paramref name="page"/> and tries the POST operation at <paramref name="path"/>.</summary>
    /// <param name="browser">The browser to drive.</param>
    /// <param name="page">The Swagger UI page (or a URL that redirects to it).</param>
    /// <param name="path">The operation's path as the API document names it, e.g. "/predict".</param>
    /// <param name="bodyContains">Text that marks the response body as arrived, e.g. "rmse".</param>
    public static SwaggerTryItOut Post(IWebDriver browser, Uri page, string path, string bodyContains)
    {
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(page);
        var operation = wait.Until(d => d.FindElements(By.CssSelector(".opblock-post"))
            .FirstOrDefault(o => o.FindElements(By.CssSelector(".opblock-summary-path")).Any(p => p.GetAttribute("data-path") == path)));
        operation!.FindElement(By.CssSelector(".opblock-summary")).Click();
        wait.Until(_ => operation.FindElements(By.CssSelector("button.try-out__btn")).Count > 0);
        operation.FindElement(By.CssSelector("button.try-out__btn")).Click();
        wait.Until(_ => operation.FindElements(By.CssSelector("button.execute")).Count > 0);
        operation.FindElement(By.CssSelector("button.execute")).Click();

        var status = wait.Until(_ => operation.FindElements(By.CssSelector(".live-responses-table .response .response-col_status"))
            .Select(e => e.Text.Trim()).FirstOrDefault(t => t.Length > 0));
        var body = wait.Until(_ => operation.FindElements(By.CssSelector(".live-responses-table .response-col_description pre"))
            .Select(e => e.Text).FirstOrDefault(t => t.Contains(bodyContains, StringComparison.Ordinal)));
        var requestUrl = operation.FindElements(By.CssSelector(".request-url pre")).Select(e => e.Text.Trim()).FirstOrDefault();
        return new SwaggerTryItOut(status!, body!, requestUrl);
    }
}
