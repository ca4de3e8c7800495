using System.Buffers;
using System.Text.Json;
using System.Diagnostics;
using System.Reflection;
using AnomalyApi.Contracts;
using AnomalyApi.Scoring;
using Microsoft.AspNetCore.Http.Metadata;

namespace AnomalyApi.Http;

/// <summary>
/// A 200 with one row's <see cref="PredictionResult"/> body, written straight from the scores by
/// <see cref="PredictionJsonWriter"/>, as <see cref="BatchJsonResult"/> writes a batch: for a single row the record,
/// its arrays and the serializer's float formatting cost about as much as the scoring. Swagger still sees
/// <see cref="PredictionResult"/> (<see cref="PopulateMetadata"/>).
/// </summary>
public sealed class PredictionJsonResult(LabelledBatch batch, int row, PredictionService predictions) : IResult, IEndpointMetadataProvider
{
    public LabelledBatch Batch => batch;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var start = Stopwatch.GetTimestamp();
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = BatchJsonResult.ContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, PredictionJsonWriter.WriterOptions))
        {
            PredictionJsonWriter.WriteResult(writer, batch, row, predictions.EncodedFeatureNames, predictions.TopFeatures);
        }
        predictions.RecordRespond(start);
    }

    /// <summary>The body into <paramref name="output"/> (what the benchmarks and tests read).</summary>
    public void Write(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, PredictionJsonWriter.WriterOptions);
        PredictionJsonWriter.WriteResult(writer, batch, row, predictions.EncodedFeatureNames, predictions.TopFeatures);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(PredictionResult), ["application/json"]));
}
