using OpenQA.Selenium.Chrome;
using Xunit;

namespace AnomalyApi.Tests.Shared;

/// <summary>
/// Headless Chromium from Debian's chromium and chromium-driver packages, both paths given so that Selenium
/// Manager never tries to download a browser or a driver. Dispose quits it and removes its profile.
/// Linked from tests/Shared into each test project that opens a page.
/// </summary>
public sealed class Chromium : IDisposable
{
    private const string BrowserPath = "/usr/bin/chromium";
    private const string DriverPath = "/usr/bin/chromedriver";

    private readonly string _profile;

    private Chromium(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static Chromium Start()
    {
        Assert.True(File.Exists(BrowserPath), $"{BrowserPath} is missing: apt-get install chromium (bash tests/run-tests.sh does)");
        Assert.True(File.Exists(DriverPath), $"{DriverPath} is missing: apt-get install chromium-driver (bash tests/run-tests.sh does)");

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var profile = Directory.CreateTempSubdirectory("anomaly-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        // Root in a container: no sandbox. The rest keeps Chromium from reaching for Google's services.
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1400,1800", $"--user-data-dir={profile}");
        return new Chromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile);
    }
}
