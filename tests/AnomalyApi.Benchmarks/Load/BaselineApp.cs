using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>
/// <c>baseline --urls URL --template RESPONSE.json [--batch-template BATCH-RESPONSE.json]</c>: the ceiling the load
/// benchmark measures /predict against. A minimal-API POST /predict on Kestrel that deserializes the same request
/// body into a float array and writes a response with the same JSON fields and size as the service's (the template
/// is a real /predict response for the benchmark's row), with no validation, model or metrics; and, with a batch
/// template, POST /predict/batch doing the same for a JSON batch: the ceiling for JSON batches.
/// </summary>
public static class BaselineApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var urls = Memory.RatchetCommand.Option(args, "--urls", "http://127.0.0.1:5099");
        var template = JsonSerializer.Deserialize(File.ReadAllBytes(Memory.RatchetCommand.Option(args, "--template", "")),
            BaselineJsonContext.Default.BaselineResponse) ?? throw new ArgumentException("--template: not a /predict response");
        var batchTemplateFile = Memory.RatchetCommand.Option(args, "--batch-template", "");
        var batchTemplate = batchTemplateFile.Length == 0 ? null
            : JsonSerializer.Deserialize(File.ReadAllBytes(batchTemplateFile), BaselineJsonContext.Default.BaselineBatchResponse)
              ?? throw new ArgumentException("--batch-template: not a /predict/batch response");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.AddInlineIo();   // Kestrel runs requests on the socket threads when the service would (InlineIo)
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJsonContext.Default));
        var app = builder.Build();

        app.MapPost("/predict", (BaselineRequest request) =>
        {
            // Work proportional to the row, so the response is built from the request rather than replayed.
            return TypedResults.Ok(template with { Rmse = template.Rmse + Sum(request.Features) * 1e-300, Reconstruction = [.. template.Reconstruction] });
        });
        if (batchTemplate is not null)
        {
            app.MapPost("/predict/batch", (BaselineBatchRequest request) =>
            {
                var instances = request.Instances ?? [];
                var results = new BaselineResponse[instances.Length];
                for (var row = 0; row < instances.Length; row++)
                {
                    var like = batchTemplate.Results[row % batchTemplate.Results.Length];
                    results[row] = like with { Rmse = like.Rmse + Sum(instances[row]) * 1e-300, Reconstruction = [.. like.Reconstruction] };
                }
                return TypedResults.Ok(new BaselineBatchResponse(results, batchTemplate.AnomalyCount));
            });
        }
        app.MapGet("/health/ready", () => TypedResults.Ok());

        await app.RunAsync();
        return 0;
    }

    private static double Sum(float[]? values)
    {
        double sum = 0;
        foreach (var value in values ?? [])
        {
            sum += value;
        }
        return sum;
    }
}

/// <summary>The /predict request's row form: values in the model's order.</summary>
public sealed record BaselineRequest(float[]? Features);

/// <summary>The /predict response's fields, as the service writes them.</summary>
public sealed record BaselineResponse(
    double Rmse, bool IsAnomaly, double Threshold, double? AdaptiveThreshold, float[] Reconstruction, BaselineTopFeature[] TopFeatures);

public sealed record BaselineTopFeature(string Name, float Error);

/// <summary>The /predict/batch request's array form: each row's values in the model's order.</summary>
public sealed record BaselineBatchRequest(float[][]? Instances);

/// <summary>The /predict/batch response's fields, as the service writes them.</summary>
public sealed record BaselineBatchResponse(BaselineResponse[] Results, int AnomalyCount);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BaselineRequest))]
[JsonSerializable(typeof(BaselineResponse))]
[JsonSerializable(typeof(BaselineBatchRequest))]
[JsonSerializable(typeof(BaselineBatchResponse))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
