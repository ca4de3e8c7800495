using OpenQA.Selenium.Chrome;

namespace AnomalyApi.Tests.Browser;

/// <summary>
/// Headless Chromium from Debian's chromium and chromium-driver packages (tests/run-tests.sh installs them).
/// Both paths are given explicitly so Selenium Manager never tries to download a browser or driver.
/// </summary>
internal static class DebianChromium
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    public static ChromeDriver Start()
    {
        foreach (var path in new[] { BrowserPath, DriverPath })
        {
            Assert.True(File.Exists(path), $"{path} is missing: install Debian's chromium and chromium-driver (bash tests/run-tests.sh does)");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        // As root in a container: no sandbox. The network flags stop Chromium reaching for Google's
        // services, which this machine's closed network refuses, many times a second.
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1400,1800", $"--user-data-dir={Directory.CreateTempSubdirectory("chromium-").FullName}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
