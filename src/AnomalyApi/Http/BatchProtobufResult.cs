using System.Diagnostics;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Scoring;
using Google.Protobuf;
using TopFeature = AnomalyApi.Contracts.Protobuf.TopFeature;

namespace AnomalyApi.Http;

/// <summary>A 200 with a protocol buffers <see cref="BatchResponse"/>: /predict/batch's answer to a BatchRequest.</summary>
public sealed class BatchProtobufResult(LabelledBatch batch, IReadOnlyList<string> features, int topFeatures,
    PredictionService predictions) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var start = Stopwatch.GetTimestamp();
        var message = ToMessage();
        var size = message.CalculateSize();
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = BatchProtobufReader.ContentTypes[0];
        response.ContentLength = size;
        // Into one span of the exact size: writing the message to the response's IBufferWriter failed on Kestrel
        // ("Invalid ordering of calling StartAsync or CompleteAsync and Advance") where TestServer's writer took it.
        var body = response.BodyWriter;
        message.WriteTo(body.GetSpan(size)[..size]);
        body.Advance(size);
        predictions.RecordRespond(start);
        await body.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>The same fields and values as the JSON response.</summary>
    public BatchResponse ToMessage()
    {
        var message = new BatchResponse { AnomalyCount = (uint)batch.AnomalyCount };
        var scores = batch.Scores;
        var topCount = Math.Clamp(topFeatures, 0, scores.FeatureCount);
        Span<int> top = topCount <= 256 ? stackalloc int[topCount] : new int[topCount];
        for (var row = 0; row < batch.Rows; row++)
        {
            var prediction = new Prediction
            {
                Rmse = scores.Rmse[row],
                IsAnomaly = batch.IsAnomaly[row],
                Threshold = scores.Threshold,
                Reconstruction = { scores.ReconstructionRow(row).ToArray() },
            };
            if (batch.AdaptiveThreshold[row] is { } adaptive)
            {
                prediction.AdaptiveThreshold = adaptive;
            }
            var errors = scores.SquaredErrorRow(row);
            var count = PredictionJsonWriter.SelectTop(errors, top);
            foreach (var feature in top[..count])
            {
                prediction.TopFeatures.Add(new TopFeature { Name = features[feature], Error = errors[feature] });
            }
            message.Results.Add(prediction);
        }
        return message;
    }
}
