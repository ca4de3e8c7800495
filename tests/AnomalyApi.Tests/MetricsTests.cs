using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests;

public sealed class MetricsTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Model => TestModel.Config.ModelName;

    [Fact]
    public async Task Metrics_AfterAPrediction_ShowAnomalyScoreEqualToTheResponsesRmse()
    {
        var response = await _client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.42)) });
        var rmse = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["rmse"]!.GetValue<double>();
        var isAnomaly = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["isAnomaly"]!.GetValue<bool>();

        var metrics = await ScrapeAsync();

        Assert.Equal(rmse, PrometheusText.Sample(metrics, "anomaly_score", $"model=\"{Model}\",source=\"api\""));
        Assert.Equal(isAnomaly ? 1 : 0, PrometheusText.Sample(metrics, "anomaly_is_anomaly", $"model=\"{Model}\",source=\"api\""));
        Assert.Equal(TestModel.Config.Threshold, PrometheusText.Sample(metrics, "anomaly_threshold", $"model=\"{Model}\""));
        var lastScore = PrometheusText.Sample(metrics, "anomaly_last_score_timestamp_seconds", $"model=\"{Model}\",source=\"api\"");
        Assert.InRange(lastScore, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task Metrics_AfterABatch_CountPredictionsDetectionsAndTheBatchSize()
    {
        var rows = TestModel.Rows(9, seed: 21).Prepend(TestModel.NormalRow()).ToArray();
        var expected = TestModel.Score(rows);
        var labels = $"model=\"{Model}\",source=\"api\"";
        var before = await ScrapeAsync();

        var response = await _client.PostAsJsonAsync("/predict/batch",
            new JsonObject { ["instances"] = new JsonArray([.. rows.Select(r => (JsonNode)TestModel.ToJsonArray(r))]) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await ScrapeAsync();

        Assert.Equal(10, PrometheusText.Sample(after, "anomaly_predictions_total", labels) - PrometheusText.Sample(before, "anomaly_predictions_total", labels, 0));
        Assert.Equal(expected.AnomalyCount, PrometheusText.Sample(after, "anomaly_detections_total", labels) - PrometheusText.Sample(before, "anomaly_detections_total", labels, 0));
        Assert.Equal(1, PrometheusText.Sample(after, "anomaly_batch_size_count", labels) - PrometheusText.Sample(before, "anomaly_batch_size_count", labels, 0));
        Assert.Equal(10, PrometheusText.Sample(after, "anomaly_batch_size_sum", labels) - PrometheusText.Sample(before, "anomaly_batch_size_sum", labels, 0));
        Assert.Equal(expected.Rmse[^1], PrometheusText.Sample(after, "anomaly_score", labels));
    }

    [Fact]
    public async Task Metrics_CountRawValuesOutsideTheTrainingRangePerFeature()
    {
        var row = TestModel.RowAt(0.5);
        var feature = TestModel.Features.ToList().IndexOf("cpu_1_user");
        row[feature] = (float)TestModel.Config.Normalization.Max[feature] + 0.25f;
        var labels = $"model=\"{Model}\",source=\"api\",feature=\"cpu_1_user\"";
        var before = await ScrapeAsync();

        await _client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) });
        var after = await ScrapeAsync();

        Assert.Equal(1, PrometheusText.Sample(after, "anomaly_feature_out_of_range_total", labels) - PrometheusText.Sample(before, "anomaly_feature_out_of_range_total", labels, 0));
        var untouched = $"model=\"{Model}\",source=\"api\",feature=\"cpu_1_idle\"";
        Assert.Equal(PrometheusText.Sample(before, "anomaly_feature_out_of_range_total", untouched, 0), PrometheusText.Sample(after, "anomaly_feature_out_of_range_total", untouched, 0));
    }

    [Fact]
    public async Task Metrics_DescribeTheModelAndTimeEveryStageWithSubMillisecondBuckets()
    {
        await _client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) });

        var metrics = await ScrapeAsync();

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(TestModel.OnnxPath)));
        Assert.Equal(1, PrometheusText.Sample(metrics, "anomaly_model_info", $"model=\"{Model}\",version=\"{TestModel.Config.ModelVersion}\",sha256=\"{sha256}\""));
        foreach (var stage in new[] { "parse", "score", "respond" })
        {
            var labels = $"model=\"{Model}\",source=\"api\",stage=\"{stage}\"";
            Assert.True(PrometheusText.Sample(metrics, "anomaly_inference_duration_seconds_count", labels) >= 1, stage);
            Assert.True(PrometheusText.Sample(metrics, "anomaly_inference_duration_seconds_bucket", labels + ",le=\"0.0001\"") >= 0, stage);
        }
        // prometheus-net's HTTP metrics, as histograms (they aggregate across replicas; summaries do not).
        Assert.Contains("# TYPE http_request_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_requests_in_progress gauge", metrics, StringComparison.Ordinal);
        // Left out on purpose: it repeats the duration histogram's _count at a cost on every request.
        Assert.DoesNotContain("http_requests_received_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_IsPrometheusTextAndStaysOutOfSwagger()
    {
        var metrics = await _client.GetAsync("/metrics");
        var swagger = await _client.GetStringAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("/metrics", swagger, StringComparison.Ordinal);
        Assert.DoesNotContain("/health", swagger, StringComparison.Ordinal);
    }

    private Task<string> ScrapeAsync() => _client.GetStringAsync("/metrics");
}
