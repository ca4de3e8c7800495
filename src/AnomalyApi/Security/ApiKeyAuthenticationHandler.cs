using System.Security.Claims;
using System.Text.Encodings.Web;
using AnomalyApi.Observability;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Security;

/// <summary>
/// The X-API-Key scheme: a known key becomes a user named after the key's place in configuration (never the key
/// itself), with an access claim saying whether it opens /admin/*. No header is no user; a wrong key is a
/// failure. The 401 and 403 are problem details naming the header, like every other client mistake.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Claim type of the access a key grants: <see cref="ApiAccess"/> or <see cref="AdminAccess"/>.</summary>
    public const string AccessClaim = "anomaly:access";
    public const string ApiAccess = "api";
    public const string AdminAccess = "admin";

    private readonly ILogger _log = loggerFactory.CreateLogger("AnomalyApi.Security");

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(AuthOptions.HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        // Several X-API-Key headers are a client bug, not a choice of keys.
        if (values.Count != 1 || keys.Find(values[0]!) is not { } key)
        {
            Log.ApiKeyRejected(_log, Request.Method, Request.Path, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Task.FromResult(AuthenticateResult.Fail("The X-API-Key header does not hold a valid key."));
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(AccessClaim, key.IsAdmin ? AdminAccess : ApiAccess)],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.ContainsKey(AuthOptions.HeaderName);
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{AuthOptions.HeaderName}\"";
        await WriteAsync(StatusCodes.Status401Unauthorized, "An API key is required.",
            presented ? "is not a valid key" : $"is missing; send a key in the {AuthOptions.HeaderName} header");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(StatusCodes.Status403Forbidden, "The API key does not grant this.",
            "does not open /admin; use one of Auth:AdminKeys");

    private async Task WriteAsync(int status, string title, string message)
    {
        Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [AuthOptions.HeaderName] = [message] })
            {
                Status = status,
                Title = title,
            },
        });
    }
}
