using System.Net;
using System.Net.Http.Json;
using AnomalyApi.Model;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyApi.Tests.Model;

/// <summary>Model:OnnxSessions: how many ONNX Runtime sessions the served model holds.</summary>
public sealed class OnnxSessionsSettingTests
{
    [Fact]
    public async Task Service_ByDefault_HoldsOneSessionPerProcessor_AndLogsIt()
    {
        using var factory = new AnomalyApiFactory();
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/predict", new { features = TestModel.RowAt(0.5) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Environment.ProcessorCount, factory.Services.GetRequiredService<ModelProvider>().Scorer.SessionCount);
        Assert.Contains(factory.Logs, l => l.Message.Contains($"on {Environment.ProcessorCount} ONNX sessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_WithOnnxSessionsSet_HoldsThatMany_AlsoAfterAReload()
    {
        using var models = new ModelVariants();
        using var factory = AnomalyApiFactory.With(
            ("Model:Directory", models.Directory), ("Model:WatchFiles", "false"), ("Model:OnnxSessions", "3"));
        using var client = factory.CreateClient();
        var provider = factory.Services.GetRequiredService<ModelProvider>();
        var loaded = provider.Scorer.SessionCount;

        models.WriteAtomically(models.B);
        var reload = await provider.ReloadAsync("test");
        var response = await client.PostAsJsonAsync("/predict", new { features = TestModel.RowAt(0.5) });

        Assert.Equal(3, loaded);
        Assert.Contains(factory.Logs, l => l.Message.Contains("on 3 ONNX sessions", StringComparison.Ordinal));
        Assert.Equal(ModelReloadOutcome.Reloaded, reload.Outcome);
        Assert.Equal(3, provider.Scorer.SessionCount);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
