using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using AnomalyApi.Contracts;
using AnomalyApi.Hosting;
using AnomalyApi.Observability;
using AnomalyApi.Scoring;
using Microsoft.AspNetCore.Http.Metadata;

namespace AnomalyApi.Http;

/// <summary>
/// Streams /predict/csv results as NDJSON: rows are scored in chunks and each chunk's lines are flushed before
/// the next is scored. Every cell was validated before this result was chosen, so no client mistake can surface
/// after the 200 has gone out; an unexpected failure mid-stream aborts the connection, so a client sees a broken
/// stream rather than a short one that looks complete.
/// </summary>
public sealed class NdjsonResult(CsvBatch batch, PredictionService predictions, int chunkRows) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "application/x-ndjson";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;

        var features = batch.Values.Length / batch.Rows;
        var names = predictions.EncodedFeatureNames;
        var topFeatures = predictions.TopFeatures;
        var written = 0;
        var responding = 0.0;
        try
        {
            // The same line as serializing a PredictionResult, written straight from the scores.
            await using var writer = new Utf8JsonWriter(response.BodyWriter, PredictionJsonWriter.WriterOptions);
            for (var start = 0; start < batch.Rows; start += chunkRows)
            {
                var rows = Math.Min(chunkRows, batch.Rows - start);
                var scored = predictions.Score(batch.Values.AsSpan(start * features, rows * features));
                if (PredictionService.FirstNonFiniteRow(scored) is { } bad)
                {
                    // Only values far beyond float32 arithmetic get here, and only with clip off; the 200 has gone out.
                    throw new InvalidOperationException($"csv row {start + bad + 1} scored to a non-finite RMSE");
                }

                var respondStart = Stopwatch.GetTimestamp();
                for (var row = 0; row < rows; row++)
                {
                    PredictionJsonWriter.WriteResult(writer, scored, row, names, topFeatures, batch.Ids[start + row]);
                    writer.Flush();
                    writer.Reset();
                    response.BodyWriter.Write("\n"u8);
                }
                await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
                await InlineIo.LeaveSocketThreadAsync();   // a flush that waited resumes on a socket thread (InlineIo)
                written += rows;
                responding += Stopwatch.GetElapsedTime(respondStart).TotalSeconds;
            }
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to tell it.
        }
        catch (Exception ex)
        {
            var logger = httpContext.RequestServices.GetRequiredService<ILogger<NdjsonResult>>();
            Log.StreamAborted(logger, httpContext.Request.Path, written, ex);
            httpContext.Abort();
        }
        predictions.RecordRespond(responding);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(PredictionResult), [ContentType]));
}
