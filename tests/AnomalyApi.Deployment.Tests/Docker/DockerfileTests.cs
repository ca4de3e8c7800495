using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Docker;

/// <summary>The Dockerfile's shape, read as Docker reads it: what a layer cache and a container runtime depend on.</summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load(Repository.Path("Dockerfile"));

    [Fact]
    public void BuildStage_RestoresFromProjectFilesAloneBeforeCopyingSources()
    {
        var build = File.Stage("build");
        var instructions = build.Instructions.ToList();
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var publish = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));

        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build.BaseImage, StringComparison.Ordinal);
        Assert.True(restore >= 0 && publish > restore, "The build stage should RUN dotnet restore, then dotnet publish");
        var beforeRestore = instructions.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(i => i.SplitFlags().Words.SkipLast(1)).ToList();
        Assert.NotEmpty(beforeRestore);
        Assert.All(beforeRestore, source => Assert.True(
            source.EndsWith(".csproj", StringComparison.Ordinal) || source.EndsWith(".props", StringComparison.Ordinal)
            || source.EndsWith(".sln", StringComparison.Ordinal) || source == "global.json",
            $"'{source}' is copied before the restore: a source edit would invalidate the restore layer"));
        Assert.Contains("-c Release", instructions[publish].Arguments, StringComparison.Ordinal);
        Assert.Contains("--no-restore", instructions[publish].Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeStage_IsAspNet10AsNonRootUserOnPort8080()
    {
        var runtime = File.Stage("runtime");

        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", runtime.BaseImage);
        Assert.Equal("$APP_UID", runtime.Single("USER").Arguments);
        Assert.Equal("8080", runtime.Environment()["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("8080", runtime.Single("EXPOSE").Arguments);
        Assert.Equal(["dotnet", "AnomalyApi.dll"], Dockerfile.ExecForm(runtime.Single("ENTRYPOINT").Arguments));
        var healthcheck = runtime.Single("HEALTHCHECK").Arguments;
        Assert.Contains("/health/ready", healthcheck, StringComparison.Ordinal);
        Assert.Contains("--timeout=", healthcheck, StringComparison.Ordinal);
        // The published app (with its models/) is all that reaches the runtime image.
        Assert.Equal(["--from=build /src/out ."], runtime.All("COPY").Select(c => c.Arguments));
        Assert.Empty(runtime.All("RUN"));
    }

    [Fact]
    public void DockerIgnore_LeavesBuildOutputTestsAndGitOutOfTheContext()
    {
        var ignore = DockerIgnore.Load(Repository.Root);
        var context = Directory.EnumerateFiles(Repository.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Where(f => !ignore.IsExcluded(f))
            .ToList();

        Assert.Contains("src/AnomalyApi/Program.cs", context);
        Assert.Contains("src/AnomalyApi.Core/Onnx/onnx.proto", context);
        Assert.Contains("models/autoencoder.onnx", context);
        Assert.Contains("models/model_config.json", context);
        Assert.Contains("Directory.Packages.props", context);
        Assert.DoesNotContain(context, f => f.Split('/') is var parts
            && (parts.Contains("bin") || parts.Contains("obj") || parts[0] is ".git" or "tests" or "artifacts"));
    }
}
