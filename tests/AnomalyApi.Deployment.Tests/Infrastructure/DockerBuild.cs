using System.Runtime.InteropServices;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>The runtime stage after <see cref="DockerBuild"/>: where /app landed, and how the image would start it.</summary>
internal sealed record DockerImage(
    string AppDirectory,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> HealthcheckCommand,
    IReadOnlyList<string> ContextFiles,
    IReadOnlyList<ProcessResult> RunSteps);

/// <summary>
/// `docker build` without a Docker engine (there is none on this machine): each stage gets a folder standing for
/// its filesystem root; WORKDIR, ENV, COPY (from the context, through .dockerignore, or --from a stage) are
/// applied there, and every RUN line runs exactly as written, through /bin/sh -c, in the mapped WORKDIR.
/// The SDK and ASP.NET runtime are this machine's instead of the images', and the runtime stage is not
/// started here: <see cref="ApiInstance"/> starts it as ENTRYPOINT does.
/// </summary>
internal static class DockerBuild
{
    // The aspnet base image sets these; the Dockerfile relies on APP_UID.
    private static readonly Dictionary<string, string> BaseImageEnvironment = new(StringComparer.Ordinal)
    {
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
    };

    // What BuildKit passes as TARGETARCH & co. when building for this machine's own platform.
    private static readonly Dictionary<string, string> PlatformArguments = new(StringComparer.Ordinal)
    {
        ["TARGETOS"] = "linux",
        ["TARGETARCH"] = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64",
        ["BUILDOS"] = "linux",
        ["BUILDARCH"] = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64",
    };

