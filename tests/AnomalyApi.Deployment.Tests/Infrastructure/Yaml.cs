using System.Text.Json;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// YAML read by a real parser, PyYAML (Debian's python3-yaml, which docker-compose itself uses), as JSON, so the
/// tests see the files as the tools do rather than as a regex would.
/// </summary>
internal static class Yaml
{
    private const string ToJson = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)";

    public static Task<JsonElement> LoadFileAsync(string path) => ParseAsync(File.ReadAllText(path), path);

    public static async Task<JsonElement> ParseAsync(string yaml, string source)
    {
        var result = await ExternalProcess.RunAsync(Programs.Python3, ["-c", ToJson], TimeSpan.FromSeconds(30), standardInput: yaml);
        Assert.False(result.StandardError.Contains("No module named 'yaml'", StringComparison.Ordinal),
            "PyYAML is missing: apt-get install python3-yaml (bash tests/run-tests.sh does)");
        Assert.True(result.ExitCode == 0, $"{source} is not valid YAML: {result}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }
}
