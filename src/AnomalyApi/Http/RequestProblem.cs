using Microsoft.AspNetCore.Http.HttpResults;

namespace AnomalyApi.Http;

/// <summary>
/// A client mistake found while reading a request (wrong content type, oversized or malformed body, bad CSV cell)
/// or validating it: a status and an <c>errors</c> map from field path to messages, answered as RFC 9457 problem details.
/// </summary>
public sealed record RequestProblem(int StatusCode, string Title, IDictionary<string, string[]> Errors)
{
    public static RequestProblem BadRequest(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "The request is invalid.", Single(field, message));

    public static RequestProblem TooLarge(string field, string message) =>
        new(StatusCodes.Status413PayloadTooLarge, "The request is too large.", Single(field, message));

    public static RequestProblem UnsupportedMediaType(string? contentType, string expected) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
            Single("Content-Type", string.IsNullOrEmpty(contentType)
                ? $"is missing; this endpoint reads {expected}"
                : $"is '{contentType}'; this endpoint reads {expected}"));

    /// <summary>400 as <see cref="ValidationProblem"/>; other statuses as a problem with the same errors map.</summary>
    public IResult ToResult() => StatusCode == StatusCodes.Status400BadRequest
        ? TypedResults.ValidationProblem(Errors, title: Title)
        : TypedResults.Problem(new HttpValidationProblemDetails(Errors) { Status = StatusCode, Title = Title });

    private static Dictionary<string, string[]> Single(string field, string message) => new() { [field] = [message] };
}

/// <summary>
/// A request type that binds itself from the body (<see cref="IBindableFromHttpContext{TSelf}"/>) and carries any
/// problem found while reading it, so the validation filter answers it like any other invalid request.
/// </summary>
public interface IBoundRequest
{
    RequestProblem? BindingProblem { get; }
}
