using AnomalyApi.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Tests.Model;

/// <summary>Before the model is loaded: not ready, and the model's endpoints answer 503.</summary>
public sealed class ModelReadinessTests
{
    private static ModelProvider Unloaded() => new(Options.Create(new ModelOptions { Directory = TestModel.Directory }),
        new Environment(), NullLogger<ModelProvider>.Instance);

    [Fact]
    public async Task ReadyCheck_BeforeLoad_IsUnhealthy_AndAfterLoad_IsHealthy()
    {
        using var model = Unloaded();
        var check = new ModelReadyHealthCheck(model);

        var before = await check.CheckHealthAsync(new HealthCheckContext());
        model.Load();
        var after = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task Filter_BeforeLoad_Answers503WithoutCallingTheEndpoint()
    {
        using var model = Unloaded();
        var called = false;

        var result = await new ModelReadyFilter(model).InvokeAsync(
            EndpointFilterInvocationContext.Create(new DefaultHttpContext()),
            _ => { called = true; return ValueTask.FromResult<object?>(null); });

        Assert.False(called);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    [Fact]
    public void ResolvePaths_PrefersExplicitFilesThenContentRootThenBaseDirectory()
    {
        var root = Directory.CreateTempSubdirectory("anomalyapi-paths-").FullName;
        try
        {
            var baseDirectory = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            Directory.CreateDirectory(Path.Combine(baseDirectory, "models"));
            var contentRoot = Directory.CreateDirectory(Path.Combine(root, "content")).FullName;

            var fromBase = ModelProvider.ResolvePaths(new ModelOptions(), contentRoot, baseDirectory);
            Directory.CreateDirectory(Path.Combine(contentRoot, "models"));
            var fromContentRoot = ModelProvider.ResolvePaths(new ModelOptions(), contentRoot, baseDirectory);
            var explicitFiles = ModelProvider.ResolvePaths(
                new ModelOptions { OnnxPath = "/m/a.onnx", ConfigPath = "/m/c.json" }, contentRoot, baseDirectory);

            Assert.Equal(Path.Combine(baseDirectory, "models", "autoencoder.onnx"), fromBase.OnnxPath);
            Assert.Equal(Path.Combine(contentRoot, "models", "model_config.json"), fromContentRoot.ConfigPath);
            Assert.Equal(("/m/a.onnx", "/m/c.json"), explicitFiles);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "AnomalyApi";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
