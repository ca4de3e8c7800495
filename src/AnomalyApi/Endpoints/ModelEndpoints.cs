using AnomalyApi.Contracts;
using AnomalyApi.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnomalyApi.Endpoints;

/// <summary>GET /model: what is being served.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/model")
            .WithTags("Model")
            .RequireModel()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("", GetModel)
            .WithName("GetModel")
            .WithSummary("Describe the loaded model: features in order, threshold, normalization clip, ONNX names, sha256, last reload error");

        return group;
    }

    public static Results<Ok<ModelInfoResponse>, ProblemHttpResult> GetModel(ModelProvider model)
    {
        var scorer = model.Scorer;
        var config = scorer.Config;
        return TypedResults.Ok(new ModelInfoResponse(
            config.ModelName,
            config.ModelVersion,
            config.Features,
            config.FeatureCount,
            config.Threshold,
            config.Normalization.Clip,
            config.InputName,
            config.OutputName,
            scorer.Info.Opset,
            scorer.Info.Sha256,
            scorer.Info.LoadedAt,
            model.LastReloadError is { } error ? new ModelReloadErrorResponse(error.Message, error.At, error.Trigger) : null));
    }
}
