using AnomalyApi.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AnomalyApi.OpenApi;

/// <summary>
/// Marks every operation that meets the API-key rule (all but AllowAnonymous ones) with the X-API-Key scheme, so
/// Swagger UI's "Authorize" sends the key with "Try it out", and lists the 401 such an operation can answer.
/// </summary>
internal sealed class ApiKeySecurityFilter : IOperationFilter
{
    public const string SchemeId = "ApiKey";

    public static OpenApiSecurityScheme Scheme => new()
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = AuthOptions.HeaderName,
        Description = "A key from Auth:ApiKeys (the API, when any are configured) or Auth:AdminKeys (/admin/*, always).",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = $"The {AuthOptions.HeaderName} header is missing or holds no valid key." });
    }
}
