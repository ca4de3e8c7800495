using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing.Patterns;

namespace AnomalyApi.Security;

/// <summary>
/// The one rule every request passes through (the default and fallback authorization policy): /admin/* needs a
/// key with admin access, always; the rest of the API needs any known key while Auth:ApiKeys has some. Endpoints
/// that must stay open (health, metrics) say so with AllowAnonymous; Swagger runs before authorization.
/// </summary>
public sealed class ApiKeyRequirement : IAuthorizationRequirement;

public sealed class ApiKeyRequirementHandler(ApiKeyStore keys) : AuthorizationHandler<ApiKeyRequirement>
{
    private static readonly PathString Admin = new("/admin");

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiKeyRequirement requirement)
    {
        var allowed = context.Resource is HttpContext http && IsAdmin(http)
            ? context.User.HasClaim(ApiKeyAuthenticationHandler.AccessClaim, ApiKeyAuthenticationHandler.AdminAccess)
            : keys.ApiOpen || context.User.Identity?.IsAuthenticated == true;
        if (allowed)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// By path (so an unmapped /admin/x is a 401, not a 404 that maps the admin surface) or by the matched route's
    /// pattern (so however an admin route is mapped, and whatever a path base did to the path, it is covered).
    /// </summary>
    public static bool IsAdmin(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(Admin, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return context.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern } && IsAdmin(pattern);
    }

    private static bool IsAdmin(RoutePattern pattern) =>
        pattern.PathSegments.Count > 0
        && pattern.PathSegments[0].IsSimple
        && pattern.PathSegments[0].Parts[0] is RoutePatternLiteralPart { Content: var first }
        && first.Equals("admin", StringComparison.OrdinalIgnoreCase);
}
