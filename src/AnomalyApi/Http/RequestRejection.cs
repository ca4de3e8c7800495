namespace AnomalyApi.Http;

/// <summary>
/// The answer to a request turned away before scoring (<see cref="Validation.RequestGate{TRequest}"/>): a 400
/// validation problem, or a 413, 415 or 503 problem. A result type of its own so that every scoring handler can
/// return it inside its <c>Results&lt;…&gt;</c> union, whichever of those answers it carries.
/// </summary>
public sealed class RequestRejection(IResult answer, int statusCode) : IResult, IStatusCodeHttpResult
{
    public int StatusCode => statusCode;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    /// <summary>What is written: a <c>ValidationProblem</c> for 400, a <c>ProblemHttpResult</c> otherwise.</summary>
    public IResult Answer => answer;

    public Task ExecuteAsync(HttpContext httpContext) => answer.ExecuteAsync(httpContext);
}
