using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AnomalyApi.Hosting;

/// <summary>
/// Reads appsettings.json and appsettings.{Environment}.json from the binaries' directory when the content root has
/// none. Started from somewhere else (<c>dotnet /opt/anomaly/AnomalyApi.dll</c> from another directory, a systemd unit
/// with no WorkingDirectory), ASP.NET Core takes the current directory as the content root and runs without the
/// published settings, and without a word: every request is logged at Information (measured: half the /predict
/// throughput and a gigabyte of log in two minutes under load), multi-line, with none of the shipped limits. The model
/// already falls back to the binaries' directory (<see cref="Model.ModelProvider.ResolvePaths"/>); this gives the
/// settings the same fallback. The files keep their place among the configuration sources, so environment variables
/// and the command line still override them, and a content root that has its own appsettings.json is left alone.
/// </summary>
public static class SettingsBesideBinaries
{
    private const string SettingsFile = "appsettings.json";

    /// <summary>
    /// Points the content root's appsettings sources at <paramref name="binaries"/> when only that directory has an
    /// appsettings.json; returns that directory, or null when nothing was changed.
    /// </summary>
    public static string? Apply(IConfigurationBuilder configuration, string contentRoot, string binaries)
    {
        if (File.Exists(Path.Combine(contentRoot, SettingsFile)) || !File.Exists(Path.Combine(binaries, SettingsFile)))
        {
            return null;
        }

        var provider = new PhysicalFileProvider(Path.GetFullPath(binaries));
        var sources = configuration.Sources;
        var changed = false;
        for (var i = 0; i < sources.Count; i++)
        {
            // The host's own sources: appsettings.json and appsettings.{Environment}.json, read from the content root.
            if (sources[i] is JsonConfigurationSource { Path: { } path } json
                && path.StartsWith("appsettings", StringComparison.Ordinal)
                && json.FileProvider is PhysicalFileProvider { Root: var root } && SameDirectory(root, contentRoot))
            {
                // Replaced rather than changed in place: a configuration manager rebuilds a source's provider only when the
                // source list changes.
                sources[i] = new JsonConfigurationSource
                {
                    FileProvider = provider,
                    Path = path,
                    Optional = json.Optional,
                    ReloadOnChange = json.ReloadOnChange,
                };
                changed = true;
            }
        }
        return changed ? Path.TrimEndingDirectorySeparator(provider.Root) : null;
    }

    private static bool SameDirectory(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}

/// <summary>Where the settings files were read from when it was not the content root (logged once at start).</summary>
/// <param name="BesideBinaries">The binaries' directory, or null when the content root had its own appsettings.json.</param>
public sealed record SettingsLocation(string? BesideBinaries);
