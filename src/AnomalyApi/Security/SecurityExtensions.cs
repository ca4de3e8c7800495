using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Security;

public static class SecurityExtensions
{
    /// <summary>API keys (Auth:*), the authorization rule every request meets, rate limiting, request limits, Kestrel's limits.</summary>
    public static WebApplicationBuilder AddAnomalyApiSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.ApiKeys.Concat(o.AdminKeys).All(k => k is { Length: >= AuthOptions.MinKeyLength } && k.Trim() == k),
                $"Auth:ApiKeys and Auth:AdminKeys entries must be at least {AuthOptions.MinKeyLength} characters, without surrounding spaces")
            .ValidateOnStart();
        services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .Validate(o => o.PermitLimit >= 1, "RateLimiting:PermitLimit must be 1 or more")
            .Validate(o => o.WindowSeconds is > 0 and <= 86_400, "RateLimiting:WindowSeconds must be more than 0 and at most 86400")
            .Validate(o => o.QueueLimit >= 0, "RateLimiting:QueueLimit must be 0 or more")
            .ValidateOnStart();
        services.AddOptions<LimitsOptions>()
            .BindConfiguration(LimitsOptions.SectionName)
            .Validate(o => o.JsonMaxDepth is >= 3 and <= 256, "Limits:JsonMaxDepth must be between 3 and 256 (a request nests 3 deep)")
            .Validate(o => o.MaxCsvLineBytes >= 256, "Limits:MaxCsvLineBytes must be at least 256")
            .ValidateOnStart();

        // X-API-Key, compared in constant time against hashes of the configured keys.
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<AuthStartupReport>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        // One rule for every endpoint, default and fallback alike, so no route can be mapped without it (an
        // admin route that forgets RequireAuthorization is still closed); open endpoints say AllowAnonymous.
        var policy = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
            .AddRequirements(new ApiKeyRequirement())
            .Build();
        services.AddAuthorizationBuilder().SetDefaultPolicy(policy).SetFallbackPolicy(policy);
        services.AddSingleton<IAuthorizationHandler, ApiKeyRequirementHandler>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<RateLimitingOptions>>((limiter, settings) => RateLimiting.Configure(limiter, settings.Value));

        // Kestrel's standard section (Kestrel:Limits:RequestHeadersTimeout, KeepAliveTimeout, MaxRequestBodySize, …),
        // bound explicitly so the limits apply however the host was built; and no Server header, whatever it says.
        services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        services.PostConfigure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>
    /// Authentication, the rate limiter and authorization, in that order, each run only where it can change the
    /// answer. The limiter is bypassed entirely while RateLimiting:Enabled is false. While Auth:ApiKeys is empty, a
    /// request without an X-API-Key header to a route outside /admin would come out of both auth steps anonymous
    /// and allowed, so it bypasses them: together they cost more than scoring a row.
    /// </summary>
    public static WebApplication UseAnomalyApiSecurity(this WebApplication app)
    {
        app.UseBypassable(services => services.GetRequiredService<ApiKeyStore>().ApiOpen ? CannotNeedAuth : null,
            static branch => branch.UseAuthentication());
        app.UseBypassable(services => services.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Enabled ? null : Always,
            static branch => branch.UseRateLimiter());
        app.UseBypassable(services => services.GetRequiredService<ApiKeyStore>().ApiOpen ? CannotNeedAuth : null,
            static branch => branch.UseAuthorization());
        return app;
    }

    private static readonly Func<HttpContext, bool> Always = static _ => true;

    // No key presented (one that is still goes the whole way: checked, a wrong one logged, a right one naming the
    // caller's rate-limit partition), not /admin, and no authorization metadata of the endpoint's own (the endpoint
    // middleware refuses to run those without the authorization middleware).
    private static bool CannotNeedAuth(HttpContext context) =>
        !context.Request.Headers.ContainsKey(AuthOptions.HeaderName)
        && !ApiKeyRequirementHandler.IsAdmin(context)
        && context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null;

    /// <summary>
    /// Adds <paramref name="add"/>'s middleware to the main pipeline (so the framework sees UseAuthentication and
    /// UseAuthorization were called and adds no copies of its own, as it would for a UseWhen branch), with a jump
    /// past it for requests <paramref name="bypass"/> picks. The settings it depends on are read when the pipeline
    /// is built, after RunAnomalyApiAsync has validated them: null runs it for every request,
    /// <see cref="Always"/> leaves it out.
    /// </summary>
    private static void UseBypassable(this WebApplication app, Func<IServiceProvider, Func<HttpContext, bool>?> bypass,
        Action<WebApplication> add)
    {
        RequestDelegate? after = null;
        app.Use(next =>
        {
            // The pipeline is built from its end, so the middleware after this block is known by now.
            var skip = bypass(app.Services);
            var past = after!;
            return skip switch
            {
                null => next,
                _ when skip == Always => past,
                _ => context => skip(context) ? past(context) : next(context),
            };
        });
        add(app);
        app.Use(next => after = next);
    }
}
