using System.Collections.Concurrent;
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
[JsonSerializable(typeof(ModelReloadResponse))]
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

    private static readonly ConcurrentDictionary<(JsonSerializerOptions, int), JsonSerializerOptions> ByMaxDepth = new();

    /// <summary>
    /// The same contract read with <paramref name="maxDepth"/> as the reader's nesting limit (Limits:JsonMaxDepth).
    /// Through the options rather than a depth-limited Utf8JsonReader: from a span the serializer reads as it goes,
    /// so a syntax error keeps the path of the value it broke (features[3]), which a reader-based read loses.
    /// </summary>
    public static JsonTypeInfo<T> WithMaxDepth<T>(JsonTypeInfo<T> typeInfo, int maxDepth)
    {
        if (typeInfo.Options.MaxDepth == maxDepth)
        {
            return typeInfo;
        }
        var options = ByMaxDepth.GetOrAdd((typeInfo.Options, maxDepth), static key =>
        {
            var limited = new JsonSerializerOptions(key.Item1) { MaxDepth = key.Item2 };
            limited.MakeReadOnly();
            return limited;
        });
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