    // No build server may outlive the test: MSBuild nodes and the compiler server stay in-process.
    private static readonly Dictionary<string, string?> RunEnvironment = new(StringComparer.Ordinal)
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public static async Task<DockerImage> BuildAsync(string dockerfilePath, string contextDirectory, string workDirectory, string targetStage)
    {
        var dockerfile = Dockerfile.Load(dockerfilePath);
        var ignore = DockerIgnore.Load(contextDirectory);
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        var contextFiles = new SortedSet<string>(StringComparer.Ordinal);
        var runs = new List<ProcessResult>();
        DockerImage? image = null;

        for (var index = 0; index < dockerfile.Stages.Count; index++)
        {
            var stage = dockerfile.Stages[index];
            var root = Directory.CreateDirectory(Path.Combine(workDirectory, $"stage{index}-{stage.Name ?? "unnamed"}")).FullName;
            roots[stage.Name ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = root;
            var workdir = "/";
            var environment = new Dictionary<string, string?>(RunEnvironment, StringComparer.Ordinal);

            foreach (var instruction in stage.Instructions)
            {
                switch (instruction.Keyword)
                {
                    case "WORKDIR":
                        workdir = Combine(workdir, instruction.Arguments);
                        Directory.CreateDirectory(Map(root, workdir));
                        break;
                    case "ARG":
                        // BuildKit's automatic platform arguments, for this machine; others take their default.
                        var (name, _, defaultValue) = instruction.Arguments.Partition('=');
                        environment[name] = PlatformArguments.TryGetValue(name, out var platform) ? platform : defaultValue;
                        break;
                    case "ENV":
                        foreach (var (key, value) in new DockerStage("", null, [instruction]).Environment())
                        {
                            environment[key] = value;
                        }
                        break;
                    case "COPY":
                        Copy(instruction, root, workdir, contextDirectory, ignore, roots, contextFiles);
                        break;
                    case "RUN":
                        var run = await ExternalProcess.RunAsync(
                            "/bin/sh", ["-c", instruction.Arguments], TimeSpan.FromMinutes(8), Map(root, workdir), environment);
                        runs.Add(run);
                        Assert.True(run.ExitCode == 0, $"Dockerfile line {instruction.Line} (RUN {instruction.Arguments}) failed: {run}");
                        break;
                    default:
                        // FROM is the stage itself; USER, EXPOSE, HEALTHCHECK, ENTRYPOINT, ARG, LABEL change no files.
                        break;
                }
            }

            if (stage.Name == targetStage)
            {
                var healthcheck = stage.Single("HEALTHCHECK").Arguments;
                var cmd = healthcheck.IndexOf("CMD", StringComparison.Ordinal);
                Assert.True(cmd >= 0, $"HEALTHCHECK without CMD: {healthcheck}");
                image = new DockerImage(
                    Map(root, workdir),
                    new Dictionary<string, string>(BaseImageEnvironment.Concat(stage.Environment())
                        .GroupBy(p => p.Key).Select(g => g.Last()), StringComparer.Ordinal),
                    Dockerfile.ExecForm(stage.Single("ENTRYPOINT").Arguments),
                    Dockerfile.ExecForm(healthcheck[(cmd + 3)..]),
                    [.. contextFiles],
                    runs);
            }
        }
        return image ?? throw new InvalidOperationException($"The Dockerfile has no stage named '{targetStage}'");
    }

    private static void Copy(
        DockerInstruction instruction, string root, string workdir, string contextDirectory, DockerIgnore ignore,
        IReadOnlyDictionary<string, string> roots, ISet<string> contextFiles)
    {
        var (flags, words) = instruction.SplitFlags();
        Assert.True(words.Count >= 2, $"Line {instruction.Line}: COPY needs a source and a destination");
        var destination = Combine(workdir, words[^1]);
        var destinationIsDirectory = words[^1].EndsWith('/') || words[^1] == "." || words.Count > 2;
        var fromStage = flags.TryGetValue("from", out var stageName);
        var sourceRoot = fromStage ? roots[stageName!] : contextDirectory;

        foreach (var source in words.Take(words.Count - 1))
        {
            Assert.False(source.Contains('*', StringComparison.Ordinal), $"Line {instruction.Line}: wildcards in COPY are not simulated");
            var relative = (fromStage ? source : Combine("/", source)).TrimStart('/').TrimEnd('/');
            var path = Path.Combine(sourceRoot, relative);
            if (Directory.Exists(path))
            {
                // A directory's contents go into the destination, as Docker copies them.
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    var inSource = Path.GetRelativePath(path, file).Replace('\\', '/');
                    var inContext = relative.Length == 0 ? inSource : $"{relative}/{inSource}";
                    if (!fromStage && ignore.IsExcluded(inContext))
                    {
                        continue;
                    }
                    CopyFile(file, Map(root, $"{destination}/{inSource}"));
                    if (!fromStage)
                    {
                        contextFiles.Add(inContext);
                    }
                }
            }
            else
            {
                Assert.True(File.Exists(path) && (fromStage || !ignore.IsExcluded(relative)),
                    $"Line {instruction.Line}: COPY source '{source}' is not in the build context (missing, or left out by .dockerignore)");
                CopyFile(path, Map(root, destinationIsDirectory ? $"{destination}/{Path.GetFileName(relative)}" : destination));
                if (!fromStage)
                {
                    contextFiles.Add(relative);
                }
            }
        }
    }

    private static (string Name, bool HasValue, string? Value) Partition(this string argument, char separator)
    {
        var index = argument.IndexOf(separator, StringComparison.Ordinal);
        return index < 0 ? (argument.Trim(), false, null) : (argument[..index].Trim(), true, argument[(index + 1)..].Trim());
    }

    private static void CopyFile(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(source, destination, overwrite: true);
    }

    /// <summary>A container path resolved against the current WORKDIR, normalised to '/a/b'.</summary>
    private static string Combine(string workdir, string path)
    {
        var combined = path.StartsWith('/') ? path : $"{workdir.TrimEnd('/')}/{path}";
        var parts = new List<string>();
        foreach (var part in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }
        return "/" + string.Join('/', parts);
    }

    private static string Map(string root, string containerPath) =>
        Path.Combine(root, Combine("/", containerPath).TrimStart('/'));
}
