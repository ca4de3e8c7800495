using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Scoring.Adaptive;

namespace AnomalyApi.Tests.Endpoints;

/// <summary>Scoring:Adaptive (issue 5): labels, the adaptiveThreshold field and anomaly_adaptive_threshold.</summary>
public sealed class AdaptiveThresholdTests
{
    private static string Model => TestModel.Config.ModelName;

    private static double Static => TestModel.Config.Threshold;

    private static AnomalyApiFactory Adaptive(string rule) => AnomalyApiFactory.With(
        ("Scoring:Adaptive:Enabled", "true"),
        ("Scoring:Adaptive:Rule", rule),
        ("Scoring:Adaptive:MinObservations", "5"),
        ("Scoring:Adaptive:Quantile", "0.5"),
        ("Scoring:Adaptive:Window", "10"));

    [Fact]
    public async Task PredictBatch_WithAdaptiveRule_LabelsEachRowByTheMedianOfTheScoresBeforeIt()
    {
        await using var factory = Adaptive("Adaptive");
        var client = factory.CreateClient();
        var rows = TestModel.Rows(12, seed: 5).Concat([TestModel.NormalRow()]).ToArray();
        var scores = TestModel.Score(rows).Rmse.ToArray();

        var response = await client.PostAsJsonAsync("/predict/batch",
            new JsonObject { ["instances"] = new JsonArray([.. rows.Select(r => (JsonNode)TestModel.ToJsonArray(r))]) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var results = body["results"]!.AsArray();
        var flipped = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var result = results[i]!;
            Assert.Equal(scores[i], result["rmse"]!.GetValue<double>());
            Assert.Equal(Static, result["threshold"]!.GetValue<double>());
            // Judged before joining the window: the median of the (at most 10) scores before it, from the 6th row on.
            double? bar = i < 5 ? null : Median(scores[Math.Max(0, i - 10)..i]);
            Assert.Equal(bar, result["adaptiveThreshold"]?.GetValue<double>());
            var expected = bar is { } b ? scores[i] > b : scores[i] > Static;
            Assert.Equal(expected, result["isAnomaly"]!.GetValue<bool>());
            flipped += expected != scores[i] > Static ? 1 : 0;
        }
        Assert.True(flipped > 0, "no row was labelled differently from the static threshold");
        Assert.Equal(results.Count(r => r!["isAnomaly"]!.GetValue<bool>()), body["anomalyCount"]!.GetValue<int>());

        // The gauge is Core's Current after the same scores; anomaly_is_anomaly follows the last row's label.
        var core = new AdaptiveThreshold(Static, new AdaptiveThresholdOptions
        {
            Enabled = true, Rule = AnomalyRule.Adaptive, MinObservations = 5, Quantile = 0.5, Window = 10,
        });
        foreach (var score in scores)
        {
            core.Observe(score);
        }
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Equal(core.Current, PrometheusText.Sample(metrics, "anomaly_adaptive_threshold", $"model=\"{Model}\""));
        Assert.Equal(Median(scores[^10..]), core.Current);
        Assert.Equal(results[^1]!["isAnomaly"]!.GetValue<bool>() ? 1 : 0,
            PrometheusText.Sample(metrics, "anomaly_is_anomaly", $"model=\"{Model}\",source=\"api\""));
    }

    [Fact]
    public async Task Predict_WithEitherRule_FlagsAScoreAboveTheStaticThresholdThoughUnderTheAdaptiveOne()
    {
        await using var factory = Adaptive("Either");
        var client = factory.CreateClient();
        var anomalous = TestModel.Rows(20, seed: 11)
            .Select(row => (Row: row, Score: TestModel.Score(row).Rmse[0]))
            .Where(r => r.Score > Static)
            .OrderByDescending(r => r.Score)
            .ToArray();
        Assert.True(anomalous.Length >= 6, "need six rows above the static threshold");
        var detectionsLabels = $"model=\"{Model}\",source=\"api\"";
        var before = PrometheusText.Sample(await client.GetStringAsync("/metrics"), "anomaly_detections_total", detectionsLabels, 0);

        // Five high scores make the adaptive bar their median; the lowest anomalous row is under it but above static.
        foreach (var (row, _) in anomalous[..5])
        {
            await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) });
        }
        var (lowRow, lowScore) = anomalous[^1];
        var response = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(lowRow) });

        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var bar = Median([.. anomalous[..5].Select(r => r.Score)]);
        Assert.Equal(bar, result["adaptiveThreshold"]!.GetValue<double>());
        Assert.True(lowScore < bar, $"{lowScore} is not under the adaptive threshold {bar}");
        Assert.True(result["isAnomaly"]!.GetValue<bool>());
        var after = PrometheusText.Sample(await client.GetStringAsync("/metrics"), "anomaly_detections_total", detectionsLabels, 0);
        Assert.Equal(6, after - before);
    }

    [Fact]
    public async Task Predict_ByDefault_ReportsNoAdaptiveThresholdAndLabelsByTheStaticOne()
    {
        await using var factory = new AnomalyApiFactory();
        var client = factory.CreateClient();
        var row = TestModel.Rows(1, seed: 3)[0];

        var response = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) });

        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(result.ContainsKey("adaptiveThreshold"));
        Assert.Null(result["adaptiveThreshold"]);
        Assert.Equal(TestModel.Score(row).IsAnomaly[0], result["isAnomaly"]!.GetValue<bool>());
    }

    // numpy's default (linear) quantile at 0.5.
    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * 0.5;
        var lower = (int)Math.Floor(h);
        return lower >= sorted.Length - 1 ? sorted[^1] : sorted[lower] + (h - lower) * (sorted[lower + 1] - sorted[lower]);
    }
}
