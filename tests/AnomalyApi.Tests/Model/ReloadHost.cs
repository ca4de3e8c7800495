using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AnomalyApi.Core.Scoring;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests.Model;

/// <summary>
/// The service in memory serving <see cref="ModelVariants.Directory"/>, with an admin key, and every log line kept
/// with its exception's full text (so an ObjectDisposedException anywhere is seen, not just its message).
/// </summary>
public sealed class ReloadHost : IAsyncDisposable
{
    public const string AdminKey = "reload-test-admin-key-0123456789";

    private readonly AnomalyApiFactory _factory;
    private readonly WebApplicationFactory<Program> _host;

    public ReloadHost(ModelVariants models, bool watchFiles, int debounceMilliseconds = 200)
    {
        Models = models;
        _factory = AnomalyApiFactory.With(
            ("Model:Directory", models.Directory),
            ("Model:WatchFiles", watchFiles ? "true" : "false"),
            ("Model:ReloadDebounceMilliseconds", debounceMilliseconds.ToString(CultureInfo.InvariantCulture)),
            ("Auth:AdminKeys:0", AdminKey));
        _host = _factory.WithWebHostBuilder(builder =>
            builder.ConfigureLogging(logging => logging.AddProvider(new ExceptionCapture(Logs))));
        Client = _host.CreateClient();
    }

    public ModelVariants Models { get; }

    public HttpClient Client { get; }

    /// <summary>Every log line at Information and above, with the exception's ToString() when there is one.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public HttpClient CreateClient() => _host.CreateClient();

    public async Task<HttpResponseMessage> PostReloadAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/model/reload");
        request.Headers.Add("X-API-Key", AdminKey);
        return await Client.SendAsync(request);
    }

    public async Task<JsonObject> GetModelAsync()
    {
        var response = await Client.GetAsync("/model");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Polls GET /model until <paramref name="condition"/> holds; fails with the last answer after <paramref name="timeout"/>.</summary>
    public async Task<JsonObject> WaitForModelAsync(Func<JsonObject, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var model = await GetModelAsync();
            if (condition(model))
            {
                return model;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"GET /model never showed {what} within {timeout}; last: {model.ToJsonString()}");
            }
            await Task.Delay(50);
        }
    }

    public static bool Serves(JsonObject model, ModelVariants.Files files) =>
        (string?)model["version"] == files.Version && (string?)model["sha256"] == files.Sha256;

    /// <summary>The anomaly_model_info series of this test's model, as label strings.</summary>
    public async Task<string[]> ModelInfoSeriesAsync()
    {
        var text = await Client.GetStringAsync("/metrics");
        return [.. text.Split('\n')
            .Where(line => line.StartsWith("anomaly_model_info{", StringComparison.Ordinal) && line.Contains($"model=\"{Models.Name}\"", StringComparison.Ordinal))];
    }

    /// <summary>The value of an unlabelled series in /metrics; fails the test when it is not there.</summary>
    public async Task<double> MetricAsync(string name)
    {
        var text = await Client.GetStringAsync("/metrics");
        var match = Regex.Match(text, $"^{name} (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} is not in /metrics");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>POSTs one row to /predict and says which model's answer came back: 'a', 'b', or fails the test.</summary>
    public static async Task<string> PredictAndIdentifyAsync(HttpClient client, float[] row, ScoredBatch expectedA, ScoredBatch expectedB)
    {
        var response = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"/predict answered {(int)response.StatusCode}: {body}");
        }
        var result = JsonNode.Parse(body)!;
        var rmse = result["rmse"]!.GetValue<double>();
        var reconstruction = result["reconstruction"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        if (rmse == expectedA.Rmse[0] && reconstruction.SequenceEqual(expectedA.Reconstruction))
        {
            return "a";
        }
        if (rmse == expectedB.Rmse[0] && reconstruction.SequenceEqual(expectedB.Reconstruction))
        {
            return "b";
        }
        throw new InvalidOperationException(
            $"/predict answered rmse {rmse:R}, which is neither model A's {expectedA.Rmse[0]:R} nor model B's {expectedB.Rmse[0]:R} (or the reconstruction differs)");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private sealed class ExceptionCapture(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
        }
    }
}
