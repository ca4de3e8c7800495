namespace AnomalyApi.Model;

/// <summary>
/// Gives every request a lease on the model served when it arrived, held until its response is written (a
/// streamed NDJSON body included). Binding, validation, scoring and the response all see that one model, so a
/// reload in the middle of a request changes nothing for it, and the model's ONNX session outlives it.
/// </summary>
public sealed class ModelLeaseMiddleware(RequestDelegate next, ModelProvider model)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!model.IsReady)
        {
            // Before the start-up load finished: the model's endpoints answer 503 (ModelReadyFilter, RequestGate).
            await next(context);
            return;
        }
        using var lease = model.Acquire();
        await next(context);
    }
}

public static class ModelLeaseMiddlewareExtensions
{
    /// <summary>Pins each request to one model (see <see cref="ModelLeaseMiddleware"/>); before the endpoints run.</summary>
    public static IApplicationBuilder UseModelLeases(this IApplicationBuilder app) => app.UseMiddleware<ModelLeaseMiddleware>();
}
