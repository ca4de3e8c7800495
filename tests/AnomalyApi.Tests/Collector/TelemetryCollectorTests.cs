using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Telemetry;
using Microsoft.Extensions.Logging;
using AnomalyApi.Tests.Shared;

using static AnomalyApi.Tests.Collector.CollectorProbe;

namespace AnomalyApi.Tests.Collector;

/// <summary>
/// The background collector in the real host, at a 1 s interval, against Debian's real node_exporter, a loopback
/// 4-CPU stand-in, or nothing at all. Waits are bounded polls (CollectorProbe, up to 30 s), never fixed sleeps that must be long enough.
/// </summary>
public sealed class TelemetryCollectorTests
{
    private static AnomalyApiFactory Collecting(Uri url) => AnomalyApiFactory.With(
        ("Collector:Enabled", "true"),
        ("Collector:IntervalSeconds", "1"),
        ("Collector:Url", url.ToString()));

    [Fact]
    public async Task Recent_ByDefault_AnswersDisabledWithNoResults_AndReadinessHasNoCollectorCheck()
    {
        await using var factory = new AnomalyApiFactory();
        var client = factory.CreateClient();

        var recent = await client.GetFromJsonAsync<JsonObject>("/collector/recent");
        var ready = await ReadyAsync(client);

        Assert.False(recent!["enabled"]!.GetValue<bool>());
        Assert.Equal("node_exporter", recent["source"]!.GetValue<string>());
        Assert.Empty(recent["results"]!.AsArray());
        Assert.Null(ready["checks"]!["collector"]);
        Assert.Equal("Healthy", ready["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Collector_WhenNothingListens_IsDegradedNamingTheUrl_LogsOnce_AndPredictStillWorks()
    {
        var url = new Uri($"http://127.0.0.1:{NodeExporterProcess.FreeLoopbackPort()}/metrics");
        await using var factory = Collecting(url);
        var client = factory.CreateClient();

        var check = await WaitForCollectorCheckAsync(client, c => c["description"]!.GetValue<string>().Contains("did not answer"));
        // A few more failing ticks: still one log line for the one transition.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal("Degraded", check["status"]!.GetValue<string>());
        Assert.StartsWith($"node_exporter at {url} did not answer: ", check["description"]!.GetValue<string>());
        var (status, ready) = await ReadyWithStatusAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", ready["status"]!.GetValue<string>());
        var recent = await client.GetFromJsonAsync<JsonObject>("/collector/recent");
        Assert.True(recent!["enabled"]!.GetValue<bool>());
        Assert.Contains(url.ToString(), recent["problem"]!.GetValue<string>());
        Assert.NotNull(recent["problemSince"]);
        Assert.Empty(recent["results"]!.AsArray());
        Assert.Single(factory.Logs, l => l.Level == LogLevel.Warning && l.Message.StartsWith("Collector cannot score", StringComparison.Ordinal));
        await AssertPredictWorksAsync(client);
    }

    [Fact]
    public async Task Collector_WithTheShippedFourCpuModelOnASmallerMachine_IsDegradedNamingTheMissingCpus_AndPredictStillWorks()
    {
        await using var exporter = await NodeExporterProcess.StartAsync();
        using var probe = new HttpClient();
        var machineCpus = NodeFeatureBuilder.CpusIn(await new NodeExporterFeed(probe, exporter.MetricsUrl, []).ScrapeAsync()).Count;
        if (machineCpus >= 4)
        {
            return; // The shipped model fits this machine: nothing is missing, and the scoring test covers the rest.
        }
        await using var factory = Collecting(exporter.MetricsUrl);
        var client = factory.CreateClient();

        var check = await WaitForCollectorCheckAsync(client, c => c["description"]!.GetValue<string>().StartsWith("the model wants", StringComparison.Ordinal));

        var description = check["description"]!.GetValue<string>();
        Assert.Equal("Degraded", check["status"]!.GetValue<string>());
        Assert.StartsWith($"the model wants cpu_{machineCpus}_*", description);
        Assert.Contains($"but this machine exports CPUs {(machineCpus == 1 ? "0" : $"0-{machineCpus - 1}")}: ", description);
        Assert.Contains($"cpu_{machineCpus}_idle: node_cpu_seconds_total{{cpu=\"{machineCpus}\",mode=\"idle\"}} is not exported", description);
        Assert.EndsWith($" (and {(4 - machineCpus) * 8 - 1} more)", description);
        var (status, _) = await ReadyWithStatusAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        var recent = await client.GetFromJsonAsync<JsonObject>("/collector/recent");
        Assert.Equal(description, recent!["problem"]!.GetValue<string>());
        Assert.Empty(recent["results"]!.AsArray());
        await AssertPredictWorksAsync(client);
    }

    [Fact]
    public async Task Collector_OnAFourCpuExporter_ScoresLikeCore_KeepsRecentNewestFirst_AndExportsCollectorGauges()
    {
        var memory = MidRangeMemory();
        await using var exporter = new FourCpuExporter(memory);
        await using var factory = Collecting(exporter.MetricsUrl);
        var client = factory.CreateClient();

        // Problem-free too: on a loaded machine a scrape may miss its 0.9 s budget now and then; the next tick recovers.
        var recent = await WaitForRecentAsync(client, r => r["results"]!.AsArray().Count >= 2 && r["problem"] is null);

        Assert.Null(recent["problem"]);
        Assert.NotNull(recent["lastSuccessAt"]);
        var results = recent["results"]!.AsArray();
        Assert.True(results[0]!["at"]!.GetValue<DateTimeOffset>() >= results[1]!["at"]!.GetValue<DateTimeOffset>());
        var newest = results[0]!.AsObject();
        var features = newest["features"]!.AsObject();
        Assert.Equal(TestModel.Features, features.Select(f => f.Key));
        var vector = features.Select(f => f.Value!.GetValue<float>()).ToArray();
        Assert.Equal(Expected(memory), vector);
        var core = TestModel.Score(vector);
        Assert.Equal(core.Rmse[0], newest["rmse"]!.GetValue<double>(), 9);
        Assert.Equal(core.IsAnomaly[0], newest["isAnomaly"]!.GetValue<bool>());
        Assert.Equal(TestModel.Config.Threshold, newest["threshold"]!.GetValue<double>());
        Assert.Equal(core.TopFeatures(0, 5).Select(f => f.Name), newest["topFeatures"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));

        var check = await WaitForCollectorCheckAsync(client, c => c["status"]!.GetValue<string>() == "Healthy");
        Assert.StartsWith("last vector scored at ", check["description"]!.GetValue<string>());
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"anomaly_score{{model=\"{TestModel.Config.ModelName}\",source=\"collector\"}}", metrics);
        Assert.Contains($"anomaly_predictions_total{{model=\"{TestModel.Config.ModelName}\",source=\"collector\"}}", metrics);
    }

    // The model's memory gauges at the middle of their training range (whole bytes), MemAvailable below MemTotal.
    private static Dictionary<string, double> MidRangeMemory()
    {
        var memory = new Dictionary<string, double>();
        for (var i = 0; i < TestModel.FeatureCount; i++)
        {
            var name = TestModel.Features[i];
            if (name.StartsWith("node_memory_", StringComparison.Ordinal))
            {
                memory[name] = Math.Round((TestModel.Config.Normalization.Min[i] + TestModel.Config.Normalization.Max[i]) / 2);
            }
        }
        Assert.True(memory["node_memory_MemAvailable_bytes"] < memory["node_memory_MemTotal_bytes"]);
        return memory;
    }

    // Worked out from the stand-in's construction, not from Core's feature code.
    private static float[] Expected(IReadOnlyDictionary<string, double> memory) => [.. TestModel.Features.Select(name => name switch
    {
        "memory_used_bytes" => (float)(memory["node_memory_MemTotal_bytes"] - memory["node_memory_MemAvailable_bytes"]),
        _ when name.StartsWith("cpu_", StringComparison.Ordinal) => (float)FourCpuExporter.Fractions[name[(name.LastIndexOf('_') + 1)..]],
        _ => (float)memory[name],
    })];

}
