using AnomalyApi.Contracts;
using AnomalyApi.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnomalyApi.Endpoints;

/// <summary>/admin/*: operations on the running service. Every route here needs an admin key (see Security/).</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin")
            .WithTags("Admin")
            .RequireModel()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/model/reload", ReloadModel)
            .WithName("ReloadModel")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Load the model files again and serve them if they pass every check")
            .WithDescription("Loads the files beside the served model, validates them (config rules, the ONNX file against the " +
                "config, a warm-up run) and only then swaps. 200 names the model now served (`unchanged` when the files hold it " +
                "already); 409 means the files are not a servable model: the previous model still serves, and GET /model shows the " +
                "error as `lastReloadError`.");

        return group;
    }

    /// <summary>
    /// 409, not 4xx-for-the-request or 5xx: the request is fine and the service is healthy; what conflicts is the state
    /// of the model files, which the operator fixes before asking again.
    /// </summary>
    public static async Task<Results<Ok<ModelReloadResponse>, ProblemHttpResult>> ReloadModel(
        ModelProvider model, CancellationToken cancellationToken)
    {
        var result = await model.ReloadAsync(ModelReloadTriggers.Admin, cancellationToken);
        var served = result.Served;
        var config = served.Scorer.Config;
        if (result.Outcome == ModelReloadOutcome.Failed)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The model files cannot be served; the previous model is still serving.",
                detail: result.Error,
                extensions: new Dictionary<string, object?>
                {
                    ["servedVersion"] = config.ModelVersion,
                    ["servedSha256"] = served.Sha256,
                });
        }
        return TypedResults.Ok(new ModelReloadResponse(
            result.Outcome == ModelReloadOutcome.Reloaded ? "reloaded" : "unchanged",
            config.ModelName,
            config.ModelVersion,
            served.Sha256,
            served.Scorer.Info.LoadedAt));
    }
}
