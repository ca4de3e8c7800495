using System.Buffers;
using System.Diagnostics;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Scoring;

namespace AnomalyApi.Http;

/// <summary>A 200 with a protocol buffers <see cref="BatchResponse"/>: /predict/batch's answer to a BatchRequest.</summary>
public sealed class BatchProtobufResult(LabelledBatch batch, IReadOnlyList<string> features, int topFeatures,
    PredictionService predictions) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var start = Stopwatch.GetTimestamp();
        var (buffer, length) = BatchProtobufWriter.Write(batch, features, topFeatures);
        try
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = BatchProtobufReader.ContentTypes[0];
            response.ContentLength = length;
            response.BodyWriter.Write(buffer.AsSpan(0, length));
            predictions.RecordRespond(start);
            await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
