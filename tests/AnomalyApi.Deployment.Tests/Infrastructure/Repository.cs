using System.Reflection;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// Paths in the repository under test: the folder holding AnomalyApi.sln above the test binaries, or, when they
/// were built elsewhere (an artifacts path), the one recorded at build time.
/// </summary>
internal static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>A path in the repository from '/'-separated parts, e.g. Path("docker", "prometheus").</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(Path(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "AnomalyApi.sln")))
            {
                return directory.FullName;
            }
        }
        var recorded = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(System.IO.Path.Combine(recorded, "AnomalyApi.sln")))
        {
            return recorded;
        }
        throw new InvalidOperationException($"No AnomalyApi.sln above {AppContext.BaseDirectory}, nor at {recorded}");
    }
}
