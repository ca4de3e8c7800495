using System.Diagnostics;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.Scoring;
using AnomalyApi.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AnomalyApi.Endpoints;

/// <summary>POST /predict, /predict/batch and /predict/csv: raw telemetry in, anomaly scores out.</summary>
public static class PredictEndpoints
{
    /// <summary>Rows scored and flushed at a time when /predict/csv streams NDJSON.</summary>
    public const int StreamChunkRows = 256;

    public static RouteGroupBuilder MapPredictEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/predict")
            .WithTags("Predict")
            // No endpoint filters here: each handler checks its request first through RequestGate (the reason is there).
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("", Predict)
            .WithName("Predict")
            .WithSummary("Score one row of raw telemetry")
            .WithDescription("Send `features` (raw values in the model's order, optionally with `featureNames` stating that order) " +
                "or `values` (every model feature by name, once). GET /model lists the features.")
            .Accepts<PredictRequest>("application/json");

        group.MapPost("/batch", PredictBatch)
            .WithName("PredictBatch")
            .WithSummary("Score a batch of rows together")
            .WithDescription("`instances` holds rows as arrays in the model's order or as objects naming every feature; " +
                "at most Scoring:MaxBatchSize rows (more is a 413). For throughput, send the rows as a protocol buffers BatchRequest " +
                "(`Content-Type: application/x-protobuf`, contract in src/AnomalyApi/Contracts/Protobuf/predict_batch.proto) " +
                "and get a BatchResponse with the same fields back; errors stay problem details in JSON.")
            .Accepts<BatchPredictRequest>("application/json", [.. BatchProtobufReader.ContentTypes])
            .WithMetadata(BatchAdmission.Metadata);

        group.MapPost("/csv", PredictCsv)
            .WithName("PredictCsv")
            .WithSummary("Score the rows of a CSV file")
            .WithDescription("A header row names the columns; the model's features may stand in any order, and other columns " +
                "(a timestamp, say) come back as each row's `id`. With `Accept: application/x-ndjson` the results stream, one JSON line per row. " +
                "The whole file is validated before any result is written.")
            .Accepts<string>(CsvBatch.ContentType)
            .WithMetadata(BatchAdmission.Metadata);

        return group;
    }

    public static Results<PredictionJsonResult, ValidationProblem, RequestRejection> Predict(
        PredictRequest request, HttpContext context, RequestGate<PredictRequest> gate, PredictionService predictions,
        ModelProvider model)
    {
        if (gate.Check(context, request) is { } rejected)
        {
            return rejected;
        }
        predictions.RecordParse(context);
        var row = request.Features ?? ToModelOrder(request.Values!, model);
        var scored = predictions.Score(row);
        predictions.RecordBatchSize(1);
        if (PredictionService.FirstNonFiniteRow(scored) is not null)
        {
            return NonFinite(request.Features is null ? "values" : "features");
        }
        return new PredictionJsonResult(scored, 0, predictions);
    }

    public static Results<BatchJsonResult, BatchProtobufResult, ValidationProblem, RequestRejection> PredictBatch(
        BatchPredictRequest request, HttpContext context, RequestGate<BatchPredictRequest> gate,
        PredictionService predictions, ModelProvider model)
    {
        if (gate.Check(context, request) is { } rejected)
        {
            return rejected;
        }
        predictions.RecordParse(context);
        // The fast path's rows were read against this request's model (the lease holds it from binding to the response).
        var rows = request.Matrix is { } matrix ? matrix.Values : ToModelOrder(request.Instances!, model);
        var scored = predictions.Score(rows);
        predictions.RecordBatchSize(scored.Rows);
        if (PredictionService.FirstNonFiniteRow(scored) is { } bad)
        {
            return NonFinite(request.IsProtobuf ? $"values (row {bad})" : $"instances[{bad}]");
        }
        return request.IsProtobuf ? predictions.ToProtobufResult(scored) : predictions.ToJsonResult(scored);
    }

    public static Results<BatchJsonResult, NdjsonResult, ValidationProblem, RequestRejection> PredictCsv(
        CsvBatch csv, HttpContext context, RequestGate<CsvBatch> gate, PredictionService predictions)
    {
        if (gate.Check(context, csv) is { } rejected)
        {
            return rejected;
        }
        predictions.RecordParse(context);
        predictions.RecordBatchSize(csv.Rows);
        if (WantsNdjson(context.Request))
        {
            return new NdjsonResult(csv, predictions, StreamChunkRows);
        }
        var scored = predictions.Score(csv.Values);
        if (PredictionService.FirstNonFiniteRow(scored) is { } bad)
        {
            return NonFinite(CsvBatch.Field(bad + 1, null));
        }
        return predictions.ToJsonResult(scored, csv.Ids);
    }

    private static float[] ToModelOrder(IReadOnlyList<FeatureRow> instances, ModelProvider model)
    {
        var features = model.Scorer.FeatureCount;
        var rows = new float[instances.Count * features];
        for (var i = 0; i < instances.Count; i++)
        {
            var target = rows.AsSpan(i * features, features);
            if (instances[i].Ordered is { } ordered)
            {
                ordered.CopyTo(target);
            }
            else
            {
                ToModelOrder(instances[i].Named!, model, target);
            }
        }
        return rows;
    }

    private static float[] ToModelOrder(IEnumerable<KeyValuePair<string, float>> values, ModelProvider model)
    {
        var row = new float[model.Scorer.FeatureCount];
        ToModelOrder(values, model, row);
        return row;
    }

    // The validator has checked that every feature is named exactly once.
    private static void ToModelOrder(IEnumerable<KeyValuePair<string, float>> values, ModelProvider model, Span<float> row)
    {
        foreach (var (name, value) in values)
        {
            row[model.FeatureIndex[name]] = value;
        }
    }

    private static bool WantsNdjson(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(static accept =>
            accept.MediaType.Equals(NdjsonResult.ContentType, StringComparison.OrdinalIgnoreCase) && accept.Quality is not 0);

    private static ValidationProblem NonFinite(string field) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]>
        {
            [field] = ["scores to a non-finite RMSE: its values lie too far outside the training range for float32 arithmetic"],
        },
        title: "The request is invalid.");
}
