using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Protobuf;
using Microsoft.AspNetCore.Mvc;

namespace AnomalyApi.Http;

internal static class ProblemDetailsDefaults
{
    /// <summary>
    /// Routing answers a wrong Content-Type with a bare 415 before any endpoint code runs (the endpoints declare
    /// what they accept); give it the same <c>errors</c> map as every other client mistake.
    /// </summary>
    public static void AddContentTypeError(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status != StatusCodes.Status415UnsupportedMediaType
            || context.ProblemDetails is HttpValidationProblemDetails
            || context.ProblemDetails.Extensions.ContainsKey("errors"))
        {
            return;
        }
        var request = context.HttpContext.Request;
        var path = request.Path.Value ?? "";
        var expected = path.EndsWith("/csv", StringComparison.OrdinalIgnoreCase) ? CsvBatch.ContentType
            : path.EndsWith("/batch", StringComparison.OrdinalIgnoreCase) ? $"application/json or {BatchProtobufReader.ContentTypes[0]}"
            : "application/json";
        var problem = RequestProblem.UnsupportedMediaType(request.ContentType, expected);
        context.ProblemDetails.Title = problem.Title;
        context.ProblemDetails.Extensions["errors"] = problem.Errors;
    }
}
