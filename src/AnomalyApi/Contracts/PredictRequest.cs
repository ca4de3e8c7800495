using System.Reflection;
using System.Text.Json.Serialization;
using AnomalyApi.Contracts.Json;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.Scoring;
using AnomalyApi.Security;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Contracts;

/// <summary>
/// POST /predict: one row of raw (un-normalized) values, either as <c>features</c> in the model's order (with an
/// optional <c>featureNames</c> stating that order) or as a <c>values</c> map naming every feature once.
/// </summary>
/// <param name="Features">The values in the model's feature order.</param>
/// <param name="Values">The values by feature name, every model feature exactly once.</param>
/// <param name="FeatureNames">With <c>features</c>: the order the caller used; it must be the model's.</param>
public sealed record PredictRequest(float[]? Features, Dictionary<string, float>? Values, string[]? FeatureNames)
    : IBindableFromHttpContext<PredictRequest>, IBoundRequest
{
    [JsonIgnore]
    public RequestProblem? BindingProblem { get; private init; }

    public static async ValueTask<PredictRequest?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var (value, problem) = await RequestBody.ReadJsonAsync(context, RequestJson.PredictRequest, ReadFast);
        return value ?? new PredictRequest(null, null, null) { BindingProblem = problem };
    }

    private static PredictRequest? ReadFast(ReadOnlyMemory<byte> body, HttpContext context)
    {
        var services = context.RequestServices;
        var model = services.GetRequiredService<ModelProvider>();
        if (!model.IsReady)
        {
            return null;
        }
        var row = PredictRowReader.TryRead(body.Span, model.Scorer.FeatureCount,
            services.GetRequiredService<IOptions<LimitsOptions>>().Value.JsonMaxDepth);
        return row is null ? null : new PredictRequest(row, null, null);
    }
}

/// <summary>POST /predict/batch: rows as arrays in the model's order, or as objects naming each feature.</summary>
/// <param name="Instances">The rows to score together.</param>
public sealed record BatchPredictRequest(IReadOnlyList<FeatureRow>? Instances)
    : IBindableFromHttpContext<BatchPredictRequest>, IBoundRequest
{
    [JsonIgnore]
    public RequestProblem? BindingProblem { get; private init; }

    /// <summary>
    /// The rows, when the body took the fast path (then <see cref="Instances"/> is null): read straight into one
    /// pooled buffer by <see cref="BatchRowsReader"/>, so already known to be valid for the request's model (the
    /// validator skips it). Returned to the pool with the response.
    /// </summary>
    [JsonIgnore]
    public FeatureMatrix? Matrix { get; init; }

    /// <summary>The body was a protocol buffers BatchRequest, so the response is a BatchResponse.</summary>
    [JsonIgnore]
    public bool IsProtobuf { get; private init; }

    public static async ValueTask<BatchPredictRequest?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (BatchProtobufReader.IsProtobuf(context.Request.ContentType))
        {
            return await ReadProtobufAsync(context);
        }
        var (value, problem) = await RequestBody.ReadJsonAsync(context, RequestJson.BatchPredictRequest, ReadFast,
            $"application/json or {BatchProtobufReader.ContentTypes[0]}");
        return value ?? Failed(problem);
    }

    private static async ValueTask<BatchPredictRequest> ReadProtobufAsync(HttpContext context)
    {
        ParseTiming.Start(context);
        var services = context.RequestServices;
        var model = services.GetRequiredService<ModelProvider>();
        if (!model.IsReady)
        {
            return Failed(null);    // the handler's RequestGate answers 503 before anything reads this
        }
        var (owner, problem) = await RequestBody.ReadBytesAsync(context);
        if (owner is null)
        {
            return Failed(problem);
        }
        using var body = owner;
        var (matrix, invalid) = BatchProtobufReader.Read(body.WrittenSpan, model.Scorer.Config.Features,
            services.GetRequiredService<IOptions<ScoringOptions>>().Value.MaxBatchSize);
        if (matrix is null)
        {
            return Failed(invalid);
        }
        context.Response.RegisterForDispose(matrix);
        return new BatchPredictRequest((IReadOnlyList<FeatureRow>?)null) { Matrix = matrix, IsProtobuf = true };
    }

    private static BatchPredictRequest Failed(RequestProblem? problem) =>
        new((IReadOnlyList<FeatureRow>?)null) { BindingProblem = problem };

    private static BatchPredictRequest? ReadFast(ReadOnlyMemory<byte> body, HttpContext context)
    {
        var services = context.RequestServices;
        var model = services.GetRequiredService<ModelProvider>();
        if (!model.IsReady)
        {
            return null;
        }
        var matrix = BatchRowsReader.TryRead(body.Span, model.Scorer.Config.Features,
            services.GetRequiredService<IOptions<ScoringOptions>>().Value.MaxBatchSize,
            services.GetRequiredService<IOptions<LimitsOptions>>().Value.JsonMaxDepth);
        if (matrix is null)
        {
            return null;
        }
        context.Response.RegisterForDispose(matrix);
        return new BatchPredictRequest((IReadOnlyList<FeatureRow>?)null) { Matrix = matrix };
    }
}
