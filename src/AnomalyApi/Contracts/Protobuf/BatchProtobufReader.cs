using System.Buffers;
using AnomalyApi.Contracts.Json;
using AnomalyApi.Http;
using Google.Protobuf;
using Microsoft.Net.Http.Headers;

namespace AnomalyApi.Contracts.Protobuf;

/// <summary>
/// Reads a /predict/batch <see cref="BatchRequest"/> into a <see cref="FeatureMatrix"/>, checking what the JSON
/// path's reader and validator check (rows of the model's width, 1..Scoring:MaxBatchSize of them, finite values)
/// and naming the message's fields in the problems.
/// </summary>
public static class BatchProtobufReader
{
    /// <summary>Media types read as a <see cref="BatchRequest"/>; the first is what responses are sent as.</summary>
    public static readonly string[] ContentTypes = ["application/x-protobuf", "application/protobuf"];

    // Non-finite values listed one by one; past this the message says how many more there are.
    private const int MaxValuesReported = 20;

    // Parsed as CsvBatch parses its media type, so parameters and case are treated alike on every route.
    public static bool IsProtobuf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && ContentTypes.Any(type => mediaType.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The rows, or the problem with them.</summary>
    /// <param name="features">The request's model's features, in order.</param>
    /// <param name="maxRows">Scoring:MaxBatchSize: more rows is a 413.</param>
    public static (FeatureMatrix? Matrix, RequestProblem? Problem) Read(ReadOnlySpan<byte> body, IReadOnlyList<string> features, int maxRows)
    {
        BatchRequest request;
        try
        {
            request = BatchRequest.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return (null, RequestProblem.BadRequest(JsonPaths.Body, $"is not a BatchRequest protocol buffer message: {ex.Message}"));
        }

        var width = features.Count;
        if (request.FeatureCount != width)
        {
            return (null, RequestProblem.BadRequest("feature_count", request.FeatureCount == 0
                ? $"is missing; set it to the model's feature count, {width}"
                : $"is {request.FeatureCount}, but the model reads {width} features (GET /model lists them)"));
        }
        var values = request.Values;
        if (values.Count == 0)
        {
            return (null, RequestProblem.BadRequest("values", "must contain at least one row"));
        }
        if (values.Count % width != 0)
        {
            return (null, RequestProblem.BadRequest("values",
                $"has {values.Count} values, which is not a whole number of rows of {width}"));
        }
        var rows = values.Count / width;
        if (rows > maxRows)
        {
            return (null, RequestProblem.TooLarge("values", $"has {rows} rows, but at most {maxRows} are accepted (Scoring:MaxBatchSize)"));
        }
        // Checked in the pooled copy: through RepeatedField's indexer, one interface call a value, the check cost
        // more than the copy.
        var buffer = ArrayPool<float>.Shared.Rent(values.Count);
        values.CopyTo(buffer, 0);
        if (NonFinite(buffer.AsSpan(0, values.Count), features) is { } problem)
        {
            ArrayPool<float>.Shared.Return(buffer);
            return (null, problem);
        }
        return (new FeatureMatrix(buffer, rows, width), null);
    }

    private static RequestProblem? NonFinite(ReadOnlySpan<float> values, IReadOnlyList<string> features)
    {
        Dictionary<string, string[]>? errors = null;
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i]))
            {
                continue;
            }
            if (++count <= MaxValuesReported)
            {
                errors ??= [];
                errors[$"values[{i}]"] = [$"is {values[i]} (row {i / features.Count}, {features[i % features.Count]}); every value must be finite"];
            }
        }
        if (errors is null)
        {
            return null;
        }
        if (count > MaxValuesReported)
        {
            errors["values"] = [$"has {count} non-finite values; the first {MaxValuesReported} are listed"];
        }
        return new RequestProblem(StatusCodes.Status400BadRequest, "The request is invalid.", errors);
    }
}
