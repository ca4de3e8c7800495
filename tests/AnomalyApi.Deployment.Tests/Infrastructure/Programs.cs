namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// The real programs the tests drive, from Debian's packages. A missing one fails the test with the package to
/// install (tests/run-tests.sh installs them all); nothing is skipped.
/// </summary>
internal static class Programs
{
    public static string Nginx => Require("nginx", "nginx");
    public static string Prometheus => Require("prometheus", "prometheus");
    public static string Promtool => Require("promtool", "prometheus");
    public static string Amtool => Require("amtool", "prometheus-alertmanager");
    public static string NodeExporter => Require("prometheus-node-exporter", "prometheus-node-exporter");
    public static string DockerCompose => Require("docker-compose", "docker-compose");
    public static string Python3 => Require("python3", "python3-yaml");
    public static string Bash => Require("bash", "bash");
    public static string Dotnet => Require("dotnet", "the .NET 10 SDK");

    // nginx lives in /usr/sbin, which a non-root PATH may lack.
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public static string Require(string name, string package)
    {
        var path = Find(name);
        Assert.True(path is not null,
            $"'{name}' is not installed: apt-get install {package} (bash tests/run-tests.sh installs every program these tests run)");
        return path!;
    }

    private static string? Find(string name)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraDirectories);
        return directories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }
}
