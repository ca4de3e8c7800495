using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Compose;

/// <summary>
/// docker/docker-compose.yml as Debian's docker-compose reads it (`config` validates it against the Compose
/// schema and prints it resolved: paths absolute, anchors expanded). There is no Docker engine here to run it.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] ApiServices = ["api-1", "api-2"];

    [Fact]
    public async Task ComposeFile_DockerComposeConfig_DefinesTwoApiReplicasAndTheMonitoringStack()
    {
        var services = (await ResolvedAsync()).GetProperty("services");

        Assert.Equal(
            ["alertmanager", "api-1", "api-2", "grafana", "nginx", "node-exporter", "prometheus"],
            services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        foreach (var api in ApiServices)
        {
            var build = services.GetProperty(api).GetProperty("build");
            Assert.Equal(Repository.Root, build.GetProperty("context").GetString());
            Assert.Equal("Dockerfile", build.GetProperty("dockerfile").GetString());
        }
        // nginx waits for both replicas' HEALTHCHECK (the Dockerfile's /health/ready probe).
        var dependsOn = services.GetProperty("nginx").GetProperty("depends_on");
        Assert.All(ApiServices, api => Assert.Equal("service_healthy", dependsOn.GetProperty(api).GetProperty("condition").GetString()));
    }

    [Fact]
    public async Task ComposeFile_PublishedPorts_AreNginxPrometheusAlertmanagerAndGrafanaOnly()
    {
        var services = (await ResolvedAsync()).GetProperty("services");

        var published = services.EnumerateObject()
            .SelectMany(s => Ports(s.Value).Select(p => (Service: s.Name, p.Published, p.Target)))
            .OrderBy(p => p.Published)
            .ToList();

        Assert.Equal(
            [("grafana", 3000, 3000), ("nginx", 8080, 80), ("prometheus", 9090, 9090), ("alertmanager", 9093, 9093)],
            published);
    }

    [Fact]
    public async Task ComposeFile_BindMounts_AreFilesShippedInTheRepository()
    {
        var services = (await ResolvedAsync()).GetProperty("services");

        var mounts = services.EnumerateObject()
            .SelectMany(s => Volumes(s.Value).Select(v => (Service: s.Name, v.Source, v.Target)))
            .Where(m => m.Source.StartsWith(Repository.Root, StringComparison.Ordinal))
            .ToList();

        Assert.All(mounts, m => Assert.True(File.Exists(m.Source) || Directory.Exists(m.Source),
            $"{m.Service} mounts {m.Source}, which is not in the repository (compose would create an empty folder)"));
        Assert.Contains(("nginx", Repository.Path("nginx", "nginx.conf"), "/etc/nginx/nginx.conf"), mounts);
        Assert.Contains(("nginx", Repository.Path("nginx", "upstream.conf"), "/etc/nginx/upstream.conf"), mounts);
        Assert.Contains(("prometheus", Repository.Path("docker", "prometheus"), "/etc/prometheus"), mounts);
        Assert.Contains(("alertmanager", Repository.Path("docker", "alertmanager", "alertmanager.yml"), "/etc/alertmanager/alertmanager.yml"), mounts);
        Assert.Contains(("grafana", Repository.Path("docker", "grafana", "provisioning"), "/etc/grafana/provisioning"), mounts);
        Assert.Contains(("grafana", Repository.Path("docker", "grafana", "dashboards"), "/var/lib/grafana/dashboards"), mounts);
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml",
            services.GetProperty("prometheus").GetProperty("command").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task ComposeServices_AreWhatNginxProxiesAndPrometheusScrapes()
    {
        var services = (await ResolvedAsync()).GetProperty("services");
        var apiTargets = (await Yaml.LoadFileAsync(Repository.Path("docker", "prometheus", "targets", "anomaly-api.yml")))[0]
            .GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList();
        var nodeTargets = (await Yaml.LoadFileAsync(Repository.Path("docker", "prometheus", "targets", "node-exporter.yml")))[0]
            .GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList();
        var upstream = Regex.Matches(Repository.ReadText("nginx", "upstream.conf"), @"^\s*server\s+(\S+)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        var prometheus = await Yaml.LoadFileAsync(Repository.Path("docker", "prometheus", "prometheus.yml"));
        var alertmanagers = prometheus.GetProperty("alerting").GetProperty("alertmanagers")[0].GetProperty("static_configs")[0]
            .GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList();

        // Each replica by its service name on the port the image listens on (ASPNETCORE_HTTP_PORTS=8080).
        var replicas = ApiServices.Select(api => $"{api}:8080").ToList();
        Assert.Equal(replicas, apiTargets);
        Assert.Equal(replicas, upstream);
        Assert.Equal(["node-exporter:9100"], nodeTargets);
        Assert.Equal(["alertmanager:9093"], alertmanagers);
        Assert.True(services.TryGetProperty("node-exporter", out _) && services.TryGetProperty("alertmanager", out _));
    }

    internal static async Task<JsonElement> ResolvedAsync()
    {
        var result = await ExternalProcess.RunAsync(Programs.DockerCompose,
            ["-f", Repository.Path("docker", "docker-compose.yml"), "config"], TimeSpan.FromSeconds(60),
            workingDirectory: Repository.Root);
        Assert.True(result.ExitCode == 0, $"docker-compose rejects docker/docker-compose.yml: {result}");
        return await Yaml.ParseAsync(result.StandardOutput, "docker-compose config output");
    }

    private static IEnumerable<(int Published, int Target)> Ports(JsonElement service)
    {
        if (!service.TryGetProperty("ports", out var ports))
        {
            yield break;
        }
        foreach (var port in ports.EnumerateArray())
        {
            if (port.ValueKind == JsonValueKind.Object)
            {
                yield return (Number(port.GetProperty("published")), Number(port.GetProperty("target")));
            }
            else
            {
                var parts = port.GetString()!.Split(':');
                yield return (int.Parse(parts[^2], CultureInfo.InvariantCulture), int.Parse(parts[^1], CultureInfo.InvariantCulture));
            }
        }
    }

    private static int Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private static IEnumerable<(string Source, string Target)> Volumes(JsonElement service)
    {
        if (!service.TryGetProperty("volumes", out var volumes))
        {
            yield break;
        }
        foreach (var volume in volumes.EnumerateArray())
        {
            if (volume.ValueKind == JsonValueKind.Object)
            {
                yield return (volume.GetProperty("source").GetString()!, volume.GetProperty("target").GetString()!);
            }
            else
            {
                var parts = volume.GetString()!.Split(':');
                yield return (parts[0], parts[1]);
            }
        }
    }
}
