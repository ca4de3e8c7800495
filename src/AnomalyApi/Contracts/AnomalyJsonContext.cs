using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AnomalyApi.Contracts.Json;

namespace AnomalyApi.Contracts;

/// <summary>Source-generated JSON metadata for every request and response (camelCase, as the web defaults).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(BatchPredictRequest))]
[JsonSerializable(typeof(PredictionResult))]
[JsonSerializable(typeof(BatchPredictionResponse))]
[JsonSerializable(typeof(ModelInfoResponse))]
[JsonSerializable(typeof(AnomalyApi.Collector.CollectorRecentResponse))]
public sealed partial class AnomalyJsonContext : JsonSerializerContext;

/// <summary>
/// How request bodies are read: strictly. Numbers only where numbers belong (<see cref="StrictSingleConverter"/>),
/// no duplicate keys, no unknown fields (a misspelt "featureNames" must not be silently ignored).
/// </summary>
public static class RequestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = AnomalyJsonContext.Default,
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new StrictSingleConverter() },
    };

    public static readonly JsonTypeInfo<PredictRequest> PredictRequest =
        (JsonTypeInfo<PredictRequest>)Options.GetTypeInfo(typeof(PredictRequest));

    public static readonly JsonTypeInfo<BatchPredictRequest> BatchPredictRequest =
        (JsonTypeInfo<BatchPredictRequest>)Options.GetTypeInfo(typeof(BatchPredictRequest));
}
