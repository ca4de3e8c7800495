using Microsoft.AspNetCore.Http.HttpResults;

namespace AnomalyApi.Model;

/// <summary>
/// Answers 503 on the model's endpoints while no model is ready (before start-up finished, or during a reload).
/// The scoring endpoints give the same answer through <see cref="Validation.RequestGate{TRequest}"/>.
/// </summary>
public sealed class ModelReadyFilter(ModelProvider model) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        model.IsReady ? await next(context) : NotReady();

    /// <summary>The 503 answered while no model is ready.</summary>
    public static ProblemHttpResult NotReady() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "The model is not ready.",
        detail: "The service is still loading its model; retry shortly (GET /health/ready says when).");
}

public static class ModelReadyFilterExtensions
{
    public static TBuilder RequireModel<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, ModelReadyFilter>();
}
