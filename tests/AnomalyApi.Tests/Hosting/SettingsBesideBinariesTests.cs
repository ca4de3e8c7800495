using AnomalyApi.Hosting;
using Microsoft.AspNetCore.Builder;

namespace AnomalyApi.Tests.Hosting;

/// <summary>
/// The published appsettings files are read from beside the binaries when the service is started from a directory
/// without its own, with the host's real configuration sources (the process itself: PublishedImageTests).
/// </summary>
public sealed class SettingsBesideBinariesTests : IDisposable
{
    private readonly DirectoryInfo _startedFrom = Directory.CreateTempSubdirectory("anomaly-cwd-");
    private readonly DirectoryInfo _binaries = Directory.CreateTempSubdirectory("anomaly-bin-");

    [Fact]
    public void ContentRootWithoutSettings_ReadsBothFilesFromBesideTheBinaries()
    {
        Write(_binaries, "appsettings.json", """{ "Probe": "binaries", "Other": "binaries" }""");
        Write(_binaries, "appsettings.Production.json", """{ "Other": "binaries-production" }""");
        var builder = Builder();

        var directory = SettingsBesideBinaries.Apply(builder.Configuration, builder.Environment.ContentRootPath, _binaries.FullName);

        Assert.Equal(Path.TrimEndingDirectorySeparator(_binaries.FullName), directory);
        Assert.Equal("binaries", builder.Configuration["Probe"]);
        Assert.Equal("binaries-production", builder.Configuration["Other"]);
    }

    [Fact]
    public void SettingsFromBesideTheBinaries_KeepTheirPlace_TheCommandLineStillOverridesThem()
    {
        Write(_binaries, "appsettings.json", """{ "Probe": "binaries", "Other": "binaries" }""");
        var builder = Builder("--Probe=command-line");

        SettingsBesideBinaries.Apply(builder.Configuration, builder.Environment.ContentRootPath, _binaries.FullName);

        Assert.Equal("binaries", builder.Configuration["Other"]);
        Assert.Equal("command-line", builder.Configuration["Probe"]);
    }

    [Fact]
    public void ContentRootWithItsOwnSettings_IsLeftAlone()
    {
        Write(_startedFrom, "appsettings.json", """{ "Probe": "content-root" }""");
        Write(_binaries, "appsettings.json", """{ "Probe": "binaries" }""");
        var builder = Builder();

        var directory = SettingsBesideBinaries.Apply(builder.Configuration, builder.Environment.ContentRootPath, _binaries.FullName);

        Assert.Null(directory);
        Assert.Equal("content-root", builder.Configuration["Probe"]);
    }

    [Fact]
    public void NoSettingsBesideTheBinariesEither_ChangesNothing()
    {
        var builder = Builder();

        var directory = SettingsBesideBinaries.Apply(builder.Configuration, builder.Environment.ContentRootPath, _binaries.FullName);

        Assert.Null(directory);
        Assert.Null(builder.Configuration["Probe"]);
    }

    public void Dispose()
    {
        _startedFrom.Delete(recursive: true);
        _binaries.Delete(recursive: true);
    }

    // The host's own sources (appsettings.json, appsettings.Production.json, environment, command line), rooted where
    // the service was "started from".
    private WebApplicationBuilder Builder(params string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = _startedFrom.FullName,
        EnvironmentName = "Production",
    });

    private static void Write(DirectoryInfo directory, string name, string json) =>
        File.WriteAllText(Path.Combine(directory.FullName, name), json);
}
