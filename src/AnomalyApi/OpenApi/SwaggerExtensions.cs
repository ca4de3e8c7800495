using AnomalyApi.Contracts;
using Microsoft.OpenApi;

namespace AnomalyApi.OpenApi;

/// <summary>Swagger document and UI: examples from the loaded model, servers that follow the proxy's path prefix.</summary>
public static class SwaggerExtensions
{
    public const string EnabledKey = "Swagger:Enabled";

    public static IServiceCollection AddAnomalySwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "AnomalyApi",
                Version = "v1",
                Description = "Scores node telemetry with an ONNX autoencoder: RMSE of the reconstruction against the model's threshold. " +
                    "Errors are RFC 9457 problem details whose `errors` map names the offending field.",
            });
            // A row is an array in the model's order or an object naming each feature (FeatureRowJsonConverter).
            options.MapType<FeatureRow>(() => new OpenApiSchema
            {
                OneOf =
                [
                    new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "float" } },
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "float" },
                    },
                ],
            });
            options.OperationFilter<RequestExamplesFilter>();
            options.AddSecurityDefinition(ApiKeySecurityFilter.SchemeId, ApiKeySecurityFilter.Scheme);
            options.OperationFilter<ApiKeySecurityFilter>();
        });
        return services;
    }

    /// <summary>/swagger (UI and document) unless Swagger:Enabled is false; then both are plain 404s.</summary>
    public static WebApplication UseAnomalySwagger(this WebApplication app)
    {
        // On by default: the UI is how people try the API. Read once at start, from configuration, like PathBase.
        if (!app.Configuration.GetValue(EnabledKey, defaultValue: true))
        {
            return app;
        }
        // Only /swagger paths enter its two middlewares: they would otherwise match every request against their routes.
        app.UseWhen(static context => context.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            swagger.UseSwagger(options =>
            {
                // Behind nginx under /anomaly, "Try it out" must post to /anomaly/predict: the server URL carries the
                // request's PathBase (from X-Forwarded-Prefix or the PathBase setting). Relative, so the host and
                // port the browser used stay as they are.
                options.PreSerializeFilters.Add((document, request) =>
                    document.Servers = [new OpenApiServer { Url = request.PathBase.HasValue ? request.PathBase.Value : "/" }]);
            });
            swagger.UseSwaggerUI(options =>
            {
                // Relative to /swagger/index.html, so the UI finds its document under any prefix.
                options.SwaggerEndpoint("v1/swagger.json", "AnomalyApi v1");
                options.DocumentTitle = "AnomalyApi";
            });
        });
        return app;
    }
}
