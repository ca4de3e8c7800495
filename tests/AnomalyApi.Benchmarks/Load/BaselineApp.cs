using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>
/// <c>baseline --urls URL --template RESPONSE.json</c>: the ceiling the load benchmark measures /predict against.
/// A minimal-API POST /predict on Kestrel that deserializes the same request body into a float array and writes a
/// response with the same JSON fields and size as the service's (the template is a real /predict response for the
/// benchmark's row), with no validation, model or metrics.
/// </summary>
public static class BaselineApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var urls = Memory.RatchetCommand.Option(args, "--urls", "http://127.0.0.1:5099");
        var template = JsonSerializer.Deserialize(File.ReadAllBytes(Memory.RatchetCommand.Option(args, "--template", "")),
            BaselineJsonContext.Default.BaselineResponse) ?? throw new ArgumentException("--template: not a /predict response");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJsonContext.Default));
        var app = builder.Build();

        app.MapPost("/predict", (BaselineRequest request) =>
        {
            // Work proportional to the row, so the response is built from the request rather than replayed.
            var features = request.Features ?? [];
            double sum = 0;
            foreach (var value in features)
            {
                sum += value;
            }
            var reconstruction = new float[template.Reconstruction.Length];
            template.Reconstruction.CopyTo(reconstruction, 0);
            return TypedResults.Ok(template with { Rmse = template.Rmse + sum * 1e-300, Reconstruction = reconstruction });
        });
        app.MapGet("/health/ready", () => TypedResults.Ok());

        await app.RunAsync();
        return 0;
    }
}

/// <summary>The /predict request's row form: values in the model's order.</summary>
public sealed record BaselineRequest(float[]? Features);

/// <summary>The /predict response's fields, as the service writes them.</summary>
public sealed record BaselineResponse(
    double Rmse, bool IsAnomaly, double Threshold, double? AdaptiveThreshold, float[] Reconstruction, BaselineTopFeature[] TopFeatures);

public sealed record BaselineTopFeature(string Name, float Error);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BaselineRequest))]
[JsonSerializable(typeof(BaselineResponse))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
