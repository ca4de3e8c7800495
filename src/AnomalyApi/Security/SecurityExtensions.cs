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
}
