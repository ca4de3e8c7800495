using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using AnomalyApi.Contracts;
using AnomalyApi.Hosting;
using AnomalyApi.Scoring;
using Microsoft.AspNetCore.Http.Metadata;

namespace AnomalyApi.Http;

/// <summary>
/// A 200 with a <see cref="BatchPredictionResponse"/> body, written straight from the scores by
/// <see cref="PredictionJsonWriter"/>: for a batch, building a record per row and serializing it cost several times
/// the scoring. Swagger still sees <see cref="BatchPredictionResponse"/> (<see cref="PopulateMetadata"/>).
/// </summary>
public sealed class BatchJsonResult(LabelledBatch batch, IReadOnlyList<string> features, int topFeatures,
    IReadOnlyList<string?>? ids, PredictionService predictions) : IResult, IEndpointMetadataProvider
{
    /// <summary>What TypedResults.Ok writes JSON with.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    // Rows written between flushes to the client, so a large batch does not pile up in the response buffer.
    private const int FlushRows = 256;

    public LabelledBatch Batch => batch;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        var start = Stopwatch.GetTimestamp();
        var responding = 0.0;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, PredictionJsonWriter.WriterOptions))
        {
            PredictionJsonWriter.WriteBatchStart(writer);
            for (var first = 0; first < batch.Rows; first += FlushRows)
            {
                WriteRows(writer, first, Math.Min(FlushRows, batch.Rows - first));
                if (first + FlushRows < batch.Rows)
                {
                    writer.Flush();
                    responding += Stopwatch.GetElapsedTime(start).TotalSeconds;
                    await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
                    // A flush that waited for the client resumes on the socket thread that sent (InlineIo).
                    await InlineIo.LeaveSocketThreadAsync();
                    start = Stopwatch.GetTimestamp();
                }
            }
            PredictionJsonWriter.WriteBatchEnd(writer, batch.AnomalyCount);
            writer.Flush();
        }
        predictions.RecordRespond(responding + Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>The whole body into <paramref name="output"/> (what the benchmarks and tests read).</summary>
    public void Write(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, PredictionJsonWriter.WriterOptions);
        PredictionJsonWriter.WriteBatchStart(writer);
        WriteRows(writer, 0, batch.Rows);
        PredictionJsonWriter.WriteBatchEnd(writer, batch.AnomalyCount);
    }

    private void WriteRows(Utf8JsonWriter writer, int first, int count)
    {
        var names = PredictionJsonWriter.Encode(features);
        for (var row = first; row < first + count; row++)
        {
            PredictionJsonWriter.WriteResult(writer, batch, row, names, topFeatures, ids?[row]);
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(BatchPredictionResponse), ["application/json"]));
}
