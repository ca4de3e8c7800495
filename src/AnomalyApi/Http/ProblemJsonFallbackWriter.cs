using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Http;

/// <summary>
/// Writes a problem whatever the request's Accept header says. The framework's writer declines when Accept names
/// no JSON type (a /predict/csv client asking for application/x-ndjson, say); then status pages fell back to a
/// text/plain body and IProblemDetailsService.WriteAsync threw. Registered after the framework's writer, so it
/// answers only those requests: every error body stays application/problem+json.
/// </summary>
internal sealed class ProblemJsonFallbackWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions)
    : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        // What the framework's writer fills in: status, a title for it, the trace id.
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);

        http.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(http.Response.Body, problem, problem.GetType(), jsonOptions.Value.SerializerOptions, http.RequestAborted);
    }
}
