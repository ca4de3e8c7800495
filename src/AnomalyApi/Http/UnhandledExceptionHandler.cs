using System.Diagnostics;
using AnomalyApi.Observability;
using Microsoft.AspNetCore.Diagnostics;

namespace AnomalyApi.Http;

/// <summary>
/// The last line of defence: whatever escapes an endpoint becomes a 500 problem with no stack trace, logged once
/// here. A <see cref="BadHttpRequestException"/> (a malformed request the server itself rejected) keeps its 4xx.
/// </summary>
public sealed class UnhandledExceptionHandler(IProblemDetailsService problemDetails, ILogger<UnhandledExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title;
        if (exception is BadHttpRequestException badRequest)
        {
            status = badRequest.StatusCode;
            title = "The request is invalid.";
        }
        else
        {
            // What ASP.NET Core's problem details writer puts in the body's traceId.
            var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
            Log.UnhandledException(logger, httpContext.Request.Method, httpContext.Request.Path, traceId, exception);
            status = StatusCodes.Status500InternalServerError;
            title = "An unexpected error occurred.";
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = status < 500 ? exception.Message : "The error has been logged; the request may be retried.",
            },
        });
    }
}
