using System.Diagnostics;
using System.Text.Json;
using AnomalyApi.Contracts;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Scoring;

/// <summary>
/// Scores rows with the request's model for the endpoints, records the scoring metrics, and shapes the results.
/// </summary>
public sealed class PredictionService(ModelProvider model, AnomalyLabeler labeler, IOptions<ScoringOptions> options)
{
    private int TopFeatureCount => options.Value.TopFeatures;

    // The request's model's series (its name and features label them), so they follow a reload.
    private ScoringMetrics Metrics => model.Model.ApiMetrics;

    /// <summary>Records how long binding and validation took for this request (the parse stage).</summary>
    public void RecordParse(HttpContext context)
    {
        if (ParseTiming.ElapsedSeconds(context) is { } seconds)
        {
            Metrics.ObserveParse(seconds);
        }
    }

    public void RecordBatchSize(int rows) => Metrics.ObserveBatchSize(rows);

    public void RecordRespond(double seconds) => Metrics.ObserveRespond(seconds);

    public void RecordRespond(long startTimestamp) => RecordRespond(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    /// <summary>
    /// The first row whose score or reconstruction is not finite, or null. JSON cannot carry those numbers; with
    /// clip off, raw values far outside the training range can overflow float32 inside the network.
    /// </summary>
    public static int? FirstNonFiniteRow(LabelledBatch batch) => FirstNonFiniteRow(batch.Scores);

    /// <inheritdoc cref="FirstNonFiniteRow(LabelledBatch)"/>
    public static int? FirstNonFiniteRow(ScoredBatch batch)
    {
        for (var row = 0; row < batch.Rows; row++)
        {
            if (!double.IsFinite(batch.Rmse[row]) || !AllFinite(batch.ReconstructionRow(row)))
            {
                return row;
            }
        }
        return null;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Scores raw rows (row-major, model order) in one call to the scorer, and records the metrics.</summary>
    public LabelledBatch Score(ReadOnlySpan<float> rawRows)
    {
        // The model the request holds a lease on (ModelLeaseMiddleware): a reload meanwhile does not change it.
        var loaded = model.Model;
        return Score(loaded.Scorer, labeler, loaded.ApiMetrics, rawRows);
    }

    /// <summary>
    /// The one scoring path, shared with the background collector (its own metrics, source="collector"): scores,
    /// labels through the shared <see cref="AnomalyLabeler"/>, and records the metrics from those same labels.
    /// </summary>
    public static LabelledBatch Score(AnomalyScorer scorer, AnomalyLabeler labeler, ScoringMetrics metrics, ReadOnlySpan<float> rawRows)
    {
        var start = Stopwatch.GetTimestamp();
        var scored = scorer.Score(rawRows);
        metrics.ObserveScore(Stopwatch.GetElapsedTime(start).TotalSeconds);
        var batch = labeler.Label(scored);
        metrics.RecordScores(batch);
        metrics.RecordOutOfRange(rawRows, scorer.Normalizer);
        return batch;
    }

    public PredictionResult ToResult(LabelledBatch batch, int row, string? id = null) => new(
        id,
        batch.Scores.Rmse[row],
        batch.IsAnomaly[row],
        batch.Scores.Threshold,
        batch.AdaptiveThreshold[row],
        batch.Scores.ReconstructionRow(row).ToArray(),
        [.. batch.Scores.TopFeatures(row, TopFeatureCount).Select(static f => new TopFeature(f.Name, f.Error))]);

    /// <summary>The batch as a 200 response, written straight from the scores (no per-row records).</summary>
    public BatchJsonResult ToJsonResult(LabelledBatch batch, IReadOnlyList<string?>? ids = null) =>
        new(batch, model.Scorer.Config.Features, TopFeatureCount, ids, this);

    /// <summary>The batch as a 200 protobuf BatchResponse, for a request that came as a BatchRequest.</summary>
    public BatchProtobufResult ToProtobufResult(LabelledBatch batch) =>
        new(batch, model.Scorer.Config.Features, TopFeatureCount, this);

    /// <summary>The features of the request's model, escaped for <see cref="PredictionJsonWriter"/>.</summary>
    public JsonEncodedText[] EncodedFeatureNames => PredictionJsonWriter.Encode(model.Scorer.Config.Features);

    /// <summary>How many features each result lists (Scoring:TopFeatures).</summary>
    public int TopFeatures => TopFeatureCount;

    /// <summary>
    /// The records <see cref="ToJsonResult"/> stands for: what the OpenAPI description shows, and the reference the
    /// writer is tested against.
    /// </summary>
    public BatchPredictionResponse ToResponse(LabelledBatch batch, IReadOnlyList<string?>? ids = null)
    {
        var results = new PredictionResult[batch.Rows];
        for (var row = 0; row < results.Length; row++)
        {
            results[row] = ToResult(batch, row, ids?[row]);
        }
        return new BatchPredictionResponse(results, batch.AnomalyCount);
    }
}
